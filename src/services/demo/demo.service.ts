// `attache demo load`: fills an empty database with budget allocations, a catalog, restriction
// histories and the Pakistan story (DESIGN §1), in one audited transaction; the story is replayed
// through the services' apply functions on its own dates (demo-replay.ts).
import type { Actor } from '../../core/actor.js';
import type { BudgetStage } from '../../core/imports/vocabulary.js';
import { isoDate } from '../../core/dates.js';
import { err, ok, type DomainError, type Result } from '../../core/result.js';
import type { AuditRecord } from '../../store/audit.repository.js';
import type { Executor } from '../../store/database.js';
import { countRecords } from '../../store/stats.repository.js';
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
import { demoStudentSteps, type StorySeat } from './demo-students.js';
import {
  readDemoFiles,
  type DemoFiles,
  type DemoRestriction,
  type PakistanStory,
} from './demo-files.js';
import { applyEndRelief, applyRecordRelief, parseRelief } from '../eligibility/relief.service.js';
import { applyRecordRestriction, parseRestriction } from '../eligibility/restriction.service.js';
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
    // The story is recorded as it happened: the IMET exception first open-ended, then ended on
    // 2018-08-01, which cascades onto the FY2018 seats programmed under it (pakistanSteps).
    const storyRestriction = files.pakistan.restriction;
    const openStory = {
      ...storyRestriction,
      reliefs: storyRestriction.reliefs.map((r) =>
        r.key === files.pakistan.cancelledBy ? { ...r, until: null } : r,
      ),
    };
    const restrictions = [...files.restrictions, openStory];
    const story = pakistanSteps(tx, ctx, actor, files.pakistan);
    const people = demoStudentSteps(tx, ctx, actor, files.students, story.seat);
    await replay(
      [
        ...restrictions.flatMap((r) => restrictionSteps(tx, ctx, actor, r)),
        ...story.steps,
        ...people.steps,
      ],
      now,
      audit,
    );
    story.check();
    return ok({
      value: {
        allocations: budget.allocations,
        budgetLines: budget.lines,
        budgetFigures: budget.figures,
        schools: catalog.schools,
        courses: catalog.courses,
        restrictions: restrictions.length,
        reliefs: restrictions.reduce((n, r) => n + r.reliefs.length, 0),
        notifications: restrictions.reduce(
          (n, r) => n + r.reliefs.filter((x) => x.notifiedOn != null).length,
          0,
        ),
        trainingLines: files.pakistan.lines.length + people.lines,
        seats: files.pakistan.lines.reduce((n, l) => n + l.seats, 0) + people.seats,
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

export function restrictionId(key: string): string {
  return `rst_${key.toLowerCase()}`;
}

export function reliefId(key: string): string {
  return `rlf_${key.toLowerCase()}`;
}

/** A restriction of the demo and its reliefs as steps: each recorded on the day it was decided. */
function restrictionSteps(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  r: DemoRestriction,
): DemoStep[] {
  const id = restrictionId(r.key);
  const decidedOn = r.determinedOn ?? r.from;
  const steps: DemoStep[] = [
    {
      on: decidedOn,
      what: `restriction ${r.key}`,
      run: (now) => {
        const parsed = unwrap(
          r.key,
          parseRestriction({ ...r, courseFilter: r.courseFilter ?? null }),
        );
        return applyRecordRestriction(tx, ctx, actor, now, {
          ...parsed,
          id,
          dateQuality: r.dateQuality ?? null,
        });
      },
    },
  ];
  for (const relief of r.reliefs) {
    const notified = relief.notifiedOn ?? null;
    const parsed = unwrap(
      relief.key,
      parseRelief({
        type: relief.type,
        grounds: relief.grounds,
        programs: relief.programs,
        schools: relief.schools ?? undefined,
        ...(notified === null
          ? { from: relief.from }
          : { notified, waitDays: relief.waitDays ?? 15 }),
        until: relief.until,
        authority: relief.authority,
        justification: relief.justification,
        source: relief.source ?? null,
      }),
    );
    if (parsed.from !== relief.from) {
      throw new Error(
        `${relief.key}: takes effect ${relief.from}, but its notification window ends ${parsed.from}`,
      );
    }
    // Never recorded before its restriction, whatever the order of the days in the sources.
    const on = [notified ?? relief.from, decidedOn].sort()[1]!;
    steps.push({
      on,
      what: `relief ${relief.key}`,
      run: (now) =>
        applyRecordRelief(tx, ctx, actor, now, id, { ...parsed, id: reliefId(relief.key) }),
    });
  }
  return steps;
}

/**
 * The Pakistan story's FY2018 lines, programmed under the IMET exception, and the end of that
 * exception on 2018-08-01: the same cascade a program manager's `relief end` runs cancels them.
 */
function pakistanSteps(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  story: PakistanStory,
): { steps: DemoStep[]; seat: StorySeat; check: () => void } {
  const endedRelief = story.restriction.reliefs.find((r) => r.key === story.cancelledBy);
  if (endedRelief?.until === null || endedRelief === undefined)
    throw new Error(`${story.cancelledBy}: no end date`);
  const until = endedRelief.until;
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
  let cancelled: number | undefined;
  steps.push({
    on: until,
    what: `end of ${story.cancelledBy}`,
    run: async (now) => {
      const ended = await applyEndRelief(
        tx,
        actor,
        now,
        reliefId(endedRelief.key),
        isoDate(until),
        'IMET participation suspended in August 2018',
      );
      if (ended.ok) cancelled = ended.value.value.impact.byStatus.cancelled ?? 0;
      return ended;
    },
  });
  const seat: StorySeat = (country, fiscalYear, course) => {
    const id = seats.get(`${country}:${fiscalYear}:${course}`)?.shift();
    if (id === undefined)
      throw new Error(`demo students: no ${course} seat of FY${fiscalYear} left to claim`);
    return id;
  };
  const check = (): void => {
    const expected = story.lines
      .filter((l) => l.status === 'cancelled')
      .reduce((n, l) => n + l.seats, 0);
    if (cancelled !== expected)
      throw new Error(`the Pakistan story cancelled ${cancelled ?? 0} seats, not ${expected}`);
  };
  return { steps, seat, check };
}
