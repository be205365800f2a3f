/**
 * Where text is on screen, for mouse input made the way a person makes it: paragraphs are
 * `<p data-start>` elements holding one text node (in Margin's view and in the peer's page).
 */
import type { Page } from '@playwright/test';

/** The centre of the character at document offset `offset`, in a rendered paragraph matching `paragraphs`. */
export async function charPoint(page: Page, paragraphs: string, offset: number): Promise<{ x: number; y: number }> {
  return page.evaluate(
    ({ paragraphs, offset }) => {
      for (const p of document.querySelectorAll<HTMLElement>(paragraphs)) {
        const text = p.firstChild;
        const start = Number(p.dataset.start);
        if (!(text instanceof Text) || offset < start || offset >= start + text.data.length) continue;
        const r = document.createRange();
        r.setStart(text, offset - start);
        r.setEnd(text, offset - start + 1);
        const rect = r.getClientRects()[0];
        if (!rect) break;
        return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
      }
      throw new Error(`offset ${offset} is not in a rendered paragraph`);
    },
    { paragraphs, offset },
  );
}

/** Selects [start, end) by dragging from inside its first character to inside its last one. */
export async function dragSelect(page: Page, paragraphs: string, start: number, end: number): Promise<void> {
  const from = await charPoint(page, paragraphs, start);
  const to = await charPoint(page, paragraphs, end - 1);
  await page.mouse.move(from.x - 2, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 3 });
  await page.mouse.move(to.x + 2, to.y, { steps: 3 });
  await page.mouse.up();
  const selected = await page.evaluate(() => document.getSelection()?.toString() ?? '');
  if (selected.trim().length === 0) throw new Error(`dragging over [${start}, ${end}) selected nothing`);
}
