import mammoth from 'mammoth';
import { analyzeNewsCopy } from '../../../../shared/newsCopy';
import { checkSignal, cleanMeta, decodeEntities, DESCRIPTIONS, EMPTY_REASON, type Extracted, type ExtractOptions, joinParagraphs, languageTag, sniff, squash } from './common';
import { blockParagraphs, inertDom } from './html';
import { checkZipBomb, NotAZip, readCentralDirectory, readEntry } from './zip';

const NOT_WORD = 'is not a Word document';

function xmlField(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`).exec(xml);
  if (!m) return undefined;
  const value = squash(decodeEntities(m[1]!.replace(/<[^>]*>/g, '')));
  return value === '' ? undefined : value;
}

/** Titles that templates and tools leave behind, not an article's. */
function isPlaceholderTitle(title: string): boolean {
  return /^(?:untitled|document\d*|title|microsoft word\b.*|.*\.(?:docx?|pdf|txt|rtf|odt))$/i.test(title.trim());
}

/**
 * What mammoth's failure means, in words: its messages are its XML parser's own
 * ("[xmldom error] entity not found:&x; @#[line:undefined,col:undefined]"), not a reader's.
 */
function mammothProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/xmldom|xml/i.test(message)) return 'a part of it is not valid XML';
  if (/central directory|zip|inflat|corrupt/i.test(message)) return 'the zip archive inside is broken';
  if (/could not find|missing|not found/i.test(message)) return 'a part it needs is missing';
  return 'its parts are not laid out as Word writes them';
}

/** A .docx article: the zip judged first (size, entries, ratio, real inflated sizes), then mammoth. */
export async function extractDocx(bytes: Uint8Array, options: ExtractOptions = {}): Promise<Extracted> {
  if (bytes.length === 0) return { ok: false, reason: EMPTY_REASON };
  const kind = sniff(bytes);
  if (kind === 'ole') return { ok: false, reason: `${NOT_WORD} Margin can read (it is an old .doc file; save it as .docx)` };
  if (kind !== 'zip') return { ok: false, reason: `${NOT_WORD} (it looks like ${DESCRIPTIONS[kind]})` };

  let coreXml: string | undefined;
  try {
    const entries = readCentralDirectory(bytes);
    checkZipBomb(entries);
    if (!entries.some((e) => e.name === 'word/document.xml')) {
      return { ok: false, reason: `${NOT_WORD} (a zip archive without word/document.xml)` };
    }
    // Every entry is inflated once, capped at the size it declares, before mammoth reads any.
    for (const entry of entries) {
      if (entry.name.endsWith('/')) continue;
      const data = readEntry(bytes, entry);
      if (entry.name === 'docProps/core.xml') coreXml = data.toString('utf8');
    }
  } catch (error) {
    if (error instanceof NotAZip) return { ok: false, reason: `${NOT_WORD} or it is damaged (${error.message})` };
    throw error;
  }
  checkSignal(options.signal);

  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        // Images are neither read nor embedded; linked files are never opened.
        convertImage: mammoth.images.imgElement(async () => ({ src: '' })),
        externalFileAccess: false,
        ignoreEmptyParagraphs: true,
      },
    );
    html = result.value;
  } catch (error) {
    return { ok: false, reason: `${NOT_WORD} or it is damaged (${mammothProblem(error)})` };
  }
  checkSignal(options.signal);

  const dom = inertDom(`<!DOCTYPE html><html><body>${html}</body></html>`);
  let paragraphs: string[];
  let heading: string | undefined;
  try {
    const body = dom.window.document.body;
    paragraphs = blockParagraphs(body);
    const h = body.querySelector('h1') ?? body.querySelector('h1, h2, h3, h4, h5, h6');
    heading = h ? squash(h.textContent ?? '') || undefined : undefined;
  } finally {
    dom.window.close();
  }
  const text = joinParagraphs(paragraphs);
  if (text === '') return { ok: false, reason: EMPTY_REASON };

  const coreTitle = coreXml ? xmlField(coreXml, 'dc:title') : undefined;
  const news = analyzeNewsCopy(text);
  return {
    ok: true,
    text,
    meta: cleanMeta({
      title: (coreTitle && !isPlaceholderTitle(coreTitle) ? coreTitle : undefined) ?? heading ?? news.title,
      author: coreXml ? xmlField(coreXml, 'dc:creator') : undefined,
      language: coreXml ? languageTag(xmlField(coreXml, 'dc:language')) : undefined,
      outlet: news.outlet,
      published: news.published,
    }),
  };
}
