// GET /api/v1/reprogramming: the re-programming optimizer's proposal (issue 17), the contract of
// `attache reprogram`. A proposal reads and writes nothing; it costs a solver run, so it spends
// ten units of the caller's rate limit.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { POOLS } from '../core/reprogram/model.js';
import { COURSE_CATEGORIES, PRIORITIES } from '../core/training.js';
import type { AppContext } from '../services/context.js';
import {
  applyReprogramming,
  proposeReprogramming,
} from '../services/reprogram/reprogram.service.js';
import { problems } from './contract.js';
import { cents, isoDate, oneOfValues } from './fields.js';
import { actorOf, writers, written } from './http.js';
import { FiscalYearInput, IsoDateInput } from './input.schemas.js';
import { sendResult } from './reply.js';
import { Iso3 } from './training.routes.js';

const RULES = [
  'POOL',
  'PRIORITY_A_WITHIN_ALLOCATION',
  'PME_AT_LEAST_HALF',
  'CLASS_CAPACITY',
] as const;
const EXCLUSIONS = [
  'PRIORITY_B_ONLY',
  'END_OF_YEAR_LINES',
  'CLASS_STARTED',
  'LINE_ELIGIBLE',
  'LIST_FAILS',
] as const;

const Plan = {
  chosen: z
    .array(
      z.object({
        lineId: z.string(),
        country: Iso3(),
        courseId: z.string(),
        classStart: isoDate(),
        seats: z.number().int().meta({ description: 'seats funded' }),
        seatsLeft: z.number().int().meta({ description: 'seats of the line left unfunded' }),
        seatCents: cents('tuition and living allowance of one seat'),
        costCents: cents(),
        value: z.number(),
      }),
    )
    .readonly(),
  grants: z
    .array(
      z.object({
        country: Iso3(),
        cents: cents('taken from the pool: the least the chosen lines need beyond its own room'),
        ownCents: cents("spent from the country's own room within its allocation"),
      }),
    )
    .readonly(),
  value: z.number().meta({ description: 'Σ seats × value of a seat' }),
  usedCents: cents('of the pool'),
};

const Conflict = z.object({
  rule: oneOfValues([...RULES, ...EXCLUSIONS, 'REQUIRED_SEATS']),
  subject: z.string(),
  message: z.string(),
});

const Answer = z
  .object({
    on: isoDate('the day of the proposal: classes that started by then take no seat'),
    onReason: z.string(),
    basis: z.string().meta({
      description:
        'a digest of the record the proposal was made from: POST it back to apply the proposal; refused once the record moves',
    }),
    sources: z.array(z.object({ country: Iso3(), cents: cents() })).readonly(),
    proposal: z
      .object({
        fiscalYear: z.number().int(),
        pool: oneOfValues(POOLS),
        poolCents: cents(),
        ...Plan,
        leftCents: cents(),
        status: oneOfValues(['optimal', 'time-limit']),
        gap: z.number().meta({ description: 'relative gap to the best bound (0.001 = 0.1%)' }),
        seconds: z.number(),
        binding: z
          .array(
            z.object({
              rule: oneOfValues(RULES),
              subject: z.string(),
              message: z.string(),
              shadowPrice: z.number().meta({
                description:
                  'value one more dollar (a seat, for a class) of this rule would add, from the LP relaxation',
              }),
            }),
          )
          .readonly(),
        shadowPrices: z.literal('LP relaxation at the proposal'),
        notChosen: z
          .array(
            z.object({
              lineId: z.string(),
              country: Iso3(),
              seats: z.number().int(),
              rule: oneOfValues([...RULES, ...EXCLUSIONS, 'WITHIN_GAP']),
              message: z.string(),
              restrictionIds: z.array(z.string()).readonly().optional(),
            }),
          )
          .readonly(),
        greedy: z.object(Plan).meta({ description: 'the baseline: best value per dollar first' }),
      })
      .nullable()
      .meta({ description: 'null when no proposal keeps every rule (see conflicts)' }),
    conflicts: z.array(Conflict).readonly(),
    listsAfter: z
      .array(
        z.object({
          country: Iso3(),
          allocationCents: cents('less what it pooled, plus what it was granted'),
          priorityACents: cents(),
          pmeCents: cents(),
          priorityAWithinAllocation: z.boolean(),
          pmeAtLeastHalf: z.boolean(),
        }),
      )
      .readonly(),
    weights: z.object({
      priority: z.object(Object.fromEntries(PRIORITIES.map((p) => [p, z.number()]))),
      category: z.object(Object.fromEntries(COURSE_CATEGORIES.map((c) => [c, z.number()]))),
      eImet: z.number(),
    }),
  })
  .meta({ id: 'ReprogramAnswer' });

const Applied = z
  .object({
    id: z.string(),
    fiscalYear: z.number().int(),
    usedCents: cents('taken from the pool'),
    lines: z
      .array(
        z.object({
          lineId: z.string(),
          seats: z.number().int(),
          fundedLineId: z.string().meta({
            description: 'the line made priority A: the same line, or the one split off it',
          }),
        }),
      )
      .readonly(),
    allocations: z
      .array(
        z.object({
          country: Iso3(),
          fromCents: cents(),
          toCents: cents(),
          effectiveFrom: isoDate('in force from: at once, or when the notification window ends'),
        }),
      )
      .readonly(),
    sources: z.array(z.object({ country: Iso3(), cents: cents() })).readonly(),
  })
  .meta({ id: 'ReprogrammingApplied' });

