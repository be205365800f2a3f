import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { extractHtml } from '../../electron/services/intake/extract/html';
import { REPO_ROOT } from './helpers';

// Saved news pages (test/fixtures/junk-*.html) built the way CNN, Reuters, the NY Post and Fox
// lay out an article: the real text of a sample article as the body, around it a gallery whose
// slide titles repeat, a pager, "Read more"/"Related" links, captions with photo credits and
// newsletter prompts.

const read = (...parts: string[]) => readFileSync(path.join(REPO_ROOT, ...parts));
const lines = (sample: string) =>
  read('resources', 'samples', sample)
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
/** Whitespace as extraction writes it: runs of spaces and non-breaking spaces read as one space. */
const squash = (s: string) => s.replace(/[\s\u00a0]+/g, ' ').trim();

interface Page {
  fixture: string;
  /** The article's paragraphs, in order (the sample without its photo caption and dateline). */
  paragraphs: string[];
  /** Text that is page furniture, not the article. */
  junk: (string | RegExp)[];
}

const PAGES: Page[] = [
  {
    fixture: 'junk-cnn-gallery.html',
    paragraphs: lines('000_0a5fdd5987a87f4f.txt').slice(2),
    junk: [
      'Weather threatens holiday plans',
      /<<|>>|(?:^|\n)\s*[<>]\s*(?:\n|$)/,
      /(?:^|\n)\s*1\s*…\s*14\s*(?:\n|$)/,
      'National Weather Service',
      'Related article',
      'Hamas leader Yahya Sinwar killed in Gaza, Israel says',
      'Kobi Gideon/GPO/Handout/Reuters',
      'This handout image from',
      'Read more',
    ],
  },
  {
    fixture: 'junk-reuters.html',
    paragraphs: lines('002_e7f105aa316f8cda.txt').slice(2),
    junk: [
      'Read more: Israel, Hamas trade blame',
      'Reuters Daily Briefing newsletter',
      'Sign up here',
      'Purchase Licensing Rights',
      'REUTERS/Kevin Mohatt/Pool',
      'Israeli President Isaac Herzog speaks during a meeting',
      'Read Next',
      'Oil prices slip as Gaza ceasefire hopes rise',
      /(?:^|\n)1 2 3 Next/,
    ],
  },
  {
    fixture: 'junk-nypost.html',
    paragraphs: lines('001_679d1c303f080e9a.txt').slice(2),
    junk: [
      'READ MORE',
      'Blinken makes surprise visit to Baghdad',
      'Blinken meets with Turkish Foreign Minister Hakan Fidan',
      'Getty Images',
      'Sign up for our newsletter',
      'Thanks for signing up',
      'Start and end each day',
      'Related: ',
      'Hostage families rally',
      'Related Topics',
      'Pages:',
      'Next »',
      'More On:',
      'Blinken lands in Baghdad in unannounced visit',
    ],
  },
  {
    fixture: 'junk-fox.html',
    paragraphs: lines('003_6daa1d6b280d8e7e.txt'),
    junk: [
      'CLICK HERE TO GET THE FOX NEWS APP',
      'Kevin Mohatt/Pool Photo via AP',
      'Secretary of State Antony Blinken speaks to the press at Ben Gurion Airport',
      'Getty Images',
      'Blinken in the Middle East',
      '1 of 6',
      'ISRAEL STRIKES HEZBOLLAH TARGETS',
      'Palestinians inspect the site',
      'Subscribe',
    ],
  },
];

function margin(fixture: string): string {
  const result = extractHtml(read('test', 'fixtures', fixture));
  if (!result.ok) throw new Error(`${fixture}: ${result.reason}`);
  return result.text;
}

/** What Readability alone makes of the page: its article's text, one paragraph per block. */
function plainReadability(fixture: string): string {
  const dom = new JSDOM(read('test', 'fixtures', fixture), { virtualConsole: new VirtualConsole() });
  try {
    const article = new Readability(dom.window.document).parse();
    const holder = new JSDOM(article?.content ?? '').window.document.body;
    const blocks: string[] = [];
    for (const el of holder.querySelectorAll('p, li, h1, h2, h3, h4, figcaption, span, a, div')) {
      if (el.querySelector('p, li, h1, h2, h3, h4, figcaption, div')) continue;
      const text = squash(el.textContent ?? '');
      if (text !== '') blocks.push(text);
    }
    return blocks.join('\n\n');
  } finally {
    dom.window.close();
  }
}

