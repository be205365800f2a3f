import { createHash } from 'node:crypto';
import path from 'node:path';
import { MAX_IMPORT_BYTES } from '../../shared/api';
import { normalizeText, titleFromText } from '../../shared/text';

export const TEXT_EXTENSIONS = ['.txt', '.text'];

/** The document id is a prefix of the SHA-256 of the normalized text: the same article twice is one document. */
export function documentIdOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

export type Decoded = { ok: true; text: string; title: string; docId: string } | { ok: false; reason: string };

function decode(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
  if (bytes.includes(0)) return null;
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** Readable text, or the reason a file cannot be an article. The reason never repeats the name: callers add it. */
export function decodeArticle(fileName: string, bytes: Uint8Array): Decoded {
  const ext = path.extname(fileName).toLowerCase();
  if (!TEXT_EXTENSIONS.includes(ext)) {
    return { ok: false, reason: `not a plain-text article (${ext || 'no extension'}); Margin imports .txt files` };
  }
  if (bytes.length > MAX_IMPORT_BYTES) {
    return { ok: false, reason: `larger than 20 MB (${(bytes.length / 1024 / 1024).toFixed(1)} MB)` };
  }
  let raw: string | null;
  try {
    raw = decode(bytes);
  } catch {
    raw = null;
  }
  if (raw === null) return { ok: false, reason: 'binary content, not text (it is not valid UTF-8)' };
  // Control characters other than tab and line ends mean a binary file that happens to decode.
  let controls = 0;
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13 && code !== 12 && code !== 11) || code === 127) controls++;
  }
  if (controls > 0 && controls / raw.length > 0.001) return { ok: false, reason: 'binary content, not text (control characters)' };
  const text = normalizeText(raw);
  if (text.trim() === '') return { ok: false, reason: 'empty: there is no text in it' };
  return { ok: true, text, title: titleFromText(text), docId: documentIdOf(text) };
}
