// Training lines in and out of a file: matched by id, else by country, FY, course, program and class start; programmed within the caller's countries.
import { seesCountry } from '../../core/access.js';
import type { Actor } from '../../core/actor.js';
import {
  CellReader,
  centsText,
  rowRefusal,
  type SheetRow,
} from '../../core/imports/entity-columns.js';
import type { RowError } from '../../core/imports/import-report.js';
import { err, invalid, notFound, ok, type Result } from '../../core/result.js';
import type { Executor } from '../../store/database.js';
import {
  listLineRecords,
  updateLinePurpose,
  type LineRecord,
} from '../../store/entity-import.repository.js';
import { countryInScope } from '../access/scope.js';
import type { AppContext } from '../context.js';
import { applyAddLine, parseLine, type ParsedLine } from '../training/training.service.js';
import type { EntityImporter, ExportFilter } from './entity-import.service.js';
import type { TableRow } from './tabular-file.js';

interface LineRow {
  /** Blank: matched by country, FY, course, program and class start. */
  readonly id: string | null;
  readonly line: ParsedLine;
}

function parseRow(row: SheetRow): Result<LineRow, RowError[]> {
  const r = new CellReader(row);
  const fiscalYear = r.integer('fiscalYear');
  const seats = r.integer('seats');
  const allowanceCents = r.dollars('allowance');
  if (r.errors.length > 0) return err(r.errors);
  const line = parseLine({
    country: r.text('country').toUpperCase(),
    fiscalYear: fiscalYear ?? 0,
    course: r.text('course').toUpperCase(),
    seats: seats ?? 0,
    classStart: r.text('classStart'),
    priority: r.text('priority').toUpperCase(),
    program: r.optionalText('program') ?? undefined,
    allowanceCents,
    purpose: r.optionalText('purpose'),
  });
  if (!line.ok) return err(rowRefusal('lines', row.row, line.error));
  return ok({ id: r.optionalText('id'), line: line.value });
}

/** The line a row names: by id (of the actor's countries), or by its natural key, or none (new). */
async function matchLine(
  tx: Executor,
  actor: Actor,
  row: LineRow,
): Promise<Result<LineRecord | undefined>> {
  const l = row.line;
  if (row.id !== null) {
    const [found] = await listLineRecords(tx, { id: row.id });
    if (found === undefined || !seesCountry(actor, found.country))
      return err(notFound('training line', row.id, 'id'));
    return ok(found);
  }
  const found = await listLineRecords(tx, {
    country: l.country,
    fiscalYear: l.fiscalYear,
    courseId: l.course,
    program: l.program,
    classStart: l.classStart,
  });
  if (found.length > 1)
    return err(
      invalid(
        'id',
        `${found.length} lines of ${l.country} have this course, program and class start (${found.map((f) => f.id).join(', ')}): give the id`,
      ),
    );
  return ok(found[0]);
}

/** The first column where the row and the line differ, other than the purpose. */
function programmedDifference(before: LineRecord, l: ParsedLine): string | undefined {
  const pairs: [string, unknown, unknown][] = [
    ['country', before.country, l.country],
    ['fiscalYear', before.fiscalYear, l.fiscalYear],
    ['course', before.courseId, l.course],
    ['program', before.program, l.program],
    ['classStart', before.classStart, l.classStart],
    ['seats', before.seatCount, l.seats],
    ['priority', before.priority, l.priority],
    ['allowance', before.allowanceCents, l.allowanceCents],
  ];
  return pairs.find(([, was, is]) => was !== is)?.[0];
}

export const lineImporter: EntityImporter<LineRow> = {
  capability: 'training.write',
  parseRow,
  /**
   * A new line is programmed as `training add-line` programs it (eligibility, tuition, scope). An
   * existing line's seats have lives of their own, so an import changes only its purpose; any
   * other difference is refused on its column.
   */
  async applyRow(tx, ctx, actor, now, row) {
    const scope = countryInScope(actor, row.line.country);
    if (!scope.ok) return scope;
    const matched = await matchLine(tx, actor, row);
    if (!matched.ok) return matched;
    const before = matched.value;
    if (before === undefined) {
      const added = await applyAddLine(tx, ctx, now, row.line);
      return added.ok ? ok({ outcome: 'created', audit: added.value.audit }) : added;
    }
    const differs = programmedDifference(before, row.line);
    if (differs !== undefined)
      return err(
        invalid(
          differs,
          `line ${before.id} is programmed with another ${differs}: an import changes only a line's purpose (add a line, or move its seats one by one)`,
        ),
      );
    const purpose = row.line.purpose ?? null;
    if (purpose === before.purpose) return ok({ outcome: 'unchanged', audit: [] });
    if ((await updateLinePurpose(tx, before.id, before.version, purpose)) === 0)
      throw new Error(`line ${before.id} changed inside the import's own transaction`);
    const after = { ...before, purpose, version: before.version + 1 };
    return ok({
      outcome: 'updated',
      audit: [
        {
          action: 'line.correct',
          entityType: 'training-line',
          entityId: before.id,
          before,
          after,
          reason: 'purpose',
        },
      ],
    });
  },
};

/** The lines of the actor's countries (of one country or FY when asked), as rows of a line file. */
export async function lineExport(
  ctx: AppContext,
  actor: Actor,
  filter: ExportFilter,
): Promise<Result<TableRow[]>> {
  const lines = (await listLineRecords(ctx.store.db, filter)).filter((l) =>
    seesCountry(actor, l.country),
  );
  return ok(
    lines.map((l) => ({
      id: l.id,
      country: l.country,
      fiscalYear: String(l.fiscalYear),
      course: l.courseId,
      program: l.program,
      classStart: l.classStart,
      seats: String(l.seatCount),
      priority: l.priority,
      allowance: centsText(l.allowanceCents),
      purpose: l.purpose ?? '',
    })),
  );
}
