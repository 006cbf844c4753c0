// Poppler (pdftoppm, pdftotext) for the PDF tests: optional on a workstation, required in CI.
import { spawnSync } from 'node:child_process';
import type { TestContext } from 'vitest';

function has(tool: string): boolean {
  return spawnSync('which', [tool]).status === 0;
}
const popplerMissing = ['pdftoppm', 'pdftotext'].filter((tool) => !has(tool));

/** Skips the test (saying why) without poppler; in CI, where a skip would hide a broken PDF, fails. */
export function needPoppler(ctx: TestContext): void {
  if (popplerMissing.length === 0) return;
  const reason = `${popplerMissing.join(' and ')} not found (install poppler-utils)`;
  if (process.env.CI === 'true') throw new Error(`CI must run the PDF checks: ${reason}`);
  console.warn(`skipping PDF render check: ${reason}`);
  ctx.skip(reason);
}

/** Runs a tool and returns its standard output; throws with its error output when it fails. */
export function run(tool: string, args: readonly string[]): string {
  const result = spawnSync(tool, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${tool} failed: ${result.stderr}`);
  return result.stdout;
}
