// Training lines: program a line, the Seat record (its routes are in seat.routes.ts), a restriction's impact, a program's checks.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../core/actor.js';
import { PROGRAMS } from '../core/programs.js';
import { type Result } from '../core/result.js';
import { CANCELLATION_REASONS, type CancellationReason } from '../core/seat-rules.js';
import { COURSE_CATEGORIES, PRIORITIES, SEAT_STATUSES } from '../core/training.js';
import { problems } from './contract.js';
import { cents, instant, isoDate, oneOfValues } from './fields.js';
import { FiscalYearInput } from './input.schemas.js';
import type { AppContext } from '../services/context.js';
import { addLine, restrictionImpact } from '../services/training/training.service.js';
import { checkProgram, endOfYear } from '../services/training/program.service.js';
import { actorOf, constrainedText, ifMatch, ifMatchHeader, writers, written } from './http.js';
import { ImpactTotals } from './record.schemas.js';
import { sendResult } from './reply.js';

export const CANCELLATION_REASON_CODES = Object.keys(CANCELLATION_REASONS) as [
  CancellationReason,
  ...CancellationReason[],
];

export const Iso3 = (description = 'ISO 3166-1 alpha-3 code') =>
  z.string().meta({ description, example: 'PAK' });

export const SeatSchema = z
  .object({
    id: z.string(),
    lineId: z.string(),
    ordinal: z.number().int().meta({ description: "the seat's number in its line, from 1" }),
    country: Iso3(),
    fiscalYear: z.number().int(),
    program: oneOfValues(PROGRAMS),
    courseId: z.string(),
    courseTitle: z.string(),
    schoolId: z.string(),
    category: constrainedText(COURSE_CATEGORIES),
    eImet: z.boolean(),
    dedicated: z.boolean(),
    classStart: isoDate(),
    priority: constrainedText(PRIORITIES),
    status: oneOfValues(SEAT_STATUSES),
    previousStatus: oneOfValues(SEAT_STATUSES)
      .nullable()
      .meta({ description: 'the status a held or cancelled seat left; a held seat returns to it' }),
    reason: z.string().nullable(),
    cancellationReason: constrainedText(CANCELLATION_REASON_CODES).nullable(),
    cancelledOn: isoDate().nullable(),
    heldOn: isoDate()
      .nullable()
      .meta({ description: 'the day the seat was held: the day eligibility turned' }),
    refilled: z.boolean(),
    penaltyCents: cents(),
    penaltyRule: z.string().nullable(),
    restrictionId: z.string().nullable(),
    flagged: z.boolean(),
    flagReason: z.string().nullable(),
    flaggedOn: isoDate()
      .nullable()
      .meta({ description: 'the day a restriction (or a unit denial) reached the flagged seat' }),
    studentId: z.string().nullable(),
    tuitionCents: cents(),
    allowanceCents: cents(),
    version: z
      .number()
      .int()
      .meta({ description: 'bumped by every write; the ETag of GET /seats/{id}' }),
    updatedAt: instant(),
  })
  .meta({ id: 'Seat' });

const LineBody = z
  .object({
    country: Iso3(),
    fiscalYear: z.number().int().meta({ description: 'US federal fiscal year of the class' }),
    course: z.string().meta({ description: 'course id from the catalog' }),
    seats: z.number().int().meta({ description: 'number of seats, 1 to 500' }),
    // Parsed by the service, whose refusal names `start` (as the command line does).
    classStart: z.string().meta({
      format: 'date',
      description: 'the first day of class, YYYY-MM-DD, within the fiscal year',
    }),
    priority: z.string().meta({ description: `priority: ${PRIORITIES.join(', ')}` }),
    program: z
      .string()
      .optional()
      .meta({ description: `funding program (default IMET): ${PROGRAMS.join(', ')}` }),
    allowanceCents: cents('travel and living allowance estimate per seat').optional(),
  })
  .meta({
    example: {
      country: 'PAK',
      fiscalYear: 2021,
      course: 'B171005',
      seats: 2,
      classStart: '2021-08-02',
      priority: 'A',
      allowanceCents: 1800000,
    },
  });

const Line = z.object({
  id: z.string(),
  country: Iso3(),
  fiscalYear: z.number().int(),
  courseId: z.string(),
  program: oneOfValues(PROGRAMS),
  priority: oneOfValues(PRIORITIES),
  classStart: isoDate(),
  seatCount: z.number().int(),
  unitTuitionCents: cents('tuition per seat, from the catalog for the fiscal year'),
  allowanceCents: cents('travel and living allowance estimate per seat'),
  seats: z.array(SeatSchema).readonly(),
});

export const SeatId = z.object({
  id: z.string().meta({ description: 'the seat id', example: 'seat_3f9a0c12ab45' }),
});

// The seat writes' helper reads If-Match on every route it serves, a new line's included.
const LineIfMatch = ifMatchHeader(
  'not used: a new line has no version (a malformed one is refused)',
);

/** A seat write with the optional If-Match version it was read at. */
export async function write<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  run: (actor: Actor, version: number | undefined) => Promise<Result<T>>,
  status = 200,
): Promise<T | FastifyReply> {
  const version = ifMatch(request);
  if (!version.ok) return sendResult(reply, version);
  return written(request, reply, (actor) => run(actor, version.value), { status });
}

/** Who reads seats, as far as their scope reaches. */
export const SCOPED_SEATS =
  'Anyone signed in; an SCO sees the seats of their countries, an IMSO those of their schools.';

