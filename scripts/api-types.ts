// npm run api:types: the OpenAPI document of the routes (no server, no database) and the web app's
// types generated from it. Runs before every web build and typecheck, so the page follows the API.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { apiDocument } from '../src/api/document.js';
import { DOCUMENT_FILE, SCHEMA_FILE, schemaSource } from './api-schema.js';

const started = performance.now();
const document = await apiDocument();
const source = await schemaSource(document);
await mkdir(dirname(SCHEMA_FILE), { recursive: true });
const wrote = [
  await writeIfChanged(DOCUMENT_FILE, `${JSON.stringify(document, null, 2)}\n`),
  await writeIfChanged(SCHEMA_FILE, source),
];
const elapsed = Math.round(performance.now() - started);
console.log(
  wrote.some(Boolean)
    ? `api:types: wrote ${relative(process.cwd(), SCHEMA_FILE)} (${elapsed} ms)`
    : `api:types: ${relative(process.cwd(), SCHEMA_FILE)} is up to date (${elapsed} ms)`,
);

// An unchanged file keeps its time stamp, so watchers and incremental builds do not start over.
async function writeIfChanged(file: string, text: string): Promise<boolean> {
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current === text) return false;
  await writeFile(file, text);
  return true;
}
