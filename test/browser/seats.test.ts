// The seats board in Chromium against the real server on the demo data: Pakistan's FY2018 seats the
// 2018 suspension cancelled, a seat's history, a cancellation with its penalty shown first, a
// stale version shown as a conflict, who sees Move and Cancel, scope, accessibility, 390 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSkipReason } from '../support/browser.js';
import { openWebApp, type WebApp } from '../support/web-app.js';
import { saveArtifact, seriousViolations } from '../support/web-checks.js';

const skipReason = browserSkipReason();
if (skipReason !== undefined) console.warn(`seats browser test skipped: ${skipReason}`);

interface Seat {
  id: string;
  status: string;
  version: number;
  tuitionCents: number;
  allowanceCents: number;
  penaltyCents: number;
  releasedCents: number;
  nextStatuses: string[];
}
interface Board {
  items: Seat[];
  total: number;
}

describe.skipIf(skipReason !== undefined)('the seats board', () => {
  let web: WebApp;

  beforeAll(async () => {
    web = await openWebApp();
  }, 120_000);

  afterAll(async () => {
    await web?.close();
  });

  /** What the API answers the page's own session. */
  async function api<T>(page: Page, path: string): Promise<T> {
    const res = await page.request.get(`${web.base}/api/v1${path}`);
    expect(res.status()).toBe(200);
    return (await res.json()) as T;
  }

  const usd = (cents: number) =>
    `$${Math.trunc(cents / 100).toLocaleString('en-US')}${cents % 100 === 0 ? '' : `.${String(cents % 100).padStart(2, '0')}`}`;

  it('filters Pakistan FY2018 cancelled: the seats the 2018 suspension cancelled, with their money', async () => {
    const page = await web.signedInAs('pm');
    const expected = await api<Board & { totals: { releasedCents: number } }>(
      page,
      '/seats?country=PAK&fy=2018&status=cancelled',
    );
    expect(expected.total).toBe(66);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${web.base}/seats`);
    await page.getByLabel('Country', { exact: true }).selectOption('PAK');
    await page.getByLabel('Fiscal year', { exact: true }).selectOption('2018');
    await page.getByLabel('Status', { exact: true }).selectOption('cancelled');
    await page
      .locator('.seats-count')
      .filter({ hasText: /^66 seats$/ })
      .waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).search).toBe('?country=PAK&fy=2018&status=cancelled');
    expect(await page.locator('.seats-count').textContent()).toBe('66 seats');
    expect(await page.locator('.seats-table tbody tr').count()).toBe(66);
    expect(await page.locator('.seats-table tbody .badge', { hasText: 'Cancelled' }).count()).toBe(
      66,
    );
    expect(await page.locator('.seats-totals').textContent()).toContain(
      usd(expected.totals.releasedCents),
    );
    // The restriction filter narrows to the seats it reached; the address keeps it.
    await page.getByLabel('Restriction', { exact: true }).selectOption('rst_pak-policy-2018');
    await page.waitForURL(/restriction=rst_pak-policy-2018/);
    expect(await page.locator('.seats-count').textContent()).toBe('66 seats');
    expect(await seriousViolations(page)).toEqual([]);
    await saveArtifact(page, 'seats-board');
  }, 90_000);

  it('opens a seat with its history and audit entries', async () => {
    const page = await web.signedInAs('pm');
    await page.goto(`${web.base}/seats?country=PAK&fy=2018&status=cancelled`);
    await page.locator('.seats-table tbody a').first().click();
    await page.getByRole('heading', { name: 'History' }).waitFor({ timeout: 30_000 });
    const history = page.getByTestId('seat-history');
    expect(await history.textContent()).toContain('Programmed on a new line');
    expect(await history.textContent()).toContain('Cancelled');
    expect(await history.textContent()).toContain('rst_pak-policy-2018');
    expect(await history.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('seat-status').textContent()).toContain('Cancelled');
    expect(await seriousViolations(page)).toEqual([]);
    await saveArtifact(page, 'seat-detail');
  }, 90_000);

  it('cancels a seat after showing the penalty the API computed, then shows it cancelled', async () => {
    const page = await web.signedInAs('pm');
    const board = await api<Board>(page, '/seats?country=PAK&fy=2020&status=nominated');
    const seat = board.items[0]!;
    await page.goto(`${web.base}/seats/${seat.id}`);
    await page.getByRole('button', { name: 'Cancel seat…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason').selectOption('partner-request');
    await dialog.getByLabel('Cancelled on').fill('2020-03-01');
    const preview = dialog.getByTestId('cancel-preview');
    await preview.getByText('Money released').waitFor({ timeout: 30_000 });
    // The page shows what the API's dry run answers, and nothing was written.
    const dry = await page.request.post(`${web.base}/api/v1/seats/${seat.id}/cancel?dryRun=true`, {
      data: { reason: 'partner-request', on: '2020-03-01', refilled: false },
      headers: { 'x-csrf-token': await csrf(page) },
    });
    const expected = (await dry.json()) as Seat;
    expect(await preview.textContent()).toContain(usd(expected.penaltyCents));
    expect(await preview.textContent()).toContain(usd(expected.releasedCents));
    expect((await api<Seat>(page, `/seats/${seat.id}`)).status).toBe('nominated');
    await saveArtifact(page, 'seat-cancel-confirm');
    // A double click writes once.
    await dialog.getByRole('button', { name: 'Cancel the seat' }).dblclick();
    await page.getByTestId('seat-outcome').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('seat-outcome').textContent()).toContain(
      `Penalty ${usd(expected.penaltyCents)}`,
    );
    await page.getByTestId('seat-status').getByText('Cancelled').waitFor();
    const after = await api<Seat & { history: { action: string }[] }>(page, `/seats/${seat.id}`);
    expect(after.status).toBe('cancelled');
    expect(after.version).toBe(seat.version + 1);
    expect(after.history.filter((h) => h.action === 'seat.cancel')).toHaveLength(1);
  }, 90_000);

  it('shows a conflict and the seat as it is now when someone changed it behind the page', async () => {
    const page = await web.signedInAs('pm');
    const board = await api<Board>(page, '/seats?country=PAK&fy=2020&status=nominated');
    const seat = board.items.at(-1)!;
    await page.goto(`${web.base}/seats/${seat.id}`);
    await page.getByRole('button', { name: 'Move…' }).waitFor({ timeout: 30_000 });
    // Someone else holds it through the API.
    const behind = await page.request.post(`${web.base}/api/v1/seats/${seat.id}/status`, {
      data: { to: 'held' },
      headers: { 'x-csrf-token': await csrf(page), 'if-match': `"${seat.version}"` },
    });
    expect(behind.status()).toBe(200);
    await page.getByLabel('Move to').selectOption('cleared');
    await page.getByRole('button', { name: 'Move…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Move to Cleared' }).click();
    const outcome = page.getByTestId('seat-outcome');
    await outcome.waitFor({ timeout: 30_000 });
    expect(await outcome.textContent()).toMatch(/changed since you opened it/);
    // The page shows the seat as it is now: held, at the new version; nothing was overwritten.
    await page.getByTestId('seat-status').getByText('Held').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('seat-status').textContent()).toContain(
      `version ${seat.version + 1}`,
    );
    expect((await api<Seat>(page, `/seats/${seat.id}`)).status).toBe('held');
    expect(await seriousViolations(page)).toEqual([]);
    await saveArtifact(page, 'seat-conflict');
  }, 90_000);

  it('offers the analyst no Move or Cancel', async () => {
    const page = await web.signedInAs('analyst');
    const board = await api<Board>(page, '/seats?country=PAK&fy=2020');
    const open = board.items.find((s) => s.status === 'nominated' || s.status === 'programmed')!;
    await page.goto(`${web.base}/seats/${open.id}`);
    await page.getByRole('heading', { name: 'History' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('button', { name: /Move|Cancel seat/ }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Change this seat' }).count()).toBe(0);
  }, 90_000);

  it("keeps the SCO for Pakistan out of another country's seat (not found)", async () => {
    const pm = await web.signedInAs('pm');
    const jordan = (await api<Board>(pm, '/seats?country=JOR')).items[0]!;
    const page = await web.signedInAs('sco');
    await page.goto(`${web.base}/seats/${jordan.id}`);
    await page.getByRole('alert').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('alert').textContent()).toMatch(/Not found/);
    // The SCO's board starts on Pakistan.
    await page.goto(`${web.base}/seats`);
    await page.waitForURL(/country=PAK/, { timeout: 30_000 });
  }, 90_000);

  it('is readable at 390 px: the filters wrap and the table scrolls sideways', async () => {
    const page = await web.signedInAs('pm');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${web.base}/seats?country=PAK&fy=2018`);
    await page.locator('.seats-table tbody tr').first().waitFor({ timeout: 30_000 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    const scroller = page.locator('.seats-scroll').first();
    expect(await scroller.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(
      true,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await saveArtifact(page, 'seats-narrow');
  }, 90_000);
});

/** The CSRF token of the page's session, as a write through the API needs it. */
async function csrf(page: Page): Promise<string> {
  const cookies = await page.context().cookies();
  const cookie = cookies.find((c) => c.name === 'attache_csrf');
  if (cookie !== undefined) return decodeURIComponent(cookie.value);
  throw new Error('no CSRF cookie on the page');
}
