// The invitational travel order (ITO) as a PDF form on US Letter, reproducible byte for byte.
//
// Why it is laid out as it is:
// - US Letter, because the order is a US government document printed in US offices.
// - The standard PDF fonts (Helvetica) so nothing is read from disk and no font is embedded;
//   they encode WinAnsi (Latin-1 plus typographic marks) only, which covers passport
//   romanisations (the machine-readable zone is ASCII) but not other scripts.
//   Other letters are printed without their accents (Ş as S) and other scripts as '?', rather
//   than as the garbage pdfkit would otherwise emit; the PDF's Subject keeps the name as given.
// - The PDF's CreationDate and ModDate are the order's issue date, and pdfkit derives the file
//   ID from that info, so the same order gives the same bytes (on the same pdfkit and zlib).
// - Core keeps intervals half-open; the form shows last days ("to 2021-06-11") because that is
//   how a reader takes a date range, and says so in the column and field labels.
import PDFDocument from 'pdfkit';
import { addDays } from '../core/dates.js';
import { formatUsd } from '../core/money.js';
import type { TravelOrder } from '../core/students/travel-order.js';

const MARGIN = { top: 50, left: 50, right: 50, bottom: 62 };
const NAVY = '#1f3a5f';
const INK = '#111111';
const MUTED = '#555555';
const RULE = '#8a8a8a';
const SHADE = '#e8edf3';
const PAD = 4;
const NONE = '—';

type Doc = PDFKit.PDFDocument;

interface Field {
  readonly label: string;
  readonly value: string | null;
  /** Share of the row's width. */
  readonly span: number;
}

interface Column {
  readonly header: string;
  /** 'fit' sizes the column to its widest cell; a number shares what is left by weight. */
  readonly width: 'fit' | number;
  readonly align?: 'left' | 'right';
}

interface Row {
  readonly cells: readonly string[];
  readonly bold?: boolean;
}

