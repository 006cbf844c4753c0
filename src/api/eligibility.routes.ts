// Eligibility: one question, a batch of up to 10,000, and a country's timeline.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { AppContext } from '../services/context.js';
import { PROGRAMS } from '../core/programs.js';
import {
  DATE_QUALITIES,
  RELIEF_TYPES,
  RESTRICTION_KINDS,
  SEAT_POLICIES,
  WAIVER_GROUNDS,
} from '../core/restrictions.js';
import { InstantInput, IsoDateInput } from './input.schemas.js';
import {
  checkEligibility,
  checkEligibilityBatch,
  currentSnapshot,
  decideRequest,
  MAX_BATCH,
} from '../services/eligibility/eligibility.service.js';
import { getTimeline } from '../services/eligibility/timeline.service.js';
import { problems } from './contract.js';
import { DECISION_EXAMPLE, TIMELINE_EXAMPLE } from './examples.js';
import { instant, isoDate, oneOfValues } from './fields.js';
import { constrainedText } from './http.js';
import { NotificationSchema, ReliefSchema, RestrictionSchema } from './record.schemas.js';
import { answer, sendResult } from './reply.js';
import { batchCost } from '../services/access/rate-limit.service.js';
import { Turns } from './turns.js';

/** How many questions a batch's body holds, before it is validated (0 when it holds no list). */
function questionsIn(body: unknown): number {
  const queries = (body as { queries?: unknown } | null)?.queries;
  return Array.isArray(queries) ? queries.length : 0;
}

const Relief = z.object({
  id: z.string(),
  type: oneOfValues(RELIEF_TYPES),
  grounds: oneOfValues(WAIVER_GROUNDS).nullable(),
  authority: z.string(),
  justification: z.string(),
  source: z.string().nullable(),
  from: isoDate(),
  until: isoDate().nullable(),
  fromQuality: oneOfValues(DATE_QUALITIES).nullable(),
  untilQuality: oneOfValues(DATE_QUALITIES).nullable(),
  notificationId: z.string().nullable(),
});
export const DecisionSchema = z
  .object({
    country: z.string(),
    program: oneOfValues(PROGRAMS),
    on: isoDate('the date asked about'),
    knownOn: instant('the instant asked about; null: as known now').nullable(),
    asOf: instant(
      'the record as it stood at this instant: ask again with knownOn = asOf for the same answer; null when nothing was ever recorded',
    ).nullable(),
    course: z.string().nullable(),
    eligible: z.boolean(),
    conditions: z
      .array(z.string())
      .readonly()
      .meta({ description: 'course or school limits of the reliefs the decision relies on' }),
    restrictions: z
      .array(
        z.object({
          id: z.string(),
          version: z.number().int(),
          kind: oneOfValues(RESTRICTION_KINDS),
          basis: z.string(),
          authority: z.string(),
          source: z.string().nullable(),
          from: isoDate(),
          until: isoDate().nullable(),
          fromQuality: oneOfValues(DATE_QUALITIES).nullable().meta({
            description:
              'how precisely `from` is known (month, year, approx): never read such a date as a day',
          }),
          untilQuality: oneOfValues(DATE_QUALITIES).nullable(),
          liftNotifiedOn: isoDate(
            'the day the report to Congress its end waited on was submitted (a terrorism-list rescission)',
          ).nullable(),
          status: z.enum(['blocking', 'relieved']),
          seatPolicy: oneOfValues(SEAT_POLICIES),
          reliefId: z.string().nullable(),
          relief: Relief.nullable().meta({ description: 'the relief used; null when none' }),
          reason: z.string(),
        }),
      )
      .readonly(),
    pending: z
      .array(
        z.object({
          reliefId: z.string(),
          restrictionId: z.string(),
          effectiveFrom: isoDate('the day its notification window ends'),
          reason: z.string(),
        }),
      )
      .readonly()
      .meta({ description: 'reliefs recorded and waiting for their notification window to end' }),
    precision: z.array(z.string()).readonly().meta({
      description:
        'starts and ends the decision rests on that are known only to the month, the year or roughly, so the record cannot place the day asked on one side of them; empty when none',
    }),
    coverage: z
      .object({
        partial: z.array(z.object({ kind: z.string(), note: z.string() })).readonly(),
        note: z.string(),
      })
      .nullable()
      .meta({
        description:
          'the kinds of restriction whose recorded history is partial for this country and date; null when complete',
      }),
  })
  .meta({ id: 'Decision', example: DECISION_EXAMPLE });

