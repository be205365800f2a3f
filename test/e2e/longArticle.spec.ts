import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { clickText, repoRoot, runCli, signIn, startBrowserMode, type BrowserMode } from './browserMode';

/**
 * The reading view on a long article (400 paragraphs of real news text, 400 annotations and a
 * link), where only the paragraphs near the viewport are rendered: find, tag all, J/K, boundary
 * drags, selections and link arcs must reach paragraphs that were not rendered when the article
 * opened.
 */
const PARAGRAPHS = 400;
const TITLE = 'Long report on the ceasefire talks';
const FIND_WORD = 'marmalade';
const FIND_PARAGRAPHS = [5, 200, 390];
const QUOTE_TEXT = 'We are close to a deal';
const SOURCE_TEXT = 'An aide to the mediator';
const SOURCE_PARAGRAPH = 300;

/** "Paragraph n" opens paragraph n (the title is paragraph 0); the rest is real text from the sample articles. */
function buildArticle(): string {
  const samples = readdirSync(path.join(repoRoot, 'resources', 'samples'))
    .sort()
    .flatMap((file) => readFileSync(path.join(repoRoot, 'resources', 'samples', file), 'utf8').split('\n'))
    .map((line) => line.trim())
    .filter((line) => line.length > 80);
  const paragraphs = [TITLE];
  for (let n = 1; n <= PARAGRAPHS; n++) {
    let text = `Paragraph ${n}. ${samples[n % samples.length]!}`;
    if (FIND_PARAGRAPHS.includes(n)) text += ` Delegates were served ${FIND_WORD} at breakfast.`;
    if (n === 2) text += ` “${QUOTE_TEXT},” the envoy said.`;
    if (n === SOURCE_PARAGRAPH) text += ` ${SOURCE_TEXT} said so.`;
    paragraphs.push(text);
  }
  return paragraphs.join('\n\n');
}

/** The article and Ana's layer on it (a claim on every "Paragraph n", a quote linked to its source far below), as Margin jsonl. */
function writeProjectFile(dir: string): string {
  const text = buildArticle();
  const span = (needle: string) => {
    const start = text.indexOf(needle);
    if (start < 0) throw new Error(`"${needle}" is not in the article`);
    return { start, end: start + needle.length };
  };
  const annotations = Array.from({ length: PARAGRAPHS }, (_, i) => ({ id: `p${i + 1}`, label: 'claim', annotator: 'Ana', ...span(`Paragraph ${i + 1}.`) })).map((a) => ({
    ...a,
    end: a.end - 1,
  }));
  annotations.push({ id: 'quote', label: 'quote', annotator: 'Ana', ...span(QUOTE_TEXT) });
  annotations.push({ id: 'source', label: 'source', annotator: 'Ana', ...span(SOURCE_TEXT) });
  const file = path.join(dir, 'long-report.jsonl');
  const line = { title: TITLE, text, annotations, relations: [{ type: 'attributed-to', from: 'quote', to: 'source', annotator: 'Ana' }] };
  writeFileSync(file, `${JSON.stringify(line)}\n`);
  return file;
}

let app: BrowserMode;
test.beforeEach(async () => {
  app = await startBrowserMode((projectDir, env) => {
    const file = writeProjectFile(mkdtempSync(path.join(os.tmpdir(), 'margin-long-')));
    runCli(['import-annotations', '--project', projectDir, '--format', 'jsonl', '--annotator', 'Ana', file], env);
  });
});
test.afterEach(async () => {
  await app.stop();
});

const panel = (page: Page) => page.getByRole('complementary', { name: 'Annotations' });

