// Eligibility: one question, a batch of up to 10,000, and a country's timeline.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../services/context.js';
import { InstantInput, IsoDateInput } from './input.schemas.js';
import {
  checkEligibility,
  checkEligibilityBatch,
  currentSnapshot,
  decideRequest,
  MAX_BATCH,
} from '../services/eligibility/eligibility.service.js';
import { getTimeline } from '../services/eligibility/timeline.service.js';
import { DECISION_EXAMPLE, TIMELINE_EXAMPLE } from './examples.js';
import { NotificationSchema, ReliefSchema, RestrictionSchema } from './record.schemas.js';
import { answer, sendResult } from './reply.js';

const Relief = z.object({
  id: z.string(),
  type: z.string(),
  grounds: z.string().nullable(),
  authority: z.string(),
  justification: z.string(),
  source: z.string().nullable(),
  from: z.string(),
  until: z.string().nullable(),
  notificationId: z.string().nullable(),
});
export const DecisionSchema = z
  .object({
    country: z.string(),
    program: z.string(),
    on: z.string(),
    knownOn: z.string().nullable(),
    asOf: z.string().nullable().meta({
      description:
        'the record as it stood at this instant: ask again with knownOn = asOf for the same answer',
    }),
    course: z.string().nullable(),
    eligible: z.boolean(),
    conditions: z.array(z.string()).readonly(),
    restrictions: z
      .array(
        z.object({
          id: z.string(),
          version: z.number().int(),
          kind: z.string(),
          basis: z.string(),
          authority: z.string(),
          source: z.string().nullable(),
          from: z.string(),
          until: z.string().nullable(),
          status: z.enum(['blocking', 'relieved']),
          seatPolicy: z.enum(['cancel', 'hold']),
          reliefId: z.string().nullable(),
          relief: Relief.nullable(),
          reason: z.string(),
        }),
      )
      .readonly(),
    pending: z
      .array(
        z.object({
          reliefId: z.string(),
          restrictionId: z.string(),
          effectiveFrom: z.string(),
          reason: z.string(),
        }),
      )
      .readonly(),
  })
  .meta({ id: 'Decision', example: DECISION_EXAMPLE });

const Query = z.object({
  country: z.string().meta({ description: 'ISO 3166-1 alpha-3', example: 'PAK' }),
  program: z
    .string()
    .meta({ description: 'IMET, FMF, PKO, INCLE, NADR, CTFP, FMS or SEC333', example: 'IMET' }),
  on: IsoDateInput.meta({
    description: 'the date asked about, YYYY-MM-DD (1950–2100)',
    example: '2020-01-04',
  }),
  knownOn: InstantInput.optional().meta({
    description: 'answer as the record stood at this ISO 8601 instant',
    example: '2020-01-02T12:00:00Z',
  }),
  course: z
    .string()
    .optional()
    .meta({ description: 'a course id of the catalog', example: 'P176019' }),
});

/**
 * Decisions are typed end to end (the handler returns the engine's `Decision`), so the hot routes
 * serialise with plain JSON instead of re-validating every answer against the schema; the schema
 * still documents the response.
 */
const plainJson = () => (data: unknown) => JSON.stringify(data);

const Event = z.object({ date: z.string(), type: z.string(), id: z.string(), summary: z.string() });

export const Decisions = z
  .object({ decisions: z.array(DecisionSchema).readonly() })
  .meta({ id: 'Decisions', example: { decisions: [DECISION_EXAMPLE] } });

export const Timeline = z
  .object({
    country: z.string(),
    knownOn: z.string().nullable(),
    events: z.array(Event).readonly(),
    restrictions: z.array(RestrictionSchema).readonly(),
    reliefs: z.array(ReliefSchema).readonly(),
    notifications: z.array(NotificationSchema).readonly(),
  })
  .meta({ id: 'Timeline', example: TIMELINE_EXAMPLE });

export function eligibilityRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get(
      '/eligibility',
      {
        schema: {
          tags: ['eligibility'],
          summary: 'Is a country eligible for a program on a date (and course), and why',
          querystring: Query,
          response: { 200: DecisionSchema },
        },
        serializerCompiler: plainJson,
      },
      (request, reply) => {
        // The commonest case answers without a promise: the index is current and in memory.
        const snapshot = currentSnapshot(ctx);
        if (snapshot !== undefined)
          return answer(reply, decideRequest(snapshot, request.query, ctx.clock));
        return checkEligibility(ctx, request.query).then((result) => answer(reply, result));
      },
    );
    app.post(
      '/eligibility/batch',
      {
        schema: {
          tags: ['eligibility'],
          summary: `Up to ${MAX_BATCH} questions; one decision each, in order`,
          body: z.object({ queries: z.array(Query).min(1) }).meta({
            example: {
              queries: [
                { country: 'PAK', program: 'IMET', on: '2019-06-01' },
                { country: 'PAK', program: 'FMF', on: '2020-02-01' },
              ],
            },
          }),
          response: { 200: Decisions },
        },
        bodyLimit: 8 * 1024 * 1024,
        serializerCompiler: plainJson,
      },
      async (request, reply) => {
        const result = await checkEligibilityBatch(ctx, request.body.queries);
        return sendResult(
          reply,
          result.ok ? { ok: true, value: { decisions: result.value } } : result,
        );
      },
    );
    app.get(
      '/countries/:iso3/timeline',
      {
        schema: {
          tags: ['countries'],
          summary:
            'Restrictions, reliefs, notifications and allocations over time, now or as known on an instant',
          params: z.object({ iso3: z.string().meta({ example: 'PAK' }) }),
          querystring: z.object({
            knownOn: InstantInput.optional().meta({ example: '2019-01-01T00:00:00Z' }),
          }),
          response: { 200: Timeline },
        },
      },
      async (request, reply) =>
        sendResult(reply, await getTimeline(ctx, request.params.iso3, request.query.knownOn)),
    );
  };
}
