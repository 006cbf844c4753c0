// What deep audit verification compares: how the services audit each kind of record (the rules),
// and the records as they stand, read in the words of their audit entries.
import type { RecordRule } from '../../core/audit-replay.js';
import { IMPORT_KINDS } from '../../core/imports/vocabulary.js';
import {
  readAllocationStates,
  readBudgetLineStates,
  readCourseClassStates,
  readImportRunStates,
  readCareerStates,
  readEnglishExemptionStates,
  readFindingStates,
  readNominationStates,
  readPastTrainingStates,
  readScreeningStates,
  readSeatStates,
  readTrainingLineStates,
  readTravelOrderStates,
  readUnitVettingStates,
  type RecordState,
} from '../../store/audited-records.repository.js';
import {
  listCourseRecords,
  listSchoolRows,
  listTuitionRecords,
} from '../../store/catalog-admin.repository.js';
import type { Executor } from '../../store/database.js';
import { loadEligibilityRecords } from '../../store/eligibility.repository.js';
import {
  readCountries,
  readProgramCodes,
  readProgramGroups,
  readRoles,
} from '../../store/reference.repository.js';
import { listStudents } from '../../store/student.repository.js';
import { toCourse } from '../training/course-view.js';

const oneOf =
  (...actions: string[]) =>
  (action: string): boolean =>
    actions.includes(action);
const under =
  (...prefixes: string[]) =>
  (action: string): boolean =>
    prefixes.some((p) => action.startsWith(p));

const SEAT_DEFAULTS = {
  previousStatus: null,
  reason: null,
  cancellationReason: null,
  cancelledOn: null,
  heldOn: null,
  refilled: false,
  penaltyCents: 0,
  penaltyRule: null,
  restrictionId: null,
  flagged: false,
  flagReason: null,
  flaggedOn: null,
  studentId: null,
  version: 1,
};

/**
 * Every kind of record whose audit entries state it as a row: the entries of other actions (the
 * sub-records of a student, a unit, a travel order) are counted and reported as not compared.
 */
