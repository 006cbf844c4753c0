// Seats: the board (filtered, counted and summed), one seat with its next statuses and history, a
// move (If-Match) and a cancellation (If-Match), with a dry run that shows the penalty first.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CANCELLATION_REASONS } from '../core/seat-rules.js';
import { SEAT_STATUSES } from '../core/training.js';
import type { AppContext } from '../services/context.js';
import {
  BOARD_MAX_PAGE,
  BOARD_PAGE,
  seatBoard,
  seatDetail,
} from '../services/training/seat-board.service.js';
import { cancelSeat, moveSeat } from '../services/training/training.service.js';
import { problems, responseHeaders } from './contract.js';
import { cents, instant, oneOfValues } from './fields.js';
import { actorOf, ifMatchHeader, writers } from './http.js';
import { FiscalYearInput, IsoDateInput, OffsetInput, wholeNumberInput } from './input.schemas.js';
import { sendResult } from './reply.js';
import {
  CANCELLATION_REASON_CODES,
  Iso3,
  SCOPED_SEATS,
  SeatId,
  SeatSchema,
  write,
} from './training.routes.js';

const IfMatch = ifMatchHeader('the seat version you read (its ETag); 409 when stale');

const BoardQuery = z.object({
  country: Iso3(
    'the country whose seats to list (required unless `restriction` is given)',
  ).optional(),
  fy: FiscalYearInput.optional(),
  status: z
    .string()
    .optional()
    .meta({
      description: 'only seats of this status',
      enum: [...SEAT_STATUSES],
      example: 'cancelled',
    }),
  course: z
    .string()
    .optional()
    .meta({ description: 'only seats of this course (a catalog id)', example: 'B171005' }),
  restriction: z.string().optional().meta({
    description:
      'only the seats this restriction reached: cancelled, held or flagged by it (the restriction the seat records)',
    example: 'rst_pak-policy-2018',
  }),
  limit: wholeNumberInput({ min: 1, max: BOARD_MAX_PAGE })
    .optional()
    .meta({
      description: `page size, 1–${BOARD_MAX_PAGE} (default ${BOARD_PAGE})`,
      example: '100',
    }),
  offset: OffsetInput.optional(),
});

const Board = z.object({
  items: z.array(SeatSchema).readonly().meta({ description: 'the page asked for' }),
  total: z.number().int().meta({ description: 'seats that matched, on every page' }),
  limit: z.number().int(),
  offset: z.number().int(),
  byStatus: z
    .array(z.object({ status: oneOfValues(SEAT_STATUSES), seats: z.number().int() }))
    .readonly()
    .meta({ description: 'seats that matched by status, along the seat path; none left out' }),
  flagged: z
    .number()
    .int()
    .meta({ description: 'seats that matched flagged by a restriction or a unit denial' }),
  totals: z
    .object({
      tuitionCents: cents('tuition of the seats that matched'),
      allowanceCents: cents('travel and living allowance of the seats that matched'),
      penaltiesCents: cents('penalties charged on the cancelled ones'),
      releasedCents: cents('tuition and allowance of the cancelled ones, less penalties'),
      committedCents: cents('tuition and allowance of the ones not cancelled, plus penalties'),
    })
    .meta({ description: 'the money of every seat that matched (all pages)' }),
  courses: z
    .array(z.object({ id: z.string(), title: z.string(), seats: z.number().int() }))
    .readonly()
    .meta({
      description: 'the courses of the seats that matched, by id (what `course` may narrow to)',
    }),
  restrictions: z
    .array(z.object({ id: z.string(), seats: z.number().int() }))
    .readonly()
    .meta({
      description:
        'the restrictions recorded on the seats that matched, by id (what `restriction` may narrow to)',
    }),
});

const FieldChange = z.object({
  field: z.string().meta({ description: 'the seat field the write changed, e.g. status' }),
  from: z.string().nullable(),
  to: z.string().nullable(),
});

const SeatDetail = SeatSchema.extend({
  nextStatuses: z.array(oneOfValues(SEAT_STATUSES)).readonly().meta({
    description:
      'the statuses the seat rules allow next: move with POST /seats/{id}/status, except `cancelled` (POST /seats/{id}/cancel)',
  }),
  cancellationReasons: z
    .array(
      z.object({
        code: oneOfValues(CANCELLATION_REASON_CODES),
        label: z.string(),
      }),
    )
    .readonly()
    .meta({ description: 'the reasons it may be cancelled for now; none when it cannot be' }),
  history: z
    .array(
      z.object({
        seq: z.number().int().meta({ description: 'the audit entry' }),
        recordedAt: instant(),
        actor: z.string(),
        action: z.string().meta({ example: 'seat.cancel' }),
        reason: z.string().nullable(),
        version: z
          .number()
          .int()
          .nullable()
          .meta({ description: 'the version the write made, when its entry kept it' }),
        changes: z.array(FieldChange).readonly(),
      }),
    )
    .readonly()
    .meta({ description: 'every write on the seat, oldest first (its audit entries)' }),
}).meta({ id: 'SeatDetail' });

const CancelledSeat = SeatSchema.extend({
  releasedCents: cents('tuition and allowance given back, less the penalty'),
}).meta({ id: 'CancelledSeat' });