async function openLongArticle(page: Page): Promise<void> {
  await signIn(page, app, 'Ana');
  await page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: new RegExp(TITLE) }).click();
  await expect(page.getByTestId('reading-text')).toContainText('Paragraph 1.');
  await expect(panel(page).locator('h2 .count')).toHaveText(String(PARAGRAPHS + 2));
  // Fonts loaded and paragraphs measured: what a test points at stays where it was found.
  await expect
    .poll(() =>
      page.evaluate(async () => {
        await document.fonts.ready;
        const top = () => Array.from(document.querySelectorAll('.reading-text p[data-index]'), (p) => p.getBoundingClientRect().top).join();
        const before = top();
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        return top() === before;
      }),
    )
    .toBe(true);
}

/** Indexes of the paragraphs in the DOM. */
function renderedParagraphs(page: Page): Promise<number[]> {
  return page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('.reading-text p[data-index]'), (p) => Number(p.dataset.index)));
}

/** Whether paragraph `index` is in the DOM and at least partly inside the reading view's viewport. */
function onScreen(page: Page, index: number): Promise<boolean> {
  return page.evaluate((index) => {
    const p = document.querySelector(`.reading-text p[data-index="${index}"]`);
    const view = document.querySelector('.reading-view');
    if (!p || !view) return false;
    const a = p.getBoundingClientRect();
    const b = view.getBoundingClientRect();
    return a.bottom > b.top && a.top < b.bottom;
  }, index);
}

/** Scrolls the reading view (as a reader would, a few screens at a time) until paragraph `index` is on screen. */
async function scrollToParagraph(page: Page, index: number): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate((index) => {
          const view = document.querySelector<HTMLElement>('.reading-view')!;
          const p = document.querySelector<HTMLElement>(`.reading-text p[data-index="${index}"]`);
          const shown = Array.from(document.querySelectorAll<HTMLElement>('.reading-text p[data-index]'), (e) => Number(e.dataset.index));
          if (p) {
            const a = p.getBoundingClientRect();
            const b = view.getBoundingClientRect();
            if (a.bottom > b.top && a.top < b.bottom) return true;
          }
          const middle = shown[Math.floor(shown.length / 2)] ?? 0;
          view.scrollTop += Math.sign(index - middle) * view.clientHeight * Math.min(3, Math.max(0.5, Math.abs(index - middle) / 10));
          return false;
        }, index),
      { intervals: [50] },
    )
    .toBe(true);
}

/** The text each range of a CSS highlight paints, with the paragraph it is in. */
function highlighted(page: Page, name: string): Promise<{ text: string; paragraph: number }[]> {
  return page.evaluate((name) => {
    const out: { text: string; paragraph: number }[] = [];
    CSS.highlights.get(name)?.forEach((range) => {
      const r = range as AbstractRange;
      const p = r.startContainer.parentElement as HTMLElement;
      out.push({ text: (r.startContainer as Text).data.slice(r.startOffset, r.endOffset), paragraph: Number(p.dataset.index) });
    });
    return out;
  }, name);
}

