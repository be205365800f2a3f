import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type BrowserMode, browserModeForEachTest, dragSelect, openSampleArticle, QUOTE, showEveryLayer } from './browserMode';

let app: BrowserMode;
browserModeForEachTest((started) => (app = started));

const panel = (page: Page) => page.getByRole('complementary', { name: 'Annotations' });
const items = (page: Page) => panel(page).locator('li');

test('a schema edit from a window holding an older schema is refused, the window loads the current one, and no tag is lost', async ({ context, page }) => {
  await openSampleArticle(page, app);
  await dragSelect(page, QUOTE);
  await page.keyboard.press('2');
  await expect(items(page)).toHaveCount(1);

  // This window opens the tag editor on the schema as it is now…
  await page.getByRole('button', { name: 'Tags…' }).click();
  const editor = page.getByRole('dialog', { name: 'Tag schema' });
  await expect(editor).toBeVisible();

  // …while a second window renames "quote" to "citation".
  const other = await context.newPage();
  await other.goto(app.url);
  await other.getByRole('button', { name: 'Tags…' }).click();
  const otherEditor = other.getByRole('dialog', { name: 'Tag schema' });
  await otherEditor.getByLabel('Label name').nth(1).fill('citation');
  await otherEditor.getByRole('button', { name: 'Save' }).click();
  await expect(otherEditor).toHaveCount(0);

  // The first window is told while its editor is open, and its draft stays on the schema it opened with.
  await expect(editor.getByRole('status').filter({ hasText: 'was changed elsewhere' })).toBeVisible();
  await expect(editor.getByLabel('Label name').nth(1)).toHaveValue('quote');
  // It recolours claim on that stale schema anyway: refused with a clear message.
  await editor.getByLabel('Colour').first().fill('#7a1f1f');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor.getByRole('alert')).toContainText('changed since this window loaded it');
  await editor.getByRole('button', { name: 'Cancel' }).click();
  const discard = page.getByRole('button', { name: 'Discard changes' });
  if (await discard.isVisible()) await discard.click();
  await expect(editor).toHaveCount(0);

  // The window now shows the current schema; the tag is still there, under its new name.
  await expect(items(page)).toHaveCount(1);
  await expect(items(page).first()).toContainText('citation');
  await page.getByRole('button', { name: 'Tags…' }).click();
  await expect(editor.getByLabel('Label name').nth(1)).toHaveValue('citation');
});

test('a label the schema does not know is kept, marked "unknown label", counted, and mapped to a label in one action', async ({ page }) => {
  // Ana is shown her colleague's layer (blind annotation would hide it until she is done).
  showEveryLayer(app.projectDir);
  await openSampleArticle(page, app);
  await dragSelect(page, QUOTE);
  await page.keyboard.press('2');
  await expect(items(page)).toHaveCount(1);

  // A colleague's layer synced in with a label this project has never had.
  const annotations = path.join(app.projectDir, 'annotations');
  const mine = path.join(annotations, 'Ana');
  const file = readdirSync(mine).find((n) => n.endsWith('.json'))!;
  const layer = JSON.parse(readFileSync(path.join(mine, file), 'utf8')) as { annotator: string; annotations: { annotator: string; label: string; id: string }[] };
  layer.annotator = 'Ben';
  layer.annotations = layer.annotations.map((a) => ({ ...a, annotator: 'Ben', label: 'speculation', id: 'ben-1' }));
  mkdirSync(path.join(annotations, 'Ben'), { recursive: true });
  writeFileSync(path.join(annotations, 'Ben', file), JSON.stringify(layer, null, 2));

  await page.reload();
  await expect(items(page)).toHaveCount(2);
  const unknown = items(page).filter({ hasText: 'unknown label' });
  await expect(unknown).toContainText('speculation');
  await unknown.locator('.annotation-item').click();
  const details = page.getByRole('region', { name: 'Annotation details' });
  await expect(details.getByRole('note')).toContainText('“speculation” is not a label of this project’s tag schema');
  await details.getByLabel('Label to map speculation to').selectOption('claim');
  await details.getByRole('button', { name: 'Map for everyone' }).click();
  await expect(items(page).filter({ hasText: 'unknown label' })).toHaveCount(0);
  await expect(items(page).filter({ hasText: 'claim' })).toHaveCount(1);
  // Ben's file was not touched: the mapping lives in margin.json.
  expect(JSON.parse(readFileSync(path.join(annotations, 'Ben', file), 'utf8')).annotations[0].label).toBe('speculation');
});
