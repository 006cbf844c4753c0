// Committees' requests to include a country in the Foreign Military Training report (22 USC 2416(a)(2)).
import { asc, inArray } from 'drizzle-orm';
import type { IsoDate } from '../core/dates.js';
import type { Executor } from './database.js';
import { committeeRequests } from './schema.js';

export interface CommitteeRequestRow {
  readonly id: string;
  readonly country: string;
  readonly committee: string;
  readonly requestedOn: IsoDate;
  readonly source: string | null;
  readonly recordedAt: string;
  readonly recordedBy: string;
}

export async function insertCommitteeRequest(
  tx: Executor,
  row: CommitteeRequestRow,
): Promise<void> {
  await tx.insert(committeeRequests).values({ ...row, countryIso3: row.country });
}

/** The request of a committee for a country on a day, if recorded (one such request a day). */
export async function findCommitteeRequest(
  db: Executor,
  key: { country: string; committee: string; requestedOn: IsoDate },
): Promise<CommitteeRequestRow | undefined> {
  const rows = await readCommitteeRequests(db, [key.country]);
  return rows.find((r) => r.committee === key.committee && r.requestedOn === key.requestedOn);
}

/** Every request, of `countries` only when given, oldest first. */
export async function readCommitteeRequests(
  db: Executor,
  countries: readonly string[] | null = null,
): Promise<CommitteeRequestRow[]> {
  if (countries !== null && countries.length === 0) return [];
  const rows = await db
    .select()
    .from(committeeRequests)
    .where(countries === null ? undefined : inArray(committeeRequests.countryIso3, [...countries]))
    .orderBy(
      asc(committeeRequests.requestedOn),
      asc(committeeRequests.countryIso3),
      asc(committeeRequests.id),
    );
  return rows.map(({ countryIso3, requestedOn, ...r }) => ({
    ...r,
    country: countryIso3,
    requestedOn: requestedOn as IsoDate,
  }));
}
