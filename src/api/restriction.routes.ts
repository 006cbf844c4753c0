// Writes of restrictions and reliefs: record, correct (new version), end; each by the signed-in actor.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../core/actor.js';
import type { Result } from '../core/result.js';
import type { AppContext } from '../services/context.js';
import { endRelief, recordRelief } from '../services/eligibility/relief.service.js';
import {
  correctRestriction,
  endRestriction,
  getRestriction,
  recordRestriction,
} from '../services/eligibility/restriction.service.js';
import { written } from './http.js';
import {
  IMPACT_EXAMPLE,
  NOTIFICATION_EXAMPLE,
  RELIEF_EXAMPLE,
  RESTRICTION_EXAMPLE,
} from './examples.js';
import {
  ImpactSchema,
  NotificationSchema,
  ReliefSchema,
  RestrictionSchema,
} from './record.schemas.js';
import { sendResult } from './reply.js';

const RestrictionBody = z
  .object({
    country: z.string(),
    kind: z.string(),
    scope: z.array(z.string()).min(1),
    from: z.string(),
    until: z.string().nullable().optional(),
    basis: z.string(),
    authority: z.string(),
    source: z.string().nullable().optional(),
    seatPolicy: z.enum(['cancel', 'hold']).optional(),
    courseFilter: z.string().nullable().optional(),
    determinedOn: z.string().nullable().optional(),
    description: z.string().nullable().optional(),
  })
  .meta({
    example: {
      country: 'PAK',
      kind: 'policy',
      scope: ['security-assistance'],
      from: '2018-01-04',
      basis: 'Presidential policy decision (4 January 2018)',
      authority: 'President; Secretary of State',
      seatPolicy: 'cancel',
    },
  });

const CorrectionBody = RestrictionBody.omit({ country: true })
  .partial()
  .extend({ reason: z.string().min(1) })
  .meta({
    example: {
      from: '2018-01-04',
      reason: 'the suspension was announced on 4 January, not 1 January',
    },
  });

const EndBody = z
  .object({ on: z.string(), reason: z.string().optional() })
  .meta({ example: { on: '2018-08-01', reason: 'IMET participation suspended in August 2018' } });

const ReliefBody = z
  .object({
    type: z.string(),
    grounds: z.string().nullable().optional(),
    programs: z.array(z.string()).min(1),
    courses: z.array(z.string()).optional(),
    schools: z.array(z.string()).optional(),
    from: z.string().optional(),
    notified: z.string().optional(),
    waitDays: z.number().int().optional(),
    until: z.string().nullable().optional(),
    authority: z.string(),
    justification: z.string(),
    source: z.string().nullable().optional(),
  })
  .meta({
    example: {
      type: 'exception',
      programs: ['IMET'],
      notified: '2019-12-19',
      waitDays: 15,
      authority: 'Secretary of State',
      justification: 'IMET resumes as a narrow exception; the overall suspension remains in effect',
    },
  });

const DryRun = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: 'true: return what the write would do to seats, without writing' }),
});
const dryRunOf = (query: { dryRun?: 'true' | 'false' | undefined }) => ({
  dryRun: query.dryRun === 'true',
});

export const RestrictionWithImpact = RestrictionSchema.extend({ impact: ImpactSchema }).meta({
  id: 'RestrictionWithImpact',
  example: { ...RESTRICTION_EXAMPLE, impact: IMPACT_EXAMPLE },
});
export const ReliefWithImpact = ReliefSchema.extend({ impact: ImpactSchema }).meta({
  id: 'ReliefWithImpact',
  example: { ...RELIEF_EXAMPLE, until: '2020-06-01', version: 2, impact: IMPACT_EXAMPLE },
});
export const ReliefRecorded = z
  .object({
    relief: ReliefSchema,
    notification: NotificationSchema.nullable(),
    impact: ImpactSchema,
  })
  .meta({
    id: 'ReliefRecorded',
    example: { relief: RELIEF_EXAMPLE, notification: NOTIFICATION_EXAMPLE, impact: IMPACT_EXAMPLE },
  });

