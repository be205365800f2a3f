import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { REPO_ROOT, samplePaths } from '../unit/helpers';
import { mutated, newsText, noise, zipOf, type ZipEntrySpec } from './bytes';

/** Arbitrary article files, one generator per format Margin reads: built from the format's parts, damaged copies of real files, noise. */

const fixture = (name: string) => readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', name));
const SAMPLE = readFileSync(samplePaths()[0]!); // the CNN sample: non-breaking spaces, curly quotes
const SAMPLE_HEAD = SAMPLE.subarray(0, 3000);
const utf8 = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const words = newsText(30);

// --- plain text ------------------------------------------------------------------------------
const txt: fc.Arbitrary<Uint8Array> = fc.oneof(
  newsText(200).map(utf8),
  newsText(100).map((s) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')])),
  newsText(100).map((s) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()])),
  newsText(100).map((s) => Buffer.from(s, 'latin1')),
  mutated(SAMPLE_HEAD, [fixture('windows-1252.txt')]),
  noise(['\ufeff', '{\\rtf1', '%PDF-', 'PK\u0003\u0004']),
);

// --- Markdown --------------------------------------------------------------------------------
const mdBlock: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 7 }), words).map(([n, t]) => `${'#'.repeat(n)} ${t}`),
  words,
  fc.array(fc.tuple(fc.nat({ max: 40 }), fc.constantFrom('-', '*', '+', '1.', '2)'), words), { maxLength: 12 }).map((items) => items.map(([depth, mark, t]) => `${'  '.repeat(depth)}${mark} ${t}`).join('\n')),
  fc.tuple(fc.integer({ min: 1, max: 30 }), words).map(([n, t]) => `${'> '.repeat(n)}${t}`),
  fc.tuple(fc.constantFrom('```', '~~~', '````'), words, fc.boolean()).map(([f, t, closed]) => `${f}js\n${t}\n${closed ? f : ''}`),
  fc.tuple(words, words).map(([a, b]) => `**${a}** _${b}_ [${a}](https://example.org/${b.replace(/[\s()]/g, "-")}) ![${b}](x.png) \`${a}\``),
  fc.tuple(words, words).map(([a, b]) => `| ${a} | ${b} |\n|---|---|\n| ${b} | ${a} |`),
  fc.tuple(words, words).map(([a, b]) => `<div class="x">${a}<b>${b}</div>`),
  fc.tuple(words, fc.webUrl()).map(([a, u]) => `[${a}]: ${u} "t"`),
  words.map((t) => `${t}\n${'='.repeat(3)}`),
  fc.constantFrom('---', '***', '<!-- comment', '\\', '<', '[', '](', '*'),
);
const frontMatter = fc.option(
  fc.array(fc.tuple(fc.constantFrom('title', 'author', 'date', 'url', 'outlet', 'lang', 'tags', ''), words), { maxLength: 6 }).map((fields) => `---\n${fields.map(([k, v]) => `${k}: ${v}`).join('\n')}\n---\n`),
);
const md: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.tuple(frontMatter, fc.array(mdBlock, { maxLength: 20 })).map(([fm, blocks]) => utf8(`${fm ?? ''}${blocks.join('\n\n')}`)),
  mutated(fixture('article.md')),
  noise(['---\n', '# ']),
);

