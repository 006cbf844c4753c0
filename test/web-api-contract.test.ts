// The web app follows the API document: its types are generated from the document, so a change of
// the API the page does not follow fails the typecheck (issue #12). Compiles web/src as
// `npm run typecheck` does, with the types of a changed document in place of the generated file.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiDocument, type ApiDocument } from '../src/api/document.js';
import { SCHEMA_FILE, schemaSource } from '../scripts/api-schema.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const config = ts.getParsedCommandLineOfConfigFile(
  `${root}tsconfig.json`,
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  },
);
if (config === undefined) throw new Error('tsconfig.json could not be read');
const webSources = config.fileNames.filter((file) => file.startsWith(`${root}web/src/`));

let previous: ts.Program | undefined;

/** The typecheck's complaints about web/src, as `file: message`, with `schema` as the generated types. */
function typecheckWeb(schema: string): string[] {
  const host = ts.createCompilerHost(config!.options);
  const real = {
    fileExists: host.fileExists.bind(host),
    readFile: host.readFile.bind(host),
    getSourceFile: host.getSourceFile.bind(host),
  };
  host.fileExists = (file) => file === SCHEMA_FILE || real.fileExists(file);
  host.readFile = (file) => (file === SCHEMA_FILE ? schema : real.readFile(file));
  host.getSourceFile = (file, language, ...rest) =>
    file === SCHEMA_FILE
      ? ts.createSourceFile(file, schema, language)
      : real.getSourceFile(file, language, ...rest);
  // The second compile reuses the first one's unchanged files: only the schema and its users differ.
  const program = ts.createProgram({
    rootNames: webSources,
    options: config!.options,
    host,
    ...(previous === undefined ? {} : { oldProgram: previous }),
  });
  previous = program;
  return ts
    .getPreEmitDiagnostics(program)
    .map(
      (d) =>
        `${d.file?.fileName.replace(root, '') ?? '?'}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
    );
}

/** `document` with every schema property `from` called `to` (as a rename in a route would do). */
function renameProperty(node: unknown, from: string, to: string): unknown {
  if (Array.isArray(node)) return node.map((item: unknown) => renameProperty(item, from, to));
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node as Record<string, unknown>).map(([key, value]) => {
      if (key === 'properties' && typeof value === 'object' && value !== null)
        return [
          key,
          Object.fromEntries(
            Object.entries(value).map(([name, schema]) => [
              name === from ? to : name,
              renameProperty(schema, from, to),
            ]),
          ),
        ];
      if (key === 'required' && Array.isArray(value))
        return [key, value.map((name: unknown) => (name === from ? to : name))];
      return [key, renameProperty(value, from, to)];
    }),
  );
}

// A compile takes 5 to 10 s (TypeScript checks the page and the types of React and Node), more
// beside the browser tests on two cores.
describe('the web app against the API document', { timeout: 120_000 }, () => {
  let document: ApiDocument;

  beforeAll(async () => {
    document = await apiDocument();
  });

  // Each change must fail the typecheck where the page uses what changed, and nowhere else: the
  // page compiles against the unchanged document (npm run typecheck), and this harness adds nothing.
  it('fails the typecheck where the page reads a field the API renamed', async () => {
    const renamed = renameProperty(document, 'latestImet', 'latestImetAllocation') as object;
    const errors = typecheckWeb(await schemaSource(renamed));
    expect(errors).toContainEqual(
      expect.stringMatching(
        /^web\/src\/pages\/countries\/countries\.ts: Property 'latestImet' does not exist/,
      ),
    );
    expect(errors).toContainEqual(
      expect.stringMatching(/^web\/src\/pages\/countries\/CountryTable\.tsx: .*'latestImet'/),
    );
    expect(errors.filter((error) => !error.includes("'latestImet'"))).toEqual([]);
  });

  it('fails the typecheck where the page calls a path the API no longer has', async () => {
    const { '/api/v1/session/providers': _gone, ...paths } = document.paths ?? {};
    const errors = typecheckWeb(await schemaSource({ ...document, paths }));
    expect(errors).toContainEqual(
      expect.stringMatching(/^web\/src\/api\/session\.ts: .*"\/api\/v1\/session\/providers"/),
    );
    // The page's uses of the answer lose their type too: the provider list and its buttons.
    expect(
      errors.filter(
        (error) => !/^web\/src\/(api\/session\.ts|components\/SignIn\.tsx): /.test(error),
      ),
    ).toEqual([]);
  });
});
