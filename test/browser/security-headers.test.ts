// The web app and the API documentation render in Chromium under the server's security headers:
// no script or style the Content-Security-Policy blocks, no inline script allowed at all.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, screenshot } from '../support/browser.js';
import { openWebApp, type WebApp } from '../support/web-app.js';

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
  let web: WebApp;

  beforeAll(async () => {
    web = await openWebApp();
  }, 120_000);

  afterAll(async () => {
    await web?.close();
  });

  it('renders the web app with nothing blocked', async () => {
    const page = await web.signedInPage();
    // The map (SVG drawn by d3, its batch question a POST), the list, a country's charts.
    const problems = await visit(page, `${web.base}/`);
    await page.locator('svg[data-on][data-program="IMET"]').waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: 'Countries', exact: true }).click();
    await page.getByTestId('imet-PAK').waitFor({ timeout: 30_000 });
    await page.getByRole('link', { name: 'Pakistan' }).click();
    await page.getByTestId('verdict').waitFor({ timeout: 30_000 });
    await screenshot(page, join(tmpdir(), 'attache-csp', 'app.png'));
    expect(problems).toEqual([]);
  });

  it('renders Swagger UI with every operation and nothing blocked', async () => {
    const page = await web.newPage();
    const problems = await visit(page, `${web.base}/docs`);
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThan(40);
    expect(await page.locator('.info .title').textContent()).toMatch(/Attaché API/);
    await screenshot(page, join(tmpdir(), 'attache-csp', 'docs.png'));
    expect(problems).toEqual([]);
  });

  it('blocks an inline script a page would carry', async () => {
    const page = await web.signedInPage();
    const problems = await visit(page, `${web.base}/countries`);
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
