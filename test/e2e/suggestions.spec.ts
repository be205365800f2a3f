import { expect, test, type Page } from '@playwright/test';
import { annotationItems, type BrowserMode, browserModeForEachTest, clickText, dragSelect, highlightSizes, runCli, screenshots, signIn } from './browserMode';

let app: BrowserMode;
browserModeForEachTest((started) => (app = started));

/** The two copies of the AFP story about the Gaza cease-fire talks among the sample articles. */
const KHALEEJ = /derail negotiations/;
const AFP_COPY = /may be the last chance for peace/;

const suggestionPanel = (page: Page) => page.getByRole('region', { name: 'Suggestions' });
const suggestionItems = (page: Page) => suggestionPanel(page).locator('li');
const selectedSuggestion = (page: Page) => suggestionPanel(page).locator('li.selected');
/** How many suggestions the list holds (it renders only those near its viewport). */
const suggestionCount = async (page: Page) => Number(await suggestionPanel(page).getByRole('heading').locator('.count').textContent());
const expectSuggestions = (page: Page, n: number) => expect(suggestionPanel(page).getByRole('heading').locator('.count')).toHaveText(String(n));

/** Suggested spans painted in the text (dashed), by highlight range. */
async function paintedSuggestions(page: Page): Promise<number> {
  return Object.values(await highlightSizes(page, true)).reduce((n, size) => n + size, 0);
}

async function openDocument(page: Page, title: RegExp): Promise<void> {
  await page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: title }).click();
  await expect(page.getByTestId('reading-text')).toBeVisible();
}

/** Signs in, loads the samples and opens the AFP story's first copy once its suggestions are listed; how many. */
async function openWithSuggestions(page: Page): Promise<number> {
  await signIn(page, app);
  await page.getByRole('button', { name: 'Load sample articles' }).click();
  await openDocument(page, KHALEEJ);
  await expect(suggestionItems(page).first()).toBeVisible();
  return suggestionCount(page);
}

/** The project exported as Margin's JSONL by the command line: one record a document. */
function exported(): { text: string; annotations: { label: string; text: string; origin?: string; annotator: string }[] }[] {
  return runCli(['export', '--project', app.projectDir, '--format', 'jsonl'], app.env)
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { text: string; annotations: { label: string; text: string; origin?: string; annotator: string }[] });
}

test('suggest → accept → undo → reject, remembered after a reload → only the accepted one is exported, marked suggested', async ({ page }) => {
  // Proposed when the document opens: drawn apart (dashed) and listed with counts, nobody's work yet.
  const offered = await openWithSuggestions(page);
  expect(offered).toBeGreaterThan(2);
  await expect(suggestionPanel(page).locator('.suggestion-count').filter({ hasText: 'quote' })).toBeVisible();
  await expect.poll(() => paintedSuggestions(page)).toBeGreaterThan(0);
  await expect(annotationItems(page)).toHaveCount(0);
  await expect(page.getByRole('complementary', { name: 'Annotations' })).toContainText('No annotations yet');

  // J steps to the first suggestion, J again to the next, K back.
  await page.keyboard.press('j');
  await expect(selectedSuggestion(page)).toHaveCount(1);
  const first = await selectedSuggestion(page).getAttribute('data-suggestion-key');
  await page.keyboard.press('j');
  await expect(selectedSuggestion(page)).not.toHaveAttribute('data-suggestion-key', first!);
  await page.keyboard.press('k');
  await expect(selectedSuggestion(page)).toHaveAttribute('data-suggestion-key', first!);
  await page.getByRole('status').getByRole('button', { name: 'Dismiss' }).click();
  await screenshots(page, 'suggestions');
  const firstText = (await selectedSuggestion(page).locator('.suggestion-text').textContent())!;

  // Enter accepts: the analyst's own annotation now, and the next suggestion is looked at.
  await page.keyboard.press('Enter');
  await expect(annotationItems(page)).toHaveCount(1);
  await expect(annotationItems(page).first().locator('.annotation-text')).toHaveText(firstText);
  await expectSuggestions(page, offered - 1);
  await expect(selectedSuggestion(page)).not.toHaveAttribute('data-suggestion-key', first!);

  // Undo: the annotation goes, the suggestion is offered again.
  await page.keyboard.press('Control+z');
  await expect(annotationItems(page)).toHaveCount(0);
  await expectSuggestions(page, offered);

  // A accepts the first one again; X rejects the one after it.
  await page.keyboard.press('Escape');
  await page.keyboard.press('j');
  await expect(selectedSuggestion(page)).toHaveAttribute('data-suggestion-key', first!);
  await page.keyboard.press('a');
  await expect(annotationItems(page)).toHaveCount(1);
  const rejectedKey = await selectedSuggestion(page).getAttribute('data-suggestion-key');
  await page.keyboard.press('x');
  await expectSuggestions(page, offered - 2);
  await expect(suggestionPanel(page)).toContainText('1 rejected');
  await expect(suggestionPanel(page).locator(`[data-suggestion-key="${rejectedKey}"]`)).toHaveCount(0);

  // Remembered in the analyst's layer: not proposed again after a reload.
  await page.reload();
  await openDocument(page, KHALEEJ);
  await expect(annotationItems(page)).toHaveCount(1);
  await expectSuggestions(page, offered - 2);
  await expect(suggestionPanel(page).locator(`[data-suggestion-key="${rejectedKey}"]`)).toHaveCount(0);
  await expect(suggestionPanel(page)).toContainText('1 rejected');

  // The dataset holds the accepted one only, with its origin; no suggestion is anyone's work.
  const doc = exported().find((d) => d.annotations.length > 0)!;
  expect(doc.annotations).toHaveLength(1);
  expect(doc.annotations[0]).toMatchObject({ text: firstText, origin: 'suggested', annotator: 'Ana' });
  expect(exported().flatMap((d) => d.annotations)).toHaveLength(1);
});

