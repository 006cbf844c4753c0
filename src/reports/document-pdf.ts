// A report document as a PDF on US Letter (pdfkit), in the house manner of the travel order:
// Helvetica, navy section bands, ruled tables whose header repeats on every page they reach, a
// running header with the title and "Page N of M" at the foot; a timeline's chart drawn as vectors.
// Dated by the report's as-of day, so the same report gives the same bytes.
import PDFDocument from 'pdfkit';
import type { Cell, ReportDocument, ReportSection } from '../core/reports/report-document.js';
import { alignsRight, displayText } from './document-cells.js';
import { layoutTimelineChart, type Shape } from './timeline-chart.js';

type Doc = PDFKit.PDFDocument;

const MARGIN = { top: 54, left: 40, right: 40, bottom: 50 };
const NAVY = '#1f3a5f';
const INK = '#111111';
const MUTED = '#555555';
const RULE = '#8a8a8a';
const SHADE = '#e8edf3';
const PAD = 3;
const SIZE = 7.5;

/** Text the standard fonts can print (WinAnsi): accents dropped where needed, other scripts '?'. */
function printable(text: string): string {
  const fits = (c: string) =>
    /[\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac\n]/.test(c);
  return [...text.normalize('NFC')]
    .map((c) => {
      if (fits(c)) return c;
      const bare = c.normalize('NFD').replace(/\p{M}+/gu, '');
      return bare !== '' && [...bare].every(fits) ? bare : /\s/.test(c) ? ' ' : '?';
    })
    .join('');
}

function width(doc: Doc): number {
  return doc.page.width - MARGIN.left - MARGIN.right;
}

function limit(doc: Doc): number {
  return doc.page.height - MARGIN.bottom;
}

function newPage(doc: Doc): void {
  doc.addPage();
  doc.y = MARGIN.top;
}

function font(doc: Doc, bold: boolean, size = SIZE): Doc {
  return doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(size);
}

/**
 * Column widths: numbers and dates take their widest value; text columns share what is left by
 * weight, each at least its longest word (capped so one freak word is broken, not the table).
 */
function columnWidths(doc: Doc, section: ReportSection, texts: readonly string[][]): number[] {
  const total = width(doc);
  const measure = (i: number, split: RegExp) =>
    Math.max(
      font(doc, true).widthOfString(
        section.columns[i]!.header.split(/\s+/).sort((a, b) => b.length - a.length)[0] ?? '',
      ),
      ...texts.map((row) =>
        Math.max(
          ...(row[i] ?? '').split(split).map((part) => font(doc, false).widthOfString(part)),
        ),
      ),
    ) +
    2 * PAD +
    3;
  const fixed = section.columns.map((c, i) =>
    c.kind === 'text' ? undefined : Math.min(measure(i, /\n/), total / 5),
  );
  const used = fixed.reduce<number>((sum, w) => sum + (w ?? 0), 0);
  const textColumns = section.columns.flatMap((c, i) => (c.kind === 'text' ? [i] : []));
  const minimum = textColumns.map((i) => Math.min(measure(i, /\s+/), total / 6));
  const weight = textColumns.reduce((sum, i) => sum + (section.columns[i]!.weight ?? 1), 0);
  const left = Math.max(total - used, 0);
  // Weighted shares, raised to each column's minimum and paid for by the others in proportion.
  let shares = textColumns.map((i) => (left * (section.columns[i]!.weight ?? 1)) / weight);
  const raised = shares.map((s, k) => Math.max(s, minimum[k]!));
  const over = raised.reduce((a, b) => a + b, 0) - left;
  if (over > 0) {
    const slack = raised.map((s, k) => s - minimum[k]!);
    const room = slack.reduce((a, b) => a + b, 0);
    shares = raised.map((s, k) => (room > 0 ? s - (over * slack[k]!) / room : s));
  } else shares = raised;
  const widths = section.columns.map((_, i) => fixed[i] ?? shares[textColumns.indexOf(i)]!);
  const sum = widths.reduce((a, b) => a + b, 0);
  return sum > total ? widths.map((w) => (w * total) / sum) : widths;
}

