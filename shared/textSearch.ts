/**
 * Text as a browser's find compares it: what an analyst types must find what a news page holds.
 * Pages write non-breaking and thin spaces, curly quotes and apostrophes, en and em dashes and
 * line breaks where people type plain spaces, straight quotes and hyphens. Both the text and the
 * query are brought to one search form, and every unit of the text's search form remembers the
 * original character it came from, so a match maps back to exact offsets in the original text.
 *
 * The search form of a text:
 * - every run of white space (spaces, tabs, line breaks, NBSP, thin and other Unicode spaces) is
 *   one space;
 * - soft hyphens, zero-width spaces, word joiners and byte order marks vanish (they are invisible);
 * - single quotes and apostrophes (‘ ’ ‚ ‛ ′ ʼ ＇) are ', double quotes (“ ” „ ‟ ″ ＂) are ";
 * - hyphens and dashes (‐ ‑ ‒ – — ― − ⸺ ⸻ ﹘ ﹣ －) are -;
 * - letters are case-folded unless the case must match;
 * - diacritics (accents, Hebrew points, Arabic harakat) are removed only when asked to ignore them.
 */

export interface NormalizeOptions {
  /** Keep letter case as written (the other foldings still apply). */
  caseSensitive?: boolean;
  /** Remove diacritics, so "Israel" finds "Israël" and "cafe" finds "café". */
  ignoreDiacritics?: boolean;
}

/** A text in search form, with the way back to the original. */
export interface SearchForm {
  /** The search form of the text. */
  text: string;
  /** For each unit of `text` (and one past its end), the original offset of the character it came from. */
  toOriginal: Uint32Array;
  /** 1 where a unit begins a character's search form (and one past the end): a match must start and end there. */
  starts: Uint8Array;
}

/* ---- Case folding ---------------------------------------------------------------------------- */

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

/** Folds case only, per code point, so the result does not depend on context (final sigma). */
export function foldCase(s: string): string {
  let out = '';
  for (const ch of s) out += foldCodePoint(ch);
  return out;
}

/* ---- Character classes ----------------------------------------------------------------------- */

/** A character class, to test one character and to replace them all in a string. */
function charClass(members: string): { one: RegExp; all: RegExp } {
  return { one: new RegExp(`^[${members}]$`), all: new RegExp(`[${members}]`, 'g') };
}
/** Invisible characters that break no word: soft hyphen, zero-width space, word joiner, BOM. */
const INVISIBLE = charClass('\\u00ad\\u200b\\u2060\\ufeff');
const SPACE = charClass('\\s');
const SINGLE_QUOTE = charClass('\\u2018\\u2019\\u201a\\u201b\\u2032\\u02bc\\uff07');
const DOUBLE_QUOTE = charClass('\\u201c\\u201d\\u201e\\u201f\\u2033\\uff02');
const DASH = charClass('\\u2010-\\u2015\\u2212\\u2e3a\\u2e3b\\ufe58\\ufe63\\uff0d');
/**
 * Diacritics, as [first, last] code point ranges: the combining marks of Latin, Greek and
 * Cyrillic, Hebrew points and Arabic harakat. Not every \p{M}: in Indic scripts marks are vowels,
 * and dropping them would merge words.
 */
const DIACRITICS: readonly (readonly [number, number])[] = [
  [0x0300, 0x036f], [0x1ab0, 0x1aff], [0x1dc0, 0x1dff], [0x20d0, 0x20ff], [0xfe20, 0xfe2f],
  [0x0591, 0x05bd], [0x05bf, 0x05bf], [0x05c1, 0x05c2], [0x05c4, 0x05c5], [0x05c7, 0x05c7],
  [0x0610, 0x061a], [0x064b, 0x065f], [0x0670, 0x0670], [0x06d6, 0x06ed],
];
const isDiacritic = (cp: number) => DIACRITICS.some(([first, last]) => cp >= first && cp <= last);

function stripDiacritics(ch: string): string {
  const decomposed = [...ch.normalize('NFD')];
  const kept = decomposed.filter((c) => !isDiacritic(c.codePointAt(0)!));
  // Only a character that carried a diacritic changes (a Hangul syllable stays whole).
  return kept.length === decomposed.length ? ch : kept.join('').normalize('NFC');
}

/** What one character becomes: a string (possibly empty), or SPACE_RUN for white space. */
const SPACE_RUN = null;
type Form = string | typeof SPACE_RUN;

