// The students pages in Chromium against the real server on the demo data: the SCO for Pakistan
// finds an officer by another spelling, clears his red gate by recording the missing screening,
// issues the travel order and downloads its PDF; scope keeps other countries' and schools'
// students out of sight.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason } from '../support/browser.js';
import { DEMO_LOGINS, openWebApp, type DemoLogin, type WebApp } from '../support/web-app.js';
import { ARTIFACTS_DIR, saveArtifact, seriousViolations } from '../support/web-checks.js';

const skipReason = browserSkipReason();
if (skipReason !== undefined) console.warn(`students browser test skipped: ${skipReason}`);

const WAIT = { timeout: 30_000 };

interface Profile {
  student: { id: string };
  screenings: { kind: string }[];
  seats: { id: string; status: string }[];
}

describe.skipIf(skipReason !== undefined)('students pages', () => {
  let web: WebApp;

  beforeAll(async () => {
    web = await openWebApp();
  }, 180_000);

  afterAll(async () => {
    await web?.close();
  });

  /**
   * A page signed in through the form at `path`, as a person would: only then does the page hold
   * the session's CSRF token its writes need (a page signed in through the API, or reloaded, does not).
   */
  async function signedInByForm(who: DemoLogin, path: string): Promise<Page> {
    const page = await web.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${web.base}${path}`);
    await page.getByLabel('Email').fill(DEMO_LOGINS[who]);
    await page.getByLabel('Password').fill(web.passwords[who]);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor(WAIT);
    return page;
  }

  async function profileOf(page: Page, id: string): Promise<Profile> {
    const res = await page.request.get(`${web.base}/api/v1/students/${id}`);
    expect(res.status()).toBe(200);
    return (await res.json()) as Profile;
  }

  it('clears a red gate, issues the travel order and downloads its PDF (SCO for Pakistan)', async () => {
    const page = await signedInByForm('sco', '/students');
    // Another spelling than the passport's QURESHI, Imran.
    await page.getByLabel('Name, any spelling').fill('Imran Kureshi');
    await page.getByRole('button', { name: 'Search' }).click();
    const link = page.getByRole('link', { name: 'QURESHI, Imran' });
    await link.waitFor(WAIT);
    expect(page.url()).toContain('name=Imran+Kureshi');
    const row = page.getByRole('row', { name: /QURESHI, Imran/ });
    expect(await row.textContent()).toContain('Imran QURESHI');
    expect(await row.textContent()).toContain('Command and General Staff Officer Course');
    // An SCO sees only their countries' students.
    const countries = await page.locator('.students-table tbody td:nth-child(3)').allTextContents();
    expect(countries.length).toBeGreaterThan(0);
    expect(new Set(countries)).toEqual(new Set(['PAK']));
    expect(await seriousViolations(page)).toEqual([]);
    await saveArtifact(page, 'student-search');

    await link.click();
    await page.getByRole('heading', { level: 1, name: 'QURESHI, Imran' }).waitFor(WAIT);
    const id = page.url().split('/students/')[1]!;
    const leahy = page.getByTestId('gate-leahy-person');
    await leahy.waitFor(WAIT);
    expect(await leahy.getAttribute('data-status')).toBe('red');
    expect(await leahy.textContent()).toMatch(/Re-vet by/);
    // Red gates come first: the Leahy gate heads the list.
    expect(await page.locator('.students-gate').first().getAttribute('data-testid')).toBe(
      'gate-leahy-person',
    );
    expect(await page.getByText('1 gate red: no travel order yet.').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Issue the travel order' }).isDisabled()).toBe(
      true,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await saveArtifact(page, 'student-gates');

    // A bad field: a screening dated in the future is refused beside the date, nothing written.
    const before = (await profileOf(page, id)).screenings.length;
    await leahy.getByRole('button', { name: /Record the leahy vetting/i }).click();
    const form = leahy.locator('form');
    await form.getByLabel('Screened on').fill('2027-03-01');
    await form.getByRole('button', { name: 'Record the screening' }).click();
    const dateField = form.locator('.field.invalid', { has: page.getByLabel('Screened on') });
    await dateField.waitFor(WAIT);
    expect(await dateField.locator('.field-error').textContent()).toMatch(/2027-03-01/);
    expect((await profileOf(page, id)).screenings.length).toBe(before);
    expect(await leahy.getAttribute('data-status')).toBe('red');

    // The re-vetting recorded: the gate turns green and the order may be issued.
    await form.getByLabel('Screened on').fill('2020-07-01');
    await form.getByRole('button', { name: 'Record the screening' }).click();
    await page.locator('[data-testid="gate-leahy-person"][data-status="green"]').waitFor(WAIT);
    expect((await profileOf(page, id)).screenings.length).toBe(before + 1);
    await page.getByText('All gates clear.').waitFor(WAIT);

    // The class started in 2020: the API asks why the order is late, beside that field.
    const issue = page.getByRole('button', { name: 'Issue the travel order' });
    expect(await issue.isDisabled()).toBe(false);
    await issue.click();
    const late = page.locator('.field.invalid', { has: page.getByLabel('Why it is issued late') });
    await late.waitFor(WAIT);
    expect(await late.locator('.field-error').textContent()).toMatch(/class started/);
    await page
      .getByLabel('Why it is issued late')
      .fill('re-vetting completed late; the school agreed');
    await issue.click();
    const download = page.getByRole('link', { name: 'Download the travel order (PDF)' });
    await download.waitFor(WAIT);
    expect(await page.getByText(/Travel order ITO-PAK-2020-\d{4}/).count()).toBe(1);
    expect((await profileOf(page, id)).seats[0]!.status).toBe('ito-issued');
    expect(await seriousViolations(page)).toEqual([]);
    await saveArtifact(page, 'student-cleared');

    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toMatch(/^ITO-PAK-2020-\d{4}-rev0\.pdf$/);
    const bytes = readFileSync(await file.path());
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    const href = await download.getAttribute('href');
    const pdf = await page.request.get(`${web.base}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toMatch(/^application\/pdf/);
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const pdfPath = join(ARTIFACTS_DIR, 'student-travel-order.pdf');
    writeFileSync(pdfPath, bytes);
    try {
      execFileSync('pdftoppm', [
        '-png',
        '-r',
        '60',
        '-f',
        '1',
        '-l',
        '1',
        pdfPath,
        pdfPath.replace(/\.pdf$/, ''),
      ]);
    } catch {
      console.warn('pdftoppm not available: the PDF was not rendered');
    }
  }, 180_000);

  it("answers a Jordanian student's page to the SCO for Pakistan as not found", async () => {
    const pm = await web.signedInAs('pm');
    const found = await pm.request.get(`${web.base}/api/v1/students?name=Omar%20Majali`);
    const { items } = (await found.json()) as { items: { id: string; country: string }[] };
    const jordanian = items.find((s) => s.country === 'JOR')!;
    expect(jordanian).toBeDefined();
    const page = await web.signedInAs('sco');
    await page.goto(`${web.base}/students/${jordanian.id}`);
    await page.getByRole('heading', { level: 1, name: 'Student not found' }).waitFor(WAIT);
    expect(await page.getByRole('alert').textContent()).toMatch(/outside what you may see/);
    expect(await seriousViolations(page)).toEqual([]);
    await saveArtifact(page, 'student-not-found');
  }, 120_000);

  it("shows the IMSO for CGSC only CGSC's students and seats", async () => {
    const page = await web.signedInAs('imso');
    await page.goto(`${web.base}/students?unit=battalion`);
    await page.locator('.students-table tbody tr').first().waitFor(WAIT);
    const seats = await page.locator('.students-table tbody td:nth-child(6)').allTextContents();
    expect(seats.length).toBeGreaterThan(0);
    for (const cell of seats) expect(cell).toMatch(/CGSC/);
    // The Jordanian officers of a battalion trained elsewhere are not listed.
    expect(await page.getByRole('link', { name: /AL-MAJALI/ }).count()).toBe(0);
    // Nor a Pakistani nominee at another school (Air Command and Staff College).
    expect(await page.getByRole('link', { name: /MALIK/ }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
  }, 120_000);

  it('reads at 390 px wide: the checklist in one column, nothing running over', async () => {
    const page = await web.signedInAs('sco');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${web.base}/students?name=Muhammad%20Ali%20Khan`);
    await page.getByRole('link', { name: 'KHAN, Mohammad Ali' }).click();
    await page.getByTestId('gate-passport').waitFor(WAIT);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await saveArtifact(page, 'student-narrow');
  }, 120_000);
});