const ApplyBody = z.object({
  fy: z.number().int().meta({ description: 'fiscal year, as asked for the proposal' }),
  pool: oneOfValues(POOLS).optional().default('released'),
  country: z.string().max(3).optional(),
  on: IsoDateInput.optional(),
  keep: z.array(z.string().max(80)).max(500).optional(),
  basis: z.string().max(64).meta({ description: "the proposal's basis" }),
  lines: z
    .array(z.object({ lineId: z.string().max(64), seats: z.number().int() }))
    .max(10_000)
    .meta({ description: "the seats to fund on each line: the proposal's chosen lines" }),
  notified: IsoDateInput.optional().meta({
    description:
      'the day Congress was notified of the allocation changes of $25,000 or more (they take effect when its window ends)',
  }),
});

export function reprogramRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get(
      '/reprogramming',
      {
        config: { rateCost: () => 9 },
        schema: {
          operationId: 'proposeReprogramming',
          tags: ['training'],
          summary: 'Propose the best use of released or end-of-year IMET money',
          description:
            "The optimizer's proposal for a fiscal year's pool (HiGHS, a mixed-integer program): the lines and seats to fund, the money each country takes from the pool, the rules that bind with their shadow prices (from the LP relaxation), the rule that kept out each line not chosen, the greedy baseline, and each funded list as the proposal leaves it. Writes nothing. `keep` holds lines to fund (`LINE` or `LINE:SEATS`, comma-separated); when no proposal can keep them and every rule, `proposal` is null and `conflicts` names the rules. Who: program managers, analysts and admins (it moves money between countries). Refusals: 400 INPUT.INVALID; 403 REPROGRAM.ALL_COUNTRIES; 404 COUNTRY.NOT_FOUND; 422 REPROGRAM.NO_SOLUTION.",
          querystring: z.object({
            fy: FiscalYearInput,
            pool: oneOfValues(POOLS, 'released (by cancellations) or end-of-year')
              .optional()
              .default('released'),
            country: z.string().max(3).optional().meta({
              description: "only this country's money goes into the pool",
              example: 'PAK',
            }),
            on: IsoDateInput.optional().meta({
              description:
                'the day of the proposal (default: the day the pooled money was last released, or the fourth quarter at the year end)',
            }),
            keep: z
              .string()
              .max(2_000)
              .optional()
              .meta({ description: 'lines to fund: LINE or LINE:SEATS, comma-separated' }),
            timeLimit: z
              .string()
              .regex(/^\d{1,3}(\.\d{1,3})?$/, 'seconds, e.g. 10')
              .optional()
              .meta({ description: 'seconds the solver may take, at most 120 (default 10)' }),
          }),
          response: { 200: Answer, ...problems(400, 403, 404, 422) },
        },
      },
      async (request, reply) => {
        const q = request.query;
        return sendResult(
          reply,
          await proposeReprogramming(ctx, actorOf(request), {
            fiscalYear: q.fy,
            pool: q.pool,
            country: q.country,
            on: q.on,
            keep:
              q.keep === undefined
                ? []
                : q.keep
                    .split(',')
                    .map((k) => k.trim())
                    .filter((k) => k !== ''),
            timeLimitSeconds: q.timeLimit === undefined ? undefined : Number(q.timeLimit),
          }),
        );
      },
    );
    app.post(
      '/reprogramming',
      {
        schema: {
          operationId: 'applyReprogramming',
          tags: ['training'],
          summary: 'Apply a re-programming proposal',
          description: `Applies a proposal of GET /reprogramming in one audited write: each funded line becomes priority A (split when only some of its seats are funded), each country's IMET allocation grows by its grant (with \`notified\` when the change is $25,000 or more: in force when the notification's window ends), and what the pool gave is recorded so it is not proposed again. The body repeats the question (fy, pool, country, on, keep), the proposal's \`basis\` and its chosen lines. Who: ${writers('allocations.write')} (who may also program lines). Refusals: 400 INPUT.INVALID (\`notified\` missing when a change needs it); 403; 404 COUNTRY.NOT_FOUND; 409 REPROGRAM.STALE when the record moved since the proposal (ask again), WRITE.CONTENDED; 422 REPROGRAM.BREAKS_RULE when the lines break a list rule.`,
          body: ApplyBody,
          response: { 201: Applied, ...problems(400, 403, 404, 409, 422) },
        },
      },
      async (request, reply) =>
        written(request, reply, (actor) =>
          applyReprogramming(ctx, actor, {
            fiscalYear: request.body.fy,
            pool: request.body.pool,
            country: request.body.country,
            on: request.body.on,
            keep: request.body.keep,
            basis: request.body.basis,
            lines: request.body.lines,
            notified: request.body.notified,
          }),
        ),
    );
  };
}
