// Writes of restrictions and reliefs: record, correct (new version), end; each by the signed-in actor.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../core/actor.js';
import { RELIEF_TYPES, RESTRICTION_KINDS, WAIVER_GROUNDS } from '../core/restrictions.js';
import type { Result } from '../core/result.js';
import type { AppContext } from '../services/context.js';
import { RECORD_RESTRICTION_JOB } from '../services/eligibility/restriction.job.js';
import { submitJob } from '../services/jobs/job.service.js';
import { endRelief, recordRelief } from '../services/eligibility/relief.service.js';
import {
  correctRestriction,
  endRestriction,
  getRestriction,
  recordRestriction,
} from '../services/eligibility/restriction.service.js';
import { problems, responseHeaders } from './contract.js';
import { JobSchema, sendAccepted } from './job.routes.js';
import { isoDate } from './fields.js';
import { actorOf, constrainedText, ifMatch, ifMatchHeader, writers, written } from './http.js';
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
  SCOPE_TERMS,
} from './record.schemas.js';
import { sendResult } from './reply.js';

const RestrictionBody = z
  .object({
    country: z.string().meta({ description: 'ISO 3166-1 alpha-3' }),
    kind: constrainedText(RESTRICTION_KINDS, 'the kind of restriction, in any case'),
    scope: z
      .array(constrainedText(SCOPE_TERMS))
      .min(1)
      .meta({ description: 'program codes and group names, e.g. security-assistance' }),
    from: isoDate('the first day it applies'),
    until: isoDate('the first day it no longer applies; null or left out: open-ended')
      .nullable()
      .optional(),
    basis: z.string(),
    authority: z.string(),
    source: z.string().nullable().optional(),
    seatPolicy: z
      .enum(['cancel', 'hold'])
      .optional()
      .meta({ description: 'what happens to the seats it reaches (default cancel)' }),
    courseFilter: z
      .string()
      .nullable()
      .optional()
      .meta({ description: 'a proviso only: the courses it allows (E-IMET)' }),
    determinedOn: isoDate('the day the determination was made').nullable().optional(),
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
  .extend({
    until: isoDate('the first day it no longer applies; null: open-ended').nullable().optional(),
    reason: z.string().min(1).meta({ description: 'why the record is corrected' }),
  })
  .meta({
    description: 'the fields to change; a field left out keeps its value',
    example: {
      from: '2018-01-04',
      reason: 'the suspension was announced on 4 January, not 1 January',
    },
  });

const EndBody = z
  .object({
    on: isoDate('the first day it no longer applies (after its start)'),
    reason: z.string().optional(),
  })
  .meta({ example: { on: '2018-08-01', reason: 'IMET participation suspended in August 2018' } });

const LiftBody = EndBody.extend({
  notified: isoDate(
    'the day the report to Congress was submitted: required to end a terrorism designation (22 USC 2371(c)), which then takes effect no earlier than 45 days later',
  ).optional(),
  fundamentalChange: z.boolean().optional().meta({
    description:
      'the report certifies a fundamental change of leadership and policies (2371(c)(1)): the rescission may take effect any day after the report',
  }),
}).meta({
  example: { on: '2015-05-29', notified: '2015-04-14', reason: "Cuba's designation rescinded" },
});

const ReliefBody = z
  .object({
    type: constrainedText(RELIEF_TYPES, 'the type of relief, in any case'),
    grounds: constrainedText(WAIVER_GROUNDS, "a waiver's grounds, in any case")
      .nullable()
      .optional(),
    programs: z
      .array(constrainedText(SCOPE_TERMS))
      .min(1)
      .meta({ description: 'program codes and group names it relieves' }),
    courses: z
      .array(z.string())
      .optional()
      .meta({ description: 'limited to these course ids (default: all)' }),
    schools: z
      .array(z.string())
      .optional()
      .meta({ description: 'limited to these school ids (default: all)' }),
    from: isoDate('the first day it relieves (or give notified)').optional(),
    notified: isoDate(
      'the day Congress was notified: it relieves from the end of the waiting period (or give from)',
    ).optional(),
    waitDays: z
      .number()
      .int()
      .optional()
      .meta({ description: 'the waiting period after notified, in days, 0–365 (default 15)' }),
    until: isoDate('the first day it no longer relieves; null or left out: open-ended')
      .nullable()
      .optional(),
    authority: z.string(),
    justification: z.string(),
    source: z.string().nullable().optional(),
  })
  .meta({
    // Exactly one of them: both or neither is refused, naming `from`.
    oneOf: [{ required: ['from'] }, { required: ['notified'] }],
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
  dryRun: z.enum(['true', 'false']).optional().meta({
    description:
      'true: answer 200 with what the write would do to seats, without writing (default false: 201)',
    example: 'true',
  }),
});
/** Whether a `Prefer` header asks for an asynchronous answer (RFC 7240). */
function respondAsync(prefer: string | undefined): boolean {
  return (prefer ?? '')
    .split(',')
    .some((preference) => preference.split(';')[0]!.trim().toLowerCase() === 'respond-async');
}

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

const Id = z.object({
  id: z.string().meta({ description: 'the restriction id', example: 'rst_pak-policy-2018' }),
});

/** A write answered 201, or 200 for a dry run (nothing was created). */
async function created<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  write: (actor: Actor) => Promise<Result<T>>,
): Promise<T | FastifyReply> {
  const dryRun = (request.query as { dryRun?: string } | undefined)?.dryRun === 'true';
  return written(request, reply, write, { status: dryRun ? 200 : 201 });
}

/** The two answers of such a write, told apart in the document as they are by status. */
function createdOrDryRun<T extends z.ZodType>(schema: T, what: string) {
  const json = { 'application/json': { schema } };
  return {
    200: { description: `dryRun=true: ${what} would do to seats; nothing recorded`, content: json },
    201: { description: `recorded: ${what} did to seats`, content: json },
  };
}

/** The version a correction or an end was made against (optional): 409 when stale. */
const IfMatch = ifMatchHeader(
  'the version of the restriction you read (`current.version` of GET /restrictions/{id}, its ETag); 409 RESTRICTION.STALE when another version was recorded since',
);

/** A write of a new version, made against the version If-Match names (when it names one). */
async function versioned<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  write: (actor: Actor, expectedVersion: number | undefined) => Promise<Result<T>>,
): Promise<T | FastifyReply> {
  const version = ifMatch(request);
  if (!version.ok) return sendResult(reply, version);
  return created(request, reply, (actor) => write(actor, version.value));
}

