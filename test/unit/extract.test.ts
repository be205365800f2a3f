import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { ARTICLE_EXTENSIONS, extractArticle, type Extracted } from '../../electron/services/intake/extract';
import { decodeArticle } from '../../electron/services/intake/importText';
import { DOCX_ARTICLE, MARKDOWN_ARTICLE, NEWS_PAGE, PDF_ARTICLE, WINDOWS_1252_TEXT } from '../../scripts/make-fixtures';
import { REPO_ROOT } from './helpers';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));

async function ok(name: string, bytes: Uint8Array): Promise<Extract<Extracted, { ok: true }>> {
  const result = await extractArticle(name, bytes);
  if (!result.ok) throw new Error(`${name}: ${result.reason}`);
  return result;
}

const paragraphsOf = (text: string) => text.split('\n\n');

/** Every boilerplate phrase is absent; every paragraph is present, in order, each its own paragraph. */
function expectArticle(text: string, paragraphs: readonly string[], boilerplate: readonly string[] = []) {
  const found = paragraphsOf(text);
  let last = -1;
  for (const p of paragraphs) {
    const at = found.indexOf(p);
    expect(at, `paragraph missing or merged: ${p.slice(0, 60)}…`).toBeGreaterThan(last);
    last = at;
  }
  for (const phrase of boilerplate) expect(text, `boilerplate kept: ${phrase}`).not.toContain(phrase);
  expect(text).not.toMatch(/\n{3,}/);
  expect(text).toBe(text.trim());
}

describe('extractArticle', () => {
  it('reads exactly the article extensions, case-insensitively, and names the rest', async () => {
    expect(ARTICLE_EXTENSIONS).toEqual(['.txt', '.text', '.md', '.markdown', '.html', '.htm', '.docx', '.pdf']);
    expect((await extractArticle('A.TXT', Buffer.from('Hello there.'))).ok).toBe(true);
    expect(await extractArticle('data.xyz', Buffer.from('x'))).toEqual({ ok: false, reason: expect.stringMatching(/^not an article format Margin reads \(\.xyz\)/) });
    expect(await extractArticle('README', Buffer.from('x'))).toEqual({ ok: false, reason: expect.stringContaining('(no extension)') });
  });

  it('stops before reading when the import is cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await extractArticle('a.pdf', fixture('article.pdf'), { signal: controller.signal })).toEqual({ ok: false, reason: 'import cancelled' });
  });
});

