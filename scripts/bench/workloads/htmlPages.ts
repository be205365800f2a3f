/**
 * Saved news pages for the import scenario: each about 5 kB, with what real pages carry around
 * the story (head metadata, a menu, a share bar, related links, a footer), every one different.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { articleText, random } from './storeProject';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function htmlPage(rnd: () => number, n: number): string {
  const [headline = '', ...paragraphs] = articleText(rnd, 100_000 + n).split('\n\n');
  const body = paragraphs.map((p) => `      <p>${escape(p)}</p>`).join('\n');
  const date = new Date(Date.UTC(2024, 5, 1) + n * 3_600_000).toISOString();
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${escape(headline)} | The Daily Bench</title>
  <meta property="og:title" content="${escape(headline)}">
  <meta property="og:site_name" content="The Daily Bench">
  <meta name="author" content="Staff reporter ${n % 37}">
  <meta property="article:published_time" content="${date}">
  <link rel="canonical" href="https://news.example/${n}">
  <script>window.analytics = { page: ${n} };</script>
  <style>body { font-family: serif; } .menu a { margin: 0 4px; }</style>
</head>
<body>
  <nav class="menu"><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a> <a href="/sport">Sport</a> <a href="/opinion">Opinion</a></nav>
  <main>
    <article>
      <h1>${escape(headline)}</h1>
      <p class="byline">By Staff reporter ${n % 37}, <time datetime="${date}">${date.slice(0, 10)}</time></p>
${body}
    </article>
    <aside class="share"><button>Share</button> <button>Comment</button></aside>
    <section class="related"><h2>Related</h2><ul>
${[1, 2, 3, 4, 5, 6].map((k) => `      <li><a href="/${n + k}">More on this story: part ${k} of the coverage from our correspondents</a></li>`).join('\n')}
    </ul></section>
  </main>
  <div class="cookie-banner">We use cookies to improve your experience and to show you relevant advertising. By continuing to browse you agree to our use of cookies. <button>Accept</button> <button>Settings</button></div>
  <footer>© The Daily Bench. All rights reserved. <a href="/privacy">Privacy</a> <a href="/terms">Terms</a> <a href="/contact">Contact</a> <a href="/advertise">Advertise with us</a></footer>
</body>
</html>
`;
}

/** Writes `count` pages into `dir`; returns their paths. */
export function writeHtmlPages(dir: string, count: number): string[] {
  mkdirSync(dir, { recursive: true });
  const rnd = random(20240601);
  return Array.from({ length: count }, (_, n) => {
    const file = path.join(dir, `page-${String(n).padStart(4, '0')}.html`);
    writeFileSync(file, htmlPage(rnd, n));
    return file;
  });
}
