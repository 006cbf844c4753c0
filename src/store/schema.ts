// The database schema, one for PGlite and PostgreSQL; drizzle-kit generates the migrations from it.
// Constraints the database can enforce live here; the exclusion constraint, extensions and the
// audit-log guard are in the custom migration (drizzle/0001_constraints.sql).
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { ROLES } from '../core/actor.js';
import {
  ALL_SCREENING_OUTCOMES,
  ENGLISH_EXEMPTIONS,
  NON_COMPLETION_CAUSES,
  PROMINENCE,
  QUARTERS,
  SCHOOL_EVENTS,
  SCREENING_KINDS,
  UNIT_VETTING_OUTCOMES,
} from '../core/students/vocabulary.js';
import { COURSE_CATEGORIES, SEAT_STATUSES } from '../core/training.js';
import { BUDGET_STAGES, IMPORT_KINDS, JOB_STATUSES } from '../core/imports/vocabulary.js';
import {
  DATE_QUALITIES,
  RELIEF_TYPES,
  RESTRICTION_KINDS,
  WAIVER_GROUNDS,
} from '../core/restrictions.js';

/** Bytes (PostgreSQL `bytea`), read and written as a Node Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

const recordedAt = () => timestamp('recorded_at', { withTimezone: true, mode: 'string' }).notNull();
const supersededAt = () => timestamp('superseded_at', { withTimezone: true, mode: 'string' });

/** SQL list literal for a check constraint, e.g. `('a','b')`. */
function oneOf(values: readonly string[]) {
  return sql.raw(`(${values.map((v) => `'${v}'`).join(', ')})`);
}

export const countries = pgTable(
  'countries',
  {
    iso3: text('iso3').primaryKey(),
    iso2: text('iso2').notNull(),
    name: text('name').notNull(),
    natoMember: boolean('nato_member').notNull().default(false),
    fmtReportExcluded: boolean('fmt_report_excluded').notNull().default(false),
    grantImetExcluded: boolean('grant_imet_excluded').notNull().default(false),
  },
  (t) => [check('countries_iso3_format', sql`${t.iso3} ~ '^[A-Z]{3}$'`)],
);

export const programs = pgTable('programs', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
});

export const programGroups = pgTable('program_groups', {
  code: text('code').primaryKey(),
});

export const programGroupMembers = pgTable(
  'program_group_members',
  {
    groupCode: text('group_code')
      .notNull()
      .references(() => programGroups.code),
    programCode: text('program_code')
      .notNull()
      .references(() => programs.code),
  },
  (t) => [primaryKey({ columns: [t.groupCode, t.programCode] })],
);

/** The identity of a restriction; its content lives in versions. */
export const restrictions = pgTable(
  'restrictions',
  {
    id: text('id').primaryKey(),
    countryIso3: text('country_iso3')
      .notNull()
      .references(() => countries.iso3),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [index('restrictions_country_idx').on(t.countryIso3)],
);

/** Bitemporal versions: valid time [valid_from, valid_until), transaction time [recorded_at, superseded_at). */
export const restrictionVersions = pgTable(
  'restriction_versions',
  {
    restrictionId: text('restriction_id')
      .notNull()
      .references(() => restrictions.id),
    version: integer('version').notNull(),
    kind: text('kind').notNull(),
    scope: text('scope').array().notNull(),
    programs: text('programs').array().notNull(),
    courseFilter: text('course_filter'),
    dateQuality: text('date_quality'),
    untilQuality: text('until_quality'),
    basis: text('basis').notNull(),
    authority: text('authority').notNull(),
    determinedOn: date('determined_on', { mode: 'string' }),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }),
    seatPolicy: text('seat_policy').notNull().default('cancel'),
    source: text('source'),
    description: text('description'),
    liftNotificationId: text('lift_notification_id').references(
      () => congressionalNotifications.id,
    ),
    importRunId: text('import_run_id').references(() => importRuns.id),
    recordedAt: recordedAt(),
    supersededAt: supersededAt(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.restrictionId, t.version] }),
    check('restriction_versions_kind', sql`${t.kind} in ${oneOf(RESTRICTION_KINDS)}`),
    check(
      'restriction_versions_date_quality',
      sql`${t.dateQuality} is null or ${t.dateQuality} in ${oneOf(DATE_QUALITIES)}`,
    ),
    check(
      'restriction_versions_until_quality',
      sql`${t.untilQuality} is null or ${t.untilQuality} in ${oneOf(DATE_QUALITIES)}`,
    ),
    check('restriction_versions_seat_policy', sql`${t.seatPolicy} in ('cancel', 'hold')`),
    check(
      'restriction_versions_interval',
      sql`${t.validUntil} is null or ${t.validUntil} > ${t.validFrom}`,
    ),
    check(
      'restriction_versions_transaction_time',
      sql`${t.supersededAt} is null or ${t.supersededAt} >= ${t.recordedAt}`,
    ),
    check('restriction_versions_programs', sql`cardinality(${t.programs}) > 0`),
    uniqueIndex('restriction_versions_current')
      .on(t.restrictionId)
      .where(sql`${t.supersededAt} is null`),
  ],
);

