import type { Span } from './types';

/** A word with its offsets; `lower` for comparisons. Dots of abbreviations (Mr., U.S.) stay on the word. */
export interface Word extends Span {
  text: string;
  lower: string;
}

const WORD = /[\p{L}\p{N}]+(?:[’'\-.&][\p{L}\p{N}]+)*(?:\.(?=[\s\u00a0,]*\p{Lu}\p{Ll}))?|[,;:—–―()]|\.$/gu;

/** The words (and the punctuation that separates phrases: , ; : — ( )) of text[start, end). */
export function wordsIn(text: string, start: number, end: number): Word[] {
  const slice = text.slice(start, end);
  const out: Word[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(slice); m; m = WORD.exec(slice)) {
    let t = m[0];
    // "Mr." keeps its dot; a sentence's last word does not.
    if (t.endsWith('.') && !/^(?:\p{L}|Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|St|Jr|Sr|Rev|Prof)\.$/u.test(t)) t = t.slice(0, -1);
    if (t === '') continue;
    out.push({ start: start + m.index, end: start + m.index + t.length, text: t, lower: t.toLowerCase() });
  }
  return out;
}

/** The `lower` of a token that stands for a whole quoted passage. */
export const QUOTE_TOKEN = '<quote>';

export const isCapitalized = (w: Word | undefined): boolean => w !== undefined && /^\p{Lu}/u.test(w.text);
export const isPunct = (w: Word | undefined): boolean => w !== undefined && /^[,;:—–―()]$/u.test(w.text);

/**
 * The tokens of text[start, end) with each quoted passage inside it as one token (lower =
 * QUOTE_TOKEN), so rules see "<quote> , he said" whatever the quote holds.
 */
export function tokensWithQuotes(text: string, start: number, end: number, quotes: readonly Span[]): Word[] {
  const out: Word[] = [];
  let from = start;
  for (const q of quotes) {
    if (q.end <= start || q.start >= end) continue;
    out.push(...wordsIn(text, from, Math.max(from, q.start)));
    out.push({ start: q.start, end: q.end, text: '\u201c', lower: QUOTE_TOKEN });
    from = q.end;
  }
  out.push(...wordsIn(text, from, end));
  return out;
}
