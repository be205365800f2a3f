import { MAX_IMPORT_BYTES } from '../../../../shared/api';
import type { DocumentMeta } from '../../../../shared/model';

export type Extracted = { ok: true; text: string; meta: DocumentMeta } | { ok: false; reason: string };

export interface ExtractOptions {
  signal?: AbortSignal;
}

/** Limits, chosen well above any real article and well below what would hurt the app. */
export const LIMITS = {
  bytes: MAX_IMPORT_BYTES,
  /** HTML: deepest tag nesting a page may have (real pages stay under a few hundred). */
  htmlDepth: 2_000,
  /** HTML: most start tags a page may have (a heavy news page has a few thousand; jsdom needs seconds per 100,000). */
  htmlTags: 100_000,
  /**
   * HTML: Readability runs on pages up to this many tags and this deep; its cost grows much
   * faster than the page (about 4 s for 10,000 adversarial tags). Bigger or deeper pages are
   * read without it: their text without navigation, headers, footers, ads and comments.
   */
  readabilityTags: 10_000,
  readabilityDepth: 100,
  /** Word: most zip entries (a real .docx has tens). */
  zipEntries: 2_000,
  /** Word: total uncompressed size of every entry. */
  zipUncompressedBytes: 100 * 1024 * 1024,
  /** Word: highest uncompressed/compressed ratio, for the whole archive or any entry over 1 MB. */
  zipRatio: 200,
  /** PDF: most pages read. */
  pdfPages: 2_000,
} as const;

export class ExtractError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Stops the work with a one-line reason; extractArticle turns it into `{ ok: false, reason }`. */
export function refuse(reason: string): never {
  throw new ExtractError(reason);
}

export const CANCELLED = 'import cancelled';

export function checkSignal(signal: AbortSignal | undefined): void {
  if (signal?.aborted) refuse(CANCELLED);
}

export const EMPTY_REASON = 'empty: there is no text in it';

export function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// ---------------------------------------------------------------------------------------------
// What the bytes are, whatever the file is called.

export type Sniffed = 'empty' | 'pdf' | 'zip' | 'ole' | 'png' | 'jpeg' | 'gif' | 'webp' | 'rtf' | 'gzip' | 'html' | 'binary' | 'text';

const startsWith = (bytes: Uint8Array, sig: readonly number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** True when `%PDF-` appears in the first kilobyte (readers accept a little junk before it). */
export function hasPdfHeader(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).toString('latin1');
  return head.includes('%PDF-');
}

export function sniff(bytes: Uint8Array): Sniffed {
  if (bytes.length === 0) return 'empty';
  if (startsWith(bytes, ascii('%PDF-'))) return 'pdf';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'ole';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47])) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, ascii('GIF8'))) return 'gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(bytes, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(bytes, ascii('{\\rtf'))) return 'rtf';
  const bom16 = startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff]);
  if (!bom16 && bytes.subarray(0, 8192).includes(0)) return 'binary';
  const head = decodeHead(bytes).replace(/^\uFEFF/, '').trimStart().slice(0, 1024).toLowerCase();
  if (/^(?:<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<\?xml[^>]*>\s*<html)/.test(head) || /^(?:<!--[\s\S]*?-->\s*)+<(?:!doctype html|html)/.test(head)) return 'html';
  return 'text';
}

