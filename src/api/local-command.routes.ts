// A command line beside the server on its embedded data dir runs its command here (the data dir
// is one process's at a time), with the output and exit code it would have had on its own.
import { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sameSecret } from '../services/local-channel.js';
import { problems } from './contract.js';
import { problemType, type Problem } from './problem.js';

/** Where the server runs command lines (given by `attache serve`), and the secret it expects. */
export interface LocalCommands {
  /** The secret of this start, once the lock names it; undefined until then. */
  secret(): string | undefined;
  run(
    command: LocalCommand,
    output: { out(text: string): void; err(text: string): void },
  ): Promise<number>;
}

const LocalCommandSchema = z
  .object({
    argv: z
      .array(z.string().max(100_000))
      .min(1)
      .max(1_000)
      .meta({ description: 'the arguments after `attache`' }),
    actor: z
      .string()
      .min(1)
      .max(200)
      .meta({ description: 'who the command line runs as, for the audit log' }),
    cwd: z
      .string()
      .min(1)
      .max(4_096)
      .startsWith('/')
      .meta({ description: 'the directory the command line runs in: its relative paths' }),
  })
  .meta({
    example: {
      argv: ['eligibility', 'PAK', 'IMET', '--on', '2019-06-01'],
      actor: 'cli:pm',
      cwd: '/home/pm',
    },
  });
export type LocalCommand = z.infer<typeof LocalCommandSchema>;

/**
 * The answer: NDJSON, which no JSON Schema describes as one value (its lines are; OpenAPI 3.1 has
 * no place for a line's schema), so the lines are told in words and shown in the example.
 */
const Output = z.unknown().meta({
  description:
    'NDJSON, one JSON object a line: `{"out": text}` and `{"err": text}` as the command prints on stdout and stderr, empty lines while it runs (a heartbeat), and last `{"exit": code}`',
  example: '{"out":"PAK IMET on 2019-06-01: BLOCKED\\n"}\n\n{"exit":0}\n',
});

/** How often a running command says it is alive, so a client can tell a hung server. */
const HEARTBEAT_MS = 1_000;

function isLoopback(address: string | undefined): boolean {
  return (
    address !== undefined &&
    (address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.'))
  );
}

function refuse(
  reply: FastifyReply,
  request: FastifyRequest,
  status: 401 | 403 | 404,
  detail: string,
) {
  const code =
    status === 401
      ? 'LOCAL.UNAUTHENTICATED'
      : status === 403
        ? 'LOCAL.NOT_LOOPBACK'
        : 'LOCAL.DISABLED';
  const problem: Problem = {
    type: problemType(code),
    title: status === 401 ? 'Not authenticated' : status === 403 ? 'Not allowed' : 'Not found',
    status,
    detail,
    code,
    instance: request.url,
  };
  return reply.code(status).type('application/problem+json').send(problem);
}

export function localCommandRoutes(local: LocalCommands | undefined): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.post(
      '/local/commands',
      {
        // Its own authentication: the data dir's lock secret, loopback only (decision 006).
        config: { access: 'public' },
        schema: {
          security: [],
          tags: ['system'],
          operationId: 'runLocalCommand',
          summary: 'Run an `attache` command line for a command line beside this server',
          description:
            'Only on the loopback address, only for a server on an embedded data dir, and only with ' +
            '`Authorization: Local SECRET`, the secret this start wrote into the data dir lock (readable ' +
            'by its owner alone). Answers NDJSON: `{"out":…}` and `{"err":…}` lines as the command ' +
            'prints them, empty lines while it runs, and last `{"exit":N}`. Refusals: 401 ' +
            'LOCAL.UNAUTHENTICATED without the secret; 403 LOCAL.NOT_LOOPBACK from another machine; ' +
            '404 LOCAL.DISABLED when the server holds no embedded data dir.',
          body: LocalCommandSchema,
          response: {
            200: {
              description: 'the command ran: its output as it printed it, then its exit code',
              content: { 'application/x-ndjson': { schema: Output } },
            },
            ...problems(401, 403, 404),
          },
        },
      },
      async (request, reply) => {
        const secret = local?.secret();
        if (local === undefined || secret === undefined)
          return refuse(
            reply,
            request,
            404,
            'this server takes no local commands: it holds no embedded data dir',
          );
        if (
          !isLoopback(request.socket.remoteAddress) &&
          request.socket.remoteAddress !== request.socket.localAddress
        )
          return refuse(reply, request, 403, 'local commands are taken from this machine only');
        const presented = /^Local (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
        if (presented === undefined || !sameSecret(presented, secret))
          return refuse(
            reply,
            request,
            401,
            'a local command needs the secret of the data dir lock',
          );
        const stream = new PassThrough();
        const line = (value: object) => stream.write(`${JSON.stringify(value)}\n`);
        const heartbeat = setInterval(() => stream.write('\n'), HEARTBEAT_MS);
        void local
          .run(request.body, {
            out: (text) => line({ out: text }),
            err: (text) => line({ err: text }),
          })
          .catch((error: unknown) => {
            request.log.error({ err: error }, 'local command failed');
            line({
              err: 'attache: internal error: the server failed to run the command; see its log',
            });
            return 70;
          })
          .then((code) => {
            clearInterval(heartbeat);
            line({ exit: code });
            stream.end();
          });
        return reply.type('application/x-ndjson').send(stream);
      },
    );
  };
}