export const RECORD_RULES: readonly RecordRule[] = [
  {
    record: 'country',
    entityType: 'country',
    actions: oneOf('country.add', 'country.update'),
    key: 'entity',
    fields: ['iso3', 'iso2', 'name', 'natoMember', 'fmtReportExcluded', 'grantImetExcluded'],
  },
  {
    record: 'program',
    entityType: 'program',
    actions: oneOf('program.add'),
    key: 'entity',
    fields: ['code', 'name'],
  },
  {
    record: 'program-group',
    entityType: 'program-group',
    actions: oneOf('program-group.add', 'program-group.update'),
    key: 'entity',
    fields: ['code', 'members'],
    unordered: ['members'],
  },
  {
    record: 'role',
    entityType: 'role',
    actions: oneOf('role.add'),
    key: 'entity',
    fields: ['code', 'description'],
  },
  {
    record: 'restriction',
    entityType: 'restriction',
    actions: under('restriction.'),
    key: 'version',
    supersedes: true,
    fields: [
      'id',
      'version',
      'country',
      'kind',
      'scope',
      'programs',
      'courseFilter',
      'dateQuality',
      'untilQuality',
      'basis',
      'authority',
      'determinedOn',
      'from',
      'until',
      'seatPolicy',
      'source',
      'description',
      'liftNotificationId',
      'importRunId',
      'recordedAt',
      'supersededAt',
      'recordedBy',
    ],
  },
  {
    record: 'relief',
    entityType: 'relief',
    actions: under('relief.'),
    key: 'version',
    supersedes: true,
    fields: [
      'id',
      'version',
      'restrictionId',
      'type',
      'grounds',
      'programs',
      'courseIds',
      'schoolIds',
      'notificationId',
      'from',
      'until',
      'dateQuality',
      'untilQuality',
      'scopeStated',
      'authority',
      'justification',
      'source',
      'importRunId',
      'recordedAt',
      'supersededAt',
      'recordedBy',
    ],
  },
  {
    record: 'notification',
    entityType: 'notification',
    actions: oneOf('notification.record'),
    key: 'entity',
    fields: ['id', 'country', 'subject', 'notifiedOn', 'waitDays', 'windowEndsOn', 'source'],
  },
  {
    record: 'allocation',
    entityType: 'allocation',
    actions: oneOf('allocation.set', 'allocation.supersede'),
    key: 'entity',
    fields: [
      'id',
      'country',
      'program',
      'fiscalYear',
      'amountCents',
      'effectiveFrom',
      'reason',
      'source',
      'notificationId',
      'recordedAt',
      'supersededAt',
      'recordedBy',
    ],
    // The demo's budget-table import states the inserted row, in the table's words.
    aliases: { countryIso3: 'country', programCode: 'program' },
    defaults: {
      'allocation.set': { effectiveFrom: '1950-01-01', notificationId: null, supersededAt: null },
    },
  },
  {
    record: 'budget-line',
    entityType: 'budget-line',
    actions: oneOf('budget-line.import'),
    key: 'entity',
    fields: [
      'id',
      'fiscalYear',
      'programCode',
      'name',
      'kind',
      'region',
      'amountCents',
      'source',
      'recordedAt',
    ],
  },
  {
    record: 'import-run',
    entityType: 'import-run',
    // Every import's run: `import.budget`, `import.courses`, … (recordImportRun).
    actions: oneOf(...IMPORT_KINDS.map((kind) => `import.${kind}`)),
    key: 'entity',
    fields: [
      'id',
      'kind',
      'fileName',
      'sha256',
      'budgetStage',
      'summary',
      'recordedAt',
      'recordedBy',
    ],
  },
  {
    record: 'school',
    entityType: 'school',
    actions: oneOf('school.add'),
    key: 'entity',
    fields: ['id', 'name', 'location', 'department'],
  },
  {
    record: 'course',
    entityType: 'course',
    actions: under('course.'),
    key: 'entity',
    // The school's name, location and department are the school's, compared there.
    fields: [
      'id',
      'title',
      'school',
      'category',
      'eImet',
      'dedicated',
      'lengthWeeks',
      'eclMin',
      'opiMin',
      'tuition',
      'retired',
      'retiredOn',
      'source',
      'version',
    ],
  },
  {
    record: 'course-class',
    entityType: 'course-class',
    actions: oneOf('class.set'),
    key: 'entity',
    fields: ['courseId', 'classStart', 'internationalSeats', 'version'],
  },
  {
    record: 'training-line',
    entityType: 'training-line',
    // A re-programming funds a line (priority A) or splits it: each entry states the whole row.
    actions: oneOf('line.add', 'line.fund', 'line.split'),
    key: 'entity',
    fields: [
      'id',
      'countryIso3',
      'fiscalYear',
      'courseId',
      'programCode',
      'seatCount',
      'classStart',
      'priority',
      'unitTuitionCents',
      'allowanceCents',
      'createdAt',
      'version',
    ],
    defaults: { 'line.add': { version: 1 } },
  },
  {
    record: 'seat',
    entityType: 'seat',
    actions: () => true,
    key: 'entity',
    // The line's and course's facts in a seat view are theirs, compared there.
    fields: [
      'id',
      'lineId',
      'ordinal',
      'status',
      'previousStatus',
      'reason',
      'cancellationReason',
      'cancelledOn',
      'heldOn',
      'refilled',
      'penaltyCents',
      'penaltyRule',
      'restrictionId',
      'flagged',
      'flagReason',
      'flaggedOn',
      'studentId',
      'version',
      'updatedAt',
    ],
    defaults: { 'seat.add': SEAT_DEFAULTS },
    // A cascade, a school event or a travel order states the seat's new status and little else:
    // the status (and a flag's student) is compared; the rest of the row only where it cannot move.
    summaryFields: ['status', 'studentId'],
    stableFields: ['id', 'lineId', 'ordinal', 'studentId'],
  },
  {
    record: 'student',
    entityType: 'student',
    actions: oneOf('student.add'),
    key: 'entity',
    fields: [
      'id',
      'country',
      'familyName',
      'givenNames',
      'nameVariants',
      'birthDate',
      'birthPlace',
      'service',
      'rank',
      'usGrade',
      'unit',
      'contact',
      'passportNumber',
      'passportExpiresOn',
      'serviceNumber',
      'version',
      'createdAt',
    ],
  },
  {
    record: 'nomination',
    entityType: 'student',
    actions: oneOf('nomination.add'),
    key: 'after-id',
    fields: [
      'id',
      'seatId',
      'studentId',
      'nominatedOn',
      'attacheConsultedOn',
      'attacheName',
      'attacheView',
      'dependentsAuthorised',
      'quarters',
      'mess',
      'withdrawnOn',
    ],
  },
  {
    record: 'screening',
    entityType: 'student',
    actions: under('screening.'),
    key: 'after-id',
    fields: [
      'id',
      'studentId',
      'seatId',
      'kind',
      'outcome',
      'onDate',
      'validUntil',
      'score',
      'level',
      'notes',
      'recordedAt',
      'recordedBy',
    ],
  },
  {
    record: 'career',
    entityType: 'student',
    actions: oneOf('career.add'),
    key: 'after-id',
    fields: [
      'id',
      'studentId',
      'title',
      'rank',
      'usGrade',
      'location',
      'fromDate',
      'prominence',
      'recordedAt',
    ],
  },
  {
    record: 'finding',
    entityType: 'student',
    actions: oneOf('finding.add'),
    key: 'after-id',
    fields: ['id', 'studentId', 'foundOn', 'summary', 'source', 'recordedAt', 'recordedBy'],
  },
  {
    record: 'past-training',
    entityType: 'student',
    actions: oneOf('training-record.add'),
    key: 'after-id',
    fields: [
      'id',
      'student',
      'course',
      'program',
      'startedOn',
      'endedOn',
      'outcome',
      'cause',
      'academicReport',
    ],
  },
  {
    record: 'unit-vetting',
    entityType: 'unit',
    actions: under('unit-vetting.'),
    key: 'after-id',
    fields: [
      'id',
      'country',
      'unit',
      'outcome',
      'onDate',
      'validUntil',
      'notes',
      'recordedAt',
      'recordedBy',
    ],
  },
  {
    record: 'english-exemption',
    entityType: 'country',
    actions: oneOf('english-exemption.set'),
    key: 'entity',
    fields: ['country', 'scope', 'basis'],
    // Set to none: the exemption is removed.
    gone: (state) => state.scope === null,
  },
  {
    record: 'travel-order',
    entityType: 'travel-order',
    actions: under('ito.'),
    key: 'version',
    versionField: 'revision',
    // The order is stored as issued, whole: every field the entry states is compared.
    fields: 'every',
  },
];

