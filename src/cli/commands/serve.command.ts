// `attache serve`: the HTTP service (what `npm start` runs), with a graceful stop on SIGTERM/SIGINT;
// command lines beside it on its embedded data dir run through it.
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { FastifyServerOptions } from 'fastify';
import { buildApp } from '../../api/server.js';
import { systemActor } from '../../core/actor.js';
import { loadOidcSettings } from '../../services/access/oidc-config.js';
import { singleSignOn } from '../../services/access/sso.service.js';
import { loadHttpPolicy, type AppConfig } from '../../services/config.js';
import {
  createDemoAccounts,
  describeDemoAccounts,
  type DemoAccount,
} from '../../services/demo/demo-accounts.js';
import { isEmpty, loadDemoIfEmpty, type DemoSummary } from '../../services/demo/demo.service.js';
import { configFromEnv, openForCli, runAsInvocation } from '../context.js';
import { CliFailure, EXIT, failureOf } from '../output.js';

/** Human-readable logs on a terminal (pino's own pretty transport), JSON lines otherwise. */
function loggerFor(config: AppConfig, tty: boolean): FastifyServerOptions['logger'] {
  if (!tty) return { level: config.logLevel };
  return {
    level: config.logLevel,
    transport: {
      target: 'pino-pretty',
      options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,reqId' },
    },
  };
}

/** The address a person on this machine opens: a wildcard host is reached on localhost. */
function localAddress(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${name.includes(':') ? `[${name}]` : name}:${port}`;
}

function demoLine(demo: DemoSummary | null | undefined): string {
  if (demo === undefined)
    return 'not asked for (start with --demo to load it into an empty database)';
  if (demo === null) return 'the database already holds program data; nothing loaded';
  return (
    `loaded ${demo.allocations} allocations, ${demo.courses} courses, ${demo.restrictions} restrictions ` +
    `with ${demo.reliefs} reliefs, ${demo.trainingLines} training lines with ${demo.seats} seats, ` +
    `${demo.students} students`
  );
}

/** Where demo mode writes its accounts: the data dir, or ./data beside a PostgreSQL database. */
function demoAccountsFile(config: ReturnType<typeof configFromEnv>): string {
  return config.store.kind === 'pglite'
    ? join(config.store.dataDir, 'demo-accounts.txt')
    : resolve('data', 'demo-accounts.txt');
}

function writeDemoAccounts(file: string, accounts: readonly DemoAccount[]): void {
  mkdirSync(dirname(file), { recursive: true });
  const text = [
    '# Attaché demo accounts, one per role. Sign in at the web app or POST /api/v1/session.',
    '# Only the password hashes are in the database: keep this file or lose the passwords.',
    ...describeDemoAccounts(accounts),
    '',
  ].join('\n');
  // Whole or not at all: written beside it, on disk, then renamed over it.
  const partial = `${file}.partial`;
  const fd = openSync(partial, 'w', 0o600);
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(partial, 0o600);
  renameSync(partial, file);
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the API, its docs and the web app on PORT (default 8080)')
    .option('--demo', 'load the demo data first when the database is empty')
    .action(async (opts: { demo?: boolean }) => {
      const config = configFromEnv();
      const http = loadHttpPolicy(process.env);
      if (!http.ok) throw new CliFailure(http.error, EXIT.badInput);
      const oidc = loadOidcSettings(process.env);
      if (!oidc.ok) throw new CliFailure(oidc.error, EXIT.badInput);
      const tty = process.stdout.isTTY;
      const ctx = await openForCli(config);
      let app: Awaited<ReturnType<typeof buildApp>> | undefined;
      let demo: DemoSummary | null | undefined;
      let accounts: { list: DemoAccount[]; file: string } | undefined;
      // The secret of this start, named in the data dir lock once the server listens.
      const channel: { secret?: string } = {};
      try {
        if (opts.demo === true) {
          if (tty && (await isEmpty(ctx)))
            process.stdout.write('Attaché: loading the demo into the empty database…\n');
          const loaded = await loadDemoIfEmpty(ctx, systemActor('demo'));
          if (!loaded.ok) throw failureOf(loaded.error);
          demo = loaded.value;
          const file = demoAccountsFile(config);
          const made = await createDemoAccounts(ctx, systemActor('demo'), (list) =>
            writeDemoAccounts(file, list),
          );
          if (!made.ok) throw failureOf(made.error);
          if (made.value !== null) accounts = { list: made.value, file };
        }
        app = await buildApp(ctx, {
          logger: loggerFor(config, tty),
          http: http.value,
          jobs: {},
          ...(oidc.value === undefined ? {} : { sso: singleSignOn(oidc.value) }),
          localCommands: {
            secret: () => channel.secret,
            run: async (command, output) => {
              if (command.argv[0] === 'serve') {
                output.err('attache: serve: this server already holds the data dir');
                return EXIT.unavailable;
              }
              const { runCli } = await import('../program.js');
              return runAsInvocation({ ctx, actor: command.actor, cwd: command.cwd }, () =>
                runCli(command.argv, output),
              );
            },
          },
        });
        await app.listen({ port: config.port, host: config.host });
      } catch (error) {
        await app?.close();
        await ctx.store.close();
        if ((error as { code?: unknown }).code === 'EADDRINUSE') {
          throw new CliFailure(
            `PORT: ${config.port} is already in use on ${config.host}`,
            EXIT.unavailable,
          );
        }
        throw error;
      }
      const running = app;
      const address = running.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : config.port;
      const secret = ctx.store.advertise?.(port);
      if (secret !== undefined) channel.secret = secret;
      const web = localAddress(config.host, port);
      const started = {
        web: `${web}/`,
        docs: `${web}/docs`,
        database: `${ctx.store.backend === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'} at ${ctx.store.location}`,
        demo: demoLine(demo),
        ...(accounts === undefined ? {} : { demoAccounts: accounts.file }),
        commandLine: secret === undefined ? 'direct' : 'through this server',
      };
      if (tty) {
        process.stdout.write(
          [
            '',
            `Attaché is running.`,
            `  web app   ${started.web}`,
            `  API docs  ${started.docs}`,
            `  database  ${started.database}`,
            `  demo      ${started.demo}`,
            ...(accounts === undefined
              ? []
              : [
                  '',
                  '  Demo accounts, one per role (shown this once; also in',
                  `  ${accounts.file}, readable by you only):`,
                  ...describeDemoAccounts(accounts.list).map((line) => `    ${line}`),
                ]),
            ...(secret === undefined
              ? []
              : ['  `attache …` commands on this data dir now run through this server.']),
            '  Stop with Ctrl+C.',
            '',
            '',
          ].join('\n'),
        );
      } else {
        running.log.info(started, 'Attaché is running');
      }
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        running.log.info({ signal }, 'stopping: finishing in-flight requests');
        running
          .close()
          .then(() => ctx.store.close())
          .then(() => {
            running.log.info('stopped; database closed');
            process.exit(0);
          })
          .catch((error: unknown) => {
            running.log.error({ err: error }, 'unclean stop');
            process.exit(1);
          });
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
}