function formOf(ch: string, caseSensitive: boolean, ignoreDiacritics: boolean): Form {
  if (INVISIBLE.one.test(ch)) return '';
  if (SPACE.one.test(ch)) return SPACE_RUN;
  if (SINGLE_QUOTE.one.test(ch)) return "'";
  if (DOUBLE_QUOTE.one.test(ch)) return '"';
  if (DASH.one.test(ch)) return '-';
  const bare = ignoreDiacritics ? stripDiacritics(ch) : ch;
  return caseSensitive ? bare : foldCase(bare);
}

/**
 * Per options, per BMP code unit: its form as one unit plus one; 0 not yet known; -1 white space;
 * -2 a form of another length (kept in `other`). Astral code points are remembered in `astral`.
 */
interface FormTable {
  bmp: Int32Array;
  other: Map<number, string>;
  astral: Map<number, Form>;
  caseSensitive: boolean;
  ignoreDiacritics: boolean;
}
const optionsKey = (options: NormalizeOptions) => (options.caseSensitive ? 1 : 0) + (options.ignoreDiacritics ? 2 : 0);
const tables = new Map<number, FormTable>();
function tableFor(options: NormalizeOptions): FormTable {
  const key = optionsKey(options);
  let table = tables.get(key);
  if (!table) {
    table = { bmp: new Int32Array(0x10000), other: new Map(), astral: new Map(), caseSensitive: options.caseSensitive ?? false, ignoreDiacritics: options.ignoreDiacritics ?? false };
    tables.set(key, table);
  }
  return table;
}

const WHITE = -1;
const OTHER = -2;
function bmpForm(table: FormTable, code: number): number {
  const known = table.bmp[code]!;
  if (known !== 0) return known;
  // A lone surrogate stays as it is.
  const form = code >= 0xd800 && code <= 0xdfff ? String.fromCharCode(code) : formOf(String.fromCharCode(code), table.caseSensitive, table.ignoreDiacritics);
  if (form === SPACE_RUN) return (table.bmp[code] = WHITE);
  if (form.length === 1) return (table.bmp[code] = form.charCodeAt(0) + 1);
  table.other.set(code, form);
  return (table.bmp[code] = OTHER);
}
function astralForm(table: FormTable, cp: number): Form {
  let form = table.astral.get(cp);
  if (form === undefined) {
    form = formOf(String.fromCodePoint(cp), table.caseSensitive, table.ignoreDiacritics);
    table.astral.set(cp, form);
  }
  return form;
}

/* ---- The search form, built in one pass -------------------------------------------------------- */

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const utf16Decoder = typeof TextDecoder === 'function' && littleEndian ? new TextDecoder('utf-16le') : null;

/** The string of these code units; lone surrogates survive (a decoder would replace them). */
function unitsToString(units: Uint16Array, length: number, loneSurrogates: boolean): string {
  if (utf16Decoder && !loneSurrogates) return utf16Decoder.decode(units.subarray(0, length));
  const parts: string[] = [];
  for (let i = 0; i < length; i += 4096) parts.push(String.fromCharCode(...units.subarray(i, Math.min(i + 4096, length))));
  return parts.join('');
}

/** The search form being written, with its map back to the original when one is wanted. */
class FormWriter {
  units: Uint16Array;
  toOriginal: Uint32Array | null;
  starts: Uint8Array | null;
  length = 0;
  loneSurrogates = false;
  /** The last unit written is a space: the next white space joins its run. */
  inSpace = false;

  constructor(size: number, mapped: boolean) {
    this.units = new Uint16Array(size + 16);
    // One more entry than units: the end of the text.
    this.toOriginal = mapped ? new Uint32Array(size + 17) : null;
    this.starts = mapped ? new Uint8Array(size + 17) : null;
  }

  private grow(needed: number): void {
    if (needed <= this.units.length) return;
    const size = Math.max(needed, Math.ceil(this.units.length * 1.5));
    const units = new Uint16Array(size);
    units.set(this.units);
    this.units = units;
    if (this.toOriginal && this.starts) {
      const toOriginal = new Uint32Array(size + 1);
      toOriginal.set(this.toOriginal);
      this.toOriginal = toOriginal;
      const starts = new Uint8Array(size + 1);
      starts.set(this.starts);
      this.starts = starts;
    }
  }

  /** One unit, the whole form of the character at original index `from`. */
  one(unit: number, from: number): void {
    if (this.length >= this.units.length) this.grow(this.length + 1);
    this.units[this.length] = unit;
    if (this.toOriginal && this.starts) {
      this.toOriginal[this.length] = from;
      this.starts[this.length] = 1;
    }
    this.length++;
    this.inSpace = false;
  }

