// A history file's rows as the records they make (decision 017): each restriction with its reliefs,
// its lift and their ends, ids derived from the facts (so importing again finds them), and the dated
// writes that record them in the order the events happened.
import { daysBetween, fiscalYearInterval, fiscalYearOf, type IsoDate } from '../dates.js';
import type { RowError } from '../imports/import-report.js';
import { expandScope, type ProgramCode } from '../programs.js';
import type {
  DateQuality,
  ReliefType,
  RestrictionKind,
  SeatPolicy,
  WaiverGrounds,
} from '../restrictions.js';
import type { HistoryRow } from './history-rows.js';

export interface PlannedLift {
  readonly row: number;
  /** The day the restriction ends (the rescission takes effect). */
  readonly on: IsoDate;
  readonly quality: DateQuality;
  /** The report to Congress it waited on (22 USC 2371(c)), when the row gives one. */
  readonly notifiedOn: IsoDate | null;
  /** The report certified a fundamental change (2371(c)(1)): no 45-day wait. */
  readonly fundamentalChange: boolean;
  /** The day the lift was revoked before it took effect: the restriction resumes, open. */
  readonly revokedOn: IsoDate | null;
  readonly reason: string;
  readonly source: string;
}

export interface PlannedReliefEnd {
  readonly row: number;
  readonly on: IsoDate;
  readonly quality: DateQuality;
  readonly reason: string;
}

export interface PlannedRelief {
  readonly id: string;
  readonly row: number;
  readonly type: ReliefType;
  readonly grounds: WaiverGrounds | null;
  /** Program codes and groups; the restriction's scope when the row says `full` or does not say. */
  readonly programs: readonly string[];
  readonly scopeStated: boolean;
  readonly from: IsoDate;
  /** As granted (a CSPA waiver: the end of its fiscal year); a later end is `end`. */
  readonly until: IsoDate | null;
  readonly dateQuality: DateQuality;
  readonly untilQuality: DateQuality | null;
  readonly notifiedOn: IsoDate | null;
  readonly authority: string;
  readonly justification: string;
  readonly source: string;
  readonly end: PlannedReliefEnd | null;
}

export interface PlannedRestriction {
  readonly id: string;
  /** The row that states it; for a listing inferred from a waiver, the waiver's row. */
  readonly row: number;
  readonly country: string;
  readonly kind: RestrictionKind;
  readonly scope: readonly string[];
  readonly programs: readonly ProgramCode[];
  readonly courseFilter: 'E-IMET' | null;
  readonly from: IsoDate;
  /** As determined (a CSPA listing: its fiscal year); the end by a lift is `lift`. */
  readonly until: IsoDate | null;
  readonly dateQuality: DateQuality;
  readonly untilQuality: DateQuality | null;
  readonly basis: string;
  readonly authority: string;
  readonly seatPolicy: SeatPolicy;
  readonly description: string;
  readonly source: string;
  /** A child-soldiers listing no row states, inferred from a waiver of that fiscal year. */
  readonly inferred: boolean;
  readonly lift: PlannedLift | null;
  readonly reliefs: readonly PlannedRelief[];
}

export interface HistoryPlan {
  readonly restrictions: readonly PlannedRestriction[];
  /** Rows recording a fact with no restriction (e.g. "no coup determination"). */
  readonly notes: readonly {
    readonly row: number;
    readonly country: string;
    readonly text: string;
  }[];
  /** Rows by kind and event, as the file has them. */
  readonly rows: number;
}

/** Who determines each kind, for the record (the row's legal_basis says under what). */
const AUTHORITY: Readonly<Record<RestrictionKind, string>> = {
  policy: 'President or Secretary of State (policy decision)',
  coup: 'Secretary of State (determination under the appropriations act, §508 then §7008)',
  terrorism: 'Secretary of State (determination under 22 USC 2371(a), AECA §40, EAA §6(j))',
  'child-soldiers': 'Secretary of State (CSPA list in the Trafficking in Persons report)',
  arrears: 'Statute (FAA §620(q), Brooke amendment), applying once a default lasts long enough',
  'human-rights': 'Secretary of State (FAA §502B)',
  exclusion: 'Congress (22 USC 2347e)',
  proviso: 'Congress (appropriations act proviso)',
};

