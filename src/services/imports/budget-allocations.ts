// An enacted budget table's security-assistance amounts as allocations in force: compared with the ones an earlier import recorded, changed ones superseded.
import type { Actor } from '../../core/actor.js';
import type { BudgetTable } from '../../core/budget/budget-table.js';
import { accountForProgram } from '../../core/budget/program-accounts.js';
import type { ImportCounts } from '../../core/imports/import-report.js';
import type { BudgetStage } from '../../core/imports/vocabulary.js';
import { thousandsToCents } from '../../core/money.js';
import { PROGRAM_GROUPS } from '../../core/programs.js';
import {
  insertAllocations,
  listBudgetTableAllocations,
  supersedeAllocations,
  type AllocationRow,
  type AllocationVersion,
} from '../../store/allocation.repository.js';
import type { AuditRecord } from '../../store/audit.repository.js';
import type { Executor } from '../../store/database.js';
import type { AppContext } from '../context.js';
import type { ImportFile } from './import-file.js';

export interface BudgetAllocationsInput {
  readonly file: ImportFile;
  readonly table: BudgetTable;
  readonly stage: BudgetStage | null;
  /** Reference countries: a table country outside them (none in FY2008–2017) gets no allocation. */
  readonly known: ReadonlySet<string>;
  /** Only count what would change, write nothing. */
  readonly dryPlan: boolean;
  readonly importRunId?: string;
}

/**
 * For an enacted table: each country's amount of each security-assistance program (IMET, FMF, PKO,
 * INCLE, NADR) as an allocation in force from the start of the record (the budget states it; no
 * notification). A country the table gives none (`-`) gets none. An amount equal to the one an
 * earlier import recorded is unchanged; a different one supersedes it. Request, estimate and
 * unstated tables give none: their figures are no allocation in force.
 */
export async function applyBudgetAllocations(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  now: string,
  input: BudgetAllocationsInput,
): Promise<{ counts: ImportCounts; audit: readonly AuditRecord[]; notes: readonly string[] }> {
  const { file, table, stage, known } = input;
  if (stage !== 'enacted')
    return { counts: { created: 0, updated: 0, unchanged: 0 }, audit: [], notes: [] };
  const current = new Map(
    (await listBudgetTableAllocations(tx, table.fy)).map((a) => [`${a.country}:${a.program}`, a]),
  );
  const notes: string[] = [];
  const rows: AllocationRow[] = [];
  const superseded: AllocationVersion[] = [];
  let unchanged = 0;
  let created = 0;
  const source = `${file.name} (sha256 ${file.sha256})${input.importRunId === undefined ? '' : `, import run ${input.importRunId}`}${table.sourceUrl === null ? '' : `; ${table.sourceUrl}`}`;
  for (const program of PROGRAM_GROUPS['security-assistance']) {
    const account = accountForProgram(table.accounts, program);
    if (account === undefined) continue;
    for (const country of table.countries) {
      const thousands = country.amountsThousands[account] ?? 0;
      const key = `${country.iso3}:${program}`;
      const old = current.get(key);
      current.delete(key);
      if (thousands <= 0) {
        if (old !== undefined) superseded.push(old);
        continue;
      }
      if (!known.has(country.iso3)) {
        notes.push(
          `${country.sourceName} (${country.iso3}) is no reference country: no ${program} allocation`,
        );
        continue;
      }
      const amountCents = thousandsToCents(thousands);
      if (old?.amountCents === amountCents) {
        unchanged += 1;
        continue;
      }
      if (old === undefined) created += 1;
      else superseded.push(old);
      rows.push({
        id: ctx.newId('alc'),
        countryIso3: country.iso3,
        programCode: program,
        fiscalYear: table.fy,
        amountCents,
        reason: `FY${table.fy} budget table, enacted (${country.sourceName})`,
        source,
        budgetStage: 'enacted',
        recordedAt: now,
        recordedBy: actor.id,
      });
    }
  }
  superseded.push(...current.values());
  // A superseded allocation is an update, whether a new amount replaces it or the table no longer gives one.
  const counts = { created, updated: superseded.length, unchanged };
  if (input.dryPlan) return { counts, audit: [], notes };
  const audit: AuditRecord[] = [];
  await supersedeAllocations(
    tx,
    superseded.map((v) => v.id),
    now,
  );
  for (const v of superseded)
    audit.push({
      action: 'allocation.supersede',
      entityType: 'allocation',
      entityId: v.id,
      before: v,
      after: { ...v, supersededAt: now },
      reason: `replaced by the FY${table.fy} budget table ${file.name}`,
    });
  await insertAllocations(tx, rows);
  for (const a of rows)
    audit.push({
      action: 'allocation.set',
      entityType: 'allocation',
      entityId: a.id,
      after: a,
      reason: a.reason,
    });
  return { counts, audit, notes: [] };
}
