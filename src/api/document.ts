// The OpenAPI document without a database or a listening server: what the web app's client is
// generated from (npm run api:types), the same document GET /api/v1/openapi.json serves.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../services/context.js';
import { buildApp } from './server.js';

/** An OpenAPI document object (what @fastify/swagger builds; its YAML form is a string). */
export type ApiDocument = Exclude<ReturnType<FastifyInstance['swagger']>, string>;

/** The document of every route, built by registering the routes and answering no request. */
export async function apiDocument(): Promise<ApiDocument> {
  const app = await buildApp(unusableContext());
  try {
    await app.ready();
    return app.swagger();
  } finally {
    await app.close();
  }
}

function unused(member: string): never {
  throw new Error(
    `the API document is built without a database, yet building the routes used ctx.${member}: ` +
      'only requests may use the context',
  );
}

// Registering routes must not touch the context; if a route ever does, this says which member
// rather than letting the document quietly depend on data.
function unusable<T extends object>(member: string): T {
  return new Proxy({} as T, { get: (_target, key) => unused(`${member}.${String(key)}`) });
}

function unusableContext(): AppContext {
  return {
    store: unusable('store'),
    clock: () => unused('clock'),
    newId: () => unused('newId'),
    screening: unusable('screening'),
    access: unusable('access'),
  };
}
