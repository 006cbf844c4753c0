// The audit log page in Chromium on the demo: an analyst filters the entries by kind of record,
// opens one, verifies the chain (OK) and exports a checkpoint (a JSON file naming the head); the
// SCO has no Audit link and is told they may not read the log. Accessible, and readable at 390 px.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../src/services/audit/audit-keys.js';
import { browserSkipReason } from '../support/browser.js';
import { openWebApp, type WebApp } from '../support/web-app.js';
import { saveArtifact, seriousViolations } from '../support/web-checks.js';

const skipReason = browserSkipReason();
if (skipReason !== undefined) console.warn(`audit page test skipped: ${skipReason}`);

const KEY_VARIABLE = 'ATTACHE_AUDIT_SIGNING_KEY_FILE';

describe.skipIf(skipReason !== undefined)('the audit log page', () => {
  let web: WebApp;
  let dir: string;
  const savedKey = process.env[KEY_VARIABLE];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'attache-audit-page-'));
    const key = generateSigningKey(join(dir, 'audit.key'));
    if (!key.ok) throw new Error(key.error);
    // The server reads its audit keys from its process's environment at each use.
    process.env[KEY_VARIABLE] = key.value.privateKeyFile;
    web = await openWebApp();
  }, 120_000);

  afterAll(async () => {
    if (savedKey === undefined) delete process.env[KEY_VARIABLE];
    else process.env[KEY_VARIABLE] = savedKey;
    await web?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('filters the entries by kind of record and opens one', async () => {
    const page = await web.signedInAs('analyst');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${web.base}/`);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Audit' })
      .click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: /Audit entries/ });
    await table.waitFor({ timeout: 30_000 });

    await page.getByLabel('Kind of record').selectOption('restriction');
    await page.getByRole('button', { name: 'Show entries' }).click();
    await page.waitForURL(/entityType=restriction/);
    // As many as the API counts: the demo's imported history writes an entry per restriction.
    const counted = await page.request.get(
      `${web.base}/api/v1/audit/entries?entityType=restriction&limit=1`,
    );
    const { total } = (await counted.json()) as { total: number };
    expect(total).toBeGreaterThan(50);
    await page
      .getByText(`Entries 1–50 of ${total.toLocaleString('en-US')}`, { exact: true })
      .waitFor({ timeout: 30_000 });
    const kinds = await table.locator('tbody .audit-entity-type').allTextContents();
    expect(kinds).toHaveLength(50);
    expect(new Set(kinds)).toEqual(new Set(['restriction']));

    // The address carries the filter: a seat's entries, as a link from elsewhere would ask.
    const seat = await page.request.get(`${web.base}/api/v1/audit/entries?entityType=seat&limit=1`);
    const [newest] = (await seat.json()).items as { entityId: string; seq: number }[];
    await page.goto(`${web.base}/audit?entityType=seat&entityId=${newest!.entityId}`);
    await expect.poll(() => page.getByLabel('Record id').inputValue()).toBe(newest!.entityId);
    const rows = table.locator('tbody tr.audit-row');
    await rows.first().waitFor({ timeout: 30_000 });
    expect(await table.locator('tbody .audit-entity a').first().getAttribute('href')).toBe(
      `/seats/${newest!.entityId}`,
    );

    await rows
      .first()
      .getByRole('button', { name: /Details/ })
      .click();
    await page.waitForURL(new RegExp(`entry=${newest!.seq}`));
    const detail = page.getByRole('heading', {
      name: new RegExp(`^Entry ${newest!.seq.toLocaleString('en-US')}:`),
    });
    await detail.waitFor();
    await page.getByRole('table', { name: /Fields (changed|set)/ }).waitFor();
    expect(await page.getByText(/Previous entry’s hash/).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await saveArtifact(page, 'audit-entries');
  }, 180_000);

  it('verifies the chain now, and exports a checkpoint as a file', async () => {
    const page = await web.signedInAs('analyst');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${web.base}/audit`);
    await page.getByRole('button', { name: 'Verify now' }).click();
    const result = page.getByTestId('audit-verification');
    await result.waitFor({ timeout: 60_000 });
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('Verified');
    expect(text).toMatch(/The audit log verifies: all [\d,]+ entries are intact/);
    expect(text).toMatch(/Entries checked\s*[\d,]+/);

    const overview = (await (await page.request.get(`${web.base}/api/v1/audit`)).json()) as {
      head: { seq: number; hash: string };
    };
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 30_000 }),
      page.getByRole('button', { name: 'Export a checkpoint' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^attache-audit-checkpoint-${overview.head.seq}-\\d{8}T\\d{6}Z\\.json$`),
    );
    const saved = join(dir, 'checkpoint.json');
    await download.saveAs(saved);
    const checkpoint = JSON.parse(readFileSync(saved, 'utf8')) as Record<string, unknown>;
    expect(checkpoint).toMatchObject({
      format: 'attache-audit-checkpoint/1',
      seq: overview.head.seq,
      headHash: overview.head.hash,
    });
    expect(typeof checkpoint['signature']).toBe('string');
    await page
      .getByText(/Checkpoint of entry [\d,]+ .*saved as attache-audit-checkpoint-/)
      .waitFor();

    // The exported file, given back, holds.
    await page.getByLabel('Against a checkpoint file (optional)').setInputFiles(saved);
    await page.getByRole('button', { name: 'Verify now' }).click();
    await page
      .getByText(/The checkpoint of entry [\d,]+ holds/)
      .first()
      .waitFor({ timeout: 60_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await saveArtifact(page, 'audit-verified');
  }, 180_000);

  it('shows a refused filter beside its field', async () => {
    const page = await web.signedInAs('pm');
    await page.goto(`${web.base}/audit?from=yesterday`);
    const message = page.locator('.field.invalid .field-error');
    await message.waitFor({ timeout: 30_000 });
    expect(await message.textContent()).toMatch(
      /^a calendar date YYYY-MM-DD or an ISO 8601 instant .*\(got yesterday\)$/,
    );
    expect(await page.getByLabel('From').getAttribute('aria-invalid')).toBe('true');
  }, 120_000);

  it('is readable at 390 px wide', async () => {
    const page = await web.signedInAs('analyst');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${web.base}/audit?entityType=country`);
    await page.getByRole('table', { name: /Audit entries/ }).waitFor({ timeout: 30_000 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    await saveArtifact(page, 'audit-narrow');
  }, 120_000);

  it('the SCO has no Audit link, and /audit says they may not read it', async () => {
    const page = await web.signedInAs('sco');
    await page.goto(`${web.base}/`);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Dashboard' }).waitFor({ timeout: 30_000 });
    expect(await nav.getByRole('link', { name: 'Audit' }).count()).toBe(0);
    await page.goto(`${web.base}/audit`);
    await page.getByText('You may not read the audit log.').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('button', { name: 'Verify now' }).count()).toBe(0);
    const api = await page.request.get(`${web.base}/api/v1/audit/entries`);
    expect(api.status()).toBe(403);
    expect(await seriousViolations(page)).toEqual([]);
  }, 120_000);
});