describe('HTML', () => {
  it('extracts the article of a saved news page, with its metadata, and none of the page around it', async () => {
    const { text, meta } = await ok('news-page.html', fixture('news-page.html'));
    expect(meta).toEqual({
      title: NEWS_PAGE.title, // og:title without its " | site" suffix
      outlet: 'The Meridian Herald',
      author: 'Lena Okafor',
      published: '2024-08-19T07:45:00+02:00',
      url: NEWS_PAGE.url, // the canonical link, not og:url with its tracking parameter
      language: 'en-GB',
    });
    expect(paragraphsOf(text)[0]).toBe(NEWS_PAGE.title);
    expectArticle(text, NEWS_PAGE.paragraphs, [
      'We use cookies',
      'Accept all cookies',
      'Advertisement',
      'Aurora phone',
      'Holiday deals',
      'mortgage',
      'Sign in',
      'Subscribe',
      'Sections',
      'Opinion',
      'Related stories',
      'River levels fall',
      'Read more',
      'Comments (3)',
      'This is outrageous',
      'riverwatcher',
      'Most read',
      'All rights reserved',
      'Privacy policy',
      'Share on social media',
      'dataLayer',
      'tracker-config',
      'ads loaded',
      'cookie-banner',
      '<',
    ]);
    expect(text.startsWith(`${NEWS_PAGE.title}\n\n${NEWS_PAGE.paragraphs[0]}`)).toBe(true);
    expect(text.endsWith(NEWS_PAGE.paragraphs.at(-1)!)).toBe(true);
  });

  it('reads a short page without its navigation and footer', async () => {
    const html = `<html><head><title>Notice</title></head><body><nav><a href="/">Home</a> <a href="/x">Sections</a></nav>
      <div>Short notice: the bridge is closed.</div><ul><li>Until Friday</li><li>Use the ferry</li></ul><footer>© Council</footer></body></html>`;
    const { text, meta } = await ok('notice.htm', Buffer.from(html));
    expect(text).toBe('Notice\n\nShort notice: the bridge is closed.\n\nUntil Friday\n\nUse the ferry');
    expect(meta.title).toBe('Notice');
  });

  it('reads a page too deep for Readability from its body, without navigation, ads, comments or footer', async () => {
    const wrap = (inner: string, depth: number) => '<div>'.repeat(depth) + inner + '</div>'.repeat(depth);
    const html = `<html lang="en"><head><meta property="og:title" content="Deep page"></head><body>
      <nav><a href="/">Home</a></nav><div class="ad-slot">Advertisement: buy now</div>
      ${wrap('<p>First sentence of a deeply wrapped story.</p><p>Last sentence of it.</p>', 150)}
      <section class="comments"><p>Nice article!</p></section><footer>© Site</footer></body></html>`;
    const { text, meta } = await ok('deep.html', Buffer.from(html));
    expect(text).toBe('Deep page\n\nFirst sentence of a deeply wrapped story.\n\nLast sentence of it.');
    expect(meta).toEqual({ title: 'Deep page', language: 'en' });
  });

  it('says so when a page has no text at all', async () => {
    const html = '<!DOCTYPE html><html><head><title></title><script>var x = "text in a script";</script></head><body><img src="a.png"><svg><text>chart</text></svg></body></html>';
    expect(await extractArticle('blank.html', Buffer.from(html))).toEqual({ ok: false, reason: 'no article text found' });
  });

  it('decodes the charset the page declares, a BOM, or Windows-1252 bytes that are not UTF-8', async () => {
    const body = '<p>Le café “quoted” € price, and a long enough paragraph of text to be the article here.</p>';
    const cp1252 = (s: string) => Buffer.from([...s].map((c) => ({ '“': 0x93, '”': 0x94, '€': 0x80 })[c] ?? c.charCodeAt(0)));
    const declared = cp1252(`<html><head><meta charset="windows-1252"><title>T</title></head><body>${body}</body></html>`);
    const httpEquiv = cp1252(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"></head><body>${body}</body></html>`);
    const undeclared = cp1252(`<html><body>${body}</body></html>`);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`<html><body>${body}</body></html>`, 'utf16le')]);
    const utf8 = Buffer.from(`<html><head><meta charset="utf-8"></head><body>${body}</body></html>`);
    for (const [name, bytes] of Object.entries({ declared, httpEquiv, undeclared, utf16, utf8 })) {
      const { text } = await ok(`${name}.html`, bytes);
      expect(text, name).toContain('Le café “quoted” € price');
    }
  });

  it('takes JSON-LD NewsArticle metadata when the page has no og: tags', async () => {
    const ld = { '@context': 'https://schema.org', '@graph': [{ '@type': 'WebPage' }, { '@type': ['NewsArticle'], headline: 'Ld headline', author: [{ name: 'A. Writer' }, { name: 'B. Writer' }], datePublished: '2024-01-02', publisher: { name: 'Ld Times' }, url: 'https://ld.example/a' }] };
    const html = `<html><head><title>Other | Ld Times</title><script type="application/ld+json">${JSON.stringify(ld)}</script></head><body><article><p>${'Body sentence of the story. '.repeat(30)}</p></article></body></html>`;
    const { meta, text } = await ok('ld.html', Buffer.from(html));
    expect(meta).toEqual({ title: 'Ld headline', author: 'A. Writer, B. Writer', published: '2024-01-02', outlet: 'Ld Times', url: 'https://ld.example/a' });
    expect(text.startsWith('Ld headline\n\nBody sentence')).toBe(true);
  });
});

describe('Markdown', () => {
  it('reads front matter, keeps headings and list items as paragraphs, and strips inline markup', async () => {
    const { text, meta } = await ok('article.md', fixture('article.md'));
    expect(meta).toEqual({ title: MARKDOWN_ARTICLE.title, author: 'Jonas Weber', published: '2024-07-30', url: MARKDOWN_ARTICLE.url, outlet: 'Energy Wire' });
    const paragraphs = paragraphsOf(text);
    expect(paragraphs[0]).toBe(MARKDOWN_ARTICLE.title);
    expect(paragraphs[1]!.startsWith(MARKDOWN_ARTICLE.first)).toBe(true);
    expect(paragraphs.at(-1)).toBe(MARKDOWN_ARTICLE.last);
    expect(paragraphs).toContain('Solar output helped');
    expect(paragraphs).toContain('imports from neighbouring grids were raised to their limit;');
    expect(paragraphs).toContain('households were asked to avoid running washing machines at midday.');
    expect(paragraphs).toContain('"Without the solar farms we would have had to cut supply to some districts," said the operator\'s chief engineer.');
    // Soft-wrapped source lines are one paragraph; links keep their text.
    expect(text).toContain('Grid operators asked large industrial users to shift their consumption to the evening, and several factories');
    expect(text).toContain("The operator's statement listed the measures:");
    expect(text).toContain('hour  demand_gw  solar_gw\n12    61.2       14.8'); // code kept as written
    for (const markup of ['**', '](', '`', '#', '---', 'title:', '<!--', "editor's note", '> "']) expect(text).not.toContain(markup);
  });

  it('takes the first heading as title when there is no front matter, and decodes entities', async () => {
    const md = 'Intro line before.\n\n## Second-level first\n\n# Main &amp; only\n\nText with <b>inline html</b> and a [link](javascript:alert(1)).\n';
    const { text, meta } = await ok('n.markdown', Buffer.from(md));
    expect(meta.title).toBe('Main & only');
    expect(text).toBe('Intro line before.\n\nSecond-level first\n\nMain & only\n\nText with inline html and a link.');
  });
});

