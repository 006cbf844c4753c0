// Browser-test harness: a headless Debian Chromium with a throwaway profile, skipped locally and required under CI.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Where the browser lives; `CHROMIUM_PATH` overrides it on machines without Debian's package. */
export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

// Flags keep a headless run quiet, offline except for what the test asks, and root-safe in containers.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface BrowserHandle {
  readonly context: BrowserContext;
  /** The temporary profile directory, removed by close(). */
  readonly profileDir: string;
  /** A new tab in the shared context. */
  newPage(): Promise<Page>;
  /** Closes the browser and deletes its temporary profile; safe to call twice. */
  close(): Promise<void>;
}

export interface BrowserSkipped {
  readonly skipped: string;
}

/**
 * Why browser tests cannot run here, or undefined when they can.
 * Under CI (`CI=true`) a missing browser is a broken environment, so this throws instead:
 * browser tests must never pass by being skipped there.
 * Call it at collection time for `it.skipIf(browserSkipReason())`.
 */
export function browserSkipReason(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  const reason = `Chromium not found at ${chromiumPath} (install it, e.g. apt-get install chromium, or set CHROMIUM_PATH)`;
  if (process.env['CI'] === 'true')
    throw new Error(`${reason}; browser tests may not be skipped under CI`);
  return reason;
}

/** Launches Chromium with a fresh profile, or says why it was skipped (never under CI: see browserSkipReason). */
export async function launchBrowser(): Promise<BrowserHandle | BrowserSkipped> {
  const skipped = browserSkipReason();
  if (skipped !== undefined) return { skipped };

  const profileDir = await mkdtemp(join(tmpdir(), 'attache-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless: true,
      args: chromiumArgs,
    });
  } catch (error) {
    await rm(profileDir, { recursive: true, force: true });
    throw new Error(`could not launch Chromium at ${chromiumPath}`, { cause: error });
  }

  let closed = false;
  return {
    context,
    profileDir,
    newPage: () => context.newPage(),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await context.close();
      } finally {
        await rm(profileDir, { recursive: true, force: true });
      }
    },
  };
}

/** True when launchBrowser returned a skip reason rather than a browser. */
export function isSkipped(result: BrowserHandle | BrowserSkipped): result is BrowserSkipped {
  return 'skipped' in result;
}

/** Saves a full-page PNG at `path` (directories are created) and returns the path. */
export async function screenshot(page: Page, path: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
  return path;
}