/**
 * One row per program of each restriction version: what the exclusion constraint against
 * overlapping same-kind restrictions (custom migration) is declared on.
 */
export const restrictionSpans = pgTable(
  'restriction_spans',
  {
    restrictionId: text('restriction_id').notNull(),
    version: integer('version').notNull(),
    programCode: text('program_code')
      .notNull()
      .references(() => programs.code),
    countryIso3: text('country_iso3')
      .notNull()
      .references(() => countries.iso3),
    kind: text('kind').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }),
    supersededAt: supersededAt(),
  },
  (t) => [
    primaryKey({ columns: [t.restrictionId, t.version, t.programCode] }),
    foreignKey({
      columns: [t.restrictionId, t.version],
      foreignColumns: [restrictionVersions.restrictionId, restrictionVersions.version],
    }),
  ],
);

export const congressionalNotifications = pgTable(
  'congressional_notifications',
  {
    id: text('id').primaryKey(),
    countryIso3: text('country_iso3')
      .notNull()
      .references(() => countries.iso3),
    subject: text('subject').notNull(),
    notifiedOn: date('notified_on', { mode: 'string' }).notNull(),
    waitDays: integer('wait_days').notNull().default(15),
    windowEndsOn: date('window_ends_on', { mode: 'string' }).notNull(),
    source: text('source'),
    recordedAt: recordedAt(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [
    check('congressional_notifications_wait', sql`${t.waitDays} >= 0`),
    check(
      'congressional_notifications_window',
      sql`${t.windowEndsOn} = ${t.notifiedOn} + ${t.waitDays}`,
    ),
  ],
);

export const reliefs = pgTable(
  'reliefs',
  {
    id: text('id').primaryKey(),
    restrictionId: text('restriction_id')
      .notNull()
      .references(() => restrictions.id),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [index('reliefs_restriction_idx').on(t.restrictionId)],
);

export const reliefVersions = pgTable(
  'relief_versions',
  {
    reliefId: text('relief_id')
      .notNull()
      .references(() => reliefs.id),
    version: integer('version').notNull(),
    type: text('type').notNull(),
    grounds: text('grounds'),
    programs: text('programs').array().notNull(),
    courseIds: text('course_ids').array(),
    schoolIds: text('school_ids').array(),
    notificationId: text('notification_id').references(() => congressionalNotifications.id),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }),
    dateQuality: text('date_quality'),
    untilQuality: text('until_quality'),
    scopeStated: boolean('scope_stated').notNull().default(true),
    authority: text('authority').notNull(),
    justification: text('justification').notNull(),
    source: text('source'),
    importRunId: text('import_run_id').references(() => importRuns.id),
    recordedAt: recordedAt(),
    supersededAt: supersededAt(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.reliefId, t.version] }),
    check('relief_versions_type', sql`${t.type} in ${oneOf(RELIEF_TYPES)}`),
    check(
      'relief_versions_grounds',
      sql`${t.grounds} is null or ${t.grounds} in ${oneOf(WAIVER_GROUNDS)}`,
    ),
    check(
      'relief_versions_interval',
      sql`${t.validUntil} is null or ${t.validUntil} > ${t.validFrom}`,
    ),
    check('relief_versions_programs', sql`cardinality(${t.programs}) > 0`),
    check(
      'relief_versions_date_quality',
      sql`(${t.dateQuality} is null or ${t.dateQuality} in ${oneOf(DATE_QUALITIES)}) and (${t.untilQuality} is null or ${t.untilQuality} in ${oneOf(DATE_QUALITIES)})`,
    ),
    uniqueIndex('relief_versions_current')
      .on(t.reliefId)
      .where(sql`${t.supersededAt} is null`),
  ],
);

