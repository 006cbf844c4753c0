// The Foreign Military Training report as one standalone, accessible HTML page: contents by country, captioned tables, no script.
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
  activityValue,
  countrySections,
  fmtPreamble,
  fmtSubtitle,
  measureValues,
  scopeNote,
  type FmtCountrySection,
} from './fmt-layout.js';

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#111;max-width:72rem;margin:0 auto;padding:1.5rem}
h1{color:#1f3a5f;margin-bottom:.2rem}h2{color:#1f3a5f;border-bottom:2px solid #1f3a5f;padding-bottom:.2rem;margin-top:2.5rem}
h3{margin-top:1.5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #8a8a8a;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#e8edf3}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tr.total td,tr.total th{font-weight:700;background:#f4f6f9}
.muted{color:#555}nav ol{columns:3 14rem}
@media print{nav{break-after:page}section.country{break-before:page}}
`;

/** The report as a page of its own (inline style, no script, no outside file). */
export function renderFmtHtml(report: FmtReport): string {
  const sections = countrySections(report);
  const title = `${FMT_TITLE}: ${fmtSubtitle(report)}${scopeNote(report)}`;
  const body = [
    `<header><h1>${esc(FMT_TITLE)}</h1><p class="muted">${esc(fmtSubtitle(report))}${esc(scopeNote(report))}</p></header>`,
    `<main>`,
    ...fmtPreamble(report).map((p) => `<p>${esc(p)}</p>`),
    contents(sections, report),
    totals(report),
    ...sections.map((s) => country(s, report)),
    excluded(report),
    `</main>`,
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}

function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function anchor(iso3: string): string {
  return `country-${iso3.toLowerCase()}`;
}

function contents(sections: readonly FmtCountrySection[], report: FmtReport): string {
  const items = sections.map(
    (s) => `<li><a href="#${anchor(s.country)}">${esc(s.countryName)}</a></li>`,
  );
  const tail = [
    `<li><a href="#totals">Totals of the report</a></li>`,
    ...(report.excluded.length + report.includedOnRequest.length > 0
      ? [`<li><a href="#excluded">Countries left out or included on request</a></li>`]
      : []),
  ];
  return `<nav aria-labelledby="contents"><h2 id="contents">Contents by country</h2>${
    items.length === 0 ? '<p>No country has training to report.</p>' : `<ol>${items.join('')}</ol>`
  }<ul>${tail.join('')}</ul></nav>`;
}

function numberCells(m: FmtMeasures): string {
  const [sessions, students, courses, cents] = measureValues(m);
  return [sessions, students, courses]
    .map((n) => `<td class="n">${n.toLocaleString('en-US')}</td>`)
    .concat(`<td class="n">${formatUsd(cents)}</td>`)
    .join('');
}

function head(columns: readonly string[], numericFrom: number): string {
  return `<thead><tr>${columns
    .map((c, i) => `<th scope="col"${i >= numericFrom ? ' class="n"' : ''}>${esc(c)}</th>`)
    .join('')}</tr></thead>`;
}

function summaryTable(
  caption: string,
  rows: readonly FmtSummaryRow[],
  total: FmtMeasures,
  totalLabel: string,
): string {
  const body = rows.map((r) => `<tr><th scope="row">${esc(r.program)}</th>${numberCells(r)}</tr>`);
  body.push(`<tr class="total"><th scope="row">${esc(totalLabel)}</th>${numberCells(total)}</tr>`);
  return `<table><caption>${esc(caption)}</caption>${head(SUMMARY_COLUMNS, 1)}<tbody>${body.join('')}</tbody></table>`;
}

function totals(report: FmtReport): string {
  const rows = (section: 'actual' | 'planned') =>
    report.countries.map(
      (c) =>
        `<tr><th scope="row"><a href="#${anchor(c.country)}">${esc(c.countryName)}</a></th>${numberCells(c[section])}</tr>`,
    );
  const table = (section: 'actual' | 'planned', fy: number) =>
    `<table><caption>FY${fy} ${section}: totals by country</caption>${head(['Country', ...SUMMARY_COLUMNS.slice(1)], 1)}<tbody>${rows(section).join('')}<tr class="total"><th scope="row">All countries</th>${numberCells(report.totals[section])}</tr></tbody></table>`;
  return `<section aria-labelledby="totals"><h2 id="totals">Totals of the report</h2>${table('actual', report.actualPeriod.fiscalYear)}${table('planned', report.plannedPeriod.fiscalYear)}</section>`;
}

function activityTable(caption: string, activities: readonly FmtActivity[]): string {
  if (activities.length === 0) return `<p>${esc(caption)}: none.</p>`;
  const rows = activities.map(
    (a) =>
      `<tr><th scope="row">${esc(a.courseId)} ${esc(a.courseTitle)}<br><span class="muted">${esc(a.program)}</span></th><td>${esc(a.purpose)}</td><td>${esc(activityLocation(a))}</td><td>${esc(a.classStart)}</td><td class="n">${a.students}</td><td>${a.units.length === 0 ? '<span class="muted">not recorded</span>' : a.units.map(esc).join('<br>')}</td><td class="n">${esc(activityValue(a))}</td></tr>`,
  );
  return `<table><caption>${esc(caption)}</caption>${head(ACTIVITY_COLUMNS, 99)}<tbody>${rows.join('')}</tbody></table>`;
}

function country(s: FmtCountrySection, report: FmtReport): string {
  const a = report.actualPeriod.fiscalYear;
  const p = report.plannedPeriod.fiscalYear;
  return `<section class="country" id="${anchor(s.country)}" aria-labelledby="${anchor(s.country)}-h"><h2 id="${anchor(s.country)}-h">${esc(s.countryName)} <span class="muted">(${esc(s.country)})</span></h2>
<h3>Country summary</h3>
${summaryTable(`${s.countryName}: FY${a} actual`, s.actualRows, s.actual, 'Totals')}
${summaryTable(`${s.countryName}: FY${p} planned`, s.plannedRows, s.planned, 'Totals')}
<h3>Training activities</h3>
${activityTable(`${s.countryName}: FY${a} activities (actual)`, s.actualActivities)}
${activityTable(`${s.countryName}: FY${p} activities (planned)`, s.plannedActivities)}
</section>`;
}

function excluded(report: FmtReport): string {
  if (report.excluded.length + report.includedOnRequest.length === 0) return '';
  const left = report.excluded.map(
    (e) =>
      `<tr><th scope="row">${esc(e.countryName)} (${esc(e.country)})</th><td>${esc(e.reason)}</td></tr>`,
  );
  const asked = report.includedOnRequest.map(
    (r) =>
      `<tr><th scope="row">${esc(r.countryName)} (${esc(r.country)})</th><td>${esc(`requested by the ${r.committee} on ${r.requestedOn}${r.source === null ? '' : ` (${r.source})`}`)}</td></tr>`,
  );
  return `<section aria-labelledby="excluded"><h2 id="excluded">Countries left out or included on request</h2>${
    left.length === 0
      ? ''
      : `<table><caption>Left out of this report (22 U.S.C. 2416(a)(2))</caption>${head(['Country', 'Reason'], 99)}<tbody>${left.join('')}</tbody></table>`
  }${
    asked.length === 0
      ? ''
      : `<table><caption>Included at a committee's request</caption>${head(['Country', 'Request'], 99)}<tbody>${asked.join('')}</tbody></table>`
  }</section>`;
}
