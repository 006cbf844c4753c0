// Builds the HTTP application: JSON API under /api/v1 with OpenAPI, docs at /docs, the web app at /.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
} from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { HttpPolicy } from '../services/config.js';
import type { AppContext } from '../services/context.js';
import type { SingleSignOn } from '../services/access/sso.service.js';
import { collectMetrics, metricsRoute } from './metrics.js';
import { registerJobHandler } from '../services/jobs/job-kinds.js';
import { startJobRunner, type JobRunnerOptions } from '../services/jobs/job-runner.js';
import { guardRoutes } from './access.js';
import { allocationRoutes } from './allocation.routes.js';
import { auditRoutes } from './audit.routes.js';
import { catalogRoutes } from './catalog.routes.js';
import { countryRoutes } from './country.routes.js';
import { countryTrainingRoutes } from './country-training.routes.js';
import { eligibilityRoutes } from './eligibility.routes.js';
import { DEFAULT_HTTP_POLICY, frameworkErrors, hardening } from './hardening.js';
import { healthRoutes } from './health.routes.js';
import { importRoutes } from './import.routes.js';
import { jobRoutes } from './job.routes.js';
import { reportJob } from './report-jobs.js';
import { reportRoutes } from './report.routes.js';
import { localCommandRoutes, type LocalCommands } from './local-command.routes.js';
import { restrictionRoutes } from './restriction.routes.js';
import { sessionRoutes } from './session.routes.js';
import { ssoRoutes } from './sso.routes.js';
import { strictBody } from './strict-body.js';
import { summaryRoutes } from './summary.routes.js';
import { checkResponses } from './contract-check.js';
import { addTransportProblems, finishDocument } from './contract.js';
import { participantRoutes } from './participant.routes.js';
import { studentRoutes } from './student.routes.js';
import { travelOrderRoutes } from './travel-order.routes.js';
import { trainingRoutes } from './training.routes.js';
import { problemType, type Problem } from './problem.js';
import { limitAddresses, limitCallers } from './rate-limit.js';
import { keepAnswers, keepAnswersOf, type ReadCache } from './read-cache.js';
import { frontDoor, openFrontDoor, requestId, trustProxyOf } from './front-door.js';
import { RateLimiter } from '../services/access/rate-limit.service.js';

export const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export interface AppOptions {
  readonly logger?: FastifyServerOptions['logger'];
  /** Folder of the built web app; served at `/` when it exists. */
  readonly webDir?: string;
  /** Command lines beside the server on its embedded data dir (`attache serve` gives them). */
  readonly localCommands?: LocalCommands;
  /** Hosts, CORS origins and body limit (`attache serve` reads them from the environment). */
  readonly http?: HttpPolicy;
  /** Single sign-on's provider, when configured (`attache serve` reads it from the environment). */
  readonly sso?: SingleSignOn;
  /**
   * Check every answer against the API document (a mismatch becomes a 500 naming it). Tests and
   * development: by default ATTACHE_CHECK_RESPONSES=true turns it on.
   */
  readonly checkResponses?: boolean;
  /** Run jobs in this server (`attache serve` does); stopped when the server closes. */
  readonly jobs?: JobRunnerOptions;
}

