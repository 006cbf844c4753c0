// The Foreign Military Training report as a PDF (pdfkit): US Letter, a running header with page N of M, contents by country, the published country summary layout.
//
// Why it is laid out as it is:
// - US Letter and the standard Helvetica fonts, as the house's other PDF (nothing read from disk,
//   nothing embedded); text outside their WinAnsi encoding loses its accents or becomes '?'.
// - Each country opens a page, as in the published report (Volume I, section III); its summary is
//   one table, program by program, FY actual then FY planned, each closed by a Totals row, with the
//   published columns: Program | Training sessions | Individual students | Course count | Dollar value.
// - It is laid out twice: a dry run that draws nothing and only moves the pen (text measured with
//   the font's metrics) finds every page break, so the page count and each country's page are
//   known; then the drawing run writes each page once, header ("page N of M") and contents
//   included, and pdfkit flushes it: a thousand-page year never sits in memory whole.
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

/** A contents entry: a part of the report and the page it opens on. */
interface Entry {
  readonly title: string;
  readonly page: number;
}

/**
 * The pen both runs write with. A dry pen draws nothing and adds no page to the document: it only
 * counts pages and moves `doc.y` exactly as drawing would, so the drawing run breaks pages where
 * the dry run did. The wet pen draws, and heads every page it opens as soon as it opens it.
 */
class Pen {
  /** The page the pen is on, from 1. */
  page = 1;
  /** Wrapped-text heights by width, weight and text: shared by both runs and every table. */
  readonly heights = new Map<string, number>();
  /** One-line widths of table cells by weight and text (dates, counts and dollars repeat). */
  private readonly widths = new Map<string, number>();

  constructor(
    readonly doc: Doc,
    readonly dry: boolean,
    private readonly opened: (pen: Pen) => void = () => {},
  ) {}

  newPage(): void {
    this.page += 1;
    if (this.dry) this.doc.y = PAGE.top;
    else {
      this.doc.addPage();
      this.opened(this);
    }
  }

