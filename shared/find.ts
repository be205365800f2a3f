/**
 * Find in document: every occurrence of a query in a text, as UTF-16 offsets into the original
 * text (the same offsets annotations use), however case folding changes string lengths.
 */
export interface Match {
  start: number;
  end: number;
}

export interface FindOptions {
  /** Exact code units when true; Unicode case folding otherwise (the default). */
  caseSensitive?: boolean;
  /** Only matches not glued to a letter, digit or combining mark on either side. */
  wholeWord?: boolean;
  /** Stop after this many matches (a find bar has no use for a million highlights). */
  limit?: number;
}

/** The most spans one "tag all" may create: the contract's createAnnotations limit. */
export const MAX_TAG_ALL = 5000;

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/**
 * Folds one code point for caseless comparison: upper then lower case, which is close to Unicode
 * full case folding (ß → ss, ﬁ → fi, ς → σ, K (Kelvin sign) → k) without a table of our own.
 * The Turkish capital İ folds to a plain i (not i + combining dot), so "istanbul" finds
 * "İstanbul"; the dotless ı folds to i as well, as its capital is I.
 */
function foldOnce(ch: string): string {
  if (ch === '\u0130') return 'i';
  return ch.toUpperCase().toLowerCase();
}
function foldCodePoint(ch: string): string {
  const once = foldOnce(ch);
  if (once === ch) return once;
  // A second pass settles chains such as ẞ → ß → ss.
  let twice = '';
  for (const c of once) twice += foldOnce(c);
  return twice;
}

/** Folds a whole string, per code point, so the result does not depend on context (final sigma). */
export function foldCase(s: string): string {
  let out = '';
  for (const ch of s) out += foldCodePoint(ch);
  return out;
}

interface Folded {
  /** The folded text. */
  text: string;
  /**
   * For each folded index i (and folded.length), the original index of the character whose
   * folding produced unit i, or null when folding preserved every index (then it is identity).
   */
  toOriginal: Uint32Array | null;
  /** Folded indices that begin (or end) the folding of an original character; null for identity. */
  boundary: Uint8Array | null;
}

const foldCache = new Map<string, Folded>();
const cache = (key: string, value: Folded): Folded => {
  // Only the latest texts: one open document and perhaps one before it.
  if (foldCache.size >= 2) foldCache.delete(foldCache.keys().next().value!);
  foldCache.set(key, value);
  return value;
};

/** Per BMP code unit: its folding as one unit plus one, or -1 when it folds to several (0: not yet known). */
const bmpFolds = new Int32Array(0x10000);
const multiFolds = new Map<number, string>();

function foldUnit(code: number): number {
  const known = bmpFolds[code]!;
  if (known !== 0) return known;
  const folded = foldCodePoint(String.fromCharCode(code));
  if (folded.length === 1) return (bmpFolds[code] = folded.charCodeAt(0) + 1);
  multiFolds.set(code, folded);
  return (bmpFolds[code] = -1);
}