const RELIEF_AUTHORITY: Readonly<Record<RestrictionKind, string>> = {
  policy: 'President or Secretary of State',
  coup: 'Secretary of State',
  terrorism: 'President (22 USC 2371(d))',
  'child-soldiers': 'President (22 USC 2370c-1)',
  arrears: 'President (FAA §620(q))',
  'human-rights': 'Secretary of State (FAA §502B)',
  exclusion: 'Congress',
  proviso: 'Secretary of State (the act’s condition)',
};

/** Seats a restriction of the kind reaches are cancelled, or held while a waiver may yet come. */
const SEAT_POLICY: Readonly<Record<RestrictionKind, SeatPolicy>> = {
  policy: 'cancel',
  coup: 'cancel',
  terrorism: 'cancel',
  'child-soldiers': 'hold',
  arrears: 'hold',
  'human-rights': 'cancel',
  exclusion: 'cancel',
  proviso: 'cancel',
};

/** The grounds a waiver of the kind states: the statute names them (2370c-1(c), 2371(d), §7008). */
const WAIVER_GROUNDS_OF: Readonly<Record<RestrictionKind, WaiverGrounds>> = {
  policy: 'national-interest',
  coup: 'national-security',
  terrorism: 'national-security',
  'child-soldiers': 'national-interest',
  arrears: 'national-interest',
  'human-rights': 'extraordinary-circumstances',
  exclusion: 'national-interest',
  proviso: 'national-interest',
};

/** A CSPA listing's scope as the shipped rows state it (22 USC 2370c-1(a), and 10 USC 333). */
const CSPA_SCOPE = ['IMET', 'FMF', 'EDA', 'PKO', 'DCS', 'SEC333'];

function overlaps(
  a: { from: IsoDate; until: IsoDate | null },
  b: { from: IsoDate; until: IsoDate | null },
): boolean {
  return (a.until === null || b.from < a.until) && (b.until === null || a.from < b.until);
}

/** The interval a restriction is in force once recorded, its lift included. */
function inForce(r: Draft): { from: IsoDate; until: IsoDate | null } {
  if (r.lift !== null && r.lift.revokedOn === null) return { from: r.from, until: r.lift.on };
  if (r.lift !== null) return { from: r.from, until: null };
  return { from: r.from, until: r.until };
}

type Draft = Omit<PlannedRestriction, 'id' | 'reliefs' | 'lift' | 'untilQuality'> & {
  lift: PlannedLift | null;
  untilQuality: DateQuality | null;
  reliefs: (Omit<PlannedRelief, 'id' | 'end' | 'untilQuality'> & {
    end: PlannedReliefEnd | null;
    untilQuality: DateQuality | null;
  })[];
};

function programsOf(scope: readonly string[]): ProgramCode[] {
  const expanded = expandScope(scope);
  return expanded.ok ? expanded.programs : [];
}

/**
 * Builds the records a history file's rows make, or refuses it with every row that cannot be
 * placed (a relief with no restriction to relieve, a lift of nothing, two restrictions of a kind
 * that overlap). Rows are taken in the order of their dates, so a file may list them in any order.
 */
