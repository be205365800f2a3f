import { createHash } from 'node:crypto';
import path from 'node:path';
import { MAX_IMPORT_BYTES } from '../../../shared/api';
import { normalizeText, titleFromText } from '../../../shared/text';
import { decodeText } from './extract/text';

export const TEXT_EXTENSIONS = ['.txt', '.text'];

/** The document id is a prefix of the SHA-256 of the normalized text: the same article twice is one document. */
export function documentIdOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

export type Decoded = { ok: true; text: string; title: string; docId: string } | { ok: false; reason: string };

/**
 * Readable text of a .txt file, or the reason it cannot be an article. The reason never repeats
 * the name: callers add it.
 * @deprecated Kept until the importer uses `extractArticle` (electron/services/intake/extract), which
 * reads every article format; the decoding itself lives in extract/text.ts.
 */
export function decodeArticle(fileName: string, bytes: Uint8Array): Decoded {
  const ext = path.extname(fileName).toLowerCase();
  if (!TEXT_EXTENSIONS.includes(ext)) {
    return { ok: false, reason: `not a plain-text article (${ext || 'no extension'}); Margin imports .txt files` };
  }
  if (bytes.length > MAX_IMPORT_BYTES) {
    return { ok: false, reason: `larger than 20 MB (${(bytes.length / 1024 / 1024).toFixed(1)} MB)` };
  }
  const decoded = decodeText(bytes);
  if (!decoded.ok) return decoded;
  const text = normalizeText(decoded.text);
  return { ok: true, text, title: titleFromText(text), docId: documentIdOf(text) };
}
