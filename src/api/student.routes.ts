// Students before training (DESIGN §4.3): record and find them, screen them and their units, set a
// country's English exemption; the student schemas and the write helper the other student routes share.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { IsoDateInput, LimitInput, OffsetInput } from './input.schemas.js';
import {
  ALL_SCREENING_OUTCOMES,
  ENGLISH_EXEMPTIONS,
  QUARTERS,
  SCREENING_KINDS,
  SCREENING_OUTCOMES,
  UNIT_VETTING_OUTCOMES,
} from '../core/students/vocabulary.js';
import type { AppContext } from '../services/context.js';
import {
  recordScreening,
  recordUnitVetting,
  setEnglishExemption,
} from '../services/students/screening.service.js';
import {
  addStudent,
  describeHits,
  searchStudentPage,
} from '../services/students/student.service.js';
import { PROGRAMS } from '../core/programs.js';
import { NON_COMPLETION_CAUSES, SCHOOL_EVENTS } from '../core/students/vocabulary.js';
import { SEAT_STATUSES } from '../core/training.js';
import { problems, responseHeaders } from './contract.js';
import { instant, isoDate, oneOfValues } from './fields.js';
import { actorOf, writers, written } from './http.js';
import { sendResult } from './reply.js';

const date = (description: string, example: string) =>
  IsoDateInput.meta({ description: `${description}, YYYY-MM-DD`, example });
const text = () => z.string().nullable().optional();
/** A date that may be left out (null, absent or empty): the service parses it, naming the field. */
const optionalDate = (description: string) =>
  z
    .string()
    .meta({ format: 'date' })
    .nullable()
    .optional()
    .meta({ description: `${description}, YYYY-MM-DD; null or empty when none` });
const strings = z.array(z.string()).readonly();

export const StudentId = z.object({
  id: z.string().meta({ description: 'the student id', example: 'stu_3f9a0c12ab45' }),
});
export const Iso3 = z.object({
  iso3: z.string().meta({ description: 'ISO 3166-1 alpha-3 code', example: 'PAK' }),
});

export const StudentSchema = z
  .object({
    id: z.string(),
    country: z.string(),
    familyName: z.string(),
    givenNames: z.string(),
    nameVariants: strings,
    birthDate: isoDate().nullable(),
    birthPlace: z.string().nullable(),
    service: z.string().nullable(),
    rank: z.string().nullable(),
    usGrade: z.string().nullable(),
    unit: z.string().nullable(),
    contact: z.string().nullable(),
    passportNumber: z.string().nullable(),
    passportExpiresOn: isoDate().nullable(),
    serviceNumber: z.string().nullable(),
    version: z.number().int(),
    createdAt: instant(),
  })
  .meta({ id: 'Student' });

/** A seat a student holds or held, as their profile shows it. */
export const StudentSeatSchema = z
  .object({
    id: z.string(),
    country: z.string().meta({ description: 'ISO 3166-1 alpha-3 code' }),
    fiscalYear: z.number().int(),
    program: oneOfValues(PROGRAMS),
    courseId: z.string(),
    courseTitle: z.string(),
    schoolId: z.string(),
    schoolName: z.string(),
    location: z.string(),
    classStart: isoDate(),
    classEnd: isoDate('the day after the course ends'),
    lengthWeeks: z.number().int(),
    status: oneOfValues(SEAT_STATUSES),
    flagged: z.boolean(),
    flagReason: z.string().nullable(),
    version: z.number().int().meta({ description: 'the seat version (its ETag)' }),
    nominatedOn: isoDate(),
    travelOrder: z
      .object({ number: z.string(), revision: z.number().int(), issuedOn: isoDate() })
      .nullable()
      .meta({ description: "the latest revision of the seat's travel order; null while none" }),
    events: z
      .array(
        z.object({
          event: z.enum(SCHOOL_EVENTS),
          on: isoDate(),
          cause: z.enum(NON_COMPLETION_CAUSES).nullable(),
          academicReport: z.string().nullable(),
        }),
      )
      .readonly()
      .meta({ description: 'what the school reported, in order' }),
  })
  .meta({ id: 'StudentSeat' });

