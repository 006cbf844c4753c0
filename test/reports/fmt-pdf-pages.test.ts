// The FMT report PDF of a year too long for one contents page: every "page N of M" right, every contents entry pointing at its country's page, tables carried over with their header.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FmtReport } from '../../src/core/reports/fmt-report.js';
import { renderFmtPdf } from '../../src/reports/fmt-pdf.js';
import { fmtReport } from '../../src/services/reports/fmt-report.service.js';
import { openTestDatabase } from '../support/databases.js';
import { buildFmtFixture, FIXTURE_NOW } from './fmt-fixture.js';

const COUNTRIES = 70;
const dir = mkdtempSync(join(tmpdir(), 'fmt-pdf-pages-'));
let large: FmtReport;

/**
 * The fixture's Jordan copied to COUNTRIES made-up countries, the i-th with its activities
 * repeated (i % 4) * 5 times: some countries fit their page, some run over two or three.
 */
function enlarge(report: FmtReport): FmtReport {
  const jordan = report.countries.find((c) => c.country === 'JOR')!;
  const of = <T extends { readonly country: string }>(items: readonly T[]) =>
    items.filter((x) => x.country === 'JOR');
  const names = Array.from({ length: COUNTRIES }, (_, i) => ({
    country: `X${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`,
    countryName: `Testland ${String(i).padStart(2, '0')}`,
    copies: (i % 4) * 5,
  }));
  return {
    ...report,
    countries: names.map((n) => ({ ...jordan, country: n.country, countryName: n.countryName })),
    actual: names.flatMap((n) => of(report.actual).map((r) => ({ ...r, country: n.country }))),
    planned: names.flatMap((n) => of(report.planned).map((r) => ({ ...r, country: n.country }))),
    activities: names.flatMap((n) =>
      Array.from({ length: n.copies }, () =>
        of(report.activities).map((a) => ({ ...a, country: n.country })),
      ).flat(),
    ),
  };
}

beforeAll(async () => {
  const db = await openTestDatabase('empty', { clock: () => FIXTURE_NOW });
  try {
    await buildFmtFixture(db.ctx);
    const result = await fmtReport(db.ctx, { id: 'user:analyst', role: 'analyst' }, { year: 2020 });
    if (!result.ok) throw new Error(result.error.message);
    large = enlarge(result.value);
  } finally {
    await db.close();
  }
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const poppler = spawnSync('pdftotext', ['-v']).status === 0;
if (!poppler && process.env.CI !== undefined)
  throw new Error('CI must run the PDF checks: install poppler-utils');

it.skipIf(!poppler)(
  'numbers every page of a long year and points each contents entry at its country',
  async () => {
    const file = join(dir, 'large.pdf');
    writeFileSync(file, await renderFmtPdf(large));
    const text = spawnSync('pdftotext', ['-layout', file, '-'], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    }).stdout;
    const pages = text.split('\f').filter((p) => p.trim() !== '');
    expect(pages.length).toBeGreaterThan(COUNTRIES + 10);
    pages.forEach((page, i) => expect(page).toContain(`Page ${i + 1} of ${pages.length}`));

    // Two contents pages, then the totals: the entries run on past the first contents page.
    expect(pages[1]).toContain('Contents by country');
    expect(pages[2]).toContain('Contents by country (continued)');
    const entries = [...(pages[1]! + pages[2]!).matchAll(/^\s*(.+?) \.{3,}\s+(\d+)\s*$/gm)].map(
      (m) => ({ title: m[1]!, page: Number(m[2]) }),
    );
    expect(entries.map((e) => e.title)).toEqual([
      'Totals of the report',
      ...large.countries.map((c) => c.countryName),
      'Countries left out or included on request',
    ]);
    expect(pages[entries[0]!.page - 1]).toContain('Totals of the report');
    const opening = new Set(entries.map((e) => e.page));
    let carried = 0;
    large.countries.forEach((c, i) => {
      const page = pages[entries[i + 1]!.page - 1]!;
      expect(page, c.countryName).toMatch(new RegExp(`${c.countryName}\\s+${c.country}`));
      // A country whose activities run over: the next page is its own, the table's header repeated.
      const next = entries[i + 2]!.page;
      for (let p = entries[i + 1]!.page + 1; p < next; p++) {
        expect(opening.has(p)).toBe(false);
        carried += 1;
        expect(pages[p - 1], `${c.countryName}, page ${p}`).toMatch(/Course\s+Purpose or foreign/);
      }
    });
    expect(carried).toBeGreaterThan(COUNTRIES / 4);
    expect(opening.size).toBe(entries.length);
    expect(pages.at(-1)).toContain('Poland (POL)');
  },
);
