// The FMT report in every format says the same numbers: CSV and XLSX read back and compared with the calculation; PDF text, pages and PNGs; HTML structure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FmtMeasures, FmtReport } from '../../src/core/reports/fmt-report.js';
import { renderFmt } from '../../src/reports/fmt-render.js';
import { XLSX_SHEETS } from '../../src/reports/fmt-xlsx.js';
import { fmtReport } from '../../src/services/reports/fmt-report.service.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { buildFmtFixture, FIXTURE_NOW } from './fmt-fixture.js';

let db: TestDatabase;
let report: FmtReport;
const dir = mkdtempSync(join(tmpdir(), 'fmt-formats-'));

beforeAll(async () => {
  db = await openTestDatabase('empty', { clock: () => FIXTURE_NOW });
  await buildFmtFixture(db.ctx);
  const result = await fmtReport(db.ctx, { id: 'user:analyst', role: 'analyst' }, { year: 2020 });
  if (!result.ok) throw new Error(result.error.message);
  report = result.value;
}, 120_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db.close();
});

/** Plain dollars as written (`165000.00`) back to cents, refusing anything else. */
function cents(text: unknown): number {
  expect(String(text)).toMatch(/^\d+\.\d{2}$/);
  return Math.round(Number(text) * 100);
}

const measuresOf = (r: Record<string, string>): FmtMeasures => ({
  sessions: Number(r.sessions),
  students: Number(r.students),
  courses: Number(r.courses),
  valueCents: cents(r.value_usd),
});

describe('CSV', () => {
  it('reads back to the calculation, section by section, number by number', async () => {
    const rendered = await renderFmt(report, 'csv');
    expect(rendered).toMatchObject({
      contentType: 'text/csv; charset=utf-8',
      fileName: 'fmt-report-2020.csv',
    });
    const rows = parse<Record<string, string>>(rendered.text!, { columns: true });
    const section = (name: string) => rows.filter((r) => r.section === name);
    for (const name of ['actual', 'planned'] as const) {
      expect(
        section(name).map((r) => ({
          country: r.country,
          countryName: r.country_name,
          program: r.program,
          ...measuresOf(r),
        })),
      ).toEqual(report[name]);
      expect(section(`${name}-country-total`).map((r) => [r.country, measuresOf(r)])).toEqual(
        report.countries.map((c) => [c.country, c[name]]),
      );
      expect(section(`${name}-total`).map(measuresOf)).toEqual([report.totals[name]]);
    }
    expect(
      section('activity').map((r) => [
        r.note,
        r.country,
        r.course_id,
        r.class_start,
        Number(r.students),
        cents(r.value_usd),
        r.units,
      ]),
    ).toEqual(
      report.activities.map((a) => [
        a.section,
        a.country,
        a.courseId,
        a.classStart,
        a.students,
        a.valueCents,
        a.units.join('; '),
      ]),
    );
    expect(section('excluded').map((r) => [r.country, r.note])).toEqual(
      report.excluded.map((e) => [e.country, e.reason]),
    );
    expect(section('included-on-request').map((r) => r.country)).toEqual(['EST']);
    expect(rows).toHaveLength(
      report.actual.length +
        report.planned.length +
        2 * (report.countries.length + 1) +
        report.activities.length +
        2,
    );
  });
});

describe('XLSX', () => {
  let wb: ExcelJS.Workbook;
  beforeAll(async () => {
    const rendered = await renderFmt(report, 'xlsx');
    expect(rendered.fileName).toBe('fmt-report-2020.xlsx');
    wb = new ExcelJS.Workbook();
    await wb.xlsx.load(rendered.bytes as unknown as ArrayBuffer);
  });

  const number = (value: ExcelJS.CellValue): number => {
    if (typeof value === 'number') return value;
    const result = (value as ExcelJS.CellFormulaValue).result;
    expect(typeof result).toBe('number');
    return result as number;
  };
  const measures = (values: ExcelJS.CellValue[], first: number): FmtMeasures => ({
    sessions: number(values[first]),
    students: number(values[first + 1]),
    courses: number(values[first + 2]),
    valueCents: Math.round(number(values[first + 3]) * 100),
  });
  /** The rows under the header, each as its values (exceljs counts columns from 1). */
  const rowsOf = (name: string) => {
    const ws = wb.getWorksheet(name)!;
    const rows: ExcelJS.CellValue[][] = [];
    ws.eachRow((row, n) => {
      if (n > 1) rows.push(row.values as ExcelJS.CellValue[]);
    });
    return rows;
  };

  it('has a sheet per section', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual(Object.values(XLSX_SHEETS));
  });

  it('states each summary row as numbers, and totals whose formulas hold the calculation', () => {
    for (const name of ['actual', 'planned'] as const) {
      const rows = rowsOf(XLSX_SHEETS[name]);
      const total = rows.pop()!;
      expect(
        rows.map((v) => ({ country: v[2], countryName: v[3], program: v[4], ...measures(v, 5) })),
      ).toEqual(report[name]);
      expect(total[2]).toBe('TOTAL');
      expect(measures(total, 5)).toEqual(report.totals[name]);
      expect((total[5] as ExcelJS.CellFormulaValue).formula).toBe(`SUM(E2:E${rows.length + 1})`);
      expect((total[8] as ExcelJS.CellFormulaValue).formula).toBe(`SUM(H2:H${rows.length + 1})`);
    }
  });

  it('states each country with both sections and the report totals', () => {
    const rows = rowsOf(XLSX_SHEETS.countries);
    const total = rows.pop()!;
    expect(rows.map((v) => [v[1], measures(v, 3), measures(v, 7)])).toEqual(
      report.countries.map((c) => [c.country, c.actual, c.planned]),
    );
    expect([measures(total, 3), measures(total, 7)]).toEqual([
      report.totals.actual,
      report.totals.planned,
    ]);
  });

  it('lists every activity and every country left out', () => {
    expect(
      rowsOf(XLSX_SHEETS.activities).map((v) => [
        v[1],
        v[3],
        v[6],
        v[12],
        v[13],
        Math.round((v[15] as number) * 100),
      ]),
    ).toEqual(
      report.activities.map((a) => [
        a.section,
        a.country,
        a.courseId,
        a.classStart,
        a.students,
        a.valueCents,
      ]),
    );
    expect(rowsOf(XLSX_SHEETS.excluded).map((v) => [v[1], v[3]])).toEqual([
      ['POL', 'no'],
      ['EST', 'yes'],
    ]);
  });
});