test('only the paragraphs and list items near the viewport are in the DOM, wherever the view is scrolled; a list item brings its text into view', async ({ page }) => {
  await openLongArticle(page);
  const bounded = async () => {
    const counts = await page.evaluate(() => ({
      paragraphs: document.querySelectorAll('.reading-text p[data-index]').length,
      items: document.querySelectorAll('.annotation-list li').length,
      nodes: document.querySelectorAll('*').length,
      ranges: [...CSS.highlights.keys()].filter((k) => k.startsWith('margin-') && !k.startsWith('margin-suggested-')).reduce((n, k) => n + CSS.highlights.get(k)!.size, 0),
      ...((suggested: AbstractRange[]) => ({ suggested: suggested.length, detached: suggested.filter((r) => !r.startContainer.isConnected).length }))(
        [...CSS.highlights.keys()].filter((k) => k.startsWith('margin-suggested-')).flatMap((k) => [...CSS.highlights.get(k)!] as AbstractRange[]),
      ),
    }));
    // 401 paragraphs and 402 annotations: a small window of each is rendered and painted.
    expect(counts.paragraphs).toBeGreaterThan(5);
    expect(counts.paragraphs).toBeLessThan(PARAGRAPHS / 10);
    expect(counts.items).toBeGreaterThan(5);
    expect(counts.items).toBeLessThan(PARAGRAPHS / 10);
    expect(counts.ranges).toBeLessThan(PARAGRAPHS / 10);
    // Suggestions too are painted on the rendered paragraphs only: no range is left on one gone from the DOM.
    expect(counts.suggested).toBeLessThan(PARAGRAPHS / 5);
    expect(counts.detached).toBe(0);
    expect(counts.nodes).toBeLessThan(600);
  };
  await bounded();
  await scrollToParagraph(page, 200);
  await bounded();
  await expect.poll(() => renderedParagraphs(page)).not.toContain(1);
  // The claim on "Paragraph 200" is painted now that its paragraph is rendered.
  await expect.poll(() => highlighted(page, 'margin-label-0')).toContainEqual({ text: 'Paragraph 200', paragraph: 200 });
  await scrollToParagraph(page, PARAGRAPHS);
  await bounded();
  // The list scrolls on its own: its last items are rendered when it is scrolled to the end.
  await panel(page).evaluate((aside) => (aside.scrollTop = aside.scrollHeight));
  await expect(panel(page).locator('li').filter({ hasText: `Paragraph ${PARAGRAPHS}` })).toHaveCount(1);
  await bounded();
  // Picking an item of the list scrolls the text to it, wherever the text was.
  await scrollToParagraph(page, 1);
  await panel(page).locator('li').filter({ hasText: `Paragraph ${PARAGRAPHS - 2}` }).locator('.annotation-item').click();
  await expect.poll(() => onScreen(page, PARAGRAPHS - 2)).toBe(true);
  await expect.poll(() => highlighted(page, 'margin-selected')).toEqual([{ text: `Paragraph ${PARAGRAPHS - 2}`, paragraph: PARAGRAPHS - 2 }]);
  await bounded();
});

test('find steps to matches in paragraphs that were not rendered, and tag all tags every one of them', async ({ page }) => {
  await openLongArticle(page);
  expect(await renderedParagraphs(page)).not.toContain(FIND_PARAGRAPHS[1]);
  await page.keyboard.press('Control+f');
  const findBar = page.getByRole('search');
  await findBar.getByLabel('Find in document').fill(FIND_WORD);
  await expect(findBar).toContainText('1 of 3');
  await expect.poll(() => highlighted(page, 'find-current')).toEqual([{ text: FIND_WORD, paragraph: FIND_PARAGRAPHS[0] }]);

  for (const [i, paragraph] of FIND_PARAGRAPHS.entries()) {
    if (i === 0) continue;
    await findBar.getByLabel('Find in document').press('Enter');
    await expect(findBar).toContainText(`${i + 1} of 3`);
    await expect.poll(() => highlighted(page, 'find-current')).toEqual([{ text: FIND_WORD, paragraph }]);
    await expect.poll(() => onScreen(page, paragraph)).toBe(true);
  }

  await findBar.getByLabel('Label for all matches').selectOption('event');
  await findBar.getByRole('button', { name: 'Tag all' }).click();
  await expect(page.getByText('Tagged 3 matches as event.')).toBeVisible();
  await expect(panel(page).locator('.label-filter', { hasText: 'event' })).toContainText('3');
  await page.keyboard.press('Escape');

  // Each tagged match is painted as an event when its paragraph comes into view.
  for (const paragraph of FIND_PARAGRAPHS) {
    await scrollToParagraph(page, paragraph);
    await expect.poll(() => highlighted(page, 'margin-label-2')).toContainEqual({ text: FIND_WORD, paragraph });
  }
});

