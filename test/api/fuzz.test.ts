// Malformed requests to every route of the OpenAPI document (issue #16, fault tests), generated
// with fast-check: path parameters of any text (NUL, lone surrogates, thousands of characters),
// bodies that are not the object the route takes (another type, an unknown field, broken JSON),
// query strings of garbage. None may answer 5xx, and none may write: every table's row count and
// the audit log are the same after as before. CI runs FUZZ_RUNS per route;
// `ATTACHE_FUZZ_RUNS=10000 npx vitest run test/api/fuzz.test.ts` runs the full size.
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { countAuditEntries } from '../../src/store/audit.repository.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { actAs } from '../support/accounts.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { signInWriter, writerHeaders } from '../support/writer.js';

const FUZZ_RUNS = Number(process.env.ATTACHE_FUZZ_RUNS ?? 25);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Operation {
  readonly method: (typeof METHODS)[number];
  readonly path: string;
  readonly hasBody: boolean;
}

let db: TestDatabase;
let app: FastifyInstance;
let operations: Operation[] = [];

/** Rows of every table of the schema, by table (what "nothing written" is measured on). */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await queryRows<{ name: string }>(
    db.ctx.store.db,
    sql`select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await queryRows<{ n: number }>(
      db.ctx.store.db,
      sql`select count(*)::int as n from ${sql.identifier(name)}`,
    );
    counts[name] = row!.n;
  }
  return counts;
}

beforeAll(async () => {
  db = await openTestDatabase('demo');
  await signInWriter(db.ctx);
  app = actAs(await buildApp(db.ctx), writerHeaders());
  const spec = (await app.inject('/api/v1/openapi.json')).json<{
    paths: Record<string, Partial<Record<string, { requestBody?: unknown }>>>;
  }>();
  operations = Object.entries(spec.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m] !== undefined).map((method) => ({
      method,
      path,
      hasBody: item[method]?.requestBody !== undefined,
    })),
  );
}, 120_000);
afterAll(async () => {
  await app?.close();
  await db?.close();
});

/** Text a client could send anywhere: control characters, lone surrogates, very long runs. */
const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u0000', '\ud800', 'a\udfffb', '../../etc/passwd', '%00', "'; drop table x; --"),
  fc.nat({ max: 5000 }).map((n) => 'x'.repeat(n)),
);

/** A body that is not the object any route takes: another JSON type, or an object with an unknown field. */
const wrongBody = fc.oneof(
  fc.oneof(
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.anything(), { maxLength: 4 }),
  ),
  hostileText,
  fc
    .dictionary(hostileText, fc.anything({ maxDepth: 2 }), { maxKeys: 4 })
    .map((o) => ({ ...o, ['zz-not-a-field']: 1 })),
);

/** A JSON text that is not JSON, or a body sent under another type. */
const brokenPayload = fc.oneof(
  fc.constant({ payload: '{"a":', type: 'application/json' }),
  fc.constant({ payload: '\u0000', type: 'application/json' }),
  hostileText.map((payload) => ({ payload, type: 'text/plain' })),
);

function fillPath(path: string, value: string): string {
  return path.replace(/\{[^}]+\}/g, () => encodeURIComponent(value));
}

describe('every route under malformed requests', () => {
  it('lists the routes of the document', () => {
    expect(operations.length).toBeGreaterThan(60);
  });

  it(`answers no 5xx and writes nothing (${FUZZ_RUNS} requests of each sort per route)`, async () => {
    const before = await rowCounts();
    const audit = await countAuditEntries(db.ctx.store.db);
    const failures: string[] = [];
    const send = async (op: Operation, url: string, payload?: string, type?: string) => {
      const res = await app.inject({
        method: op.method.toUpperCase() as 'GET',
        url,
        ...(payload === undefined
          ? {}
          : { payload, headers: { 'content-type': type ?? 'application/json' } }),
      });
      if (res.statusCode >= 500)
        failures.push(
          `${op.method.toUpperCase()} ${url.slice(0, 120)} → ${res.statusCode} ${res.body.slice(0, 200)}`,
        );
    };
    for (const op of operations) {
      const hasParams = op.path.includes('{');
      await fc.assert(
        fc.asyncProperty(
          hostileText,
          wrongBody,
          brokenPayload,
          fc.dictionary(hostileText, hostileText, { maxKeys: 3 }),
          async (text, body, broken, query) => {
            const url = fillPath(op.path, text);
            const search = new URLSearchParams(query).toString();
            const withQuery = `${url}${search === '' ? '' : `?${search}`}`;
            if (op.method === 'get') {
              await send(op, withQuery);
              return;
            }
            // A write is malformed by construction: a broken or foreign payload, or (with a body
            // schema) a body of the wrong shape; a route with parameters also gets hostile ones.
            await send(op, hasParams ? url : op.path, broken.payload, broken.type);
            if (op.hasBody) await send(op, hasParams ? url : op.path, JSON.stringify(body));
          },
        ),
        { numRuns: FUZZ_RUNS, seed: 20261130 },
      );
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(await countAuditEntries(db.ctx.store.db)).toBe(audit);
    expect(await rowCounts()).toEqual(before);
  }, 600_000);
});
