// The Foreign Military Training report of a year (22 USC 2416), read from the record within the caller's scope.
import { scopeFilter } from '../../core/access.js';
import type { Actor } from '../../core/actor.js';
import { calculateFmtReport, type FmtReport } from '../../core/reports/fmt-report.js';
import { err, ok, type Result } from '../../core/result.js';
import { readCommitteeRequests } from '../../store/committee-request.repository.js';
import { loadFmtSeats } from '../../store/fmt-report.repository.js';
import type { AppContext } from '../context.js';
import { checkFiscalYear } from '../field-input.js';

export interface FmtReportQuery {
  /** The report year Y: actual training of FY Y-1, planned of FY Y. */
  readonly year: number;
}

/**
 * The report for year Y. Program managers, analysts and admins read it whole; an SCO reads the part
 * of their countries (the same figures the whole report gives those countries: every measure is
 * per country). A school officer is refused: the report counts whole countries, and an IMSO sees
 * only the seats of their schools, so any figure shown would be a part passed off as a country's.
 */
export async function fmtReport(
  ctx: AppContext,
  actor: Actor,
  query: FmtReportQuery,
): Promise<Result<FmtReport>> {
  const year = checkFiscalYear('year', query.year);
  if (!year.ok) return year;
  if (actor.role === 'imso') {
    return err({
      code: 'FORBIDDEN',
      reason: 'REPORT.OUT_OF_SCOPE',
      message:
        'the imso role may not read the Foreign Military Training report: it counts whole countries, and a school officer sees only their schools',
    });
  }
  const scope = scopeFilter(actor);
  const countries = scope === null ? null : scope.countries;
  const db = ctx.store.db;
  const [seats, requests] = await Promise.all([
    loadFmtSeats(db, [year.value - 1, year.value], countries),
    readCommitteeRequests(db, countries),
  ]);
  return ok(calculateFmtReport({ year: year.value, seats, requests, scope: countries }));
}
