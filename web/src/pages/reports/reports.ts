// The reports page's form, pure: the choices, what the address says, and the request it makes.
import type { paths } from '../../api/schema.js';

export type ReportBody =
  paths['/api/v1/reports']['post']['requestBody']['content']['application/json'];
export type ReportName = ReportBody['report'];
export type ReportFormat = ReportBody['format'];

export const REPORT_CHOICES: readonly {
  readonly value: ReportName;
  readonly label: string;
  readonly hint: string;
}[] = [
  {
    value: 'fmt',
    label: 'Foreign Military Training report',
    hint: 'The annual report to Congress (22 U.S.C. 2416): training by country and program, every activity, the countries left out',
  },
  {
    value: 'impact',
    label: 'Restriction impact',
    hint: 'Seats, students and money a restriction or a relief reached, by course and status',
  },
  {
    value: 'timeline',
    label: 'Country timeline',
    hint: "A country's restrictions, reliefs, notifications and allocations over time, with a chart",
  },
  {
    value: 'records',
    label: 'Participant records',
    hint: "A country's 22 U.S.C. 2347g records: instruction, dates, completion, last position, findings",
  },
  {
    value: 'prominence',
    label: 'Positions of prominence',
    hint: "A country's participants who hold or held a position of prominence",
  },
];

export const FORMAT_CHOICES: readonly { readonly value: ReportFormat; readonly label: string }[] = [
  { value: 'pdf', label: 'PDF' },
  { value: 'xlsx', label: 'Excel (XLSX)' },
  { value: 'csv', label: 'CSV' },
  { value: 'html', label: 'Web page (HTML)' },
  { value: 'json', label: 'JSON' },
];

/** The form as typed: every field text, as the inputs hold it. */
export interface ReportForm {
  readonly report: ReportName;
  readonly format: ReportFormat;
  readonly year: string;
  readonly restriction: string;
  readonly relief: string;
  readonly country: string;
  readonly from: string;
  readonly to: string;
  readonly unit: string;
}

const TEXT_FIELDS = ['year', 'restriction', 'relief', 'country', 'from', 'to', 'unit'] as const;

/** The form the address asks for; unknown values fall back to the FMT report of the current year. */
export function readReportForm(params: URLSearchParams, todayDate: string): ReportForm {
  const report = REPORT_CHOICES.find((c) => c.value === params.get('report'))?.value ?? 'fmt';
  const format = FORMAT_CHOICES.find((f) => f.value === params.get('format'))?.value ?? 'pdf';
  const text = (name: string) => (params.get(name) ?? '').slice(0, 200);
  return {
    report,
    format,
    year: text('year') || String(Number(todayDate.slice(0, 4))),
    restriction: text('restriction'),
    relief: text('relief'),
    country: text('country').toUpperCase(),
    from: text('from'),
    to: text('to'),
    unit: text('unit'),
  };
}

/** The address of a form: the report, its format and the fields it uses, nothing empty. */
export function writeReportForm(form: ReportForm): URLSearchParams {
  const params = new URLSearchParams({ report: form.report, format: form.format });
  for (const name of TEXT_FIELDS) {
    if (form[name] !== '' && usesField(form.report, name)) params.set(name, form[name]);
  }
  return params;
}

function usesField(report: ReportName, field: (typeof TEXT_FIELDS)[number]): boolean {
  switch (report) {
    case 'fmt':
      return field === 'year';
    case 'impact':
      return field === 'restriction' || field === 'relief';
    case 'timeline':
      return field === 'country' || field === 'from' || field === 'to';
    case 'records':
      return field === 'country' || field === 'unit';
    case 'prominence':
      return field === 'country';
  }
}

/** The request the form makes; the server checks every field and names the one at fault. */
export function reportBody(form: ReportForm): ReportBody {
  /** `{ [name]: value }` when the field was filled in, else nothing (the API takes no empty value). */
  const optional = <K extends string>(name: K, value: string): Partial<Record<K, string>> =>
    value.trim() === '' ? {} : ({ [name]: value.trim() } as Record<K, string>);
  switch (form.report) {
    case 'fmt':
      return { report: 'fmt', year: Number(form.year), format: form.format };
    case 'impact':
      return {
        report: 'impact',
        ...optional('restriction', form.restriction),
        ...optional('relief', form.relief),
        format: form.format,
      };
    case 'timeline':
      return {
        report: 'timeline',
        country: form.country,
        ...optional('from', form.from),
        ...optional('to', form.to),
        format: form.format,
      };
    case 'records':
      return {
        report: 'records',
        country: form.country,
        ...optional('unit', form.unit),
        format: form.format,
      };
    case 'prominence':
      return { report: 'prominence', country: form.country, format: form.format };
  }
}
