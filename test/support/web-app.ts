// The web app served by the real server on the demo data, with Chromium to look at it and an
// analyst who may sign in: what every browser test starts from.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { WEB_DIST, buildApp } from '../../src/api/server.js';
import { systemActor } from '../../src/core/actor.js';
import { createDemoAccounts } from '../../src/services/demo/demo-accounts.js';
import { isSkipped, launchBrowser, type BrowserHandle } from './browser.js';
import { fixedClock, openTestDatabase, type TestDatabase } from './databases.js';

/** The demo's accounts, one per role (DESIGN §2): the SCO is Pakistan's, the IMSO CGSC's. */
export const DEMO_LOGINS = {
  admin: 'admin@demo.attache',
  pm: 'pm@demo.attache',
  sco: 'sco.pak@demo.attache',
  imso: 'imso.cgsc@demo.attache',
  analyst: 'analyst@demo.attache',
} as const;
export type DemoLogin = keyof typeof DEMO_LOGINS;

export interface WebApp {
  readonly db: TestDatabase;
  readonly app: FastifyInstance;
  readonly browser: BrowserHandle;
  /** Where the server listens, e.g. http://127.0.0.1:41234. */
  readonly base: string;
  /** An analyst's sign-in. */
  readonly email: string;
  readonly password: string;
  /** The password of each demo account. */
  readonly passwords: Readonly<Record<DemoLogin, string>>;
  /** A new page with no session: the cookies of earlier pages are cleared. */
  newPage(): ReturnType<BrowserHandle['newPage']>;
  /** A new page signed in through the API (the session cookie set), without the form. */
  signedInPage(): ReturnType<BrowserHandle['newPage']>;
  /** A new page signed in through the API as a demo account. */
  signedInAs(who: DemoLogin): ReturnType<BrowserHandle['newPage']>;
  close(): Promise<void>;
}

/** Starts the server on a fresh demo database (the clock fixed on `now`) and a browser. */
export async function openWebApp(now = '2026-11-27T12:00:00.000Z'): Promise<WebApp> {
  if (!existsSync(join(WEB_DIST, 'index.html')))
    throw new Error(
      `the web app is not built (${WEB_DIST}): npm install builds it, or run npm run build:web`,
    );
  const db = await openTestDatabase('demo', { clock: fixedClock(now) });
  const made = await createDemoAccounts(db.ctx, systemActor('test'));
  if (!made.ok) throw new Error(made.error.message);
  if (made.value === null) throw new Error('the demo database already has accounts');
  const passwordOf = (email: string) => {
    const account = made.value?.find((a) => a.email === email);
    if (account === undefined) throw new Error(`no demo account ${email}`);
    return account.password;
  };
  const passwords = Object.fromEntries(
    Object.entries(DEMO_LOGINS).map(([who, email]) => [who, passwordOf(email)]),
  ) as Record<DemoLogin, string>;
  const email = DEMO_LOGINS.analyst;
  const password = passwords.analyst;
  // Jobs run as under `attache serve` (reports and imports are made in the background).
  const app = await buildApp(db.ctx, { jobs: { pollSeconds: 0.5, progressEveryMs: 100 } });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const launched = await launchBrowser();
  if (isSkipped(launched)) throw new Error(launched.skipped);
  const browser = launched;
  const newPage = async () => {
    const page = await browser.newPage();
    await page.context().clearCookies();
    return page;
  };
  const signIn = async (login: string, secret: string) => {
    const page = await newPage();
    const res = await page.request.post(`${base}/api/v1/session`, {
      data: { email: login, password: secret },
    });
    if (res.status() !== 200)
      throw new Error(`sign-in through the API answered ${res.status()}: ${await res.text()}`);
    return page;
  };
  return {
    db,
    app,
    browser,
    base,
    email,
    password,
    passwords,
    newPage,
    signedInPage: () => signIn(email, password),
    signedInAs: (who) => signIn(DEMO_LOGINS[who], passwords[who]),
    async close() {
      await browser.close();
      await app.close();
      await db.close();
    },
  };
}