  /** White space at `from`: a space, unless it continues a run. */
  space(from: number): void {
    if (this.inSpace) return;
    this.one(0x20, from);
    this.inSpace = true;
  }

  /** The form of a character at `from`, of any length (an empty form writes nothing). */
  form(form: Form, from: number): void {
    if (form === SPACE_RUN) return this.space(from);
    if (form.length === 0) return;
    this.grow(this.length + form.length);
    for (let k = 0; k < form.length; k++) {
      this.units[this.length] = form.charCodeAt(k);
      if (this.toOriginal && this.starts) {
        this.toOriginal[this.length] = from;
        this.starts[this.length] = k === 0 ? 1 : 0;
      }
      this.length++;
    }
    this.inSpace = false;
  }

  finish(originalLength: number): { text: string; toOriginal: Uint32Array | null; starts: Uint8Array | null } {
    const text = unitsToString(this.units, this.length, this.loneSurrogates);
    if (!this.toOriginal || !this.starts) return { text, toOriginal: null, starts: null };
    this.toOriginal[this.length] = originalLength;
    this.starts[this.length] = 1;
    return { text, toOriginal: this.toOriginal.subarray(0, this.length + 1), starts: this.starts.subarray(0, this.length + 1) };
  }
}

/** One linear pass over code units; each distinct character's form is worked out once and remembered. */
function write(text: string, options: NormalizeOptions, mapped: boolean) {
  const table = tableFor(options);
  const n = text.length;
  const w = new FormWriter(n, mapped);
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      w.form(astralForm(table, text.codePointAt(i)!), i);
      i++;
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) w.loneSurrogates = true;
    const f = bmpForm(table, code);
    if (f > 0) w.one(f - 1, i);
    else if (f === WHITE) w.space(i);
    else w.form(table.other.get(code)!, i);
  }
  return w.finish(n);
}

/** The latest search forms: the open document's, under the options last used, and a few before. */
const formCache: { text: string; options: number; form: SearchForm }[] = [];

/**
 * The search form of a document's text with its map to original offsets. The latest few are kept,
 * so a find bar's next keystroke or option reuses the form of the open document.
 */
export function searchForm(text: string, options: NormalizeOptions = {}): SearchForm {
  const key = optionsKey(options);
  // The same string object in the common case, so the comparison costs nothing.
  const cached = formCache.find((c) => c.options === key && c.text === text);
  if (cached) return cached.form;
  const { text: form, toOriginal, starts } = write(text, options, true);
  const result: SearchForm = { text: form, toOriginal: toOriginal!, starts: starts! };
  if (formCache.length >= 4) formCache.shift();
  formCache.push({ text, options: key, form: result });
  return result;
}

/**
 * The search form of a query or of any string to compare without offsets (a title, a document
 * searched for a word): composed (NFC) first, as imported texts are.
 */
export function searchKey(s: string, options: NormalizeOptions = {}): string {
  const text = s.normalize('NFC');
  // English news is ASCII but for its spaces, quotes and dashes: native string operations then
  // give the same form several times faster, which counts when a search reads every document.
  const plain = text
    .replace(INVISIBLE.all, '')
    // Only what is not already a lone space: a run, or one tab, line break, NBSP…
    .replace(/\s{2,}|[^\S ]/g, ' ')
    .replace(SINGLE_QUOTE.all, "'")
    .replace(DOUBLE_QUOTE.all, '"')
    .replace(DASH.all, '-');
  if (/^[\0-\x7f]*$/.test(plain)) return options.caseSensitive ? plain : plain.toLowerCase();
  return write(text, options, false).text;
}

/** The width in code units of the original character starting at `index`. */
function widthAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= 0xd800 && code <= 0xdbff && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
}

const MARK = /^\p{M}$/u;

/**
 * The original span of the search-form span [from, to) of `original`, or null when it would cover
 * part of one character's form only (the first "s" of a ß folded to "ss"). It starts at the first
 * character it came from and ends right after the last one, so a run of spaces at its end is not
 * taken whole and invisible characters at its edges are left out; but the diacritics of its last
 * letter, when ignored, stay with their letter (a tag never splits "cafe\u0301").
 */
export function originalSpan(original: string, form: SearchForm, from: number, to: number): { start: number; end: number } | null {
  if (to <= from || form.starts[from] !== 1 || form.starts[to] !== 1) return null;
  const last = form.toOriginal[to - 1]!;
  let end = last + widthAt(original, last);
  // Characters up to the next unit's origin wrote nothing to the search form.
  const next = form.toOriginal[to]!;
  while (end < next && MARK.test(original[end]!)) end++;
  return { start: form.toOriginal[from]!, end };
}