function has(tool: string): boolean {
  return spawnSync('which', [tool]).status === 0;
}
const poppler = has('pdftotext') && has('pdftoppm');
if (!poppler && process.env.CI === 'true')
  throw new Error('CI must run the PDF checks: install poppler-utils');

function run(tool: string, args: readonly string[]): string {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${tool} failed: ${result.stderr}`);
  return result.stdout;
}

describe('PDF', () => {
  let file: string;
  let bytes: Buffer;
  beforeAll(async () => {
    const rendered = await renderFmt(report, 'pdf');
    bytes = rendered.bytes;
    file = join(dir, rendered.fileName);
    writeFileSync(file, bytes);
  });

  it('is the same bytes for the same report', async () => {
    expect((await renderFmt(report, 'pdf')).bytes.equals(bytes)).toBe(true);
  });

  it('has a title page, contents, totals, a page per country and one for the countries left out', () => {
    // Pages are objects of /Type /Page (the page tree is /Type /Pages).
    const pages = bytes.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? [];
    expect(pages).toHaveLength(1 + 1 + 1 + report.countries.length + 1);
  });

  it.skipIf(!poppler)(
    'reads as the report: running header, contents that point to the right pages, the published summary',
    () => {
      const text = run('pdftotext', ['-layout', file, '-']);
      const pages = text.split('\f').filter((p) => p.trim() !== '');
      expect(pages).toHaveLength(6);
      pages.forEach((page, i) => {
        expect(page).toContain('Foreign Military Training Report · FY2019 actual, FY2020 planned');
        expect(page).toContain(`Page ${i + 1} of 6`);
      });
      for (const name of ['Estonia', 'Jordan']) {
        const at = new RegExp(`${name} \\.+ (\\d+)`).exec(pages[1]!);
        expect(at, name).not.toBeNull();
        expect(pages[Number(at![1]) - 1]).toMatch(
          new RegExp(`${name}\\s+${name === 'Jordan' ? 'JOR' : 'EST'}`),
        );
      }
      const jordan = pages.find((p) => /Jordan\s+JOR/.test(p))!;
      expect(jordan).toMatch(
        /Program\s+Training sessions\s+Individual students\s+Course count\s+Dollar value/,
      );
      expect(jordan).toMatch(/FY2019 Actual/);
      expect(jordan).toMatch(/IMET\s+4\s+3\s+2\s+\$165,000\.00/);
      expect(jordan).toMatch(/FY2020 Planned/);
      expect(jordan).toMatch(/IMET\s+2\s+2\s+1\s+\$25,200\.00/);
      expect(jordan).toContain('Develop staff officers for');
      expect(pages[2]).toMatch(/All countries\s+5\s+4\s+2\s+\$176,500\.00/);
      expect(pages[5]).toMatch(/Poland \(POL\)\s+NATO member since 1999-03-12/);
      expect(text.match(/Poland/g)).toHaveLength(1); // only on the last page: not in the contents, no page of its own
    },
  );

  it.skipIf(!poppler)('renders to PNG pages', () => {
    run('pdftoppm', ['-png', '-r', '40', file, join(dir, 'page')]);
    expect(readdirSync(dir).filter((f) => f.startsWith('page') && f.endsWith('.png'))).toHaveLength(
      6,
    );
  });
});

describe('HTML', () => {
  it('is a standalone page with contents by country and captioned tables holding the numbers', async () => {
    const html = (await renderFmt(report, 'html')).text!;
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain(
      '<title>Foreign Military Training Report: Fiscal Years 2019 and 2020</title>',
    );
    expect(html).not.toMatch(/<script|<link|src=/);
    for (const c of ['est', 'jor']) {
      expect(html).toContain(`<a href="#country-${c}">`);
      expect(html).toContain(`<section class="country" id="country-${c}"`);
    }
    expect(html).toContain('<caption>Jordan: FY2019 actual</caption>');
    expect(html).toMatch(
      /<th scope="row">IMET<\/th><td class="n">4<\/td><td class="n">3<\/td><td class="n">2<\/td><td class="n">\$165,000\.00<\/td>/,
    );
    expect(html.match(/<table>/g)?.length).toBe(html.match(/<caption>/g)?.length);
  });

  it('escapes what people typed', async () => {
    const tampered: FmtReport = {
      ...report,
      activities: report.activities.map((a) => ({ ...a, purpose: '<img src=x onerror=alert(1)>' })),
    };
    const html = (await renderFmt(tampered, 'html')).text!;
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
  });
});
