import { charDirection } from '../../../shared/direction';

/** Where a boundary between two characters is drawn, relative to the reading text's box. */
export interface EdgePlace {
  /** The x of the boundary: the character's left or right side, whichever its direction puts it on. */
  x: number;
  /** The box of the character's glyphs on its line. */
  top: number;
  bottom: number;
  /** The free height between this line's glyphs and the next (or previous) line's: where a grip fits without covering a letter. */
  gap: number;
}

function visibleRect(range: Range | null, last: boolean): DOMRect | null {
  const rects = range ? Array.from(range.getClientRects()).filter((r) => r.width > 0) : [];
  return (last ? rects.at(-1) : rects[0]) ?? null;
}

/**
 * The boundary at `offset`, drawn at the side of the character after it (`side` 'start') or
 * before it ('end'): the left side of a left-to-right letter, the right side of a right-to-left
 * one; digits run left to right, and spaces and punctuation follow their paragraph. Falls back
 * to the other character at a paragraph's edge; null when neither is rendered.
 */
export function edgePlace(
  text: string,
  offset: number,
  side: 'start' | 'end',
  rangeOf: (start: number, end: number) => Range | null,
  origin: DOMRect,
): EdgePlace | null {
  const tries: ['start' | 'end', number][] = side === 'start' ? [['start', offset], ['end', offset]] : [['end', offset], ['start', offset]];
  for (const [edge, at] of tries) {
    const index = edge === 'start' ? at : at - 1;
    if (index < 0 || index >= text.length || text[index] === '\n') continue;
    const range = rangeOf(index, index + 1);
    const rect = visibleRect(range, edge === 'end');
    const paragraph = range?.startContainer.parentElement;
    if (!rect || !paragraph) continue;
    const style = getComputedStyle(paragraph);
    const rtl = (charDirection(text[index]) ?? style.direction) === 'rtl';
    // The start of a character is its left side in left-to-right text; its end is the other side.
    const left = (edge === 'start') !== rtl;
    const lineHeight = parseFloat(style.lineHeight);
    return {
      x: (left ? rect.left : rect.right) - origin.left,
      top: rect.top - origin.top,
      bottom: rect.bottom - origin.top,
      gap: Number.isFinite(lineHeight) ? Math.max(0, lineHeight - rect.height) : 0,
    };
  }
  return null;
}
