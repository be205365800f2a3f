import { expect, test } from '@playwright/test';
import { type BrowserMode, browserModeForEachTest, clickText, CNN_OCTOBER, dragSelect, highlightSizes, QUOTE, runCli, screenshots } from './browserMode';

const SENTENCE =
  'A US senior administration official, speaking after “a series of big, productive conversations” in Israel, said the top US diplomat “discussed in detail” with Israeli Prime Minister Benjamin Netanyahu and Defense Secretary Yoav Gallant “the ways in which they can capitalize on what is a strategic success already, and some concrete steps that can be taken in between now and then that could effectively do that.”';

let app: BrowserMode;
browserModeForEachTest((started) => (app = started));

test('tag a quote and a claim, find them after a reload, delete one, export the rest', async ({ page }) => {
  await page.goto(app.url);

  await expect(page.getByRole('dialog', { name: 'Who is annotating?' })).toBeVisible();
  await page.getByLabel('Your name').fill('Ana Analyst');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('annotator-name')).toHaveText('Ana Analyst');

  await page.getByRole('button', { name: 'Load sample articles' }).click();
  const documents = page.getByRole('navigation', { name: 'Documents' }).getByRole('button');
  await expect(documents).toHaveCount(4);
  await page.getByRole('button', { name: CNN_OCTOBER }).click();
  await expect(page.getByTestId('reading-text')).toContainText(SENTENCE);

  const panel = page.getByRole('complementary', { name: 'Annotations' });
  const items = panel.locator('li');

  await dragSelect(page, QUOTE);
  await page.getByRole('button', { name: /^Quote/ }).click();
  await expect(items).toHaveCount(1);
  await expect(items.first()).toContainText('quote');
  await expect(items.first().locator('.annotation-text')).toHaveText(QUOTE);

  await dragSelect(page, SENTENCE);
  await page.keyboard.press('1');
  await expect(items).toHaveCount(2);
  await expect(items.nth(0)).toContainText('claim');
  await expect(items.nth(0).locator('.annotation-text')).toHaveText(`${SENTENCE.slice(0, 140)}…`);
  await expect(items.nth(1).locator('.annotation-text')).toHaveText(QUOTE);
  await expect(items.nth(0)).toContainText('Ana Analyst');

  // Both painted as highlights; the quote nested in the claim is painted distinctly (underlined).
  await expect.poll(() => highlightSizes(page)).toMatchObject({ 'margin-label-0': 1, 'margin-label-1': 1, 'margin-nested-1': 1 });
  await expect(documents.filter({ hasText: CNN_OCTOBER })).toContainText('2');

  // Escape clears the selection, so the screenshot shows the label colours themselves.
  await page.keyboard.press('Escape');
  await expect(panel.locator('li.selected')).toHaveCount(0);
  await screenshots(page, 'screenshot');

  await page.reload();
  await expect(items).toHaveCount(2);
  await expect(items.nth(1).locator('.annotation-text')).toHaveText(QUOTE);
  await expect.poll(() => highlightSizes(page)).toMatchObject({ 'margin-label-0': 1, 'margin-label-1': 1 });

  // A click selects the innermost span; clicking again on the same spot cycles outwards.
  await clickText(page, 'productive');
  await expect(panel.locator('li.selected')).toContainText('quote');
  await clickText(page, 'productive');
  await expect(panel.locator('li.selected')).toContainText('claim');
  await clickText(page, 'productive');
  await expect(panel.locator('li.selected')).toContainText('quote');
  await page.keyboard.press('Delete');
  await expect(items).toHaveCount(1);
  await expect(items.first()).toContainText('claim');
  await expect.poll(() => highlightSizes(page)).toEqual({ 'margin-label-0': 1 });

  const lines = runCli(['export', '--project', app.projectDir, '--format', 'jsonl'], app.env).trim().split('\n');
  expect(lines).toHaveLength(4);
  const cnn = lines.map((l) => JSON.parse(l) as { title: string; text: string; annotations: { label: string; text: string; start: number; end: number; annotator: string }[] }).find((d) => CNN_OCTOBER.test(d.title))!;
  expect(cnn.annotations).toHaveLength(1);
  expect(cnn.annotations[0]).toMatchObject({ label: 'claim', text: SENTENCE, annotator: 'Ana Analyst' });
  expect([...cnn.text].slice(cnn.annotations[0]!.start, cnn.annotations[0]!.end).join('')).toBe(SENTENCE);
});
