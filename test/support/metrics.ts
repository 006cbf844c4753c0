// The server's own figures, as `/metrics` shows them to a signed-in caller.
import type { FastifyInstance } from 'fastify';

/** A counter of the read cache (`hits`, `misses` or `door`) as `/metrics` shows it now. */
export async function readCacheCount(
  app: FastifyInstance,
  headers: Record<string, string>,
  name: 'hits' | 'misses' | 'door',
): Promise<number> {
  const text = (await app.inject({ url: '/metrics', headers })).body;
  return Number(new RegExp(`^attache_read_cache_${name}_total (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
}
