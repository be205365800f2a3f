import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';
import { analyzeNewsCopy, parseNewsDate } from '../../../../shared/newsCopy';
import type { DocumentMeta } from '../../../../shared/model';
import {
  cleanMeta,
  decodeBytes,
  DESCRIPTIONS,
  EMPTY_REASON,
  type Extracted,
  httpUrl,
  joinParagraphs,
  languageTag,
  LIMITS,
  looksBinary,
  refuse,
  sniff,
  squash,
} from './common';
import { dropFurniture, isFurniture, textLength } from './furniture';

export const NO_ARTICLE_TEXT = 'no article text found';

// ---------------------------------------------------------------------------------------------
// Bytes to markup.

/** The charset a page declares in its first few kilobytes (`<meta charset>` or http-equiv Content-Type). */
export function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 4096)).toString('latin1');
  const m = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(head);
  return m?.[1];
}

/** BOM first, then the page's declaration, then UTF-8, then Windows-1252. */
export function decodeHtml(bytes: Uint8Array): string {
  const decoded = decodeBytes(bytes, declaredCharset(bytes));
  if (!decoded) refuse('is not an HTML file (it decodes as no known text encoding)');
  return decoded.text;
}

// ---------------------------------------------------------------------------------------------
// The guard: a linear scan of the markup before any parser sees it.

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'keygen', 'frame', 'basefont', 'bgsound', 'image']);
/** Elements whose end tag may be left out: they close themselves, so they do not nest by themselves. */
const OPTIONAL_END = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'option', 'optgroup', 'tbody', 'thead', 'tfoot', 'colgroup', 'caption', 'rb', 'rt', 'rtc', 'rp', 'html', 'head', 'body']);
/** Elements whose content is raw text up to their end tag. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);

export interface MarkupShape {
  depth: number;
  tags: number;
}

/**
 * Refuses markup a parser would choke on (thousands of nested tags, millions of elements)
 * with a one-line reason, in one pass over the string and without recursion.
 */
export function checkMarkupShape(html: string, maxDepth: number = LIMITS.htmlDepth, maxTags: number = LIMITS.htmlTags): MarkupShape {
  let depth = 0;
  let deepest = 0;
  let tags = 0;
  let i = 0;
  const n = html.length;
  const nameAt = /[A-Za-z][^\s/>]*/y;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt === -1) break;
    const next = html.charCodeAt(lt + 1);
    if (next === 33 /* ! */) {
      if (html.startsWith('<!--', lt)) {
        const end = html.indexOf('-->', lt + 4);
        i = end === -1 ? n : end + 3;
      } else {
        const end = html.indexOf('>', lt + 2);
        i = end === -1 ? n : end + 1;
      }
      continue;
    }
    if (next === 63 /* ? */) {
      const end = html.indexOf('>', lt + 2);
      i = end === -1 ? n : end + 1;
      continue;
    }
    const closing = next === 47; /* / */
    nameAt.lastIndex = lt + (closing ? 2 : 1);
    const m = nameAt.exec(html);
    if (!m) {
      i = lt + 1;
      continue;
    }
    const name = m[0].toLowerCase();
    const gt = html.indexOf('>', nameAt.lastIndex);
    const tagEnd = gt === -1 ? n : gt + 1;
    if (closing) {
      if (!VOID.has(name) && !OPTIONAL_END.has(name) && depth > 0) depth--;
      i = tagEnd;
      continue;
    }
    tags++;
    if (tags > maxTags) refuse(`has too many elements (over ${maxTags.toLocaleString('en')}) to be an article`);
    i = tagEnd;
    if (RAW_TEXT.has(name)) {
      if (name === 'plaintext') break;
      const close = new RegExp(`</${name}[\\s/>]`, 'gi');
      close.lastIndex = i;
      const end = close.exec(html);
      i = end ? end.index + end[0].length : n;
      continue;
    }
    const selfClosing = gt > 0 && html.charCodeAt(gt - 1) === 47;
    if (!VOID.has(name) && !OPTIONAL_END.has(name) && !selfClosing) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (depth > maxDepth) refuse(`is nested too deeply to be an article (over ${maxDepth.toLocaleString('en')} levels of tags)`);
    }
  }
  return { depth: deepest, tags };
}

