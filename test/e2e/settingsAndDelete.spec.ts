import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { CNN_OCTOBER, dragSelect, openSampleArticle, QUOTE, startBrowserMode, type BrowserMode } from './browserMode';

/**
 * Project settings and deleting a document are reachable like every other action (issue 11,
 * items 8 and 17, leftovers): from the Menu, by a shortcut, and listed in the ? overlay; a
 * deletion is undone with Ctrl+Z as well as from its notice.
 */

let app: BrowserMode;
test.setTimeout(120_000);
test.beforeEach(async () => {
  app = await startBrowserMode();
});
test.afterEach(async () => {
  await app.stop();
});

const menuItem = async (page: Page, name: string | RegExp) => {
  await page.getByRole('button', { name: 'Menu' }).click();
  return page.getByRole('menu', { name: 'Actions' }).getByRole('menuitem', { name });
};
const settingsDialog = (page: Page) => page.getByRole('dialog', { name: 'Project settings' });
const deleteDialog = (page: Page) => page.getByRole('alertdialog', { name: 'Delete this document?' });
const documents = (page: Page) => page.getByRole('navigation', { name: 'Documents' });
/** The keys the ? overlay gives for the entry whose text starts with `title`. */
const keysOf = (overlay: Locator, title: string) => overlay.locator(`xpath=.//dd[starts-with(normalize-space(.), "${title}")]/preceding-sibling::dt[1]`);

test('project settings open from the Menu and with Ctrl+,, and the ? overlay lists the key', async ({ page }) => {
  await openSampleArticle(page, app);

  await (await menuItem(page, /^Project settings…/)).click();
  await expect(settingsDialog(page)).toBeVisible();
  await expect(settingsDialog(page).getByRole('checkbox', { name: /Blind annotation/ })).toBeChecked();
  await page.keyboard.press('Escape');
  await expect(settingsDialog(page)).toHaveCount(0);

  await page.keyboard.press('Control+,');
  await expect(settingsDialog(page)).toBeVisible();
  await page.keyboard.press('Escape');

  await page.keyboard.press('?');
  const overlay = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(keysOf(overlay, 'Project settings')).toHaveText('Ctrl+,');
  await expect(keysOf(overlay, 'Delete this document')).toHaveText('Ctrl+Delete or Ctrl+Backspace');
});

test('a document is deleted from the Menu or with Ctrl+Delete, and Ctrl+Z brings it back', async ({ page }) => {
  await openSampleArticle(page, app);
  await dragSelect(page, QUOTE);
  await page.keyboard.press('2');
  await expect(page.getByRole('complementary', { name: 'Annotations' }).locator('li')).toHaveCount(1);
  const docId = readdirSync(path.join(app.projectDir, 'annotations', 'Ana'))[0]!.replace('.json', '');

  // From the Menu: the confirmation says how it is undone.
  await (await menuItem(page, /^Delete this document…/)).click();
  await expect(deleteDialog(page)).toContainText('1 annotation by you (Ana)');
  await expect(deleteDialog(page)).toContainText(/undo this with Ctrl\+Z/);
  await page.keyboard.press('Escape');
  await expect(deleteDialog(page)).toHaveCount(0);

  // By the keyboard alone: Ctrl+Delete, Enter confirms, Ctrl+Z undoes.
  await page.getByTestId('reading-text').click();
  await page.keyboard.press('Control+Delete');
  await expect(deleteDialog(page).getByRole('button', { name: 'Delete document' })).toBeEnabled();
  await deleteDialog(page).getByRole('button', { name: 'Delete document' }).focus();
  await page.keyboard.press('Enter');
  await expect(deleteDialog(page)).toHaveCount(0);
  await expect(documents(page).getByRole('button', { name: CNN_OCTOBER })).toHaveCount(0);
  expect(existsSync(path.join(app.projectDir, 'documents', `${docId}.json`))).toBe(false);

  await page.keyboard.press('Control+z');
  await expect(documents(page).getByRole('button', { name: CNN_OCTOBER })).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('reading-text')).toContainText(QUOTE);
  await expect(page.getByRole('complementary', { name: 'Annotations' }).locator('li').filter({ hasText: QUOTE })).toHaveCount(1);
  expect(existsSync(path.join(app.projectDir, 'documents', `${docId}.json`))).toBe(true);
  // The notice's Undo is spent: a second Ctrl+Z is the article's own undo, not another restore.
  await expect(page.getByRole('status').filter({ hasText: 'Deleted “' })).toHaveCount(0);
});
