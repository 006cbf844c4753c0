// The API document as a client generator reads it: Spectral's OpenAPI ruleset (spectral:oas, the
// recommended rules) finds nothing, a strict parser accepts it, and every operation has a unique
// operationId, a description and the problem answers of its form.
import { validate } from '@readme/openapi-parser';
import spectralCore from '@stoplight/spectral-core';
import Parsers from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/server.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

const { Spectral, Document } = spectralCore;

interface Operation {
  operationId?: string;
  description?: string;
  responses: Record<string, { content?: Record<string, unknown> }>;
}
type ApiDocument = { paths: Record<string, Record<string, Operation>> } & Record<string, unknown>;

let db: TestDatabase;
let app: FastifyInstance;
let text: string;
let document: ApiDocument;

beforeAll(async () => {
  db = await openTestDatabase('empty');
  app = await buildApp(db.ctx);
  const res = await app.inject('/api/v1/openapi.json');
  text = res.body;
  document = res.json<ApiDocument>();
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const operations = () =>
  Object.entries(document.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]) => ({
      key: `${method.toUpperCase()} ${path}`,
      operation,
    })),
  );

describe('the API document', () => {
  it("passes Spectral's OpenAPI ruleset with no error and no warning", async () => {
    const spectral = new Spectral();
    spectral.setRuleset({ extends: [oas] } as never);
    const results = await spectral.run(new Document(text, Parsers.Json, 'openapi.json'));
    expect(results.map((r) => `${r.code} at ${r.path.join('.')}: ${r.message}`)).toEqual([]);
  });

  it('is accepted by a strict OpenAPI parser', async () => {
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors.map((e) => e.message)).toEqual([]);
  });

  it('gives every operation a unique operationId and a description', () => {
    const missing = operations()
      .filter(({ operation }) => !operation.operationId || !operation.description)
      .map(({ key }) => key);
    expect(missing).toEqual([]);
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('documents every refusal (4xx) as problem JSON', () => {
    const wrong = operations().flatMap(({ key, operation }) =>
      Object.entries(operation.responses)
        .filter(([status]) => Number(status) >= 400 && Number(status) < 500)
        .filter(([, response]) => response.content?.['application/problem+json'] === undefined)
        .map(([status]) => `${key} ${status}`),
    );
    expect(wrong).toEqual([]);
  });
});
