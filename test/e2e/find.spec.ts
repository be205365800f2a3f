import { expect, test, type Page } from '@playwright/test';
import { type BrowserMode, browserModeForEachTest, CNN_OCTOBER, openSampleArticle, runCli } from './browserMode';

/**
 * Find, Tag all and the document search on real news text: the CNN sample writes "to\u00a0the
 * Middle East" with a non-breaking space and "Sinwar’s" with a curly apostrophe, while the
 * analyst types plain spaces and a straight apostrophe, as in a browser's find.
 */

const MIDDLE_EAST = 'to\u00a0the Middle East';
const SINWARS = 'Sinwar\u2019s';

let app: BrowserMode;
browserModeForEachTest((started) => (app = started));

/** The text each range of a CSS highlight covers (static ranges within one text node each), in text order. */
function highlightTexts(page: Page, name: string): Promise<string[]> {
  return page.evaluate((name) => {
    const ranges = [...(CSS.highlights.get(name) ?? [])] as AbstractRange[];
    const at = (r: AbstractRange) => Number((r.startContainer.parentElement as HTMLElement).dataset.start) + r.startOffset;
    return ranges.sort((a, b) => at(a) - at(b)).map((r) => (r.startContainer as Text).data.slice(r.startOffset, r.endOffset));
  }, name);
}

interface ExportedDoc {
  title: string;
  text: string;
  annotations: { label: string; start: number; end: number; text: string }[];
}

function exportedCnn(): ExportedDoc {
  return runCli(['export', '--project', app.projectDir, '--format', 'jsonl'], app.env)
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ExportedDoc)
    .find((d) => CNN_OCTOBER.test(d.title))!;
}

function offsetsOf(text: string, exact: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (let at = text.indexOf(exact); at >= 0; at = text.indexOf(exact, at + exact.length)) out.push({ start: at, end: at + exact.length });
  return out;
}

test('typed spaces and a straight apostrophe find the NBSP and curly apostrophe of the CNN text; Tag all tags exactly those characters', async ({ page }) => {
  await openSampleArticle(page, app);
  await page.keyboard.press('Control+f');
  const findBar = page.getByRole('search');
  const input = findBar.getByLabel('Find in document');
  await expect(input).toBeFocused();

  await page.keyboard.type('to the Middle East');
  await expect(findBar).toContainText('1 of 1');
  await expect.poll(() => highlightTexts(page, 'find-current')).toEqual([MIDDLE_EAST]);
  await findBar.getByLabel('Label for all matches').selectOption('event');
  await findBar.getByRole('button', { name: 'Tag all' }).click();
  await expect(page.getByText('Tagged 1 match as event.')).toBeVisible();

  await input.fill('');
  await page.keyboard.type("Sinwar's");
  await expect(findBar).toContainText('1 of 4');
  await expect.poll(async () => [...(await highlightTexts(page, 'find-current')), ...(await highlightTexts(page, 'find-match'))]).toEqual(Array(4).fill(SINWARS));
  // Case as a browser finds it.
  await input.fill("sinwar's");
  await expect(findBar).toContainText('1 of 4');
  await findBar.getByLabel('Label for all matches').selectOption('source');
  await findBar.getByRole('button', { name: 'Tag all' }).click();
  await expect(page.getByText('Tagged 4 matches as source.')).toBeVisible();

  // What was tagged is the original characters at their original offsets, NBSP and curly apostrophe included.
  const cnn = exportedCnn();
  const tagged = (label: string) =>
    cnn.annotations
      .filter((a) => a.label === label)
      .sort((a, b) => a.start - b.start)
      .map((a) => ({ start: a.start, end: a.end, text: a.text }));
  expect(tagged('event')).toEqual(offsetsOf(cnn.text, MIDDLE_EAST).map((o) => ({ ...o, text: MIDDLE_EAST })));
  expect(tagged('source')).toEqual(offsetsOf(cnn.text, SINWARS).map((o) => ({ ...o, text: SINWARS })));
  expect(tagged('source')).toHaveLength(4);
});

test('the reading view finds dash variants, and diacritics only when asked', async ({ page }) => {
  await openSampleArticle(page, app);
  await page.keyboard.press('Control+f');
  const findBar = page.getByRole('search');
  // "about – in detail – since": en dashes in the text, hyphens typed.
  await page.keyboard.type('about - in detail - since');
  await expect(findBar).toContainText('1 of 1');
  await expect.poll(() => highlightTexts(page, 'find-current')).toEqual(['about – in detail – since']);

  await findBar.getByLabel('Find in document').fill('Israël');
  await expect(findBar).toContainText('No matches');
  const ignore = findBar.getByRole('button', { name: 'Ignore diacritics' });
  await expect(ignore).toHaveAttribute('aria-pressed', 'false');
  await ignore.click();
  await expect(ignore).toHaveAttribute('aria-pressed', 'true');
  await expect(findBar).toContainText(/1 of \d+/);
  await expect.poll(async () => (await highlightTexts(page, 'find-current'))[0]).toBe('Israel');
});

/** Types `query` into the document search, as a person does, and waits for the server's answer to it. */
async function searchDocuments(page: Page, query: string): Promise<{ title: string }[]> {
  const search = page.getByLabel('Search documents');
  await search.fill('');
  await search.click();
  // Wait for the answer to the whole query: the list of an earlier prefix ("Sinwar") would pass for it.
  const answer = page.waitForResponse((r) => r.url().includes('/api/listDocuments') && (r.request().postData() ?? '').includes(JSON.stringify(query).slice(1, -1)));
  await page.keyboard.type(query);
  await page.keyboard.press('Enter');
  return ((await (await answer).json()) as { value: { title: string }[] }).value;
}

test('the document list search finds the CNN article by "Sinwar\'s" typed with a straight apostrophe', async ({ page }) => {
  await openSampleArticle(page, app);
  const documents = page.getByRole('navigation', { name: 'Documents' });

  const found = await searchDocuments(page, "Sinwar's");
  expect(found.map((d) => CNN_OCTOBER.test(d.title))).toEqual([true]);
  await expect(page.locator('.document-list-header .count')).toHaveText('1');
  await expect(documents.getByRole('button', { name: CNN_OCTOBER })).toBeVisible();

  // A non-breaking space in the text, a plain one in the query.
  const middleEast = await searchDocuments(page, 'to the Middle East');
  expect(middleEast.some((d) => CNN_OCTOBER.test(d.title))).toBe(true);
  await expect(documents.getByRole('button', { name: CNN_OCTOBER })).toBeVisible();
});
