import type { Page } from '@playwright/test';

export interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * The on-screen box of every character of an occurrence of `exact` in the reading view, in text
 * order (in a right-to-left paragraph the first character is the rightmost one).
 */
export function characterBoxes(page: Page, exact: string, occurrence = 0): Promise<Box[]> {
  return page.evaluate(
    ({ exact, occurrence }) => {
      let seen = 0;
      for (const p of document.querySelectorAll<HTMLElement>('.reading-text p[data-start]')) {
        const text = p.firstChild as Text;
        for (let at = text.data.indexOf(exact); at !== -1; at = text.data.indexOf(exact, at + 1)) {
          if (seen++ !== occurrence) continue;
          return Array.from({ length: exact.length }, (_, i) => {
            const r = document.createRange();
            r.setStart(text, at + i);
            r.setEnd(text, at + i + 1);
            const rect = r.getClientRects()[0]!;
            return { left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom };
          });
        }
      }
      throw new Error(`"${exact}" is not in the reading view`);
    },
    { exact, occurrence },
  );
}

/** A point inside a character's box, `fraction` of the way across it in reading order. */
export function inside(box: Box, fraction: number, rtl = false): { x: number; y: number } {
  const across = rtl ? 1 - fraction : fraction;
  return { x: box.left + (box.right - box.left) * across, y: (box.top + box.bottom) / 2 };
}

/** Presses the mouse at one point, drags in small steps to another and lets go, as a hand does. */
export async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 4 });
  await page.mouse.up();
}

export function overlaps(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}
