// Health: the database answers, its migrations are current, and which version runs.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkHealth } from '../services/health.service.js';
import type { AppContext } from '../services/context.js';

const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  database: z.object({
    backend: z.enum(['pglite', 'postgres']),
    reachable: z.boolean(),
    location: z.string(),
  }),
  migrations: z.object({
    applied: z.number().int(),
    expected: z.number().int(),
    current: z.boolean(),
  }),
});

export function healthRoutes(ctx: AppContext, version: string): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get(
      '/health',
      {
        config: { access: 'public' },
        schema: {
          security: [],
          tags: ['system'],
          summary: 'Database reachable, migrations current, version',
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