const StudentHitSchema = StudentSchema.extend({
  matchedNames: strings.meta({
    description:
      'the names of the student ("Given FAMILY", then each variant) that match the `name` searched; empty for a search by unit',
  }),
  seats: z
    .array(
      StudentSeatSchema.pick({
        id: true,
        courseTitle: true,
        schoolId: true,
        classStart: true,
        status: true,
        fiscalYear: true,
      }),
    )
    .readonly()
    .meta({ description: 'the seats the student holds or held that the caller sees' }),
}).meta({ id: 'StudentHit' });

const outcomes = Object.entries(SCREENING_OUTCOMES)
  .map(([kind, values]) => `${kind}: ${values.join('/')}`)
  .join('; ');

export const ScreeningSchema = z
  .object({
    id: z.string(),
    studentId: z.string(),
    seatId: z.string().nullable(),
    kind: z.enum(SCREENING_KINDS),
    outcome: z.enum(ALL_SCREENING_OUTCOMES).meta({ description: `by kind: ${outcomes}` }),
    onDate: isoDate(),
    validUntil: isoDate().nullable().meta({ description: 'the last day it holds, when it lapses' }),
    score: z.number().int().nullable().meta({ description: 'ECL score, 0–100 (ECL only)' }),
    level: z.string().nullable().meta({ description: 'OPI listening/speaking, e.g. 2+/2' }),
    notes: z.string().nullable(),
    recordedAt: instant(),
    recordedBy: z.string(),
  })
  .meta({ id: 'Screening' });

export const UnitVettingSchema = z
  .object({
    id: z.string(),
    country: z.string(),
    unit: z.string(),
    outcome: z.enum(UNIT_VETTING_OUTCOMES),
    onDate: isoDate(),
    validUntil: isoDate().nullable(),
    notes: z.string().nullable(),
    recordedAt: instant(),
    recordedBy: z.string(),
  })
  .meta({ id: 'UnitVetting' });

export const NominationSchema = z
  .object({
    id: z.string(),
    seatId: z.string(),
    studentId: z.string(),
    nominatedOn: isoDate(),
    attacheConsultedOn: isoDate(),
    attacheName: z.string(),
    attacheView: z.string().nullable(),
    dependentsAuthorised: z.number().int(),
    quarters: z.enum(QUARTERS),
    mess: z.boolean(),
    withdrawnOn: isoDate().nullable(),
  })
  .meta({ id: 'Nomination' });

const StudentBody = z
  .object({
    country: z.string().meta({ description: 'ISO 3166-1 alpha-3 code' }),
    familyName: z.string().meta({ description: 'as written in the passport' }),
    givenNames: z.string(),
    nameVariants: z
      .array(z.string())
      .optional()
      .meta({ description: 'other spellings or orders of the name (transliterations)' }),
    birthDate: optionalDate('date of birth'),
    birthPlace: text(),
    service: text(),
    rank: text(),
    usGrade: text().meta({ description: 'US-equivalent pay grade: O-1…O-10, W-1…W-5, E-1…E-9' }),
    unit: text().meta({ description: 'the unit Leahy vetting covers' }),
    contact: text(),
    passportNumber: text(),
    passportExpiresOn: optionalDate('the last day the passport is valid'),
    serviceNumber: text(),
  })
  .meta({
    example: {
      country: 'PAK',
      familyName: 'KHAN',
      givenNames: 'Mohammad Ali',
      nameVariants: ['Muhammad Ali Khan'],
      birthDate: '1983-03-14',
      service: 'Pakistan Army',
      rank: 'Major',
      usGrade: 'O-4',
      unit: '11th Infantry Brigade',
      passportNumber: 'AB1234567',
      passportExpiresOn: '2026-03-01',
    },
  });

