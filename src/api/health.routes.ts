// Health: the database answers, its migrations are current, and which version runs.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkHealth } from '../services/health.service.js';
import type { AppContext } from '../services/context.js';

const Health = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string().meta({ description: 'the version of Attaché running', example: '0.1.0' }),
    database: z.object({
      backend: z.enum(['pglite', 'postgres']),
      reachable: z.boolean(),
    }),
    migrations: z.object({
      applied: z.number().int(),
      expected: z.number().int(),
      current: z.boolean().meta({ description: 'every migration this version expects is applied' }),
    }),
  })
  .meta({
    id: 'Health',
    example: {
      status: 'ok',
      version: '0.1.0',
      database: { backend: 'pglite', reachable: true },
      migrations: { applied: 13, expected: 13, current: true },
    },
  });

/** How long a healthy answer is given again without asking the database. */
export const HEALTHY_KEPT_MS = 1_000;

export function healthRoutes(ctx: AppContext, version: string): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get(
      '/health',
      {
        // Monitors ask at once from many places, and a balancer every few seconds: a healthy answer
        // is kept for a second (decision 019), so a flood of probes costs one query a second.
        config: { access: 'public', unlimited: true, kept: true, keptFor: HEALTHY_KEPT_MS },
        schema: {
          security: [],
          tags: ['system'],
          operationId: 'getHealth',
          summary: 'Database reachable, migrations current, version',
          description:
            'Whether the database answers and its migrations are current, and which version runs: 200 when both hold, 503 with the same body (`status: degraded`) when either does not. A 200 is as of a check of the database at most one second old; a 503 is as of a check begun at most one round trip before the question. Who: anyone, signed in or not; never rate limited.',
          response: { 200: Health, 503: Health },
        },
      },
      async (_request, reply) => {
        const health = await checkHealth(ctx, version);
        return reply.code(health.status === 'ok' ? 200 : 503).send(health);
      },
    );
  };
}