// --- HTML ------------------------------------------------------------------------------------
const TAGS = ['p', 'div', 'span', 'b', 'i', 'a', 'article', 'section', 'h1', 'h2', 'figure', 'figcaption', 'nav', 'header', 'footer', 'aside', 'ul', 'li', 'table', 'tr', 'td', 'br', 'img', 'blockquote', 'pre', 'main', 'time', 'template', 'svg', 'math', 'iframe', 'noscript', 'select', 'option', 'form', 'textarea', 'title'];
const attr = fc.oneof(
  fc.constantFrom('class="caption"', 'class="gallery slide"', 'id="related"', 'dir="rtl"', 'lang="ar"', 'hidden', 'style="display:none"', 'onclick="alert(1)"', 'href="javascript:alert(1)"', 'src="http://127.0.0.1:1/x"'),
  fc.tuple(fc.constantFrom('class', 'id', 'title', 'alt', 'data-x'), words).map(([k, v]) => `${k}="${v.replace(/"/g, '&quot;')}"`),
);
const htmlToken: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...TAGS), fc.array(attr, { maxLength: 3 })).map(([t, a]) => `<${[t, ...a].join(' ')}>`) },
  { weight: 3, arbitrary: fc.constantFrom(...TAGS).map((t) => `</${t}>`) },
  { weight: 5, arbitrary: words },
  { weight: 1, arbitrary: fc.constantFrom('&nbsp;', '&#8220;', '&#x1F44D;', '&#0;', '&#xD800;', '&bogus;', '&', '<!--', '-->', '<!-- x -->', '<![CDATA[x]]>', '<', '</', '<script>document.write("x")</script>', '<style>p{}</style>', '<?xml x?>', '<!doctype html>') },
);
const HEAD_BITS = ['<title>“Deal” is close</title>', '<meta charset="utf-8">', '<meta charset="shift_jis">', '<meta charset="bogus">', '<meta property="og:title" content="T">', '<meta name="author" content="A">', '<meta property="article:published_time" content="2024-10-22">', '<link rel="canonical" href="https://example.org/a">', '<base href="http://127.0.0.1:1/">', '<meta http-equiv="refresh" content="0;url=http://127.0.0.1:1/">'];
const html: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.tuple(fc.constantFrom('', '<!doctype html>', '<html lang="en">', '<html dir="rtl" lang="ar">'), fc.subarray(HEAD_BITS), fc.array(htmlToken, { maxLength: 60 })).map(([open, head, body]) =>
    utf8(`${open}<head>${head.join('')}</head><body>${body.join('')}</body></html>`),
  ),
  fc.array(htmlToken, { maxLength: 40 }).map((t) => utf8(t.join(''))),
  mutated(utf8(`<!doctype html><html><head><title>Ferry</title></head><body><nav><a href="/">Home</a></nav><article><h1>Ferry service resumes</h1><p>${SAMPLE_HEAD.toString('utf8').split('\n\n').slice(0, 3).join('</p><p>')}</p><figure><figcaption>Photo: A</figcaption></figure></article></body></html>`)),
  noise(['<html>', '<!doctype html>', '\ufeff<html>']),
);

// --- Word ------------------------------------------------------------------------------------
const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
/** Text XML can carry: escaped, without the control characters and lone surrogate halves XML forbids. */
const xmlText = (s: string) =>
  [...s.replace(/&/g, '&amp;').replace(/</g, '&lt;')]
    .filter((c) => {
      const code = c.codePointAt(0)!;
      return (code >= 0x20 || code === 0x9 || code === 0xa || code === 0xd) && !(code >= 0xd800 && code <= 0xdfff);
    })
    .join('');