// ---------------------------------------------------------------------------------------------
// A DOM that never runs anything.

/**
 * Parses markup with jsdom's defaults, which are the safe ones: no `runScripts` (scripts and
 * `on…` attributes stay inert text), no `resources` (no stylesheet, image, iframe or refresh is
 * ever fetched), an about:blank URL, and a console that swallows whatever the page would print.
 */
export function inertDom(html: string): JSDOM {
  return new JSDOM(html, { virtualConsole: new VirtualConsole() });
}

// ---------------------------------------------------------------------------------------------
// Elements to paragraphs, with textContent only.

const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'caption', 'center', 'dd', 'details', 'dialog', 'div', 'dl', 'dt', 'fieldset',
  'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'legend', 'li',
  'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
  'body', 'html', 'listing', 'xmp',
]);
const SKIP = new Set([
  'script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'canvas',
  'video', 'audio', 'button', 'select', 'input', 'textarea', 'option', 'head', 'title', 'meta', 'link', 'img', 'picture', 'source',
  'track', 'map', 'area', 'dialog',
]);
/** Page furniture, skipped when reading a page without Readability's help. */
const CHROME = new Set(['nav', 'header', 'footer', 'aside', 'form', 'menu']);
const CHROME_HINT = /(?:^|[\s_-])(?:nav|navbar|menu|cookie|consent|banner|advert|ads?|promo|sponsor|comments?|related|share|social|newsletter|subscribe|footer|header|sidebar|breadcrumbs?|paywall|popup|modal)(?:$|[\s_-])/i;

/** Inside an article: only what is plainly not the story (ads, promotions, sharing, comments, cookie notices). */
const AD_HINT = /(?:^|[\s_-])(?:ad|ads|advert|adverts|advertisement|adslot|ad-slot|dfp|gpt|promo|promotion|sponsor|sponsored|cookie|consent|newsletter|subscribe|share|sharing|social|comments?|related|recirc|outbrain|taboola|paywall|popup|modal)(?:$|[\s_-])/i;
/** Never the story, even inside an article: navigation, asides (pull quotes, related links), footers and forms. */
const IN_ARTICLE_CHROME = new Set(['nav', 'aside', 'footer', 'form', 'menu']);
const AD_LABEL = /^(?:advertisement|advertisment|advertising|sponsored(?: content)?|ad|anzeige|publicité)$/i;

export interface BlockOptions {
  /** Skip navigation, headers, footers, asides, forms and elements whose class or id says ad, cookie, comments… */
  skipChrome?: boolean;
  /** Skip only elements whose class or id says ad, promotion, sharing, comments or cookies (inside an extracted article). */
  skipAds?: boolean;
}

