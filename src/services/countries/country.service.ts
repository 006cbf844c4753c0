// Country reads: reference facts, IMET allocations by fiscal year and the restrictions in force.
import type { IsoDate } from '../../core/dates.js';
import type { CountryFlags } from '../../core/reference/country-flags.js';
import { FLAG_SOURCES } from '../../core/reference/country-flags.js';
import { err, notFound, ok, type Result } from '../../core/result.js';
import { listCurrentAllocations } from '../../store/allocation.repository.js';
import { listCountryBudgetFigures } from '../../store/budget-figure.repository.js';
import { thousandsToCents } from '../../core/money.js';
import { listCountrySummaries, type CountrySummaryRow } from '../../store/country.repository.js';
import {
  listRestrictionsInForce,
  type RestrictionInForce,
} from '../../store/restriction.repository.js';
import type { AppContext } from '../context.js';
import { today } from '../context.js';

export interface AllocationAmount {
  readonly fy: number;
  readonly cents: number;
  readonly currency: 'USD';
}

export interface CountrySummary {
  readonly iso3: string;
  readonly iso2: string;
  readonly name: string;
  readonly flags: CountryFlags;
  readonly latestImet: AllocationAmount | null;
  readonly restrictionsInForce: readonly RestrictionInForce[];
}

export interface CountryDetail extends CountrySummary {
  readonly flagSources: typeof FLAG_SOURCES;
  /** The date "in force" was judged on. */
  readonly asOf: IsoDate;
  readonly imetAllocations: readonly AllocationAmount[];
  /**
   * The IMET figures the imported budget tables state for the country, every FY and stage: a
   * request, an estimate or an unstated table's figure is no allocation in force.
   */
  readonly imetBudgetFigures: readonly BudgetFigureAmount[];
}

/** A budget table's figure with its stage (`unstated` when the import did not say). */
export interface BudgetFigureAmount {
  readonly fy: number;
  readonly cents: number;
  readonly currency: 'USD';
  readonly stage: 'request' | 'estimate' | 'enacted' | 'unstated';
}

function summary(
  row: CountrySummaryRow,
  restrictions: readonly RestrictionInForce[],
): CountrySummary {
  return {
    iso3: row.iso3,
    iso2: row.iso2,
    name: row.name,
    flags: {
      natoMember: row.natoMember,
      fmtReportExcluded: row.fmtReportExcluded,
      grantImetExcluded: row.grantImetExcluded,
    },
    latestImet:
      row.latestImetFy === null || row.latestImetCents === null
        ? null
        : { fy: row.latestImetFy, cents: row.latestImetCents, currency: 'USD' },
    restrictionsInForce: restrictions,
  };
}

/** Every country with its latest IMET allocation and the restrictions in force on `on` (default today). */
export async function listCountries(
  ctx: AppContext,
  on: IsoDate = today(ctx),
): Promise<CountrySummary[]> {
  const [rows, inForce] = await Promise.all([
    listCountrySummaries(ctx.store.db, undefined, on),
    listRestrictionsInForce(ctx.store.db, on),
  ]);
  const byCountry = new Map<string, RestrictionInForce[]>();
  for (const r of inForce) {
    const list = byCountry.get(r.country) ?? [];
    list.push(r);
    byCountry.set(r.country, list);
  }
  return rows.map((row) => summary(row, byCountry.get(row.iso3) ?? []));
}

/** One country by ISO 3166-1 alpha-3 code (case-insensitive). */
export async function getCountry(
  ctx: AppContext,
  iso3: string,
  on: IsoDate = today(ctx),
): Promise<Result<CountryDetail>> {
  const code = iso3.toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) return err(notFound('country', iso3, 'iso3'));
  const [row] = await listCountrySummaries(ctx.store.db, code, on);
  if (row === undefined) return err(notFound('country', code, 'iso3'));
  const [restrictions, imet, figures] = await Promise.all([
    listRestrictionsInForce(ctx.store.db, on, code),
    listCurrentAllocations(ctx.store.db, code, 'IMET', on),
    listCountryBudgetFigures(ctx.store.db, code, 'IMET'),
  ]);
  return ok({
    ...summary(row, restrictions),
    flagSources: FLAG_SOURCES,
    asOf: on,
    imetAllocations: imet.map((a) => ({
      fy: a.fiscalYear,
      cents: a.amountCents,
      currency: 'USD' as const,
    })),
    imetBudgetFigures: figures.map((f) => ({
      fy: f.fiscalYear,
      cents: thousandsToCents(f.amountThousands),
      currency: 'USD' as const,
      stage: f.budgetStage as BudgetFigureAmount['stage'],
    })),
  });
}