function drawTable(doc: Doc, section: ReportSection): void {
  const texts = [...section.rows, ...(section.totals === undefined ? [] : [section.totals])].map(
    (row) => row.map((cell: Cell, i) => printable(displayText(cell, section.columns[i]!))),
  );
  const widths = columnWidths(doc, section, texts);
  const maxHeight = limit(doc) - MARGIN.top - 60;
  const heightOf = (cells: readonly string[], bold: boolean) =>
    Math.min(
      Math.max(
        ...cells.map((t, i) =>
          font(doc, bold).heightOfString(t || ' ', { width: widths[i]! - 2 * PAD }),
        ),
      ),
      maxHeight,
    ) +
    2 * PAD;
  const drawRow = (cells: readonly string[], bold: boolean, fill?: string) => {
    const height = heightOf(cells, bold);
    let x = MARGIN.left;
    const y = doc.y;
    cells.forEach((text, i) => {
      const w = widths[i]!;
      if (fill !== undefined) doc.rect(x, y, w, height).fill(fill);
      doc.rect(x, y, w, height).lineWidth(0.4).strokeColor(RULE).stroke();
      font(doc, bold).fillColor(INK);
      doc.text(text, x + PAD, y + PAD, {
        width: w - 2 * PAD,
        height: height - 2 * PAD + 1,
        ellipsis: true,
        align: alignsRight(section.columns[i]!) ? 'right' : 'left',
      });
      x += w;
    });
    doc.y = y + height;
  };
  const headers = section.columns.map((c) => printable(c.header));
  const headerHeight = heightOf(headers, true);
  const rows = texts.length === 0 ? [['(none)', ...headers.slice(1).map(() => '')]] : texts;
  const totalsAt = section.totals === undefined ? -1 : rows.length - 1;
  if (doc.y + headerHeight + heightOf(rows[0]!, false) > limit(doc)) newPage(doc);
  drawRow(headers, true, SHADE);
  rows.forEach((cells, r) => {
    const bold = r === totalsAt;
    if (doc.y + heightOf(cells, bold) > limit(doc)) {
      newPage(doc);
      drawRow(headers, true, SHADE);
    }
    drawRow(cells, bold, bold ? SHADE : undefined);
  });
}

function drawHeading(doc: Doc, section: ReportSection): void {
  const height = 15;
  const note =
    section.note === undefined
      ? 0
      : font(doc, false, 7.5).heightOfString(printable(section.note), { width: width(doc) }) + 3;
  // Keep a heading and its note with the start of their table (its header and a row or two).
  if (doc.y + 10 + height + 3 + note + 50 > limit(doc)) newPage(doc);
  else doc.y += 10;
  const y = doc.y;
  doc.rect(MARGIN.left, y, width(doc), height).fill(NAVY);
  font(doc, true, 9).fillColor('#ffffff');
  doc.text(printable(section.heading.toUpperCase()), MARGIN.left + PAD + 2, y + 4, {
    lineBreak: false,
  });
  doc.y = y + height + 3;
  if (section.note !== undefined) {
    font(doc, false, 7.5).fillColor(MUTED);
    doc.text(printable(section.note), MARGIN.left, doc.y, { width: width(doc) });
    doc.y += 3;
  }
}