/** The order as a PDF document (US Letter), deterministic: the same order gives the same bytes. */
export async function renderTravelOrderPdf(order: TravelOrder): Promise<Buffer> {
  const issued = new Date(`${order.issuedOn}T00:00:00Z`);
  const doc = new PDFDocument({
    size: 'LETTER',
    margins: MARGIN,
    bufferPages: true,
    lang: 'en-US',
    displayTitle: true,
    info: {
      Title: `Invitational travel order ${order.number} ${revisionLabel(order.revision)}`,
      Subject: `${order.student.familyName.toUpperCase()}, ${order.student.givenNames}`,
      Creator: 'Attaché',
      Producer: 'Attaché (PDFKit)',
      CreationDate: issued,
      ModDate: issued,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  drawOrder(doc, mapStrings(order, winAnsi));
  drawFooters(doc, `${order.number} · ${revisionLabel(order.revision)}`);
  doc.end();
  return done;
}

function drawOrder(doc: Doc, order: TravelOrder): void {
  const { student, allowance: tla } = order;
  drawTitle(doc, order);

  heading(doc, 1, 'Student');
  fields(doc, [
    {
      label: 'Name (family, given)',
      value: `${student.familyName.toUpperCase()}, ${student.givenNames}`,
      span: 3,
    },
    { label: 'Country', value: `${student.countryName} (${student.country})`, span: 2 },
  ]);
  fields(doc, [
    { label: 'Rank', value: student.rank, span: 1.6 },
    { label: 'US-equivalent grade', value: student.usGrade, span: 1.4 },
    { label: 'Service', value: student.service, span: 2 },
    { label: 'Service number', value: student.serviceNumber, span: 1.5 },
  ]);
  fields(doc, [
    { label: 'Unit', value: student.unit, span: 3 },
    { label: 'Date of birth', value: student.birthDate, span: 1 },
    { label: 'Place of birth', value: student.birthPlace, span: 2 },
  ]);
  fields(doc, [
    { label: 'Passport number', value: student.passportNumber, span: 1 },
    { label: 'Passport expires', value: student.passportExpiresOn, span: 1 },
    { label: 'Visa issued', value: student.visaIssuedOn, span: 1 },
    { label: 'Visa valid until', value: student.visaValidUntil, span: 1 },
  ]);

  heading(doc, 2, 'Report to');
  fields(doc, [
    { label: 'Report on', value: order.reportTo.date, span: 1 },
    { label: 'Installation', value: order.reportTo.installation, span: 2 },
    { label: 'School', value: order.reportTo.school, span: 3 },
  ]);

  heading(doc, 3, 'Training');
  table(
    doc,
    [
      { header: 'Course', width: 'fit' },
      { header: 'Title', width: 3 },
      { header: 'School', width: 2 },
      { header: 'Location', width: 1.6 },
      { header: 'Starts', width: 'fit' },
      { header: 'Last day', width: 'fit' },
      { header: 'Weeks', width: 'fit', align: 'right' },
      { header: 'Program', width: 'fit' },
      { header: 'Tuition', width: 'fit', align: 'right' },
    ],
    [
      ...order.lines.map((line) => ({
        cells: [
          line.courseId,
          line.title,
          line.schoolName,
          line.location,
          line.classStart,
          addDays(line.classEnd, -1),
          String(line.lengthWeeks),
          `${line.program}\nFY${line.fiscalYear}`,
          formatUsd(line.tuitionCents),
        ],
      })),
      {
        cells: ['', 'Tuition total', '', '', '', '', '', '', formatUsd(order.tuitionCents)],
        bold: true,
      },
    ],
  );

  heading(doc, 4, 'Funding');
  fields(doc, [
    { label: 'Tuition (total of section 3)', value: formatUsd(order.tuitionCents), span: 1 },
    { label: 'Travel and living allowance (total)', value: formatUsd(tla.totalCents), span: 1 },
  ]);
  fields(doc, [
    { label: 'Allowance installation', value: tla.installation, span: 3 },
    { label: 'Paid from', value: tla.from, span: 1 },
    { label: 'Paid to (last day)', value: tla.days > 0 ? addDays(tla.until, -1) : null, span: 1 },
    { label: 'Days', value: String(tla.days), span: 0.7 },
  ]);
  table(
    doc,
    [
      { header: 'Allowance component', width: 1 },
      { header: 'Per day', width: 'fit', align: 'right' },
      { header: 'Amount', width: 'fit', align: 'right' },
    ],
    [
      { cells: ['Lodging', formatUsd(tla.perDay.lodgingCents), formatUsd(tla.lodgingCents)] },
      { cells: ['Meals', formatUsd(tla.perDay.mealsCents), formatUsd(tla.mealsCents)] },
      {
        cells: [
          'Incidentals',
          formatUsd(tla.perDay.incidentalsCents),
          formatUsd(tla.incidentalsCents),
        ],
      },
      {
        cells: [
          `Dependents (${order.dependentsAuthorised} authorised)`,
          NONE,
          formatUsd(tla.dependentsCents),
        ],
      },
      { cells: ['Travel and living allowance total', '', formatUsd(tla.totalCents)], bold: true },
    ],
  );
  label(doc, 'Basis of the allowance');
  for (const sentence of tla.basis) paragraph(doc, sentence, '•');

  heading(doc, 5, 'Dependents');
  fields(doc, [
    { label: 'Authorised', value: String(order.dependentsAuthorised), span: 1 },
    { label: 'Note', value: order.dependentsNote, span: 5 },
  ]);

  heading(doc, 6, 'Medical terms');
  paragraph(doc, order.medicalTerms);

  heading(doc, 7, 'English');
  paragraph(doc, order.englishNote);

  heading(doc, 8, 'Screening gates');
  table(
    doc,
    [
      { header: 'Gate', width: 2 },
      { header: 'Status', width: 1.4 },
      { header: 'Reason', width: 5 },
    ],
    order.gates.map((g) => ({ cells: [g.gate, g.status, g.reason] })),
  );

  heading(doc, 9, 'Defense attaché consulted');
  fields(doc, [
    { label: 'Name', value: order.attache.name, span: 3 },
    { label: 'Consulted on', value: order.attache.consultedOn, span: 1 },
  ]);
}

/** Letters the standard fonts can print (WinAnsi); others lose their accents or become '?'. */
function winAnsi(text: string): string {
  const printable = (c: string) =>
    (c >= ' ' && c <= '~') || (c >= '\u00a0' && c <= '\u00ff') || WIN_ANSI_EXTRA.includes(c);
  return [...text.normalize('NFC')]
    .map((c) => {
      if (printable(c)) return c;
      if (/\s/.test(c)) return ' ';
      const bare = c.normalize('NFD').replace(/\p{M}+/gu, '');
      return [...bare].every(printable) && bare !== '' ? bare : '?';
    })
    .join('');
}
const WIN_ANSI_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ\n';

/** Plain data with every string passed through `f`. */
function mapStrings<T>(value: T, f: (text: string) => string): T {
  if (typeof value === 'string') return f(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => mapStrings(item, f)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)])) as T;
  }
  return value;
}