export function trainingRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.post(
      '/lines',
      {
        schema: {
          operationId: 'programLine',
          tags: ['training'],
          summary: 'Program a training line',
          description: `Programs a line of a country's training list: a course for a fiscal year, its class start, priority and number of seats, each created programmed at the course's tuition for the year. Refused when the program is not eligible at class start. Who: ${writers('training.write')} (an SCO for their countries). 400 INPUT.INVALID names \`seats\`, \`fy\`, \`start\`, \`priority\`, \`program\` or \`allowance\` (the service's names for fiscalYear, classStart and allowanceCents). Refusals: 403 ACCESS.FORBIDDEN, ACCESS.OUT_OF_SCOPE (a country not the SCO's); 404 COUNTRY.NOT_FOUND, COURSE.NOT_FOUND; 409 WRITE.CONTENDED; 422 LINE.COURSE_RETIRED, LINE.NO_TUITION (no tuition for the fiscal year), LINE.NOT_ELIGIBLE (\`details.decision\` says why), LINE.CLASS_FULL (a priority A line beyond the international seats the class has open: \`details.class\`).`,
          headers: LineIfMatch,
          body: LineBody,
          response: { 201: Line, ...problems(403, 404, 409, 422) },
        },
      },
      async (request, reply) =>
        write(request, reply, (actor) => addLine(ctx, actor, request.body), 201),
    );
    app.get(
      '/restrictions/:id/impact',
      {
        schema: {
          operationId: 'getRestrictionImpact',
          tags: ['restrictions'],
          summary: 'What a restriction did to seats',
          description: `The seats a restriction cancelled, held or flagged, by status and course, the students on them, the money released and the penalties. ${SCOPED_SEATS} Refusals: 404 RESTRICTION.NOT_FOUND (naming \`restriction\`).`,
          params: z.object({
            id: z
              .string()
              .meta({ description: 'the restriction id', example: 'rst_pak-policy-2018' }),
          }),
          response: {
            200: ImpactTotals.extend({
              restrictionId: z.string(),
              seatList: z.array(SeatSchema).readonly(),
            }),
            ...problems(404),
          },
        },
      },
      async (request, reply) =>
        sendResult(reply, await restrictionImpact(ctx, actorOf(request), request.params.id)),
    );
    const Funds = z.object({
      allocationCents: cents('the IMET allocation of the country for the year'),
      committedCents: cents('tuition and allowance of seats not cancelled, plus penalties'),
      releasedCents: cents('what cancellations gave back, less penalties'),
      penaltiesCents: cents(),
      unprogrammedCents: cents('the allocation not programmed on a seat; negative when over'),
    });
    app.get(
      '/programs/:iso3/:fy/check',
      {
        schema: {
          operationId: 'checkProgram',
          tags: ['training'],
          summary: "The checks of a country's IMET list for a fiscal year",
          description:
            "The funds position of a country's IMET training list for a fiscal year and its checks before approval: priority A lines within the allocation, PME lines at least half of it, and every line's program eligible at its class start. Who: anyone signed in who sees the country (an SCO: their countries; an IMSO: none). Refusals: 403 ACCESS.OUT_OF_SCOPE; 404 COUNTRY.NOT_FOUND.",
          params: z.object({ iso3: Iso3(), fy: FiscalYearInput }),
          response: {
            200: z.object({
              country: Iso3(),
              fiscalYear: z.number().int(),
              program: z.literal('IMET'),
              funds: Funds,
              totals: z.object({
                byPriority: z
                  .record(constrainedText(PRIORITIES), cents())
                  .meta({ description: 'money committed by priority' }),
                byCategory: z
                  .record(constrainedText(COURSE_CATEGORIES), cents())
                  .meta({ description: 'money committed by course category' }),
              }),
              checks: z
                .array(
                  z.object({
                    rule: z.enum([
                      'PRIORITY_A_WITHIN_ALLOCATION',
                      'PME_AT_LEAST_HALF',
                      'LINE_ELIGIBLE',
                    ]),
                    ok: z.boolean(),
                    message: z.string(),
                    lineId: z.string().optional().meta({ description: 'the line not eligible' }),
                    numbers: z.record(z.string(), cents()).optional().meta({
                      description: 'the amounts compared, e.g. pmeCents and allocationCents',
                    }),
                  }),
                )
                .readonly(),
              ok: z.boolean().meta({ description: 'every check passed' }),
            }),
            ...problems(403, 404),
          },
        },
      },
      async (request, reply) =>
        sendResult(
          reply,
          await checkProgram(ctx, actorOf(request), request.params.iso3, request.params.fy),
        ),
    );
    app.get(
      '/end-of-year/:fy',
      {
        schema: {
          operationId: 'getEndOfYear',
          tags: ['training'],
          summary: 'IMET money that may move at the end of a fiscal year',
          description:
            'Released and unprogrammed IMET money by country for a fiscal year, and the lines that may take it (priority B lines of PME or E-IMET courses, never technical or English). Who: anyone signed in, over the countries they see (an SCO: theirs; an IMSO: none). No refusal but invalid input.',
          params: z.object({ fy: FiscalYearInput }),
          response: {
            200: z.object({
              fiscalYear: z.number().int(),
              countries: z
                .array(
                  z.object({
                    country: Iso3(),
                    releasedCents: cents(),
                    unprogrammedCents: cents(),
                    availableCents: cents('released plus unprogrammed'),
                  }),
                )
                .readonly(),
              totalAvailableCents: cents(),
              candidates: z
                .array(
                  z.object({
                    lineId: z.string(),
                    country: Iso3(),
                    courseId: z.string(),
                    category: constrainedText(COURSE_CATEGORIES),
                    eImet: z.boolean(),
                    classStart: isoDate(),
                    costCents: cents('tuition and allowance of the seats not cancelled'),
                  }),
                )
                .readonly(),
            }),
          },
        },
      },
      async (request, reply) =>
        sendResult(reply, await endOfYear(ctx, actorOf(request), request.params.fy)),
    );
  };
}
