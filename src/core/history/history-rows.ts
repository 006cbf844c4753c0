// A restriction-history file, row by row (the columns of restriction-history/restrictions.csv,
// decision 017): each row checked cell by cell into an event, or refused naming its row and column.
import { parseIsoDate, type IsoDate } from '../dates.js';
import type { RowError } from '../imports/import-report.js';
import { isProgramCode, isProgramGroup, type ProgramCode } from '../programs.js';
import {
  DATE_QUALITIES,
  RELIEF_TYPES,
  RESTRICTION_KINDS,
  type DateQuality,
  type ReliefType,
  type RestrictionKind,
} from '../restrictions.js';

/** The columns every history file has, in the order the shipped file writes them. */
export const HISTORY_COLUMNS = [
  'country_iso3',
  'country_name',
  'kind',
  'scope',
  'event',
  'relief_type',
  'relief_scope',
  'effective_from',
  'effective_until',
  'date_quality',
  'legal_basis',
  'description',
  'source',
] as const;

/** Columns a file may add: the precision of `effective_until`, the report to Congress it waited on. */
export const OPTIONAL_HISTORY_COLUMNS = ['until_quality', 'notified_on'] as const;

/**
 * What a row records: a restriction; a relief of one; a lift (the restriction ends); the end of a
 * relief; or a note (a fact with no restriction, e.g. "no coup determination"), kept out of the
 * records and counted.
 */
export const HISTORY_EVENTS = ['restriction', 'relief', 'lift', 'end', 'note'] as const;
export type HistoryEvent = (typeof HISTORY_EVENTS)[number];

/** The most rows a history file may hold. */
export const MAX_HISTORY_ROWS = 20_000;

/** What a scope term of the file means: programs, and a course filter (a proviso's E-IMET). */
interface ScopeMeaning {
  readonly programs: readonly (ProgramCode | 'security-assistance')[];
  readonly courseFilter?: 'E-IMET';
}

/**
 * Terms the sources use beyond program codes and groups, and what they mean here. `333` and its
 * predecessor `1206` are DoD building-partner-capacity programs (SEC333); FAA 620A's "all foreign
 * assistance" is the security-assistance group (its sales are the terrorism kind's reach).
 */
const SCOPE_TERMS: Readonly<Record<string, ScopeMeaning>> = {
  '333': { programs: ['SEC333'] },
  '1206': { programs: ['SEC333'] },
  'all-foreign-assistance': { programs: ['security-assistance'] },
  'IMET (grant basis only)': { programs: ['IMET'] },
  'IMET (full)': { programs: ['IMET'] },
  'E-IMET allowed': { programs: [], courseFilter: 'E-IMET' },
  'nonlethal EDA': { programs: ['EDA'] },
  'DCS nonlethal': { programs: ['DCS'] },
};

/** One row of a history file, checked. */
export interface HistoryRow {
  /** 1-based, counting the header row, as a spreadsheet numbers it. */
  readonly row: number;
  readonly country: string;
  readonly countryName: string;
  readonly kind: RestrictionKind;
  /** Program codes and groups. */
  readonly scope: readonly string[];
  readonly courseFilter: 'E-IMET' | null;
  readonly event: HistoryEvent;
  readonly reliefType: ReliefType | null;
  /** The relief's programs; `full`: the restriction's; `unstated`: its source does not say. */
  readonly reliefScope: readonly string[] | 'full' | 'unstated' | null;
  readonly from: IsoDate;
  readonly until: IsoDate | null;
  readonly dateQuality: DateQuality;
  readonly untilQuality: DateQuality | null;
  readonly notifiedOn: IsoDate | null;
  readonly basis: string;
  readonly description: string;
  readonly source: string;
}

type Cells = Readonly<Record<string, string>>;

/** Checks the header: every column of HISTORY_COLUMNS, nothing unknown. */
export function checkHistoryHeader(header: readonly string[], row = 1): RowError[] {
  const known = new Set<string>([...HISTORY_COLUMNS, ...OPTIONAL_HISTORY_COLUMNS]);
  const errors: RowError[] = [];
  const seen = new Set<string>();
  for (const name of header) {
    if (!known.has(name))
      errors.push({ row, column: name, message: `not a column of a history file` });
    else if (seen.has(name)) errors.push({ row, column: name, message: 'named twice' });
    seen.add(name);
  }
  for (const name of HISTORY_COLUMNS) {
    if (!seen.has(name)) errors.push({ row, column: name, message: 'missing column' });
  }
  return errors;
}

function scopeTerms(
  text: string,
): { ok: true; scope: string[]; courseFilter: 'E-IMET' | null } | { ok: false; term: string } {
  const scope = new Set<string>();
  let courseFilter: 'E-IMET' | null = null;
  for (const raw of text.split(';')) {
    const term = raw.trim();
    if (term === '') continue;
    if (isProgramCode(term) || isProgramGroup(term)) {
      scope.add(term);
      continue;
    }
    const meaning = SCOPE_TERMS[term];
    if (meaning === undefined) return { ok: false, term };
    for (const p of meaning.programs) scope.add(p);
    if (meaning.courseFilter !== undefined) courseFilter = meaning.courseFilter;
  }
  return { ok: true, scope: [...scope], courseFilter };
}