const Query = z.object({
  country: z.string().meta({ description: 'ISO 3166-1 alpha-3', example: 'PAK' }),
  program: constrainedText(PROGRAMS, 'a program code, in any case').meta({ example: 'IMET' }),
  on: IsoDateInput.meta({
    description: 'the date asked about, YYYY-MM-DD (1950–2100)',
    example: '2020-01-04',
  }),
  knownOn: InstantInput.optional().meta({
    description:
      'answer as the record stood at this ISO 8601 instant, not in the future (default: as known now)',
    example: '2020-01-02T12:00:00Z',
  }),
  course: z.string().optional().meta({
    description: 'a course id of the catalog: its provisos and relief limits apply',
    example: 'P176019',
  }),
});

/**
 * Decisions are typed end to end (the handler returns the engine's `Decision`), so the hot routes
 * serialise with plain JSON instead of re-validating every answer against the schema; the schema
 * still documents the response.
 */
const plainJson = () => (data: unknown) => JSON.stringify(data);

/** Batches decided at once: each is work for the one thread, so more at once only queue inside. */
const batchTurns = new Turns(1);

/** Decisions per slice of a batch's answer (some 200 KB of JSON). */
const SLICE = 100;

/**
 * `{"<name>":[…]}` as JSON in slices of SLICE items, each produced when the socket asks and after
 * other waiting work has had its turn: a stream piped to a response is read for as long as the
 * response takes more, which, over loopback, was the whole answer at once (a 50 ms stall of every
 * other request, health too). As bytes, so each slice is encoded once (a string is measured for
 * its chunk's length, then encoded again).
 */
async function* jsonInSlices(name: string, items: readonly unknown[]): AsyncGenerator<Buffer> {
  yield Buffer.from(`{${JSON.stringify(name)}:[`);
  for (let i = 0; i < items.length; i += SLICE) {
    await new Promise((resolve) => setImmediate(resolve));
    const slice = JSON.stringify(items.slice(i, i + SLICE));
    yield Buffer.from((i === 0 ? '' : ',') + slice.slice(1, -1));
  }
  yield Buffer.from(']}');
}

const Event = z.object({
  date: isoDate(),
  dateQuality: oneOfValues(DATE_QUALITIES).nullable().meta({
    description:
      'how precisely `date` is known (month, year, approx): never read such a date as a day; null: exact',
  }),
  type: z.enum([
    'restriction.start',
    'restriction.end',
    'relief.start',
    'relief.end',
    'notification',
    'allocation',
  ]),
  id: z.string().meta({ description: 'the record the event belongs to' }),
  summary: z.string(),
});

export const Decisions = z
  .object({ decisions: z.array(DecisionSchema).readonly() })
  .meta({ id: 'Decisions', example: { decisions: [DECISION_EXAMPLE] } });