  /** The width of a table cell's text, in the table's font of that weight (which it sets). */
  cellWidth(text: string, kind: Line['kind'] | 'head'): number {
    const key = `${kind === undefined ? '' : 'b'}\u0000${text}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      w = font(this.doc, kind).widthOfString(text);
      this.widths.set(key, w);
    } else font(this.doc, kind);
    return w;
  }

  /** Wrapped text at (x, y): drawn, or only measured, and the pen moved below it either way. */
  text(text: string, x: number, y: number, options: PDFKit.Mixins.TextOptions): void {
    if (this.dry) this.doc.y = y + this.doc.heightOfString(text, options);
    else this.doc.text(text, x, y, options);
  }

  /** One line at (x, y) that fits by construction; the pen does not move. */
  line(text: string, x: number, y: number): void {
    if (this.dry) return;
    const at = this.doc.y;
    this.doc.text(text, x, y, { lineBreak: false });
    this.doc.y = at;
  }
}

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
  const sections = countrySections(report);
  const perPage = Math.floor((bottom(doc) - PAGE.top - 40) / CONTENTS_LINE);
  const contentsPages = Math.max(1, Math.ceil((sections.length + 2) / perPage));

  // The dry run: where every page breaks, how many pages, where each part opens.
  const dry = new Pen(doc, true);
  const entries = draw(dry, report, sections, contentsPages);
  const pages = dry.page;
  doc.x = PAGE.left;
  doc.y = PAGE.top;

  // The drawing run: every page headed when it opens, the contents written on theirs.
  const title = latin(fmtRunningTitle(report));
  const wet = new Pen(doc, false, (pen) => {
    runningHeader(pen, title, pages);
    const contentsPage = pen.page - 2;
    if (contentsPage >= 0 && contentsPage < contentsPages)
      contents(pen, entries, contentsPage, perPage, sections.length === 0);
  });
  wet.heights.clear();
  for (const [key, height] of dry.heights) wet.heights.set(key, height);
  runningHeader(wet, title, pages);
  const drawn = draw(wet, report, sections, contentsPages);
  if (wet.page !== pages || drawn.some((e, i) => e.page !== entries[i]?.page))
    throw new Error('the FMT report PDF broke its pages differently when drawn than when laid out');
  doc.end();
  return done;
}

/** Writes (or, with a dry pen, lays out) the whole report; returns the contents' entries. */
function draw(
  pen: Pen,
  report: FmtReport,
  sections: readonly FmtCountrySection[],
  contentsPages: number,
): Entry[] {
  titleBlock(pen, report);
  // Contents: one line per country, the totals and the exclusions, on pages kept for them.
  const entries: Entry[] = [];
  for (let i = 0; i < contentsPages; i++) pen.newPage();

  pen.newPage();
  entries.push({ title: 'Totals of the report', page: pen.page });
  heading(pen, 'Totals of the report', 16);
  totalsTable(pen, report, 'actual');
  totalsTable(pen, report, 'planned');

  for (const s of sections) {
    pen.newPage();
    entries.push({ title: s.countryName, page: pen.page });
    if (!pen.dry) pen.doc.outline.addItem(s.countryName);
    country(pen, report, s);
  }

  if (report.excluded.length + report.includedOnRequest.length > 0) {
    pen.newPage();
    entries.push({ title: 'Countries left out or included on request', page: pen.page });
    exclusions(pen, report);
  }
  return entries;
}

function width(doc: Doc): number {
  return doc.page.width - PAGE.left - PAGE.right;
}

function bottom(doc: Doc): number {
  return doc.page.height - PAGE.bottom;
}

/** A new page unless `height` more points fit on this one. */
function room(pen: Pen, height: number): void {
  if (pen.doc.y + height > bottom(pen.doc)) pen.newPage();
}

/** A horizontal rule at `y`, drawn only by the drawing run. */
function rule(pen: Pen, y: number, lineWidth: number, color: string): void {
  if (pen.dry) return;
  const w = width(pen.doc);
  pen.doc
    .moveTo(PAGE.left, y)
    .lineTo(PAGE.left + w, y)
    .lineWidth(lineWidth)
    .strokeColor(color)
    .stroke();
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

function titleBlock(pen: Pen, report: FmtReport): void {
  const doc = pen.doc;
  const w = width(doc);
  doc.y = PAGE.top + 60;
  doc.font('Helvetica').fontSize(9).fillColor(GREY);
  pen.text('UNITED STATES DEPARTMENT OF DEFENSE AND DEPARTMENT OF STATE', PAGE.left, doc.y, {
    width: w,
    align: 'center',
    characterSpacing: 0.8,
  });
  doc.moveDown(1.2).font('Helvetica-Bold').fontSize(24).fillColor(NAVY);
  pen.text(FMT_TITLE, PAGE.left, doc.y, { width: w, align: 'center' });
  doc.moveDown(0.3).font('Helvetica').fontSize(14).fillColor(INK);
  pen.text(fmtSubtitle(report), PAGE.left, doc.y, { width: w, align: 'center' });
  doc.moveDown(0.4).fontSize(10).fillColor(GREY);
  pen.text(
    `Report to Congress under 22 U.S.C. 2416 · report year ${report.year}`,
    PAGE.left,
    doc.y,
    { width: w, align: 'center' },
  );
  const ruleY = doc.y + 10;
  rule(pen, ruleY, 1.5, NAVY);
  doc.y = ruleY + 18;
  heading(pen, 'About this report', 12);
  for (const paragraph of fmtPreamble(report)) {
    doc.font('Helvetica').fontSize(10).fillColor(INK);
    pen.text(latin(paragraph), PAGE.left, doc.y, { width: w, lineGap: 2 });
    doc.moveDown(0.6);
  }
  heading(pen, 'The report at a glance', 12);
  const a = report.totals.actual;
  const p = report.totals.planned;
  table(
    pen,
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
  pen.text(
    `${report.countries.length} ${report.countries.length === 1 ? 'country' : 'countries'} reported; ${report.excluded.length} left out under 22 U.S.C. 2416(a)(2); ${report.includedOnRequest.length} included at a committee's request.`,
    PAGE.left,
    doc.y + 4,
    { width: w },
  );
}

