// The columns of the course, student, allocation and training-line files, and their rows read into values.
import { COURSE_CATEGORIES, PRIORITIES } from '../training.js';
import { PROGRAMS } from '../programs.js';
import type { RowError } from './import-report.js';

/** What a file of the program's own entities holds (the budget tables are the other import). */
export const ENTITY_KINDS = ['courses', 'students', 'allocations', 'lines'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** How a cell is read and written: numbers are numbers in XLSX, everything else text. */
export type ColumnType = 'text' | 'integer' | 'dollars' | 'date' | 'boolean' | 'list';

export interface ColumnSpec {
  /** The header, exactly (case and spaces included) as the file must spell it. */
  readonly name: string;
  readonly type: ColumnType;
  readonly required: boolean;
  readonly meaning: string;
  /** The values allowed, in words (for the template's README). */
  readonly allowed: string;
}

/**
 * Bounds of one file: beyond them the file is refused as a whole, before a row is read. 20,000
 * rows is more than a year of a large country's students; a cell holds at most the longest text
 * any field of the record takes.
 */
export const IMPORT_LIMITS = { rows: 20_000, cellCharacters: 10_000, bytes: 20 * 1024 * 1024 };

const col = (
  name: string,
  type: ColumnType,
  required: boolean,
  meaning: string,
  allowed: string,
): ColumnSpec => ({ name, type, required, meaning, allowed });

const YES_NO = 'yes or no (true/false, 1/0); blank is no';
const ISO_DATE = 'a date YYYY-MM-DD (or a spreadsheet date)';
const COUNTRY = 'ISO 3166-1 alpha-3 code, e.g. PAK';
const DOLLARS_TEXT = 'US dollars, 0 or more, at most two decimals, e.g. 50430.50';

export const ENTITY_COLUMNS: Readonly<Record<EntityKind, readonly ColumnSpec[]>> = {
  courses: [
    col(
      'id',
      'text',
      true,
      'course id (matches an existing course)',
      '2–20 letters, digits or dashes',
    ),
    col('title', 'text', true, 'course title', 'text, at most 300 characters'),
    col('school', 'text', true, 'school id', 'a school of the catalog'),
    col('category', 'text', true, 'course category', COURSE_CATEGORIES.join(', ')),
    col('eImet', 'boolean', false, 'an E-IMET course', YES_NO),
    col('dedicated', 'boolean', false, 'international students only', YES_NO),
    col('lengthWeeks', 'integer', true, 'length in weeks', 'a whole number 1–260'),
    col('eclMin', 'integer', false, 'minimum ECL score', 'blank or a whole number 0–100'),
    col('opiMin', 'text', false, 'minimum OPI (listening/speaking)', 'blank or e.g. 2/2, 2+/2'),
    col(
      'tuition',
      'list',
      false,
      'tuition per seat by fiscal year, in dollars (entries not named are kept)',
      'FY=DOLLARS separated by ";", e.g. 2019=50430.50; 2020=51000',
    ),
    col(
      'tuitionIllustrative',
      'boolean',
      false,
      'the tuition figures are estimates, not published rates',
      YES_NO,
    ),
    col('retiredOn', 'date', false, 'first day the course is no longer offered', ISO_DATE),
    col('source', 'text', false, 'where the facts come from', 'text'),
  ],
  students: [
    col(
      'id',
      'text',
      false,
      'student id (from an export); blank: matched by country, names and birth date, or new',
      'an id such as stu_…, or blank',
    ),
    col('country', 'text', true, 'country of the student', COUNTRY),
    col('familyName', 'text', true, 'family name', 'text, at most 100 characters'),
    col('givenNames', 'text', true, 'given names', 'text, at most 200 characters'),
    col('nameVariants', 'list', false, 'other spellings of the name', 'names separated by ";"'),
    col('birthDate', 'date', false, 'date of birth', ISO_DATE),
    col('birthPlace', 'text', false, 'place of birth', 'text'),
    col('service', 'text', false, 'military service', 'text, at most 100 characters'),
    col('rank', 'text', false, 'rank in their service', 'text, at most 100 characters'),
    col('usGrade', 'text', false, 'US-equivalent pay grade', 'O-1…O-10, W-1…W-5, E-1…E-9'),
    col('unit', 'text', false, 'unit', 'text, at most 200 characters'),
    col('contact', 'text', false, 'contact details', 'text'),
    col('passportNumber', 'text', false, 'passport number', 'text, at most 30 characters'),
    col('passportExpiresOn', 'date', false, 'passport expiry', ISO_DATE),
    col('serviceNumber', 'text', false, 'service number', 'text, at most 50 characters'),
  ],
  allocations: [
    col('country', 'text', true, 'country allocated to', COUNTRY),
    col('program', 'text', true, 'security-assistance program', PROGRAMS.join(', ')),
    col('fiscalYear', 'integer', true, 'fiscal year (FY N: 1 Oct N-1 to 30 Sep N)', '1950–2100'),
    col(
      'amount',
      'dollars',
      true,
      'the allocation; the same amount as recorded is unchanged',
      DOLLARS_TEXT,
    ),
    col('reason', 'text', true, 'why the amount is set or changed', 'text'),
    col(
      'notified',
      'date',
      false,
      'congressional notification date: the change takes effect when its waiting period ends',
      `${ISO_DATE}; required when the change needs a notification`,
    ),
    col(
      'waitDays',
      'integer',
      false,
      'waiting period after the notification (default 15)',
      'a whole number of days, only with notified',
    ),
    col('source', 'text', false, 'document, statement or link', 'text'),
  ],
  lines: [
    col(
      'id',
      'text',
      false,
      'training line id (from an export); blank: matched by country, FY, course, program and class start, or new',
      'an id such as tl_…, or blank',
    ),
    col('country', 'text', true, 'country the seats are for', COUNTRY),
    col('fiscalYear', 'integer', true, 'fiscal year the class starts in', '1950–2100'),
    col('course', 'text', true, 'course id', 'a course of the catalog with tuition for the FY'),
    col('program', 'text', false, 'program paying (default IMET)', PROGRAMS.join(', ')),
    col('classStart', 'date', true, 'class start date', `${ISO_DATE}, within the fiscal year`),
    col('seats', 'integer', true, 'number of seats', 'a whole number 1–500'),
    col('priority', 'text', true, 'priority', PRIORITIES.join(', ')),
    col('allowance', 'dollars', false, 'travel and living allowance per seat', DOLLARS_TEXT),
    col(
      'purpose',
      'text',
      false,
      'purpose or foreign-policy justification (the FMT report); the one field an import changes on an existing line',
      'text',
    ),
  ],
};

/** The sheet an XLSX file holds the rows in (else its first sheet), and the export's file stem. */
export const SHEET_NAMES: Readonly<Record<EntityKind, string>> = {
  courses: 'courses',
  students: 'students',
  allocations: 'allocations',
  lines: 'lines',
};

/**
 * Where an error of a record's checks lands in the file: the checks name their fields as the API
 * does, the file names its columns; a field not listed is its own column.
 */
const FIELD_COLUMNS: Readonly<Record<EntityKind, Readonly<Record<string, string>>>> = {
  courses: { ecl: 'eclMin', opi: 'opiMin', on: 'retiredOn' },
  students: {},
  allocations: { amountCents: 'amount', fy: 'fiscalYear' },
  lines: { fy: 'fiscalYear', start: 'classStart', allowanceCents: 'allowance', id: 'id' },
};

/** The column of `kind` a check's field names, or `*` (the whole row) when it names none of them. */
export function columnOfField(kind: EntityKind, field: string | undefined): string {
  if (field === undefined) return '*';
  const name = FIELD_COLUMNS[kind][field] ?? field;
  return ENTITY_COLUMNS[kind].some((c) => c.name === name) ? name : '*';
}

/** A record's refusal of a row (its checks name a field) as the row's error, on the field's column. */
export function rowRefusal(
  kind: EntityKind,
  row: number,
  error: { readonly field?: string | undefined; readonly message: string },
): RowError[] {
  return [{ row, column: columnOfField(kind, error.field), message: error.message }];
}

/** A row of a file: its number as a spreadsheet shows it and its cells by header (text, trimmed). */
export interface SheetRow {
  readonly row: number;
  readonly cells: Readonly<Record<string, string>>;
}

/**
 * The header's refusals: a column the kind does not know (named, with the known ones), a required
 * column missing, a column given twice. Row 1 is the header in the errors.
 */
export function checkHeader(kind: EntityKind, header: readonly string[], row = 1): RowError[] {
  const specs = ENTITY_COLUMNS[kind];
  const known = new Set(specs.map((c) => c.name));
  const errors: RowError[] = [];
  const seen = new Set<string>();
  for (const name of header) {
    if (name === '') continue;
    if (!known.has(name)) {
      errors.push({
        row,
        column: name,
        message: `unknown column "${name}" for ${kind} (the columns are ${specs.map((c) => c.name).join(', ')})`,
      });
    } else if (seen.has(name)) {
      errors.push({ row, column: name, message: `column "${name}" is given twice` });
    }
    seen.add(name);
  }
  for (const spec of specs) {
    if (spec.required && !seen.has(spec.name))
      errors.push({ row, column: spec.name, message: `required column "${spec.name}" is missing` });
  }
  return errors;
}

const DOLLARS = /^(\d{1,13})(?:\.(\d{1,2}))?$/;

/** Dollars as a cell holds them (`50430.5`, `$1,200.00`) to exact cents, or undefined. */
export function dollarsCents(text: string): number | undefined {
  const match = DOLLARS.exec(text.replace(/^\$/, '').replaceAll(',', ''));
  if (match === null) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** Cents as a cell shows dollars: `50430.50`. */
export function centsText(cents: number): string {
  return `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** Reads a row's cells by type, collecting each bad cell as a RowError. */
export class CellReader {
  readonly errors: RowError[] = [];
  constructor(private readonly row: SheetRow) {}

  private fail(column: string, message: string): undefined {
    this.errors.push({ row: this.row.row, column, message });
    return undefined;
  }

  /** The cell's text; blank is `''`. */
  text(column: string): string {
    return this.row.cells[column] ?? '';
  }

  optionalText(column: string): string | null {
    const value = this.text(column);
    return value === '' ? null : value;
  }

  integer(column: string): number | undefined {
    const value = this.text(column);
    if (value === '') return undefined;
    if (!/^-?\d{1,15}$/.test(value)) return this.fail(column, `a whole number (got "${value}")`);
    return Number(value);
  }

  dollars(column: string): number | undefined {
    const value = this.text(column);
    if (value === '') return undefined;
    const cents = dollarsCents(value);
    return cents ?? this.fail(column, `${DOLLARS_TEXT} (got "${value}")`);
  }

  boolean(column: string): boolean {
    const value = this.text(column).toLowerCase();
    if (['', 'no', 'false', '0', 'n'].includes(value)) return false;
    if (['yes', 'true', '1', 'y'].includes(value)) return true;
    this.fail(column, `yes or no (got "${this.text(column)}")`);
    return false;
  }

  list(column: string): string[] {
    return this.text(column)
      .split(';')
      .map((v) => v.trim())
      .filter((v) => v !== '');
  }

  /** `FY=DOLLARS; …` entries of a tuition cell. */
  tuition(column: string): { fiscalYear: number; cents: number }[] {
    const entries: { fiscalYear: number; cents: number }[] = [];
    for (const entry of this.list(column)) {
      const match = /^(?:FY)?(\d{4})\s*[=:]\s*(.+)$/i.exec(entry);
      const cents = match === null ? undefined : dollarsCents(match[2]!.trim());
      if (match === null || cents === undefined) {
        this.fail(column, `tuition is FY=DOLLARS entries, e.g. 2019=50430.50 (got "${entry}")`);
        continue;
      }
      entries.push({ fiscalYear: Number(match[1]), cents });
    }
    return entries;
  }
}

/**
 * The rows whose key another row of the file has too, each refused with the row it repeats: one
 * record set twice in a file would be an order the file does not state. `keyOf` answers undefined
 * for a row without a key (a new record with no natural key).
 */
export function duplicateKeys(
  rows: readonly SheetRow[],
  keyOf: (row: SheetRow) => string | undefined,
  column: string,
  what: string,
): RowError[] {
  const first = new Map<string, number>();
  const errors: RowError[] = [];
  for (const row of rows) {
    const key = keyOf(row);
    if (key === undefined) continue;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, row.row);
    else
      errors.push({
        row: row.row,
        column,
        message: `${what} ${key} is in rows ${earlier} and ${row.row}: give it once`,
      });
  }
  return errors;
}

const upper = (text: string) => text.trim().toUpperCase();
const folded = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');

/** The key a row of `kind` is matched on within a file (rows with the same key are refused). */
export function rowKey(kind: EntityKind, row: SheetRow): string | undefined {
  const c = (name: string) => row.cells[name] ?? '';
  switch (kind) {
    case 'courses':
      return c('id') === '' ? undefined : upper(c('id'));
    case 'students':
      return c('id') !== ''
        ? c('id')
        : `${upper(c('country'))} ${folded(c('familyName'))}, ${folded(c('givenNames'))} born ${c('birthDate') || 'unknown'}`;
    case 'allocations':
      return `${upper(c('country'))} ${upper(c('program'))} FY${c('fiscalYear')}`;
    case 'lines':
      return c('id') !== '' ? c('id') : lineNaturalKey(row.cells);
  }
}

/** A line without an id: country, FY, course, program and class start. */
export function lineNaturalKey(cells: Readonly<Record<string, string>>): string {
  const c = (name: string) => cells[name] ?? '';
  return `${upper(c('country'))} FY${c('fiscalYear')} ${upper(c('course'))} ${upper(c('program') || 'IMET')} from ${c('classStart')}`;
}

/** The column a duplicate of `kind` is reported on. */
export const KEY_COLUMNS: Readonly<Record<EntityKind, string>> = {
  courses: 'id',
  students: 'familyName',
  allocations: 'amount',
  lines: 'classStart',
};

/** Names compared as a person would: case and runs of spaces aside. */
export function sameName(a: string, b: string): boolean {
  return folded(a) === folded(b);
}

/** The template's documentation rows: one per column (column, required, meaning, allowed values). */
export function columnGuide(kind: EntityKind): string[][] {
  return [
    ['column', 'required', 'meaning', 'allowed values'],
    ...ENTITY_COLUMNS[kind].map((c) => [c.name, c.required ? 'yes' : 'no', c.meaning, c.allowed]),
  ];
}
