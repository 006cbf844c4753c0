// Text is checked once, at the edge, for every route the server has: a NUL or a lone surrogate in
// any string of a body, query or path is a 400 naming the field, never a 500 and never a write;
// and text that is unusual but valid is stored and audited exactly as given.
import { sql } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { OpenAPIV3 } from 'openapi-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { recordRestriction } from '../../src/services/eligibility/restriction.service.js';
import { countAuditEntries } from '../../src/store/audit.repository.js';
import { queryRows } from '../../src/store/raw-sql.js';
import { fixedClock, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { actAs } from '../support/accounts.js';
import { signInWriter, writerHeaders } from '../support/writer.js';

let db: TestDatabase;
let app: FastifyInstance;

beforeAll(async () => {
  db = await openTestDatabase('demo', { clock: fixedClock('2026-11-27T12:00:00.000Z') });
  await signInWriter(db.ctx);
  app = actAs(await buildApp(db.ctx), writerHeaders());
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await db.close();
});

interface Route {
  readonly method: string;
  /** Fastify's form: `/api/v1/seats/:id`. */
  readonly url: string;
}

/** The server's route table, read from Fastify's own print of it (one node a line, nested). */
function routeTable(printed: string): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of printed.split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (match === null) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const url = `${stack.at(-1) ?? ''}${match[2]!}`;
    stack.push(url);
    for (const method of (match[3] ?? '').split(', ').filter((m) => m !== '' && m !== 'HEAD'))
      routes.push({ method, url });
  }
  return routes;
}

type Schema = OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject;

/** Paths of every string a schema holds (`scope.0`, `queries.0.country`), first array items. */
function stringPaths(doc: OpenAPIV3.Document, schema: Schema | undefined, path = ''): string[] {
  if (schema === undefined) return [];
  const s: OpenAPIV3.SchemaObject =
    '$ref' in schema
      ? (doc.components!.schemas![schema.$ref.split('/').at(-1)!] as OpenAPIV3.SchemaObject)
      : schema;
  const alternatives = [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])];
  const found = alternatives.flatMap((a) => stringPaths(doc, a, path));
  const types = ([] as unknown[]).concat(s.type ?? []);
  if (types.includes('string') && !found.includes(path)) found.push(path);
  for (const [key, child] of Object.entries(s.properties ?? {}))
    found.push(...stringPaths(doc, child, path === '' ? key : `${path}.${key}`));
  if ('items' in s && s.items !== undefined)
    found.push(...stringPaths(doc, s.items, path === '' ? '0' : `${path}.0`));
  return [...new Set(found)];
}

/** A value holding `bad` at `path` and nothing else: arrays and objects on the way. */
function holding(path: string, bad: string): unknown {
  return path
    .split('.')
    .reverse()
    .reduce<unknown>((inner, key) => (/^\d+$/.test(key) ? [inner] : { [key]: inner }), bad);
}

const BAD = {
  nul: 'a\u0000b',
  'lone surrogate': 'a\uD800b',
} as const;

interface Probe {
  readonly route: string;
  readonly field: string;
  readonly request: InjectOptions;
}

function probes(routes: readonly Route[], doc: OpenAPIV3.Document): Probe[] {
  const out: Probe[] = [];
  for (const { method, url } of routes) {
    const name = `${method} ${url}`;
    const op = (doc.paths[url.replace(/:(\w+)/g, '{$1}')] as Record<string, unknown> | undefined)?.[
      method.toLowerCase()
    ] as OpenAPIV3.OperationObject | undefined;
    const params = (url.match(/:\w+|\*/g) ?? []).map((m) => m.replace(/^:/, ''));
    const fill = (except?: string, value = 'x') =>
      url.replace(/:(\w+)|\*/g, (_m, p: string | undefined) =>
        (p ?? '*') === except ? value : 'x',
      );
    for (const param of params) {
      out.push({
        route: name,
        field: param,
        request: { method: method, url: fill(param, 'a%00b'), headers: writerHeaders() },
      });
      // A URL cannot carry a lone surrogate; its would-be UTF-8 bytes are refused with the path.
      out.push({
        route: name,
        field: 'path',
        request: {
          method: method,
          url: fill(param, 'a%ED%A0%80b'),
          headers: writerHeaders(),
        },
      });
    }
    for (const p of (op?.parameters ?? []) as OpenAPIV3.ParameterObject[]) {
      if (p.in !== 'query') continue;
      out.push({
        route: name,
        field: p.name,
        request: {
          method: method,
          url: `${fill()}?${p.name}=a%00b`,
          headers: writerHeaders(),
        },
      });
    }
    const body = (op?.requestBody as OpenAPIV3.RequestBodyObject | undefined)?.content[
      'application/json'
    ]?.schema;
    for (const field of stringPaths(doc, body)) {
      for (const bad of Object.values(BAD)) {
        out.push({
          route: name,
          field,
          request: {
            method: method,
            url: fill(),
            headers: { ...writerHeaders(), 'content-type': 'application/json' },
            // JSON.stringify writes a lone surrogate as its escape, \ud800: what a client sends.
            payload: JSON.stringify(holding(field, bad)),
          },
        });
      }
    }
  }
  return out;
}

/** Whether the document gives the operation a body or any parameter (undocumented: assume so). */
function takesInput(doc: OpenAPIV3.Document, method: string, url: string): boolean {
  const operation =
    doc.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase() as OpenAPIV3.HttpMethods];
  if (operation === undefined) return true;
  return operation.requestBody !== undefined || (operation.parameters ?? []).length > 0;
}

