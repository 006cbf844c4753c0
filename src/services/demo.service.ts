// `attache demo load`: fills an empty database with budget allocations, a catalog, restriction
// histories and the Pakistan story (DESIGN §1), in one audited transaction.
import type { Actor } from '../core/actor.js';
import { parseBudgetBytes, type BudgetTable } from '../core/budget/budget-table.js';
import { accountForProgram } from '../core/budget/program-accounts.js';
import { addDays, isoDate } from '../core/dates.js';
import { thousandsToCents } from '../core/money.js';
import { PROGRAM_GROUPS, expandScope, type ProgramCode } from '../core/programs.js';
import type {
  CongressionalNotification,
  ReliefVersion,
  RestrictionVersion,
} from '../core/restrictions.js';
import { err, ok, type DomainError, type Result } from '../core/result.js';
import {
  insertAllocations,
  insertBudgetLines,
  type AllocationRow,
  type BudgetLineRow,
} from '../store/allocation.repository.js';
import type { AuditRecord } from '../store/audit.repository.js';
import { insertCourse, insertSchool, listTuitionForYear } from '../store/catalog.repository.js';
import type { Executor } from '../store/database.js';
import { readCountries } from '../store/reference.repository.js';
import { listReliefVersions, supersedeReliefVersion } from '../store/eligibility.repository.js';
import {
  insertNotification,
  insertRelief,
  insertReliefVersion,
  insertRestriction,
} from '../store/restriction.repository.js';
import { countRecords } from '../store/stats.repository.js';
import { insertTrainingLine, type SeatRow } from '../store/training.repository.js';
import type { AppContext } from './context.js';
import { cascade, recordsBefore } from './cascade.service.js';
import { loadDemoStudents } from './demo-students.js';
import { writeTransaction } from './unit-of-work.js';
import {
  readDemoFiles,
  type DemoFiles,
  type DemoRestriction,
  type PakistanStory,
} from './demo-files.js';

export interface DemoSummary {
  readonly allocations: number;
  readonly budgetLines: number;
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

const BUDGET_SOURCE =
  'US State Department country-by-account budget tables (Congressional Budget Justification), CSIS transcription';

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
  const tables: BudgetTable[] = [];
  for (const budget of files.budgets) {
    const parsed = parseBudgetBytes(budget.bytes, budget.fy);
    if (!parsed.ok)
      return err({ ...parsed.error, message: `${budget.file}: ${parsed.error.message}` });
    tables.push(parsed.value);
  }
  return writeTransaction(ctx, actor, async (tx, now) => {
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
    const known = new Set((await readCountries(tx)).map((c) => c.iso3));
    const audit: AuditRecord[] = [];
    const budget = await loadBudgets(tx, ctx, actor, now, tables, known, audit);
    const catalog = await loadCatalog(tx, files, audit);
    let restrictions = 0;
    let reliefs = 0;
    let notifications = 0;
    // The Pakistan story is recorded as it happened: the IMET exception first open-ended, then
    // ended on 2018-08-01, which cascades onto the FY2018 seats (loadPakistanSeats).
    const storyRestriction = files.pakistan.restriction;
    const openStory = {
      ...storyRestriction,
      reliefs: storyRestriction.reliefs.map((r) =>
        r.key === files.pakistan.cancelledBy ? { ...r, until: null } : r,
      ),
    };
    for (const r of [...files.restrictions, openStory]) {
      const loaded = await loadRestriction(tx, actor, now, r, audit);
      restrictions++;
      reliefs += loaded.reliefs;
      notifications += loaded.notifications;
    }
    const story = await loadPakistanSeats(tx, ctx, actor, now, files.pakistan, audit);
    const years = new Map<number, Map<string, number>>();
    const people = await loadDemoStudents(
      tx,
      ctx,
      actor,
      now,
      files.students,
      async (course, fy) => {
        if (!years.has(fy)) years.set(fy, await tuitionByCourse(tx, fy));
        const cents = years.get(fy)!.get(course);
        if (cents === undefined) throw new Error(`demo students: ${course} has no FY${fy} tuition`);
        return cents;
      },
      audit,
    );
    return ok({
      value: {
        allocations: budget.allocations,
        budgetLines: budget.lines,
        schools: catalog.schools,
        courses: catalog.courses,
        restrictions,
        reliefs,
        notifications,
        trainingLines: story.lines + people.lines,
        seats: story.seats + people.seats,
        students: people.students,
        notes: budget.notes,
      },
      audit,
    });
  });
}

