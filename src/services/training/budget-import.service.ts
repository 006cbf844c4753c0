// A country-by-account budget table imported (the Congressional Budget Justification's): each
// country's amount per program recorded as an allocation in force from the start, as the budget
// states it (no change, so no notification), and each line that is no reference country (regional
// and multi-country programs) kept as a budget line. The demo loads its tables through here.
import type { Actor } from '../../core/actor.js';
import type { BudgetTable } from '../../core/budget/budget-table.js';
import { accountForProgram } from '../../core/budget/program-accounts.js';
import { thousandsToCents } from '../../core/money.js';
import { PROGRAM_GROUPS, type ProgramCode } from '../../core/programs.js';
import {
  insertAllocations,
  insertBudgetLines,
  type AllocationRow,
  type BudgetLineRow,
} from '../../store/allocation.repository.js';
import type { AuditRecord } from '../../store/audit.repository.js';
import type { Executor } from '../../store/database.js';
import { readCountries } from '../../store/reference.repository.js';
import type { AppContext } from '../context.js';
import type { WorkOutcome } from '../unit-of-work.js';

/** Parsed budget tables and where they come from (named in every row's source). */
export interface BudgetImportInput {
  readonly tables: readonly BudgetTable[];
  readonly source: string;
}

export interface BudgetImported {
  readonly allocations: number;
  readonly lines: number;
  /** What the import did, table by table (names kept as lines, reconciliation checks). */
  readonly notes: readonly string[];
}

/** Records budget tables inside a write transaction: allocations and budget lines, each audited. */
export async function applyImportBudget(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  now: string,
  { tables, source: provenance }: BudgetImportInput,
): Promise<WorkOutcome<BudgetImported>> {
  const known = new Set((await readCountries(tx)).map((c) => c.iso3));
  const audit: AuditRecord[] = [];
  const allocations: AllocationRow[] = [];
  const lines: BudgetLineRow[] = [];
  const notes: string[] = [];
  const programs = PROGRAM_GROUPS['security-assistance'];
  for (const table of tables) {
    const source = `${provenance}, FY${table.fy}${table.sourceUrl === null ? '' : ` (${table.sourceUrl})`}`;
    notes.push(...table.notes.map((n) => `FY${table.fy}: ${n}`));
    const failed = table.checks.filter((c) => !c.ok);
    notes.push(
      `FY${table.fy}: ${table.checks.length - failed.length} of ${table.checks.length} reconciliation checks hold`,
    );
    for (const program of programs) {
      const account = accountForProgram(table.accounts, program);
      if (account === undefined) continue;
      for (const country of table.countries) {
        const thousands = country.amountsThousands[account];
        // `-` (read as 0) means the table allocates nothing: no allocation is recorded.
        if (thousands === null || thousands === undefined || thousands === 0) continue;
        if (!known.has(country.iso3)) {
          notes.push(
            `FY${table.fy}: ${country.sourceName} (${country.iso3}) is not a reference country; kept as a budget line`,
          );
          lines.push(
            budgetLine(
              ctx,
              table.fy,
              program,
              country.sourceName,
              'multi-country',
              country.region,
              thousands,
              source,
              now,
            ),
          );
          continue;
        }
        allocations.push({
          id: ctx.newId('alc'),
          countryIso3: country.iso3,
          programCode: program,
          fiscalYear: table.fy,
          amountCents: thousandsToCents(thousands),
          reason: `FY${table.fy} budget table (${country.sourceName})`,
          source,
          recordedAt: now,
          recordedBy: actor.id,
        });
      }
      for (const line of table.lines) {
        const thousands = line.amountsThousands[account];
        if (thousands === null || thousands === undefined || thousands === 0) continue;
        lines.push(
          budgetLine(
            ctx,
            table.fy,
            program,
            line.name,
            line.kind,
            line.region ?? null,
            thousands,
            source,
            now,
          ),
        );
      }
    }
  }
  await insertAllocations(tx, allocations);
  await insertBudgetLines(tx, lines);
  for (const a of allocations) {
    audit.push({
      action: 'allocation.set',
      entityType: 'allocation',
      entityId: a.id,
      after: a,
      reason: a.reason,
    });
  }
  for (const l of lines)
    audit.push({
      action: 'budget-line.import',
      entityType: 'budget-line',
      entityId: l.id,
      after: l,
    });
  return { value: { allocations: allocations.length, lines: lines.length, notes }, audit };
}

function budgetLine(
  ctx: AppContext,
  fiscalYear: number,
  programCode: ProgramCode,
  name: string,
  kind: BudgetLineRow['kind'],
  region: string | null,
  thousands: number,
  source: string,
  recordedAt: string,
): BudgetLineRow {
  return {
    id: ctx.newId('bl'),
    fiscalYear,
    programCode,
    name,
    kind,
    region,
    amountCents: thousandsToCents(thousands),
    source,
    recordedAt,
  };
}