function heading(pen: Pen, text: string, size: number): void {
  const doc = pen.doc;
  room(pen, size + 60);
  doc.font('Helvetica-Bold').fontSize(size).fillColor(NAVY);
  pen.text(latin(text), PAGE.left, doc.y, { width: width(doc) });
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

function totalsTable(pen: Pen, report: FmtReport, section: 'actual' | 'planned'): void {
  const doc = pen.doc;
  const fy =
    section === 'actual' ? report.actualPeriod.fiscalYear : report.plannedPeriod.fiscalYear;
  room(pen, 60);
  doc.font('Helvetica-Bold').fontSize(10).fillColor(INK);
  pen.text(`FY${fy} ${section}: totals by country`, PAGE.left, doc.y, {});
  doc.moveDown(0.3);
  table(
    pen,
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

function country(pen: Pen, report: FmtReport, s: FmtCountrySection): void {
  const doc = pen.doc;
  // The name large, its code smaller on the same line; the line is as tall as the code's font.
  const y = doc.y;
  const name = latin(s.countryName);
  doc.font('Helvetica-Bold').fontSize(18).fillColor(NAVY);
  const nameWidth = doc.widthOfString(name);
  pen.line(name, PAGE.left, y);
  doc.font('Helvetica').fontSize(12).fillColor(GREY);
  pen.line(`  ${s.country}`, PAGE.left + nameWidth, y);
  doc.y = y + doc.currentLineHeight(true);
  doc.moveDown(0.8);
  heading(pen, 'Country summary', 11);
  table(
    pen,
    SUMMARY_COLUMNS.map((title, i) => ({ title, width: i === 0 ? 2.2 : 1.2, right: i > 0 })),
    [
      ...summaryLines(`FY${report.actualPeriod.fiscalYear} Actual`, s.actualRows, s.actual),
      ...summaryLines(`FY${report.plannedPeriod.fiscalYear} Planned`, s.plannedRows, s.planned),
    ],
  );
  doc.moveDown(0.8);
  activities(
    pen,
    `Training activities, FY${report.actualPeriod.fiscalYear} (actual)`,
    s.actualActivities,
  );
  activities(
    pen,
    `Training activities, FY${report.plannedPeriod.fiscalYear} (planned)`,
    s.plannedActivities,
  );
}

function activities(pen: Pen, title: string, list: readonly FmtActivity[]): void {
  const doc = pen.doc;
  heading(pen, title, 11);
  if (list.length === 0) {
    doc.font('Helvetica').fontSize(9.5).fillColor(GREY);
    pen.text('None.', PAGE.left, doc.y, {});
    doc.moveDown(0.8);
    return;
  }
  const [course, purpose, location, start, students, units, value] = ACTIVITY_COLUMNS;
  table(
    pen,
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
        a.penaltyCents === 0
          ? `${a.courseId} ${a.courseTitle} (${a.program})`
          : `${a.courseId} ${a.courseTitle} (${a.program}); value includes ${formatUsd(a.penaltyCents)} cancellation penalty`,
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

function exclusions(pen: Pen, report: FmtReport): void {
  const doc = pen.doc;
  heading(pen, 'Countries left out or included on request', 16);
  doc.font('Helvetica').fontSize(10).fillColor(INK);
  pen.text(
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
      pen,
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
      pen,
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
function widths(
  pen: Pen,
  cols: readonly Col[],
  head: readonly string[],
  rows: readonly (readonly string[])[],
): number[] {
  const doc = pen.doc;
  const fixed = cols.map((c, i) => {
    if (c.width !== 'fit') return 0;
    let widest = pen.cellWidth(head[i] ?? '', 'head');
    for (const cells of rows) widest = Math.max(widest, pen.cellWidth(cells[i] ?? '', 'head'));
    return widest + 2 * CELL_PAD + 1;
  });
  const left = width(doc) - fixed.reduce((a, b) => a + b, 0);
  const weights = cols.reduce((n, c) => n + (c.width === 'fit' ? 0 : c.width), 0);
  return cols.map((c, i) => (c.width === 'fit' ? fixed[i]! : (left * c.width) / weights));
}

/** A ruled table: rows wrap and never split; the header row repeats on every page the table runs to. */
function table(pen: Pen, cols: readonly Col[], lines: readonly Line[]): void {
  const doc = pen.doc;
  const texts = (cells: readonly string[]) => cells.map(latin);
  const head = texts(cols.map((c) => c.title));
  const rows = lines.map((line) => texts(line.cells));
  const w = widths(pen, cols, head, rows);
  // Measuring wrapped text is most of the work on a large year, and cells repeat (a school, a
  // fallback purpose): each text is measured once per width and weight, for both runs. A 'fit'
  // column is one line.
  const measured = pen.heights;
  const lineHeight = {
    plain: font(doc, undefined).currentLineHeight(),
    bold: font(doc, 'total').currentLineHeight(),
  };
  const heightOf = (cells: readonly string[], kind: Line['kind'] | 'head') => {
    let tallest = 0;
    cells.forEach((t, i) => {
      let h: number;
      if (cols[i]!.width === 'fit' || t === '')
        h = kind === undefined ? lineHeight.plain : lineHeight.bold;
      else {
        const cw = w[i]! - 2 * CELL_PAD;
        const key = `${cw}\u0000${kind === undefined ? '' : 'b'}\u0000${t}`;
        h = measured.get(key) ?? font(doc, kind).heightOfString(t, { width: cw });
        measured.set(key, h);
      }
      tallest = Math.max(tallest, h);
    });
    return tallest + 2 * CELL_PAD;
  };
  const row = (cells: readonly string[], kind: Line['kind'] | 'head', height: number) => {
    const h = Math.min(height, bottom(doc) - PAGE.top - 40);
    const y = doc.y;
    doc.y = y + h;
    if (pen.dry) return;
    let x = PAGE.left;
    const fill =
      kind === 'head' || kind === 'band' ? BAND : kind === 'total' ? '#f4f6f9' : undefined;
    if (fill !== undefined) doc.rect(PAGE.left, y, width(doc), h).fill(fill);
    // The cells' borders (or the band's one border) as one path, stroked once.
    if (kind === 'band') doc.rect(PAGE.left, y, width(doc), h);
    else {
      let at = PAGE.left;
      for (const cw of w) {
        doc.rect(at, y, cw, h);
        at += cw;
      }
    }
    doc.lineWidth(0.4).strokeColor(LINE).stroke();
    cells.forEach((text, i) => {
      const cw = w[i]!;
      if (text === '') {
        // nothing to write
      } else if (kind === 'band' || (cols[i]!.width === 'fit' && kind !== 'head')) {
        // One line that fits by construction: placed directly, without the line wrapper's cost.
        const right = cols[i]!.right === true && kind !== 'band';
        const at = right ? x + cw - CELL_PAD - pen.cellWidth(text, kind) : x + CELL_PAD;
        font(doc, kind)
          .fillColor(INK)
          .text(text, at, y + CELL_PAD, { lineBreak: false });
      } else {
        font(doc, kind).fillColor(kind === 'head' ? NAVY : INK);
        doc.text(text, x + CELL_PAD, y + CELL_PAD, {
          width: cw - 2 * CELL_PAD,
          height: h - 2 * CELL_PAD + 1,
          align: cols[i]!.right === true ? 'right' : 'left',
          ellipsis: true,
        });
      }
      x += cw;
    });
    doc.y = y + h;
  };
  const headHeight = heightOf(head, 'head');
  room(pen, headHeight + 20);
  row(head, 'head', headHeight);
  lines.forEach((line, n) => {
    const cells = rows[n]!;
    const height = heightOf(cells, line.kind);
    if (doc.y + height > bottom(doc)) {
      pen.newPage();
      row(head, 'head', headHeight);
    }
    row(cells, line.kind, height);
  });
}

/** Writes contents page `index` (from 0), with dotted leaders to each page number. */
function contents(
  pen: Pen,
  entries: readonly Entry[],
  index: number,
  perPage: number,
  empty: boolean,
): void {
  const doc = pen.doc;
  const w = width(doc);
  doc.y = PAGE.top;
  heading(pen, index === 0 ? 'Contents by country' : 'Contents by country (continued)', 16);
  if (index === 0 && empty) {
    doc.font('Helvetica').fontSize(10).fillColor(GREY);
    pen.text('No country has training to report for these years.', PAGE.left, doc.y, {});
    doc.moveDown(0.5);
  }
  entries.slice(index * perPage, (index + 1) * perPage).forEach((entry, i) => {
    const y = PAGE.top + 40 + i * CONTENTS_LINE;
    const number = String(entry.page);
    doc.font('Helvetica').fontSize(10).fillColor(INK);
    const title = latin(entry.title);
    const numberWidth = doc.widthOfString(number);
    const titleWidth = doc.widthOfString(title);
    pen.line(title, PAGE.left, y);
    const dots = Math.max(
      0,
      Math.floor((w - titleWidth - numberWidth - 12) / doc.widthOfString('.')),
    );
    doc.fillColor(LINE);
    pen.line('.'.repeat(dots), PAGE.left + titleWidth + 6, y);
    doc.fillColor(INK);
    pen.line(number, PAGE.left + w - numberWidth, y);
  });
}

/** The running header of the page the pen is on: the report's title on the left, "Page N of M" on the right. */
function runningHeader(pen: Pen, title: string, pages: number): void {
  const doc = pen.doc;
  const w = width(doc);
  const y = 32;
  doc.font('Helvetica').fontSize(8).fillColor(GREY);
  const label = `Page ${pen.page} of ${pages}`;
  const labelWidth = doc.widthOfString(label);
  doc.text(title, PAGE.left, y, { width: w - labelWidth - 12, lineBreak: false, ellipsis: true });
  doc.text(label, PAGE.left + w - labelWidth, y, { lineBreak: false });
  rule(pen, y + 12, 0.5, LINE);
  doc.x = PAGE.left;
  doc.y = PAGE.top;
}