test('K and J jump to annotations in paragraphs that were not rendered, and the list follows', async ({ page }) => {
  await openLongArticle(page);
  expect(await renderedParagraphs(page)).not.toContain(PARAGRAPHS);

  // K with nothing selected: the last annotation, at the end of the article.
  await page.keyboard.press('k');
  await expect(panel(page).locator('li.selected .annotation-text')).toHaveText(`Paragraph ${PARAGRAPHS}`);
  await expect.poll(() => onScreen(page, PARAGRAPHS)).toBe(true);
  await expect.poll(() => highlighted(page, 'margin-selected')).toEqual([{ text: `Paragraph ${PARAGRAPHS}`, paragraph: PARAGRAPHS }]);

  await page.keyboard.press('k');
  await expect(panel(page).locator('li.selected .annotation-text')).toHaveText(`Paragraph ${PARAGRAPHS - 1}`);
  await expect.poll(() => highlighted(page, 'margin-selected')).toEqual([{ text: `Paragraph ${PARAGRAPHS - 1}`, paragraph: PARAGRAPHS - 1 }]);

  // J from the end wraps around to the first annotation, back at the top.
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await expect(panel(page).locator('li.selected .annotation-text')).toHaveText('Paragraph 1');
  await expect.poll(() => onScreen(page, 1)).toBe(true);
  await expect.poll(() => highlighted(page, 'margin-selected')).toEqual([{ text: 'Paragraph 1', paragraph: 1 }]);
});