const Id = z.object({ id: z.string().meta({ example: 'rst_pak-policy-2018' }) });

/** A write answered 201, or 200 for a dry run (nothing was created). */
async function created<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  write: (actor: Actor) => Promise<Result<T>>,
): Promise<T | FastifyReply> {
  const dryRun = (request.query as { dryRun?: string } | undefined)?.dryRun === 'true';
  return written(request, reply, write, { status: dryRun ? 200 : 201 });
}

export function restrictionRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.post(
      '/restrictions',
      {
        schema: {
          tags: ['restrictions'],
          summary:
            'Record a restriction (409 when a same-kind restriction overlaps it: correct that one instead)',
          querystring: DryRun,
          body: RestrictionBody,
          response: { 200: RestrictionWithImpact, 201: RestrictionWithImpact },
        },
      },
      async (request, reply) =>
        created(request, reply, (actor) =>
          recordRestriction(ctx, actor, request.body, dryRunOf(request.query)),
        ),
    );
    app.get(
      '/restrictions/:id',
      {
        schema: {
          tags: ['restrictions'],
          summary: 'A restriction: its current version and every version recorded',
          params: Id,
          response: {
            200: z
              .object({ current: RestrictionSchema, versions: z.array(RestrictionSchema) })
              .meta({
                example: { current: RESTRICTION_EXAMPLE, versions: [RESTRICTION_EXAMPLE] },
              }),
          },
        },
      },
      async (request, reply) => sendResult(reply, await getRestriction(ctx, request.params.id)),
    );
    app.post(
      '/restrictions/:id/versions',
      {
        schema: {
          tags: ['restrictions'],
          summary: 'Correct a restriction: a new version; the previous one is kept',
          params: Id,
          querystring: DryRun,
          body: CorrectionBody,
          response: { 200: RestrictionWithImpact, 201: RestrictionWithImpact },
        },
      },
      async (request, reply) =>
        created(request, reply, (actor) =>
          correctRestriction(ctx, actor, request.params.id, request.body, dryRunOf(request.query)),
        ),
    );
    app.post(
      '/restrictions/:id/end',
      {
        schema: {
          tags: ['restrictions'],
          summary: 'End (lift) a restriction from a date',
          params: Id,
          querystring: DryRun,
          body: EndBody,
          response: { 200: RestrictionWithImpact, 201: RestrictionWithImpact },
        },
      },
      async (request, reply) =>
        created(request, reply, (actor) =>
          endRestriction(
            ctx,
            actor,
            request.params.id,
            request.body.on,
            request.body.reason,
            dryRunOf(request.query),
          ),
        ),
    );
    app.post(
      '/restrictions/:id/reliefs',
      {
        schema: {
          tags: ['restrictions'],
          summary:
            "Record a relief of a restriction (refused unless the restriction kind's rules allow it)",
          params: Id,
          querystring: DryRun,
          body: ReliefBody,
          response: { 200: ReliefRecorded, 201: ReliefRecorded },
        },
      },
      async (request, reply) =>
        created(request, reply, (actor) =>
          recordRelief(ctx, actor, request.params.id, request.body, dryRunOf(request.query)),
        ),
    );
    app.post(
      '/reliefs/:id/end',
      {
        schema: {
          tags: ['restrictions'],
          summary: 'End a relief from a date',
          params: z.object({ id: z.string().meta({ example: 'rlf_pak-imet-exception-2018' }) }),
          querystring: DryRun,
          body: EndBody,
          response: { 200: ReliefWithImpact, 201: ReliefWithImpact },
        },
      },
      async (request, reply) =>
        created(request, reply, (actor) =>
          endRelief(
            ctx,
            actor,
            request.params.id,
            request.body.on,
            request.body.reason,
            dryRunOf(request.query),
          ),
        ),
    );
  };
}
