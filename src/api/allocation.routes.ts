// Allocations per country × program × FY: read (in force, pending, history) and set or adjust one.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IsoDateInput } from './input.schemas.js';
import { getAllocations, setAllocation } from '../services/training/allocation.service.js';
import type { AppContext } from '../services/context.js';
import { written } from './http.js';
import { NotificationSchema } from './record.schemas.js';
import { sendResult } from './reply.js';

export const AllocationSchema = z
  .object({
    id: z.string(),
    country: z.string(),
    program: z.string(),
    fiscalYear: z.number().int(),
    amountCents: z.number().int(),
    effectiveFrom: z
      .string()
      .meta({ description: 'the day the amount takes effect (a notification: its window end)' }),
    reason: z.string(),
    source: z.string().nullable(),
    notificationId: z.string().nullable(),
    notification: NotificationSchema.nullable(),
    recordedAt: z.string(),
    supersededAt: z.string().nullable(),
    recordedBy: z.string(),
  })
  .meta({ id: 'Allocation' });

const AllocationBody = z
  .object({
    country: z.string().meta({ description: 'ISO 3166-1 alpha-3' }),
    program: z.string().meta({ description: 'IMET, FMF, PKO, INCLE, NADR, CTFP, FMS or SEC333' }),
    fiscalYear: z.number().meta({ description: 'US federal fiscal year, 1950–2100' }),
    amountCents: z.number().meta({ description: 'the new amount in whole US cents, 0 or more' }),
    reason: z.string(),
    notified: z.string().optional().meta({
      description:
        'the day Congress was notified (YYYY-MM-DD): the change takes effect when the waiting period ends',
    }),
    waitDays: z
      .number()
      .optional()
      .meta({ description: 'the waiting period after notification, in days (default 15)' }),
    source: z.string().nullable().optional(),
  })
  .meta({
    example: {
      country: 'PAK',
      program: 'IMET',
      fiscalYear: 2018,
      amountCents: 400_000_000,
      reason: 'FY2018 IMET for Pakistan as justified',
    },
  });

const AllocationChangeSchema = z.object({
  allocation: AllocationSchema,
  pending: z.boolean().meta({ description: 'true while the notification window runs' }),
  previousAmountCents: z.number().int().nullable(),
  notification: NotificationSchema.nullable(),
  exemption: z
    .enum(['first-allocation', 'imet-under-25000', 'unchanged'])
    .nullable()
    .meta({ description: 'why no notification was needed; null when one was' }),
  superseded: z.array(z.string()).readonly(),
});

const AllocationQuery = z.object({
  country: z.string().meta({ description: 'ISO 3166-1 alpha-3', example: 'PAK' }),
  program: z
    .string()
    .meta({ description: 'IMET, FMF, PKO, INCLE, NADR, CTFP, FMS or SEC333', example: 'IMET' }),
  fy: z.string().optional().meta({ description: 'one fiscal year', example: '2017' }),
  on: IsoDateInput.optional().meta({
    description: 'judge "in force" and "pending" on this date, YYYY-MM-DD (default today)',
    example: '2018-03-01',
  }),
});

const AllocationView = z.object({
  country: z.string(),
  program: z.string(),
  asOf: z.string(),
  fiscalYears: z
    .array(
      z.object({
        fiscalYear: z.number().int(),
        inForce: AllocationSchema.nullable(),
        pending: z.array(AllocationSchema).readonly(),
        history: z.array(AllocationSchema).readonly(),
      }),
    )
    .readonly(),
});

export function allocationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get(
      '/allocations',
      {
        schema: {
          tags: ['allocations'],
          summary:
            "A country's allocations for a program, by FY: the amount in force, changes pending their notification window, every version",
          querystring: AllocationQuery,
          response: { 200: AllocationView },
        },
      },
      async (request, reply) => sendResult(reply, await getAllocations(ctx, request.query)),
    );
    app.post(
      '/allocations',
      {
        schema: {
          tags: ['allocations'],
          summary:
            'Set or adjust an allocation (a new version); 422 when the change needs a congressional notification and none is given',
          body: AllocationBody,
          response: { 201: AllocationChangeSchema },
        },
      },
      async (request, reply) =>
        written(request, reply, (actor) => setAllocation(ctx, actor, request.body)),
    );
  };
}
