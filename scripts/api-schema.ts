// The web app's API types from an OpenAPI document: what `npm run api:types` writes, and what the
// contract test compiles the web app against with a changed document.
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';

/** Where the generated types live; the web app imports them as `./schema.js`. */
export const SCHEMA_FILE = fileURLToPath(new URL('../web/src/api/schema.d.ts', import.meta.url));
/** The document the types were made from, kept beside them for people and tools to read. */
export const DOCUMENT_FILE = fileURLToPath(new URL('../web/src/api/openapi.json', import.meta.url));

const HEADER =
  '// generated from the API document by npm run api:types; do not edit\n' +
  '// (src/api/*.routes.ts are the source: change a route there and run the script again)\n\n';

/** TypeScript declarations (`paths`, `components`, `operations`) for `document`. */
export async function schemaSource(document: object): Promise<string> {
  // Not `immutable`: openapi-fetch 0.17 maps every answer through a type that turns readonly arrays
  // into objects without array methods (openapi-ts/openapi-typescript#2615). The page declares
  // readonly where it keeps data.
  const ast = await openapiTS(document as OpenAPI3);
  return HEADER + astToString(ast);
}