export async function buildApp(
  ctx: AppContext,
  options: AppOptions = {},
): Promise<FastifyInstance> {
  const policy = options.http ?? DEFAULT_HTTP_POLICY;
  const trustProxy = trustProxyOf(policy.trustProxy);
  const app = Fastify({
    logger: options.logger ?? false,
    frameworkErrors,
    // The caller's X-Request-Id when it is a plain token, else a new one: in every log line of the
    // request (reqId) and echoed in the answer, so a proxy's log and ours can be joined.
    requestIdHeader: false,
    genReqId: requestId,
    // Behind the configured proxies, request.ip is the client X-Forwarded-For names.
    trustProxy,
  }).withTypeProvider<ZodTypeProvider>();
  // Fastify answers 503 once it begins to close; the front door then sends every request to it.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    done(null, payload);
  });
  app.setValidatorCompiler(validatorCompiler);
  // Every route's body closed, and its transport problems documented, before it is registered.
  app.addHook('onRoute', (route) => {
    const schema = route.schema as { body?: z.ZodType } | undefined;
    if (schema?.body !== undefined) route.schema = { ...schema, body: strictBody(schema.body) };
    addTransportProblems(route);
  });
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  if (options.checkResponses ?? process.env['ATTACHE_CHECK_RESPONSES'] === 'true')
    checkResponses(app);
  // Before every route, so its hook times them all.
  let readCache: ReadCache | undefined;
  const metrics = collectMetrics(app, ctx, () => readCache?.stats);
  await app.register(hardening, { policy });

  const version = packageVersion();
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Attaché API',
        version,
        description:
          'System of record for IMET training and the restrictions that govern it. Errors are RFC 9457 problem JSON (`application/problem+json`) with a stable `code`.',
        contact: { name: 'Attaché maintainers' },
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      servers: [{ url: '/', description: 'this server' }],
      components: {
        securitySchemes: {
          token: {
            type: 'http',
            scheme: 'bearer',
            description: 'an API token from `attache token create`, e.g. att_…',
          },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'attache_session',
            description: 'the cookie POST /session sets; writes also send its X-CSRF-Token header',
          },
        },
      },
      security: [{ token: [] }, { session: [] }],
      tags: [
        { name: 'system', description: 'Service health' },
        { name: 'access', description: 'Sign in and out; who is signed in' },
        { name: 'countries', description: 'Countries, allocations, restrictions in force' },
        {
          name: 'allocations',
          description:
            'Allocations per country, program and FY: set, adjust, pending changes, history',
        },
        { name: 'eligibility', description: 'Who is eligible for what on any date, and why' },
        { name: 'restrictions', description: 'Restrictions and reliefs: record, correct, end' },
        { name: 'training', description: 'Training lines and seats' },
        { name: 'catalog', description: 'Schools and courses: add, correct, retire' },
        {
          name: 'students',
          description:
            'Students, nominations, screenings, Leahy vetting of units, English exemptions',
        },
        {
          name: 'travel orders',
          description:
            'The gates of a seat, invitational travel orders (JSON and PDF), school events',
        },
        {
          name: 'participant records',
          description: '22 USC 2347g: instruction, careers, findings, positions of prominence',
        },
        { name: 'audit', description: 'The audit log: entries, verification, signed checkpoints' },
        {
          name: 'reports',
          description:
            'The Foreign Military Training report, restriction impact, country timeline, participant records, positions of prominence: JSON, HTML, CSV, XLSX, PDF',
        },
        {
          name: 'imports',
          description:
            'State budget tables, courses, students, allocations and training lines in; templates; exports that import back',
        },
        { name: 'jobs', description: 'Long reports and imports: status, progress, result files' },
      ],
    },
    transform: jsonSchemaTransform,
    // Schemas with a meta id (Decision, Restriction, …) go to components.schemas, which the routes
    // reference; finishDocument keeps each once and adds the problem examples.
    transformObject: (document) => finishDocument(jsonSchemaTransformObject(document)),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  await app.register(fastifyCookie);
  await app.register(metricsRoute(ctx, metrics));
  // Every server knows every kind of job before any runner starts: a job queued by one may run on another.
  registerJobHandler(reportJob);
  if (options.jobs !== undefined) {
    const runner = await startJobRunner(ctx, { log: app.log, ...options.jobs });
    app.addHook('onClose', () => runner.stop());
  }

  const limits = policy.rateLimits;
  const limiter =
    limits === null
      ? undefined
      : new RateLimiter(ctx.store, {
          onFlushError: (error) => app.log.warn({ err: error }, 'rate counts not shared'),
        });
  if (limiter !== undefined) app.addHook('onClose', () => limiter.close());

  await app.register(
    async (api) => {
      if (limiter !== undefined && limits !== null) limitAddresses(api, limiter, limits);
      guardRoutes(api, ctx);
      if (limiter !== undefined && limits !== null) limitCallers(api, limiter, limits);
      readCache = keepAnswers(api, ctx);
      await api.register(healthRoutes(ctx, version));
      await api.register(sessionRoutes(ctx));
      await api.register(ssoRoutes(ctx, options.sso));
      // Their reads answer from the record alone (and what their routes name besides: the audit
      // log, jobs, the audit keys' files): kept in memory until the next write.
      await api.register(async (records) => {
        keepAnswersOf(records);
        await records.register(countryRoutes(ctx));
        await records.register(countryTrainingRoutes(ctx));
        await records.register(allocationRoutes(ctx));
        await records.register(eligibilityRoutes(ctx));
        await records.register(restrictionRoutes(ctx));
        await records.register(summaryRoutes(ctx));
        await records.register(trainingRoutes(ctx));
        await records.register((await import('./seat.routes.js')).seatRoutes(ctx));
        await records.register(catalogRoutes(ctx));
        await records.register(studentRoutes(ctx));
        await records.register(travelOrderRoutes(ctx));
        await records.register(participantRoutes(ctx));
        await records.register(reportRoutes(ctx));
        await records.register((await import('./reprogram.routes.js')).reprogramRoutes(ctx));
        await records.register(importRoutes(ctx));
        // The audit log's answers are kept until any entry is appended (an audited read's too),
        // jobs' until a job's row is written (their routes say so: `keptWith`).
        await records.register(auditRoutes(ctx));
        await records.register(jobRoutes(ctx));
      });
      await api.register(localCommandRoutes(options.localCommands));
      api.get('/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, () =>
        app.swagger(),
      );
    },
    { prefix: '/api/v1' },
  );

  const webDir = options.webDir ?? WEB_DIST;
  const hasWeb = existsSync(webDir);
  if (hasWeb) await app.register(fastifyStatic, { root: webDir, wildcard: false });
  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/') && hasWeb;
    if (wantsPage) return reply.sendFile('index.html');
    const problem: Problem = {
      type: problemType('ROUTE.NOT_FOUND'),
      title: 'Not found',
      status: 404,
      detail: `no route ${request.method} ${request.url.split('?')[0] ?? ''}`,
      code: 'ROUTE.NOT_FOUND',
      instance: request.url,
    };
    return reply.code(404).type('application/problem+json').send(problem);
  });
  if (readCache === undefined) throw new Error('the read cache was not set up');
  openFrontDoor(
    app.server,
    frontDoor({
      ctx,
      policy,
      trustProxy,
      limiter,
      limits,
      readCache,
      metrics,
      log: app.log,
      closing: () => closing,
    }),
  );
  return app;
}