function oneOfWords<T extends string>(words: readonly T[], text: string): T | undefined {
  return (words as readonly string[]).includes(text) ? (text as T) : undefined;
}

/** Relief types the sources name beyond the domain's: a CSPA reinstatement is a certification. */
function reliefTypeOf(text: string): ReliefType | undefined {
  if (text === 'reinstatement') return 'certification';
  return oneOfWords(RELIEF_TYPES, text);
}

/**
 * Checks one row's cells; returns the row, or every bad cell of it.
 * @example checkHistoryRow(7, { country_iso3: 'PAK', kind: 'policy', … }) // { ok: true, row: … }
 */
export function checkHistoryRow(
  row: number,
  cells: Cells,
): { ok: true; row: HistoryRow } | { ok: false; errors: RowError[] } {
  const errors: RowError[] = [];
  const bad = (column: string, message: string) => errors.push({ row, column, message });
  const cell = (column: string) => (cells[column] ?? '').trim();

  const country = cell('country_iso3');
  if (!/^[A-Z]{3}$/.test(country))
    bad('country_iso3', `an ISO 3166 alpha-3 code, not '${country}'`);
  const kind = oneOfWords(RESTRICTION_KINDS, cell('kind'));
  if (kind === undefined)
    bad('kind', `one of ${RESTRICTION_KINDS.join(', ')}, not '${cell('kind')}'`);
  const event = oneOfWords(HISTORY_EVENTS, cell('event'));
  if (event === undefined)
    bad('event', `one of ${HISTORY_EVENTS.join(', ')}, not '${cell('event')}'`);
  const scope = scopeTerms(cell('scope'));
  if (!scope.ok) bad('scope', `unknown program or group '${scope.term}'`);
  else if (scope.scope.length === 0 && event !== 'note')
    bad('scope', 'names no program (e.g. IMET;FMF or security-assistance)');

  let reliefType: ReliefType | null = null;
  const typeText = cell('relief_type');
  if (typeText !== '') {
    const t = reliefTypeOf(typeText);
    if (t === undefined)
      bad('relief_type', `one of ${RELIEF_TYPES.join(', ')}, reinstatement, not '${typeText}'`);
    else reliefType = t;
  }
  if (event === 'relief' && typeText === '')
    bad('relief_type', 'a relief names its type (exception, waiver, certification, …)');

  let reliefScope: HistoryRow['reliefScope'] = null;
  const reliefScopeText = cell('relief_scope');
  if (event === 'relief' || event === 'end') {
    if (reliefScopeText === '' || reliefScopeText === 'full') reliefScope = 'full';
    else if (/unspecified|unstated|limited \(unspecified\)/i.test(reliefScopeText))
      reliefScope = 'unstated';
    else {
      const terms = scopeTerms(reliefScopeText);
      if (!terms.ok) bad('relief_scope', `unknown program or group '${terms.term}'`);
      else reliefScope = terms.scope;
    }
  }

  const date = (column: string, required: boolean): IsoDate | null => {
    const text = cell(column);
    if (text === '') {
      if (required) bad(column, 'a date YYYY-MM-DD is required');
      return null;
    }
    const parsed = parseIsoDate(text);
    if (parsed === undefined) bad(column, `a date YYYY-MM-DD, not '${text}'`);
    return parsed ?? null;
  };
  const from = date('effective_from', true);
  const until = date('effective_until', false);
  const notifiedOn = date('notified_on', false);
  if (from !== null && until !== null && until <= from && event !== 'lift')
    bad('effective_until', `must be after effective_from (${from})`);

  const quality = (column: string, required: boolean): DateQuality | null => {
    const text = cell(column);
    if (text === '') {
      if (required) bad(column, `one of ${DATE_QUALITIES.join(', ')}`);
      return null;
    }
    const q = oneOfWords(DATE_QUALITIES, text);
    if (q === undefined) bad(column, `one of ${DATE_QUALITIES.join(', ')}, not '${text}'`);
    return q ?? null;
  };
  const dateQuality = quality('date_quality', true);
  const untilQuality = quality('until_quality', false);
  if (untilQuality !== null && until === null)
    bad('until_quality', 'says how well effective_until is known, but there is none');

  const basis = cell('legal_basis');
  if (basis === '') bad('legal_basis', 'the law or decision it rests on is required');
  const source = cell('source');
  if (source === '') bad('source', 'every row names the public source it was read in');

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    row: {
      row,
      country,
      countryName: cell('country_name'),
      kind: kind!,
      scope: scope.ok ? scope.scope : [],
      courseFilter: scope.ok ? scope.courseFilter : null,
      event: event!,
      reliefType,
      reliefScope,
      from: from!,
      until,
      dateQuality: dateQuality!,
      untilQuality,
      notifiedOn,
      basis,
      description: cell('description'),
      source,
    },
  };
}
