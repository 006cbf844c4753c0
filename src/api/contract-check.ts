// Every answer of the API checked against the API's own document (tests and development turn it
// on with ATTACHE_CHECK_RESPONSES=true): a status the operation does not document, a media type it
// does not list, or a body its schema refuses becomes a 500 naming the difference, so the test
// that provoked it fails where the drift is. Off in production: it costs a validation per answer.
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { mapSchemaRefs } from './contract.js';
import { problemType, type Problem } from './problem.js';

interface MediaType {
  schema?: unknown;
}
interface Operation {
  responses?: Record<string, { content?: Record<string, MediaType> }>;
}
interface ApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

const DOCUMENT_ID = 'https://attache.invalid/openapi.json';

/** Validators compiled from the document, one per operation, status and media type, on first use. */
class ContractChecker {
  private readonly validators = new Map<string, ValidateFunction>();

  private constructor(
    private readonly document: ApiDocument,
    private readonly ajv: Ajv2020,
  ) {}

  static async create(document: ApiDocument): Promise<ContractChecker> {
    // Loaded only when checking is on (CommonJS modules: their classes are named exports here).
    const { Ajv2020: Validator } = await import('ajv/dist/2020.js');
    const formats = await import('ajv-formats');
    // Not strict: OpenAPI's own keywords (example, discriminator) sit beside JSON Schema's.
    const ajv = new Validator({ strict: false, allErrors: true });
    formats.default.default(ajv);
    ajv.addSchema({ $id: DOCUMENT_ID, $defs: pointRefs(document.components?.schemas ?? {}) });
    return new ContractChecker(document, ajv);
  }

  /** What is wrong with an answer, or undefined when the document describes it. */
  check(
    method: string,
    url: string,
    status: number,
    mediaType: string,
    body: unknown,
  ): string | undefined {
    const path = url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const operation = this.document.paths[path]?.[method.toLowerCase()];
    const where = `${method} ${path}`;
    if (operation === undefined) return `${where} is not in the API document`;
    const response = operation.responses?.[String(status)];
    if (response === undefined)
      return `${where} answered ${status}, which its document does not list (it lists ${Object.keys(operation.responses ?? {}).join(', ')})`;
    if (response.content === undefined) return undefined;
    const media = response.content[mediaType];
    if (media === undefined)
      return `${where} answered ${status} as ${mediaType || 'no media type'}; its document gives ${Object.keys(response.content).join(', ')}`;
    if (media.schema === undefined || !isJson(mediaType)) return undefined;
    const key = `${where} ${status} ${mediaType}`;
    let validate = this.validators.get(key);
    if (validate === undefined) {
      validate = this.ajv.compile(pointRefs(media.schema) as object);
      this.validators.set(key, validate);
    }
    return validate(body) ? undefined : `${key}: ${describe(validate.errors ?? [])}`;
  }
}

/** JSON and its `+json` kinds (problem JSON); not NDJSON, whose lines are each a document. */
function isJson(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

function describe(errors: readonly ErrorObject[]): string {
  return errors
    .slice(0, 5)
    .map(
      (e) =>
        `${e.instancePath || '(body)'} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params['additionalProperty'])})` : ''}`,
    )
    .join('; ');
}

/** `#/components/schemas/X` → the same schema in the validator's copy of the document. */
const pointRefs = (value: unknown) =>
  mapSchemaRefs(value, (name) => `${DOCUMENT_ID}#/$defs/${name}`);

/** Checks every /api/v1 answer `app` gives against `app.swagger()`. */
export function checkResponses(app: FastifyInstance): void {
  let checker: Promise<ContractChecker> | undefined;
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const url = request.routeOptions.url;
    if (url === undefined || !url.startsWith('/api/v1/') || url === '/api/v1/openapi.json')
      return payload;
    checker ??= ContractChecker.create(app.swagger() as unknown as ApiDocument);
    const contentType = String(reply.getHeader('content-type') ?? '');
    const mediaType = contentType.split(';')[0]!.trim();
    let body: unknown;
    // A streamed JSON answer (a batch) is read whole here, in tests, and sent on as text.
    if (payload instanceof Readable && isJson(mediaType)) payload = await text(payload);
    if (typeof payload === 'string' && isJson(mediaType)) {
      try {
        body = JSON.parse(payload) as unknown;
      } catch {
        body = payload;
      }
    }
    // HEAD is its GET's answer (Fastify answers it with the GET's route and sends no body).
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const wrong = (await checker).check(method, url, reply.statusCode, mediaType, body);
    if (wrong === undefined) return payload;
    request.log.error({ contract: wrong }, 'answer does not match the API document');
    console.error(`contract: ${wrong}`);
    const problem: Problem = {
      type: problemType('CONTRACT.BROKEN'),
      title: 'Internal error',
      status: 500,
      detail: `the answer does not match the API document: ${wrong}`,
      code: 'CONTRACT.BROKEN',
      instance: request.url,
    };
    reply.code(500).type('application/problem+json');
    return JSON.stringify(problem);
  });
}