/** Who may make these writes, for their descriptions. */
const WRITERS = writers('restrictions.write');

export function restrictionRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.post(
      '/restrictions',
      {
        schema: {
          tags: ['restrictions'],
          operationId: 'recordRestriction',
          summary: 'Record a restriction',
          description: `Records a restriction of a country and applies it to the seats it reaches (cancelled or held, as its seat policy says, from the day eligibility turns); answers the version recorded with that impact, 201, or with \`dryRun=true\` what it would do, 200, recording nothing; with \`Prefer: respond-async\` (a cascade over many seats) it is recorded in the background: 202 at once with the job (Location: /jobs/{id}, Preference-Applied: respond-async), whose summary is the 201 answer and whose refusal is the one this route would answer. Who: ${WRITERS}. Refusals: 403 ACCESS.FORBIDDEN for another role (ACCESS.CSRF: a cookie without its X-CSRF-Token); 404 COUNTRY.NOT_FOUND; 409 RESTRICTION.OVERLAP when a same-kind restriction of the country overlaps it in programs and time (correct that one instead), WRITE.CONTENDED; 503 JOBS.NOT_RUNNING (asked async of a server that runs no jobs); 422 RESTRICTION.EXCLUSION_SCOPE (an exclusion covers grant IMET only), RESTRICTION.RESCISSION_NOT_REPORTED (a terrorism designation is recorded open and ended with its report to Congress: POST …/end with \`notified\`). A terrorism designation always reaches FMS and DCS (AECA §3(f), §40), a child-soldiers listing IMET, FMF, PKO, EDA and DCS (22 USC 2370c-1(a)), whatever scope is given.`,
          querystring: DryRun,
          body: RestrictionBody,
          headers: z.object({
            prefer: z.string().max(200).optional().meta({
              description:
                '`respond-async`: record it in the background (a cascade over many seats): 202 with the job at once, its summary the 201 answer',
              example: 'respond-async',
            }),
          }),
          response: {
            ...createdOrDryRun(RestrictionWithImpact, 'the restriction, with what it'),
            202: JobSchema,
            ...problems(403, 404, 409, 422, 503),
          },
          ...responseHeaders({ 202: ['Location'] }),
        },
      },
      async (request, reply) => {
        const query = dryRunOf(request.query);
        // A dry run writes nothing and answers at once; a write asked to respond async is a job.
        if (!query.dryRun && respondAsync(request.headers.prefer)) {
          void reply.header('preference-applied', 'respond-async');
          return sendAccepted(
            reply,
            await submitJob(ctx, actorOf(request), RECORD_RESTRICTION_JOB, request.body),
          );
        }
        return created(request, reply, (actor) =>
          recordRestriction(ctx, actor, request.body, query),
        );
      },
    );
    app.get(
      '/restrictions/:id',
      {
        schema: {
          tags: ['restrictions'],
          operationId: 'getRestriction',
          summary: 'A restriction and every version recorded',
          description:
            'A restriction: its current version and every version recorded, superseded ones included, oldest first; the ETag is the current version, to send back as If-Match with a correction or an end. Who: anyone signed in. Refusals: 404 RESTRICTION.NOT_FOUND.',
          params: Id,
          response: {
            200: z
              .object({ current: RestrictionSchema, versions: z.array(RestrictionSchema) })
              .meta({
                example: { current: RESTRICTION_EXAMPLE, versions: [RESTRICTION_EXAMPLE] },
              }),
            ...problems(404),
          },
        },
      },
      async (request, reply) => {
        const result = await getRestriction(ctx, request.params.id);
        if (result.ok) void reply.header('etag', `"${String(result.value.current.version)}"`);
        return sendResult(reply, result);
      },
    );
    app.post(
      '/restrictions/:id/versions',
      {
        schema: {
          tags: ['restrictions'],
          operationId: 'correctRestriction',
          summary: 'Correct a restriction (a new version)',
          description: `Corrects a restriction: a new version with the fields given changed and the reason stated; the previous version is superseded, not changed. Seats are cancelled, held or released as the corrected version reaches them; answers it with that impact, 201, or with \`dryRun=true\` what it would do, 200, recording nothing. If-Match (optional): the version read. Who: ${WRITERS}. Refusals: 400 INPUT.INVALID naming the field (or \`If-Match\`, malformed); 403 ACCESS.FORBIDDEN for another role (ACCESS.CSRF: a cookie without its X-CSRF-Token); 404 RESTRICTION.NOT_FOUND; 409 RESTRICTION.STALE (If-Match not the current version: read it again), RESTRICTION.OVERLAP, WRITE.CONTENDED; 422 RESTRICTION.EXCLUSION_SCOPE, RESTRICTION.RESCISSION_NOT_REPORTED (a terrorism designation's end is set by POST …/end with \`notified\`), or a RELIEF.* code (RELIEF.TYPE_NOT_ALLOWED, RELIEF.OUTSIDE, …) when a current relief of it would no longer be allowed (\`details.relief\` names it: end or correct it first).`,
          params: Id,
          querystring: DryRun,
          headers: IfMatch,
          body: CorrectionBody,
          response: {
            ...createdOrDryRun(RestrictionWithImpact, 'the new version, with what it'),
            ...problems(403, 404, 409, 422),
          },
        },
      },
      async (request, reply) =>
        versioned(request, reply, (actor, expectedVersion) =>
          correctRestriction(ctx, actor, request.params.id, request.body, {
            ...dryRunOf(request.query),
            expectedVersion,
          }),
        ),
    );
    app.post(
      '/restrictions/:id/end',
      {
        schema: {
          tags: ['restrictions'],
          operationId: 'endRestriction',
          summary: 'End (lift) a restriction from a date',
          description: `Ends (lifts) a restriction from a date: a new version whose \`until\` is that date; held seats it no longer reaches are released. A terrorism designation ends only by a rescission reported to Congress (\`notified\`), no earlier than 45 days after the report (22 USC 2371(c)(2)), or after it when the report certifies a fundamental change (\`fundamentalChange\`, 2371(c)(1)); the report is recorded as a congressional notification. Answers it with that impact, 201, or with \`dryRun=true\` what it would do, 200, recording nothing. If-Match (optional): the version read. Who: ${WRITERS}. Refusals: 400 INPUT.INVALID for an end on or before its start; 403 ACCESS.FORBIDDEN for another role (ACCESS.CSRF: a cookie without its X-CSRF-Token); 404 RESTRICTION.NOT_FOUND; 409 RESTRICTION.STALE (If-Match not the current version), RESTRICTION.ALREADY_ENDED (it ends on or before that date already), WRITE.CONTENDED; 422 RESTRICTION.NOTICE_REQUIRED (a terrorism designation without its report), RESTRICTION.NOTICE_TOO_SHORT (before the report's waiting period ends).`,
          params: Id,
          querystring: DryRun,
          headers: IfMatch,
          body: LiftBody,
          response: {
            ...createdOrDryRun(RestrictionWithImpact, 'the ending version, with what it'),
            ...problems(403, 404, 409, 422),
          },
        },
      },
      async (request, reply) =>
        versioned(request, reply, (actor, expectedVersion) =>
          endRestriction(ctx, actor, request.params.id, request.body.on, request.body.reason, {
            ...dryRunOf(request.query),
            expectedVersion,
            notified: request.body.notified,
            fundamentalChange: request.body.fundamentalChange,
          }),
        ),
    );
    app.post(
      '/restrictions/:id/reliefs',
      {
        schema: {
          tags: ['restrictions'],
          operationId: 'recordRelief',
          summary: 'Record a relief of a restriction',
          description: `Records a relief (exception, waiver, certification, rescission) of a restriction, from a date or, with \`notified\`, from the end of the congressional notification's waiting period (the notification is recorded with it); refused unless the restriction kind's rules allow it. Seats it makes eligible again are released. Answers it with its notification and impact, 201, or with \`dryRun=true\` what it would do, 200, recording nothing. Who: ${WRITERS}. Refusals: 400 INPUT.INVALID (both or neither of \`from\` and \`notified\`, a waiver without grounds, …); 403 ACCESS.FORBIDDEN for another role (ACCESS.CSRF: a cookie without its X-CSRF-Token); 404 RESTRICTION.NOT_FOUND, COURSE.NOT_FOUND, SCHOOL.NOT_FOUND; 409 WRITE.CONTENDED; 422 the kind's rule refusing it: RELIEF.TYPE_NOT_ALLOWED, RELIEF.GROUNDS_NOT_ALLOWED, RELIEF.PROGRAM_NOT_ALLOWED, RELIEF.BROADER, RELIEF.SCHOOLS_REQUIRED, RELIEF.OUTSIDE, RELIEF.NOTICE_REQUIRED, RELIEF.LIMIT_EXCEEDED.`,
          params: Id,
          querystring: DryRun,
          body: ReliefBody,
          response: {
            ...createdOrDryRun(ReliefRecorded, 'the relief and its notification, with what it'),
            ...problems(403, 404, 409, 422),
          },
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
          operationId: 'endRelief',
          summary: 'End a relief from a date',
          description: `Ends a relief from a date: a new version whose \`until\` is that date; seats the restriction reaches again are cancelled or held. Answers it with that impact, 201, or with \`dryRun=true\` what it would do, 200, recording nothing. Who: ${WRITERS}. Refusals: 400 INPUT.INVALID for an end on or before its start; 403 ACCESS.FORBIDDEN for another role (ACCESS.CSRF: a cookie without its X-CSRF-Token); 404 RELIEF.NOT_FOUND; 409 RELIEF.ALREADY_ENDED (it ends on or before that date already), WRITE.CONTENDED.`,
          params: z.object({
            id: z
              .string()
              .meta({ description: 'the relief id', example: 'rlf_pak-imet-exception-2018' }),
          }),
          querystring: DryRun,
          body: EndBody,
          response: {
            ...createdOrDryRun(ReliefWithImpact, 'the ending version, with what it'),
            ...problems(403, 404, 409),
          },
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