export function planHistory(
  rows: readonly HistoryRow[],
): { ok: true; plan: HistoryPlan } | { ok: false; errors: RowError[] } {
  const errors: RowError[] = [];
  const bad = (row: number, column: string, message: string) =>
    errors.push({ row, column, message });
  const drafts: Draft[] = [];
  const notes: { row: number; country: string; text: string }[] = [];
  const ordered = [...rows].sort(
    (a, b) =>
      (a.from < b.from ? -1 : a.from > b.from ? 1 : 0) ||
      EVENT_ORDER[a.event] - EVENT_ORDER[b.event] ||
      a.row - b.row,
  );

  for (const row of ordered.filter((r) => r.event === 'restriction')) {
    const programs = programsOf(row.scope);
    const draft: Draft = {
      row: row.row,
      country: row.country,
      kind: row.kind,
      scope: row.scope,
      programs,
      courseFilter: row.courseFilter,
      from: row.from,
      until: row.until,
      dateQuality: row.dateQuality,
      untilQuality: row.until === null ? null : (row.untilQuality ?? 'exact'),
      basis: row.basis,
      authority: AUTHORITY[row.kind],
      seatPolicy: SEAT_POLICY[row.kind],
      description: row.description,
      source: row.source,
      inferred: false,
      lift: null,
      reliefs: [],
    };
    if (row.kind === 'proviso' && row.courseFilter === null)
      bad(row.row, 'scope', 'a proviso names the courses it allows (E-IMET allowed)');
    drafts.push(draft);
  }

  for (const row of ordered.filter((r) => r.event === 'lift')) {
    const candidates = drafts.filter(
      (d) =>
        d.country === row.country &&
        d.kind === row.kind &&
        d.lift === null &&
        d.from < row.from &&
        (d.until === null || d.until === row.from),
    );
    const lifted = candidates.at(-1);
    if (lifted === undefined) {
      bad(
        row.row,
        'event',
        `lifts no ${row.kind} restriction of ${row.country} in force before ${row.from}`,
      );
      continue;
    }
    const revokedOn = row.until !== null && row.until <= row.from ? row.until : null;
    lifted.lift = {
      row: row.row,
      on: row.from,
      quality: row.dateQuality,
      notifiedOn: row.notifiedOn,
      fundamentalChange: /2371\(c\)\(1\)|fundamental change/i.test(row.basis),
      revokedOn,
      reason: row.description === '' ? `lifted (row ${row.row})` : row.description,
      source: row.source,
    };
    if (lifted.until !== null) lifted.untilQuality = row.dateQuality;
  }

  // Two restrictions of one kind over the same programs and days: the record allows one.
  const byCountryKind = new Map<string, Draft[]>();
  for (const d of drafts) {
    const key = `${d.country}:${d.kind}`;
    byCountryKind.set(key, [...(byCountryKind.get(key) ?? []), d]);
  }
  for (const list of byCountryKind.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i]!;
        const b = list[j]!;
        if (a.programs.some((p) => b.programs.includes(p)) && overlaps(inForce(a), inForce(b))) {
          bad(
            b.row,
            'effective_from',
            `overlaps the ${a.kind} restriction of ${a.country} in row ${a.row} (${a.from}${a.until === null ? '' : ` to ${a.until}`}): one restriction of a kind at a time; merge them or end the first`,
          );
        }
      }
    }
  }

  for (const row of ordered.filter((r) => r.event === 'relief')) {
    const type = row.reliefType!;
    const scopeStated = row.reliefScope !== 'unstated';
    const named = Array.isArray(row.reliefScope) ? row.reliefScope : null;
    const namedPrograms = named === null ? [] : programsOf(named);
    const candidates = drafts.filter(
      (d) =>
        d.country === row.country &&
        d.kind === row.kind &&
        d.from <= row.from &&
        (inForce(d).until === null || row.from < inForce(d).until!),
    );
    let target =
      candidates.find((d) => namedPrograms.every((p) => d.programs.includes(p))) ?? candidates[0];
    if (target === undefined && row.kind === 'child-soldiers') {
      target = inferListing(row, drafts);
    }
    if (target === undefined) {
      bad(
        row.row,
        'event',
        `relieves no ${row.kind} restriction of ${row.country} in force on ${row.from}`,
      );
      continue;
    }
    // A relief cannot outlast its restriction: a CSPA waiver ends with its fiscal year.
    const restrictionUntil = target.lift === null ? target.until : null;
    const until =
      restrictionUntil !== null && (row.until === null || row.until > restrictionUntil)
        ? restrictionUntil
        : row.until;
    target.reliefs.push({
      row: row.row,
      type,
      grounds: type === 'waiver' ? WAIVER_GROUNDS_OF[row.kind] : null,
      programs: named ?? target.scope,
      scopeStated,
      from: row.from,
      until,
      dateQuality: row.dateQuality,
      untilQuality: until === null ? null : (row.untilQuality ?? 'exact'),
      notifiedOn: row.notifiedOn,
      authority: RELIEF_AUTHORITY[row.kind],
      justification: row.description === '' ? `${type} (row ${row.row})` : row.description,
      source: row.source,
      end: null,
    });
  }

  for (const row of ordered.filter((r) => r.event === 'end')) {
    const named = Array.isArray(row.reliefScope) ? programsOf(row.reliefScope) : [];
    const relief = drafts
      .filter((d) => d.country === row.country && d.kind === row.kind)
      .flatMap((d) => d.reliefs)
      .filter(
        (r) =>
          r.end === null &&
          r.from < row.from &&
          (r.until === null || r.until === row.from) &&
          named.every((p) => programsOf(r.programs).includes(p)),
      )
      .at(-1);
    if (relief === undefined) {
      bad(
        row.row,
        'event',
        `ends no ${row.kind} relief of ${row.country} in force before ${row.from}`,
      );
      continue;
    }
    relief.end = {
      row: row.row,
      on: row.from,
      quality: row.dateQuality,
      reason: row.description === '' ? `ended (row ${row.row})` : row.description,
    };
    if (relief.until !== null) relief.untilQuality = row.dateQuality;
  }

  for (const row of ordered.filter((r) => r.event === 'note'))
    notes.push({ row: row.row, country: row.country, text: row.description });

  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.row - b.row) };
  return {
    ok: true,
    plan: { restrictions: withIds(drafts), notes, rows: rows.length },
  };
}