/**
 * What deep verification does not compare, said in every report: the rules above cover every
 * record the services audit, but not every field of every record.
 */
export const DEEP_LIMITS: readonly string[] = [
  'a seat whose last entry is a summary (a cascade, a school event, a travel order) is compared on its status, student, line and ordinal only',
  "school events, and the training record of a seat, are written with the seat's school-event entry, which states only the seat's status: not compared",
  'restriction spans are copies of restriction versions (compared there); the change counter is bookkeeping: not compared',
];

/** A record's fields by name (records are typed; the comparison reads any field by name). */
function byId<T extends { readonly id: string }>(
  rows: readonly T[],
  key: (row: T) => string = (row) => row.id,
): Map<string, RecordState> {
  return new Map(
    rows.map((row) => [key(row), { ...Object.fromEntries(Object.entries(row)), id: row.id }]),
  );
}

const byVersion = <T extends { readonly id: string; readonly version: number }>(
  rows: readonly T[],
) => byId(rows, (row) => `${row.id}@${row.version}`);

/** Every record a rule covers, as it stands, keyed as the replay keys it. */
export async function loadCurrentRecords(
  db: Executor,
): Promise<Map<string, ReadonlyMap<string, RecordState>>> {
  // One query after another: inside a transaction they share one connection.
  const countries = await readCountries(db);
  const programs = await readProgramCodes(db);
  const groups = await readProgramGroups(db);
  const roles = await readRoles(db);
  const eligibility = await loadEligibilityRecords(db);
  const allocations = await readAllocationStates(db);
  const budgetLines = await readBudgetLineStates(db);
  const importRuns = await readImportRunStates(db);
  const schools = await listSchoolRows(db);
  const courses = await listCourseRecords(db, { includeRetired: true });
  const tuition = await listTuitionRecords(db);
  const lines = await readTrainingLineStates(db);
  const seats = await readSeatStates(db);
  const students = await listStudents(db);
  const tuitionOf = new Map<string, typeof tuition>();
  for (const t of tuition) tuitionOf.set(t.courseId, [...(tuitionOf.get(t.courseId) ?? []), t]);
  return new Map<string, ReadonlyMap<string, RecordState>>([
    ['country', byId(countries.map((c) => ({ ...c, id: c.iso3 })))],
    ['program', byId([...programs].map(([code, name]) => ({ id: code, code, name })))],
    ['program-group', byId([...groups].map(([code, members]) => ({ id: code, code, members })))],
    ['role', byId([...roles].map(([code, description]) => ({ id: code, code, description })))],
    ['restriction', byVersion(eligibility.restrictions)],
    ['relief', byVersion(eligibility.reliefs)],
    ['notification', byId(eligibility.notifications)],
    ['allocation', byId(allocations)],
    ['budget-line', byId(budgetLines)],
    ['import-run', byId(importRuns)],
    ['school', byId(schools)],
    ['course', byId(courses.map((c) => toCourse(c, tuitionOf.get(c.id) ?? [])))],
    ['course-class', byId(await readCourseClassStates(db))],
    ['training-line', byId(lines)],
    ['seat', byId(seats)],
    ['student', byId(students)],
    ['nomination', byId(await readNominationStates(db))],
    ['screening', byId(await readScreeningStates(db))],
    ['career', byId(await readCareerStates(db))],
    ['finding', byId(await readFindingStates(db))],
    ['past-training', byId(await readPastTrainingStates(db))],
    ['unit-vetting', byId(await readUnitVettingStates(db))],
    ['english-exemption', byId(await readEnglishExemptionStates(db))],
    [
      'travel-order',
      byId(await readTravelOrderStates(db), (row) => `${row.id}@${String(row.revision)}`),
    ],
  ]);
}
