// A committee's written request to include a country in the Foreign Military Training report (22 USC 2416(a)(2)): recorded on the one road, listed within scope.
import { scopeFilter } from '../../core/access.js';
import type { Actor } from '../../core/actor.js';
import type { IsoDate } from '../../core/dates.js';
import { findCountry } from '../../core/reference/countries.js';
import {
  APPROPRIATE_COMMITTEES,
  fmtExemption,
  fmtReportYearOfRequest,
  fmtRequestDeadline,
} from '../../core/reports/fmt-exclusion.js';
import { err, invalid, notFound, ok, type Result } from '../../core/result.js';
import {
  insertCommitteeRequest,
  readCommitteeRequests,
  type CommitteeRequestRow,
} from '../../store/committee-request.repository.js';
import type { Executor } from '../../store/database.js';
import { findCountryRow } from '../../store/reference.repository.js';
import type { AppContext } from '../context.js';
import { today } from '../context.js';
import { all, optionalText, pastDate } from '../field-input.js';
import { writeTransaction, type WorkOutcome, type WriteOptions } from '../unit-of-work.js';

export interface CommitteeRequestInput {
  readonly country: string;
  /** A code (`SFRC`) or the full name of one of the four committees of 22 USC 2416(e). */
  readonly committee: string;
  readonly requestedOn: string;
  readonly source?: string | null | undefined;
}

export interface ParsedCommitteeRequest {
  readonly country: string;
  readonly committee: string;
  readonly requestedOn: IsoDate;
  readonly source: string | null;
}

/** A request as recorded, with the report it counts for. */
export interface CommitteeRequest extends Omit<CommitteeRequestRow, 'recordedAt' | 'recordedBy'> {
  readonly countryName: string;
  readonly recordedAt: string;
  readonly recordedBy: string;
  /** The report year the request counts for: the first whose deadline it meets. */
  readonly reportYear: number;
  /** That report's deadline for requests (90 days before 31 January). */
  readonly deadline: IsoDate;
  /** Why the statute would leave the country out of that report; null: it is in anyway. */
  readonly exemption: string | null;
}

/** The committee by code or name, in its full name. */
function parseCommittee(text: string): Result<string> {
  const wanted = text.trim().toLowerCase();
  for (const [code, name] of Object.entries(APPROPRIATE_COMMITTEES)) {
    if (code.toLowerCase() === wanted || name.toLowerCase() === wanted) return ok(name);
  }
  const known = Object.entries(APPROPRIATE_COMMITTEES)
    .map(([code, name]) => `${code} (${name})`)
    .join(', ');
  return err(
    invalid(
      'committee',
      `${text} is not one of the appropriate congressional committees of 22 U.S.C. 2416(e): ${known}`,
    ),
  );
}

/** Checks a request as an edge submits it; its date may not be after `todayDate`. */
export function parseCommitteeRequest(
  input: CommitteeRequestInput,
  todayDate: IsoDate,
): Result<ParsedCommitteeRequest> {
  const country = input.country.trim().toUpperCase();
  if (findCountry(country) === undefined)
    return err(invalid('country', `${input.country} is not an ISO 3166-1 alpha-3 country code`));
  const checked = all({
    committee: parseCommittee(input.committee),
    requestedOn: pastDate('requestedOn', input.requestedOn, todayDate),
    source: optionalText('source', input.source, 1000),
  });
  if (!checked.ok) return checked;
  return ok({ country, ...checked.value });
}

function describe(row: CommitteeRequestRow): CommitteeRequest {
  const reportYear = fmtReportYearOfRequest(row.requestedOn);
  return {
    ...row,
    countryName: findCountry(row.country)?.name ?? row.country,
    reportYear,
    deadline: fmtRequestDeadline(reportYear),
    exemption: fmtExemption(row.country, reportYear)?.text ?? null,
  };
}

/**
 * Records a committee's request. Capability `restrictions.write`: the program managers who record
 * restrictions, reliefs and congressional notifications keep the record's dealings with Congress,
 * and prepare the report; `reference.write` (admins only) is for the reference lists themselves.
 */
export async function recordCommitteeRequest(
  ctx: AppContext,
  actor: Actor,
  input: CommitteeRequestInput,
  options: WriteOptions = {},
): Promise<Result<CommitteeRequest>> {
  const parsed = parseCommitteeRequest(input, today(ctx));
  if (!parsed.ok) return parsed;
  return writeTransaction(
    ctx,
    actor,
    'restrictions.write',
    (tx, now) => applyCommitteeRequest(tx, ctx, actor, now, parsed.value),
    options,
  );
}

/** Records a request inside `tx` at `now`. */
export async function applyCommitteeRequest(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  now: string,
  parsed: ParsedCommitteeRequest,
): Promise<Result<WorkOutcome<CommitteeRequest>>> {
  if ((await findCountryRow(tx, parsed.country)) === undefined)
    return err(notFound('country', parsed.country, 'country'));
  const row: CommitteeRequestRow = {
    id: ctx.newId('cmr'),
    ...parsed,
    recordedAt: now,
    recordedBy: actor.id,
  };
  await insertCommitteeRequest(tx, row);
  const value = describe(row);
  return ok({
    value,
    audit: [
      {
        action: 'committee-request.add',
        entityType: 'committee-request',
        entityId: row.id,
        after: row,
      },
    ],
  });
}

/** The requests the actor sees (an SCO: their countries'), oldest first. */
export async function listCommitteeRequests(
  ctx: AppContext,
  actor: Actor,
): Promise<Result<CommitteeRequest[]>> {
  const scope = scopeFilter(actor);
  const rows = await readCommitteeRequests(ctx.store.db, scope === null ? null : scope.countries);
  return ok(rows.map(describe));
}
