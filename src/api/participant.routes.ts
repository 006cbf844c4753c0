// What is on record about a person (22 USC 2347g): the whole profile, later positions, human-rights
// findings (appended only: no route edits or deletes one), the participant record, the answer to a
// list of names or a unit, and a country's positions-of-prominence list.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PROGRAMS } from '../core/programs.js';
import {
  ENGLISH_EXEMPTIONS,
  NON_COMPLETION_CAUSES,
  PROMINENCE,
} from '../core/students/vocabulary.js';
import { COURSE_CATEGORIES } from '../core/training.js';
import type { AppContext } from '../services/context.js';
import {
  addCareer,
  addFinding,
  getParticipantRecord,
  prominenceList,
  searchRecords,
} from '../services/students/participant.service.js';
import { getStudent } from '../services/students/student.service.js';
import { problems } from './contract.js';
import { cents, instant, isoDate, oneOfValues } from './fields.js';
import { actorOf, constrainedText, writers, written } from './http.js';
import { IsoDateInput } from './input.schemas.js';
import { sendResult } from './reply.js';
import {
  Iso3,
  NominationSchema,
  SCOPED_STUDENTS,
  ScreeningSchema,
  StudentId,
  StudentSchema,
  StudentSeatSchema,
  UnitVettingSchema,
} from './student.routes.js';

const prominence = Object.keys(PROMINENCE) as [keyof typeof PROMINENCE];

const TrainingRecordSchema = z
  .object({
    id: z.string(),
    studentId: z.string(),
    seatId: z.string().nullable(),
    courseId: z.string(),
    courseTitle: z.string(),
    category: constrainedText(COURSE_CATEGORIES),
    schoolId: z.string(),
    program: oneOfValues(PROGRAMS)
      .nullable()
      .meta({ description: 'the funding program; null when not recorded' }),
    startedOn: isoDate().nullable(),
    endedOn: isoDate().nullable(),
    outcome: z
      .enum(['completed', 'not-completed'])
      .nullable()
      .meta({ description: 'null while in training' }),
    cause: z.enum(NON_COMPLETION_CAUSES).nullable(),
    academicReport: z.string().nullable(),
    chargeCents: cents()
      .nullable()
      .meta({ description: 'not completed: tuition charged pro rata' }),
    allowanceStoppedOn: isoDate().nullable(),
  })
  .meta({ id: 'TrainingRecord' });

const CareerSchema = z
  .object({
    id: z.string(),
    studentId: z.string(),
    title: z.string(),
    rank: z.string().nullable(),
    usGrade: z.string().nullable(),
    location: z.string().nullable(),
    fromDate: isoDate('held from'),
    prominence: z
      .enum(prominence)
      .nullable()
      .meta({ description: 'the position-of-prominence category, when it is one' }),
    recordedAt: instant(),
  })
  .meta({ id: 'CareerPosition' });

const FindingSchema = z
  .object({
    id: z.string(),
    studentId: z.string(),
    foundOn: isoDate(),
    summary: z.string(),
    source: z.string(),
    recordedAt: instant(),
    recordedBy: z.string(),
  })
  .meta({ id: 'HumanRightsFinding' });

const ProfileSchema = z
  .object({
    student: StudentSchema,
    screenings: z.array(ScreeningSchema).readonly(),
    unitVettings: z.array(UnitVettingSchema).readonly(),
    englishExemption: z
      .object({ scope: constrainedText(ENGLISH_EXEMPTIONS), basis: z.string() })
      .nullable()
      .meta({ description: "the student's country's exemption from English testing, if any" }),
    nominations: z.array(NominationSchema).readonly(),
    trainingRecords: z.array(TrainingRecordSchema).readonly(),
    careers: z.array(CareerSchema).readonly(),
    findings: z.array(FindingSchema).readonly(),
    seats: z.array(StudentSeatSchema).readonly().meta({
      description:
        'the seats the student holds or held that the caller sees (an IMSO: their schools), by class start',
    }),
  })
  .meta({ id: 'StudentProfile' });

