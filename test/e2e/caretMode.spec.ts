import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { type BrowserMode, browserModeForEachTest, openSampleArticle, repoRoot, signIn } from './browserMode';
import { annotationItems } from './panels';

/**
 * Issue 11, item 3: tagging with the keyboard alone. Tab reaches the article, arrows move a caret
 * by word (Ctrl: by sentence), Shift extends the selection, a label key tags it; Import… and
 * Import folder… are reached with Tab and from the Menu.
 */
const fixtures = path.join(repoRoot, 'test/fixtures');
const LEAD_SENTENCE =
  'on Tuesday urged top Israeli officials to “capitalize” on\u00a0the killing of\u00a0Hamas leader\u00a0Yahya Sinwar’s death in order to secure the release of the remaining hostages held in Gaza and bring the war there to a close – but there is little evidence that either of those aims are within close reach.';

let app: BrowserMode;
browserModeForEachTest((started) => (app = started));


/** What has the keyboard focus: its class, its text and its accessible label. */
interface Focused {
  className: string;
  text: string;
  label: string | null;
}

/** Presses Tab until `reached` holds for the element with the focus; fails after `limit` presses. */
async function tabTo(page: Page, what: string, reached: (focused: Focused) => boolean, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i++) {
    const focused = await page.evaluate(() => {
      const e = document.activeElement;
      return { className: e?.className ?? '', text: e?.textContent?.trim() ?? '', label: e?.getAttribute('aria-label') ?? null };
    });
    if (reached(focused)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${limit} presses of Tab never reached ${what}`);
}

const named = (name: string) => (focused: Focused) => focused.text === name;

test('Tab reaches the article; arrows move a caret by word, Ctrl+arrows by sentence, Shift extends, label keys tag', async ({ page }) => {
  await openSampleArticle(page, app);
  await tabTo(page, 'the article', (focused) => focused.className.split(' ').includes('reading-view'));
  const caret = page.getByTestId('reading-caret');
  await expect(caret).toBeVisible();

  // From the top: past the caption and the dateline to the end of the lead's first sentence, then back to its start.
  for (let i = 0; i < 3; i++) await page.keyboard.press('Control+ArrowRight');
  await page.keyboard.press('Control+ArrowLeft');
  // Six words: "US Secretary of State Antony Blinken", tagged as an event.
  for (let i = 0; i < 6; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('3');
  await expect(annotationItems(page)).toHaveCount(1);
  await expect(annotationItems(page).first().locator('.annotation-text')).toHaveText('US\u00a0Secretary of State Antony Blinken');
  await expect(annotationItems(page).first()).toContainText('event');

  // The caret stayed after "Blinken": the rest of the sentence, by sentence, as a claim.
  await page.keyboard.press('Shift+Control+ArrowRight');
  await page.keyboard.press('1');
  await expect(annotationItems(page)).toHaveCount(2);
  await expect(annotationItems(page).filter({ hasText: 'claim' }).locator('.annotation-text')).toHaveText(`${LEAD_SENTENCE.slice(0, 140)}…`);

  // Shift+← takes back a word from a selection made with Shift+→; ← alone only moves the caret.
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('4');
  await expect(annotationItems(page)).toHaveCount(3);
  await expect(annotationItems(page).filter({ hasText: 'source' }).locator('.annotation-text')).toHaveText('close reach');
  await expect(page.locator('.reading-view')).toBeFocused();

  // The shortcut overlay lists the caret's keys.
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('move the caret one word');
  await page.keyboard.press('Escape');
  await expect(page.locator('.reading-view')).toBeFocused();
});

test('Import… and Import folder… are reached with Tab and from the Menu', async ({ page }) => {
  // Two imports through reader threads, whose cold start on a busy machine takes a while.
  test.slow();
  await signIn(page, app);
  const documents = page.getByRole('navigation', { name: 'Documents' });

  await tabTo(page, 'Import…', named('Import…'));
  let chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Enter');
  await (await chooser).setFiles(path.join(fixtures, 'article.md'));
  await expect(documents).toContainText('Heatwave pushes power demand to a summer record', { timeout: 45_000 });

  await tabTo(page, 'Import folder…', named('Import folder…'));
  await expect(page.locator(':focus')).toHaveAccessibleName(/Import folder/);

  // The Menu has both; the folder one imports the folder's articles (the four samples).
  await tabTo(page, 'Menu', named('Menu'));
  await page.keyboard.press('ArrowDown');
  const menu = page.getByRole('menu', { name: 'Actions' });
  await expect(menu.getByRole('menuitem', { name: 'Import articles…' })).toBeVisible();
  await expect(menu.getByRole('menuitem', { name: 'Import folder…' })).toBeVisible();
  chooser = page.waitForEvent('filechooser');
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  for (let i = 0; i < 5 && (await menu.locator(':focus').getAttribute('aria-label')) !== 'Import folder…'; i++) await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Import folder…' })).toBeFocused();
  await page.keyboard.press('Enter');
  await (await chooser).setFiles(path.join(repoRoot, 'resources/samples'));
  await expect(documents.getByRole('button')).toHaveCount(5, { timeout: 45_000 });
  await expect(documents).toContainText('urged top Israeli officials to “capitalize”');
});