const ScreeningBody = z
  .object({
    kind: z.enum(SCREENING_KINDS),
    outcome: z
      .string()
      .optional()
      .meta({ description: `by kind (ECL and OPI default to scored): ${outcomes}` }),
    on: date('the day screened; not in the future', '2020-06-01'),
    validUntil: optionalDate('the last day it holds, when it lapses'),
    score: z
      .number()
      .int()
      .min(0)
      .max(100)
      .nullable()
      .optional()
      .meta({ description: 'ECL score, 0–100 (ECL only)' }),
    level: text().meta({ description: 'OPI listening/speaking, e.g. 2+/2 (OPI only)' }),
    seat: text().meta({ description: 'the id of the seat the screening was made for' }),
    notes: text(),
  })
  .meta({ example: { kind: 'ecl', on: '2020-06-01', score: 84 } });

const UnitVettingBody = z
  .object({
    country: z.string().meta({ description: 'ISO 3166-1 alpha-3 code' }),
    unit: z.string(),
    outcome: z.enum(UNIT_VETTING_OUTCOMES),
    on: date('the day vetted; not in the future', '2020-06-10'),
    validUntil: optionalDate('the last day it holds, when it lapses'),
    notes: text(),
  })
  .meta({
    example: {
      country: 'PAK',
      unit: '11th Infantry Brigade',
      outcome: 'denied',
      on: '2020-06-10',
      notes: 'credible information of a gross violation of human rights',
    },
  });

const UnitVettingRecorded = z.object({
  vetting: UnitVettingSchema,
  flaggedSeats: z
    .array(z.object({ seatId: z.string(), studentId: z.string() }))
    .readonly()
    .meta({ description: 'seats of nominees from the unit flagged by a denial' }),
});

const ExemptionBody = z
  .object({
    scope: z.enum([...ENGLISH_EXEMPTIONS, 'none']).meta({
      description:
        'full: no English testing; in-country-testing: tested on arrival instead; none: remove the exemption',
    }),
    basis: z.string(),
  })
  .meta({
    example: {
      scope: 'in-country-testing',
      basis: 'no DLIELC test centre in the country; ECL entry test on arrival',
    },
  });

/** Students a search answers when no `limit` is given: a page, with the total to ask for more. */
const SEARCH_PAGE = 100;

const SearchQuery = z.object({
  name: z
    .string()
    .optional()
    .meta({ description: 'any spelling or order of the names', example: 'Muhammad Ali Khan' }),
  unit: z.string().optional().meta({ description: 'part of the unit name, any case' }),
  country: z
    .string()
    .optional()
    .meta({ description: 'ISO 3166-1 alpha-3; empty means any country', example: 'PAK' }),
  limit: LimitInput.optional(),
  offset: OffsetInput.optional(),
});

/** Who reads students, as far as their scope reaches. */
export const SCOPED_STUDENTS =
  'Anyone signed in, on the students they see: an SCO those of their countries, an IMSO those holding or who held a seat at their schools.';