/** The text of an element as paragraphs: one per block element, `<br>` a line break, `<pre>` kept as written. */
export function blockParagraphs(root: Element, options: BlockOptions = {}): string[] {
  const paragraphs: string[] = [];
  let buffer = '';
  const flush = () => {
    const text = buffer
      .split('\n')
      .map((l) => l.replace(/[ \t\u00a0\r\f\v]+/g, ' ').trim())
      .join('\n')
      .replace(/\n{2,}/g, '\n')
      .trim();
    if (text !== '' && !((options.skipAds || options.skipChrome) && AD_LABEL.test(text))) paragraphs.push(text);
    buffer = '';
  };
  // An explicit stack: no recursion, whatever the depth.
  type Frame = { node: Node; pre: boolean; exit?: boolean };
  const stack: Frame[] = [{ node: root, pre: false }];
  const articleLength = options.skipAds || options.skipChrome ? textLength(root) : 0;
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const node = frame.node;
    if (frame.exit) {
      flush();
      continue;
    }
    if (node.nodeType === 3 /* text */ || node.nodeType === 4 /* CDATA */) {
      const data = (node as CharacterData).data;
      buffer += frame.pre ? data : data.replace(/[\s\u00a0]+/g, ' ');
      continue;
    }
    if (node.nodeType !== 1 /* element */ && node.nodeType !== 9 && node.nodeType !== 11) continue;
    let pre = frame.pre;
    let block = false;
    if (node.nodeType === 1) {
      const el = node as Element;
      const tag = el.localName.toLowerCase();
      if (SKIP.has(tag)) continue;
      if (el.hasAttribute('hidden') || el.getAttribute('aria-hidden') === 'true') continue;
      if (options.skipChrome && el !== root && isChrome(el, tag)) continue;
      if (options.skipAds && el !== root && (IN_ARTICLE_CHROME.has(tag) || AD_HINT.test(`${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`))) continue;
      if ((options.skipAds || options.skipChrome) && el !== root && isFurniture(el, tag, articleLength)) continue;
      if (tag === 'br') {
        buffer += '\n';
        continue;
      }
      if (tag === 'pre' || tag === 'listing' || tag === 'xmp' || tag === 'textarea') pre = true;
      block = BLOCK.has(tag);
      if (tag === 'td' || tag === 'th') {
        // Cells of one row read as one line: "a | b".
        block = false;
        if (el.previousElementSibling) buffer += ' | ';
      }
    }
    if (block) {
      flush();
      stack.push({ node, pre, exit: true });
    }
    const children = node.childNodes;
    for (let c = children.length - 1; c >= 0; c--) stack.push({ node: children[c]!, pre });
  }
  flush();
  return paragraphs;
}

function isChrome(el: Element, tag: string): boolean {
  if (CHROME.has(tag)) return true;
  const role = el.getAttribute('role');
  if (role && /^(?:navigation|banner|contentinfo|complementary|search|dialog|alertdialog)$/.test(role)) return true;
  const hint = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
  return CHROME_HINT.test(hint);
}

