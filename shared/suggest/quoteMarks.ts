import type { Span } from './types';

/**
 * Finds the quoted passages of an article: pairs of quotation marks of every common style
 * (“…”, "…", «…», „…“, and ‘…’ / '…' when no double marks are open), with the marks inside the span.
 *
 * News convention for long quotes: a paragraph that opens a quote and does not close it continues
 * in the next paragraph when that one opens with a quotation mark again; the passage ends at the
 * closing mark. A quote left open at a paragraph end without such a continuation ends there.
 */
export interface QuotedPassage extends Span {
  /** The span without its marks (and without the marks reopening continued paragraphs). */
  innerStart: number;
  innerEnd: number;
}

const DOUBLE_OPEN = new Set(['“', '«', '„']);
const DOUBLE_CLOSE = new Set(['”', '»']);
const SINGLE_OPEN = '‘';
const SINGLE_CLOSE = '’';

const isLetter = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
const isSpace = (ch: string | undefined): boolean => ch === undefined || /[\s\u00a0]/u.test(ch);
/** Characters after which a straight quote opens rather than closes. */
const opensAfter = (ch: string | undefined): boolean => ch === undefined || /[\s\u00a0([{\u2014\u2013\-—:/]/u.test(ch);

function isOpening(text: string, i: number): boolean {
  const ch = text[i]!;
  if (DOUBLE_OPEN.has(ch)) return true;
  // ”Fortunately, … — a closing mark typed where an opening one belongs, at a paragraph start.
  if (ch === '”') return (i === 0 || text[i - 1] === '\n') && isLetter(text[i + 1]);
  if (ch === '"') return opensAfter(text[i - 1]) && !isSpace(text[i + 1] === FILLER ? text[i + 2] : text[i + 1]);
  return false;
}

/** A single mark that opens a quote: ‘ or ' at a word start (not an elision such as ’90s). */
function isSingleOpening(text: string, i: number): boolean {
  const ch = text[i];
  if (ch !== SINGLE_OPEN && ch !== "'") return false;
  return opensAfter(text[i - 1]) && isLetter(text[i + 1]) && !/^\d0s/.test(text.slice(i + 1, i + 4));
}

/** A single mark that closes: not between two letters (an apostrophe: don’t, Clinton’s). */
function isSingleClosing(text: string, i: number): boolean {
  const ch = text[i];
  if (ch !== SINGLE_CLOSE && ch !== "'") return false;
  return !(isLetter(text[i - 1]) && isLetter(text[i + 1]));
}

/** Where the paragraph that starts at or after `from` begins, skipping blank lines and spaces. */
function nextParagraphStart(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text[i])) i++;
  return i;
}

/** Two apostrophes used as a double quotation mark (''like this'', as some newspapers' copy has it). */
const DOUBLED = /''/g;
/** Stands in for the second apostrophe: neither a letter nor a space, so the first reads as a straight double mark. */
const FILLER = '\u2060';

export function findQuotedPassages(original: string): QuotedPassage[] {
  const text = original.includes("''") ? original.replace(DOUBLED, `"${FILLER}`) : original;
  const passages = scan(text);
  // A closing '' ends after its second apostrophe.
  return text === original ? passages : passages.map((p) => (text[p.end] === FILLER ? { ...p, end: p.end + 1 } : p));
}

function scan(text: string): QuotedPassage[] {
  const out: QuotedPassage[] = [];
  let open = -1;
  let innerStart = -1;
  let single = false;
  let depth = 0;
  /** Whether the open passage began with a straight mark: it continues only into a paragraph opening with one. */
  let straight = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      if (open === -1) continue;
      // A paragraph end inside a quote: it continues only when the next paragraph reopens it.
      const next = nextParagraphStart(text, i);
      if (!single && next < text.length && isOpening(text, next) && (text[next] === '"') === straight) {
        depth = 0;
        i = next;
        continue;
      }
      // Never closed and not continued: a stray mark, not a quote.
      open = -1;
      continue;
    }
    if (open === -1) {
      if (isOpening(text, i)) {
        depth = 0;
        straight = ch === '"';
        open = i;
        innerStart = i + 1;
        single = false;
      } else if (isSingleOpening(text, i) && hasSingleClose(text, i)) {
        open = i;
        innerStart = i + 1;
        single = true;
      }
      continue;
    }
    if (!single && !straight && DOUBLE_OPEN.has(ch) && ch !== '„' && ch !== '«') {
      // A quote inside a quote written with the same marks (“… what he calls “hell” than …”).
      depth++;
      continue;
    }
    // Sloppy copy closes a straight mark with a curly one and back: either closes, but a passage continues only in its own kind.
    const closes = single ? isSingleClosing(text, i) : DOUBLE_CLOSE.has(ch) || ch === '"';
    if (closes && depth > 0) {
      depth--;
      continue;
    }
    if (closes) {
      out.push({ start: open, end: i + 1, innerStart, innerEnd: i });
      open = -1;
    }
  }
  return out;
}

/** A single opening mark counts only if a closing one follows in the same paragraph (else it is an apostrophe). */
function hasSingleClose(text: string, from: number): boolean {
  for (let i = from + 2; i < text.length && text[i] !== '\n'; i++) {
    if (text[i] === '"' || DOUBLE_OPEN.has(text[i]!) || DOUBLE_CLOSE.has(text[i]!)) return false;
    if (isSingleClosing(text, i) && !isLetter(text[i + 1])) return true;
  }
  return false;
}
