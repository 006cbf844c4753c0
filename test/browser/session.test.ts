// Signing in and out of the web app as each demo role, what each role is offered, a session that
// ends under the page, and the frame every page shares (skip link, navigation, narrow screens).
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/store/raw-sql.js';
import { browserSkipReason } from '../support/browser.js';
import { saveArtifact, seriousViolations } from '../support/web-checks.js';
import { DEMO_LOGINS, openWebApp, type DemoLogin, type WebApp } from '../support/web-app.js';

const skipReason = browserSkipReason();
if (skipReason !== undefined) console.warn(`browser session test skipped: ${skipReason}`);

/** The main navigation each role is offered: writes and the audit log only where granted. */
/** What an administrator and a program manager are offered alike. */
const MANAGING = [
  'Dashboard',
  'Countries',
  'Decisions',
  'Seats',
  'Re-programming',
  'Students',
  'Reports',
  'Import',
  'Audit',
];

const NAVIGATION: Readonly<Record<DemoLogin, readonly string[]>> = {
  admin: MANAGING,
  pm: MANAGING,
  sco: ['Dashboard', 'Countries', 'Seats', 'Students', 'Reports', 'Import'],
  imso: ['Dashboard', 'Countries', 'Seats', 'Students', 'Reports'],
  analyst: ['Dashboard', 'Countries', 'Seats', 'Re-programming', 'Students', 'Reports', 'Audit'],
};

const ROLE_WORDS: Readonly<Record<DemoLogin, string>> = {
  admin: 'administrator',
  pm: 'program manager',
  sco: 'security cooperation officer: PAK',
  imso: 'international student officer: CGSC',
  analyst: 'analyst (read-only)',
};

describe.skipIf(skipReason !== undefined)('signing in to the web app', () => {
  let web: WebApp;

  beforeAll(async () => {
    web = await openWebApp();
  }, 120_000);

  afterAll(async () => {
    await web?.close();
  });

  it.each(Object.keys(DEMO_LOGINS) as DemoLogin[])(
    'signs in as the demo %s through the form, offers what the role may do, and signs out',
    async (who) => {
      const page = await web.newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(`${web.base}/countries`);
      await page.getByLabel('Email').fill(DEMO_LOGINS[who]);
      await page.getByLabel('Password').fill(web.passwords[who]);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const signOut = page.getByRole('button', { name: 'Sign out' });
      await signOut.waitFor({ timeout: 30_000 });
      // The address asked for is the page shown after signing in.
      await page.getByRole('heading', { level: 1, name: 'Countries' }).waitFor();
      expect(await page.locator('.who').textContent()).toContain(
        `${DEMO_LOGINS[who]} · ${ROLE_WORDS[who]}`,
      );
      const nav = page.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link').allTextContents()).toEqual(NAVIGATION[who]);
      expect(await seriousViolations(page)).toEqual([]);

      await signOut.click();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
      // The session is gone on the server too, not only from the page.
      expect((await page.request.get(`${web.base}/api/v1/session`)).status()).toBe(401);
      await saveArtifact(page, `session-signed-out-${who}`);
    },
  );

  it('refuses a wrong password in words, and the sign-in page passes axe at 390 px', async () => {
    const page = await web.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${web.base}/`);
    await page.getByLabel('Email').fill(web.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    expect(await horizontalOverflow(page)).toBe(false);
    await saveArtifact(page, 'session-sign-in-narrow');
  });

  it('says the session ended when it expires under the page, and returns to the page after signing in again', async () => {
    const page = await web.signedInAs('pm');
    await page.goto(`${web.base}/countries`);
    await page.getByRole('link', { name: 'Pakistan' }).waitFor({ timeout: 30_000 });
    // The server ends every session of the account, as an expiry or an administrator would.
    await queryRows(
      web.db.store.db,
      sql`update sessions set expires_at = '2000-01-01T00:00:00Z'
          where user_id = (select id from users where email = ${DEMO_LOGINS.pm}) returning 1`,
    );
    await page.getByRole('link', { name: 'Pakistan' }).click();
    const notice = page.getByText('Your session has ended');
    await notice.waitFor({ timeout: 30_000 });
    expect(page.url()).toBe(`${web.base}/countries/PAK`);
    await saveArtifact(page, 'session-expired');
    await page.getByLabel('Email').fill(DEMO_LOGINS.pm);
    await page.getByLabel('Password').fill(web.passwords.pm);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: 30_000 });
    expect(page.url()).toBe(`${web.base}/countries/PAK`);
  });

  it('lets the keyboard skip to the page and follow the navigation; an unknown address says so', async () => {
    const page = await web.signedInAs('analyst');
    await page.goto(`${web.base}/countries`);
    await page.getByRole('link', { name: 'Pakistan' }).waitFor({ timeout: 30_000 });
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      'Skip to main content',
    );
    await page.keyboard.press('Enter');
    expect(page.url()).toBe(`${web.base}/countries#main`);
    // Pakistan's row links to its page; Enter on the link follows it.
    await page.getByRole('link', { name: 'Pakistan' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${web.base}/countries/PAK`);
    await page.goto(`${web.base}/no/such/page`);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('says the server cannot be reached when the network fails, and loads on Try again', async () => {
    const page = await web.signedInAs('analyst');
    await page.route('**/api/v1/countries', (route) => route.abort('internetdisconnected'));
    await page.goto(`${web.base}/countries`);
    const alert = page.getByRole('alert').filter({ hasText: 'could not be reached' });
    await alert.waitFor({ timeout: 30_000 });
    await saveArtifact(page, 'network-failure');
    await page.unroute('**/api/v1/countries');
    await alert.getByRole('button', { name: 'Try again' }).click();
    await page.getByTestId('imet-PAK').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('shows the country list with reliefs, readable at 390 px', async () => {
    const page = await web.signedInAs('pm');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${web.base}/countries`);
    const pakistan = page.getByTestId('restrictions-PAK');
    await pakistan.waitFor({ timeout: 30_000 });
    // Pakistan's IMET has been relieved since 2020: the list says so beside the suspension.
    expect(await pakistan.textContent()).toMatch(/Relieved.*IMET/);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await horizontalOverflow(page, 'main > :not(section)')).toBe(false);
    await saveArtifact(page, 'countries-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
    await saveArtifact(page, 'countries');
  });
});

/** Whether the page is wider than the window (content running off the side), tables aside. */
async function horizontalOverflow(page: Page, selector = 'body'): Promise<boolean> {
  // A string: the test's types have no DOM; it runs in the page.
  const overflow = await page.evaluate(`
    [...document.querySelectorAll(${JSON.stringify(selector)})].some(
      (el) => el.getBoundingClientRect().right > window.innerWidth + 1,
    ) || document.documentElement.scrollWidth > window.innerWidth + 1`);
  return overflow === true;
}