/** Country × program × FY allocation; every change is a new row, the old one superseded. */
export const allocations = pgTable(
  'allocations',
  {
    id: text('id').primaryKey(),
    countryIso3: text('country_iso3')
      .notNull()
      .references(() => countries.iso3),
    programCode: text('program_code')
      .notNull()
      .references(() => programs.code),
    fiscalYear: integer('fiscal_year').notNull(),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
    /** The day the amount takes effect: at once, or when a notification's waiting period ends. */
    effectiveFrom: date('effective_from', { mode: 'string' })
      .notNull()
      .default(sql`'1950-01-01'`),
    reason: text('reason').notNull(),
    source: text('source'),
    notificationId: text('notification_id').references(() => congressionalNotifications.id),
    /** The budget stage of the table the amount came from (`enacted` only: a request or an estimate is no allocation). */
    budgetStage: text('budget_stage'),
    recordedAt: recordedAt(),
    supersededAt: supersededAt(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [
    check(
      'allocations_budget_stage',
      sql`${t.budgetStage} is null or ${t.budgetStage} in ${oneOf(BUDGET_STAGES)}`,
    ),
    check('allocations_amount', sql`${t.amountCents} >= 0`),
    check('allocations_fy', sql`${t.fiscalYear} between 1950 and 2100`),
    uniqueIndex('allocations_current')
      .on(t.countryIso3, t.programCode, t.fiscalYear, t.effectiveFrom)
      .where(sql`${t.supersededAt} is null`),
  ],
);

/** Budget-table lines that are not one country: regional programs, central and multi-country lines. */
export const budgetLines = pgTable(
  'budget_lines',
  {
    id: text('id').primaryKey(),
    fiscalYear: integer('fiscal_year').notNull(),
    programCode: text('program_code')
      .notNull()
      .references(() => programs.code),
    name: text('name').notNull(),
    kind: text('kind').notNull(),
    region: text('region'),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
    source: text('source'),
    budgetStage: text('budget_stage'),
    recordedAt: recordedAt(),
  },
  (t) => [
    check(
      'budget_lines_budget_stage',
      sql`${t.budgetStage} is null or ${t.budgetStage} in ${oneOf(BUDGET_STAGES)}`,
    ),
    check('budget_lines_amount', sql`${t.amountCents} >= 0`),
    check(
      'budget_lines_kind',
      sql`${t.kind} in ('total', 'region', 'regional-program', 'central', 'multi-country', 'unrecognised')`,
    ),
    uniqueIndex('budget_lines_unique').on(t.fiscalYear, t.programCode, t.name),
  ],
);

export const schools = pgTable('schools', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  location: text('location').notNull(),
  department: text('department').notNull(),
});

export const courses = pgTable(
  'courses',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    schoolId: text('school_id')
      .notNull()
      .references(() => schools.id),
    category: text('category').notNull(),
    eImet: boolean('e_imet').notNull().default(false),
    dedicated: boolean('dedicated').notNull().default(false),
    lengthWeeks: integer('length_weeks').notNull(),
    eclMin: integer('ecl_min'),
    opiMin: text('opi_min'),
    retiredOn: date('retired_on', { mode: 'string' }),
    source: text('source'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    check('courses_category', sql`${t.category} in ${oneOf(COURSE_CATEGORIES)}`),
    check('courses_length', sql`${t.lengthWeeks} > 0`),
    check('courses_ecl', sql`${t.eclMin} is null or ${t.eclMin} between 0 and 100`),
  ],
);

export const courseTuition = pgTable(
  'course_tuition',
  {
    courseId: text('course_id')
      .notNull()
      .references(() => courses.id),
    fiscalYear: integer('fiscal_year').notNull(),
    tuitionCents: bigint('tuition_cents', { mode: 'number' }).notNull(),
    illustrative: boolean('illustrative').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.courseId, t.fiscalYear] }),
    check('course_tuition_amount', sql`${t.tuitionCents} >= 0`),
  ],
);

/**
 * The international seats one class of a course has (the military department's quota): its
 * priority A (funded) seats may not exceed them; priority B lines are the wish list and may.
 */
export const courseClasses = pgTable(
  'course_classes',
  {
    courseId: text('course_id')
      .notNull()
      .references(() => courses.id),
    classStart: date('class_start', { mode: 'string' }).notNull(),
    internationalSeats: integer('international_seats').notNull(),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.courseId, t.classStart] }),
    check('course_classes_seats', sql`${t.internationalSeats} >= 0`),
  ],
);

