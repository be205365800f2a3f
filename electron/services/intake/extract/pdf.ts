import { createRequire } from 'node:module';
import type * as PdfjsModule from 'pdfjs-dist/legacy/build/pdf.mjs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeNewsCopy } from '../../../../shared/newsCopy';
import { checkSignal, cleanMeta, DESCRIPTIONS, EMPTY_REASON, type Extracted, type ExtractOptions, hasPdfHeader, joinParagraphs, languageTag, LIMITS, refuse, sniff, squash } from './common';
import { largestFontTitle, layoutParagraphs, type PdfPageText, type PdfTextItem } from './pdfLayout';

type Pdfjs = typeof PdfjsModule;

export const NO_TEXT_LAYER = 'has no text layer (a scanned PDF?); run OCR first';
export const DAMAGED = 'is damaged or not a PDF';

let pdfjs: Promise<Pdfjs> | undefined;

/**
 * pdfjs-dist's legacy build, with its worker code run on this thread. In Node pdfjs always uses
 * a "fake worker"; handing it the worker module through `globalThis.pdfjsWorker` (which pdfjs
 * checks first) spares it a dynamic import of a path relative to its own file, so this works
 * the same from node_modules, from a bundle and from an asar archive.
 */
function loadPdfjs(): Promise<Pdfjs> {
  pdfjs ??= (async () => {
    const worker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker ??= worker;
    return import('pdfjs-dist/legacy/build/pdf.mjs');
  })();
  pdfjs.catch(() => {
    pdfjs = undefined;
  });
  return pdfjs;
}

/** Local folders of pdfjs's character maps and standard fonts (read from disk, never fetched), when they can be found. */
function dataDirs(): { cMapUrl?: string; standardFontDataUrl?: string } {
  try {
    const root = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
    const dir = (name: string) => `${pathToFileURL(path.join(root, name)).href}/`;
    return { cMapUrl: dir('cmaps'), standardFontDataUrl: dir('standard_fonts') };
  } catch {
    return {};
  }
}

function isPlaceholderTitle(title: string): boolean {
  return /^(?:untitled|document\d*|title|microsoft (?:word|powerpoint)\b.*|.*\.(?:docx?|pdf|txt|rtf|odt|indd|qxp|html?))$/i.test(title.trim());
}

/** A .pdf article: the text layer, lines and paragraphs rebuilt from positions, columns read left then right. */
export async function extractPdf(bytes: Uint8Array, options: ExtractOptions = {}): Promise<Extracted> {
  if (bytes.length === 0) return { ok: false, reason: EMPTY_REASON };
  if (!hasPdfHeader(bytes)) {
    const kind = sniff(bytes);
    return { ok: false, reason: `is not a PDF (it looks like ${DESCRIPTIONS[kind === 'pdf' ? 'binary' : kind]})` };
  }
  // pdfjs mends a truncated file silently (and may return part of an article): the end marker must be there.
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset + Math.max(0, bytes.length - 4096), Math.min(bytes.length, 4096)).toString('latin1');
  if (!tail.includes('%%EOF')) return { ok: false, reason: `${DAMAGED} (it is cut short: no end-of-file marker)` };

  const lib = await loadPdfjs();
  checkSignal(options.signal);
  const task = lib.getDocument({
    // pdfjs takes ownership of (detaches) the buffer it is given: hand it a copy.
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    enableXfa: false,
    disableAutoFetch: true,
    disableStream: true,
    stopAtErrors: false,
    verbosity: 0,
    cMapPacked: true,
    ...dataDirs(),
  });
  try {
    let doc: Awaited<typeof task.promise>;
    try {
      doc = await task.promise;
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'PasswordException') return { ok: false, reason: 'is password-protected; remove the password and import it again' };
      return { ok: false, reason: `${DAMAGED} (its structure cannot be read; open it and save or print it to PDF again)` };
    }
    if (doc.numPages > LIMITS.pdfPages) {
      refuse(`has too many pages (${doc.numPages.toLocaleString('en')}; Margin reads at most ${LIMITS.pdfPages.toLocaleString('en')})`);
    }
    let info: Record<string, unknown> = {};
    try {
      info = (await doc.getMetadata()).info as Record<string, unknown>;
    } catch {
      info = {};
    }
    const pages: PdfPageText[] = [];
    let items = 0;
    for (let n = 1; n <= doc.numPages; n++) {
      checkSignal(options.signal);
      let page: Awaited<ReturnType<typeof doc.getPage>>;
      let content: Awaited<ReturnType<typeof page.getTextContent>>;
      try {
        page = await doc.getPage(n);
        content = await page.getTextContent({ includeMarkedContent: false });
      } catch {
        return { ok: false, reason: `${DAMAGED} (page ${n} cannot be read; open it and save or print it to PDF again)` };
      }
      const [x0, y0, x1, y1] = page.view as [number, number, number, number];
      const pageItems: PdfTextItem[] = [];
      for (const item of content.items) {
        if (!('str' in item) || item.str.trim() === '') continue;
        const [a, b, c, d, e, f] = item.transform as number[];
        // Horizontal text only: rotated margin notes and vertical text are not the article.
        if (Math.abs(b!) > 0.2 * Math.abs(a!) || Math.abs(c!) > 0.2 * Math.abs(d!)) continue;
        pageItems.push({ str: item.str, x: e!, y: f!, width: item.width, size: Math.hypot(c!, d!) || item.height });
      }
      items += pageItems.length;
      pages.push({ box: [x0, y0, x1, y1], items: pageItems });
      page.cleanup();
    }
    if (items === 0) return { ok: false, reason: NO_TEXT_LAYER };
    const paragraphs = layoutParagraphs(pages);
    const text = joinParagraphs(paragraphs.map((p) => p.text));
    if (text === '') return { ok: false, reason: NO_TEXT_LAYER };
    const infoTitle = typeof info.Title === 'string' ? squash(info.Title) : '';
    const news = analyzeNewsCopy(text);
    return {
      ok: true,
      text,
      meta: cleanMeta({
        title: (infoTitle && !isPlaceholderTitle(infoTitle) ? infoTitle : undefined) ?? largestFontTitle(paragraphs) ?? news.title,
        author: typeof info.Author === 'string' ? info.Author : undefined,
        language: typeof info.Language === 'string' ? languageTag(info.Language) : undefined,
        outlet: news.outlet,
        published: news.published,
      }),
    };
  } finally {
    await task.destroy().catch(() => undefined);
  }
}
