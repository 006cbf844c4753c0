// Allocations in and out of a file: one per country, program and FY; a new amount is a new version, set as `allocation set` sets it.
import type { Actor } from '../../core/actor.js';
import {
  CellReader,
  centsText,
  rowRefusal,
  type SheetRow,
} from '../../core/imports/entity-columns.js';
import type { RowError } from '../../core/imports/import-report.js';
import { err, ok, type Result } from '../../core/result.js';
import { listAllocationHeads } from '../../store/entity-import.repository.js';
import type { AppContext } from '../context.js';
import {
  applySetAllocation,
  parseAllocation,
  type ParsedAllocation,
} from '../training/allocation.service.js';
import type { EntityImporter, ExportFilter } from './entity-import.service.js';
import type { TableRow } from './tabular-file.js';

function parseRow(row: SheetRow): Result<ParsedAllocation, RowError[]> {
  const r = new CellReader(row);
  const fiscalYear = r.integer('fiscalYear');
  const amountCents = r.dollars('amount');
  const waitDays = r.integer('waitDays');
  if (r.errors.length > 0) return err(r.errors);
  const parsed = parseAllocation({
    country: r.text('country'),
    program: r.text('program'),
    fiscalYear: fiscalYear ?? 0,
    amountCents: amountCents ?? -1,
    reason: r.text('reason'),
    notified: r.optionalText('notified') ?? undefined,
    waitDays,
    source: r.optionalText('source'),
  });
  return parsed.ok ? parsed : err(rowRefusal('allocations', row.row, parsed.error));
}

export const allocationImporter: EntityImporter<ParsedAllocation> = {
  capability: 'allocations.write',
  parseRow,
  /**
   * The same amount as the allocation's latest version (pending or in force) is unchanged; another
   * is a new version, under the allocation rules (a change that needs a notification without
   * one is refused on the row's `notified`). The source, when the row gives none, is the run.
   */
  async applyRow(tx, ctx, actor, now, parsed, note) {
    const { country, program } = parsed.key;
    const head = (await listAllocationHeads(tx, { country, fiscalYear: parsed.fiscalYear })).find(
      (h) => h.program === program,
    );
    if (head?.amountCents === parsed.amountCents) return ok({ outcome: 'unchanged', audit: [] });
    const set = await applySetAllocation(tx, ctx, actor, now, {
      ...parsed,
      source: parsed.source ?? `import ${note.runId} (${note.file.name} row ${note.row})`,
    });
    if (!set.ok) return set;
    return ok({ outcome: head === undefined ? 'created' : 'updated', audit: set.value.audit });
  },
};

/** Each allocation's latest version (the amount once nothing is pending), as rows of an allocation file. */
export async function allocationExport(
  ctx: AppContext,
  _actor: Actor,
  filter: ExportFilter,
): Promise<Result<TableRow[]>> {
  const heads = await listAllocationHeads(ctx.store.db, filter);
  return ok(
    heads.map((h) => ({
      country: h.country,
      program: h.program,
      fiscalYear: String(h.fiscalYear),
      amount: centsText(h.amountCents),
      reason: h.reason,
      notified: h.notifiedOn ?? '',
      waitDays: h.waitDays === null ? '' : String(h.waitDays),
      source: h.source ?? '',
    })),
  );
}
