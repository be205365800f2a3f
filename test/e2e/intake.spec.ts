import { expect, test } from '@playwright/test';
import { type BrowserMode, browserModeForEachTest, highlightSizes, signIn } from './browserMode';

let app: BrowserMode;
browserModeForEachTest((started) => (app = started));

test('bad files are refused by name while good ones in the same batch are imported', async ({ page }) => {
  await signIn(page, app, 'Bo');
  await expect(page.getByRole('heading', { name: 'This project has no articles yet' })).toBeVisible();
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  await page.getByTestId('import-input').setInputFiles([
    { name: 'wire-story.txt', mimeType: 'text/plain', buffer: Buffer.from('\uFEFFTalks resume in Doha\r\nOfficials met on Monday.\r\n') },
    { name: 'photo.txt', mimeType: 'text/plain', buffer: png },
    { name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) },
    { name: 'huge.txt', mimeType: 'text/plain', buffer: Buffer.alloc(21 * 1024 * 1024, 'a') },
  ]);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Imported 1 article; 3 could not be imported.');
  await expect(alert).toContainText('photo.txt: binary content');
  await expect(alert).toContainText('empty.txt: empty');
  await expect(alert).toContainText('huge.txt: larger than 20 MB');
  const documents = page.getByRole('navigation', { name: 'Documents' }).getByRole('button');
  await expect(documents).toHaveCount(1);
  await expect(documents.first()).toContainText('Talks resume in Doha');

  // The same text again (without BOM, with \n) is the same document.
  await page.getByTestId('import-input').setInputFiles([
    { name: 'copy.txt', mimeType: 'text/plain', buffer: Buffer.from('Talks resume in Doha\nOfficials met on Monday.\n') },
  ]);
  await expect(page.getByRole('status').last()).toContainText('copy.txt is already in the project as “Talks resume in Doha”');
  await expect(documents).toHaveCount(1);
});

test('keyboard flow: Shift+arrows extend a selection, keys tag it, whitespace tags nothing, undo and redo', async ({ page }) => {
  await signIn(page, app, 'Bo');
  await page.getByTestId('import-input').setInputFiles([
    { name: 'summit.txt', mimeType: 'text/plain', buffer: Buffer.from('Summit report\nLeaders met in Geneva on Tuesday to discuss a ceasefire.\n') },
  ]);
  await page.getByRole('button', { name: /Summit report/ }).click();
  const items = page.getByRole('complementary', { name: 'Annotations' }).locator('li');

  // A selection of nothing but a space: the tag keys do nothing.
  await page.evaluate(() => {
    const p = document.querySelectorAll('.reading-text p')[1]!;
    const text = p.firstChild as Text;
    const at = text.data.indexOf(' in ');
    getSelection()!.setBaseAndExtent(text, at, text, at + 1);
  });
  await page.keyboard.press('3');
  await expect(page.getByRole('button', { name: /^Event/ })).toBeDisabled();
  await expect(items).toHaveCount(0);

  await page.getByTestId('reading-text').getByText('Leaders met in Geneva').dblclick({ position: { x: 4, y: 8 } });
  // Shift+→ extends the selection ("Leaders") by a whole word each time (the reading view's caret mode).
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('3');
  await expect(items).toHaveCount(1);
  await expect(items.first().locator('.annotation-text')).toHaveText('Leaders met in');
  await expect.poll(() => highlightSizes(page)).toMatchObject({ 'margin-label-2': 1 });

  await page.keyboard.press('Control+z');
  await expect(items).toHaveCount(0);
  await page.keyboard.press('Control+Shift+z');
  await expect(items).toHaveCount(1);
  await items.first().locator('.annotation-item').click();
  await page.keyboard.press('Backspace');
  await expect(items).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(items).toHaveCount(1);
  await page.reload();
  await expect(items).toHaveCount(1);
  await expect(items.first().locator('.annotation-text')).toHaveText('Leaders met in');
});
