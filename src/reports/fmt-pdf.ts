// The Foreign Military Training report as a PDF (pdfkit): US Letter, a running header with page N of M, contents by country, the published country summary layout.
//
// Why it is laid out as it is:
// - US Letter and the standard Helvetica fonts, as the house's other PDF (nothing read from disk,
//   nothing embedded); text outside their WinAnsi encoding loses its accents or becomes '?'.
// - Each country opens a page, as in the published report (Volume I, section III); its summary is
//   one table, program by program, FY actual then FY planned, each closed by a Totals row, with the
//   published columns: Program | Training sessions | Individual students | Course count | Dollar value.
// - The contents come before the countries but are written last, on pages reserved for them, once
//   every country's page is known; the header ("page N of M") is written last on every page.
// - CreationDate and ModDate are the report's due date, so the same report gives the same bytes.
import PDFDocument from 'pdfkit';
import { formatUsd } from '../core/money.js';
import type {
  FmtActivity,
  FmtMeasures,
  FmtReport,
  FmtSummaryRow,
} from '../core/reports/fmt-report.js';
import {
  ACTIVITY_COLUMNS,
  FMT_TITLE,
  SUMMARY_COLUMNS,
  activityLocation,
  countrySections,
  fmtPreamble,
  fmtRunningTitle,
  fmtSubtitle,
  measureValues,
  type FmtCountrySection,
} from './fmt-layout.js';

type Doc = PDFKit.PDFDocument;

const PAGE = { top: 66, left: 54, right: 54, bottom: 54 };
const NAVY = '#1f3a5f';
const INK = '#111111';
const GREY = '#555555';
const LINE = '#9a9a9a';
const BAND = '#e8edf3';
const CELL_PAD = 3.5;
const SIZE = 8.5;
const CONTENTS_LINE = 15;

/** A table column: its header, its share of the width (or 'fit' to its widest cell), its alignment. */
interface Col {
  readonly title: string;
  readonly width: number | 'fit';
  readonly right?: boolean;
}

/** A table row: its cells, and how it is drawn. */
interface Line {
  readonly cells: readonly string[];
  readonly kind?: 'band' | 'total';
}

