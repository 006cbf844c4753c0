// What is on record about a person (22 USC 2347g): the whole profile, later positions, human-rights
// findings (appended only: no route edits or deletes one), the participant record, the answer to a
// list of names or a unit, and a country's positions-of-prominence list.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NON_COMPLETION_CAUSES, PROMINENCE } from '../core/students/vocabulary.js';
import type { AppContext } from '../services/context.js';
import {
  addCareer,
  addFinding,
  getParticipantRecord,
  prominenceList,
  searchRecords,
} from '../services/students/participant.service.js';
import { getStudent } from '../services/students/student.service.js';
import { sendResult } from './reply.js';
import {
  Iso3,
  NominationSchema,
  ScreeningSchema,
  StudentId,
  StudentSchema,
  UnitVettingSchema,
} from './student.routes.js';
import { written } from './http.js';
import { actorOf } from './http.js';

const TrainingRecordSchema = z
  .object({
    id: z.string(),
    studentId: z.string(),
    seatId: z.string().nullable(),
    courseId: z.string(),
    courseTitle: z.string(),
    category: z.string(),
    schoolId: z.string(),
    program: z.string().nullable(),
    startedOn: z.string().nullable(),
    endedOn: z.string().nullable(),
    outcome: z.enum(['completed', 'not-completed']).nullable(),
    cause: z.enum(NON_COMPLETION_CAUSES).nullable(),
    academicReport: z.string().nullable(),
    chargeCents: z.number().int().nullable(),
    allowanceStoppedOn: z.string().nullable(),
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
    fromDate: z.string(),
    prominence: z.enum(Object.keys(PROMINENCE) as [keyof typeof PROMINENCE]).nullable(),
    recordedAt: z.string(),
  })
  .meta({ id: 'CareerPosition' });

const FindingSchema = z
  .object({
    id: z.string(),
    studentId: z.string(),
    foundOn: z.string(),
    summary: z.string(),
    source: z.string(),
    recordedAt: z.string(),
    recordedBy: z.string(),
  })
  .meta({ id: 'HumanRightsFinding' });

const ProfileSchema = z
  .object({
    student: StudentSchema,
    screenings: z.array(ScreeningSchema).readonly(),
    unitVettings: z.array(UnitVettingSchema).readonly(),
    englishExemption: z.object({ scope: z.string(), basis: z.string() }).nullable(),
    nominations: z.array(NominationSchema).readonly(),
    trainingRecords: z.array(TrainingRecordSchema).readonly(),
    careers: z.array(CareerSchema).readonly(),
    findings: z.array(FindingSchema).readonly(),
  })
  .meta({ id: 'StudentProfile' });

const InstructionSchema = z
  .object({
    courseId: z.string(),
    title: z.string(),
    type: z
      .string()
      .meta({ description: 'the type of instruction: PME, technical, english, other' }),
    schoolId: z.string(),
    program: z.string().nullable(),
    startedOn: z.string().nullable(),
    endedOn: z.string().nullable(),
    completed: z.boolean().nullable().meta({ description: 'null while in training' }),
    academicReport: z.string().nullable(),
  })
  .meta({ id: 'Instruction' });

const RecordSchema = z
  .object({
    studentId: z.string(),
    name: z.string().meta({ example: 'KHAN, Mohammad Ali' }),
    country: z.string(),
    unit: z.string().nullable(),
    rank: z.string().nullable(),
    usGrade: z.string().nullable(),
    instruction: z.array(InstructionSchema).readonly(),
    currentPosition: CareerSchema.nullable(),
    positions: z.array(CareerSchema).readonly(),
    findings: z.array(FindingSchema).readonly(),
  })
  .meta({ id: 'ParticipantRecord' });

const prominence = Object.keys(PROMINENCE) as [keyof typeof PROMINENCE];

const CareerBody = z
  .object({
    title: z.string(),
    rank: z.string().nullable().optional(),
    usGrade: z.string().nullable().optional().meta({ description: 'US-equivalent, e.g. O-7' }),
    location: z.string().nullable().optional(),
    from: z.string().meta({ description: 'held from, YYYY-MM-DD; not in the future' }),
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
    on: z.string().meta({ description: 'the day of the finding, YYYY-MM-DD; not in the future' }),
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
    country: z.string().optional().meta({ description: 'ISO 3166-1 alpha-3' }),
  })
  .meta({ example: { names: ['Muhammad Ali Khan', 'Tariq Mehmood'], country: 'PAK' } });

export function participantRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get(
      '/students/:id',
      {
        schema: {
          tags: ['students'],
          summary: "A student's profile",
          description:
            'Everything recorded about a student: screenings, vettings of their unit, the country exemption, nominations, training, later positions and human-rights findings.',
          params: StudentId,
          response: { 200: ProfileSchema },
        },
      },
      async (request, reply) =>
        sendResult(reply, await getStudent(ctx, actorOf(request), request.params.id)),
    );
    app.post(
      '/students/:id/careers',
      {
        schema: {
          tags: ['participant records'],
          summary: 'Record a later position of a participant',
          description:
            'Title, rank, US-equivalent grade, location and the date held from; a position of prominence puts the participant on the country list.',
          params: StudentId,
          body: CareerBody,
          response: { 201: CareerSchema },
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
          tags: ['participant records'],
          summary: 'Append a human-rights finding to a participant record',
          description:
            '22 USC 2347g(c). A finding is appended and never edited or deleted: there is no route to change one.',
          params: StudentId,
          body: FindingBody,
          response: { 201: FindingSchema },
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
          tags: ['participant records'],
          summary: "A participant's 2347g record",
          description:
            'Each course of instruction (type, dates, completed or not), positions held since and findings; 404 for a student with no instruction on record.',
          params: StudentId,
          response: { 200: RecordSchema },
        },
      },
      async (request, reply) =>
        sendResult(reply, await getParticipantRecord(ctx, actorOf(request), request.params.id)),
    );
    app.post(
      '/records/search',
      {
        schema: {
          tags: ['participant records'],
          summary: 'Answer a list of names or a unit with participant records',
          description:
            'Either `names` (each matched in any spelling or order) or `unit` — one of the two, else 400 naming `names`. One result per name asked (or one for the unit) with the records found; only people with instruction on record.',
          body: SearchBody,
          response: {
            200: z.object({
              results: z
                .array(z.object({ query: z.string(), records: z.array(RecordSchema).readonly() }))
                .readonly(),
            }),
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
          tags: ['participant records'],
          summary: "A country's positions-of-prominence list",
          description:
            'Participants who hold or held a position of prominence (chief of service first), each with the latest such position and their record.',
          params: Iso3,
          response: {
            200: z.object({
              country: z.string(),
              items: z
                .array(
                  z.object({
                    record: RecordSchema,
                    position: CareerSchema,
                    category: z.string().meta({ example: 'chief of a military service' }),
                  }),
                )
                .readonly(),
              total: z.number().int(),
            }),
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
