// `attache demo load`: fills an empty database with budget allocations, a catalog, restriction
// histories and the Pakistan story (DESIGN §1), in one audited transaction; the story is replayed
// through the services' apply functions on its own dates (demo-replay.ts).
import type { Actor } from '../../core/actor.js';
import type { BudgetStage } from '../../core/imports/vocabulary.js';
import { err, ok, type DomainError, type Result } from '../../core/result.js';
import type { AuditRecord } from '../../store/audit.repository.js';
import type { Executor } from '../../store/database.js';
import { countRecords, countSeats } from '../../store/stats.repository.js';
import {
  applyImportBudget,
  parseBudgetFiles,
  type BudgetFileResult,
  type ParsedBudgetFile,
} from '../imports/budget-import.service.js';
import { importFile } from '../imports/import-file.js';
import { applyAddCourse, parseCourse } from '../training/catalog.service.js';
import type { AppContext } from '../context.js';
import { replay, unwrap, type DemoStep } from './demo-replay.js';
import { demoListSteps } from './demo-lists.js';
import { demoStudentSteps, type StorySeat } from './demo-students.js';
import { readDemoFiles, type DemoFiles, type PakistanStory } from './demo-files.js';
import { historySteps, parseHistoryFile, withRow } from '../imports/history-import.service.js';
import { recordImportRun } from '../imports/import-run.js';
import { applyAddSchool, parseSchool } from '../training/school.service.js';
import { applyAddLine, parseLine } from '../training/training.service.js';
import { writeTransaction } from '../unit-of-work.js';

export interface DemoSummary {
  readonly allocations: number;
  /** Lines of the budget tables that are no one country (TOTAL, regions, programs, central lines). */
  readonly budgetLines: number;
  /** Every figure of every account of the ten tables, with its stage. */
  readonly budgetFigures: number;
  readonly schools: number;
  readonly courses: number;
  readonly restrictions: number;
  readonly reliefs: number;
  readonly notifications: number;
  readonly trainingLines: number;
  readonly seats: number;
  readonly students: number;
  /** What the budget import did, file by file (repairs, names mapped, checks). */
  readonly notes: readonly string[];
}

/**
 * The stage of each demo table, as far as the data's README knows it (decision 015): FY2008's IMET
 * TOTAL matches the enacted level, FY2017 is the request; the others are not labelled, so unstated.
 * Only FY2008 therefore becomes allocations in force.
 */
export const DEMO_BUDGET_STAGES: Readonly<Record<number, BudgetStage>> = Object.freeze({
  2008: 'enacted',
  2017: 'request',
});

/** Whether the database holds program data already (reference data does not count). */
export async function isEmpty(ctx: AppContext): Promise<boolean> {
  const counts = await countRecords(ctx.store.db);
  return counts.allocations + counts.restrictions + counts.courses + counts.trainingLines === 0;
}

/** Loads the demo when the database has no program data; otherwise does nothing. */
export async function loadDemoIfEmpty(
  ctx: AppContext,
  actor: Actor,
): Promise<Result<DemoSummary | null>> {
  if (!(await isEmpty(ctx))) return ok(null);
  return loadDemo(ctx, actor);
}

/** Loads the demo into an empty database, all or nothing. */
export async function loadDemo(
  ctx: AppContext,
  actor: Actor,
  files: DemoFiles = readDemoFiles(),
): Promise<Result<DemoSummary>> {
  const history = parseHistoryFile(files.history);
  if (!history.ok) return history;
  const tables: ParsedBudgetFile[] = [];
  for (const budget of files.budgets) {
    const parsed = parseBudgetFiles(
      [importFile(budget.file, budget.bytes)],
      DEMO_BUDGET_STAGES[budget.fy] ?? null,
    );
    if (!parsed.ok) return parsed;
    tables.push(...parsed.value);
  }
  return writeTransaction(ctx, actor, 'reference.write', async (tx, now) => {
    const counts = await countRecords(tx);
    if (counts.allocations + counts.restrictions + counts.courses + counts.trainingLines > 0) {
      return err<DomainError>({
        code: 'CONFLICT',
        reason: 'DEMO.NOT_EMPTY',
        message:
          'the database already holds program data; the demo loads only into an empty database',
        details: { ...counts },
      });
    }
    const imported = await applyImportBudget(tx, ctx, actor, now, tables);
    const budget = budgetSummary(imported.value.files, tables);
    const audit: AuditRecord[] = [...imported.audit];
    const catalog = await loadCatalog(tx, files, audit);
    // The history is an import like any other (decision 017): its run names the shipped file, and
    // its writes are replayed on the days they happened, among the story's own.
    const { plan } = history.value;
    const counted = plan.restrictions.reduce((n, r) => n + 1 + r.reliefs.length, 0);
    const run = await recordImportRun(tx, ctx, actor, now, {
      kind: 'history',
      file: files.history,
      counts: { created: counted, updated: 0, unchanged: 0 },
      notes: plan.notes.map((n) => `row ${n.row} (${n.country}): ${n.text}`),
    });
    audit.push(run.audit);
    const restrictionWrites: DemoStep[] = historySteps(ctx, actor, plan, run.run.id).map(
      (step) => ({
        on: step.on,
        what: `${step.what} (history row ${step.row})`,
        run: async (stepNow) => {
          const done = await step.run(tx, stepNow);
          if (!done.ok) return done;
          return ok({
            value: done.value.value,
            audit: done.value.audit.map((a) => withRow(a, run.run.id, files.history, step.row)),
          });
        },
      }),
    );
    const story = pakistanSteps(tx, ctx, files.pakistan);
    const people = demoStudentSteps(tx, ctx, actor, files.students, story.seat);
    const lists = demoListSteps(tx, ctx, actor, files.lists);
    await replay(
      [...restrictionWrites, ...story.steps, ...people.steps, ...lists.steps],
      now,
      audit,
    );
    await story.check();
    return ok({
      value: {
        allocations: budget.allocations + lists.allocations,
        budgetLines: budget.lines,
        budgetFigures: budget.figures,
        schools: catalog.schools,
        courses: catalog.courses,
        restrictions: plan.restrictions.length,
        reliefs: plan.restrictions.reduce((n, r) => n + r.reliefs.length, 0),
        notifications: plan.restrictions.reduce(
          (n, r) =>
            n +
            (r.lift?.notifiedOn == null ? 0 : 1) +
            r.reliefs.filter((x) => x.notifiedOn !== null).length,
          0,
        ),
        trainingLines: files.pakistan.lines.length + people.lines + lists.lines,
        seats: files.pakistan.lines.reduce((n, l) => n + l.seats, 0) + people.seats + lists.seats,
        students: people.students,
        notes: budget.notes,
      },
      audit,
    });
  });
}

