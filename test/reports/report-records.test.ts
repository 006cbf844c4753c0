// The record's reports on the demo (Pakistan's 2018 suspension and IMET exceptions): every format
// carries the document's numbers (CSV and XLSX read back), the PDF renders to pages, the timeline
// has its chart in HTML and PDF, a date known only to the month or the fiscal year is never printed
// as a day, and each report stays within the caller's scope.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/actor.js';
import type { Result } from '../../src/core/result.js';
import {
  dateText,
  isDateCell,
  type Cell,
  type ReportColumn,
  type ReportDocument,
} from '../../src/core/reports/report-document.js';
import { renderDocument } from '../../src/reports/document-render.js';
import {
  impactReport,
  prominenceReport,
  recordsReport,
  timelineReport,
} from '../../src/services/reports/record-reports.service.js';
import { countAuditEntries } from '../../src/store/audit.repository.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { needPoppler, run } from '../support/poppler.js';

const admin: Actor = { id: 'user:pm', role: 'program-manager' };
const scoPak: Actor = { id: 'user:sco-pak', role: 'sco', countries: ['PAK'] };
const scoInd: Actor = { id: 'user:sco-ind', role: 'sco', countries: ['IND'] };
const RESTRICTION = 'rst_pak-policy-2018';
/** Its end is known only to the month: August 2018, recorded as 2018-08-01. */
const RELIEF_ENDED = 'rlf_pak-imet-exception-2018';
/** Pakistan's FY2022 child-soldiers listing and its waiver. */
const LISTING = 'rst_pak-child-soldiers-fy2022';
const WAIVER = 'rlf_pak-child-soldiers-waiver-2021';
/** Guatemala's IMET proviso, known only by fiscal year: FY1998 (1997-10-01) to FY2007. */
const PROVISO = 'rst_gtm-proviso-1997';

