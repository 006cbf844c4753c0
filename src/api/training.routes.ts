// Training lines and seats: program a line, list and move seats (If-Match), cancel, and a restriction's impact.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../core/actor.js';
import { FiscalYearInput } from './input.schemas.js';
import { type Result } from '../core/result.js';
import type { AppContext } from '../services/context.js';
import {
  addLine,
  cancelSeat,
  getSeat,
  listSeats,
  moveSeat,
  restrictionImpact,
} from '../services/training/training.service.js';
import { checkProgram, endOfYear } from '../services/training/program.service.js';
import { ifMatch, ifMatchHeader, written } from './http.js';
import { ImpactTotals } from './record.schemas.js';
import { sendResult } from './reply.js';
import { actorOf } from './http.js';

export const SeatSchema = z
  .object({
    id: z.string(),
    lineId: z.string(),
    ordinal: z.number().int(),
    country: z.string(),
    fiscalYear: z.number().int(),
    program: z.string(),
    courseId: z.string(),
    courseTitle: z.string(),
    schoolId: z.string(),
    category: z.string(),
    eImet: z.boolean(),
    dedicated: z.boolean(),
    classStart: z.string(),
    priority: z.string(),
    status: z.string(),
    previousStatus: z.string().nullable(),
    reason: z.string().nullable(),
    cancellationReason: z.string().nullable(),
    cancelledOn: z.string().nullable(),
    heldOn: z
      .string()
      .nullable()
      .meta({ description: 'the day the seat was held: the day eligibility turned' }),
    refilled: z.boolean(),
    penaltyCents: z.number().int(),
    penaltyRule: z.string().nullable(),
    restrictionId: z.string().nullable(),
    flagged: z.boolean(),
    flagReason: z.string().nullable(),
    flaggedOn: z
      .string()
      .nullable()
      .meta({ description: 'the day a restriction (or a unit denial) reached the flagged seat' }),
    studentId: z.string().nullable(),
    tuitionCents: z.number().int(),
    allowanceCents: z.number().int(),
    version: z.number().int(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Seat' });

const LineBody = z
  .object({
    country: z.string(),
    fiscalYear: z.number().int(),
    course: z.string(),
    seats: z.number().int(),
    classStart: z.string(),
    priority: z.string(),
    program: z.string().optional(),
    allowanceCents: z.number().int().optional(),
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
  country: z.string(),
  fiscalYear: z.number().int(),
  courseId: z.string(),
  program: z.string(),
  priority: z.string(),
  classStart: z.string(),
  seatCount: z.number().int(),
  unitTuitionCents: z.number().int(),
  allowanceCents: z.number().int(),
  seats: z.array(SeatSchema).readonly(),
});

const IfMatch = ifMatchHeader('the seat version you read (its ETag); 409 when stale');

/** A seat write with the optional If-Match version it was read at. */
async function write<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  run: (actor: Actor, version: number | undefined) => Promise<Result<T>>,
  status = 200,
): Promise<T | FastifyReply> {
  const version = ifMatch(request);
  if (!version.ok) return sendResult(reply, version);
  return written(request, reply, (actor) => run(actor, version.value), { status });
}

export function trainingRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.post(
      '/lines',
      {
        schema: {
          tags: ['training'],
          summary:
            'Program a training line; its seats are created programmed (refused when the program is not eligible at class start)',
          headers: IfMatch,
          body: LineBody,
          response: { 201: Line },
        },
      },
      async (request, reply) =>
        write(request, reply, (actor) => addLine(ctx, actor, request.body), 201),
    );
    app.get(
      '/seats',
      {
        schema: {
          tags: ['training'],
          summary: "A country's seats for a fiscal year, optionally of one status",
          querystring: z.object({
            country: z.string().meta({ example: 'PAK' }),
            fy: FiscalYearInput,
            status: z.string().optional().meta({ example: 'cancelled' }),
          }),
          response: {
            200: z.object({ items: z.array(SeatSchema).readonly(), total: z.number().int() }),
          },
        },
      },
      async (request, reply) => {
        const result = await listSeats(ctx, actorOf(request), {
          country: request.query.country,
          fiscalYear: request.query.fy,
          status: request.query.status,
        });
        return sendResult(
          reply,
          result.ok
            ? { ok: true, value: { items: result.value, total: result.value.length } }
            : result,
        );
      },
    );
    app.get(
      '/seats/:id',
      {
        schema: {
          tags: ['training'],
          summary: 'One seat (ETag: its version)',
          params: z.object({ id: z.string() }),
          response: { 200: SeatSchema },
        },
      },
      async (request, reply) => {
        const result = await getSeat(ctx, actorOf(request), request.params.id);
        if (result.ok) reply.header('etag', `"${result.value.version}"`);
        return sendResult(reply, result);
      },
    );
    app.post(
      '/seats/:id/status',
      {
        schema: {
          tags: ['training'],
          summary: 'Move a seat to its next status (If-Match: the version read; 409 when stale)',
          headers: IfMatch,
          params: z.object({ id: z.string() }),
          body: z.object({ to: z.string() }).meta({ example: { to: 'nominated' } }),
          response: { 200: SeatSchema },
        },
      },
      async (request, reply) =>
        write(request, reply, (actor, version) =>
          moveSeat(ctx, actor, request.params.id, request.body.to, version),
        ),
    );
    app.post(
      '/seats/:id/cancel',
      {
        schema: {
          tags: ['training'],
          summary: 'Cancel a seat with a reason from the fixed list; the penalty follows the rules',
          headers: IfMatch,
          params: z.object({ id: z.string() }),
          body: z
            .object({
              reason: z.string(),
              refilled: z.boolean().optional(),
              on: z.string().optional(),
              note: z.string().optional(),
            })
            .meta({
              example: { reason: 'visa-delay', note: 'applied 2020-01-10, 75 days before start' },
            }),
          response: { 200: SeatSchema },
        },
      },
      async (request, reply) =>
        write(request, reply, (actor, version) =>
          cancelSeat(ctx, actor, request.params.id, { ...request.body, expectedVersion: version }),
        ),
    );
    app.get(
      '/restrictions/:id/impact',
      {
        schema: {
          tags: ['restrictions'],
          summary:
            'What a restriction did: seats by status and course, students, money released, penalties',
          params: z.object({ id: z.string() }),
          response: {
            200: ImpactTotals.extend({
              restrictionId: z.string(),
              seatList: z.array(SeatSchema).readonly(),
            }),
          },
        },
      },
      async (request, reply) =>
        sendResult(reply, await restrictionImpact(ctx, actorOf(request), request.params.id)),
    );
    const Funds = z.object({
      allocationCents: z.number().int(),
      committedCents: z.number().int(),
      releasedCents: z.number().int(),
      penaltiesCents: z.number().int(),
      unprogrammedCents: z.number().int(),
    });
    app.get(
      '/programs/:iso3/:fy/check',
      {
        schema: {
          tags: ['training'],
          summary:
            "The checks of a country's IMET list for a fiscal year: priority A within the allocation, PME at least half, every line eligible",
          params: z.object({
            iso3: z.string().meta({ example: 'PAK' }),
            fy: FiscalYearInput,
          }),
          response: {
            200: z.object({
              country: z.string(),
              fiscalYear: z.number().int(),
              program: z.literal('IMET'),
              funds: Funds,
              totals: z.object({
                byPriority: z.record(z.string(), z.number().int()),
                byCategory: z.record(z.string(), z.number().int()),
              }),
              checks: z
                .array(
                  z.object({
                    rule: z.string(),
                    ok: z.boolean(),
                    message: z.string(),
                    lineId: z.string().optional(),
                    numbers: z.record(z.string(), z.number()).optional(),
                  }),
                )
                .readonly(),
              ok: z.boolean(),
            }),
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
          tags: ['training'],
          summary:
            'Released and unprogrammed IMET money across countries, and the lines that may take it (priority B, PME or E-IMET)',
          params: z.object({ fy: FiscalYearInput }),
          response: {
            200: z.object({
              fiscalYear: z.number().int(),
              countries: z
                .array(
                  z.object({
                    country: z.string(),
                    releasedCents: z.number().int(),
                    unprogrammedCents: z.number().int(),
                    availableCents: z.number().int(),
                  }),
                )
                .readonly(),
              totalAvailableCents: z.number().int(),
              candidates: z
                .array(
                  z.object({
                    lineId: z.string(),
                    country: z.string(),
                    courseId: z.string(),
                    category: z.string(),
                    eImet: z.boolean(),
                    classStart: z.string(),
                    costCents: z.number().int(),
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
