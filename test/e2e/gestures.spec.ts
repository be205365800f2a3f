import { expect, test, type Page } from '@playwright/test';
import { type BrowserMode, browserModeForEachTest, clickText, dragSelect, openSampleArticle, QUOTE } from './browserMode';
import { annotationItems, details } from './panels';
import { characterBoxes, drag, inside, overlaps, type Box } from './textPoints';

/**
 * The gestures of issue 11, items 1 and 5, on the CNN sample: a drag that starts on a selected
 * span's first or last letter makes a new selection (the grips sit outside the letters), a
 * relabel that drops attribute values says which and is undone whole, and a fast key repeat
 * moves a boundary one word per key press.
 */
/** The sample's own spacing: a non-breaking space after "US". */
const EVENT = 'US\u00a0Secretary of State Antony Blinken on Tuesday urged top Israeli officials';
const SPEAKER = 'A US senior administration official';

let app: BrowserMode;
browserModeForEachTest((started) => (app = started));

const item = (page: Page, text: string) => annotationItems(page).filter({ has: page.locator('.annotation-text', { hasText: new RegExp(`^${text}$`) }) });

async function tagEvent(page: Page): Promise<void> {
  await dragSelect(page, EVENT);
  await page.keyboard.press('3');
  await expect(details(page).getByLabel('Label')).toHaveValue('event');
  await details(page).getByLabel('type').selectOption('statement');
  await expect(details(page).getByLabel('type')).toHaveValue('statement');
}

async function tagQuoteWithSpeaker(page: Page): Promise<void> {
  await dragSelect(page, QUOTE);
  await page.keyboard.press('2');
  await expect(details(page).getByLabel('Label')).toHaveValue('quote');
  await details(page).getByLabel('speaker').fill(SPEAKER);
  await details(page).getByLabel('speaker').press('Enter');
  await details(page).getByLabel('kind').selectOption('direct');
  await expect(details(page).getByLabel('kind')).toHaveValue('direct');
}

test('a drag from the first letter of the selected event over its first words tags a source; the event keeps its start, label and type', async ({ page }) => {
  await openSampleArticle(page, app);
  await tagEvent(page);
  await page.keyboard.press('Escape');

  // Click the event: it is selected, its grips are shown.
  await clickText(page, 'urged top');
  await expect(details(page).getByLabel('Label')).toHaveValue('event');
  await expect(page.getByRole('slider', { name: 'Start of the annotation' })).toBeVisible();

  // Press on the left stroke of the "U" of "US", drag over "US Secretary of State", press 4 (source).
  const letters = await characterBoxes(page, EVENT);
  const state = EVENT.indexOf('State') + 'State'.length - 1;
  await drag(page, inside(letters[0]!, 0.15), inside(letters[state]!, 0.7));
  await page.keyboard.press('4');

  await expect(annotationItems(page)).toHaveCount(2);
  await expect(item(page, 'US\u00a0Secretary of State')).toContainText('source');
  await expect(item(page, EVENT)).toContainText('event');
  await item(page, EVENT).locator('.annotation-item').click();
  await expect(details(page).getByLabel('Label')).toHaveValue('event');
  await expect(details(page).getByLabel('type')).toHaveValue('statement');
});

test('a drag from the last letter of the selected quote back over its last words tags a claim; the quote keeps its speaker', async ({ page }) => {
  await openSampleArticle(page, app);
  await tagQuoteWithSpeaker(page);
  await page.keyboard.press('Escape');

  await clickText(page, 'series');
  await expect(details(page).getByLabel('Label')).toHaveValue('quote');
  await expect(page.getByRole('slider', { name: 'End of the annotation' })).toBeVisible();

  // Press on the final "s" of "conversations", drag back to the "p" of "productive", press 1 (claim).
  const letters = await characterBoxes(page, QUOTE);
  await drag(page, inside(letters[QUOTE.length - 1]!, 0.75), inside(letters[QUOTE.indexOf('productive')]!, 0.3));
  await page.keyboard.press('1');

  await expect(annotationItems(page)).toHaveCount(2);
  await expect(item(page, 'productive conversations')).toContainText('claim');
  await item(page, QUOTE).locator('.annotation-item').click();
  await expect(details(page).getByLabel('Label')).toHaveValue('quote');
  await expect(details(page).getByLabel('speaker')).toHaveValue(SPEAKER);
  await expect(details(page).getByLabel('kind')).toHaveValue('direct');
});