const EVENT_ORDER: Readonly<Record<HistoryRow['event'], number>> = {
  restriction: 0,
  lift: 1,
  relief: 2,
  end: 3,
  note: 4,
};

/**
 * The listing a CSPA waiver implies: a waiver is granted only for a government on the list
 * (22 USC 2370c-1(c)), so the fiscal year's listing is recorded, citing the waiver's source.
 */
function inferListing(row: HistoryRow, drafts: Draft[]): Draft {
  const fy = fiscalYearOf(row.from);
  const interval = fiscalYearInterval(fy);
  const draft: Draft = {
    row: row.row,
    country: row.country,
    kind: 'child-soldiers',
    scope: CSPA_SCOPE,
    programs: programsOf(CSPA_SCOPE),
    courseFilter: null,
    from: interval.from,
    until: interval.until ?? null,
    dateQuality: 'exact',
    untilQuality: 'exact',
    basis: 'CSPA sec. 404(a), 22 U.S.C. 2370c-1',
    authority: AUTHORITY['child-soldiers'],
    seatPolicy: SEAT_POLICY['child-soldiers'],
    description: `Listed for FY${fy}: inferred from the waiver in row ${row.row} (a waiver under 22 USC 2370c-1(c) is granted only for a listed government); the list itself was not read.`,
    source: row.source,
    inferred: true,
    lift: null,
    reliefs: [],
  };
  drafts.push(draft);
  return draft;
}

/** A restriction's key: country, kind and year (a CSPA listing's fiscal year); a full date when two share one. */
function restrictionKey(d: Draft, taken: Set<string>): string {
  const year = d.kind === 'child-soldiers' ? `fy${fiscalYearOf(d.from)}` : d.from.slice(0, 4);
  const short = `${d.country}-${d.kind}-${year}`.toLowerCase();
  const key = taken.has(short) ? `${d.country}-${d.kind}-${d.from}`.toLowerCase() : short;
  taken.add(key);
  return key;
}

function reliefKey(
  r: Draft['reliefs'][number],
  country: string,
  kind: RestrictionKind,
  taken: Set<string>,
): string {
  const programs = programsOf(r.programs);
  const scope = r.scopeStated && programs.length === 1 ? programs[0]! : kind;
  const short = `${country}-${scope}-${r.type}-${r.from.slice(0, 4)}`.toLowerCase();
  const key = taken.has(short) ? `${country}-${scope}-${r.type}-${r.from}`.toLowerCase() : short;
  taken.add(key);
  return key;
}

function withIds(drafts: readonly Draft[]): PlannedRestriction[] {
  const taken = new Set<string>();
  const takenReliefs = new Set<string>();
  return [...drafts]
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.row - b.row))
    .map((d) => ({
      ...d,
      id: `rst_${restrictionKey(d, taken)}`,
      reliefs: d.reliefs.map((r) => ({
        ...r,
        id: `rlf_${reliefKey(r, d.country, d.kind, takenReliefs)}`,
      })),
    }));
}

/** Days between a relief's report to Congress and the day it takes effect. */
export function waitDaysOf(relief: Pick<PlannedRelief, 'notifiedOn' | 'from'>): number | null {
  return relief.notifiedOn === null ? null : daysBetween(relief.notifiedOn, relief.from);
}
