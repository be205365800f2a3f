import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { type BrowserMode, browserModeForEachTest, dragSelect, repoRoot, signIn } from './browserMode';
import { annotationItems } from './panels';
import { characterBoxes, drag, inside, overlaps } from './textPoints';

/**
 * Issue 11, item 4: an Arabic news page (language "ar" in its markup, a Latin-script name inside
 * one paragraph, one paragraph in English) is read right to left, and selecting, tagging, the
 * highlights and the grips work on it.
 */
const ARTICLE = path.join(repoRoot, 'test/fixtures/rtl/arabic-news.html');
const WITH_NAME = 'المتحدث باسم الخارجية الأمريكية Matthew Miller في بيان';
const ENGLISH = 'We are closer than we have been in months';
const ARABIC = 'وزير الخارجية الأمريكي أنتوني بلينكن';

let app: BrowserMode;
browserModeForEachTest((started) => (app = started));

const paragraphWith = (page: Page, text: string) => page.locator('.reading-text p[data-start]', { hasText: text });

/** The text of every range Margin's annotation highlights paint. */
function paintedTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts: string[] = [];
    CSS.highlights.forEach((highlight, name) => {
      if (!name.startsWith('margin-label-')) return;
      for (const painted of highlight as Iterable<AbstractRange>) {
        const range = document.createRange();
        range.setStart(painted.startContainer, painted.startOffset);
        range.setEnd(painted.endContainer, painted.endOffset);
        texts.push(range.toString());
      }
    });
    return texts.sort();
  });
}

async function openArabicArticle(page: Page): Promise<void> {
  // The page is read on a reader thread, whose cold start on a busy machine takes a while.
  test.slow();
  await signIn(page, app);
  await page.getByTestId('import-input').setInputFiles(ARTICLE);
  await expect(page.getByTestId('reading-text')).toContainText(WITH_NAME, { timeout: 45_000 });
}

test('an Arabic article is read right to left: lang and dir per document, an English paragraph left to right', async ({ page }) => {
  await openArabicArticle(page);
  const text = page.getByTestId('reading-text');
  await expect(text).toHaveAttribute('lang', 'ar');
  await expect(text).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('heading', { name: 'بلينكن يصل إلى القاهرة' })).toHaveCSS('direction', 'rtl');
  // The paragraph with a Latin name stays right to left; the English one is left to right, of unknown language.
  await expect(paragraphWith(page, WITH_NAME)).toHaveCSS('direction', 'rtl');
  await expect(paragraphWith(page, ENGLISH)).toHaveAttribute('dir', 'ltr');
  await expect(paragraphWith(page, ENGLISH)).toHaveAttribute('lang', '');
  // Right to left for real: the paragraph's first word is drawn at its right.
  const [first] = await characterBoxes(page, 'وصل وزير');
  const box = (await paragraphWith(page, 'وصل وزير').boundingBox())!;
  expect(box.x + box.width - first!.right).toBeLessThan(first!.right - first!.left);
});

test('in right-to-left text a mouse selection around a Latin name is tagged as selected, painted, and its grips sit at its visual ends', async ({ page }) => {
  await openArabicArticle(page);

  await dragSelect(page, ARABIC);
  await page.keyboard.press('3');
  await expect(annotationItems(page).filter({ hasText: 'event' }).locator('.annotation-text')).toHaveText(ARABIC);

  // From inside the first letter (its right side: reading order) to inside the last one.
  const letters = await characterBoxes(page, WITH_NAME);
  await drag(page, inside(letters[0]!, 0.3, true), inside(letters.at(-1)!, 0.7, true));
  await page.keyboard.press('4');
  await expect(annotationItems(page)).toHaveCount(2);
  await expect(annotationItems(page).filter({ hasText: 'source' }).locator('.annotation-text')).toHaveText(WITH_NAME);
  await expect.poll(() => paintedTexts(page)).toEqual([ARABIC, WITH_NAME].sort());

  // The start grip at the right edge of the first letter, the end grip at the left edge of the last; neither on a letter.
  const start = (await page.getByRole('slider', { name: 'Start of the annotation' }).boundingBox())!;
  const end = (await page.getByRole('slider', { name: 'End of the annotation' }).boundingBox())!;
  const first = letters[0]!;
  const last = letters.at(-1)!;
  expect(Math.abs(start.x + start.width / 2 - first.right)).toBeLessThan(first.right - first.left);
  expect(Math.abs(end.x + end.width / 2 - last.left)).toBeLessThan(last.right - last.left);
  for (const grip of [start, end]) {
    const gripBox = { left: grip.x, right: grip.x + grip.width, top: grip.y, bottom: grip.y + grip.height };
    expect(letters.filter((letter) => overlaps(letter, gripBox))).toEqual([]);
  }

  // Dragging the end grip leftwards, onto the next word, takes the end past it.
  const next = await characterBoxes(page, 'مقتضب');
  await drag(page, { x: end.x + end.width / 2, y: end.y + end.height / 2 }, inside(next[2]!, 0.5, true));
  await expect(annotationItems(page).filter({ hasText: 'source' }).locator('.annotation-text')).toHaveText(`${WITH_NAME} مقتضب`);
  await expect.poll(() => paintedTexts(page)).toEqual([ARABIC, `${WITH_NAME} مقتضب`].sort());
});
