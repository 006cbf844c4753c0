// Which fiscal years a country has a training list for: what a country page offers to choose from.
import { seesCountry } from '../../core/access.js';
import type { Actor } from '../../core/actor.js';
import { err, notFound, ok, type Result } from '../../core/result.js';
import {
  listTrainingYears,
  type TrainingYearRow,
} from '../../store/country-training.repository.js';
import { findCountryRow } from '../../store/reference.repository.js';
import type { AppContext } from '../context.js';

export interface TrainingYears {
  readonly country: string;
  readonly fiscalYears: readonly TrainingYearRow[];
}

/** A country's training years, newest first; not found for an unknown country or one outside the scope. */
export async function getTrainingYears(
  ctx: AppContext,
  actor: Actor,
  iso3: string,
): Promise<Result<TrainingYears>> {
  const code = iso3.toUpperCase();
  if (!/^[A-Z]{3}$/.test(code) || !seesCountry(actor, code))
    return err(notFound('country', iso3, 'iso3'));
  if ((await findCountryRow(ctx.store.db, code)) === undefined)
    return err(notFound('country', iso3, 'iso3'));
  return ok({ country: code, fiscalYears: await listTrainingYears(ctx.store.db, code) });
}