const InstructionSchema = z
  .object({
    courseId: z.string(),
    title: z.string(),
    type: constrainedText(COURSE_CATEGORIES, 'the type of instruction: the course category'),
    schoolId: z.string(),
    program: constrainedText(PROGRAMS).nullable(),
    startedOn: isoDate().nullable(),
    endedOn: isoDate().nullable(),
    completed: z.boolean().nullable().meta({ description: 'null while in training' }),
    academicReport: z.string().nullable(),
  })
  .meta({ id: 'Instruction' });

const RecordSchema = z
  .object({
    studentId: z.string(),
    name: z.string().meta({ example: 'KHAN, Mohammad Ali' }),
    country: z.string().meta({ description: 'ISO 3166-1 alpha-3 code' }),
    unit: z.string().nullable(),
    rank: z.string().nullable(),
    usGrade: z.string().nullable(),
    instruction: z.array(InstructionSchema).readonly(),
    currentPosition: CareerSchema.nullable(),
    positions: z.array(CareerSchema).readonly(),
    findings: z.array(FindingSchema).readonly(),
  })
  .meta({ id: 'ParticipantRecord' });

const CareerBody = z
  .object({
    title: z.string(),
    rank: z.string().nullable().optional(),
    usGrade: z.string().nullable().optional().meta({ description: 'US-equivalent, e.g. O-7' }),
    location: z.string().nullable().optional(),
    from: IsoDateInput.meta({ description: 'held from, YYYY-MM-DD; not in the future' }),
    prominence: z
      .enum(prominence)
      .nullable()
      .optional()
      .meta({
        description: `a position of prominence: ${Object.entries(PROMINENCE)
          .map(([k, v]) => `${k} (${v})`)
          .join(', ')}`,
      }),
  })
  .meta({
    example: {
      title: 'Chief of the Army Staff',
      rank: 'General',
      usGrade: 'O-10',
      location: 'Rawalpindi',
      from: '2019-11-29',
      prominence: 'chief-of-service',
    },
  });

const FindingBody = z
  .object({
    on: IsoDateInput.meta({ description: 'the day of the finding, YYYY-MM-DD; not in the future' }),
    summary: z.string(),
    source: z.string().meta({ description: 'who found it, and where it is published' }),
  })
  .meta({
    example: {
      on: '2019-03-01',
      summary: 'credible information of a gross violation of human rights by the unit commanded',
      source: 'Department of State, Country Reports on Human Rights Practices 2018',
    },
  });

const SearchBody = z
  .object({
    names: z
      .array(z.string())
      .optional()
      .meta({ description: 'names as the State Department lists them, any order or spelling' }),
    unit: z.string().optional().meta({ description: 'part of a unit name, any case' }),
    country: z.string().optional().meta({ description: 'ISO 3166-1 alpha-3; empty means any' }),
  })
  .meta({
    description: 'either `names` or `unit`, not both',
    oneOf: [{ required: ['names'] }, { required: ['unit'] }],
    example: { names: ['Muhammad Ali Khan', 'Tariq Mehmood'], country: 'PAK' },
  });

