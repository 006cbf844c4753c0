// Counts across countries for the dashboard: the seats of a fiscal year by status, and what
// restrictions did to them, over the countries (or schools) the caller sees.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PROGRAMS } from '../core/programs.js';
import { SEAT_STATUSES } from '../core/training.js';
import type { AppContext } from '../services/context.js';
import { seatSummary } from '../services/training/seat-summary.service.js';
import { cents, oneOfValues } from './fields.js';
import { constrainedText, actorOf } from './http.js';
import { FiscalYearInput } from './input.schemas.js';
import { sendResult } from './reply.js';
import { SCOPED_SEATS } from './training.routes.js';

const count = (description: string) => z.number().int().meta({ description });

export const SeatSummarySchema = z
  .object({
    fiscalYear: z.number().int(),
    program: oneOfValues(PROGRAMS)
      .nullable()
      .meta({ description: 'the program counted; null: every program' }),
    countries: count('countries with at least one seat counted'),
    seats: count('seats counted'),
    byStatus: z
      .record(oneOfValues(SEAT_STATUSES), z.number().int())
      .meta({ description: 'seats by status, every status named (0 when none)' }),
    flagged: count('seats in or past training a restriction or a unit denial reached'),
    restricted: z
      .object({
        seats: count('seats a restriction cancelled, held or flagged'),
        cancelled: count('seats a restriction cancelled'),
        held: count('seats a restriction holds'),
        flagged: count('seats in or past training a restriction flagged'),
        releasedCents: cents(
          'tuition and allowance of the seats a restriction cancelled, less penalties (none when the US cancels): the money released',
        ),
        heldCents: cents(
          'tuition and allowance of the seats a restriction holds: not spent, not yet released',
        ),
      })
      .meta({ description: 'what restrictions did to the seats counted' }),
  })
  .meta({
    id: 'SeatSummary',
    example: {
      fiscalYear: 2018,
      program: 'IMET',
      countries: 1,
      seats: 14,
      byStatus: {
        planned: 0,
        programmed: 0,
        nominated: 0,
        cleared: 0,
        'ito-issued': 0,
        'in-training': 2,
        completed: 0,
        'not-completed': 0,
        held: 0,
        cancelled: 12,
      },
      flagged: 2,
      restricted: {
        seats: 14,
        cancelled: 12,
        held: 0,
        flagged: 2,
        releasedCents: 145_000_000,
        heldCents: 0,
      },
    },
  });

export function summaryRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get(
      '/seats/summary',
      {
        schema: {
          operationId: 'getSeatSummary',
          tags: ['training'],
          summary: 'Seats of a fiscal year across countries, by status, and what restrictions did',
          description: `The seats of every training line of a fiscal year (of one program, when given) counted by status, with the seats restrictions cancelled, held or flagged and the money released (tuition and allowance of the seats a restriction cancelled, as a restriction's impact counts it) and held. ${SCOPED_SEATS} Refusals: 400 INPUT.INVALID naming \`fy\` or \`program\`.`,
          querystring: z.object({
            fy: FiscalYearInput,
            program: constrainedText(PROGRAMS, 'only the seats of this program (default: all)')
              .optional()
              .meta({ example: 'IMET' }),
          }),
          response: { 200: SeatSummarySchema },
        },
      },
      async (request, reply) =>
        sendResult(
          reply,
          await seatSummary(ctx, actorOf(request), {
            fiscalYear: request.query.fy,
            program: request.query.program,
          }),
        ),
    );
  };
}
