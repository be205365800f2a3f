import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { writeStoreProject } from '../../scripts/bench/workloads/storeProject';
import { signIn, startBrowserMode, type BrowserMode } from './browserMode';

/**
 * The document list of a big project (2,000 articles, two annotators' layers, written straight in
 * the project format): only the rows near the viewport are in the page, yet every document can be
 * reached by scrolling, searching or the keyboard, and the current one is always shown.
 */
const DOCUMENTS = 2000;
/** Far fewer than the documents: what a viewport and its overscan hold, whatever the project size. */
const MAX_ROWS = 200;

// Writing and listing 2,000 articles takes a while on a busy machine; what is tested here is the list.
test.describe.configure({ timeout: 180_000 });

let template: string;
test.beforeAll(async () => {
  template = path.join(mkdtempSync(path.join(os.tmpdir(), 'margin-e2e-scale-')), 'project');
  await writeStoreProject(template, { documents: DOCUMENTS, perLayer: 3, annotators: ['alice', 'bob'] });
});
test.afterAll(() => {
  rmSync(path.dirname(template), { recursive: true, force: true });
});

let app: BrowserMode;
test.beforeEach(async () => {
  app = await startBrowserMode((projectDir) => cpSync(template, projectDir, { recursive: true }));
});
test.afterEach(async () => {
  await app.stop();
});

const nav = (page: Page) => page.getByRole('navigation', { name: 'Documents' });
const rows = (page: Page) => nav(page).getByRole('listitem');
/** The row button of "Report n" ("Report 12" is not "Report 123"). */
const row = (page: Page, n: number) => nav(page).getByRole('button', { name: new RegExp(`Report ${n}\\b`) });
const heading = (page: Page) => page.getByRole('heading', { name: /^Documents/ });
const readingText = (page: Page) => page.getByTestId('reading-text');

/** Signs in and waits for the first listing of the whole project, however long the server takes to read it. */
async function openList(page: Page): Promise<void> {
  await signIn(page, app, 'alice');
  await expect(heading(page)).toHaveText('Documents 2,000', { timeout: 90_000 });
}

/** Turns the mouse wheel over the list until `target` is in view, as far as it takes. */
async function wheelUntilVisible(page: Page, target: Locator, deltaY: number): Promise<void> {
  const box = (await nav(page).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await expect(async () => {
    await page.mouse.wheel(0, deltaY);
    await expect(target).toBeInViewport({ timeout: 500 });
  }).toPass({ timeout: 60_000 });
}

test('2,000 documents: a bounded number of rows, the last one reached by scrolling and opened, search narrows the list', async ({ page }) => {
  await openList(page);
  await expect(row(page, 0)).toBeVisible();
  expect(await rows(page).count()).toBeLessThan(MAX_ROWS);

  const last = row(page, DOCUMENTS - 1);
  await wheelUntilVisible(page, last, 20_000);
  expect(await rows(page).count()).toBeLessThan(MAX_ROWS);
  // Screen readers still hear where the row stands in the whole list.
  const lastItem = rows(page).filter({ has: page.getByRole('button', { name: new RegExp(`Report ${DOCUMENTS - 1}\\b`) }) });
  await expect(lastItem).toHaveAttribute('aria-posinset', String(DOCUMENTS));
  await expect(lastItem).toHaveAttribute('aria-setsize', String(DOCUMENTS));

  await last.click();
  await expect(readingText(page)).toContainText(`Report ${DOCUMENTS - 1}:`);
  await expect(last).toHaveAttribute('aria-current', 'true');

  // Report 123 and Report 1230 to 1239.
  await page.getByLabel('Search documents').fill('Report 123');
  await page.getByLabel('Search documents').press('Enter');
  await expect(heading(page)).toHaveText('Documents 11');
  await expect(rows(page)).toHaveCount(11);
  await expect(row(page, 1234)).toBeVisible();
  await row(page, 1234).click();
  await expect(readingText(page)).toContainText('Report 1234:');

  await page.getByLabel('Search documents').fill('no such words anywhere');
  await page.getByLabel('Search documents').press('Enter');
  await expect(page.getByText('No documents match “no such words anywhere”.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear search' }).click();
  await expect(heading(page)).toHaveText('Documents 2,000');
});

test('the current document is scrolled into view when "previous document" opens it, and the keyboard walks and opens rows', async ({ page }) => {
  await openList(page);
  const last = row(page, DOCUMENTS - 1);
  await wheelUntilVisible(page, last, 20_000);
  await last.click();
  await expect(readingText(page)).toContainText(`Report ${DOCUMENTS - 1}:`);
  await readingText(page).click();

  // Back to the top of the list, far from the current row; then Alt+↑ from the reading view.
  await wheelUntilVisible(page, row(page, 0), -20_000);
  await expect(last).not.toBeInViewport();
  await page.keyboard.press('Alt+ArrowUp');
  await expect(readingText(page)).toContainText(`Report ${DOCUMENTS - 2}:`);
  await expect(row(page, DOCUMENTS - 2)).toBeInViewport();
  await expect(row(page, DOCUMENTS - 2)).toHaveAttribute('aria-current', 'true');

  // Tab from the button above the list reaches the list at the current document; arrows walk it, Enter opens.
  await page.getByRole('button', { name: 'Mark done' }).focus();
  await page.keyboard.press('Tab');
  await expect(row(page, DOCUMENTS - 2)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(last).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(readingText(page)).toContainText(`Report ${DOCUMENTS - 1}:`);

  await last.focus();
  await page.keyboard.press('Home');
  await expect(row(page, 0)).toBeFocused();
  await expect(row(page, 0)).toBeInViewport();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(row(page, 2)).toBeFocused();
  await page.keyboard.press(' ');
  await expect(readingText(page)).toContainText('Report 2:');
  await page.keyboard.press('End');
  await expect(last).toBeFocused();
  await expect(last).toBeInViewport();
  expect(await rows(page).count()).toBeLessThan(MAX_ROWS);
});
