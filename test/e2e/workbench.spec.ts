import { expect, test, type Page } from '@playwright/test';
import { type BrowserMode, browserModeForEachTest, CNN_OCTOBER, dragSelect, openSampleArticle, QUOTE, runCli, screenshots } from './browserMode';

const SPEAKER = 'A US senior administration official';

let app: BrowserMode;
browserModeForEachTest((started) => (app = started));

const panel = (page: Page) => page.getByRole('complementary', { name: 'Annotations' });
const items = (page: Page) => panel(page).locator('li');
const details = (page: Page) => page.getByRole('region', { name: 'Annotation details' });

test('quote with speaker, kind and a linked source survives a reload; relabel and boundary keys undo and redo', async ({ page }) => {
  await openSampleArticle(page, app);

  await dragSelect(page, QUOTE);
  await page.keyboard.press('2');
  await expect(items(page)).toHaveCount(1);
  await expect(details(page).getByLabel('Label')).toHaveValue('quote');

  await details(page).getByLabel('speaker').fill('senior administration official');
  await details(page).getByLabel('speaker').press('Enter');
  await details(page).getByLabel('kind').selectOption('direct');
  await expect(details(page).getByLabel('kind')).toHaveValue('direct');
  await details(page).getByLabel('Note').fill('Unnamed official; check the readout.');
  await details(page).getByLabel('Note').blur();

  // Link: L, then a new selection is tagged as source on the fly and linked.
  await page.keyboard.press('l');
  await expect(page.getByRole('status').filter({ hasText: 'Linking this quote' })).toBeVisible();
  await dragSelect(page, SPEAKER);
  await expect(items(page)).toHaveCount(2);
  await expect(details(page).locator('.details-links li .link-direction')).toHaveText('attributed-to →');
  await expect(details(page).locator('.details-links li .link-target')).toHaveText(`source: ${SPEAKER}`);
  await expect(page.getByTestId('link-arcs')).toBeVisible();
  await items(page).filter({ hasText: QUOTE }).locator('.annotation-item').click();
  await screenshots(page, 'workbench');

  await page.reload();
  await expect(items(page)).toHaveCount(2);
  await items(page).filter({ hasText: QUOTE }).locator('.annotation-item').click();
  await expect(details(page).getByLabel('speaker')).toHaveValue('senior administration official');
  await expect(details(page).getByLabel('kind')).toHaveValue('direct');
  await expect(details(page).locator('.details-links li .link-target')).toHaveText(`source: ${SPEAKER}`);

  // Relabel by key, undo, redo.
  await page.keyboard.press('1');
  await expect(details(page).getByLabel('Label')).toHaveValue('claim');
  await expect(items(page).filter({ hasText: QUOTE })).toContainText('claim');
  await page.keyboard.press('Control+z');
  await expect(items(page).filter({ hasText: QUOTE })).toContainText('quote');
  await page.keyboard.press('Control+Shift+z');
  await expect(items(page).filter({ hasText: QUOTE })).toContainText('claim');
  await page.keyboard.press('Control+z');
  await expect(items(page).filter({ hasText: QUOTE })).toContainText('quote');

  // Move the end one word left by key, undo, redo.
  await page.keyboard.press('Alt+Shift+ArrowLeft');
  await expect(items(page).locator('.annotation-text', { hasText: 'a series of big, productive' })).toHaveText('a series of big, productive');
  await page.keyboard.press('Control+z');
  await expect(items(page).locator('.annotation-text').filter({ hasText: 'a series' })).toHaveText(QUOTE);
  await page.keyboard.press('Control+y');
  await expect(items(page).locator('.annotation-text').filter({ hasText: 'a series' })).toHaveText('a series of big, productive');
  await page.keyboard.press('Control+z');

  // Everything is in the export: attributes, relations.
  const cnn = runCli(['export', '--project', app.projectDir, '--format', 'jsonl'], app.env)
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { title: string; annotations: { id: string; label: string; text: string; attributes: Record<string, unknown>; note: string | null }[]; relations: { type: string; from: string; to: string }[] })
    .find((d) => CNN_OCTOBER.test(d.title))!;
  const quote = cnn.annotations.find((a) => a.text === QUOTE)!;
  const source = cnn.annotations.find((a) => a.text === SPEAKER)!;
  expect(quote).toMatchObject({
    label: 'quote',
    attributes: { speaker: 'senior administration official', kind: 'direct' },
    note: 'Unnamed official; check the readout.',
  });
  expect(source.label).toBe('source');
  expect(cnn.relations).toEqual([expect.objectContaining({ type: 'attributed-to', from: quote.id, to: source.id })]);
});