describe('Word', () => {
  it('reads a .docx: title and author from its properties, headings and paragraphs in order', async () => {
    const { text, meta } = await ok('article.docx', fixture('article.docx'));
    expect(meta).toEqual({ title: DOCX_ARTICLE.title, author: DOCX_ARTICLE.creator, language: 'en-GB' });
    expectArticle(text, [DOCX_ARTICLE.title, `By ${DOCX_ARTICLE.creator}`, ...DOCX_ARTICLE.paragraphs.slice(0, 2), 'What happens next', ...DOCX_ARTICLE.paragraphs.slice(2)]);
    expect(text.startsWith(DOCX_ARTICLE.title)).toBe(true);
    expect(text.endsWith(DOCX_ARTICLE.paragraphs.at(-1)!)).toBe(true);
  });
});

describe('PDF', () => {
  it('rebuilds paragraphs from a two-column page, left column first, title from the largest font', async () => {
    const { text, meta } = await ok('article.pdf', fixture('article.pdf'));
    expect(meta).toEqual({ title: PDF_ARTICLE.title, author: PDF_ARTICLE.author });
    // A paragraph that runs from the bottom of the left column to the top of the right one is whole.
    expectArticle(text, [PDF_ARTICLE.title, PDF_ARTICLE.byline, ...PDF_ARTICLE.paragraphs]);
    expect(paragraphsOf(text)).toHaveLength(PDF_ARTICLE.paragraphs.length + 2);
    expect(text.endsWith(PDF_ARTICLE.paragraphs.at(-1)!)).toBe(true); // the page number is dropped
  });

  it('prefers the document Title, and refuses a PDF without a text layer', async () => {
    const doc = await PDFDocument.create();
    doc.setTitle('Info dictionary title');
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([400, 400]);
    page.drawText('Only line of text here.', { x: 40, y: 300, size: 12, font });
    const titled = await ok('t.pdf', await doc.save());
    expect(titled.meta.title).toBe('Info dictionary title');
    expect(titled.text).toBe('Only line of text here.');

    const scan = await PDFDocument.create();
    scan.addPage([400, 400]).drawRectangle({ x: 10, y: 10, width: 100, height: 100 });
    expect(await extractArticle('scan.pdf', await scan.save())).toEqual({ ok: false, reason: 'has no text layer (a scanned PDF?); run OCR first' });
  });
});

describe('plain text and encodings', () => {
  const article = 'Le café “quoted” €\n\nSecond paragraph.\n';

  it('decodes UTF-8 with and without BOM, UTF-16 LE and BE with BOM, and Windows-1252', async () => {
    const be = Buffer.from(article, 'utf16le').swap16();
    const inputs = {
      utf8: Buffer.from(article),
      bom: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(article)]),
      le: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(article, 'utf16le')]),
      be: Buffer.concat([Buffer.from([0xfe, 0xff]), be]),
    };
    for (const [name, bytes] of Object.entries(inputs)) {
      const { text, meta } = await ok(`${name}.txt`, bytes);
      expect(text, name).toBe(article);
      expect(meta.title).toBe('Le café “quoted” €');
    }
    const legacy = await ok('windows-1252.txt', fixture('windows-1252.txt'));
    expect(legacy.text).toBe(WINDOWS_1252_TEXT);
    expect(legacy.text).toContain('café “quoted” €');
    expect(legacy.text).toContain('The owner’s reply');
    // The old .txt entry point decodes the same way (and normalizes, as it always did).
    const decoded = decodeArticle('windows-1252.txt', fixture('windows-1252.txt'));
    expect(decoded.ok && decoded.text).toBe(WINDOWS_1252_TEXT.replace(/\r\n/g, '\n'));
  });

  it('reads .text like .txt and leaves the text as it is (not normalized: the importer does that)', async () => {
    const nfd = 'Cafe\u0301 reopens\r\n\r\nThe cafe\u0301 on the corner reopened.\r\n';
    const { text, meta } = await ok('x.text', Buffer.from(nfd));
    expect(text).toBe(nfd);
    expect(meta.title).toBe('Cafe\u0301 reopens');
  });
});