const wordPart: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom('', '<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>', '<w:pPr><w:pStyle w:val="Caption"/></w:pPr>', '<w:pPr><w:bidi/></w:pPr>'), words).map(([style, t]) => `<w:p>${style}<w:r><w:t xml:space="preserve">${xmlText(t)}</w:t></w:r></w:p>`) },
  { weight: 1, arbitrary: fc.constantFrom('<w:p><w:r><w:br/><w:tab/></w:r></w:p>', '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>', '<w:p><w:hyperlink r:id="rId9"><w:r><w:t>link</w:t></w:r></w:hyperlink></w:p>', '<w:p><w:r><w:drawing/></w:r></w:p>', '<w:p><w:fldSimple w:instr="INCLUDETEXT c:\\x"/></w:p>', '<w:p>', '</w:p>', '<w:r><w:t>', '&bogus;') },
);
const CONTENT_TYPES = `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const RELS = `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;
const entry = (name: string, content: string | Uint8Array, deflate: boolean, declaredSize?: number): ZipEntrySpec => ({ name, data: typeof content === 'string' ? utf8(content) : content, deflate, ...(declaredSize === undefined ? {} : { declaredSize }) });
const wordZip: fc.Arbitrary<Uint8Array> = fc
  .record({
    parts: fc.array(wordPart, { maxLength: 25 }),
    title: fc.option(words),
    deflate: fc.boolean(),
    rels: fc.boolean(),
    types: fc.boolean(),
    lie: fc.option(fc.nat({ max: 200_000 }), { freq: 8 }),
    extra: fc.array(fc.tuple(fc.constantFrom('word/media/a.png', '../../evil.txt', '/abs.xml', 'word/document.xml', 'word/_rels/document.xml.rels', 'customXml/item1.xml', 'word/'), fc.uint8Array({ maxLength: 200 })), { maxLength: 3 }),
  })
  .map(({ parts, title, deflate, rels, types, lie, extra }) =>
    zipOf([
      ...(types ? [entry('[Content_Types].xml', CONTENT_TYPES, deflate)] : []),
      ...(rels ? [entry('_rels/.rels', RELS, deflate)] : []),
      entry('word/document.xml', `<?xml version="1.0"?><w:document ${W}><w:body>${parts.join('')}</w:body></w:document>`, deflate, lie ?? undefined),
      ...(title === null ? [] : [entry('docProps/core.xml', `<cp:coreProperties xmlns:cp="c" xmlns:dc="d"><dc:title>${xmlText(title)}</dc:title></cp:coreProperties>`, deflate)]),
      ...extra.map(([name, data]) => entry(name, data, deflate)),
    ]),
  );
const docx: fc.Arbitrary<Uint8Array> = fc.oneof({ weight: 3, arbitrary: wordZip }, { weight: 2, arbitrary: mutated(fixture('article.docx')) }, { weight: 1, arbitrary: wordZip.chain((z) => mutated(z)) }, { weight: 1, arbitrary: noise(['PK\u0003\u0004', 'PK\u0005\u0006']) });

// --- PDF -------------------------------------------------------------------------------------
const pdfString = (s: string) => `(${Buffer.from(s, 'latin1').toString('latin1').replace(/[\\()]/g, (c) => `\\${c}`)})`;
/** A one-page PDF with a correct cross-reference table, its content stream made of the given operators. */
export function pdfOf(content: string, title?: string): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    `<< /Title ${pdfString(title ?? '')} >>`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
const pdfOp: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.integer({ min: -50, max: 700 }), fc.integer({ min: -50, max: 800 }), fc.integer({ min: 0, max: 72 }), words).map(([x, y, size, t]) => `BT /F1 ${size} Tf ${x} ${y} Td ${pdfString(t)} Tj ET`) },
  { weight: 1, arbitrary: fc.constantFrom('q 1 0 0 1 0 0 cm Q', 'BT', 'ET', '/F9 12 Tf', '[(a) -200 (b)] TJ', 'T*', '0 0 Td', '(unclosed', '<< /x', '1e999 0 Td', 'BT 3 Tr (hidden) Tj ET', 'BT /F1 12 Tf 0 1 -1 0 100 100 Tm (rotated) Tj ET') },
);
const builtPdf = fc.tuple(fc.array(pdfOp, { maxLength: 30 }), fc.option(words)).map(([ops, title]) => pdfOf(ops.join('\n'), title ?? undefined));
const pdf: fc.Arbitrary<Uint8Array> = fc.oneof({ weight: 3, arbitrary: builtPdf }, { weight: 2, arbitrary: mutated(fixture('article.pdf')) }, { weight: 1, arbitrary: builtPdf.chain((p) => mutated(p)) }, { weight: 1, arbitrary: noise(['%PDF-1.7\n', '%PDF-']) });

/** The generator of each article format, by the extension a file of it has. */
export const ARTICLE_INPUTS = { txt, md, html, docx, pdf } as const;
export type ArticleFormat = keyof typeof ARTICLE_INPUTS;
