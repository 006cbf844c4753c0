// Single sign-on in Chromium, as a person does it: the button on the sign-in page, the provider's
// login and consent forms, and back in Attaché signed in with the role and country the provider
// gave (the session cookie, set on the provider's cross-site redirect, is sent by the page).
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST, buildApp } from '../../src/api/server.js';
import { singleSignOn } from '../../src/services/access/sso.service.js';
import {
  browserSkipReason,
  isSkipped,
  launchBrowser,
  screenshot,
  type BrowserHandle,
} from '../support/browser.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.js';

const skipReason = browserSkipReason();
if (skipReason !== undefined) console.warn(`browser single sign-on test skipped: ${skipReason}`);

/** A port free now, for a server that must know its own URL before it listens. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe.skipIf(skipReason !== undefined)('single sign-on in the web app', () => {
  let db: TestDatabase;
  let idp: TestProvider;
  let app: FastifyInstance;
  let browser: BrowserHandle;
  let base: string;

  beforeAll(async () => {
    if (!existsSync(join(WEB_DIST, 'index.html')))
      throw new Error(`the web app is not built (${WEB_DIST}): run npm run build:web`);
    db = await openTestDatabase('demo');
    base = `http://127.0.0.1:${await freePort()}`;
    idp = await startTestProvider(`${base}/api/v1/session/oidc/callback`);
    idp.accounts.set('sco-pak', {
      email: 'sco.pak@agency.gov',
      email_verified: true,
      name: 'Ayesha Khan',
      attache_role: 'sco',
      attache_countries: ['PAK'],
    });
    app = await buildApp(db.ctx, { sso: singleSignOn(idp.settings()) });
    await app.listen({ port: Number(new URL(base).port), host: '127.0.0.1' });
    const launched = await launchBrowser();
    if (isSkipped(launched)) throw new Error(launched.skipped);
    browser = launched;
    // Nothing leaves this machine (the provider's pages ask for a web font).
    await browser.context.route('**/*', (route) =>
      new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort(),
    );
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await idp?.close();
    await db?.close();
  });

  it('signs an SCO in through the provider and back, scoped to Pakistan', async () => {
    const shots = join(tmpdir(), 'attache-sso');
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    const button = page.getByRole('link', { name: 'Sign in with Test IdP' });
    await button.waitFor({ timeout: 30_000 });
    await screenshot(page, join(shots, '1-sign-in.png'));
    await button.click();
    await page.locator('input[name="login"]').fill('sco-pak');
    await page.locator('input[name="password"]').fill('any');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page
      .getByText('sco.pak@agency.gov · security cooperation officer: PAK')
      .waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe('/');
    await screenshot(page, join(shots, '2-signed-in.png'));
    const cookies = await browser.context.cookies(base);
    expect(cookies.find((c) => c.name === 'attache_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });
    expect(cookies.find((c) => c.name === 'attache_sso')).toBeUndefined();
  });

  it('shows a person the provider admits to no role a page saying so', async () => {
    idp.accounts.set('visitor', { email: 'visitor@agency.gov', attache_role: 'visitor' });
    const page = await browser.newPage();
    await page.context().clearCookies();
    await page.goto(`${base}/api/v1/session/oidc`);
    await page.locator('input[name="login"]').fill('visitor');
    await page.locator('input[name="password"]').fill('any');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Not allowed' }).waitFor({ timeout: 30_000 });
    expect(await page.textContent('body')).toContain('grants you no Attaché role');
    await screenshot(page, join(join(tmpdir(), 'attache-sso'), '3-refused.png'));
  });
});