test('a boundary of an annotation far down the article is dragged to a new word', async ({ page }) => {
  await openLongArticle(page);
  await page.keyboard.press('k');
  await expect.poll(() => onScreen(page, PARAGRAPHS)).toBe(true);
  const handle = page.getByRole('slider', { name: 'End of the annotation' });
  await expect(handle).toBeVisible();

  // Drag the end into the middle of the first long word after "Paragraph 400.": it snaps to that word's end.
  const { extended, target } = await page.evaluate((index) => {
    const text = document.querySelector(`.reading-text p[data-index="${index}"]`)!.firstChild as Text;
    const word = /[A-Za-z]{4,}/g;
    word.lastIndex = text.data.indexOf('. ') + 2;
    const found = word.exec(text.data)!;
    const middle = found.index + Math.floor(found[0].length / 2);
    const r = document.createRange();
    r.setStart(text, middle);
    r.setEnd(text, middle + 1);
    const rect = r.getClientRects()[0]!;
    return { extended: text.data.slice(0, found.index + found[0].length), target: { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 } };
  }, PARAGRAPHS);
  const box = (await handle.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move((box.x + target.x) / 2, target.y, { steps: 3 });
  await page.mouse.move(target.x, target.y, { steps: 3 });
  await page.mouse.up();

  expect(extended.startsWith(`Paragraph ${PARAGRAPHS}. `)).toBe(true);
  await expect(panel(page).locator('li.selected .annotation-text')).toHaveText(extended);
  await expect.poll(() => highlighted(page, 'margin-selected')).toEqual([{ text: extended, paragraph: PARAGRAPHS }]);
});

test('a selection dragged down across paragraphs scrolled in meanwhile is tagged whole', async ({ page }) => {
  await openLongArticle(page);
  const point = (index: number, needle: string, at: 'start' | 'end') =>
    page.evaluate(
      ({ index, needle, at }) => {
        const text = document.querySelector(`.reading-text p[data-index="${index}"]`)!.firstChild as Text;
        const i = text.data.indexOf(needle) + (at === 'start' ? 0 : needle.length - 1);
        const r = document.createRange();
        r.setStart(text, i);
        r.setEnd(text, i + 1);
        const rect = r.getClientRects()[0]!;
        return { x: rect.left + rect.width * (at === 'start' ? 0.3 : 0.7), y: rect.top + rect.height / 2 };
      },
      { index, needle, at },
    );
  const from = await point(3, 'Paragraph 3', 'start');
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 20, from.y, { steps: 2 });
  // Wheel down while the button is held, until paragraph 120 (not rendered when the drag began) is on screen.
  await expect
    .poll(
      async () => {
        const where = await page.evaluate(() => {
          const view = document.querySelector('.reading-view')!.getBoundingClientRect();
          const p = document.querySelector('.reading-text p[data-index="120"]')?.getBoundingClientRect();
          if (!p) return { at: 'below', by: 2000 };
          if (p.top > view.bottom - 60) return { at: 'below', by: Math.min(2000, p.top - view.top) };
          return p.bottom < view.top + 60 ? { at: 'above', by: -200 } : { at: 'here', by: 0 };
        });
        if (where.by !== 0) await page.mouse.wheel(0, where.by);
        return where.at;
      },
      { intervals: [100] },
    )
    .toBe('here');
  const to = await point(120, 'Paragraph 120', 'end');
  await page.mouse.move(to.x, to.y, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.press('3');

  const tagged = panel(page).locator('li').filter({ hasText: 'event' }).locator('.annotation-text');
  await expect(tagged).toHaveCount(1);
  await expect(tagged).toHaveText(/^Paragraph 3\. .*…$/);
  const exported = runCli(['export', '--project', app.projectDir, '--format', 'jsonl'], app.env);
  const doc = JSON.parse(exported.trim()) as { annotations: { label: string; text: string }[] };
  const event = doc.annotations.find((a) => a.label === 'event')!;
  expect(event.text.startsWith('Paragraph 3.')).toBe(true);
  expect(event.text.endsWith('Paragraph 120')).toBe(true);
});

/** The arc's two ends, and where the quote's and the source's first boxes are, relative to the text column. */
function arcAndEnds(page: Page) {
  return page.evaluate(
    ({ quote, source }) => {
      const root = document.querySelector<HTMLElement>('[data-testid="reading-text"]')!;
      const origin = root.getBoundingClientRect();
      const top = (needle: string) => {
        for (const p of root.querySelectorAll<HTMLElement>('p[data-index]')) {
          const text = p.firstChild as Text;
          const at = text.data.indexOf(needle);
          if (at < 0) continue;
          const r = document.createRange();
          r.setStart(text, at);
          r.setEnd(text, at + needle.length);
          const rect = r.getClientRects()[0]!;
          return [Math.round(rect.left - origin.left + rect.width / 2), Math.round(rect.top - origin.top)];
        }
        return null;
      };
      const d = document.querySelector('[data-testid="link-arcs"] g path')?.getAttribute('d') ?? '';
      const numbers = d.match(/-?\d+(\.\d+)?/g)?.map((n) => Math.round(Number(n))) ?? [];
      return { from: numbers.slice(0, 2), to: numbers.slice(-2), quote: top(quote), source: top(source) };
    },
    { quote: QUOTE_TEXT, source: SOURCE_TEXT },
  );
}

test('a link arc reaches its end far below, scrolled out of view and back', async ({ page }) => {
  await openLongArticle(page);
  expect(await onScreen(page, SOURCE_PARAGRAPH)).toBe(false);
  await clickText(page, QUOTE_TEXT);
  await expect(panel(page).locator('li.selected')).toContainText('quote');
  await expect(page.getByTestId('link-arcs')).toBeAttached();

  const arcMeetsBothEnds = async () => {
    const arc = await arcAndEnds(page);
    return arc.quote !== null && arc.source !== null && Math.abs(arc.from[0]! - arc.quote[0]!) <= 1 && Math.abs(arc.from[1]! - arc.quote[1]!) <= 1 && Math.abs(arc.to[0]! - arc.source[0]!) <= 1 && Math.abs(arc.to[1]! - arc.source[1]!) <= 1;
  };
  await expect.poll(arcMeetsBothEnds).toBe(true);
  // Scrolled down to the source: the arc still ends on it, now that it is measured where it really is.
  await scrollToParagraph(page, SOURCE_PARAGRAPH);
  await expect.poll(arcMeetsBothEnds).toBe(true);
  await expect(panel(page).locator('li.selected')).toContainText('quote');
  // And back up to the quote.
  await scrollToParagraph(page, 2);
  await expect.poll(arcMeetsBothEnds).toBe(true);
});
