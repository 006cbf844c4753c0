// Proves the browser harness: launch, render a page, read it back, screenshot it, clean up.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserSkipReason,
  isSkipped,
  launchBrowser,
  screenshot,
  type BrowserHandle,
} from './browser.js';

const skipReason = browserSkipReason();
if (skipReason !== undefined) console.warn(`browser tests skipped: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('browser harness', () => {
  let browser: BrowserHandle;
  let outDir: string;

  beforeAll(async () => {
    const launched = await launchBrowser();
    if (isSkipped(launched))
      throw new Error(`browser vanished after the skip check: ${launched.skipped}`);
    browser = launched;
    outDir = await mkdtemp(join(tmpdir(), 'attache-shot-'));
  });

  afterAll(async () => {
    await browser?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('renders a page and reads its text', async () => {
    const page = await browser.newPage();
    const html = '<!doctype html><title>probe</title><h1 id="h">Attaché</h1><p>IMET $4,800,000</p>';
    await page.goto(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
    expect(await page.title()).toBe('probe');
    expect(await page.locator('#h').textContent()).toBe('Attaché');
    expect(await page.locator('p').innerText()).toBe('IMET $4,800,000');
  });

  it('saves a screenshot as a PNG', async () => {
    const page = await browser.newPage();
    await page.setContent('<p style="font:24px sans-serif">screenshot</p>');
    const path = await screenshot(page, join(outDir, 'nested', 'shot.png'));
    const { size } = await stat(path);
    expect(size).toBeGreaterThan(100);
  });

  it('removes its temporary profile on close', async () => {
    const second = await launchBrowser();
    if (isSkipped(second)) throw new Error(second.skipped);
    expect(existsSync(second.profileDir)).toBe(true);
    await second.close();
    await second.close(); // a second close is harmless
    expect(existsSync(second.profileDir)).toBe(false);
  });
});