function revisionLabel(revision: number): string {
  return revision > 0 ? `Amendment ${revision}` : 'Original';
}

function drawTitle(doc: Doc, order: TravelOrder): void {
  const width = contentWidth(doc);
  doc.font('Helvetica').fontSize(7.5).fillColor(MUTED);
  doc.text(
    'UNITED STATES SECURITY COOPERATION · INTERNATIONAL MILITARY TRAINING',
    MARGIN.left,
    doc.y,
    {
      width,
      align: 'center',
      characterSpacing: 0.6,
    },
  );
  doc.moveDown(0.3).font('Helvetica-Bold').fontSize(18).fillColor(NAVY);
  doc.text('INVITATIONAL TRAVEL ORDER', MARGIN.left, doc.y, { width, align: 'center' });
  const ruleY = doc.y + 4;
  doc
    .moveTo(MARGIN.left, ruleY)
    .lineTo(MARGIN.left + width, ruleY)
    .lineWidth(2)
    .strokeColor(NAVY)
    .stroke();
  doc.lineWidth(0.5);
  doc.y = ruleY + 8;
  fields(doc, [
    { label: 'Order number', value: order.number, span: 2 },
    { label: 'Revision', value: revisionLabel(order.revision), span: 1.2 },
    { label: 'Issued on', value: order.issuedOn, span: 1 },
    { label: 'Seat', value: order.seatId, span: 1.8 },
  ]);
  if (order.revision > 0) {
    const reason = order.amendmentReason ?? 'no reason recorded';
    fields(doc, [{ label: `Amendment ${order.revision}: reason`, value: reason, span: 1 }], SHADE);
  }
  if (order.lateReason !== null) {
    const start = order.lines[0]?.classStart;
    const label = `Issued late${start === undefined ? '' : ` (class started ${start})`}: reason`;
    fields(doc, [{ label, value: order.lateReason, span: 1 }], SHADE);
  }
}

function contentWidth(doc: Doc): number {
  return doc.page.width - MARGIN.left - MARGIN.right;
}

function bottom(doc: Doc): number {
  return doc.page.height - MARGIN.bottom;
}

/** Starts a new page unless `height` more points fit on this one. */
function ensure(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) {
    doc.addPage();
    doc.y = MARGIN.top;
  }
}

function heading(doc: Doc, n: number, title: string): void {
  const height = 17;
  ensure(doc, height + 40); // keep a heading with the start of its section
  doc.y += 8;
  const y = doc.y;
  doc.rect(MARGIN.left, y, contentWidth(doc), height).fill(NAVY);
  doc.font('Helvetica-Bold').fontSize(9.5).fillColor('#ffffff');
  doc.text(`${n}   ${title.toUpperCase()}`, MARGIN.left + PAD + 2, y + 4.5, { lineBreak: false });
  doc.y = y + height;
}

