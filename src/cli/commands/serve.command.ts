// `attache serve`: the HTTP service (what `npm start` runs), with a graceful stop on SIGTERM/SIGINT.
import type { Command } from 'commander';
import { buildApp } from '../../api/server.js';
import { systemActor } from '../../core/actor.js';
import { loadDemoIfEmpty } from '../../services/demo.service.js';
import { configFromEnv, openForCli } from '../context.js';
import { CliFailure, EXIT, failureOf } from '../output.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the API, its docs and the web app on PORT (default 8080)')
    .option('--demo', 'load the demo data first when the database is empty')
    .action(async (opts: { demo?: boolean }) => {
      const config = configFromEnv();
      const ctx = await openForCli(config);
      let app: Awaited<ReturnType<typeof buildApp>> | undefined;
      try {
        if (opts.demo === true) {
          const loaded = await loadDemoIfEmpty(ctx, systemActor('demo'));
          if (!loaded.ok) throw failureOf(loaded.error);
        }
        app = await buildApp(ctx, { logger: { level: config.logLevel } });
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
