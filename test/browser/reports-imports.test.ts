// The reports and import pages in Chromium on the demo: a program manager makes the 2019 Foreign
// Military Training report as a PDF (the job's progress, then the file), checks a course file with
// a bad cell (refused by row and column, nothing written) and the ten State budget tables (every
// account reconciles) and the shipped restriction history, and sees the files imported; an analyst has no Import link. Each page is
// accessible, and readable at 390 px.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason } from '../support/browser.js';
import { openWebApp, type WebApp } from '../support/web-app.js';
import { saveArtifact, seriousViolations } from '../support/web-checks.js';

const skipReason = browserSkipReason();
if (skipReason !== undefined) console.warn(`reports and import pages test skipped: ${skipReason}`);

const BUDGET_DIR = join(import.meta.dirname, '../../resources/state-budget-by-country');
const HISTORY = join(import.meta.dirname, '../../resources/history/restrictions.csv');

describe.skipIf(skipReason !== undefined)('the reports and import pages', () => {
  let web: WebApp;

  beforeAll(async () => {
    web = await openWebApp();
  }, 120_000);

  afterAll(async () => {
    await web?.close();
  });

  it('makes the FMT report as a PDF through a job, and downloads it', async () => {
    const page = await web.signedInAs('pm');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${web.base}/`);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Reports' })
      .click();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    await page.getByLabel('Report', { exact: true }).selectOption('fmt');
    await page.getByLabel('Report year').fill('2019');
    await page.getByLabel('PDF').check();
    await page.getByRole('button', { name: 'Make the report' }).click();
    const download = page.getByRole('link', { name: 'Download fmt-report-2019.pdf' });
    await download.waitFor({ timeout: 60_000 });
    // The address keeps the form and the job: a reload finds the same file.
    await page.waitForURL(/report=fmt.*year=2019.*job=job_/);
    const href = await download.getAttribute('href');
    const file = await page.request.get(`${web.base}${href}`);
    expect(file.headers()['content-type']).toBe('application/pdf');
    expect((await file.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await page.reload();
    await page
      .getByRole('link', { name: 'Download fmt-report-2019.pdf' })
      .waitFor({ timeout: 30_000 });
    await page.getByRole('table').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await saveArtifact(page, 'reports-fmt');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await seriousViolations(page)).toEqual([]);
    await saveArtifact(page, 'reports-narrow');
  }, 180_000);

  it('names the field the server refuses on the reports form', async () => {
    const page = await web.signedInAs('pm');
    await page.goto(`${web.base}/reports?report=timeline&format=csv`);
    await page.getByLabel('Country').fill('P1');
    await page.getByRole('button', { name: 'Make the report' }).click();
    const error = page.locator('.field.invalid .field-error');
    await error.waitFor({ timeout: 30_000 });
    expect(await error.textContent()).toMatch(/alpha-3/);
  }, 120_000);

  it('checks a course file with a bad cell: every refused cell by row and column, nothing written', async () => {
    const page = await web.signedInAs('pm');
    await page.setViewportSize({ width: 1280, height: 800 });
    const exported = await page.request.get(`${web.base}/api/v1/exports/courses?format=csv`);
    const lines = (await exported.text()).trimEnd().split(/\r?\n/);
    const weeks = lines[0]!.split(',').indexOf('lengthWeeks');
    const cells = lines[2]!.split(',');
    cells[weeks] = 'many';
    const bad = [lines[0], lines[1], cells.join(','), ...lines.slice(3)].join('\n');

    await page.goto(`${web.base}/`);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Import' })
      .click();
    await page.getByRole('heading', { name: 'Import', level: 1 }).waitFor();
    await page.getByLabel('What the files hold').selectOption('courses');
    await page.getByLabel('File', { exact: true }).setInputFiles({
      name: 'courses.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(bad),
    });
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    const errors = page.getByTestId('row-errors');
    await errors.waitFor({ timeout: 60_000 });
    const first = errors.locator('tbody tr').first();
    expect(await first.locator('td').allTextContents()).toEqual([
      '3',
      'lengthWeeks',
      expect.any(String),
    ]);
    expect(await seriousViolations(page)).toEqual([]);
    await saveArtifact(page, 'import-row-errors');
  }, 180_000);

  it('checks the ten State budget tables: every account reconciles, nothing written', async () => {
    const page = await web.signedInAs('pm');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${web.base}/imports`);
    await page.getByLabel('What the files hold').selectOption('budget');
    const files = readdirSync(BUDGET_DIR)
      .filter((f) => f.endsWith('.csv'))
      .sort()
      .map((f) => ({ name: f, mimeType: 'text/csv', buffer: readFileSync(join(BUDGET_DIR, f)) }));
    await page.getByLabel('Files (one per fiscal year)').setInputFiles(files);
    await page.getByLabel('Budget stage').selectOption('request');
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    const outcome = page.getByTestId('import-outcome');
    await outcome.waitFor({ timeout: 120_000 });
    expect(await outcome.textContent()).toContain('Every account reconciles');
    expect(await outcome.locator('details.budget-file').count()).toBe(10);
    await outcome.locator('details.budget-file summary').first().click();
    await page
      .getByRole('table', { name: /Each account/ })
      .first()
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await saveArtifact(page, 'import-budget-check');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await seriousViolations(page)).toEqual([]);
    await saveArtifact(page, 'import-narrow');
  }, 240_000);

  it('checks the shipped restriction history: already on record in the demo, so nothing would change', async () => {
    const page = await web.signedInAs('pm');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${web.base}/imports`);
    await page.getByLabel('What the files hold').selectOption('history');
    const input = page.getByLabel('File', { exact: true });
    expect(await input.getAttribute('accept')).toBe('.csv,text/csv');
    await input.setInputFiles({
      name: 'restrictions.csv',
      mimeType: 'text/csv',
      buffer: readFileSync(HISTORY),
    });
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    const outcome = page.getByTestId('import-outcome');
    await outcome.waitFor({ timeout: 120_000 });
    const text = (await outcome.textContent()) ?? '';
    expect(text).toMatch(/restrictions\.csv: \d+ rows \(child-soldiers \d+, coup \d+/);
    expect(text).toMatch(/0 created, 0 updated, \d+ unchanged if imported; nothing was written/);
    expect(text).toMatch(/\d+ restrictions \(\d+ child-soldiers listings inferred from a waiver\)/);
    expect(await seriousViolations(page)).toEqual([]);
    await saveArtifact(page, 'import-history-check');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await seriousViolations(page)).toEqual([]);
    await saveArtifact(page, 'import-history-narrow');
  }, 240_000);

  it('offers no Import link to an analyst, and says so on the page', async () => {
    const page = await web.signedInAs('analyst');
    await page.goto(`${web.base}/`);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Reports' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Import' }).count()).toBe(0);
    await page.goto(`${web.base}/imports`);
    await page.getByText(/Your role imports nothing/).waitFor();
  }, 120_000);
});