function label(doc: Doc, text: string): void {
  ensure(doc, 30);
  doc.y += 6;
  doc.font('Helvetica-Bold').fontSize(7).fillColor(MUTED);
  doc.text(text.toUpperCase(), MARGIN.left, doc.y, {
    width: contentWidth(doc),
    characterSpacing: 0.3,
  });
  doc.y += 2;
}

/** A paragraph that flows across pages (pdfkit breaks it at the bottom margin), with an optional bullet. */
function paragraph(doc: Doc, text: string, bullet?: string): void {
  const indent = bullet === undefined ? 0 : 12;
  doc.font('Helvetica').fontSize(9.5).fillColor(INK);
  ensure(doc, doc.currentLineHeight(true) + 4);
  doc.y += 4;
  if (bullet !== undefined) doc.text(bullet, MARGIN.left + 2, doc.y, { lineBreak: false });
  doc.text(text || NONE, MARGIN.left + indent, doc.y, {
    width: contentWidth(doc) - indent,
    lineGap: 1.5,
  });
}

/** One row of boxed form fields: a small label over each value; labels and values wrap. */
function fields(doc: Doc, row: readonly Field[], fill?: string): void {
  const width = contentWidth(doc);
  const total = row.reduce((sum, f) => sum + f.span, 0);
  const inner = row.map((f) => (f.span / total) * width - 2 * PAD);
  doc.font('Helvetica').fontSize(6.5);
  const labelHeight =
    Math.max(
      ...row.map((f, i) => doc.heightOfString(f.label.toUpperCase(), { width: inner[i]! })),
    ) + 2;
  doc.font('Helvetica').fontSize(9.5);
  const valueHeight = Math.max(
    ...row.map((f, i) => doc.heightOfString(f.value ?? NONE, { width: inner[i]! })),
  );
  // A value taller than a page is cut with an ellipsis rather than drawn past the margin.
  const shown = Math.min(valueHeight, bottom(doc) - MARGIN.top - labelHeight - 2 * PAD);
  const height = shown + labelHeight + 2 * PAD;
  ensure(doc, height);
  const y = doc.y;
  let x = MARGIN.left;
  row.forEach((f, i) => {
    const w = inner[i]! + 2 * PAD;
    if (fill !== undefined) doc.rect(x, y, w, height).fill(fill);
    doc.rect(x, y, w, height).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.font('Helvetica').fontSize(6.5).fillColor(MUTED);
    doc.text(f.label.toUpperCase(), x + PAD, y + PAD - 1, { width: inner[i]! });
    doc.font('Helvetica').fontSize(9.5).fillColor(INK);
    doc.text(f.value ?? NONE, x + PAD, y + PAD + labelHeight - 1, {
      width: inner[i]!,
      height: shown + 1,
      ellipsis: true,
    });
    x += w;
  });
  doc.y = y + height;
}

const TABLE_SIZE = 8.5;

function tableFont(doc: Doc, bold: boolean): Doc {
  return doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(TABLE_SIZE);
}