export function participantRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get(
      '/students/:id',
      {
        schema: {
          operationId: 'getStudent',
          tags: ['students'],
          summary: "A student's profile",
          description: `Everything recorded about a student: screenings, vettings of their unit, the country exemption, nominations, training, later positions, human-rights findings, and their seats (the caller's scope: an IMSO sees their schools' seats) with the travel order and the school's reports. The read is audited. ${SCOPED_STUDENTS} Refusals: 404 STUDENT.NOT_FOUND (also for a student outside the caller's scope).`,
          params: StudentId,
          response: { 200: ProfileSchema, ...problems(404) },
        },
      },
      async (request, reply) =>
        sendResult(reply, await getStudent(ctx, actorOf(request), request.params.id)),
    );
    app.post(
      '/students/:id/careers',
      {
        schema: {
          operationId: 'recordCareerPosition',
          tags: ['participant records'],
          summary: 'Record a later position of a participant',
          description: `Title, rank, US-equivalent grade, location and the date held from; a position of prominence puts the participant on the country list. Who: ${writers('students.write')}, for students in their scope. Refusals: 400 INPUT.INVALID naming the field (\`from\` in the future, an unknown \`prominence\` or \`usGrade\`); 403 ACCESS.FORBIDDEN; 404 STUDENT.NOT_FOUND (naming \`student\`); 409 WRITE.CONTENDED.`,
          params: StudentId,
          body: CareerBody,
          response: { 201: CareerSchema, ...problems(403, 404, 409) },
        },
      },
      async (request, reply) =>
        written(request, reply, (actor) =>
          addCareer(ctx, actor, { ...request.body, student: request.params.id }),
        ),
    );
    app.post(
      '/students/:id/findings',
      {
        schema: {
          operationId: 'appendFinding',
          tags: ['participant records'],
          summary: 'Append a human-rights finding to a participant record',
          description: `22 USC 2347g(c). A finding is appended and never edited or deleted: there is no route to change one. Who: ${writers('students.write')}, for students in their scope. Refusals: 400 INPUT.INVALID naming \`on\` (in the future), \`summary\` or \`source\`; 403 ACCESS.FORBIDDEN; 404 STUDENT.NOT_FOUND (naming \`student\`); 409 WRITE.CONTENDED.`,
          params: StudentId,
          body: FindingBody,
          response: { 201: FindingSchema, ...problems(403, 404, 409) },
        },
      },
      async (request, reply) =>
        written(request, reply, (actor) =>
          addFinding(ctx, actor, { ...request.body, student: request.params.id }),
        ),
    );
    app.get(
      '/students/:id/record',
      {
        schema: {
          operationId: 'getParticipantRecord',
          tags: ['participant records'],
          summary: "A participant's 2347g record",
          description: `Each course of instruction (type, dates, completed or not), positions held since and findings. The read is audited. ${SCOPED_STUDENTS} Refusals: 404 STUDENT.NOT_FOUND (also outside the caller's scope), PARTICIPANT-RECORD.NOT_FOUND (no instruction on record); both name \`student\`.`,
          params: StudentId,
          response: { 200: RecordSchema, ...problems(404) },
        },
      },
      async (request, reply) =>
        sendResult(reply, await getParticipantRecord(ctx, actorOf(request), request.params.id)),
    );
    app.post(
      '/records/search',
      {
        schema: {
          operationId: 'searchParticipantRecords',
          tags: ['participant records'],
          summary: 'Answer a list of names or a unit with participant records',
          description: `Either \`names\` (each matched in any spelling or order, at most 10,000) or \`unit\`: one of the two (an empty list or a blank unit counts as none). One result per name asked (or one for the unit) with the records found; only people with instruction on record. A search that writes nothing (POST for the length of a list). ${SCOPED_STUDENTS} Refusals: 400 INPUT.INVALID naming \`names\` (neither or both, or too many); 404 COUNTRY.NOT_FOUND.`,
          body: SearchBody,
          response: {
            200: z.object({
              results: z
                .array(z.object({ query: z.string(), records: z.array(RecordSchema).readonly() }))
                .readonly(),
            }),
            ...problems(404),
          },
        },
      },
      async (request, reply) =>
        sendResult(reply, await searchRecords(ctx, actorOf(request), request.body)),
    );
    app.get(
      '/countries/:iso3/prominence',
      {
        schema: {
          operationId: 'listProminentParticipants',
          tags: ['participant records'],
          summary: "A country's positions-of-prominence list",
          description: `Participants who hold or held a position of prominence (chief of service first), each with the latest such position and their record. ${SCOPED_STUDENTS} Refusals: 404 COUNTRY.NOT_FOUND.`,
          params: Iso3,
          response: {
            200: z.object({
              country: z.string().meta({ description: 'ISO 3166-1 alpha-3 code' }),
              items: z
                .array(
                  z.object({
                    record: RecordSchema,
                    position: CareerSchema,
                    category: constrainedText(
                      Object.values(PROMINENCE),
                      'the category of the position, in words',
                    ).meta({
                      example: 'chief of a military service',
                    }),
                  }),
                )
                .readonly(),
              total: z.number().int(),
            }),
            ...problems(404),
          },
        },
      },
      async (request, reply) => {
        const result = await prominenceList(ctx, actorOf(request), request.params.iso3);
        if (!result.ok) return sendResult(reply, result);
        const country = request.params.iso3.trim().toUpperCase();
        return { country, items: result.value, total: result.value.length };
      },
    );
  };
}