function drawShape(doc: Doc, shape: Shape, left: number, top: number): void {
  switch (shape.type) {
    case 'rect':
      doc.rect(left + shape.x, top + shape.y, shape.w, shape.h).fill(shape.fill);
      return;
    case 'line':
      doc
        .moveTo(left + shape.x1, top + shape.y1)
        .lineTo(left + shape.x2, top + shape.y2)
        .lineWidth(shape.width)
        .strokeColor(shape.stroke)
        .stroke();
      return;
    case 'diamond': {
      const [x, y, r] = [left + shape.x, top + shape.y, shape.r];
      doc.polygon([x, y - r], [x + r, y], [x, y + r], [x - r, y]).fill(shape.fill);
      return;
    }
    case 'text': {
      const text = printable(shape.text);
      font(doc, shape.bold === true, shape.size).fillColor(shape.fill);
      const w = doc.widthOfString(text);
      const x =
        left + shape.x - (shape.anchor === 'middle' ? w / 2 : shape.anchor === 'end' ? w : 0);
      // pdfkit places text by its top; the layout gives the baseline.
      doc.text(text, x, top + shape.y - shape.size * 0.78, { lineBreak: false });
      return;
    }
  }
}

function drawChart(doc: Doc, report: ReportDocument): void {
  if (report.chart === undefined) return;
  const layout = layoutTimelineChart(report.chart, width(doc));
  if (doc.y + layout.height > limit(doc)) newPage(doc);
  const top = doc.y + 4;
  for (const shape of layout.shapes) drawShape(doc, shape, MARGIN.left, top);
  doc.y = top + layout.height + 4;
}

/** The running header (from page 2) and the footer with "Page N of M" on every buffered page. */
function drawRunning(doc: Doc, report: ReportDocument): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i += 1) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0; // writing in the margins must not start a new page
    const w = width(doc);
    font(doc, false, 7.5).fillColor(MUTED);
    if (i > start) {
      doc.text(printable(report.title), MARGIN.left, MARGIN.top - 24, {
        width: w * 0.7,
        lineBreak: false,
        ellipsis: true,
      });
      doc.text(`as of ${report.asOf}`, MARGIN.left, MARGIN.top - 24, {
        width: w,
        align: 'right',
        lineBreak: false,
      });
      doc
        .moveTo(MARGIN.left, MARGIN.top - 12)
        .lineTo(MARGIN.left + w, MARGIN.top - 12)
        .lineWidth(0.5)
        .strokeColor(RULE)
        .stroke();
    }
    const y = doc.page.height - MARGIN.bottom + 16;
    doc
      .moveTo(MARGIN.left, y - 5)
      .lineTo(MARGIN.left + w, y - 5)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    font(doc, false, 7.5).fillColor(MUTED);
    doc.text('Attaché', MARGIN.left, y, { width: w, lineBreak: false });
    doc.text(`Page ${i - start + 1} of ${count}`, MARGIN.left, y, {
      width: w,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = MARGIN.bottom;
  }
}

/** The document as PDF bytes (US Letter, the orientation the document asks). */
export async function renderDocumentPdf(report: ReportDocument): Promise<Buffer> {
  const dated = new Date(`${report.asOf}T00:00:00Z`);
  const doc = new PDFDocument({
    size: 'LETTER',
    layout: report.orientation,
    margins: MARGIN,
    bufferPages: true,
    lang: 'en-US',
    displayTitle: true,
    info: {
      Title: printable(report.title),
      Subject: printable(report.subtitle),
      Creator: 'Attaché',
      Producer: 'Attaché (PDFKit)',
      CreationDate: dated,
      ModDate: dated,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.y = MARGIN.top;
  font(doc, true, 16).fillColor(NAVY);
  doc.text(printable(report.title), MARGIN.left, doc.y, { width: width(doc) });
  font(doc, false, 9).fillColor(MUTED);
  doc.text(printable(report.subtitle), MARGIN.left, doc.y + 2, { width: width(doc) });
  const rule = doc.y + 4;
  doc
    .moveTo(MARGIN.left, rule)
    .lineTo(MARGIN.left + width(doc), rule)
    .lineWidth(1.5)
    .strokeColor(NAVY)
    .stroke();
  doc.y = rule + 6;
  drawChart(doc, report);
  for (const section of report.sections) {
    drawHeading(doc, section);
    drawTable(doc, section);
  }
  drawRunning(doc, report);
  doc.end();
  return done;
}
