// The web app in Chromium against the real server on the demo data: Pakistan with its FY2008 IMET.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, screenshot } from '../support/browser.js';
import { openWebApp, type WebApp } from '../support/web-app.js';

const skipReason = browserSkipReason();
if (skipReason !== undefined) console.warn(`browser smoke test skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('web app', () => {
  let web: WebApp;

  /** A page signed in through the form, as a person would. */
  async function signedInByForm() {
    const page = await web.newPage();
    await page.goto(`${web.base}/countries`);
    await page.getByLabel('Email').fill(web.email);
    await page.getByLabel('Password').fill(web.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 30_000 });
    return page;
  }

  beforeAll(async () => {
    web = await openWebApp();
  }, 120_000);

  afterAll(async () => {
    await web?.close();
  });

  it('lists Pakistan with its FY2008 IMET allocation (the enacted table) and the suspension in force', async () => {
    const page = await signedInByForm();
    const imet = page.getByTestId('imet-PAK');
    await imet.waitFor({ timeout: 30_000 });
    const text = await imet.textContent();
    expect(text).toContain('$2,129,000');
    expect(text).toContain('FY2008');
    expect(await page.getByTestId('restrictions-PAK').textContent()).toMatch(/Restricted/);
    expect(await page.getByTestId('imet-IND').textContent()).toMatch(/FY2008/);
    expect(await page.getByTestId('restrictions-IND').textContent()).not.toMatch(/Restricted/);
    await screenshot(page, join(tmpdir(), 'attache-smoke', 'countries.png'));
  });

  it('serves the app for deep links, and problem JSON for unknown API routes', async () => {
    const page = await signedInByForm();
    const response = await page.goto(`${web.base}/countries/PAK`);
    expect(response?.status()).toBe(200);
    expect(await page.title()).toMatch(/Attaché/);
    const api = await page.request.get(`${web.base}/api/v1/countries/XYZ`);
    expect(api.status()).toBe(404);
    expect(await api.json()).toMatchObject({ code: 'COUNTRY.NOT_FOUND' });
  });
});