export function seatRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get(
      '/seats',
      {
        schema: {
          operationId: 'listSeats',
          tags: ['training'],
          summary: 'The seats board: seats of a country or of a restriction',
          description: `Seats in class-start order, of a country or of what a restriction reached (one of the two is required: the board is a country desk's view, and a restriction is of one country), optionally of a fiscal year, a status, a course. Paged (\`limit\`, default ${BOARD_PAGE}, at most ${BOARD_MAX_PAGE}; \`offset\`); \`total\`, \`byStatus\`, \`flagged\` and \`totals\` count and sum every seat that matched, on every page. ${SCOPED_SEATS} (An SCO listing another country gets an empty list.) Refusals: 400 INPUT.INVALID naming \`country\` (neither a country nor a restriction), \`status\`, \`fy\`, \`limit\` or \`offset\`; 404 COUNTRY.NOT_FOUND, COURSE.NOT_FOUND, RESTRICTION.NOT_FOUND (each naming its parameter).`,
          querystring: BoardQuery,
          response: { 200: Board, ...problems(404) },
        },
      },
      async (request, reply) => {
        const { country, fy, status, course, restriction, limit, offset } = request.query;
        return sendResult(
          reply,
          await seatBoard(ctx, actorOf(request), {
            country,
            fiscalYear: fy,
            status,
            course,
            restriction,
            limit,
            offset,
          }),
        );
      },
    );
    app.get(
      '/seats/:id',
      {
        schema: {
          operationId: 'getSeat',
          tags: ['training'],
          summary: 'One seat, with its next statuses and history',
          description: `A seat with its line's course, dates and money, its status and why; the statuses the rules allow it next and the reasons it may be cancelled for; and its history, every write on it from the audit log (who, when, the version it made, what changed). Its version is the ETag to send back as If-Match. ${SCOPED_SEATS} Refusals: 404 SEAT.NOT_FOUND (also for a seat outside the caller's scope).`,
          params: SeatId,
          response: { 200: SeatDetail, ...problems(404) },
          ...responseHeaders({ 200: ['ETag'] }),
        },
      },
      async (request, reply) => {
        const result = await seatDetail(ctx, actorOf(request), request.params.id);
        if (result.ok) reply.header('etag', `"${result.value.version}"`);
        return sendResult(reply, result);
      },
    );
    app.post(
      '/seats/:id/status',
      {
        schema: {
          operationId: 'moveSeat',
          tags: ['training'],
          summary: 'Move a seat to its next status',
          description: `Moves a seat along its path (programmed → nominated → cleared → ito-issued → in-training → completed or not-completed, a step back where allowed), or holds it before training; a held seat returns only to the status it was held from. GET /seats/{id} says which statuses are allowed next (\`nextStatuses\`). Cancel with POST /seats/{id}/cancel. If-Match (optional): the version read. Who: ${writers('training.write')}, on seats in their scope. Refusals: 400 INPUT.INVALID naming \`status\` for an unknown status or \`cancelled\`; 403 ACCESS.FORBIDDEN; 404 SEAT.NOT_FOUND; 409 SEAT.STALE (If-Match not the current version), WRITE.CONTENDED; 422 SEAT.TRANSITION (not a move the seat rules allow).`,
          headers: IfMatch,
          params: SeatId,
          body: z
            .object({
              to: z.string().meta({
                description: 'the status to move to (the seat rules say which are allowed next)',
                enum: SEAT_STATUSES.filter((status) => status !== 'cancelled'),
              }),
            })
            .meta({ example: { to: 'nominated' } }),
          response: { 200: SeatSchema, ...problems(403, 404, 409, 422) },
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
          operationId: 'cancelSeat',
          tags: ['training'],
          summary: 'Cancel a seat (or see its penalty first)',
          description: `Cancels a seat before training with a reason from the fixed list; the penalty follows the rules (none for a US decision, a visa delay or an event in the country; 100% of tuition for a dedicated course; 50% under 60 days before class start). Answers the cancelled seat with its penalty and the money released. With \`dryRun=true\` the same write runs and is rolled back: the seat as it would be, its penalty and the money released, nothing recorded (refused as the write would be). Seats reached by a restriction are cancelled by recording the restriction, not here. If-Match (optional): the version read. Who: ${writers('training.write')}, on seats in their scope. Refusals: 400 INPUT.INVALID naming \`reason\` or \`on\`; 403 ACCESS.FORBIDDEN; 404 SEAT.NOT_FOUND; 409 SEAT.STALE, WRITE.CONTENDED; 422 SEAT.TRANSITION (a seat in or past training).`,
          headers: IfMatch,
          params: SeatId,
          querystring: z.object({
            dryRun: z.enum(['true', 'false']).optional().meta({
              description:
                'true: answer what the cancellation would do (penalty, money released) without writing',
              example: 'true',
            }),
          }),
          body: z
            .object({
              reason: z.string().meta({
                description: `why the seat is cancelled: ${Object.entries(CANCELLATION_REASONS)
                  .filter(([code]) => code !== 'us-restriction')
                  .map(([code, label]) => `${code} (${label})`)
                  .join(', ')}`,
                enum: CANCELLATION_REASON_CODES.filter((reason) => reason !== 'us-restriction'),
              }),
              refilled: z
                .boolean()
                .optional()
                .meta({ description: 'the seat was given to another student: no penalty' }),
              on: IsoDateInput.optional().meta({
                description:
                  'the day of the cancellation (default today); the penalty counts days before class start from it',
              }),
              note: z
                .string()
                .optional()
                .meta({ description: 'evidence, e.g. of a timely visa application' }),
            })
            .meta({
              example: { reason: 'visa-delay', note: 'applied 2020-01-10, 75 days before start' },
            }),
          response: { 200: CancelledSeat, ...problems(403, 404, 409, 422) },
        },
      },
      async (request, reply) =>
        write(request, reply, (actor, version) =>
          cancelSeat(
            ctx,
            actor,
            request.params.id,
            { ...request.body, expectedVersion: version },
            { dryRun: request.query.dryRun === 'true' },
          ),
        ),
    );
  };
}
