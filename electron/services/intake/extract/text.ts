import { analyzeNewsCopy } from '../../../../shared/newsCopy';
import { cleanMeta, decodeBytes, DESCRIPTIONS, EMPTY_REASON, type Extracted, looksBinary, sniff } from './common';

export type DecodedText = { ok: true; text: string; encoding: string } | { ok: false; reason: string };

/**
 * Plain text from bytes: UTF-8 (with or without BOM), UTF-16 LE/BE with a BOM, or Windows-1252
 * when the bytes are not valid UTF-8. Binary content (NUL bytes, control characters, a known
 * binary format) is refused. The text is returned as decoded, BOM dropped, not yet normalized.
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.length === 0) return { ok: false, reason: EMPTY_REASON };
  const kind = sniff(bytes);
  if (kind === 'rtf') return { ok: false, reason: `is not plain text (it looks like ${DESCRIPTIONS.rtf}); save it as .txt or .docx` };
  if (kind !== 'text' && kind !== 'html') {
    return { ok: false, reason: kind === 'binary' ? 'binary content, not text (it has NUL bytes)' : `binary content, not text (it looks like ${DESCRIPTIONS[kind]})` };
  }
  const decoded = decodeBytes(bytes);
  if (!decoded) return { ok: false, reason: 'binary content, not text (it decodes as no known text encoding)' };
  if (decoded.text.includes('\u0000') || looksBinary(decoded.text)) return { ok: false, reason: 'binary content, not text (control characters)' };
  if (decoded.text.trim() === '') return { ok: false, reason: EMPTY_REASON };
  return { ok: true, text: decoded.text, encoding: decoded.encoding };
}

/** A .txt article: the text whole (captions and datelines stay in it); metadata from the news-copy heuristics. */
export function extractPlainText(bytes: Uint8Array): Extracted {
  const decoded = decodeText(bytes);
  if (!decoded.ok) return decoded;
  const info = analyzeNewsCopy(decoded.text);
  return { ok: true, text: decoded.text, meta: cleanMeta({ title: info.title, outlet: info.outlet, published: info.published }) };
}