function decodeHead(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 2048);
  if (startsWith(head, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(head);
  if (startsWith(head, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(head);
  return Buffer.from(head).toString('latin1');
}

export const DESCRIPTIONS: Record<Sniffed, string> = {
  empty: 'an empty file',
  pdf: 'a PDF',
  zip: 'a zip archive or an Office document',
  ole: 'an old Office document such as a .doc',
  png: 'a PNG image',
  jpeg: 'a JPEG image',
  gif: 'a GIF image',
  webp: 'a WebP image',
  gzip: 'a gzip archive',
  rtf: 'an RTF document',
  html: 'an HTML page',
  binary: 'binary data',
  text: 'plain text',
};

// ---------------------------------------------------------------------------------------------
// Text decoding.

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | string;

/**
 * Decodes with a BOM when there is one, else as UTF-8, else (bytes that are not valid UTF-8)
 * as `fallback` (Windows-1252 by default: what Word and older Windows tools write).
 * The BOM is dropped. Returns null when the bytes decode as none of them.
 */
export function decodeBytes(bytes: Uint8Array, declared?: string, fallback = 'windows-1252'): { text: string; encoding: Encoding } | null {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return tryDecode(bytes.subarray(3), 'utf-8');
  if (startsWith(bytes, [0xff, 0xfe])) return tryDecode(bytes.subarray(2), 'utf-16le');
  if (startsWith(bytes, [0xfe, 0xff])) return tryDecode(bytes.subarray(2), 'utf-16be');
  if (declared) {
    const label = declared.trim().toLowerCase();
    // A page that says UTF-16 without a BOM is read as UTF-8 (as browsers do); unknown labels are ignored.
    if (!/^utf-?16/.test(label) && label !== 'utf-8' && label !== 'utf8' && isKnownEncoding(label)) {
      const decoded = tryDecode(bytes, label);
      if (decoded) return decoded;
    }
  }
  return tryDecode(bytes, 'utf-8') ?? tryDecode(bytes, fallback);
}

function isKnownEncoding(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

/** Labels the Encoding Standard maps to Windows-1252 (ISO-8859-1 and ASCII among them). */
const WINDOWS_1252_LABELS = new Set([
  'windows-1252', 'cp1252', 'x-cp1252', 'iso-8859-1', 'iso8859-1', 'iso88591', 'iso_8859-1', 'iso_8859-1:1987', 'iso-ir-100',
  'latin1', 'l1', 'ibm819', 'cp819', 'csisolatin1', 'ascii', 'us-ascii', 'ansi_x3.4-1968', 'cp367',
]);
// 0x80–0x9F in Windows-1252; the five unassigned bytes stay C1 controls (as the Encoding Standard says).
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

/**
 * Windows-1252 by table: Node's TextDecoder('windows-1252') decodes as ISO-8859-1 (0x80–0x9F
 * become control characters instead of € “ ” …), at least in Node 20.
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

function tryDecode(bytes: Uint8Array, encoding: string): { text: string; encoding: Encoding } | null {
  if (WINDOWS_1252_LABELS.has(encoding)) return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  try {
    return { text: new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes), encoding };
  } catch {
    return null;
  }
}

/** Control characters other than tab, line ends and form feed (C1 controls included): a binary file that happened to decode. */
export function looksBinary(text: string): boolean {
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13 && code !== 12 && code !== 11) || (code >= 127 && code < 160)) controls++;
  }
  return controls > 0 && controls / text.length > 0.001;
}

// ---------------------------------------------------------------------------------------------
// Paragraph text and small helpers shared by the formats.

/** Collapses runs of white space (no line breaks kept) and trims. */
export function squash(text: string): string {
  return text.replace(/[\s\u00a0]+/g, ' ').trim();
}

/** Joins paragraphs with a blank line, dropping empty ones and trimming each line's ends. */
export function joinParagraphs(paragraphs: Iterable<string>): string {
  const out: string[] = [];
  for (const p of paragraphs) {
    const clean = p
      .split('\n')
      .map((l) => l.replace(/[ \t\u00a0]+$/g, '').replace(/^[ \t\u00a0]+/, ''))
      .join('\n')
      .replace(/\n{2,}/g, '\n')
      .trim();
    if (clean !== '') out.push(clean);
  }
  return out.join('\n\n');
}

/** Keeps the given metadata fields that have a value, trimmed and within the model's limits. */
export function cleanMeta(meta: DocumentMeta): DocumentMeta {
  const max: Record<keyof DocumentMeta, number> = { title: 1000, outlet: 500, author: 1000, published: 100, url: 4000, language: 35 };
  const out: DocumentMeta = {};
  for (const key of Object.keys(max) as (keyof DocumentMeta)[]) {
    const value = meta[key];
    if (typeof value !== 'string') continue;
    const clean = squash(value);
    if (clean !== '') out[key] = clean.length > max[key] ? clean.slice(0, max[key]) : clean;
  }
  return out;
}

/** Only http(s) addresses are kept as an article's URL. */
export function httpUrl(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A language tag such as "en" or "en-GB"; anything else is dropped. */
export function languageTag(value: string | null | undefined): string | undefined {
  const v = value?.trim().replace(/_/g, '-');
  return v && /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/.test(v) ? v : undefined;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ndash: '–', mdash: '—', hellip: '…', lsquo: '‘',
  rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', copy: '©', reg: '®', trade: '™', euro: '€', pound: '£',
  yen: '¥', cent: '¢', deg: '°', middot: '·', bull: '•', times: '×', eacute: 'é', egrave: 'è', agrave: 'à', aacute: 'á',
  ccedil: 'ç', uuml: 'ü', ouml: 'ö', auml: 'ä', szlig: 'ß', ntilde: 'ñ', iacute: 'í', oacute: 'ó', uacute: 'ú', shy: '\u00ad',
};

/** Decodes character references in text taken from markup (numeric ones and the common named ones). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z][a-z0-9]{1,31});/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\uFFFD';
    }
    return NAMED_ENTITIES[ref] ?? NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}