/** How many of the article's paragraphs the text holds, each in order after the one before. */
function paragraphsInOrder(text: string, paragraphs: string[]): number {
  const flat = squash(text);
  let from = 0;
  let found = 0;
  for (const p of paragraphs) {
    const at = flat.indexOf(squash(p), from);
    if (at === -1) continue;
    found++;
    from = at + squash(p).length;
  }
  return found;
}

function junkFound(text: string, junk: (string | RegExp)[]): string[] {
  return junk.filter((j) => (typeof j === 'string' ? squash(text).includes(j) : j.test(text))).map(String);
}

describe('HTML intake leaves out page furniture and keeps the article', () => {
  for (const page of PAGES) {
    it(`${page.fixture}: no gallery, pager, caption, credit, read-more or newsletter text; every paragraph in order`, () => {
      const text = margin(page.fixture);
      expect(junkFound(text, page.junk), `${page.fixture}: junk kept`).toEqual([]);
      const missing = page.paragraphs.filter((p) => !squash(text).includes(squash(p)));
      expect(missing, `${page.fixture}: paragraphs lost`).toEqual([]);
      expect(paragraphsInOrder(text, page.paragraphs)).toBe(page.paragraphs.length);
    });
  }

  it('is at least as complete as plain Readability on every page, with less junk', () => {
    let marginJunk = 0;
    let plainJunk = 0;
    for (const page of PAGES) {
      const ours = margin(page.fixture);
      const plain = plainReadability(page.fixture);
      const oursKept = paragraphsInOrder(ours, page.paragraphs);
      const plainKept = paragraphsInOrder(plain, page.paragraphs);
      const oursJunk = junkFound(ours, page.junk).length;
      const plainJunkHere = junkFound(plain, page.junk).length;
      console.log(
        `${page.fixture}: paragraphs kept — Margin ${oursKept}/${page.paragraphs.length}, Readability ${plainKept}/${page.paragraphs.length}; ` +
          `junk kinds kept — Margin ${oursJunk}/${page.junk.length}, Readability ${plainJunkHere}/${page.junk.length}`,
      );
      expect(oursKept, page.fixture).toBeGreaterThanOrEqual(plainKept);
      expect(oursJunk, page.fixture).toBeLessThanOrEqual(plainJunkHere);
      marginJunk += oursJunk;
      plainJunk += plainJunkHere;
    }
    expect(marginJunk).toBeLessThan(plainJunk);
  });
});

describe('what reads like furniture but is the story stays', () => {
  it('keeps paragraphs about newsletters, related events, photos and pages, repeated quotes and subheadings', () => {
    const story = [
      'Related developments in Beirut overnight raised fears of a wider war.',
      'The newsletter, which has 2 million subscribers, said it would stop publishing on Friday.',
      'Photographers from AP, Reuters and Getty Images were turned away at the border.',
      '“Not now.”',
      'Read more than 300 pages of the report and you find one line about aid.',
      '“Not now.”',
      'More than 1,000 trucks waited at the crossing.',
      '“Not now.”',
      'Aid deliveries resume',
      'The first 14 trucks entered Gaza on Tuesday.',
    ];
    const page = `<!DOCTYPE html><html lang="en"><head><title>Aid trucks wait at the crossing</title></head><body>
      <article><h1>Aid trucks wait at the crossing</h1><div class="story-body">
      ${story.map((p, i) => (i === 8 ? `<h2 class="subheader">${p}</h2>` : `<p>${p}</p>`)).join('\n')}
      </div></article></body></html>`;
    const result = extractHtml(Buffer.from(page));
    if (!result.ok) throw new Error(result.reason);
    const found = result.text.split('\n\n');
    let last = -1;
    for (const p of story) {
      const at = found.indexOf(p, last + 1);
      expect(at, `lost or out of order: ${p}`).toBeGreaterThan(last);
      last = at;
    }
  });
});