test('accept the suggestions on screen accepts only those wholly visible', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 520 });
  const offered = await openWithSuggestions(page);

  await page.keyboard.press('Shift+A');
  await expect(page.getByText(/Accepted \d+ suggestions? on screen/)).toBeVisible();
  const accepted = await annotationItems(page).count();
  expect(accepted).toBeGreaterThan(0);
  // Not everything: the rest of the article was never on screen.
  expect(accepted).toBeLessThan(offered);
  await expectSuggestions(page, offered - accepted);
});

test('what is tagged on one copy of a wire story is proposed on the other, re-anchored by quote', async ({ page }) => {
  await signIn(page, app);
  await page.getByRole('button', { name: 'Load sample articles' }).click();
  const quote = 'It is time for it to get done.';

  // Tagged by hand on the AFP copy.
  await openDocument(page, AFP_COPY);
  await expect(suggestionItems(page).first()).toBeVisible();
  await page.getByTestId('reading-text').locator('p', { hasText: quote }).scrollIntoViewIfNeeded();
  await dragSelect(page, quote);
  await page.keyboard.press('2');
  await expect(annotationItems(page)).toHaveCount(1);

  // The other copy proposes it, saying where it comes from, at the same words in its own text.
  await openDocument(page, KHALEEJ);
  await expect(suggestionItems(page).first()).toBeVisible();
  // Never applied by itself.
  await expect(annotationItems(page)).toHaveCount(0);
  // A click on the words in this copy's text looks at the suggestion painted there.
  await page.getByTestId('reading-text').locator('p', { hasText: quote }).scrollIntoViewIfNeeded();
  await clickText(page, 'time for it');
  await expect(selectedSuggestion(page)).toContainText('as you tagged it in');
  await expect(selectedSuggestion(page).locator('.suggestion-text')).toHaveText(quote);
  const before = await suggestionCount(page);

  await page.keyboard.press('Enter');
  await expect(annotationItems(page)).toHaveCount(1);
  await expect(annotationItems(page).first().locator('.annotation-text')).toHaveText(quote);
  await expectSuggestions(page, before - 1);
});

test('Enter on a suggestion’s ✕ rejects it: only the suggestion’s own item accepts with Enter', async ({ page }) => {
  const offered = await openWithSuggestions(page);

  await page.keyboard.press('j');
  await expect(selectedSuggestion(page)).toHaveCount(1);
  // The looked-at suggestion's item has the focus; Tab goes to its ✓, then its ✕.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.locator(':focus')).toHaveAttribute('aria-label', /^Reject /);
  await page.keyboard.press('Enter');
  await expect(suggestionPanel(page)).toContainText('1 rejected');
  await expectSuggestions(page, offered - 1);
  await expect(annotationItems(page)).toHaveCount(0);
});
