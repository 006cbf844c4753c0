// Allocations per country × program × FY: read (in force, pending, history) and set or adjust one.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BUDGET_STAGES } from '../core/imports/vocabulary.js';
import { PROGRAMS } from '../core/programs.js';
import { IsoDateInput } from './input.schemas.js';
import { getAllocations, setAllocation } from '../services/training/allocation.service.js';
import type { AppContext } from '../services/context.js';
import { problems } from './contract.js';
import { ALLOCATION_EXAMPLE } from './examples.js';
import { cents, instant, isoDate, oneOfValues } from './fields.js';
import { constrainedText, writers, written } from './http.js';
import { NotificationSchema } from './record.schemas.js';
import { sendResult } from './reply.js';

export const AllocationSchema = z
  .object({
    id: z.string(),
    country: z.string().meta({ description: 'ISO 3166-1 alpha-3' }),
    program: constrainedText(PROGRAMS),
    fiscalYear: z.number().int(),
    amountCents: cents('the amount in whole US cents'),
    effectiveFrom: isoDate('the day the amount takes effect (a notification: its window end)'),
    reason: z.string(),
    source: z.string().nullable(),
    notificationId: z.string().nullable(),
    notification: NotificationSchema.nullable(),
    budgetStage: z.enum(BUDGET_STAGES).nullable().meta({
      description:
        'the stage of the budget table the amount came from (only an enacted table becomes an allocation); null when set by hand',
    }),
    recordedAt: instant('when this version was recorded'),
    supersededAt: instant('when a later change replaced it; null while current').nullable(),
    recordedBy: z.string(),
  })
  .meta({ id: 'Allocation', example: ALLOCATION_EXAMPLE });

const AllocationBody = z
  .object({
    country: z.string().meta({ description: 'ISO 3166-1 alpha-3' }),
    program: constrainedText(PROGRAMS, 'a program code, in any case'),
    fiscalYear: z.number().meta({ description: 'US federal fiscal year, 1950–2100' }),
    amountCents: z.number().meta({ description: 'the new amount in whole US cents, 0 or more' }),
    reason: z.string(),
    notified: isoDate(
      'the day Congress was notified: the change takes effect when the waiting period ends',
    ).optional(),
    waitDays: z.number().optional().meta({
      description: 'the waiting period after notification, in days, 0–365 (default 15)',
    }),
    source: z.string().nullable().optional(),
  })
  .meta({
    // A waiting period goes with a notification date (refused alone, naming waitDays).
    dependentRequired: { waitDays: ['notified'] },
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
  previousAmountCents: cents(
    'the amount in force on the day the change takes effect, as known before it',
  ).nullable(),
  notification: NotificationSchema.nullable(),
  exemption: z
    .enum(['first-allocation', 'imet-under-25000', 'unchanged'])
    .nullable()
    .meta({ description: 'why no notification was needed; null when one was' }),
  superseded: z
    .array(z.string())
    .readonly()
    .meta({ description: 'ids of the versions this change replaced' }),
});

const AllocationQuery = z.object({
  country: z.string().meta({ description: 'ISO 3166-1 alpha-3', example: 'PAK' }),
  program: constrainedText(PROGRAMS, 'a program code, in any case').meta({ example: 'IMET' }),
  fy: z
    .string()
    .optional()
    .meta({ description: 'one fiscal year, 1950–2100 (default: all)', example: '2017' }),
  on: IsoDateInput.optional().meta({
    description: 'judge "in force" and "pending" on this date, YYYY-MM-DD (default today)',
    example: '2018-03-01',
  }),
});

const AllocationView = z.object({
  country: z.string(),
  program: oneOfValues(PROGRAMS),
  asOf: isoDate('the date "in force" and "pending" were judged on'),
  fiscalYears: z
    .array(
      z.object({
        fiscalYear: z.number().int(),
        inForce: AllocationSchema.nullable().meta({
          description: 'the version in force on asOf; null when none is yet',
        }),
        pending: z
          .array(AllocationSchema)
          .readonly()
          .meta({ description: 'changes to take effect after asOf, soonest first' }),
        history: z
          .array(AllocationSchema)
          .readonly()
          .meta({ description: 'every version recorded, superseded ones included, oldest first' }),
      }),
    )
    .readonly(),
});

/** Who may make these writes, for their descriptions. */
const WRITERS = writers('allocations.write');

export function allocationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get(
      '/allocations',
      {
        schema: {
          tags: ['allocations'],
          operationId: 'getAllocations',
          summary: "A country's allocations for a program, by fiscal year",
          description:
            "A country's allocations for one program, by fiscal year: the amount in force on a date, the changes pending their congressional notification window, and every version recorded. Who: anyone signed in. Refusals: 400 INPUT.INVALID for a program, fiscal year or date it does not know; 404 COUNTRY.NOT_FOUND.",
          querystring: AllocationQuery,
          response: { 200: AllocationView, ...problems(404) },
        },
      },
      async (request, reply) => sendResult(reply, await getAllocations(ctx, request.query)),
    );
    app.post(
      '/allocations',
      {
        schema: {
          tags: ['allocations'],
          operationId: 'setAllocation',
          summary: 'Set or adjust an allocation (a new version)',
          description: `Sets or adjusts the allocation of a country, program and fiscal year: a new version taking effect today, or, with \`notified\`, when the waiting period after the congressional notification ends. The versions it replaces are superseded, not changed. Who: ${WRITERS}. Refusals: 403 ACCESS.FORBIDDEN for another role (ACCESS.CSRF: a cookie without its X-CSRF-Token); 404 COUNTRY.NOT_FOUND; 409 WRITE.CONTENDED; 422 ALLOCATION.NOTIFICATION_REQUIRED when the change needs a congressional notification and none is given (field \`notified\`).`,
          body: AllocationBody,
          response: { 201: AllocationChangeSchema, ...problems(403, 404, 409, 422) },
        },
      },
      async (request, reply) =>
        written(request, reply, (actor) => setAllocation(ctx, actor, request.body)),
    );
  };
}