/** Paragraphs of an HTML fragment or document (used for mammoth's output too). */
export function htmlParagraphs(html: string): string[] {
  const dom = inertDom(html);
  try {
    return blockParagraphs(dom.window.document.body ?? dom.window.document.documentElement);
  } finally {
    dom.window.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Metadata.

interface PageMeta extends DocumentMeta {
  /** Titles in order of trust: JSON-LD headline, og:title, twitter:title, <title>. */
  titles: string[];
}

function metaContent(doc: Document, ...keys: string[]): string | undefined {
  for (const key of keys) {
    for (const el of doc.querySelectorAll('meta')) {
      const name = (el.getAttribute('property') ?? el.getAttribute('name') ?? el.getAttribute('itemprop') ?? '').trim().toLowerCase();
      if (name === key) {
        const content = el.getAttribute('content');
        if (content && content.trim() !== '') return content.trim();
      }
    }
  }
  return undefined;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function jsonLdArticle(doc: Document): { [key: string]: Json } | undefined {
  const isArticle = (o: { [key: string]: Json }) => {
    const type = o['@type'];
    const types = Array.isArray(type) ? type : [type];
    return types.some((t) => typeof t === 'string' && /(?:Article|BlogPosting|Report)$/i.test(t));
  };
  for (const script of doc.querySelectorAll('script[type="application/ld+json" i]')) {
    const source = script.textContent ?? '';
    if (source.length > 1_000_000) continue;
    let data: Json;
    try {
      data = JSON.parse(source) as Json;
    } catch {
      continue;
    }
    const queue: Json[] = [data];
    for (let seen = 0; queue.length > 0 && seen < 200; seen++) {
      const item = queue.shift()!;
      if (Array.isArray(item)) queue.push(...item);
      else if (item && typeof item === 'object') {
        if (isArticle(item)) return item;
        if (item['@graph']) queue.push(item['@graph']);
      }
    }
  }
  return undefined;
}

function names(value: Json | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const all = value.map(names).filter((v): v is string => !!v);
    return all.length ? [...new Set(all)].join(', ') : undefined;
  }
  if (typeof value === 'object') return typeof value.name === 'string' ? value.name : undefined;
  return undefined;
}

const str = (value: Json | undefined) => (typeof value === 'string' ? value : undefined);

/** Title, byline, date, site, canonical URL and language from the page's own metadata. */
export function pageMetadata(doc: Document): PageMeta {
  const ld = jsonLdArticle(doc);
  const publisher = ld?.publisher;
  const site =
    metaContent(doc, 'og:site_name', 'application-name') ??
    (publisher && typeof publisher === 'object' && !Array.isArray(publisher) ? str(publisher.name) : undefined);
  const metaAuthor = metaContent(doc, 'author', 'article:author', 'parsely-author', 'sailthru.author', 'dc.creator', 'byl');
  const canonical = Array.from(doc.querySelectorAll('link[rel]')).find((l) => /(?:^|\s)canonical(?:\s|$)/i.test(l.getAttribute('rel') ?? ''));
  const mainEntity = ld?.mainEntityOfPage;
  const titles = [
    str(ld?.headline),
    metaContent(doc, 'og:title'),
    metaContent(doc, 'twitter:title'),
    metaContent(doc, 'parsely-title', 'dc.title', 'title'),
    doc.querySelector('title')?.textContent ?? undefined,
  ]
    .map((t) => (t ? stripSiteSuffix(squash(t), site) : ''))
    .filter((t) => t !== '');
  return {
    titles,
    title: titles[0],
    author: names(ld?.author) ?? (metaAuthor && !/^https?:/i.test(metaAuthor) ? metaAuthor : undefined),
    published:
      metaContent(doc, 'article:published_time', 'og:published_time', 'datepublished', 'publish-date', 'pubdate', 'parsely-pub-date', 'sailthru.date', 'dc.date', 'dcterms.created', 'date') ??
      str(ld?.datePublished) ??
      doc.querySelector('time[datetime][pubdate], article time[datetime]')?.getAttribute('datetime') ??
      undefined,
    outlet: site,
    url:
      httpUrl(canonical?.getAttribute('href')) ??
      httpUrl(metaContent(doc, 'og:url')) ??
      httpUrl(str(ld?.url)) ??
      httpUrl(mainEntity && typeof mainEntity === 'object' && !Array.isArray(mainEntity) ? str(mainEntity['@id']) : str(mainEntity)),
    language:
      languageTag(doc.documentElement.getAttribute('lang')) ??
      languageTag(doc.documentElement.getAttribute('xml:lang')) ??
      languageTag(doc.querySelector('meta[http-equiv="content-language" i]')?.getAttribute('content')) ??
      languageTag(str(ld?.inLanguage)) ??
      languageTag(metaContent(doc, 'og:locale')),
  };
}

/** "Headline | CNN" → "Headline" when the site is known. */
function stripSiteSuffix(title: string, site: string | undefined): string {
  if (!site) return title;
  const escaped = site.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const stripped = title.replace(new RegExp(`\\s+[|–—:·•-]\\s+${escaped}\\s*$`, 'i'), '').replace(new RegExp(`^${escaped}\\s+[|–—:·•-]\\s+`, 'i'), '');
  return stripped.trim() || title;
}

function cleanByline(byline: string | null | undefined): string | undefined {
  if (!byline) return undefined;
  const b = squash(byline).replace(/^by\s+/i, '');
  return b.length > 0 && b.length < 200 ? b : undefined;
}

// ---------------------------------------------------------------------------------------------

/**
 * Readability drops any element whose class says "header" before scoring, and CNN marks the
 * subheadings between an article's paragraphs `class="subheader"`: a heading that sits among
 * paragraphs is part of the story, so its class and id are not left to mislead it.
 */
function keepSubheadings(doc: Document): void {
  for (const h of doc.querySelectorAll('h2, h3, h4, h5, h6')) {
    const parent = h.parentElement;
    if (!parent) continue;
    let paragraphs = 0;
    for (const sibling of parent.children) if (sibling.localName === 'p') paragraphs++;
    if (paragraphs >= 2) {
      h.removeAttribute('class');
      h.removeAttribute('id');
    }
  }
}

const norm = (s: string) => squash(s).toLowerCase().replace(/[“”"‘’']/g, '');

/** An .html/.htm page: the article (Readability), as paragraphs of text, with the page's metadata. */
export function extractHtml(bytes: Uint8Array): Extracted {
  if (bytes.length === 0) return { ok: false, reason: EMPTY_REASON };
  const kind = sniff(bytes);
  if (kind !== 'html' && kind !== 'text') return { ok: false, reason: `is not an HTML file (it looks like ${DESCRIPTIONS[kind]})` };
  const html = decodeHtml(bytes);
  if (looksBinary(html.slice(0, 65536))) return { ok: false, reason: `is not an HTML file (it looks like ${DESCRIPTIONS.binary})` };
  if (html.trim() === '') return { ok: false, reason: EMPTY_REASON };
  const shape = checkMarkupShape(html);
  const useReadability = shape.tags <= LIMITS.readabilityTags && shape.depth <= LIMITS.readabilityDepth;

  const dom = inertDom(html);
  try {
    const doc = dom.window.document;
    const page = pageMetadata(doc);
    let paragraphs: string[] = [];
    let article: ReturnType<Readability<Node>['parse']> = null;
    if (useReadability) {
      try {
        // Readability changes the document it reads; metadata was taken above.
        keepSubheadings(doc);
        article = new Readability<Node>(doc, { serializer: (node) => node, keepClasses: true }).parse();
      } catch {
        article = null;
      }
    }
    if (article?.content && (article.textContent ?? '').trim() !== '') {
      paragraphs = blockParagraphs(article.content as Element, { skipAds: true });
    }
    if (paragraphs.length === 0) {
      // No article found: the page's own text, without its furniture (parsed afresh if Readability changed the document).
      const fresh = useReadability ? inertDom(html) : dom;
      try {
        const body = fresh.window.document.body;
        paragraphs = body ? blockParagraphs(body, { skipChrome: true }) : [];
        if (paragraphs.length === 0 && body) paragraphs = blockParagraphs(body);
      } finally {
        if (fresh !== dom) fresh.window.close();
      }
    }
    // Galleries, pagers, credits and teasers that carry no telling markup show in their text.
    const story = dropFurniture(paragraphs);
    if (story.length > 0) paragraphs = story;
    if (paragraphs.length === 0) return { ok: false, reason: NO_ARTICLE_TEXT };

    const title = page.title ?? (article?.title ? squash(article.title) : undefined) ?? page.titles[0];
    // The headline is part of what an analyst reads and tags: it opens the text unless the article already does.
    if (title && !paragraphs.slice(0, 3).some((p) => norm(p) === norm(title) || norm(p).startsWith(norm(title)))) {
      paragraphs.unshift(title);
    }
    const text = joinParagraphs(paragraphs);
    const news = analyzeNewsCopy(text);
    const published = page.published ?? article?.publishedTime ?? undefined;
    const meta: DocumentMeta = {
      title: title ?? news.title,
      author: page.author ?? cleanByline(article?.byline),
      published: published ? (parseNewsDate(published) ?? published) : news.published,
      outlet: page.outlet ?? article?.siteName ?? news.outlet,
      url: page.url,
      language: page.language ?? languageTag(article?.lang),
    };
    return { ok: true, text, meta: cleanMeta(meta) };
  } finally {
    dom.window.close();
  }
}
