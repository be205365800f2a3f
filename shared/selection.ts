/**
 * Turns what the mouse or keyboard selected into the span an analyst meant: whole words, no
 * surrounding whitespace. Returns null when nothing but whitespace was selected.
 */
const WORD = /[\p{L}\p{N}\p{M}_'’-]/u;

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && WORD.test(ch);
}

export interface Span {
  start: number;
  end: number;
}

export function snapToWords(text: string, start: number, end: number): Span | null {
  let s = Math.max(0, Math.min(start, end));
  let e = Math.min(text.length, Math.max(start, end));
  while (s < e && /\s/u.test(text[s]!)) s++;
  while (e > s && /\s/u.test(text[e - 1]!)) e--;
  if (s >= e) return null;
  // Grow outwards only when the selection cuts a word in two.
  while (s > 0 && isWordChar(text[s - 1]) && isWordChar(text[s])) s--;
  while (e < text.length && isWordChar(text[e]) && isWordChar(text[e - 1])) e++;
  return { start: s, end: e };
}

/**
 * Where a boundary lands when moved one word: starts move between word starts, ends between
 * word ends, so a span keeps covering whole words.
 */
export function moveBoundary(text: string, offset: number, edge: 'start' | 'end', direction: -1 | 1): number {
  const isStart = (i: number) => isWordChar(text[i]) && !isWordChar(text[i - 1]);
  const isEnd = (i: number) => isWordChar(text[i - 1]) && !isWordChar(text[i]);
  const hit = edge === 'start' ? isStart : isEnd;
  for (let i = offset + direction; i >= 0 && i <= text.length; i += direction) {
    if (hit(i)) return i;
  }
  return offset;
}