test('a wrong attribute value is refused at the field; find in document tags all matches; schema rename; shortcuts', async ({ page }) => {
  await openSampleArticle(page, app);

  await dragSelect(page, 'meeting');
  await page.keyboard.press('3');
  await details(page).getByLabel('date').fill('last Tuesday');
  await details(page).getByLabel('date').press('Enter');
  await expect(details(page).getByRole('alert')).toContainText('date: expected a date as YYYY-MM-DD');
  await details(page).getByLabel('date').fill('2024-10-22');
  await details(page).getByLabel('date').press('Enter');
  await expect(details(page).getByRole('alert')).toHaveCount(0);
  await page.reload();
  await items(page).first().locator('.annotation-item').click();
  await expect(details(page).getByLabel('date')).toHaveValue('2024-10-22');

  // Find in document, tag every match as source, undo it in one step.
  await page.keyboard.press('Control+f');
  const findBar = page.getByRole('search');
  await findBar.getByLabel('Find in document').fill('Netanyahu');
  await expect(findBar).toContainText(/1 of \d+/);
  const total = Number((await findBar.textContent())!.match(/1 of (\d+)/)![1]);
  expect(total).toBeGreaterThan(2);
  // Every match is painted, the current one distinctly.
  await expect.poll(() => page.evaluate(() => [CSS.highlights.get('find-match')?.size, CSS.highlights.get('find-current')?.size])).toEqual([total - 1, 1]);
  await findBar.getByLabel('Label for all matches').selectOption('source');
  await findBar.getByRole('button', { name: 'Tag all' }).click();
  await expect(items(page)).toHaveCount(1 + total);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+z');
  await expect(items(page)).toHaveCount(1);
  await page.keyboard.press('Control+Shift+z');
  await expect(items(page)).toHaveCount(1 + total);

  // Rename a label in the schema editor: every annotation follows.
  await page.getByRole('button', { name: 'Tags…' }).click();
  const editor = page.getByRole('dialog', { name: 'Tag schema' });
  // A shortcut that collides with another label's is refused at the field.
  await editor.getByLabel('Shortcut key').nth(3).fill('1');
  await expect(editor).toContainText('"1" is the shortcut of another label');
  await expect(editor.getByRole('button', { name: 'Save' })).toBeDisabled();
  await editor.getByLabel('Shortcut key').nth(3).fill('4');
  await editor.getByLabel('Label name').nth(3).fill('person');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor).toHaveCount(0);
  await expect(items(page).filter({ hasText: 'person' })).toHaveCount(total);
  await expect(page.getByRole('button', { name: /^Person/ })).toBeVisible();

  // The shortcut overlay lists the schema's keys and every action.
  await page.keyboard.press('?');
  const overlay = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(overlay).toContainText('person');
  await expect(overlay).toContainText('Next annotation');
  await page.keyboard.press('Escape');
  await expect(overlay).toHaveCount(0);

  // j/k walk the annotations; Alt+Down opens the next document.
  await page.keyboard.press('j');
  await expect(panel(page).locator('li.selected')).toHaveCount(1);
  await page.keyboard.press('Alt+ArrowDown');
  await expect(page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: /asserted he made progress/ })).toHaveAttribute('aria-current', 'true');
});
