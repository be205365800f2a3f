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
