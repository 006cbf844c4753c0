// Budget figures: every figure of every imported budget table, by FY, stage, account and line; a changed figure supersedes, never overwrites.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from './database.js';
import { queryRows } from './raw-sql.js';
import { budgetFigures } from './schema.js';

export interface BudgetFigureRow {
  readonly id: string;
  readonly importRunId: string;
  readonly fiscalYear: number;
  /** request, estimate, enacted, or `unstated` when the file did not say. */
  readonly budgetStage: string;
  readonly account: string;
  readonly lineName: string;
  readonly countryIso3: string | null;
  readonly kind: string;
  readonly region: string | null;
  readonly amountThousands: number;
  readonly recordedAt: string;
}

/**
 * Inserts figures as one JSON parameter per 5,000 rows: a table's 3,000–4,000 figures bound as
 * eleven parameters each took seconds on PGlite; a JSON array takes a tenth of that.
 */
export async function insertBudgetFigures(
  tx: Executor,
  rows: readonly BudgetFigureRow[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 5_000) {
    const chunk = JSON.stringify(rows.slice(i, i + 5_000));
    await tx.execute(sql`
      insert into budget_figures (id, import_run_id, fiscal_year, budget_stage, account, line_name,
        country_iso3, kind, region, amount_thousands, recorded_at)
      select id, "importRunId", "fiscalYear", "budgetStage", account, "lineName", "countryIso3",
        kind, region, "amountThousands", "recordedAt"::timestamptz
      from json_to_recordset(${chunk}::json) as x(id text, "importRunId" text, "fiscalYear" int,
        "budgetStage" text, account text, "lineName" text, "countryIso3" text, kind text,
        region text, "amountThousands" bigint, "recordedAt" text)`);
  }
}

/** The current (not superseded) figures of one FY at one stage. */
export async function readCurrentBudgetFigures(
  db: Executor,
  fiscalYear: number,
  budgetStage: string,
): Promise<BudgetFigureRow[]> {
  const rows = await db
    .select()
    .from(budgetFigures)
    .where(
      and(
        eq(budgetFigures.fiscalYear, fiscalYear),
        eq(budgetFigures.budgetStage, budgetStage),
        isNull(budgetFigures.supersededAt),
      ),
    );
  return rows.map(({ supersededAt: _superseded, ...r }) => ({
    ...r,
    // bigint arrives as a string from node-postgres.
    amountThousands: Number(r.amountThousands),
  }));
}

/** Marks current figures superseded at `at` (transaction time); they stay in the history. */
export async function supersedeBudgetFigures(
  tx: Executor,
  ids: readonly string[],
  at: string,
): Promise<void> {
  for (let i = 0; i < ids.length; i += 1_000) {
    await tx
      .update(budgetFigures)
      .set({ supersededAt: at })
      .where(
        and(inArray(budgetFigures.id, ids.slice(i, i + 1_000)), isNull(budgetFigures.supersededAt)),
      );
  }
}

/** One country's current figure for an account, every FY and stage, oldest FY first. */
export async function listCountryBudgetFigures(
  db: Executor,
  countryIso3: string,
  account: string,
): Promise<{ fiscalYear: number; budgetStage: string; amountThousands: number }[]> {
  const rows = await queryRows<{
    fiscalYear: number;
    budgetStage: string;
    amountThousands: string | number;
  }>(
    db,
    sql`select fiscal_year as "fiscalYear", budget_stage as "budgetStage",
          amount_thousands as "amountThousands"
        from budget_figures
        where country_iso3 = ${countryIso3} and account = ${account} and superseded_at is null
        order by fiscal_year, budget_stage`,
  );
  return rows.map((r) => ({ ...r, amountThousands: Number(r.amountThousands) }));
}