/** What the budget import recorded, and its notes file by file (the reconciliation first). */
function budgetSummary(
  files: readonly BudgetFileResult[],
  tables: readonly ParsedBudgetFile[],
): { allocations: number; lines: number; figures: number; notes: string[] } {
  const notes = files.flatMap((f) => {
    const checks = tables.find((t) => t.file.name === f.file)?.table.checks ?? [];
    const holding = checks.filter((c) => c.ok).length;
    return [
      `FY${f.fiscalYear} (${f.stage}): ${holding} of ${checks.length} reconciliation checks hold`,
      ...f.notes.map((n) => `FY${f.fiscalYear}: ${n}`),
    ];
  });
  return {
    allocations: files.reduce((n, f) => n + f.allocations.created, 0),
    lines: tables.reduce((n, t) => n + t.table.lines.length, 0),
    figures: files.reduce((n, f) => n + f.figures.created, 0),
    notes,
  };
}

/** The catalog, added as a catalog manager adds schools and courses (an import: no day of its own). */
async function loadCatalog(
  tx: Executor,
  files: DemoFiles,
  audit: AuditRecord[],
): Promise<{ schools: number; courses: number }> {
  for (const school of files.catalog.schools) {
    const added = unwrap(
      `school ${school.id}`,
      await applyAddSchool(tx, unwrap(school.id, parseSchool(school))),
    );
    audit.push(...added.audit);
  }
  for (const course of files.catalog.courses) {
    const parsed = unwrap(
      course.id,
      parseCourse({
        ...course,
        school: course.schoolId,
        tuition: Object.entries(course.tuitionCents).map(([fy, cents]) => ({
          fiscalYear: Number(fy),
          cents,
        })),
      }),
    );
    const added = unwrap(
      `course ${course.id}`,
      await applyAddCourse(tx, { ...parsed, tuitionIllustrative: course.tuitionIllustrative }),
    );
    audit.push(...added.audit);
  }
  return { schools: files.catalog.schools.length, courses: files.catalog.courses.length };
}

/**
 * The Pakistan story's FY2018 lines, programmed under the IMET exception of January 2018; the
 * history's end of that exception in August 2018 cascades onto them, as a program manager's
 * `relief end` would, and the check says the seats the story expects were cancelled.
 */
function pakistanSteps(
  tx: Executor,
  ctx: AppContext,
  story: PakistanStory,
): { steps: DemoStep[]; seat: StorySeat; check: () => Promise<void> } {
  const seats = new Map<string, string[]>();
  const steps: DemoStep[] = story.lines.map((line) => ({
    on: story.programmedOn,
    what: `line ${line.course} of FY${story.fiscalYear}`,
    run: async (now) => {
      const parsed = unwrap(
        line.course,
        parseLine({
          country: story.country,
          fiscalYear: story.fiscalYear,
          course: line.course,
          seats: line.seats,
          classStart: line.classStart,
          priority: line.priority,
          program: story.program,
          allowanceCents: line.allowanceCents,
          purpose: line.purpose,
        }),
      );
      const added = await applyAddLine(tx, ctx, now, parsed);
      if (added.ok) {
        const key = `${story.country}:${story.fiscalYear}:${line.course}`;
        seats.set(key, [...(seats.get(key) ?? []), ...added.value.value.seats.map((s) => s.id)]);
      }
      return added;
    },
  }));
  const seat: StorySeat = (country, fiscalYear, course) => {
    const id = seats.get(`${country}:${fiscalYear}:${course}`)?.shift();
    if (id === undefined)
      throw new Error(`demo students: no ${course} seat of FY${fiscalYear} left to claim`);
    return id;
  };
  const check = async (): Promise<void> => {
    const expected = story.lines
      .filter((l) => l.status === 'cancelled')
      .reduce((n, l) => n + l.seats, 0);
    const cancelled = await countSeats(tx, story.country, story.fiscalYear, 'cancelled');
    if (cancelled !== expected)
      throw new Error(`the Pakistan story cancelled ${cancelled} seats, not ${expected}`);
  };
  return { steps, seat, check };
}
