/**
 * Writes the article fixtures under test/fixtures/ (committed; run again after changing this file):
 *
 *   npx tsx scripts/make-fixtures.ts
 *
 * Every article here is invented for the tests. The output is deterministic (fixed dates), so
 * running it twice changes nothing.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import JSZip from 'jszip';
import { PDFDocument, type PDFFont, StandardFonts } from 'pdf-lib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const FIXED_DATE = new Date('2024-08-19T09:30:00Z');

// ---------------------------------------------------------------------------------------------
// The articles (invented).

export const NEWS_PAGE = {
  title: 'Water talks resume in Geneva as drought deepens across the basin',
  site: 'The Meridian Herald',
  author: 'Lena Okafor',
  published: '2024-08-19T07:45:00+02:00',
  url: 'https://www.meridianherald.example/world/2024/08/19/water-talks-geneva',
  paragraphs: [
    'Negotiators from five riverside nations returned to Geneva on Monday to revive talks over a shared water treaty, as the worst drought in four decades pushed reservoirs to record lows.',
    'The talks, hosted by the United Nations, had stalled in March after delegates failed to agree on how much water upstream dams should release during the dry season.',
    '“Every week without a deal is a week of empty fields downstream,” said Amara Diallo, the mediator leading the talks, as she opened the first session.',
    'Officials from the upstream states argue that their hydropower plants supply electricity to millions of homes and cannot run at half capacity for months at a time.',
    'Farmers’ unions in the lower basin say the dry riverbed has already cost them two harvests, and several towns now rely on water delivered by truck.',
    'Diplomats said a draft text circulated over the weekend would tie releases to rainfall measured at six stations along the river, an idea first proposed by hydrologists in 2019.',
    'The delegations are expected to meet again on Thursday, and the mediator said she hoped to present a revised draft before the end of the month.',
  ],
};

export const HOSTILE_PAGE = {
  title: 'Port workers end strike after pay deal',
  paragraphs: [
    'Dock workers at the northern port voted on Friday to end a nine-day strike after union leaders accepted a pay offer worth six percent over two years.',
    'Cranes were moving again by the evening shift, and the port authority said the backlog of container ships would clear within a week.',
    'The union said the agreement also limits night shifts to four a week for every crane operator.',
  ],
};

export const DOCX_ARTICLE = {
  title: 'City council approves new tram line to the harbour',
  creator: 'Priya Raman',
  paragraphs: [
    'The city council on Tuesday approved a new tram line linking the central station to the harbour district, ending a debate that lasted more than three years.',
    'The line will run for 7.4 kilometres and serve eleven stops, including the university campus and the new hospital.',
    'Councillors voted 31 to 12 in favour, with opponents arguing that the budget should have gone to buses in the outer neighbourhoods.',
    'Construction is due to begin next spring, and the first trams are expected to carry passengers in 2027.',
  ],
};

export const PDF_ARTICLE = {
  title: 'Scientists map the oldest coral reef in the northern sea',
  byline: 'By Tomas Lindqvist, Science Desk',
  author: 'Tomas Lindqvist',
  paragraphs: [
    'Marine scientists have mapped a coral reef off the northern coast that they believe began growing more than nine thousand years ago, making it the oldest known reef in the region.',
    'The team used sonar surveys and samples taken by remotely operated vehicles to trace the reef across an area of roughly forty square kilometres.',
    'Cold-water corals grow slowly, often less than a centimetre a year, which is why the scale of the structure surprised the researchers who first saw the images.',
    'Fishing trawlers have damaged parts of the reef in recent decades, and the scientists say the new map shows where protection is most urgently needed.',
    '“This reef has survived the end of an ice age, but it may not survive another decade of bottom trawling,” said Ingrid Halvorsen, who led the survey.',
    'The regional fisheries authority said it would review the findings and consult fishing communities before proposing any closed areas next year.',
  ],
};

export const MARKDOWN_ARTICLE = {
  title: 'Heatwave pushes power demand to a summer record',
  author: 'Jonas Weber',
  date: '2024-07-30',
  url: 'https://news.example.org/energy/heatwave-power-demand',
  first: 'Electricity demand reached a summer record on Tuesday as temperatures climbed above 38 degrees in the capital for the fourth day running.',
  last: 'The grid operator will publish its full report on the heatwave in September.',
};

// ---------------------------------------------------------------------------------------------

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function newsPageHtml(): string {
  const a = NEWS_PAGE;
  const ld = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: a.title,
    datePublished: a.published,
    author: [{ '@type': 'Person', name: a.author }],
    publisher: { '@type': 'Organization', name: a.site },
  };
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>${esc(a.title)} | ${esc(a.site)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="Negotiators from five nations returned to Geneva.">
<meta property="og:type" content="article">
<meta property="og:title" content="${esc(a.title)} | ${esc(a.site)}">
<meta property="og:site_name" content="${esc(a.site)}">
<meta property="og:url" content="${a.url}?utm_source=social">
<meta property="article:published_time" content="${a.published}">
<meta property="article:section" content="World">
<meta name="author" content="${esc(a.author)}">
<link rel="canonical" href="${a.url}">
<link rel="stylesheet" href="/static/site.css">
<script type="application/ld+json">${JSON.stringify(ld)}</script>
<script>
  window.dataLayer = window.dataLayer || [];
  function trackPageView() { window.dataLayer.push({ event: 'tracker-config-pageview', section: 'world' }); }
  trackPageView();
</script>
<style>.cookie-banner { position: fixed; bottom: 0; } .ad-slot { min-height: 250px; }</style>
</head>
<body>
<div class="cookie-banner" id="cookie-consent" role="dialog">
  <p>We use cookies to improve your experience and to show personalised advertising. <button>Accept all cookies</button> <button>Manage preferences</button></p>
</div>
<header class="site-header">
  <a class="logo" href="/">${esc(a.site)}</a>
  <nav class="main-nav" aria-label="Sections">
    <ul><li><a href="/world">World</a></li><li><a href="/business">Business</a></li><li><a href="/science">Science</a></li><li><a href="/opinion">Opinion</a></li><li><a href="/sport">Sport</a></li></ul>
  </nav>
  <a class="signin" href="/account">Sign in to your account</a>
  <a class="subscribe" href="/subscribe">Subscribe from 1 euro a week</a>
</header>
<div class="ad-slot ad-leaderboard"><span>Advertisement</span><p>Buy the new Aurora phone today, limited offer.</p></div>
<main>
  <article class="story">
    <div class="breadcrumbs"><a href="/">Home</a> › <a href="/world">World</a></div>
    <h1 class="headline">${esc(a.title)}</h1>
    <p class="byline">By <a rel="author" href="/authors/lena-okafor">${esc(a.author)}</a> · <time datetime="${a.published}">19 August 2024</time></p>
    <figure><img src="/images/reservoir.jpg" alt="A dry reservoir"><figcaption>The reservoir above the dam stood at a fifth of its capacity last week.</figcaption></figure>
    <div class="story-body">
${a.paragraphs
  .map((p, i) =>
    i === 3
      ? `      <p>${esc(p)}</p>\n      <div class="ad-slot ad-inline"><span>Advertisement</span><p>Holiday deals to the coast, book now and save.</p></div>\n      <aside class="related-inline"><h3>Read more</h3><ul><li><a href="/world/dams">Why the dams were built</a></li></ul></aside>`
      : `      <p>${esc(p)}</p>`,
  )
  .join('\n')}
    </div>
    <div class="share-tools"><a href="#">Share on social media</a> <a href="#">Email this story</a></div>
  </article>
  <section class="newsletter-signup"><h2>Get the morning briefing</h2><p>Subscribe to our newsletter for the day’s top stories.</p></section>
  <section class="related-stories">
    <h2>Related stories</h2>
    <ul>
      <li><a href="/world/2024/08/01/river-levels">River levels fall to a thirty-year low</a></li>
      <li><a href="/world/2024/07/22/farmers-protest">Farmers protest outside the ministry</a></li>
      <li><a href="/science/2024/06/30/rainfall-models">New rainfall models predict longer dry seasons</a></li>
    </ul>
  </section>
  <section class="comments" id="comments">
    <h2>Comments (3)</h2>
    <div class="comment"><p class="comment-author">riverwatcher</p><p>First! This is outrageous, the upstream states should open the gates now.</p></div>
    <div class="comment"><p class="comment-author">hydro_fan</p><p>Nobody mentions the electricity bills if the plants stop running.</p></div>
    <div class="comment"><p class="comment-author">anon123</p><p>Same story every summer, nothing ever changes.</p></div>
  </section>
</main>
<aside class="sidebar">
  <h2>Most read</h2>
  <ol><li><a href="/1">Celebrity chef opens floating restaurant</a></li><li><a href="/2">Ten tips for a cooler home</a></li></ol>
  <div class="ad-slot ad-sidebar"><span>Advertisement</span><p>Best mortgage rates this week.</p></div>
</aside>
<footer class="site-footer">
  <p>© 2024 ${esc(a.site)}. All rights reserved.</p>
  <ul><li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms of use</a></li><li><a href="/contact">Contact us</a></li></ul>
</footer>
<script>
  (function () { var s = document.createElement('script'); s.src = 'https://ads.example/loader.js'; document.body.appendChild(s); console.log('ads loaded'); })();
</script>
</body>
</html>
`;
}

/** Every way a page could try to run or fetch something. CANARY_PORT is replaced by the tests. */
function hostileHtml(): string {
  const a = HOSTILE_PAGE;
  const c = 'http://127.0.0.1:CANARY_PORT';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="0; url=${c}/meta-refresh">
<meta http-equiv="Content-Security-Policy" content="default-src *">
<title>${esc(a.title)}</title>
<base href="${c}/base/">
<link rel="stylesheet" href="${c}/style.css">
<link rel="preload" href="${c}/preload.js" as="script">
<link rel="icon" href="${c}/favicon.ico">
<link rel="import" href="${c}/import.html">
<script src="${c}/external.js"></script>
<script>
  globalThis.__marginCanary = 'inline script ran';
  fetch('${c}/fetch');
  new Image().src = '${c}/beacon';
  document.write('<p>INJECTED BY DOCUMENT.WRITE</p>');
</script>
<script type="module">globalThis.__marginCanary = 'module script ran'; import('${c}/module.js');</script>
<style>
  @import url("${c}/import.css");
  body { background-image: url("${c}/background.png"); }
  @font-face { font-family: Evil; src: url("${c}/font.woff2"); }
</style>
</head>
<body onload="globalThis.__marginCanary = 'onload ran'; fetch('${c}/onload')">
<article>
  <h1>${esc(a.title)}</h1>
  <p>${esc(a.paragraphs[0]!)} <img src="x" onerror="globalThis.__marginCanary = 'onerror ran'; fetch('${c}/onerror')"></p>
  <p>${esc(a.paragraphs[1]!)} <a href="javascript:globalThis.__marginCanary = 'javascript link ran'">Read the statement</a>.</p>
  <iframe src="${c}/frame.html" onload="globalThis.__marginCanary = 'iframe onload ran'"></iframe>
  <iframe srcdoc="&lt;script&gt;parent.__marginCanary = 'srcdoc ran'; fetch('${c}/srcdoc')&lt;/script&gt;"></iframe>
  <object data="${c}/object.swf"></object>
  <embed src="${c}/embed.swf">
  <video src="${c}/video.mp4" poster="${c}/poster.png" autoplay></video>
  <audio src="${c}/audio.mp3" autoplay></audio>
  <img src="${c}/image.png" srcset="${c}/image-2x.png 2x" loading="eager">
  <svg onload="globalThis.__marginCanary = 'svg onload ran'"><script>globalThis.__marginCanary = 'svg script ran'</script><image href="${c}/svg-image.png"/></svg>
  <form action="${c}/form" method="post"><input autofocus onfocus="globalThis.__marginCanary = 'onfocus ran'" name="q"></form>
  <details open ontoggle="globalThis.__marginCanary = 'ontoggle ran'"><summary>More</summary></details>
  <p>${esc(a.paragraphs[2]!)}</p>
  <noscript><img src="${c}/noscript.png"></noscript>
</article>
<script>setTimeout(function () { globalThis.__marginCanary = 'timer ran'; }, 0);</script>
</body>
</html>
`;
}

function markdownArticle(): string {
  const a = MARKDOWN_ARTICLE;
  return `---
title: "${a.title}"
author: ${a.author}
date: ${a.date}
url: ${a.url}
outlet: Energy Wire
---

# ${a.title}

${a.first} The previous peak was set in August 2019.

Grid operators asked large industrial users to **shift their consumption** to the evening, and
several factories agreed to pause production during the hottest hours. The operator's
[statement](https://grid.example.org/statement) listed the measures:

- imports from neighbouring grids were raised to their limit;
- two gas plants held in reserve were switched on;
- households were asked to avoid running *washing machines* at midday.

## Solar output helped

> "Without the solar farms we would have had to cut supply to some districts," said the operator's
> chief engineer.

Rooftop panels supplied almost a quarter of demand at noon, according to the \`grid-stats\` feed:

\`\`\`
hour  demand_gw  solar_gw
12    61.2       14.8
18    58.9        3.1
\`\`\`

<!-- editor's note: check the figures before publishing -->

${a.last}
`;
}

const CP1252: Record<string, number> = { '€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97 };

function windows1252(text: string): Buffer {
  return Buffer.from(
    [...text].map((ch) => {
      const code = ch.charCodeAt(0);
      if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) return code;
      const mapped = CP1252[ch];
      if (mapped === undefined) throw new Error(`not in Windows-1252: ${ch}`);
      return mapped;
    }),
  );
}

export const WINDOWS_1252_TEXT =
  'Le café “quoted” € price\r\n\r\nA reader in Lyon paid 4 € for a café crème – the price on the board said 3,50 €.\r\nThe owner’s reply: “Prices went up in June.”\r\n';

async function docx(): Promise<Buffer> {
  const a = DOCX_ARTICLE;
  const zip = new JSZip();
  const opts = { date: FIXED_DATE, createFolders: false };
  const para = (text: string, style?: string) =>
    `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ''}<w:r><w:t xml:space="preserve">${esc(text)}</w:t></w:r></w:p>`;
  zip.file(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`,
    opts,
  );
  zip.file(
    '_rels/.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`,
    opts,
  );
  zip.file(
    'word/_rels/document.xml.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
    opts,
  );
  zip.file(
    'word/styles.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/></w:style></w:styles>`,
    opts,
  );
  zip.file(
    'word/document.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${[
      para(a.title, 'Heading1'),
      para(`By ${a.creator}`),
      ...a.paragraphs.slice(0, 2).map((p) => para(p)),
      para('What happens next', 'Heading2'),
      ...a.paragraphs.slice(2).map((p) => para(p)),
    ].join('')}<w:sectPr/></w:body></w:document>`,
    opts,
  );
  zip.file(
    'docProps/core.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>${esc(a.title)}</dc:title><dc:creator>${esc(a.creator)}</dc:creator><dc:language>en-GB</dc:language><dcterms:created xsi:type="dcterms:W3CDTF">2024-08-20T08:00:00Z</dcterms:created></cp:coreProperties>`,
    opts,
  );
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) > width && line) {
      lines.push(line);
      line = word;
    } else {
      line = next;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** One letter page: a headline across the top in a large font, a byline, then the story in two columns. */
async function pdf(): Promise<Uint8Array> {
  const a = PDF_ARTICLE;
  const doc = await PDFDocument.create();
  doc.setAuthor(a.author);
  doc.setProducer('margin make-fixtures');
  doc.setCreator('margin make-fixtures');
  doc.setCreationDate(FIXED_DATE);
  doc.setModificationDate(FIXED_DATE);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const regular = await doc.embedFont(StandardFonts.TimesRoman);
  const page = doc.addPage([612, 792]);
  let y = 720;
  for (const line of wrap(a.title, bold, 22, 504)) {
    page.drawText(line, { x: 54, y, size: 22, font: bold });
    y -= 27;
  }
  page.drawText(a.byline, { x: 54, y: y - 4, size: 10, font: regular });
  const top = y - 34;
  const size = 10.5;
  const leading = 13;
  const columnWidth = 240;
  const columns = [54, 318];
  let column = 0;
  y = top;
  const bottom = 90;
  // Fill the left column to about half of the story, then the right one: a paragraph runs across.
  const lines: { text: string; gapBefore: boolean }[] = [];
  for (const p of a.paragraphs) wrap(p, regular, size, columnWidth).forEach((text, i) => lines.push({ text, gapBefore: i === 0 }));
  const perColumn = Math.ceil(lines.length / 2) + 1;
  lines.forEach((line, i) => {
    if (i === perColumn && column === 0) {
      column = 1;
      y = top;
    } else if (line.gapBefore && y !== top) {
      y -= 7;
    }
    if (y < bottom) throw new Error('the story does not fit the page');
    page.drawText(line.text, { x: columns[column]!, y, size, font: regular });
    y -= leading;
  });
  page.drawText('1', { x: 303, y: 40, size: 9, font: regular });
  return doc.save({ useObjectStreams: false });
}

/** A real (1×1, grey) PNG. */
function png(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 0x80]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const FOLDER_BRIEFING =
  'Ferry services cut as storm nears the islands\n\nHelsinki, Finland NWS  —\n\nFerry operators cancelled all crossings to the outer islands on Wednesday as a storm with gusts of up to 30 metres a second approached the coast.\n\nThe coast guard said it had moved two rescue vessels to harbours closer to the islands.\n';

async function main(): Promise<void> {
  rmSync(FIXTURES, { recursive: true, force: true });
  const write = (name: string, data: string | Uint8Array) => {
    const file = path.join(FIXTURES, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, data);
  };
  const docxBytes = await docx();
  const pdfBytes = await pdf();
  write('news-page.html', newsPageHtml());
  write('hostile.html', hostileHtml());
  write('article.docx', docxBytes);
  write('article.pdf', pdfBytes);
  write('article.md', markdownArticle());
  write('windows-1252.txt', windows1252(WINDOWS_1252_TEXT));
  // A folder of mixed files for the end-to-end import: four formats that import, three that do not.
  write('folder/briefing.txt', FOLDER_BRIEFING);
  write('folder/notes.md', markdownArticle());
  write('folder/photo.txt', png());
  write('folder/empty.txt', '');
  write('folder/data.xyz', 'id,value\n1,2\n');
  write('folder/web/news-page.html', newsPageHtml());
  write('folder/web/office/tram-line.docx', docxBytes);
  write('folder/web/office/coral-reef.pdf', pdfBytes);
  process.stdout.write(`Wrote fixtures to ${path.relative(ROOT, FIXTURES)}/\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
