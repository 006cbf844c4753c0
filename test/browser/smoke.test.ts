// The web app in Chromium against the real server on the demo data: Pakistan with its FY2017 IMET.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST, buildApp } from '../../src/api/server.js';
import { systemActor } from '../../src/core/actor.js';
import { addUser } from '../../src/services/access/account.service.js';
import {
  browserSkipReason,
  isSkipped,
  launchBrowser,
  screenshot,
  type BrowserHandle,
} from '../support/browser.js';
import { fixedClock, openTestDatabase, type TestDatabase } from '../support/databases.js';

const skipReason = browserSkipReason();
if (skipReason !== undefined) console.warn(`browser smoke test skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('web app', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let browser: BrowserHandle;
  let base: string;
  let password: string;

  /** Signs in through the page's form, as a person would. */
  async function signIn(page: Awaited<ReturnType<BrowserHandle['newPage']>>): Promise<void> {
    await page.context().clearCookies();
    await page.goto(`${base}/`);
    await page.getByLabel('Email').fill('analyst@attache.test');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as analyst@attache.test').waitFor({ timeout: 30_000 });
  }

  beforeAll(async () => {
    if (!existsSync(join(WEB_DIST, 'index.html'))) {
      throw new Error(
        `the web app is not built (${WEB_DIST}): npm install builds it, or run npm run build:web`,
      );
    }
    db = await openTestDatabase('demo', { clock: fixedClock('2026-11-27T12:00:00.000Z') });
    const added = await addUser(db.ctx, systemActor('test'), {
      email: 'analyst@attache.test',
      role: 'analyst',
    });
    if (!added.ok) throw new Error(added.error.message);
    password = added.value.password;
    app = await buildApp(db.ctx);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    const launched = await launchBrowser();
    if (isSkipped(launched)) throw new Error(launched.skipped);
    browser = launched;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.close();
  });

  it('lists Pakistan with its FY2017 IMET allocation and the suspension in force', async () => {
    const page = await browser.newPage();
    await signIn(page);
    const imet = page.getByTestId('imet-PAK');
    await imet.waitFor({ timeout: 30_000 });
    const text = await imet.textContent();
    expect(text).toContain('$4,800,000');
    expect(text).toContain('FY2017');
    expect(await page.getByTestId('restrictions-PAK').textContent()).toMatch(/Restricted/);
    expect(await page.getByTestId('imet-IND').textContent()).toMatch(/FY2017/);
    expect(await page.getByTestId('restrictions-IND').textContent()).not.toMatch(/Restricted/);
    await screenshot(page, join(tmpdir(), 'attache-smoke', 'countries.png'));
  });

  it('serves the app for deep links, and problem JSON for unknown API routes', async () => {
    const page = await browser.newPage();
    await signIn(page);
    const response = await page.goto(`${base}/countries/PAK`);
    expect(response?.status()).toBe(200);
    expect(await page.title()).toMatch(/Attaché/);
    const api = await page.request.get(`${base}/api/v1/countries/XYZ`);
    expect(api.status()).toBe(404);
    expect(await api.json()).toMatchObject({ code: 'COUNTRY.NOT_FOUND' });
  });
});