let db: TestDatabase;
const dir = mkdtempSync(join(tmpdir(), 'report-records-'));
beforeAll(async () => {
  db = await openTestDatabase('demo');
}, 120_000);
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.reason}: ${result.error.message}`);
  return result.value;
}

const REPORTS: Record<string, (actor: Actor) => Promise<Result<ReportDocument>>> = {
  'restriction impact': (actor) => impactReport(db.ctx, actor, { restriction: RESTRICTION }),
  'relief impact': (actor) => impactReport(db.ctx, actor, { relief: RELIEF_ENDED }),
  timeline: (actor) => timelineReport(db.ctx, actor, { country: 'PAK' }),
  'fiscal-year timeline': (actor) => timelineReport(db.ctx, actor, { country: 'GTM' }),
  records: (actor) => recordsReport(db.ctx, actor, { country: 'PAK' }),
  prominence: (actor) => prominenceReport(db.ctx, actor, 'PAK'),
};

/** A CSV field compared with the document's cell: numbers by value (money in dollars to the cent). */
function expectCsvField(field: string, cell: Cell, column: ReportColumn, where: string): void {
  if (cell === null) return expect(field, where).toBe('');
  if (isDateCell(cell)) return expect(field, where).toBe(dateText(cell));
  if (typeof cell === 'number')
    return column.kind === 'money'
      ? expect(Math.round(Number(field) * 100), where).toBe(cell)
      : expect(Number(field), where).toBe(cell);
  expect(field, where).toBe(cell);
}

function expectXlsxCell(
  target: ExcelJS.Cell,
  cell: Cell,
  column: ReportColumn,
  where: string,
): void {
  const got = target.value;
  if (cell === null) return expect(got ?? null, where).toBeNull();
  // A fiscal year has no date format: it is written as its words.
  if (isDateCell(cell) && cell.quality === 'year' && cell.date.endsWith('-10-01'))
    return expect(got, where).toBe(dateText(cell));
  if (isDateCell(cell)) {
    expect(got, where).toBeInstanceOf(Date);
    return expect((got as Date).toISOString().slice(0, 10), where).toBe(cell.date);
  }
  if (typeof cell === 'number') {
    expect(typeof got, where).toBe('number');
    if (column.kind === 'money') {
      expect(target.numFmt, where).toContain('$');
      return expect(Math.round((got as number) * 100), where).toBe(cell);
    }
    return expect(got, where).toBe(cell);
  }
  expect(got, where).toBe(cell);
}

/** The rows of a section as they appear in a table: its rows then its totals. */
function tableRows(doc: ReportDocument, s: number): (readonly Cell[])[] {
  const section = doc.sections[s]!;
  return [...section.rows, ...(section.totals === undefined ? [] : [section.totals])];
}

describe.each(Object.keys(REPORTS))('the %s report', (name) => {
  let doc: ReportDocument;
  beforeAll(async () => {
    doc = value(await REPORTS[name]!(admin));
  });

  it('prints the document itself as JSON', async () => {
    const json = await renderDocument(doc, 'json');
    expect(JSON.parse(json.bytes.toString('utf8'))).toEqual(doc);
    expect(json.fileName).toBe(`${doc.fileStem}.json`);
  });

  it('carries the same numbers in its CSV, section by section', async () => {
    const csv = (await renderDocument(doc, 'csv')).bytes.toString('utf8');
    const blocks = csv.split('\r\n\r\n');
    expect(blocks).toHaveLength(doc.sections.length + 1);
    doc.sections.forEach((section, s) => {
      const parsed: string[][] = parse(blocks[s + 1]!, { relax_column_count: true });
      const [heading, header, ...rows] = parsed;
      expect(heading).toEqual([section.heading]);
      expect(header).toHaveLength(section.columns.length);
      const expected = tableRows(doc, s);
      expect(rows).toHaveLength(expected.length);
      expected.forEach((cells, r) =>
        cells.forEach((cell, c) =>
          expectCsvField(rows[r]![c]!, cell, section.columns[c]!, `${section.heading} ${r}:${c}`),
        ),
      );
    });
  });

  it('carries the same numbers in its XLSX, a sheet per section', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await renderDocument(doc, 'xlsx')).bytes as unknown as ArrayBuffer);
    expect(book.worksheets).toHaveLength(doc.sections.length + 1);
    doc.sections.forEach((section, s) => {
      const sheet = book.worksheets[s + 1]!;
      expect(sheet.getRow(1).getCell(1).value).toBe(section.columns[0]!.header);
      const expected = tableRows(doc, s);
      expect(sheet.actualRowCount).toBe(expected.length + 1);
      expected.forEach((cells, r) =>
        cells.forEach((cell, c) =>
          expectXlsxCell(
            sheet.getRow(r + 2).getCell(c + 1),
            cell,
            section.columns[c]!,
            `${section.heading} ${r}:${c}`,
          ),
        ),
      );
    });
  });

  it('renders a PDF whose pages draw (pdftoppm) and carry its title and totals', async (ctx) => {
    needPoppler(ctx);
    const file = join(dir, `${doc.fileStem}.pdf`);
    writeFileSync(file, (await renderDocument(doc, 'pdf')).bytes);
    run('pdftoppm', ['-png', '-r', '60', file, join(dir, doc.fileStem)]);
    const pages = readdirSync(dir).filter(
      (f) => f.startsWith(`${doc.fileStem}-`) && f.endsWith('.png'),
    );
    expect(pages.length).toBeGreaterThan(0);
    for (const page of pages) expect(statSync(join(dir, page)).size).toBeGreaterThan(3 * 1024);
    const text = run('pdftotext', ['-layout', file, '-']);
    expect(text).toContain(doc.title.slice(0, 30));
    expect(text).toContain(`Page ${pages.length} of ${pages.length}`);
    for (const section of doc.sections) expect(text).toContain(section.heading.toUpperCase());
  });
});

describe('the Pakistan story in the reports', () => {
  it('counts the 66 seats the August 2018 suspension cancelled and the $2,411,130 released', async () => {
    const doc = value(await impactReport(db.ctx, admin, { restriction: RESTRICTION }));
    expect(doc.sections[0]?.rows).toContainEqual([
      'cancelled',
      66,
      0,
      2_411_130_00,
      2_411_130_00,
      0,
    ]);
    const relief = value(await impactReport(db.ctx, admin, { relief: RELIEF_ENDED }));
    // The exception's end on 2018-08-01 is what reached them: the same seats and money.
    expect(relief.sections[0]?.rows).toContainEqual([
      'cancelled',
      66,
      0,
      2_411_130_00,
      2_411_130_00,
      0,
    ]);
    expect(relief.subtitle).toContain('until 2018-08 (month only)');
  });

  it('breaks the seat list across pages, repeating its header and the running header', async (ctx) => {
    needPoppler(ctx);
    const doc = value(await impactReport(db.ctx, admin, { restriction: RESTRICTION }));
    const file = join(dir, 'impact-pages.pdf');
    writeFileSync(file, (await renderDocument(doc, 'pdf')).bytes);
    const pages = Number(
      /Page 1 of (\d+)/.exec(run('pdftotext', ['-f', '1', '-l', '1', file, '-']))?.[1],
    );
    expect(pages).toBeGreaterThan(2);
    let seats = 0;
    for (let page = 2; page <= pages; page += 1) {
      const text = run('pdftotext', ['-f', String(page), '-l', String(page), file, '-']);
      expect(text).toContain(`Restriction impact: ${RESTRICTION}`);
      expect(text).toContain('Class start');
      seats += (text.match(/\bseat_[0-9a-f]+/g) ?? []).length;
    }
    expect(seats).toBe(67);
  });

  it('draws the timeline chart as SVG in HTML and as vectors in the PDF', async (ctx) => {
    const doc = value(await timelineReport(db.ctx, admin, { country: 'PAK', from: '2017-01-01' }));
    // Each restriction's lane followed by its reliefs' lanes.
    expect(doc.chart?.spans.map((s) => s.lane)).toEqual([
      RESTRICTION,
      RELIEF_ENDED,
      'rlf_pak-imet-exception-2020',
      LISTING,
      WAIVER,
    ]);
    const html = (await renderDocument(doc, 'html')).bytes.toString('utf8');
    const svg = /<svg[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    expect(svg).toContain(`>${RELIEF_ENDED}</text>`);
    expect((svg.match(/<rect /g) ?? []).length).toBeGreaterThanOrEqual(3);
    expect(svg).toContain('<polygon'); // the notification of 2019-12-19
    needPoppler(ctx);
    const file = join(dir, 'timeline-chart.pdf');
    writeFileSync(file, (await renderDocument(doc, 'pdf')).bytes);
    const text = run('pdftotext', ['-f', '1', '-l', '1', file, '-']);
    expect(text).toContain('Congress notified');
    expect(text).toContain('exception for IMET: 2018-01-04 to 2018-08 (month only)');
  });

  it('enters a records export in the audit log as a read', async () => {
    const before = await countAuditEntries(db.ctx.store.db);
    value(await recordsReport(db.ctx, admin, { country: 'PAK' }));
    expect(await countAuditEntries(db.ctx.store.db)).toBe(before + 1);
  });
});

describe('dates known only to the month or the year', () => {
  /** The text of every page of a PDF, as pdftotext reads it. */
  async function pdfText(doc: ReportDocument, name: string): Promise<string> {
    const file = join(dir, `${name}.pdf`);
    writeFileSync(file, (await renderDocument(doc, 'pdf')).bytes);
    return run('pdftotext', ['-layout', file, '-']);
  }
  const html = async (doc: ReportDocument) =>
    (await renderDocument(doc, 'html')).bytes.toString('utf8');
  /** The rows of a table of the HTML page whose first cell is `id`, as text. */
  const htmlRows = (page: string, id: string) =>
    [...page.matchAll(/<tr>(<td[^>]*>[\s\S]*?)<\/tr>/g)]
      .map((m) => m[1]!.replace(/<[^>]+>/g, '|'))
      .filter((row) => row.includes(`|${id}|`));

  it("never prints the 2018 exception's end (August 2018, recorded as the 1st) as a day in HTML", async () => {
    const doc = value(await timelineReport(db.ctx, admin, { country: 'PAK', from: '2017-01-01' }));
    const page = await html(doc);
    expect(page).not.toContain('2018-08-01');
    expect(htmlRows(page, RELIEF_ENDED).join('\n')).toContain('|2018-08 (month only)|');
    // the events table, the reliefs table and the chart's label
    expect(page.match(/2018-08 \(month only\)/g)?.length).toBe(3);
    expect(page).toContain('exception for IMET: 2018-01-04 to 2018-08 (month only)</text>');
  });

  it('nor in the PDF, on any page (pdftotext)', async (ctx) => {
    needPoppler(ctx);
    const doc = value(await timelineReport(db.ctx, admin, { country: 'PAK', from: '2017-01-01' }));
    const text = await pdfText(doc, 'timeline-month');
    expect(text).not.toContain('2018-08-01');
    expect(text).toMatch(/2018-08 \(month only\)\s+relief ends\s+rlf_pak-imet-exception-2018/);
    expect(text).toMatch(/rlf_pak-imet-exception-2018\s.*2018-01-04\s+2018-08 \(month only\)/);
  });

  it("nor in the relief's impact report, whose seats were reached on an exact day", async (ctx) => {
    const doc = value(await impactReport(db.ctx, admin, { relief: RELIEF_ENDED }));
    expect(doc.subtitle).not.toContain('2018-08-01');
    expect(await html(doc)).toContain(
      'exception for IMET from 2018-01-04 until 2018-08 (month only), relieving',
    );
    needPoppler(ctx);
    const firstPage = (await pdfText(doc, 'impact-month')).split('\f')[0]!;
    expect(firstPage).toContain('until 2018-08 (month only)');
  });

  it('shows a fiscal year known only as a year as that fiscal year, never as 1 October', async (ctx) => {
    const doc = value(await timelineReport(db.ctx, admin, { country: 'GTM' }));
    const restriction = doc.sections.find((s) => s.heading === 'Restrictions')!.rows[0]!;
    expect(
      restriction.slice(0, 1).concat(restriction.slice(4, 6).map((c) => dateText(c as never))),
    ).toEqual([PROVISO, 'FY1998 (fiscal year only)', 'FY2007 (fiscal year only)']);
    const page = await html(doc);
    expect(page).not.toContain('1997-10-01');
    expect(page).not.toContain('2006-10-01');
    expect(page).toContain(
      'proviso restriction of IMET: FY1998 (fiscal year only) to FY2007 (fiscal year only)',
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await renderDocument(doc, 'xlsx')).bytes as unknown as ArrayBuffer);
    const row = book.getWorksheet('Restrictions')!.getRow(2);
    expect([row.getCell(5).value, row.getCell(6).value]).toEqual([
      'FY1998 (fiscal year only)',
      'FY2007 (fiscal year only)',
    ]);
    needPoppler(ctx);
    const text = await pdfText(doc, 'timeline-fiscal-year');
    expect(text).not.toContain('1997-10-01');
    expect(text).toMatch(/FY1998 \(fiscal year only\)\s+FY2007 \(fiscal year only\)/);
  });
});

describe('scope', () => {
  const participants = (doc: ReportDocument) =>
    doc.sections.find((s) => s.heading === 'Participants')!.rows.length;

  it("shows an SCO their country's participants and another country's SCO none", async () => {
    const all = value(await recordsReport(db.ctx, admin, { country: 'PAK' }));
    expect(participants(all)).toBeGreaterThan(0);
    expect(participants(value(await recordsReport(db.ctx, scoPak, { country: 'PAK' })))).toBe(
      participants(all),
    );
    const other = value(await recordsReport(db.ctx, scoInd, { country: 'PAK' }));
    expect(participants(other)).toBe(0);
    expect(other.subtitle).toContain('within your scope (sco: IND)');
    // Not a name of a Pakistani participant anywhere in what the Indian SCO gets.
    const text = JSON.stringify(other);
    for (const row of all.sections.find((s) => s.heading === 'Participants')!.rows)
      expect(text).not.toContain(row[0] as string);
    const unit = value(await recordsReport(db.ctx, scoInd, { country: 'PAK', unit: '10th Corps' }));
    expect(participants(unit)).toBe(0);
  });

  it("leaves another country's seats and prominent people out", async () => {
    const impact = value(await impactReport(db.ctx, scoInd, { restriction: RESTRICTION }));
    expect(impact.sections[0]?.totals?.[1]).toBe(0);
    const prominent = value(await prominenceReport(db.ctx, scoInd, 'PAK'));
    expect(prominent.sections[1]?.rows).toEqual([]);
    expect(value(await prominenceReport(db.ctx, scoPak, 'PAK')).sections[1]?.rows.length).toBe(
      value(await prominenceReport(db.ctx, admin, 'PAK')).sections[1]?.rows.length,
    );
  });

  it('lets anyone read a timeline, as the timeline itself (restrictions are not personal records)', async () => {
    const doc = value(await timelineReport(db.ctx, scoInd, { country: 'PAK' }));
    expect(doc.chart?.spans.length).toBe(5);
  });
});
