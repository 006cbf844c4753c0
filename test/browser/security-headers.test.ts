// The web app and the API documentation render in Chromium under the server's security headers:
// no script or style the Content-Security-Policy blocks, no inline script allowed at all.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
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
if (skipReason !== undefined) console.warn(`browser CSP test skipped: ${skipReason}`);

/** Opens `url`, collecting every CSP violation and page error it causes. */
async function visit(page: Page, url: string): Promise<string[]> {
  const problems: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  const response = await page.goto(url);
  expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
  return problems;
}

describe.skipIf(skipReason !== undefined)('pages under the security headers', () => {
  let db: TestDatabase;
  let app: FastifyInstance;
  let browser: BrowserHandle;
  let base: string;
  let password: string;

  /** A page signed in (the session cookie set through the API), so the app shows its table. */
  async function signedInPage() {
    const page = await browser.newPage();
    await page.context().clearCookies();
    const res = await page.request.post(`${base}/api/v1/session`, {
      data: { email: 'analyst@attache.test', password },
    });
    expect(res.status()).toBe(200);
    return page;
  }

  beforeAll(async () => {
    if (!existsSync(join(WEB_DIST, 'index.html')))
      throw new Error(`the web app is not built (${WEB_DIST}): run npm run build:web`);
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

  it('renders the web app with nothing blocked', async () => {
    const page = await signedInPage();
    const problems = await visit(page, `${base}/`);
    await page.getByTestId('imet-PAK').waitFor({ timeout: 30_000 });
    await screenshot(page, join(tmpdir(), 'attache-csp', 'app.png'));
    expect(problems).toEqual([]);
  });

  it('renders Swagger UI with every operation and nothing blocked', async () => {
    const page = await browser.newPage();
    const problems = await visit(page, `${base}/docs`);
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThan(40);
    expect(await page.locator('.info .title').textContent()).toMatch(/Attaché API/);
    await screenshot(page, join(tmpdir(), 'attache-csp', 'docs.png'));
    expect(problems).toEqual([]);
  });

  it('blocks an inline script a page would carry', async () => {
    const page = await signedInPage();
    const problems = await visit(page, `${base}/`);
    await page.getByTestId('imet-PAK').waitFor({ timeout: 30_000 });
    // As injected markup would: an inline script element added to the page.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'document.body.dataset.injected = "ran"';
      document.body.append(script);
    });
    expect(await page.evaluate(() => document.body.dataset['injected'])).toBeUndefined();
    expect(problems.join('\n')).toMatch(/CSP violation: script-src/);
  });
});