/** Every character box of the paragraph holding `exact`: what a drag may start on. */
function paragraphLetters(page: Page, exact: string): Promise<Box[]> {
  return page.evaluate((exact) => {
    const p = [...document.querySelectorAll<HTMLElement>('.reading-text p[data-start]')].find((e) => e.textContent!.includes(exact))!;
    const text = p.firstChild as Text;
    return Array.from({ length: text.length }, (_, i) => {
      const r = document.createRange();
      r.setStart(text, i);
      r.setEnd(text, i + 1);
      const rect = r.getClientRects()[0];
      return rect ? { left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom } : null;
    }).filter((b): b is NonNullable<typeof b> => b !== null && b.right > b.left);
  }, exact);
}

test('the grips sit outside the letters, and dragging one still moves its boundary', async ({ page }) => {
  await openSampleArticle(page, app);
  await tagEvent(page);
  const start = page.getByRole('slider', { name: 'Start of the annotation' });
  const end = page.getByRole('slider', { name: 'End of the annotation' });
  await expect(start).toBeVisible();
  const letters = await paragraphLetters(page, EVENT);
  for (const grip of [start, end]) {
    const b = (await grip.boundingBox())!;
    const box = { left: b.x, right: b.x + b.width, top: b.y, bottom: b.y + b.height };
    expect(letters.filter((letter) => overlaps(letter, box))).toEqual([]);
  }

  // The end grip dragged onto the middle of "capitalize" takes the end past "to “capitalize".
  const word = await characterBoxes(page, 'capitalize');
  const b = (await end.boundingBox())!;
  await drag(page, { x: b.x + b.width / 2, y: b.y + b.height / 2 }, inside(word[4]!, 0.5));
  await expect(item(page, `${EVENT} to “capitalize`)).toContainText('event');
});

test('relabelling a quote as a claim names the values it drops, and Ctrl+Z brings back the label and the values', async ({ page }) => {
  await openSampleArticle(page, app);
  await tagQuoteWithSpeaker(page);
  await page.keyboard.press('Escape');
  await clickText(page, 'series');
  await expect(details(page).getByLabel('Label')).toHaveValue('quote');

  await page.keyboard.press('1');
  await expect(details(page).getByLabel('Label')).toHaveValue('claim');
  const notice = page.getByRole('status').filter({ hasText: 'Relabelled as claim' });
  await expect(notice).toContainText(`speaker: ${SPEAKER}`);
  await expect(notice).toContainText('kind: direct');
  await expect(notice).toContainText('Ctrl+Z');

  await page.keyboard.press('Control+z');
  await expect(details(page).getByLabel('Label')).toHaveValue('quote');
  await expect(details(page).getByLabel('speaker')).toHaveValue(SPEAKER);
  await expect(details(page).getByLabel('kind')).toHaveValue('direct');
});

test('four Alt+→ sent in a burst move the start four words', async ({ page }) => {
  await openSampleArticle(page, app);
  await dragSelect(page, QUOTE);
  await page.keyboard.press('2');
  await expect(details(page).getByLabel('Label')).toHaveValue('quote');

  // A burst the way key repeat sends it: the key events go to the browser's input pipeline one
  // after another without waiting for each (Playwright's keyboard waits for every press).
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { keyTimes: number[] }).keyTimes = seen;
    window.addEventListener('keydown', (e) => e.key === 'ArrowRight' && seen.push(e.timeStamp), true);
  });
  const cdp = await page.context().newCDPSession(page);
  const ALT = 1;
  const arrow = { key: 'ArrowRight', code: 'ArrowRight', windowsVirtualKeyCode: 39, modifiers: ALT };
  await Promise.all([
    cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key: 'Alt', code: 'AltLeft', windowsVirtualKeyCode: 18, modifiers: ALT }),
    ...Array.from({ length: 4 }, () => [
      cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', ...arrow }),
      cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...arrow }),
    ]).flat(),
    cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Alt', code: 'AltLeft', windowsVirtualKeyCode: 18, modifiers: 0 }),
  ]);
  const times = await page.evaluate(() => (window as unknown as { keyTimes: number[] }).keyTimes);
  expect(times).toHaveLength(4);
  console.log(`four Alt+→ within ${(times.at(-1)! - times[0]!).toFixed(1)} ms`);

  await expect(annotationItems(page)).toHaveCount(1);
  // Four writes, one after another, each read back: a while on a busy machine.
  await expect(annotationItems(page).locator('.annotation-text')).toHaveText('productive conversations', { timeout: 30_000 });
  // Each press is its own step: one undo takes back one word.
  await page.keyboard.press('Control+z');
  await expect(annotationItems(page).locator('.annotation-text')).toHaveText('big, productive conversations');
});
