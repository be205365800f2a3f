import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { ARTICLE_EXTENSIONS, extractArticle, LIMITS } from '../../electron/services/intake/extract';
import { checkMarkupShape } from '../../electron/services/intake/extract/html';
import { REPO_ROOT } from './helpers';

const fixture = (name: string) => readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', name));
const PNG = fixture('folder/photo.txt');

async function reason(name: string, bytes: Uint8Array): Promise<string> {
  const result = await extractArticle(name, bytes);
  if (result.ok) throw new Error(`${name} was accepted: ${result.text.slice(0, 80)}`);
  expect(result.reason).not.toContain('\n');
  expect(result.reason).not.toContain(name);
  return result.reason;
}

/** Patches every central-directory and local header of a zip to declare `size` bytes uncompressed. */
function declareUncompressedSize(zip: Buffer, size: number): Buffer {
  const out = Buffer.from(zip);
  for (let at = 0; at + 4 <= out.length; at++) {
    const sig = out.readUInt32LE(at);
    if (sig === 0x02014b50) out.writeUInt32LE(size, at + 24);
    else if (sig === 0x04034b50) out.writeUInt32LE(size, at + 22);
  }
  return out;
}

describe('Word files that are bombs or not Word files', () => {
  it('refuses a zip bomb (one 200 MB entry of zeros) from its directory, without inflating it', async () => {
    const zip = new JSZip();
    zip.file('word/document.xml', '<w:document/>');
    zip.file('word/media/zeros.bin', new Uint8Array(200 * 1024 * 1024));
    const bomb = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
    expect(bomb.length).toBeLessThan(LIMITS.bytes);
    const value = await reason('bomb.docx', bomb);
    expect(value).toMatch(/^looks like a zip bomb/);
  });

  it('refuses a bomb whose directory lies about its sizes, when the inflated data outgrows them', async () => {
    const zip = new JSZip();
    zip.file('word/document.xml', '<w:document/>');
    zip.file('word/media/zeros.bin', new Uint8Array(8 * 1024 * 1024));
    const honest = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
    expect(await reason('honest-bomb.docx', honest)).toMatch(/^looks like a zip bomb \(word\/media\/zeros\.bin expands \d+ times/);
    const liar = declareUncompressedSize(honest, 13); // "13 bytes" for every entry
    expect(await reason('liar.docx', liar)).toMatch(/^looks like a zip bomb \(.* expands beyond the size it declares\)/);
  });

  it('refuses an archive of thousands of entries, a zip without a document, and a truncated .docx', async () => {
    const many = new JSZip();
    for (let i = 0; i <= LIMITS.zipEntries; i++) many.file(`word/part${i}.xml`, '');
    many.file('word/document.xml', '<w:document/>');
    expect(await reason('many.docx', await many.generateAsync({ type: 'nodebuffer' }))).toMatch(/^has too many parts \(2,00\d zip entries/);

    const other = new JSZip();
    other.file('hello.txt', 'hello');
    expect(await reason('other.docx', await other.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }))).toBe(
      'is not a Word document (a zip archive without word/document.xml)',
    );

    const docx = fixture('article.docx');
    expect(await reason('cut.docx', docx.subarray(0, docx.length >> 1))).toMatch(/^is not a Word document or it is damaged \(/);
  });
});

describe('damaged and pathological files', () => {
  it('refuses a truncated PDF as damaged', async () => {
    const pdf = fixture('article.pdf');
    expect(await reason('cut.pdf', pdf.subarray(0, pdf.length >> 1))).toMatch(/^is damaged or not a PDF/);
    // Even when the end marker is there, a PDF whose structure is gone is damaged.
    const patched = Buffer.concat([pdf.subarray(0, 400), Buffer.from('\n%%EOF\n')]);
    expect(await reason('patched.pdf', patched)).toMatch(/^is damaged or not a PDF/);
  });

  it('refuses 50 MB of nested tags by size, before reading them', async () => {
    const huge = Buffer.alloc(50 * 1024 * 1024, '<div>');
    const value = await reason('huge.html', huge);
    expect(value).toBe('larger than 20 MB (50.0 MB)');
  });

  it('refuses 5 MB of nested tags with the nesting guard, without a stack overflow', async () => {
    const nested = Buffer.from(`<html><body>${'<div><span>'.repeat(500_000)}text`);
    expect(nested.length).toBeGreaterThan(5_000_000);
    const value = await reason('nested.html', nested);
    expect(value).toBe('is nested too deeply to be an article (over 2,000 levels of tags)');
  });

  it('reads a page nested just under the limit (no stack overflow), and refuses one with too many elements', async () => {
    const depth = LIMITS.htmlDepth - 10;
    const deep = `<html><body>${'<div>'.repeat(depth)}<p>Deep but real text.</p>${'</div>'.repeat(depth)}</body></html>`;
    expect(checkMarkupShape(deep).depth).toBe(depth);
    const value = await extractArticle('deep.html', Buffer.from(deep));
    expect(value).toEqual({ ok: true, text: 'Deep but real text.', meta: { title: 'Deep but real text' } });

    const wide = Buffer.from(`<html><body>${'<i>x</i>'.repeat(LIMITS.htmlTags + 1)}</body></html>`);
    expect(await reason('wide.html', wide)).toBe('has too many elements (over 100,000) to be an article');
  });

  it('counts nesting as a parser would: void, self-closing and optional-end tags, comments and raw text do not nest', () => {
    const html = `<!-- <div><div> --><p>a<p>b<br><img src=x><li>c<li>d<div/><script>"<div><div><div>"</script><style><div></style><div><span>e</span></div>`;
    expect(checkMarkupShape(html, 2)).toEqual({ depth: 2, tags: 11 });
    expect(() => checkMarkupShape('<b><b><b>', 2)).toThrow(/nested too deeply/);
  });
});

describe('wrong extensions and empty files', () => {
  it('says what a file really is when its extension lies', async () => {
    const pdf = fixture('article.pdf');
    const docx = fixture('article.docx');
    expect(await reason('text.pdf', Buffer.from('Just some text in a file named .pdf'))).toBe('is not a PDF (it looks like plain text)');
    expect(await reason('image.pdf', PNG)).toBe('is not a PDF (it looks like a PNG image)');
    expect(await reason('image.html', PNG)).toBe('is not an HTML file (it looks like a PNG image)');
    expect(await reason('paper.html', pdf)).toBe('is not an HTML file (it looks like a PDF)');
    expect(await reason('paper.htm', docx)).toBe('is not an HTML file (it looks like a zip archive or an Office document)');
    expect(await reason('paper.docx', pdf)).toBe('is not a Word document (it looks like a PDF)');
    expect(await reason('notes.docx', Buffer.from('plain notes'))).toBe('is not a Word document (it looks like plain text)');
    expect(await reason('old.docx', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).toBe(
      'is not a Word document Margin can read (it is an old .doc file; save it as .docx)',
    );
    expect(await reason('photo.txt', PNG)).toBe('binary content, not text (it looks like a PNG image)');
    expect(await reason('paper.md', pdf)).toBe('binary content, not text (it looks like a PDF)');
    expect(await reason('data.txt', Buffer.from([1, 2, 3, 0, 4, 5]))).toMatch(/^binary content, not text/);
    expect(await reason('noisy.txt', Buffer.from('ab\u0001\u0002\u0003cd'))).toBe('binary content, not text (control characters)');
  });

  it('gives every empty or blank file a clear reason', async () => {
    for (const ext of ARTICLE_EXTENSIONS) {
      expect(await reason(`empty${ext}`, new Uint8Array())).toBe('empty: there is no text in it');
    }
    for (const ext of ['.txt', '.text', '.md', '.markdown']) expect(await reason(`blank${ext}`, Buffer.from(' \r\n\t\n'))).toBe('empty: there is no text in it');
    expect(await reason('blank.html', Buffer.from('  \n '))).toBe('empty: there is no text in it');
    expect(await reason('frontmatter.md', Buffer.from('---\nauthor: x\n---\n'))).toBe('empty: there is no text in it');
  });

  it('never throws, whatever the bytes', async () => {
    const pdf = fixture('article.pdf');
    const docx = fixture('article.docx');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ARTICLE_EXTENSIONS),
        fc.oneof(
          fc.uint8Array({ maxLength: 2000 }),
          fc.string({ maxLength: 500 }).map((s) => Buffer.from(s)),
          fc.nat({ max: pdf.length }).map((n) => pdf.subarray(0, n)),
          fc.nat({ max: docx.length }).map((n) => docx.subarray(0, n)),
          fc.tuple(fc.nat({ max: pdf.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([at, b]) => {
            const copy = Buffer.from(pdf);
            copy[at] = b;
            return copy;
          }),
        ),
        async (ext, bytes) => {
          const result = await extractArticle(`fuzz${ext}`, bytes);
          if (!result.ok) expect(result.reason).toMatch(/^[^\n]+$/);
          else expect(typeof result.text).toBe('string');
        },
      ),
      { numRuns: 150 },
    );
  });
});