function errorHandler(
  this: FastifyInstance,
  error: FastifyError,
  request: { url: string; log: FastifyInstance['log'] },
  reply: FastifyReply,
) {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issue = error.validation[0];
    const where = error.validationContext ?? 'request';
    const path = issue?.instancePath.replace(/^\//, '').replaceAll('/', '.') ?? '';
    const unknown =
      issue?.keyword === 'unrecognized_keys'
        ? (issue.params as { keys?: string[] }).keys
        : undefined;
    const field =
      unknown?.[0] !== undefined
        ? [path, unknown[0]].filter((p) => p !== '').join('.')
        : path === ''
          ? where
          : path;
    const problem: Problem = {
      type: problemType('INPUT.INVALID'),
      title: 'Invalid input',
      status: 400,
      detail: `${field}: ${issue?.message ?? 'invalid'}`,
      code: 'INPUT.INVALID',
      field,
      instance: request.url,
    };
    return reply.code(400).type('application/problem+json').send(problem);
  }
  const status =
    error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500
      ? error.statusCode
      : 500;
  if (status === 500) request.log.error({ err: error }, 'request failed');
  const problem: Problem = {
    type: problemType(status === 500 ? 'INTERNAL' : (error.code ?? 'BAD_REQUEST')),
    title: status === 500 ? 'Internal error' : 'Bad request',
    status,
    detail: status === 500 ? 'the server failed to answer; the error is in its log' : error.message,
    code: status === 500 ? 'INTERNAL' : (error.code ?? 'BAD_REQUEST'),
    instance: request.url,
  };
  return reply.code(status).type('application/problem+json').send(problem);
}
