import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { type BrowserMode, browserModeForEachTest, dragSelect, repoRoot, runCli, signIn } from './browserMode';

const fixtures = path.join(repoRoot, 'test', 'fixtures');

let app: BrowserMode;
browserModeForEachTest((started) => (app = started));

const documents = (page: Page) => page.getByRole('navigation', { name: 'Documents' }).getByRole('button');

test('import a folder of mixed files: progress, summary with reasons, then read and tag an HTML article', async ({ page }) => {
  await signIn(page, app);
  // A slow disk or a large PDF takes a while per file: hold each call long enough to watch the bar.
  await page.route('**/api/importFiles', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 400));
    await route.continue();
  });
  await page.getByTestId('import-folder-input').setInputFiles(path.join(fixtures, 'folder'));

  const bar = page.getByRole('region', { name: 'Import progress' });
  await expect(bar).toBeVisible();
  await expect(bar).toContainText(/Importing \d+ of \d+: folder\//);
  await expect(bar.getByRole('progressbar', { name: 'Files imported' })).toBeVisible();
  await expect(bar).toHaveCount(0, { timeout: 30_000 });

  const summary = page.getByRole('alert');
  await expect(summary).toContainText(/Imported \d+ articles/);
  await expect(summary).toContainText('could not be imported');
  for (const bad of ['photo.txt', 'empty.txt', 'data.xyz']) await expect(summary).toContainText(bad);

  const html = documents(page).filter({ hasText: 'Water talks resume in Geneva' });
  await html.click();
  const reading = page.getByTestId('reading-text');
  await expect(reading).toContainText('Negotiators from five riverside nations returned to Geneva on Monday');
  await expect(reading).not.toContainText('We use cookies');
  await expect(reading).not.toContainText('Buy the new Aurora phone');
  await expect(page.getByRole('region', { name: 'Article information' })).toContainText('The Meridian Herald');

  await dragSelect(page, 'Negotiators from five riverside nations');
  await page.keyboard.press('3');
  await expect(page.getByRole('complementary', { name: 'Annotations' }).locator('li')).toHaveCount(1);
});

test('cancel stops an import between two files; nothing is half-written', async ({ page }) => {
  await signIn(page, app);
  await page.route('**/api/importFiles', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 700));
    await route.continue();
  });
  await page.getByTestId('import-folder-input').setInputFiles(path.join(fixtures, 'folder'));
  const bar = page.getByRole('region', { name: 'Import progress' });
  await expect(bar).toContainText(/Importing 2 of/);
  await bar.getByRole('button', { name: 'Cancel' }).click();
  await expect(bar).toHaveCount(0);
  await expect(page.getByRole('status').or(page.getByRole('alert')).filter({ hasText: 'cancelled' })).toBeVisible();
  const exported = runCli(['export', '--project', app.projectDir, '--format', 'jsonl'], app.env).trim();
  const lines = exported === '' ? [] : exported.split('\n');
  expect(lines.length).toBeLessThanOrEqual(2);
  await expect(documents(page)).toHaveCount(lines.length);
});

test('a hostile HTML page imports as text: no script, handler, frame, refresh or remote load ever runs', async ({ page }) => {
  let hits = 0;
  const canary = http.createServer((_req, res) => {
    hits++;
    res.end('gotcha');
  });
  await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', () => resolve()));
  const port = (canary.address() as AddressInfo).port;
  try {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'margin-hostile-'));
    const file = path.join(dir, 'hostile.html');
    writeFileSync(file, readFileSync(path.join(fixtures, 'hostile.html'), 'utf8').replaceAll('CANARY_PORT', String(port)));

    await signIn(page, app);
    await page.getByTestId('import-input').setInputFiles(file);
    await expect(page.getByRole('status').filter({ hasText: 'Imported 1 article' })).toBeVisible();
    await documents(page).first().click();
    const reading = page.getByTestId('reading-text');
    await expect(reading).toContainText('Dock workers at the northern port voted on Friday to end a nine-day strike');
    await expect(reading).toContainText('limits night shifts to four a week');
    await expect(reading).not.toContainText('__marginCanary');
    await expect(reading).not.toContainText('INJECTED BY DOCUMENT.WRITE');

    expect(await page.evaluate(() => (window as unknown as { __marginCanary?: unknown }).__marginCanary)).toBeUndefined();
    expect(await page.locator('iframe, script:not([src]), img, a[href^="javascript:"]').count()).toBe(0);
    // Nothing reached the canary from the server process or from the page, not even later.
    await page.waitForTimeout(1500);
    expect(hits).toBe(0);
  } finally {
    canary.close();
  }
});

test('paste a document, edit its details without touching the text, and follow "also published as"', async ({ page }) => {
  await signIn(page, app);
  await page.getByRole('button', { name: 'Paste…' }).click();
  const dialog = page.getByRole('dialog', { name: 'New document from text' });
  await dialog.getByLabel('Title').fill('Harbour reopens');
  await dialog.getByLabel('Text').fill('The harbour reopened on Sunday after a week of storms.\n\nFerries resumed their normal timetable.');
  await dialog.getByRole('button', { name: 'Add document' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(documents(page)).toHaveCount(1);
  await expect(documents(page).first()).toContainText('Harbour reopens');

  const info = page.getByRole('region', { name: 'Article information' });
  await info.getByRole('button', { name: 'Edit details' }).click();
  await info.getByLabel('Outlet').fill('Coastal Times');
  await info.getByLabel('Published').fill('2024-03-10');
  await info.getByRole('button', { name: 'Save details' }).click();
  await expect(info).toContainText('Coastal Times · 2024-03-10');
  await page.reload();
  await expect(page.getByRole('region', { name: 'Article information' })).toContainText('Coastal Times · 2024-03-10');
  await expect(page.getByTestId('reading-text')).toHaveText(/^The harbour reopened on Sunday after a week of storms\.\s*Ferries resumed their normal timetable\.$/);

  // The two wire copies of Blinken's ninth tour point at each other.
  await page.getByTestId('import-input').setInputFiles(
    ['002_e7f105aa316f8cda.txt', '003_6daa1d6b280d8e7e.txt'].map((f) => path.join(repoRoot, 'resources', 'samples', f)),
  );
  await expect(page.getByText(/Imported 2 articles/)).toBeVisible();
  await documents(page).filter({ hasText: 'Top US diplomat Antony Blinken' }).click();
  const also = page.getByRole('region', { name: 'Article information' }).locator('.near-duplicates');
  await expect(also).toContainText('Also published as');
  await also.getByRole('button').click();
  await expect(page.getByTestId('reading-text')).toContainText('The ongoing Gaza cease-fire negotiations');
});