const astralFolds = new Map<number, string>();
function foldAstral(cp: number): string {
  let folded = astralFolds.get(cp);
  if (folded === undefined) {
    folded = foldCodePoint(String.fromCodePoint(cp));
    astralFolds.set(cp, folded);
  }
  return folded;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const utf16Decoder = typeof TextDecoder === 'function' && littleEndian ? new TextDecoder('utf-16le') : null;

/** The string of these code units; lone surrogates survive (a decoder would replace them). */
function unitsToString(units: Uint16Array, length: number, loneSurrogates: boolean): string {
  if (utf16Decoder && !loneSurrogates) return utf16Decoder.decode(units.subarray(0, length));
  const parts: string[] = [];
  for (let i = 0; i < length; i += 4096) parts.push(String.fromCharCode(...units.subarray(i, Math.min(i + 4096, length))));
  return parts.join('');
}

/** The folded text being built, with its index arrays once some folding has changed a length. */
class FoldWriter {
  units: Uint16Array;
  toOriginal: Uint32Array | null = null;
  boundary: Uint8Array | null = null;
  length = 0;
  loneSurrogates = false;

  constructor(private readonly text: string) {
    this.units = new Uint16Array(text.length + 16);
  }

  private grow(needed: number): void {
    if (needed <= this.units.length) return;
    const size = Math.max(needed, Math.ceil(this.units.length * 1.5));
    const units = new Uint16Array(size);
    units.set(this.units);
    this.units = units;
    if (this.toOriginal && this.boundary) {
      const toOriginal = new Uint32Array(size + 1);
      toOriginal.set(this.toOriginal);
      this.toOriginal = toOriginal;
      const boundary = new Uint8Array(size + 1);
      boundary.set(this.boundary);
      this.boundary = boundary;
    }
  }

  /** One unit folded to one unit, from text index `i`. */
  one(unit: number, i: number): void {
    if (this.length >= this.units.length) this.grow(this.length + 1);
    this.units[this.length] = unit;
    if (this.toOriginal && this.boundary) {
      this.toOriginal[this.length] = i;
      this.boundary[this.length] = 1;
    }
    this.length++;
  }

  /** A character of `width` units at text index `i`, folded to `folded`. */
  many(folded: string, i: number, width: number): void {
    if (!this.toOriginal && folded.length !== width) {
      // The first change of length: everything before it mapped one to one.
      const toOriginal = new Uint32Array(this.units.length + 1);
      const boundary = new Uint8Array(this.units.length + 1);
      for (let k = 0; k < this.length; k++) {
        toOriginal[k] = k;
        boundary[k] = splitsPair(this.text, k) ? 0 : 1;
      }
      this.toOriginal = toOriginal;
      this.boundary = boundary;
    }
    this.grow(this.length + folded.length + 1);
    for (let k = 0; k < folded.length; k++) {
      this.units[this.length] = folded.charCodeAt(k);
      if (this.toOriginal && this.boundary) {
        this.toOriginal[this.length] = i;
        // Only the first unit of a character's folding starts it.
        this.boundary[this.length] = k === 0 ? 1 : 0;
      }
      this.length++;
    }
  }

  finish(): Folded {
    const text = unitsToString(this.units, this.length, this.loneSurrogates);
    if (!this.toOriginal || !this.boundary) return { text, toOriginal: null, boundary: null };
    this.toOriginal[this.length] = this.text.length;
    this.boundary[this.length] = 1;
    return { text, toOriginal: this.toOriginal.subarray(0, this.length + 1), boundary: this.boundary.subarray(0, this.length + 1) };
  }
}

/**
 * Folds the text and keeps the way back to original offsets, in one linear pass over code units
 * (each distinct character is folded once and remembered), so a megabyte folds in milliseconds.
 * The index arrays exist only when some character's folding changes length.
 */
function foldText(text: string): Folded {
  const cached = foldCache.get(text);
  if (cached) return cached;
  // Plain ASCII, the common case for English news: the native lower case is exact.
  if (/^[\0-\x7f]*$/.test(text)) return cache(text, { text: text.toLowerCase(), toOriginal: null, boundary: null });
  const n = text.length;
  const w = new FoldWriter(text);
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      w.one(code >= 0x41 && code <= 0x5a ? code + 32 : code, i);
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      w.many(foldAstral(text.codePointAt(i)!), i, 2);
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      // A lone surrogate stays as it is.
      w.loneSurrogates = true;
      w.one(code, i);
    } else {
      const f = foldUnit(code);
      if (f < 0) w.many(multiFolds.get(code)!, i, 1);
      else w.one(f - 1, i);
    }
  }
  return cache(text, w.finish());
}

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

/** True when `index` sits between the two halves of a surrogate pair. */
function splitsPair(text: string, index: number): boolean {
  if (index <= 0 || index >= text.length) return false;
  const hi = text.charCodeAt(index - 1);
  const lo = text.charCodeAt(index);
  return hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff;
}

/**
 * Every non-overlapping occurrence of `query` in `text`, in text order, as UTF-16 offsets into
 * `text`. Case-insensitive unless asked otherwise; an empty query finds nothing.
 */
export function findAll(text: string, query: string, options: FindOptions = {}): Match[] {
  const limit = options.limit ?? Infinity;
  if (query === '' || limit <= 0) return [];
  const needle = options.caseSensitive ? query.normalize('NFC') : foldCase(query.normalize('NFC'));
  if (needle === '') return [];
  const folded: Folded = options.caseSensitive ? { text, toOriginal: null, boundary: null } : foldText(text);
  const haystack = folded.text;
  const { toOriginal, boundary } = folded;
  const matches: Match[] = [];
  let from = 0;
  while (matches.length < limit) {
    const at = haystack.indexOf(needle, from);
    if (at < 0) break;
    const atEnd = at + needle.length;
    let start = at;
    let end = atEnd;
    let ok: boolean;
    if (toOriginal && boundary) {
      // A match must cover whole original characters, never half of one's folding.
      ok = boundary[at] === 1 && boundary[atEnd] === 1;
      start = toOriginal[at]!;
      end = toOriginal[atEnd]!;
    } else {
      ok = !splitsPair(text, start) && !splitsPair(text, end);
    }
    if (ok && options.wholeWord) ok = atWordBounds(text, start, end);
    if (ok) {
      matches.push({ start, end });
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