export function studentRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.post(
      '/students',
      {
        schema: {
          operationId: 'addStudent',
          tags: ['students'],
          summary: 'Record a student',
          description: `Records a student (officer or enlisted) of a partner country, with the names by which they may be found later; 201 with the Location of the profile. Who: ${writers('students.write')} (an SCO for their countries). Refusals: 400 INPUT.INVALID naming the field; 403 ACCESS.FORBIDDEN, ACCESS.OUT_OF_SCOPE (a country not the SCO's); 404 COUNTRY.NOT_FOUND; 409 WRITE.CONTENDED.`,
          body: StudentBody,
          response: { 201: StudentSchema, ...problems(403, 404, 409) },
          ...responseHeaders({ 201: ['Location'] }),
        },
      },
      async (request, reply) =>
        written(request, reply, (actor) => addStudent(ctx, actor, request.body), {
          headers: (s) => ({ location: `/api/v1/students/${s.id}` }),
        }),
    );
    app.get(
      '/students',
      {
        schema: {
          operationId: 'searchStudents',
          tags: ['students'],
          summary: 'Find students by name or by unit',
          description: `By \`name\` (tolerant of transliteration and order: best matches first) or by \`unit\` (part of the name, any case): exactly one of the two. Each student comes with the names that matched and the seats the caller sees; ${SEARCH_PAGE} students a page unless \`limit\` says otherwise, and \`total\` counts them all. ${SCOPED_STUDENTS} Refusals: 400 INPUT.INVALID naming \`name\` (neither or both given), \`limit\` or \`offset\`; 404 COUNTRY.NOT_FOUND.`,
          querystring: SearchQuery,
          response: {
            200: z.object({ items: z.array(StudentHitSchema), total: z.number().int() }),
            ...problems(404),
          },
        },
      },
      async (request, reply) => {
        const { name, unit, country, limit = SEARCH_PAGE, offset = 0 } = request.query;
        // A form's empty `country=` means any country, not an unknown one.
        const result = await searchStudentPage(
          ctx,
          actorOf(request),
          { name, unit, country: country?.trim() === '' ? undefined : country },
          { offset, limit },
        );
        if (!result.ok) return sendResult(reply, result);
        const items = await describeHits(ctx, actorOf(request), name, result.value.items);
        return { items, total: result.value.total };
      },
    );
    app.post(
      '/students/:id/screenings',
      {
        schema: {
          operationId: 'recordScreening',
          tags: ['students'],
          summary: 'Record a screening of a student',
          description: `Leahy (person), medical, dental, insurance, security, passport, visa, 7031(c) designation, ECL score or OPI level. The latest of a kind counts at the gates. Who: ${writers('students.write')}, for students in their scope. Refusals: 400 INPUT.INVALID naming the field (a date in the future, an outcome not of the kind, a score outside 0–100, a level not like 2+/2); 403 ACCESS.FORBIDDEN; 404 STUDENT.NOT_FOUND (naming \`student\`), SEAT.NOT_FOUND; 409 WRITE.CONTENDED.`,
          params: StudentId,
          body: ScreeningBody,
          response: { 201: ScreeningSchema, ...problems(403, 404, 409) },
        },
      },
      async (request, reply) =>
        written(request, reply, (actor) =>
          recordScreening(ctx, actor, { ...request.body, student: request.params.id }),
        ),
    );
    app.post(
      '/unit-vettings',
      {
        schema: {
          operationId: 'recordUnitVetting',
          tags: ['students'],
          summary: 'Record the Leahy vetting of a unit',
          description: `A denial flags the seat of every nominee from the unit who has not finished training (any program, any year); the answer lists them in \`flaggedSeats\`. Who: ${writers('students.write')} (an SCO for their countries). Refusals: 400 INPUT.INVALID naming the field; 403 ACCESS.FORBIDDEN, ACCESS.OUT_OF_SCOPE; 404 COUNTRY.NOT_FOUND; 409 WRITE.CONTENDED.`,
          body: UnitVettingBody,
          response: { 201: UnitVettingRecorded, ...problems(403, 404, 409) },
        },
      },
      async (request, reply) =>
        written(request, reply, (actor) => recordUnitVetting(ctx, actor, request.body)),
    );
    app.put(
      '/countries/:iso3/english-exemption',
      {
        schema: {
          operationId: 'setEnglishExemption',
          tags: ['students'],
          summary: "Set a country's English exemption",
          description: `Full exemption (English gates not applicable), exemption from in-country testing (the ITO notes an ECL entry test on arrival), or \`none\` to remove it. Who: ${writers('students.write')} (an SCO for their countries). Refusals: 400 INPUT.INVALID naming \`scope\` or \`basis\`; 403 ACCESS.FORBIDDEN, ACCESS.OUT_OF_SCOPE (naming \`country\`); 404 COUNTRY.NOT_FOUND; 409 WRITE.CONTENDED.`,
          params: Iso3,
          body: ExemptionBody,
          response: {
            200: z.object({
              country: z.string().meta({ description: 'ISO 3166-1 alpha-3 code' }),
              scope: z
                .enum(ENGLISH_EXEMPTIONS)
                .nullable()
                .meta({ description: 'the exemption as set; null when removed' }),
              basis: z.string(),
            }),
            ...problems(403, 404, 409),
          },
        },
      },
      async (request, reply) =>
        written(
          request,
          reply,
          (actor) =>
            setEnglishExemption(ctx, actor, { ...request.body, country: request.params.iso3 }),
          { status: 200 },
        ),
    );
  };
}
