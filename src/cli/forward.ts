// A command line beside a running server: when a live server holds the embedded data dir, the
// command runs there, over its API on the loopback address, with the same output and exit code.
// Loaded before anything else, so it imports nothing heavy.
import { request } from 'node:http';
import { resolve } from 'node:path';
import { findLocalServer, type LocalServer } from '../services/local-channel.js';
import { localActorId } from './actor.js';

/** How long a server may take to accept a command, or stay silent while it runs one. */
export const SERVER_ANSWER_MS = 5_000;

/** Commands that never go to a server: the server itself, and what needs no database. */
function runsHere(argv: readonly string[]): boolean {
  const first = argv[0];
  return (
    first === undefined ||
    first === 'serve' ||
    first === 'help' ||
    first.startsWith('-') ||
    argv.includes('--help') ||
    argv.includes('-h')
  );
}

/** The server to send this command line to, if one holds the configured embedded data dir. */
export function serverFor(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): LocalServer | undefined {
  if (runsHere(argv)) return undefined;
  if (env.DATABASE_URL !== undefined && env.DATABASE_URL !== '') return undefined;
  const dir = env.ATTACHE_DATA_DIR;
  // A bad ATTACHE_DATA_DIR is for the direct path to report.
  if (dir !== undefined && (dir.trim() === '' || dir.includes('\0'))) return undefined;
  return findLocalServer(resolve(dir ?? './data'));
}

export interface Streams {
  out(text: string): void;
  err(text: string): void;
}

/**
 * Sends the command line to `server`; resolves to its exit code (5 when the server fails it), or
 * to 'gone' when nothing listens any more (a server stopping or killed since its lock was read).
 */
export function forward(
  server: LocalServer,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  streams: Streams,
): Promise<number | 'gone'> {
  const body = JSON.stringify({ argv, actor: localActorId(env), cwd: process.cwd() });
  const where = `the server on port ${server.port} (process ${server.pid})`;
  return new Promise((done) => {
    let settled = false;
    const finish = (code: number | 'gone', message?: string) => {
      if (settled) return;
      settled = true;
      if (message !== undefined) streams.err(`attache: ATTACHE_DATA_DIR: ${message}`);
      req.destroy();
      done(code);
    };
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: '/api/v1/local/commands',
        headers: {
          authorization: `Local ${server.secret}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        if (res.statusCode !== 200) {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => {
            const detail = (() => {
              try {
                return (JSON.parse(text) as { detail?: string }).detail;
              } catch {
                return undefined;
              }
            })();
            finish(
              5,
              `${where} refused the command (${res.statusCode}${detail === undefined ? '' : `: ${detail}`})`,
            );
          });
          return;
        }
        let buffer = '';
        res.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
            const line = buffer.slice(0, i);
            buffer = buffer.slice(i + 1);
            if (line === '') continue;
            const event = JSON.parse(line) as { out?: string; err?: string; exit?: number };
            if (event.out !== undefined) streams.out(event.out);
            if (event.err !== undefined) streams.err(event.err);
            if (event.exit !== undefined) finish(event.exit);
          }
        });
        res.on('end', () =>
          finish(
            5,
            `${where} closed the connection before the command finished; it may or may not have been applied`,
          ),
        );
      },
    );
    req.setTimeout(SERVER_ANSWER_MS, () =>
      finish(5, `${where} did not answer within ${SERVER_ANSWER_MS / 1000} s`),
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED'
        ? finish('gone')
        : finish(5, `${where} cannot be reached (${error.code ?? error.message})`),
    );
    req.end(body);
  });
}
