import { originalSpan, searchForm, searchKey, type NormalizeOptions } from './textSearch';

export { foldCase } from './textSearch';

/**
 * Find in document, as a browser's find does (white space, quotes, dashes and case folded; see
 * textSearch.ts): every occurrence of a query in a text, as UTF-16 offsets into the original text
 * (the same offsets annotations use), however the folding changes string lengths.
 */
export interface Match {
  start: number;
  end: number;
}

export interface FindOptions extends NormalizeOptions {
  /** Only matches not glued to a letter, digit or combining mark on either side. */
  wholeWord?: boolean;
  /** Stop after this many matches (a find bar has no use for a million highlights). */
  limit?: number;
}

/** The most spans one "tag all" may create: the contract's createAnnotations limit. */
export const MAX_TAG_ALL = 5000;

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

function isWordChar(text: string, cp: number | undefined): boolean {
  return cp !== undefined && WORD_CHAR.test(String.fromCodePoint(cp));
}

/** The code point that ends just before `index` (a whole surrogate pair when there is one). */
function codePointBefore(text: string, index: number): number | undefined {
  if (index <= 0) return undefined;
  const lo = text.charCodeAt(index - 1);
  if (lo >= 0xdc00 && lo <= 0xdfff && index >= 2) {
    const hi = text.charCodeAt(index - 2);
    if (hi >= 0xd800 && hi <= 0xdbff) return text.codePointAt(index - 2);
  }
  return lo;
}

/** A whole-word match: no word character on both sides of either edge. */
function atWordBounds(text: string, start: number, end: number): boolean {
  const before = codePointBefore(text, start);
  const first = text.codePointAt(start);
  const last = codePointBefore(text, end);
  const after = end < text.length ? text.codePointAt(end) : undefined;
  const startOk = !isWordChar(text, before) || !isWordChar(text, first);
  const endOk = !isWordChar(text, last) || !isWordChar(text, after);
  return startOk && endOk;
}

/**
 * Every non-overlapping occurrence of `query` in `text`, in text order, as UTF-16 offsets into
 * `text`. Case-insensitive unless asked otherwise; an empty query finds nothing.
 */
export function findAll(text: string, query: string, options: FindOptions = {}): Match[] {
  const limit = options.limit ?? Infinity;
  if (query === '' || limit <= 0) return [];
  const needle = searchKey(query, options);
  if (needle === '') return [];
  const form = searchForm(text, options);
  const matches: Match[] = [];
  let from = 0;
  while (matches.length < limit) {
    const at = form.text.indexOf(needle, from);
    if (at < 0) break;
    const atEnd = at + needle.length;
    // A match covers whole original characters, never half of one's folding or surrogate pair.
    const span = originalSpan(text, form, at, atEnd);
    if (span && (!options.wholeWord || atWordBounds(text, span.start, span.end))) {
      matches.push(span);
      from = atEnd;
    } else {
      from = at + 1;
    }
  }
  return matches;
}

/**
 * The matches not yet tagged with `label` over exactly the same span, so "tag all" run twice
 * creates nothing the second time.
 */
export function untaggedMatches<T extends Match>(
  matches: readonly T[],
  annotations: readonly { label: string; start: number; end: number }[],
  label: string,
): T[] {
  const tagged = new Set<string>();
  for (const a of annotations) if (a.label === label) tagged.add(`${a.start}:${a.end}`);
  return matches.filter((m) => !tagged.has(`${m.start}:${m.end}`));
}