export const Timeline = z
  .object({
    country: z.string(),
    knownOn: instant('the instant asked about; null: as known now').nullable(),
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
          operationId: 'checkEligibility',
          summary: 'Is a country eligible for a program on a date, and why',
          description:
            'Decides whether a country is eligible for a program on a date (and, given a course, for that course), naming every restriction that applies and the relief that lifts it, as the record stands now or as it stood at `knownOn`. Who: anyone signed in. Refusals: 400 INPUT.INVALID for a program or date it does not know, or a `knownOn` still to come; 404 COUNTRY.NOT_FOUND, COURSE.NOT_FOUND.',
          querystring: Query,
          response: { 200: DecisionSchema, ...problems(404) },
        },
        serializerCompiler: plainJson,
      },
      (request, reply) => {
        // The commonest case answers without a promise: the index is current and in memory.
        const snapshot = currentSnapshot(ctx, request.query.country);
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
          operationId: 'checkEligibilityBatch',
          summary: `Up to ${MAX_BATCH} eligibility questions; one decision each, in order`,
          description: `Decides up to ${MAX_BATCH} questions (each as GET /eligibility takes it) on one state of the record, answering one decision per question in the order asked; one bad question refuses the batch, its field naming it (\`queries[3].on\`). A read, though a POST; it spends one rate-limit unit more per 100 questions. Who: anyone signed in. Refusals: 400 INPUT.INVALID (more than ${MAX_BATCH} questions, a program or date it does not know); 403 ACCESS.CSRF for a cookie without its X-CSRF-Token; 404 COUNTRY.NOT_FOUND, COURSE.NOT_FOUND.`,
          body: z
            .object({
              queries: z
                .array(Query)
                .min(1)
                .meta({ description: `the questions, 1 to ${MAX_BATCH}` }),
            })
            .meta({
              example: {
                queries: [
                  { country: 'PAK', program: 'IMET', on: '2019-06-01' },
                  { country: 'PAK', program: 'FMF', on: '2020-02-01' },
                ],
              },
            }),
          response: { 200: Decisions, ...problems(403, 404) },
        },
        bodyLimit: 8 * 1024 * 1024,
        // A batch spends a rate unit per 100 questions, counted before they are validated.
        config: { rateCost: (body) => batchCost(questionsIn(body)) },
        // One batch at a time, its body read only when its turn comes: each step of a batch
        // (parsing, validating, deciding, writing) then waits behind one step of one other batch.
        onRequest: (request, reply, done) => {
          void batchTurns.take().then((release) => {
            // Given back when the answer is sent, or the connection is gone (maybe while it waited).
            reply.raw.once('finish', release).once('close', release);
            if (reply.raw.destroyed || request.raw.socket?.destroyed === true) release();
            done();
          });
        },
        serializerCompiler: plainJson,
      },
      async (request, reply) => {
        const result = await checkEligibilityBatch(ctx, request.body.queries);
        if (!result.ok) return sendResult(reply, result);
        // Written out a slice at a time: 10,000 decisions are some 20 MB of JSON, which written in
        // one piece would hold every other request (health too) for tens of milliseconds.
        return reply
          .type('application/json; charset=utf-8')
          .send(Readable.from(jsonInSlices('decisions', result.value)) as never);
      },
    );
    app.get(
      '/countries/:iso3/timeline',
      {
        schema: {
          tags: ['countries'],
          operationId: 'getCountryTimeline',
          summary: "A country's restrictions, reliefs, notifications and allocations over time",
          description:
            "A country's timeline: the restrictions, reliefs and congressional notifications recorded, and the events they and its allocations make (starts, ends, notifications, amounts) in date order; as the record stands now, or as it stood at `knownOn`. Who: anyone signed in. Refusals: 400 INPUT.INVALID for a `knownOn` that is malformed or still to come; 404 COUNTRY.NOT_FOUND.",
          params: z.object({
            iso3: z
              .string()
              .meta({ description: 'ISO 3166-1 alpha-3 code, in any case', example: 'PAK' }),
          }),
          querystring: z.object({
            knownOn: InstantInput.optional().meta({
              description:
                'the record as it stood at this ISO 8601 instant, not in the future (default: as known now)',
              example: '2019-01-01T00:00:00Z',
            }),
          }),
          response: { 200: Timeline, ...problems(404) },
        },
      },
      async (request, reply) =>
        sendResult(reply, await getTimeline(ctx, request.params.iso3, request.query.knownOn)),
    );
  };
}