/** The report as PDF bytes. */
export async function renderFmtPdf(report: FmtReport): Promise<Buffer> {
  const due = new Date(`${report.dueOn}T00:00:00Z`);
  const doc = new PDFDocument({
    size: 'LETTER',
    margins: PAGE,
    bufferPages: true,
    lang: 'en-US',
    displayTitle: true,
    info: {
      Title: `${FMT_TITLE}: ${fmtSubtitle(report)}`,
      Subject: `Report year ${report.year} (22 U.S.C. 2416)`,
      Creator: 'Attaché',
      Producer: 'Attaché (PDFKit)',
      CreationDate: due,
      ModDate: due,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  draw(doc, report);
  doc.end();
  return done;
}

function draw(doc: Doc, report: FmtReport): void {
  const sections = countrySections(report);
  titleBlock(doc, report);
  // Contents: one line per country, the totals and the exclusions; its pages are kept for later.
  const entries: { title: string; page: number }[] = [];
  const contentsLines = sections.length + 2;
  const perPage = Math.floor((bottom(doc) - PAGE.top - 40) / CONTENTS_LINE);
  const contentsPages = Math.max(1, Math.ceil(contentsLines / perPage));
  const contentsFrom = doc.bufferedPageRange().count;
  for (let i = 0; i < contentsPages; i++) doc.addPage();

  doc.addPage();
  entries.push({ title: 'Totals of the report', page: pageNumber(doc) });
  heading(doc, 'Totals of the report', 16);
  totalsTable(doc, report, 'actual');
  totalsTable(doc, report, 'planned');

  for (const s of sections) {
    doc.addPage();
    entries.push({ title: s.countryName, page: pageNumber(doc) });
    doc.outline.addItem(s.countryName);
    country(doc, report, s);
  }

  if (report.excluded.length + report.includedOnRequest.length > 0) {
    doc.addPage();
    entries.push({ title: 'Countries left out or included on request', page: pageNumber(doc) });
    exclusions(doc, report);
  }

  contents(doc, entries, contentsFrom, perPage, sections.length === 0);
  runningHeaders(doc, report);
}

function width(doc: Doc): number {
  return doc.page.width - PAGE.left - PAGE.right;
}

function bottom(doc: Doc): number {
  return doc.page.height - PAGE.bottom;
}

function pageNumber(doc: Doc): number {
  const range = doc.bufferedPageRange();
  return range.start + range.count;
}

/** A new page unless `height` more points fit on this one. */
function room(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

/** Only the letters Helvetica can print (WinAnsi): accents dropped where that helps, else '?'. */
function latin(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0)!;
    if ((code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || ch === '\n') out += ch;
    else if ('‘’“”–—•…€'.includes(ch)) out += ch;
    else {
      const bare = ch.normalize('NFD').replace(/\p{M}/gu, '');
      out += bare !== ch && /^[\x20-\x7e]+$/.test(bare) ? bare : /\s/.test(ch) ? ' ' : '?';
    }
  }
  return out;
}

function titleBlock(doc: Doc, report: FmtReport): void {
  const w = width(doc);
  doc.y = PAGE.top + 60;
  doc.font('Helvetica').fontSize(9).fillColor(GREY);
  doc.text('UNITED STATES DEPARTMENT OF DEFENSE AND DEPARTMENT OF STATE', PAGE.left, doc.y, {
    width: w,
    align: 'center',
    characterSpacing: 0.8,
  });
  doc.moveDown(1.2).font('Helvetica-Bold').fontSize(24).fillColor(NAVY);
  doc.text(FMT_TITLE, PAGE.left, doc.y, { width: w, align: 'center' });
  doc.moveDown(0.3).font('Helvetica').fontSize(14).fillColor(INK);
  doc.text(fmtSubtitle(report), PAGE.left, doc.y, { width: w, align: 'center' });
  doc.moveDown(0.4).fontSize(10).fillColor(GREY);
  doc.text(
    `Report to Congress under 22 U.S.C. 2416 · report year ${report.year}`,
    PAGE.left,
    doc.y,
    {
      width: w,
      align: 'center',
    },
  );
  const ruleY = doc.y + 10;
  doc
    .moveTo(PAGE.left, ruleY)
    .lineTo(PAGE.left + w, ruleY)
    .lineWidth(1.5)
    .strokeColor(NAVY)
    .stroke();
  doc.y = ruleY + 18;
  heading(doc, 'About this report', 12);
  for (const paragraph of fmtPreamble(report)) {
    doc.font('Helvetica').fontSize(10).fillColor(INK);
    doc.text(latin(paragraph), PAGE.left, doc.y, { width: w, lineGap: 2 });
    doc.moveDown(0.6);
  }
  heading(doc, 'The report at a glance', 12);
  const a = report.totals.actual;
  const p = report.totals.planned;
  table(
    doc,
    [
      { title: '', width: 2 },
      ...SUMMARY_COLUMNS.slice(1).map((t) => ({ title: t, width: 1.3, right: true })),
    ],
    [
      { cells: [`FY${report.actualPeriod.fiscalYear} actual`, ...numbers(a)] },
      { cells: [`FY${report.plannedPeriod.fiscalYear} planned`, ...numbers(p)] },
    ],
  );
  doc.font('Helvetica').fontSize(10).fillColor(INK);
  doc.text(
    `${report.countries.length} ${report.countries.length === 1 ? 'country' : 'countries'} reported; ${report.excluded.length} left out under 22 U.S.C. 2416(a)(2); ${report.includedOnRequest.length} included at a committee's request.`,
    PAGE.left,
    doc.y + 4,
    { width: w },
  );
}

function heading(doc: Doc, text: string, size: number): void {
  room(doc, size + 60);
  doc.font('Helvetica-Bold').fontSize(size).fillColor(NAVY);
  doc.text(latin(text), PAGE.left, doc.y, { width: width(doc) });
  doc.moveDown(0.35);
}

function numbers(m: FmtMeasures): string[] {
  const [sessions, students, courses, cents] = measureValues(m);
  return [
    sessions.toLocaleString('en-US'),
    students.toLocaleString('en-US'),
    courses.toLocaleString('en-US'),
    formatUsd(cents),
  ];
}

function totalsTable(doc: Doc, report: FmtReport, section: 'actual' | 'planned'): void {
  const fy =
    section === 'actual' ? report.actualPeriod.fiscalYear : report.plannedPeriod.fiscalYear;
  doc.font('Helvetica-Bold').fontSize(10).fillColor(INK);
  room(doc, 60);
  doc.text(`FY${fy} ${section}: totals by country`, PAGE.left, doc.y);
  doc.moveDown(0.3);
  table(
    doc,
    [
      { title: 'Country', width: 2.4 },
      ...SUMMARY_COLUMNS.slice(1).map((t) => ({ title: t, width: 1.2, right: true })),
    ],
    [
      ...report.countries.map((c) => ({ cells: [c.countryName, ...numbers(c[section])] })),
      { cells: ['All countries', ...numbers(report.totals[section])], kind: 'total' as const },
    ],
  );
  doc.moveDown(0.8);
}

function summaryLines(label: string, rows: readonly FmtSummaryRow[], total: FmtMeasures): Line[] {
  return [
    { cells: [label, '', '', '', ''], kind: 'band' },
    ...(rows.length === 0 ? [{ cells: ['No training reported', '', '', '', ''] }] : []),
    ...rows.map((r) => ({ cells: [r.program, ...numbers(r)] })),
    { cells: ['Totals', ...numbers(total)], kind: 'total' },
  ];
}

function country(doc: Doc, report: FmtReport, s: FmtCountrySection): void {
  doc.font('Helvetica-Bold').fontSize(18).fillColor(NAVY);
  doc.text(latin(s.countryName), PAGE.left, doc.y, { width: width(doc), continued: true });
  doc.font('Helvetica').fontSize(12).fillColor(GREY).text(`  ${s.country}`);
  doc.moveDown(0.8);
  heading(doc, 'Country summary', 11);
  table(
    doc,
    SUMMARY_COLUMNS.map((title, i) => ({ title, width: i === 0 ? 2.2 : 1.2, right: i > 0 })),
    [
      ...summaryLines(`FY${report.actualPeriod.fiscalYear} Actual`, s.actualRows, s.actual),
      ...summaryLines(`FY${report.plannedPeriod.fiscalYear} Planned`, s.plannedRows, s.planned),
    ],
  );
  doc.moveDown(0.8);
  activities(
    doc,
    `Training activities, FY${report.actualPeriod.fiscalYear} (actual)`,
    s.actualActivities,
  );
  activities(
    doc,
    `Training activities, FY${report.plannedPeriod.fiscalYear} (planned)`,
    s.plannedActivities,
  );
}

function activities(doc: Doc, title: string, list: readonly FmtActivity[]): void {
  heading(doc, title, 11);
  if (list.length === 0) {
    doc.font('Helvetica').fontSize(9.5).fillColor(GREY).text('None.', PAGE.left, doc.y);
    doc.moveDown(0.8);
    return;
  }
  const [course, purpose, location, start, students, units, value] = ACTIVITY_COLUMNS;
  table(
    doc,
    [
      { title: course, width: 1.7 },
      { title: purpose, width: 2.3 },
      { title: location, width: 1.5 },
      { title: start, width: 'fit' },
      { title: students, width: 'fit', right: true },
      { title: units, width: 1.4 },
      { title: value, width: 'fit', right: true },
    ],
    list.map((a) => ({
      cells: [
        `${a.courseId} ${a.courseTitle} (${a.program})`,
        a.purpose,
        activityLocation(a),
        a.classStart,
        String(a.students),
        a.units.length === 0 ? 'not recorded' : a.units.join('; '),
        formatUsd(a.valueCents),
      ],
    })),
  );
  doc.moveDown(0.8);
}

function exclusions(doc: Doc, report: FmtReport): void {
  heading(doc, 'Countries left out or included on request', 16);
  doc.font('Helvetica').fontSize(10).fillColor(INK);
  doc.text(
    latin(
      `22 U.S.C. 2416(a)(2): the report does not apply to any NATO member, Australia, Japan or New Zealand unless an appropriate congressional committee asked in writing, not later than 90 days before the report is due (for this report: by ${report.requestDeadline}).`,
    ),
    PAGE.left,
    doc.y,
    { width: width(doc), lineGap: 2 },
  );
  doc.moveDown(0.8);
  if (report.excluded.length > 0) {
    table(
      doc,
      [
        { title: 'Left out', width: 1.3 },
        { title: 'Reason', width: 4 },
      ],
      report.excluded.map((e) => ({ cells: [`${e.countryName} (${e.country})`, e.reason] })),
    );
    doc.moveDown(0.8);
  }
  if (report.includedOnRequest.length > 0) {
    table(
      doc,
      [
        { title: 'Included on request', width: 1.3 },
        { title: 'Request', width: 4 },
      ],
      report.includedOnRequest.map((r) => ({
        cells: [
          `${r.countryName} (${r.country})`,
          `requested by the ${r.committee} on ${r.requestedOn}${r.source === null ? '' : ` (${r.source})`}`,
        ],
      })),
    );
  }
}

function font(doc: Doc, kind: Line['kind'] | 'head'): Doc {
  return doc.font(kind === undefined ? 'Helvetica' : 'Helvetica-Bold').fontSize(SIZE);
}

/** Column widths: 'fit' columns take their widest cell, the rest share what is left by weight. */
function widths(doc: Doc, cols: readonly Col[], lines: readonly Line[]): number[] {
  const fixed = cols.map((c, i) => {
    if (c.width !== 'fit') return 0;
    const texts = [c.title, ...lines.map((l) => l.cells[i] ?? '')];
    return (
      Math.max(...texts.map((t) => font(doc, 'head').widthOfString(latin(t)))) + 2 * CELL_PAD + 1
    );
  });
  const left = width(doc) - fixed.reduce((a, b) => a + b, 0);
  const weights = cols.reduce((n, c) => n + (c.width === 'fit' ? 0 : c.width), 0);
  return cols.map((c, i) => (c.width === 'fit' ? fixed[i]! : (left * c.width) / weights));
}

/** A ruled table: rows wrap and never split; the header row repeats on every page the table runs to. */
function table(doc: Doc, cols: readonly Col[], lines: readonly Line[]): void {
  const w = widths(doc, cols, lines);
  const texts = (cells: readonly string[]) => cells.map(latin);
  const heightOf = (cells: readonly string[], kind: Line['kind'] | 'head') =>
    Math.max(
      ...cells.map((t, i) => font(doc, kind).heightOfString(t, { width: w[i]! - 2 * CELL_PAD })),
    ) +
    2 * CELL_PAD;
  const row = (cells: readonly string[], kind: Line['kind'] | 'head') => {
    const h = Math.min(heightOf(cells, kind), bottom(doc) - PAGE.top - 40);
    const y = doc.y;
    let x = PAGE.left;
    const fill =
      kind === 'head' || kind === 'band' ? BAND : kind === 'total' ? '#f4f6f9' : undefined;
    if (fill !== undefined) doc.rect(PAGE.left, y, width(doc), h).fill(fill);
    cells.forEach((text, i) => {
      const cw = w[i]!;
      if (kind !== 'band') doc.rect(x, y, cw, h).lineWidth(0.4).strokeColor(LINE).stroke();
      font(doc, kind).fillColor(kind === 'head' ? NAVY : INK);
      doc.text(text, x + CELL_PAD, y + CELL_PAD, {
        width: cw - 2 * CELL_PAD,
        height: h - 2 * CELL_PAD + 1,
        align: cols[i]!.right === true && kind !== 'band' ? 'right' : 'left',
        ellipsis: true,
        lineBreak: kind !== 'band',
      });
      x += cw;
    });
    if (kind === 'band')
      doc.rect(PAGE.left, y, width(doc), h).lineWidth(0.4).strokeColor(LINE).stroke();
    doc.y = y + h;
  };
  const head = texts(cols.map((c) => c.title));
  const headHeight = heightOf(head, 'head');
  room(doc, headHeight + 20);
  row(head, 'head');
  for (const line of lines) {
    const cells = texts(line.cells);
    if (doc.y + heightOf(cells, line.kind) > bottom(doc)) {
      doc.addPage();
      row(head, 'head');
    }
    row(cells, line.kind);
  }
}

/** Writes the contents on the pages kept for them, with dotted leaders to each page number. */
function contents(
  doc: Doc,
  entries: readonly { title: string; page: number }[],
  from: number,
  perPage: number,
  empty: boolean,
): void {
  const w = width(doc);
  entries.forEach((entry, i) => {
    const page = Math.floor(i / perPage);
    doc.switchToPage(from + page);
    if (i % perPage === 0) {
      doc.y = PAGE.top;
      heading(doc, i === 0 ? 'Contents by country' : 'Contents by country (continued)', 16);
      if (i === 0 && empty) {
        doc.font('Helvetica').fontSize(10).fillColor(GREY);
        doc.text('No country has training to report for these years.', PAGE.left, doc.y);
        doc.moveDown(0.5);
      }
    }
    const y = PAGE.top + 40 + (i % perPage) * CONTENTS_LINE;
    const number = String(entry.page);
    doc.font('Helvetica').fontSize(10).fillColor(INK);
    const title = latin(entry.title);
    const numberWidth = doc.widthOfString(number);
    const titleWidth = doc.widthOfString(title);
    doc.text(title, PAGE.left, y, { lineBreak: false });
    const dots = Math.max(
      0,
      Math.floor((w - titleWidth - numberWidth - 12) / doc.widthOfString('.')),
    );
    doc.fillColor(LINE).text('.'.repeat(dots), PAGE.left + titleWidth + 6, y, { lineBreak: false });
    doc.fillColor(INK).text(number, PAGE.left + w - numberWidth, y, { lineBreak: false });
  });
}

/** The running header of every page: the report's title on the left, "Page N of M" on the right. */
function runningHeaders(doc: Doc, report: FmtReport): void {
  const range = doc.bufferedPageRange();
  const title = latin(fmtRunningTitle(report));
  const w = width(doc);
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const y = 32;
    doc.font('Helvetica').fontSize(8).fillColor(GREY);
    const label = `Page ${i + 1} of ${range.count}`;
    const labelWidth = doc.widthOfString(label);
    doc.text(title, PAGE.left, y, { width: w - labelWidth - 12, lineBreak: false, ellipsis: true });
    doc.text(label, PAGE.left + w - labelWidth, y, { lineBreak: false });
    doc
      .moveTo(PAGE.left, y + 12)
      .lineTo(PAGE.left + w, y + 12)
      .lineWidth(0.5)
      .strokeColor(LINE)
      .stroke();
  }
}
