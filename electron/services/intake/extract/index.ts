import path from 'node:path';
import { CANCELLED, EMPTY_REASON, ExtractError, type Extracted, type ExtractOptions, LIMITS, mb } from './common';
import { extractPlainText } from './text';

export type { Extracted, ExtractOptions } from './common';
export { LIMITS } from './common';

/** Every extension Margin imports as an article. */
export const ARTICLE_EXTENSIONS: readonly string[] = ['.txt', '.text', '.md', '.markdown', '.html', '.htm', '.docx', '.pdf'];

const UNREADABLE = 'could not be read: its content is not what its extension says, or it is damaged. Open it and save it again in the program that made it, or import it in another format';

type Extractor = (bytes: Uint8Array, options: ExtractOptions) => Extracted | Promise<Extracted>;

// The heavy readers (jsdom, mammoth, pdfjs) load on first use, not when the app or the CLI starts.
const markdown = async (): Promise<Extractor> => (await import('./markdown')).extractMarkdown;
const html = async (): Promise<Extractor> => (await import('./html')).extractHtml;
const FORMATS: Record<string, () => Promise<Extractor>> = {
  '.txt': async () => extractPlainText,
  '.text': async () => extractPlainText,
  '.md': markdown,
  '.markdown': markdown,
  '.html': html,
  '.htm': html,
  '.docx': async () => (await import('./docx')).extractDocx,
  '.pdf': async () => (await import('./pdf')).extractPdf,
};

/**
 * Loads the reader of a file's format (jsdom, pdfjs, …) without reading anything, so that a time
 * limit on reading the file does not count loading the reader. Unknown formats load nothing.
 */
export async function prepareExtractor(fileName: string): Promise<void> {
  await FORMATS[path.extname(fileName).toLowerCase()]?.();
}

/**
 * An article's text and metadata from a file's bytes, chosen by the file's extension and checked
 * against what the bytes really are. Nothing in the file is ever run. Never throws: every
 * failure is `{ ok: false, reason }`, one line without the file name (the caller adds it).
 * The text's paragraphs are separated by a blank line; it is not yet NFC-normalized.
 */
export async function extractArticle(fileName: string, bytes: Uint8Array, options: ExtractOptions = {}): Promise<Extracted> {
  const ext = path.extname(fileName).toLowerCase();
  const load = FORMATS[ext];
  if (!load) {
    return { ok: false, reason: `not an article format Margin reads (${ext || 'no extension'}); it imports ${ARTICLE_EXTENSIONS.join(', ')}` };
  }
  if (bytes.length > LIMITS.bytes) return { ok: false, reason: `larger than 20 MB (${mb(bytes.length)})` };
  if (options.signal?.aborted) return { ok: false, reason: CANCELLED };
  if (bytes.length === 0) return { ok: false, reason: EMPTY_REASON };
  try {
    const extract = await load();
    const result = await extract(bytes, options);
    if (result.ok && result.text.trim() === '') return { ok: false, reason: EMPTY_REASON };
    return result;
  } catch (error) {
    if (error instanceof ExtractError) return { ok: false, reason: error.reason };
    if (error instanceof RangeError && /call stack/i.test(error.message)) return { ok: false, reason: 'is nested too deeply to be an article' };
    // The reader's own error text (a parser's internals) means nothing to the user.
    return { ok: false, reason: UNREADABLE };
  }
}