export const trainingLines = pgTable(
  'training_lines',
  {
    id: text('id').primaryKey(),
    countryIso3: text('country_iso3')
      .notNull()
      .references(() => countries.iso3),
    fiscalYear: integer('fiscal_year').notNull(),
    courseId: text('course_id')
      .notNull()
      .references(() => courses.id),
    programCode: text('program_code')
      .notNull()
      .references(() => programs.code),
    seatCount: integer('seat_count').notNull(),
    classStart: date('class_start', { mode: 'string' }).notNull(),
    priority: text('priority').notNull(),
    unitTuitionCents: bigint('unit_tuition_cents', { mode: 'number' }).notNull(),
    allowanceCents: bigint('allowance_cents', { mode: 'number' }).notNull().default(0),
    /** The purpose or foreign-policy justification of the training (the FMT report's, 22 USC 2416(b)). */
    purpose: text('purpose'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [
    check('training_lines_seats', sql`${t.seatCount} > 0`),
    check('training_lines_priority', sql`${t.priority} in ('A', 'B', 'D')`),
    check('training_lines_money', sql`${t.unitTuitionCents} >= 0 and ${t.allowanceCents} >= 0`),
    check(
      'training_lines_class_in_fy',
      sql`${t.classStart} >= make_date(${t.fiscalYear} - 1, 10, 1) and ${t.classStart} < make_date(${t.fiscalYear}, 10, 1)`,
    ),
    index('training_lines_country_fy_idx').on(t.countryIso3, t.fiscalYear),
  ],
);

export const students = pgTable(
  'students',
  {
    id: text('id').primaryKey(),
    countryIso3: text('country_iso3')
      .notNull()
      .references(() => countries.iso3),
    familyName: text('family_name').notNull(),
    givenNames: text('given_names').notNull(),
    nameVariants: text('name_variants')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    birthDate: date('birth_date', { mode: 'string' }),
    birthPlace: text('birth_place'),
    service: text('service'),
    rank: text('rank'),
    usGrade: text('us_grade'),
    unit: text('unit'),
    contact: text('contact'),
    passportNumber: text('passport_number'),
    passportExpiresOn: date('passport_expires_on', { mode: 'string' }),
    serviceNumber: text('service_number'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [
    index('students_country_idx').on(t.countryIso3),
    index('students_unit_idx').on(t.countryIso3, t.unit),
  ],
);

export const seats = pgTable(
  'seats',
  {
    id: text('id').primaryKey(),
    lineId: text('line_id')
      .notNull()
      .references(() => trainingLines.id),
    ordinal: integer('ordinal').notNull(),
    status: text('status').notNull(),
    previousStatus: text('previous_status'),
    reason: text('reason'),
    penaltyCents: bigint('penalty_cents', { mode: 'number' }).notNull().default(0),
    restrictionId: text('restriction_id').references(() => restrictions.id),
    /** A fixed cancellation reason code (core seat rules), when cancelled. */
    cancellationReason: text('cancellation_reason'),
    cancelledOn: date('cancelled_on', { mode: 'string' }),
    /** The day the seat was held: the day eligibility turned, not the day it was recorded. */
    heldOn: date('held_on', { mode: 'string' }),
    refilled: boolean('refilled').notNull().default(false),
    penaltyRule: text('penalty_rule'),
    /** In training, or its class under way, when a restriction reached it: waits for a decision. */
    flagged: boolean('flagged').notNull().default(false),
    flagReason: text('flag_reason'),
    /** The day the restriction reached the flagged seat. */
    flaggedOn: date('flagged_on', { mode: 'string' }),
    studentId: text('student_id').references(() => students.id),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [
    check('seats_status', sql`${t.status} in ${oneOf(SEAT_STATUSES)}`),
    check(
      'seats_previous_status',
      sql`${t.previousStatus} is null or ${t.previousStatus} in ${oneOf(SEAT_STATUSES)}`,
    ),
    check('seats_penalty', sql`${t.penaltyCents} >= 0`),
    uniqueIndex('seats_line_ordinal').on(t.lineId, t.ordinal),
    index('seats_restriction_idx').on(t.restrictionId),
    // The seats a cascade can still reach: few among a country's years of finished ones.
    index('seats_open_idx')
      .on(t.lineId, t.ordinal)
      .where(sql`${t.status} not in ('cancelled', 'completed', 'not-completed')`),
  ],
);

export const screenings = pgTable(
  'screenings',
  {
    id: text('id').primaryKey(),
    studentId: text('student_id')
      .notNull()
      .references(() => students.id),
    seatId: text('seat_id').references(() => seats.id),
    kind: text('kind').notNull(),
    outcome: text('outcome').notNull(),
    onDate: date('on_date', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }),
    score: integer('score'),
    /** OPI: listening/speaking levels, e.g. 2+/2. */
    level: text('level'),
    notes: text('notes'),
    recordedAt: recordedAt(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [
    check('screenings_kind', sql`${t.kind} in ${oneOf(SCREENING_KINDS)}`),
    check('screenings_outcome', sql`${t.outcome} in ${oneOf(ALL_SCREENING_OUTCOMES)}`),
    check('screenings_score', sql`${t.score} is null or ${t.score} between 0 and 100`),
    check('screenings_validity', sql`${t.validUntil} is null or ${t.validUntil} >= ${t.onDate}`),
    index('screenings_student_idx').on(t.studentId, t.kind),
  ],
);

/** Leahy vetting of a unit, by country and the unit's name as recorded on students. */
export const unitVettings = pgTable(
  'unit_vettings',
  {
    id: text('id').primaryKey(),
    countryIso3: text('country_iso3')
      .notNull()
      .references(() => countries.iso3),
    unit: text('unit').notNull(),
    outcome: text('outcome').notNull(),
    onDate: date('on_date', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }),
    notes: text('notes'),
    recordedAt: recordedAt(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [
    check('unit_vettings_outcome', sql`${t.outcome} in ${oneOf(UNIT_VETTING_OUTCOMES)}`),
    index('unit_vettings_unit_idx').on(t.countryIso3, t.unit),
  ],
);

/** A student put forward for a seat, with the defense attaché consulted (22 USC 2347f). */
export const nominations = pgTable(
  'nominations',
  {
    id: text('id').primaryKey(),
    seatId: text('seat_id')
      .notNull()
      .references(() => seats.id),
    studentId: text('student_id')
      .notNull()
      .references(() => students.id),
    nominatedOn: date('nominated_on', { mode: 'string' }).notNull(),
    attacheConsultedOn: date('attache_consulted_on', { mode: 'string' }).notNull(),
    attacheName: text('attache_name').notNull(),
    attacheView: text('attache_view'),
    dependentsAuthorised: integer('dependents_authorised').notNull().default(0),
    quarters: text('quarters').notNull().default('commercial'),
    mess: boolean('mess').notNull().default(false),
    withdrawnOn: date('withdrawn_on', { mode: 'string' }),
    recordedAt: recordedAt(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [
    check('nominations_quarters', sql`${t.quarters} in ${oneOf(QUARTERS)}`),
    check('nominations_dependents', sql`${t.dependentsAuthorised} between 0 and 20`),
    uniqueIndex('nominations_active_seat')
      .on(t.seatId)
      .where(sql`${t.withdrawnOn} is null`),
    index('nominations_student_idx').on(t.studentId),
  ],
);

/** Countries exempt from English testing, entirely or only from testing in the country. */
export const englishExemptions = pgTable(
  'english_exemptions',
  {
    countryIso3: text('country_iso3')
      .primaryKey()
      .references(() => countries.iso3),
    scope: text('scope').notNull(),
    basis: text('basis').notNull(),
    recordedAt: recordedAt(),
  },
  (t) => [check('english_exemptions_scope', sql`${t.scope} in ${oneOf(ENGLISH_EXEMPTIONS)}`)],
);

/** Invitational travel orders: one row per revision; an amendment adds the next revision. */
export const travelOrders = pgTable(
  'travel_orders',
  {
    number: text('number').notNull(),
    revision: integer('revision').notNull(),
    seatId: text('seat_id')
      .notNull()
      .references(() => seats.id),
    studentId: text('student_id')
      .notNull()
      .references(() => students.id),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    /** The order as issued, every field (canonical JSON): the PDF is rendered from it. */
    content: text('content').notNull(),
    reason: text('reason'),
    recordedAt: recordedAt(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.number, t.revision] }),
    check('travel_orders_revision', sql`${t.revision} >= 0`),
    index('travel_orders_seat_idx').on(t.seatId),
  ],
);

/** What a school reported about a student on a seat, each dated. */
export const schoolEvents = pgTable(
  'school_events',
  {
    id: text('id').primaryKey(),
    seatId: text('seat_id')
      .notNull()
      .references(() => seats.id),
    studentId: text('student_id')
      .notNull()
      .references(() => students.id),
    event: text('event').notNull(),
    cause: text('cause'),
    onDate: date('on_date', { mode: 'string' }).notNull(),
    academicReport: text('academic_report'),
    recordedAt: recordedAt(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [
    check('school_events_event', sql`${t.event} in ${oneOf(SCHOOL_EVENTS)}`),
    check(
      'school_events_cause',
      sql`(${t.event} = 'not-completed') = (${t.cause} is not null) and (${t.cause} is null or ${t.cause} in ${oneOf(NON_COMPLETION_CAUSES)})`,
    ),
    index('school_events_seat_idx').on(t.seatId),
  ],
);

/** The 22 USC 2347g record of instruction: one row per course a participant took. */
export const trainingRecords = pgTable(
  'training_records',
  {
    id: text('id').primaryKey(),
    studentId: text('student_id')
      .notNull()
      .references(() => students.id),
    seatId: text('seat_id').references(() => seats.id),
    courseId: text('course_id')
      .notNull()
      .references(() => courses.id),
    programCode: text('program_code').references(() => programs.code),
    startedOn: date('started_on', { mode: 'string' }),
    endedOn: date('ended_on', { mode: 'string' }),
    outcome: text('outcome'),
    cause: text('cause'),
    academicReport: text('academic_report'),
    /** Tuition charged pro rata when the student did not complete. */
    chargeCents: bigint('charge_cents', { mode: 'number' }),
    /** The day the living allowance stopped (not completed). */
    allowanceStoppedOn: date('allowance_stopped_on', { mode: 'string' }),
    recordedAt: recordedAt(),
  },
  (t) => [
    check(
      'training_records_dates',
      sql`${t.endedOn} is null or ${t.startedOn} is null or ${t.endedOn} >= ${t.startedOn}`,
    ),
    check(
      'training_records_outcome',
      sql`${t.outcome} is null or ${t.outcome} in ('completed', 'not-completed')`,
    ),
    uniqueIndex('training_records_seat').on(t.seatId),
    index('training_records_student_idx').on(t.studentId),
  ],
);

export const careerPositions = pgTable(
  'career_positions',
  {
    id: text('id').primaryKey(),
    studentId: text('student_id')
      .notNull()
      .references(() => students.id),
    title: text('title').notNull(),
    rank: text('rank'),
    usGrade: text('us_grade'),
    location: text('location'),
    fromDate: date('from_date', { mode: 'string' }).notNull(),
    /** The position-of-prominence category, when it is one. */
    prominence: text('prominence'),
    recordedAt: recordedAt(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [
    check(
      'career_positions_prominence',
      sql`${t.prominence} is null or ${t.prominence} in ${oneOf(Object.keys(PROMINENCE))}`,
    ),
    index('career_positions_student_idx').on(t.studentId),
  ],
);

/** Human-rights findings on a participant (22 USC 2347g(c)): appended, never edited or removed. */
export const humanRightsFindings = pgTable(
  'human_rights_findings',
  {
    id: text('id').primaryKey(),
    studentId: text('student_id')
      .notNull()
      .references(() => students.id),
    foundOn: date('found_on', { mode: 'string' }).notNull(),
    summary: text('summary').notNull(),
    source: text('source').notNull(),
    recordedAt: recordedAt(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [index('human_rights_findings_student_idx').on(t.studentId)],
);

/** The roles of DESIGN §2; users hold one, scoped by user_scopes. */
export const roles = pgTable(
  'roles',
  {
    code: text('code').primaryKey(),
    description: text('description').notNull(),
  },
  (t) => [check('roles_code', sql`${t.code} in ${oneOf(ROLES)}`)],
);

/**
 * People who sign in (DESIGN §2). `email` is the login, stored lower-cased; `passwordHash` is an
 * argon2id hash, null for an account that signs in only through single sign-on.
 */
export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull().unique(),
    displayName: text('display_name').notNull(),
    role: text('role')
      .notNull()
      .references(() => roles.code),
    passwordHash: text('password_hash'),
    /** Subject of the identity provider, for an account reached by single sign-on. */
    oidcSubject: text('oidc_subject').unique(),
    disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [check('users_email_lower', sql`${t.email} = lower(${t.email})`)],
);

export const userScopes = pgTable(
  'user_scopes',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    countryIso3: text('country_iso3').references(() => countries.iso3),
    schoolId: text('school_id').references(() => schools.id),
  },
  (t) => [
    check('user_scopes_one_target', sql`(${t.countryIso3} is null) <> (${t.schoolId} is null)`),
    uniqueIndex('user_scopes_country_idx').on(t.userId, t.countryIso3),
    uniqueIndex('user_scopes_school_idx').on(t.userId, t.schoolId),
  ],
);

/**
 * Signed-in browser sessions, shared by every server on the database. The cookie carries a random
 * secret; only its sha256 is stored, so a copy of this table signs no one in.
 */
export const sessions = pgTable(
  'sessions',
  {
    secretHash: text('secret_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** sha256 of the CSRF token a cookie-authenticated write must echo in X-CSRF-Token. */
    csrfHash: text('csrf_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'string' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** API tokens for scripts: shown once, stored as sha256, acting with their user's role and scopes. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    secretHash: text('secret_hash').notNull().unique(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'string' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'string' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);

/**
 * Failed sign-ins per login name (known or not, so both answer alike): after too many within the
 * window the name is locked until `lockedUntil`.
 */
export const loginFailures = pgTable('login_failures', {
  login: text('login').primaryKey(),
  failures: integer('failures').notNull(),
  firstAt: timestamp('first_at', { withTimezone: true, mode: 'string' }).notNull(),
  lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'string' }),
});

/**
 * Requests counted against the rate limits (decision 019), shared by every server on the database:
 * `used` units by `key` (`caller:…`, `address:…`) in the fixed window starting at `windowStart`
 * (epoch seconds). Each server adds what it counted a few times a second and reads the total back.
 */
export const rateCounts = pgTable(
  'rate_counts',
  {
    key: text('key').notNull(),
    windowStart: bigint('window_start', { mode: 'number' }).notNull(),
    used: integer('used').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.key, t.windowStart] }),
    index('rate_counts_window_idx').on(t.windowStart),
  ],
);

/**
 * Single sign-ons under way (decision 011): one row per redirect to the identity provider, found by
 * the sha256 of the secret in the browser's short-lived cookie and taken (deleted) by the callback,
 * so a flow completes once, on any server. State, nonce and PKCE verifier are derived from that
 * secret: nothing here starts or finishes a sign-on.
 */
export const oidcFlows = pgTable(
  'oidc_flows',
  {
    secretHash: text('secret_hash').primaryKey(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'string' }).notNull(),
  },
  (t) => [index('oidc_flows_expires_idx').on(t.expiresAt)],
);

/**
 * Append-only, hash-chained audit log (DESIGN §6). Everything the hash covers is stored as text,
 * exactly as hashed, so verification never depends on how the database re-serialises values.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    recordedAt: text('recorded_at').notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    before: text('before'),
    after: text('after'),
    reason: text('reason'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    check('audit_log_seq', sql`${t.seq} > 0`),
    index('audit_log_entity_idx').on(t.entityType, t.entityId),
  ],
);

/** Bumped by triggers on every write to the eligibility records and the catalog (custom migrations 0005, 0015). */
export const changeCounter = pgTable(
  'change_counter',
  {
    id: integer('id').primaryKey(),
    value: bigint('value', { mode: 'number' }).notNull(),
  },
  (t) => [check('change_counter_single_row', sql`${t.id} = 1`)],
);

/**
 * What each write to the eligibility records changed, in commit order (custom migration 0015):
 * `seq` is the change counter's value the writing statement took; `topic` a country's ISO3 code,
 * `courses` (the catalog's courses) or `countries` (the reference list, or anything that asks for
 * everything to be read again); `record` and `recordId` the restriction, relief or notification
 * written (empty for courses and countries). Every server reads it after a notification on channel
 * `attache_changes` and reads again only those records. The triggers keep the last
 * CHANGE_LOG_WINDOW counter values.
 */
export const eligibilityChanges = pgTable(
  'eligibility_changes',
  {
    seq: bigint('seq', { mode: 'number' }).notNull(),
    topic: text('topic').notNull(),
    record: text('record').notNull(),
    recordId: text('record_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.seq, t.topic, t.record, t.recordId] })],
);

/**
 * A committee's request for the Foreign Military Training report to cover a country it would
 * otherwise leave out (NATO members, Australia, Japan, New Zealand: 22 USC 2416(a)).
 */
export const committeeRequests = pgTable(
  'committee_requests',
  {
    id: text('id').primaryKey(),
    countryIso3: text('country_iso3')
      .notNull()
      .references(() => countries.iso3),
    committee: text('committee').notNull(),
    requestedOn: date('requested_on', { mode: 'string' }).notNull(),
    source: text('source'),
    recordedAt: recordedAt(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [uniqueIndex('committee_requests_unique').on(t.countryIso3, t.committee, t.requestedOn)],
);

/** One file imported (or exported and imported back): what it was, its digest and what it did. */
export const importRuns = pgTable(
  'import_runs',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    fileName: text('file_name').notNull(),
    sha256: text('sha256').notNull(),
    /** Budget tables only: request, estimate or enacted, when the importer said so. */
    budgetStage: text('budget_stage'),
    /** What the import did: created, updated, unchanged and its notes. */
    summary: text('summary').notNull(),
    recordedAt: recordedAt(),
    recordedBy: text('recorded_by').notNull(),
  },
  (t) => [
    check('import_runs_kind', sql`${t.kind} in ${oneOf(IMPORT_KINDS)}`),
    check(
      'import_runs_budget_stage',
      sql`${t.budgetStage} is null or ${t.budgetStage} in ${oneOf(BUDGET_STAGES)}`,
    ),
    check('import_runs_sha256', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
    index('import_runs_kind_idx').on(t.kind, t.recordedAt),
  ],
);

/**
 * Every figure of a budget table, every account (not only the programs Attaché allocates), as
 * the table states it, in thousands of dollars: countries, regional subtotals, regional,
 * multi-country, central and bureau lines, and the TOTAL. A figure is never an allocation in force
 * by itself: an enacted table's security-assistance amounts are also recorded as allocations.
 */
export const budgetFigures = pgTable(
  'budget_figures',
  {
    id: text('id').primaryKey(),
    importRunId: text('import_run_id')
      .notNull()
      .references(() => importRuns.id),
    fiscalYear: integer('fiscal_year').notNull(),
    /** `unstated` when the file did not say. */
    budgetStage: text('budget_stage').notNull(),
    account: text('account').notNull(),
    lineName: text('line_name').notNull(),
    /** The country the line is, or null for a line that is no one country. */
    countryIso3: text('country_iso3'),
    kind: text('kind').notNull(),
    region: text('region'),
    amountThousands: bigint('amount_thousands', { mode: 'number' }).notNull(),
    recordedAt: recordedAt(),
    supersededAt: supersededAt(),
  },
  (t) => [
    check(
      'budget_figures_stage',
      sql`${t.budgetStage} = 'unstated' or ${t.budgetStage} in ${oneOf(BUDGET_STAGES)}`,
    ),
    check(
      'budget_figures_kind',
      sql`${t.kind} in ('country', 'total', 'region', 'regional-program', 'central', 'multi-country', 'unrecognised')`,
    ),
    uniqueIndex('budget_figures_current')
      .on(t.fiscalYear, t.budgetStage, t.account, t.lineName)
      .where(sql`${t.supersededAt} is null`),
    index('budget_figures_country_idx').on(t.countryIso3, t.fiscalYear),
  ],
);

/**
 * Long work (large reports, imports) run as a job: its progress and its result are visible
 * through the API while it runs and after. On PostgreSQL a queue runs it; on the embedded
 * database the same job code runs in the server's process.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    status: text('status').notNull(),
    /** The job's input as JSON text (what was asked, never a secret). */
    input: text('input').notNull(),
    progressDone: integer('progress_done').notNull().default(0),
    progressTotal: integer('progress_total'),
    progressNote: text('progress_note'),
    resultFileName: text('result_file_name'),
    resultContentType: text('result_content_type'),
    resultBytes: bytea('result_bytes'),
    /** The result's summary or the refusal (problem) as JSON text. */
    outcome: text('outcome'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'string' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'string' }),
    /** How many times it was started: a job that may run again after a crash is started at most 3 times. */
    starts: integer('starts').notNull().default(0),
  },
  (t) => [
    check('jobs_status', sql`${t.status} in ${oneOf(JOB_STATUSES)}`),
    index('jobs_created_by_idx').on(t.createdBy, t.createdAt),
  ],
);

/**
 * The one write of a job that writes (an import), recorded in that write's own transaction with
 * what it answered: a job run again after its server died finds here that its write committed, and
 * ends with that answer rather than writing twice. No row: the write never committed.
 */
export const jobWrites = pgTable('job_writes', {
  jobId: text('job_id').primaryKey(),
  /** What the write answered, as JSON text (the job's summary). */
  value: text('value').notNull(),
  recordedAt: recordedAt(),
});

/**
 * A re-programming applied (issue 17): the proposal's pool and day, and the digest of the record it
 * was proposed from (the apply is refused when the record has moved since).
 */
export const reprogrammings = pgTable('reprogrammings', {
  id: text('id').primaryKey(),
  fiscalYear: integer('fiscal_year').notNull(),
  pool: text('pool').notNull(),
  proposedOn: date('proposed_on', { mode: 'string' }).notNull(),
  basis: text('basis').notNull(),
  usedCents: bigint('used_cents', { mode: 'number' }).notNull(),
  recordedAt: recordedAt(),
});

/** The money each source country's pool gave a re-programming: not proposed again. */
export const reprogrammingSources = pgTable(
  'reprogramming_sources',
  {
    reprogrammingId: text('reprogramming_id')
      .notNull()
      .references(() => reprogrammings.id),
    countryIso3: text('country_iso3')
      .notNull()
      .references(() => countries.iso3),
    fiscalYear: integer('fiscal_year').notNull(),
    cents: bigint('cents', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.reprogrammingId, t.countryIso3] }),
    check('reprogramming_sources_cents', sql`${t.cents} > 0`),
    index('reprogramming_sources_fy_idx').on(t.fiscalYear, t.countryIso3),
  ],
);