async function loadBudgets(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  now: string,
  tables: readonly BudgetTable[],
  known: ReadonlySet<string>,
  audit: AuditRecord[],
): Promise<{ allocations: number; lines: number; notes: string[] }> {
  const allocations: AllocationRow[] = [];
  const lines: BudgetLineRow[] = [];
  const notes: string[] = [];
  const programs = PROGRAM_GROUPS['security-assistance'];
  for (const table of tables) {
    const source = `${BUDGET_SOURCE}, FY${table.fy}${table.sourceUrl === null ? '' : ` (${table.sourceUrl})`}`;
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
  return { allocations: allocations.length, lines: lines.length, notes };
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

async function loadCatalog(
  tx: Executor,
  files: DemoFiles,
  audit: AuditRecord[],
): Promise<{ schools: number; courses: number }> {
  for (const school of files.catalog.schools) {
    await insertSchool(tx, school);
    audit.push({ action: 'school.add', entityType: 'school', entityId: school.id, after: school });
  }
  for (const course of files.catalog.courses) {
    const row = {
      id: course.id,
      title: course.title,
      schoolId: course.schoolId,
      category: course.category,
      eImet: course.eImet,
      dedicated: course.dedicated,
      lengthWeeks: course.lengthWeeks,
      eclMin: course.eclMin,
      opiMin: course.opiMin,
      source: course.source ?? null,
    };
    const tuition = Object.entries(course.tuitionCents).map(([fy, cents]) => ({
      courseId: course.id,
      fiscalYear: Number(fy),
      tuitionCents: cents,
      illustrative: course.tuitionIllustrative,
    }));
    await insertCourse(tx, row, tuition);
    audit.push({
      action: 'course.add',
      entityType: 'course',
      entityId: course.id,
      after: { ...row, tuition },
    });
  }
  return { schools: files.catalog.schools.length, courses: files.catalog.courses.length };
}

function programsOf(terms: readonly string[], where: string): ProgramCode[] {
  const expanded = expandScope(terms);
  if (!expanded.ok) throw new Error(`${where}: unknown program or group ${expanded.unknown}`);
  return expanded.programs;
}

export function restrictionId(key: string): string {
  return `rst_${key.toLowerCase()}`;
}

export function reliefId(key: string): string {
  return `rlf_${key.toLowerCase()}`;
}

/**
 * When the demo says a decision was recorded: on the day it was made (15:00 UTC, office hours in
 * Washington), never after the load itself. So "as known on" a past day has an answer in the demo:
 * on 2019-12-01 the 2020 IMET exception for Pakistan was not yet on record.
 */
function recordedOn(date: string, now: string): string {
  const instant = `${date}T15:00:00.000Z`;
  return instant < now ? instant : now;
}

async function loadRestriction(
  tx: Executor,
  actor: Actor,
  now: string,
  r: DemoRestriction,
  audit: AuditRecord[],
): Promise<{ reliefs: number; notifications: number }> {
  const version: RestrictionVersion = {
    id: restrictionId(r.key),
    version: 1,
    country: r.country,
    kind: r.kind,
    scope: r.scope,
    programs: programsOf(r.scope, r.key),
    courseFilter: r.courseFilter ?? null,
    dateQuality: r.dateQuality ?? null,
    basis: r.basis,
    authority: r.authority,
    determinedOn:
      r.determinedOn === undefined || r.determinedOn === null ? null : isoDate(r.determinedOn),
    from: isoDate(r.from),
    until: r.until === null ? null : isoDate(r.until),
    seatPolicy: r.seatPolicy,
    source: r.source ?? null,
    description: r.description ?? null,
    recordedAt: recordedOn(r.determinedOn ?? r.from, now),
    supersededAt: null,
    recordedBy: actor.id,
  };
  await insertRestriction(tx, version);
  audit.push({
    action: 'restriction.record',
    entityType: 'restriction',
    entityId: version.id,
    after: version,
  });
  let notifications = 0;
  for (const relief of r.reliefs) {
    let notificationId: string | null = null;
    if (relief.notifiedOn !== undefined && relief.notifiedOn !== null) {
      const notifiedOn = isoDate(relief.notifiedOn);
      const waitDays = relief.waitDays ?? 15;
      const notification: CongressionalNotification = {
        id: `cn_${relief.key.toLowerCase()}`,
        country: r.country,
        subject: `${relief.type} of ${version.id} for ${relief.programs.join(', ')}`,
        notifiedOn,
        waitDays,
        windowEndsOn: addDays(notifiedOn, waitDays),
        source: relief.source ?? null,
      };
      if (notification.windowEndsOn !== relief.from) {
        throw new Error(
          `${relief.key}: takes effect ${relief.from}, but its notification window ends ${notification.windowEndsOn}`,
        );
      }
      await insertNotification(tx, notification, recordedOn(notifiedOn, now), actor.id);
      audit.push({
        action: 'notification.record',
        entityType: 'notification',
        entityId: notification.id,
        after: notification,
      });
      notificationId = notification.id;
      notifications++;
    }
    const rv: ReliefVersion = {
      id: reliefId(relief.key),
      version: 1,
      restrictionId: version.id,
      type: relief.type,
      grounds: relief.grounds,
      programs: programsOf(relief.programs, relief.key),
      courseIds: null,
      schoolIds: relief.schools ?? null,
      notificationId,
      from: isoDate(relief.from),
      until: relief.until === null ? null : isoDate(relief.until),
      authority: relief.authority,
      justification: relief.justification,
      source: relief.source ?? null,
      recordedAt: recordedOn(relief.notifiedOn ?? relief.from, now),
      supersededAt: null,
      recordedBy: actor.id,
    };
    await insertRelief(tx, rv);
    audit.push({ action: 'relief.record', entityType: 'relief', entityId: rv.id, after: rv });
  }
  return { reliefs: r.reliefs.length, notifications };
}

async function loadPakistanSeats(
  tx: Executor,
  ctx: AppContext,
  actor: Actor,
  now: string,
  story: PakistanStory,
  audit: AuditRecord[],
): Promise<{ lines: number; seats: number }> {
  const endedRelief = story.restriction.reliefs.find((r) => r.key === story.cancelledBy);
  if (endedRelief?.until === null || endedRelief === undefined)
    throw new Error(`${story.cancelledBy}: no end date`);
  const tuition = await tuitionByCourse(tx, story.fiscalYear);
  let seats = 0;
  for (const line of story.lines) {
    const unitTuitionCents = tuition.get(line.course);
    if (unitTuitionCents === undefined)
      throw new Error(`pakistan story: course ${line.course} has no FY${story.fiscalYear} tuition`);
    const lineId = ctx.newId('tl');
    const row = {
      id: lineId,
      countryIso3: story.country,
      fiscalYear: story.fiscalYear,
      courseId: line.course,
      programCode: story.program,
      seatCount: line.seats,
      classStart: line.classStart,
      priority: line.priority,
      unitTuitionCents,
      allowanceCents: line.allowanceCents,
      createdAt: now,
    };
    // Seats the August 2018 turn cancels are programmed first; the cascade below cancels them.
    const status = line.status === 'cancelled' ? 'programmed' : line.status;
    const lineSeats: SeatRow[] = Array.from({ length: line.seats }, (_, i) => ({
      id: ctx.newId('seat'),
      lineId,
      ordinal: i + 1,
      status,
      updatedAt: now,
    }));
    await insertTrainingLine(tx, row, lineSeats);
    audit.push({ action: 'line.add', entityType: 'training-line', entityId: lineId, after: row });
    for (const seat of lineSeats) {
      audit.push({ action: 'seat.add', entityType: 'seat', entityId: seat.id, after: seat });
    }
    seats += line.seats;
  }
  // End the IMET exception on its recorded date: the same cascade a program manager's `relief end` runs.
  const ending = reliefId(endedRelief.key);
  const before = await recordsBefore(tx, story.country);
  const [first] = await listReliefVersions(tx, ending);
  if (first === undefined) throw new Error(`${ending} was not recorded`);
  const endedAt = recordedOn(endedRelief.until, now);
  const ended = {
    ...first,
    version: 2,
    until: isoDate(endedRelief.until),
    recordedAt: endedAt,
    recordedBy: actor.id,
  };
  await supersedeReliefVersion(tx, ending, 1, endedAt);
  await insertReliefVersion(tx, ended);
  audit.push({
    action: 'relief.end',
    entityType: 'relief',
    entityId: ending,
    before: first,
    after: ended,
    reason: 'IMET participation suspended in August 2018',
  });
  const { impact, audit: seatAudit } = await cascade(tx, story.country, before, now);
  const expected = story.lines
    .filter((l) => l.status === 'cancelled')
    .reduce((n, l) => n + l.seats, 0);
  if (impact.byStatus.cancelled !== expected) {
    throw new Error(
      `the Pakistan story cancelled ${impact.byStatus.cancelled ?? 0} seats, not ${expected}`,
    );
  }
  audit.push(...seatAudit);
  return { lines: story.lines.length, seats };
}

async function tuitionByCourse(tx: Executor, fy: number): Promise<Map<string, number>> {
  return new Map((await listTuitionForYear(tx, fy)).map((t) => [t.courseId, t.tuitionCents]));
}