/** A ruled table; rows wrap, never split, and the header repeats on each new page. */
function table(doc: Doc, columns: readonly Column[], rows: readonly Row[]): void {
  const widths = columnWidths(doc, columns, rows);
  const inner = (i: number) => widths[i]! - 2 * PAD;
  // A row taller than a page is cut with an ellipsis rather than drawn past the margin.
  const textHeight = (cells: readonly string[], bold: boolean) =>
    Math.min(
      Math.max(...cells.map((t, i) => tableFont(doc, bold).heightOfString(t, { width: inner(i) }))),
      bottom(doc) - MARGIN.top - 40,
    );
  const drawRow = (cells: readonly string[], bold: boolean, fill?: string) => {
    const shown = textHeight(cells, bold);
    const height = shown + 2 * PAD;
    const y = doc.y;
    let x = MARGIN.left;
    columns.forEach((c, i) => {
      if (fill !== undefined) doc.rect(x, y, widths[i]!, height).fill(fill);
      doc.rect(x, y, widths[i]!, height).lineWidth(0.5).strokeColor(RULE).stroke();
      tableFont(doc, bold).fillColor(INK);
      const options = { width: inner(i), height: shown + 1, ellipsis: true };
      doc.text(cells[i] ?? '', x + PAD, y + PAD, { ...options, align: c.align ?? 'left' });
      x += widths[i]!;
    });
    doc.y = y + height;
  };
  const headers = columns.map((c) => c.header);
  const headerHeight = textHeight(headers, true) + 2 * PAD;
  const first = rows[0];
  ensure(doc, headerHeight + (first ? textHeight(first.cells, first.bold === true) + 2 * PAD : 0));
  drawRow(headers, true, SHADE);
  if (first === undefined) drawRow(['(none)', ...headers.slice(1).map(() => '')], false);
  for (const row of rows) {
    const bold = row.bold === true;
    if (doc.y + textHeight(row.cells, bold) + 2 * PAD > bottom(doc)) {
      doc.addPage();
      doc.y = MARGIN.top;
      drawRow(headers, true, SHADE);
    }
    drawRow(row.cells, bold, bold ? SHADE : undefined);
  }
}

/**
 * Fit columns take their widest line; the others share the rest by weight, but never less than
 * their longest word (capped, so a freak word is broken rather than pushing the table off the page).
 */
function columnWidths(doc: Doc, columns: readonly Column[], rows: readonly Row[]): number[] {
  const total = contentWidth(doc);
  const widest = (i: number, split: RegExp) =>
    Math.max(
      ...[{ cells: columns.map((c) => c.header), bold: true }, ...rows].flatMap((r) =>
        (r.cells[i] ?? '')
          .split(split)
          .map((part) => tableFont(doc, r.bold === true).widthOfString(part)),
      ),
    ) +
    2 * PAD +
    4; // pdfkit measures a word with its trailing space when it decides to wrap
  const settled = new Map<number, number>();
  columns.forEach((c, i) => {
    if (c.width === 'fit') settled.set(i, Math.min(total / 4, widest(i, /\n/)));
  });
  for (;;) {
    const left = total - [...settled.values()].reduce((a, b) => a + b, 0);
    const weight = columns.reduce(
      (sum, c, i) => sum + (settled.has(i) || c.width === 'fit' ? 0 : c.width),
      0,
    );
    const share = (c: Column) => (c.width === 'fit' ? 0 : (c.width / weight) * left);
    const short = columns.findIndex(
      (c, i) => !settled.has(i) && share(c) < Math.min(total / 5, widest(i, /\s+/)),
    );
    if (short === -1) return columns.map((c, i) => settled.get(i) ?? share(c));
    settled.set(short, Math.min(total / 5, widest(short, /\s+/)));
  }
}

/** Stamps each buffered page with the order's number and "Page X of Y" below the bottom margin. */
function drawFooters(doc: Doc, reference: string): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i += 1) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0; // writing below the margin must not start a new page
    const y = doc.page.height - MARGIN.bottom + 18;
    const width = contentWidth(doc);
    doc
      .moveTo(MARGIN.left, y - 5)
      .lineTo(MARGIN.left + width, y - 5)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    doc.font('Helvetica').fontSize(8).fillColor(MUTED);
    doc.text(`Invitational travel order ${reference}`, MARGIN.left, y, { width, lineBreak: false });
    doc.text(`Page ${i - start + 1} of ${count}`, MARGIN.left, y, {
      width,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = MARGIN.bottom;
  }
}
