// A report document as one self-contained HTML page: styled tables and, for a timeline, the chart
// as inline SVG (no script, so it prints and archives as it is).
import type { ReportDocument, ReportSection } from '../core/reports/report-document.js';
import { alignsRight, displayText } from './document-cells.js';
import { layoutTimelineChart, type ChartLayout, type Shape } from './timeline-chart.js';

const STYLE = `
body { font: 14px/1.4 Helvetica, Arial, sans-serif; color: #111; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; }
h1 { color: #1f3a5f; font-size: 1.5rem; margin: 0 0 .25rem; }
p.subtitle { color: #555; margin: 0 0 1.5rem; border-bottom: 2px solid #1f3a5f; padding-bottom: .5rem; }
h2 { background: #1f3a5f; color: #fff; font-size: .95rem; text-transform: uppercase; letter-spacing: .03em; padding: .3rem .5rem; margin: 2rem 0 .5rem; }
p.note { color: #555; font-size: .85rem; margin: .25rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; font-size: .8rem; }
th, td { border: 1px solid #8a8a8a; padding: .2rem .4rem; vertical-align: top; text-align: left; }
th { background: #e8edf3; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.date { white-space: nowrap; }
tr.totals td { font-weight: bold; background: #e8edf3; }
figure { margin: 0 0 1rem; }
figure svg { width: 100%; height: auto; }
@media print { h2 { break-after: avoid; } tr { break-inside: avoid; } }
`;

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function svgShape(shape: Shape): string {
  switch (shape.type) {
    case 'rect':
      return `<rect x="${shape.x.toFixed(1)}" y="${shape.y.toFixed(1)}" width="${shape.w.toFixed(1)}" height="${shape.h.toFixed(1)}" fill="${shape.fill}"/>`;
    case 'line':
      return `<line x1="${shape.x1.toFixed(1)}" y1="${shape.y1.toFixed(1)}" x2="${shape.x2.toFixed(1)}" y2="${shape.y2.toFixed(1)}" stroke="${shape.stroke}" stroke-width="${shape.width}"/>`;
    case 'text':
      return `<text x="${shape.x.toFixed(1)}" y="${shape.y.toFixed(1)}" font-size="${shape.size}" fill="${shape.fill}" text-anchor="${shape.anchor}"${shape.bold === true ? ' font-weight="bold"' : ''}>${escape(shape.text)}</text>`;
    case 'diamond': {
      const { x, y, r } = shape;
      return `<polygon points="${x},${y - r} ${x + r},${y} ${x},${y + r} ${x - r},${y}" fill="${shape.fill}"/>`;
    }
  }
}

/** The chart as a static SVG element, scaled to the page width by its viewBox. */
export function chartSvg(layout: ChartLayout, title: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${layout.width} ${layout.height.toFixed(0)}" role="img" aria-label="${escape(title)}" font-family="Helvetica, Arial, sans-serif">`,
    `<title>${escape(title)}</title>`,
    ...layout.shapes.map(svgShape),
    '</svg>',
  ].join('\n');
}

function sectionHtml(section: ReportSection): string {
  const cls = (i: number) => {
    const column = section.columns[i]!;
    return alignsRight(column) ? ' class="num"' : column.kind === 'date' ? ' class="date"' : '';
  };
  const head = section.columns.map((c, i) => `<th${cls(i)}>${escape(c.header)}</th>`).join('');
  const row = (cells: readonly (typeof section.rows)[number][number][]) =>
    cells
      .map((cell, i) => `<td${cls(i)}>${escape(displayText(cell, section.columns[i]!))}</td>`)
      .join('');
  const body =
    section.rows.length === 0
      ? [`<tr><td colspan="${section.columns.length}">(none)</td></tr>`]
      : section.rows.map((r) => `<tr>${row(r)}</tr>`);
  const totals =
    section.totals === undefined ? [] : [`<tr class="totals">${row(section.totals)}</tr>`];
  return [
    `<section>`,
    `<h2>${escape(section.heading)}</h2>`,
    ...(section.note === undefined ? [] : [`<p class="note">${escape(section.note)}</p>`]),
    `<table>`,
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>`,
    ...body,
    ...totals,
    `</tbody>`,
    `</table>`,
    `</section>`,
  ].join('\n');
}

/** The document as an HTML page (UTF-8). */
export function renderDocumentHtml(doc: ReportDocument): string {
  const chart =
    doc.chart === undefined
      ? []
      : [`<figure>${chartSvg(layoutTimelineChart(doc.chart, 720), doc.title)}</figure>`];
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escape(doc.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escape(doc.title)}</h1>`,
    `<p class="subtitle">${escape(doc.subtitle)}</p>`,
    ...chart,
    ...doc.sections.map(sectionHtml),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
