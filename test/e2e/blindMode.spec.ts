import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  annotationItems as items,
  annotationPanel as panel,
  CNN_OCTOBER,
  dragSelect,
  openSampleArticle,
  paintedAnnotations as painted,
  QUOTE,
  startBrowserMode,
  type BrowserMode,
} from './browserMode';

/**
 * Blind annotation (issue 11, item 8): two annotators in two tabs of the same project. The second
 * must not see the first one's work on an article (highlights, list entries, layer toggles,
 * counts) until marking the article done; a reviewer sees it by opening the compare view.
 */

let app: BrowserMode;
// Two or three tabs of the app each, on a machine that may be busy: more than one tab's usual time.
test.setTimeout(240_000);
test.beforeEach(async () => {
  app = await startBrowserMode();
});
test.afterEach(async () => {
  await app.stop();
});

const layerToggles = (page: Page) => page.getByRole('group', { name: 'Layers' });

/** Ana tags a quote and its source in the CNN article, in her own tab. */
async function anaTags(page: Page): Promise<void> {
  await openSampleArticle(page, app, 'Ana');
  await dragSelect(page, QUOTE);
  await page.keyboard.press('2');
  await expect(items(page)).toHaveCount(1);
  await dragSelect(page, 'Antony Blinken', 1);
  await page.keyboard.press('4');
  await expect(items(page)).toHaveCount(2);
}

/** A second tab of the same browser, signed in as `name`, on the CNN article. */
async function secondTab(page: Page, name: string): Promise<Page> {
  const other = await page.context().newPage();
  await other.goto(app.url);
  // A new tab starts with the last name used; this one is someone else's.
  await other.getByRole('button', { name: /Annotator:/ }).click();
  await other.getByLabel('Your name').fill(name);
  await other.getByRole('button', { name: 'Save' }).click();
  await expect(other.getByTestId('annotator-name')).toHaveText(name);
  await other.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: CNN_OCTOBER }).click();
  await expect(other.getByTestId('reading-text')).toContainText(QUOTE);
  return other;
}

test("a second annotator sees none of the first one's work until marking the article done", async ({ page }) => {
  await anaTags(page);
  const ben = await secondTab(page, 'Ben');

  // Nothing of Ana's: no list entries, no highlights, no toggle for her layer, no counts.
  await expect(panel(ben).locator('h2 .count')).toHaveText('0');
  await expect(items(ben)).toHaveCount(0);
  await expect.poll(() => painted(ben)).toBe(0);
  await expect(layerToggles(ben)).toHaveCount(0);
  await expect(ben.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: CNN_OCTOBER }).locator('.count')).toHaveText('0');
  await expect(ben.getByRole('status').filter({ hasText: 'Blind annotation' })).toContainText('hidden until you mark this article done');

  // Ben's own work shows as usual, still alone.
  await dragSelect(ben, 'there is little evidence');
  await ben.keyboard.press('1');
  await expect(items(ben)).toHaveCount(1);
  await expect(items(ben)).toContainText('claim');
  await expect.poll(() => painted(ben)).toBe(1);
  await expect(layerToggles(ben)).toHaveCount(0);

  // Ana, still working, does not see Ben's claim either (after his change reached her tab, and after a reload).
  await expect(items(page)).toHaveCount(2);
  await page.reload();
  await expect(page.getByTestId('reading-text')).toContainText(QUOTE);
  await expect(items(page)).toHaveCount(2);
  await expect.poll(() => painted(page)).toBe(2);
  await expect(layerToggles(page)).toHaveCount(0);

  // Done: Ben now sees Ana's layer beside his own, with a toggle for each.
  await ben.getByRole('button', { name: 'Mark done' }).click();
  await expect(items(ben)).toHaveCount(3);
  await expect.poll(() => painted(ben)).toBe(3);
  await expect(layerToggles(ben).getByLabel('Ana')).toBeChecked();
  await expect(layerToggles(ben).getByLabel('Ben')).toBeChecked();
  await expect(ben.getByRole('status').filter({ hasText: 'Blind annotation' })).toHaveCount(0);
  // Ana still sees only her own.
  await page.reload();
  await expect(page.getByTestId('reading-text')).toContainText(QUOTE);
  await expect(items(page)).toHaveCount(2);
});

test('blind annotation is a project setting, changed in the window for everyone', async ({ page }) => {
  await anaTags(page);
  const ben = await secondTab(page, 'Ben');
  await expect(items(ben)).toHaveCount(0);

  await ben.getByRole('button', { name: 'Settings…' }).click();
  const dialog = ben.getByRole('dialog', { name: 'Project settings' });
  const blind = dialog.getByRole('checkbox', { name: /Blind annotation/ });
  await expect(blind).toBeChecked();
  await blind.uncheck();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(items(ben)).toHaveCount(2);
  await expect.poll(() => painted(ben)).toBe(2);
  const settings = (JSON.parse(readFileSync(path.join(app.projectDir, 'margin.json'), 'utf8')) as { settings: unknown }).settings;
  expect(settings).toEqual({ blindAnnotation: false });

  // On again, from Ana's tab (which learns of the change on its own): Ben is blind again.
  await page.getByRole('button', { name: 'Settings…' }).click();
  const anaDialog = page.getByRole('dialog', { name: 'Project settings' });
  await expect(anaDialog.getByRole('checkbox', { name: /Blind annotation/ })).not.toBeChecked();
  await anaDialog.getByRole('checkbox', { name: /Blind annotation/ }).check();
  await anaDialog.getByRole('button', { name: 'Save' }).click();
  await expect(anaDialog).toHaveCount(0);
  await expect(items(ben)).toHaveCount(0);
});

test('a reviewer sees every layer once they open the compare view', async ({ page }) => {
  await anaTags(page);
  const ben = await secondTab(page, 'Ben');
  await dragSelect(ben, 'there is little evidence');
  await ben.keyboard.press('1');
  await expect(items(ben)).toHaveCount(1);

  const rita = await secondTab(ben, 'Rita');
  await expect(items(rita)).toHaveCount(0);
  await rita.getByRole('button', { name: 'Compare layers' }).click();
  await expect(rita.getByRole('toolbar', { name: 'Compare layers' })).toBeVisible();
  await rita.getByRole('button', { name: 'Close compare' }).click();
  await expect(items(rita)).toHaveCount(3);
  await expect(layerToggles(rita).getByLabel('Ana')).toBeChecked();
  // Ben, who did not, is still blind.
  await ben.reload();
  await expect(ben.getByTestId('reading-text')).toContainText(QUOTE);
  await expect(items(ben)).toHaveCount(1);
});
