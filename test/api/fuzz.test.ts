// Malformed requests to every route of the OpenAPI document (issue #16, fault tests), generated
// with fast-check: path parameters of any text (NUL, lone surrogates, thousands of characters),
// bodies that are not the object the route takes (another type, an unknown field, broken JSON),
// query strings of garbage, with the writer's token or with none. None may answer 5xx, and none may write: every table's row count and
// the audit log are the same after as before. CI runs FUZZ_RUNS per route;
// `ATTACHE_FUZZ_RUNS=10000 npx vitest run test/api/fuzz.test.ts` runs the full size.
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { countAuditEntries } from '../../src/store/audit.repository.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { actAs, injectAnonymously } from '../support/accounts.js';
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

/**
 * A path parameter as a client could send it: percent-encoded, a lone surrogate as the bytes of
 * its (invalid) UTF-8 encoding, which encodeURIComponent refuses to write.
 */
function encodeHostile(value: string): string {
  return Array.from(value, (ch) => {
    const code = ch.charCodeAt(0);
    if (ch.length === 1 && code >= 0xd800 && code <= 0xdfff)
      return `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    return encodeURIComponent(ch);
  }).join('');
}

function fillPath(path: string, value: string): string {
  return path.replace(/\{[^}]+\}/g, () => encodeHostile(value));
}

describe('every route under malformed requests', () => {
  it('lists the routes of the document', () => {
    expect(operations.length).toBeGreaterThan(60);
  });

  it(`answers no 5xx and writes nothing (${FUZZ_RUNS} requests of each sort per route)`, async () => {
    const before = await rowCounts();
    const audit = await countAuditEntries(db.ctx.store.db);
    const failures: string[] = [];
    const send = async (
      op: Operation,
      url: string,
      payload?: string,
      type?: string,
      anonymous = false,
    ) => {
      const options = {
        method: op.method.toUpperCase() as 'GET',
        url,
        ...(payload === undefined
          ? {}
          : { payload, headers: { 'content-type': type ?? 'application/json' } }),
      };
      // The writer's token, or nothing at all (a stranger's request).
      const res = anonymous ? await injectAnonymously(app, options) : await app.inject(options);
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
          fc.boolean(),
          async (text, body, broken, query, anonymous) => {
            const url = fillPath(op.path, text);
            const search = new URLSearchParams(query).toString();
            const withQuery = `${url}${search === '' ? '' : `?${search}`}`;
            if (op.method === 'get') {
              await send(op, withQuery, undefined, undefined, anonymous);
              return;
            }
            // A write is malformed by construction: a broken or foreign payload, or (with a body
            // schema) a body of the wrong shape; a route with parameters also gets hostile ones.
            await send(op, hasParams ? url : op.path, broken.payload, broken.type, anonymous);
            if (op.hasBody)
              await send(op, hasParams ? url : op.path, JSON.stringify(body), undefined, anonymous);
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
