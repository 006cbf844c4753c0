// Progress of a long command on standard error: a cli-progress bar on a terminal, plain lines otherwise.
import cliProgress from 'cli-progress';
import type { ProgressListener } from '../core/imports/import-report.js';

export interface Progress {
  readonly update: ProgressListener;
  /** Ends the bar (or prints the last line); safe to call twice. */
  stop(): void;
}

/**
 * A progress reporter for `label`. On a TTY it draws a bar that redraws in place; elsewhere (a
 * pipe, a log, CI) it prints a line when a tenth more is done and at the end, so logs stay short.
 */
export function progressOn(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY === true) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} {note}`,
        stream,
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    let stopped = false;
    return {
      update: (done, total, note = '') => {
        if (!started) {
          bar.start(total, done, { note });
          started = true;
        } else bar.update(done, { note });
        bar.setTotal(total);
      },
      stop: () => {
        if (started && !stopped) bar.stop();
        stopped = true;
      },
    };
  }
  let lastTenth = -1;
  let last: [number, number] | undefined;
  let stopped = false;
  return {
    update: (done, total, note) => {
      last = [done, total];
      const tenth = total === 0 ? 10 : Math.floor((done * 10) / total);
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      stream.write(
        `${label}: ${done}/${total}${note === undefined || note === '' ? '' : ` ${note}`}\n`,
      );
    },
    stop: () => {
      if (!stopped && last !== undefined && lastTenth !== 10)
        stream.write(`${label}: ${last[0]}/${last[1]}\n`);
      stopped = true;
    },
  };
}
