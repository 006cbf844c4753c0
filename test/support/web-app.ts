// The web app served by the real server on the demo data, with Chromium to look at it and an
// analyst who may sign in: what every browser test starts from.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { WEB_DIST, buildApp } from '../../src/api/server.js';
import { systemActor } from '../../src/core/actor.js';
import { addUser } from '../../src/services/access/account.service.js';
import { isSkipped, launchBrowser, type BrowserHandle } from './browser.js';
import { fixedClock, openTestDatabase, type TestDatabase } from './databases.js';

export interface WebApp {
  readonly db: TestDatabase;
  readonly app: FastifyInstance;
  readonly browser: BrowserHandle;
  /** Where the server listens, e.g. http://127.0.0.1:41234. */
  readonly base: string;
  /** An analyst's sign-in. */
  readonly email: string;
  readonly password: string;
  /** A new page with no session: the cookies of earlier pages are cleared. */
  newPage(): ReturnType<BrowserHandle['newPage']>;
  /** A new page signed in through the API (the session cookie set), without the form. */
  signedInPage(): ReturnType<BrowserHandle['newPage']>;
  close(): Promise<void>;
}

/** Starts the server on a fresh demo database (the clock fixed on `now`) and a browser. */
export async function openWebApp(now = '2026-11-27T12:00:00.000Z'): Promise<WebApp> {
  if (!existsSync(join(WEB_DIST, 'index.html')))
    throw new Error(
      `the web app is not built (${WEB_DIST}): npm install builds it, or run npm run build:web`,
    );
  const db = await openTestDatabase('demo', { clock: fixedClock(now) });
  const email = 'analyst@attache.test';
  const added = await addUser(db.ctx, systemActor('test'), { email, role: 'analyst' });
  if (!added.ok) throw new Error(added.error.message);
  const password = added.value.password;
  const app = await buildApp(db.ctx);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const launched = await launchBrowser();
  if (isSkipped(launched)) throw new Error(launched.skipped);
  const browser = launched;
  const newPage = async () => {
    const page = await browser.newPage();
    await page.context().clearCookies();
    return page;
  };
  return {
    db,
    app,
    browser,
    base,
    email,
    password,
    newPage,
    async signedInPage() {
      const page = await newPage();
      const res = await page.request.post(`${base}/api/v1/session`, {
        data: { email, password },
      });
      if (res.status() !== 200)
        throw new Error(`sign-in through the API answered ${res.status()}: ${await res.text()}`);
      return page;
    },
    async close() {
      await browser.close();
      await app.close();
      await db.close();
    },
  };
}