describe('every route of the server', () => {
  it('refuses a NUL or a lone surrogate in any string with 400 naming the field, never 500', async () => {
    const routes = routeTable(app.printRoutes({ commonPrefix: false }));
    const doc = app.swagger() as OpenAPIV3.Document;
    // The table is the server's: every documented operation is in it, and so are the others.
    expect(routes.length).toBeGreaterThan(Object.keys(doc.paths).length);
    expect(routes).toContainEqual({ method: 'POST', url: '/api/v1/restrictions/:id/reliefs' });
    expect(routes).toContainEqual({ method: 'GET', url: '/docs/*' });
    const all = probes(routes, doc);
    const auditBefore = await countAuditEntries(db.store.db);
    const failures: string[] = [];
    for (const probe of all) {
      const res = await app.inject(probe.request);
      const problem = res.json<{ code?: string; field?: string }>();
      if (
        res.statusCode !== 400 ||
        problem.code !== 'INPUT.INVALID' ||
        problem.field !== probe.field
      )
        failures.push(`${probe.route} ${probe.field}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    // Nothing was written on the way.
    expect(await countAuditEntries(db.store.db)).toBe(auditBefore);
    // Every route with a body or a path parameter was tried, and strings deep in bodies were too.
    const tried = new Set(all.map((p) => p.route));
    for (const { method, url } of routes)
      // A DELETE with no path parameter (sign-out) and a POST with neither a body nor a parameter
      // (a checkpoint export) carry no text to try.
      if (
        url.includes(':') ||
        url.includes('*') ||
        (method !== 'GET' && method !== 'DELETE' && takesInput(doc, method, url))
      )
        expect(tried, `${method} ${url}`).toContain(`${method} ${url}`);
    expect(all.map((p) => p.field)).toEqual(
      expect.arrayContaining(['scope.0', 'queries.0.country', 'names.0', 'argv.0', 'id', 'iso3']),
    );
  }, 120_000);

  it('refuses text longer than its field takes, naming the field', async () => {
    const long = await app.inject({
      method: 'POST',
      url: '/api/v1/restrictions',
      headers: writerHeaders(),
      payload: { country: 'PAK', basis: 'x'.repeat(10_001) },
    });
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({ code: 'INPUT.INVALID', field: 'basis' });
    const id = await app.inject({ url: `/api/v1/courses?school=${'X'.repeat(201)}` });
    expect(id.json()).toMatchObject({ code: 'INPUT.INVALID', field: 'school' });
  });
});

describe('text that is unusual but valid', () => {
  const names = {
    // Astral-plane emoji (a valid surrogate pair), combining marks, right-to-left text, ß.
    familyName: 'Straße 😀 e\u0301',
    givenNames: 'محمد علی 𝔄𝔩𝔦',
    nameVariants: ['Ṁuhammad Ali', 'n\u0303 ǅ 👩‍👩‍👧'],
    birthPlace: 'Ḩyderābād ‏(RTL mark)‏',
  };

  it('is stored and audited exactly as given', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/students',
      headers: writerHeaders(),
      payload: { country: 'PAK', ...names },
    });
    expect(res.statusCode).toBe(201);
    const id = res.json<{ id: string }>().id;
    const [stored] = await queryRows<{
      family_name: string;
      given_names: string;
      name_variants: string[];
      birth_place: string;
    }>(
      db.store.db,
      sql`select family_name, given_names, name_variants, birth_place from students where id = ${id}`,
    );
    const [entry] = await queryRows<{ after: string }>(
      db.store.db,
      sql`select after from audit_log where entity_id = ${id} and action = 'student.add'`,
    );
    const audited = JSON.parse(entry!.after) as typeof names;
    const asStored = {
      familyName: stored!.family_name,
      givenNames: stored!.given_names,
      nameVariants: stored!.name_variants,
      birthPlace: stored!.birth_place,
    };
    expect(asStored).toEqual(names);
    expect({
      familyName: audited.familyName,
      givenNames: audited.givenNames,
      nameVariants: audited.nameVariants,
      birthPlace: audited.birthPlace,
    }).toEqual(asStored);
    // Code unit for code unit, not merely equal after normalisation.
    expect([...asStored.familyName].map((c) => c.codePointAt(0))).toEqual(
      [...names.familyName].map((c) => c.codePointAt(0)),
    );
  });
});

describe('a write that does not come through HTTP', () => {
  it('meets the same check on the write road: refused, naming the field, nothing written', async () => {
    const before = await countAuditEntries(db.store.db);
    const write = (basis: string) =>
      recordRestriction(
        db.ctx,
        { id: 'user:importer', role: 'program-manager' },
        {
          ...{ country: 'JOR', kind: 'policy', scope: ['FMF'], from: '2021-01-01' },
          ...{ basis, authority: 'Secretary of State' },
        },
      );
    // Stored, it would become U+FFFD while the audit entry kept the surrogate.
    expect(await write(`Policy ${BAD['lone surrogate']}`)).toMatchObject({
      ok: false,
      error: { code: 'INPUT.INVALID', field: 'basis' },
    });
    // The database refuses it: a refusal of the input, not a failure of the server.
    expect(await write(`Policy ${BAD.nul}`)).toMatchObject({
      ok: false,
      error: { code: 'INPUT.INVALID', reason: 'TEXT.NOT_STORABLE' },
    });
    expect(await countAuditEntries(db.store.db)).toBe(before);
  });
});
