import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findAll, type FindOptions } from '../../shared/find';
import { searchForm, searchKey } from '../../shared/textSearch';

const samples = path.resolve(import.meta.dirname, '../../resources/samples');
/** The CNN article about Blinken's October trip: 25 NBSP, curly quotes and apostrophes, en and em dashes. */
const cnn = readFileSync(path.join(samples, '000_0a5fdd5987a87f4f.txt'), 'utf8');
/** The CNN article about Blinken in Ankara and Baghdad: NBSP and curly apostrophes too. */
const ankara = readFileSync(path.join(samples, '001_679d1c303f080e9a.txt'), 'utf8');

const found = (text: string, query: string, options?: FindOptions) => findAll(text, query, options).map((m) => text.slice(m.start, m.end));

/** Every start of `exact` in `text`. */
function offsetsOf(text: string, exact: string): number[] {
  const out: number[] = [];
  for (let at = text.indexOf(exact); at >= 0; at = text.indexOf(exact, at + exact.length)) out.push(at);
  return out;
}

describe('find on real news text', () => {
  it('finds "to the Middle East" typed with plain spaces where CNN wrote a non-breaking space', () => {
    const matches = findAll(cnn, 'to the Middle East');
    expect(matches).toEqual([{ start: cnn.indexOf('to\u00a0the Middle East'), end: cnn.indexOf('to\u00a0the Middle East') + 18 }]);
    expect(found(cnn, 'to the Middle East')).toEqual(['to\u00a0the Middle East']);
  });

  it('finds "Sinwar\'s" typed with a straight apostrophe, four times, at the curly apostrophes\' offsets', () => {
    const matches = findAll(cnn, "Sinwar's");
    expect(matches.map((m) => m.start)).toEqual(offsetsOf(cnn, 'Sinwar\u2019s'));
    expect(matches).toHaveLength(4);
    expect(found(cnn, "sinwar's")).toEqual(Array(4).fill('Sinwar\u2019s'));
    // And the other way round: a curly apostrophe typed finds the straight one of "Minister's Office".
    expect(found(cnn, 'Minister\u2019s Office')).toEqual(["Minister's Office"]);
  });

  it('finds straight double quotes, hyphens for en and em dashes, across paragraph breaks', () => {
    expect(found(cnn, '"capitalize"')).toEqual(['\u201ccapitalize\u201d']);
    expect(found(cnn, 'about - in detail - since')).toEqual(['about \u2013 in detail \u2013 since']);
    // The dateline: "CNN \u00a0—\u00a0" then a blank line; the match spans the paragraphs.
    expect(found(cnn, 'CNN - US Secretary')).toEqual(['CNN \u00a0\u2014\u00a0\n\nUS\u00a0Secretary']);
    expect(found(cnn, 'Gaza - the so-called "General\'s plan')).toEqual(['Gaza \u2013 the so-called \u201cGeneral\u2019s plan']);
  });

  it('finds the NBSP and apostrophes of the CNN Ankara article', () => {
    expect(found(ankara, 'on Israel. But the stakes')).toEqual(['on Israel.\u00a0But the stakes']);
    expect(found(ankara, "Blinken's last trip")).toEqual(['Blinken\u2019s last trip']);
    expect(found(ankara, "consequences for (Hamas') inhumanity")).toEqual(['consequences for (Hamas\u2019) inhumanity']);
    expect(found(ankara, "That's something we're")).toEqual(['That\u2019s something we\u2019re']);
  });

  it('lets the document search find the article by what the analyst types', () => {
    expect(searchKey(cnn).includes(searchKey("Sinwar's"))).toBe(true);
    expect(searchKey(cnn).includes(searchKey('to the Middle East'))).toBe(true);
    expect(searchKey(cnn).includes(searchKey('Sinwar\u2019s death'))).toBe(true);
    expect(searchKey(ankara).includes(searchKey("Sinwar's"))).toBe(false);
  });
});

describe('the search form', () => {
  it('makes any run of white space one space', () => {
    const text = 'Antony\u2009Blinken\u202fsaid\tthat  the\r\ntalks\u3000went\n\nwell';
    expect(searchKey(text)).toBe('antony blinken said that the talks went well');
    expect(found(text, 'blinken said that the talks went well')).toEqual([text.slice(text.indexOf('Blinken'))]);
    // Spaces typed twice find one.
    expect(found('Gaza truce', 'Gaza   truce')).toEqual(['Gaza truce']);
  });

  it('ignores soft hyphens and zero-width spaces, and leaves them out at the edges of a match', () => {
    const text = 'Prime Minister Netan\u00adyahu\u200b met';
    expect(found(text, 'netanyahu')).toEqual(['Netan\u00adyahu']);
    expect(found(text, 'netanyahu met')).toEqual(['Netan\u00adyahu\u200b met']);
  });

  it('folds every dash and hyphen to a hyphen, both ways', () => {
    const text = 'al\u2011Sudani, a \u22125% drop, 2023\u20132024, pre\u2010war, then\u2014nothing';
    expect(found(text, 'al-sudani')).toEqual(['al\u2011Sudani']);
    expect(found(text, '-5%')).toEqual(['\u22125%']);
    expect(found(text, '2023\u20142024')).toEqual(['2023\u20132024']);
    expect(found(text, 'pre-war')).toEqual(['pre\u2010war']);
    expect(found(text, 'then-nothing')).toEqual(['then\u2014nothing']);
  });

  it('folds single and double quotes of every shape', () => {
    const text = '\u2018Hamas\u2019 and \u201eBlinken\u201c and \u201cIsrael\u201d and "Iran" and it\u02bcs';
    expect(found(text, "'hamas'")).toEqual(['\u2018Hamas\u2019']);
    expect(found(text, '"blinken"')).toEqual(['\u201eBlinken\u201c']);
    expect(found(text, '\u201ciran\u201d')).toEqual(['"Iran"']);
    expect(found(text, '"')).toHaveLength(6);
    expect(found(text, "it's")).toEqual(['it\u02bcs']);
  });

  it('keeps diacritics apart by default and ignores them when asked', () => {
    const text = 'Israël, Israel, café, cafe\u0301, São Paulo, Ḥamās';
    expect(found(text, 'israel')).toEqual(['Israel']);
    expect(found(text, 'Israël')).toEqual(['Israël']);
    expect(found(text, 'israel', { ignoreDiacritics: true })).toEqual(['Israël', 'Israel']);
    // A decomposed accent stays with its letter.
    expect(found(text, 'cafe', { ignoreDiacritics: true })).toEqual(['café', 'cafe\u0301']);
    expect(found(text, 'CAFÉ', { ignoreDiacritics: true })).toEqual(['café', 'cafe\u0301']);
    expect(found(text, 'sao paulo', { ignoreDiacritics: true })).toEqual(['São Paulo']);
    expect(found(text, 'hamas', { ignoreDiacritics: true })).toEqual(['Ḥamās']);
    expect(found(text, 'Sao', { ignoreDiacritics: true, caseSensitive: true })).toEqual(['São']);
    expect(found(text, 'sao', { ignoreDiacritics: true, caseSensitive: true })).toEqual([]);
  });

  it('removes Arabic harakat and Hebrew points only when diacritics are ignored, and keeps Indic vowel signs', () => {
    const arabic = 'قَالَ الرَّئِيسُ';
    expect(found(arabic, 'قال', { ignoreDiacritics: true })).toEqual(['قَالَ']);
    expect(found(arabic, 'قال')).toEqual([]);
    const hebrew = 'שָׁלוֹם';
    expect(found(hebrew, 'שלום', { ignoreDiacritics: true })).toEqual([hebrew]);
    // Hindi vowel signs are letters of the word, not accents: "कि" is not "क".
    expect(found('किताब', 'कताब', { ignoreDiacritics: true })).toEqual([]);
  });

  it('still folds white space, quotes and dashes when case must match', () => {
    expect(found(cnn, "Sinwar's death", { caseSensitive: true })).toHaveLength(4);
    expect(found(cnn, "sinwar's death", { caseSensitive: true })).toEqual([]);
  });

  it('finds nothing for a query that is only invisible characters', () => {
    expect(findAll(cnn, '\u00ad\u200b')).toEqual([]);
  });
});

/* ---- Properties -------------------------------------------------------------------------------- */

/** Pieces of news text that the search form changes, plus a few that it does not. */
const NEWS_PIECES = [
  'a', 'S', 's', 'e', 'E', 'ß', 'İ', 'ı', 'ﬁ', 'é', 'e\u0301', '\u0301', 'Σ', 'ς', '👍🏽', '𝒳',
  ' ', '  ', '\u00a0', '\u2009', '\u202f', '\n', '\n\n', '\t',
  "'", '\u2018', '\u2019', '"', '\u201c', '\u201d', '-', '\u2011', '\u2013', '\u2014', '\u2212',
  '\u00ad', '\u200b', 'قَ', 'ש\u05b8',
];
const LONE_SURROGATES = ['\ud83d', '\udc4d'];
const options = fc.record({ caseSensitive: fc.boolean(), ignoreDiacritics: fc.boolean(), wholeWord: fc.boolean() });
const pieces = (list: string[], minLength: number, maxLength: number) => fc.array(fc.constantFrom(...list), { minLength, maxLength }).map((p) => p.join(''));

describe('find (properties)', () => {
  it('maps every match back to original characters whose search form is the query\'s', () => {
    const all = [...NEWS_PIECES, ...LONE_SURROGATES];
    fc.assert(
      fc.property(pieces(all, 0, 30), pieces(all, 1, 4), options, (text, query, opts) => {
        let previousEnd = 0;
        for (const m of findAll(text, query, opts)) {
          expect(m.start).toBeGreaterThanOrEqual(previousEnd);
          expect(m.end).toBeGreaterThan(m.start);
          expect(m.end).toBeLessThanOrEqual(text.length);
          // Never half a surrogate pair.
          for (const edge of [m.start, m.end]) expect(/[\ud800-\udbff][\udc00-\udfff]/.test(text.slice(edge - 1, edge + 1))).toBe(false);
          expect(searchForm(text.slice(m.start, m.end), opts).text).toBe(searchKey(query, opts));
          previousEnd = m.end;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('finds a query written into a text however the text writes its spaces, quotes and dashes', () => {
    // The same words, typed by the analyst and written by the page.
    const typed: Record<string, string[]> = { ' ': [' ', '\u00a0', '\u2009', '\n', ' \n\n'], "'": ["'", '\u2019', '\u2018'], '"': ['"', '\u201c', '\u201d'], '-': ['-', '\u2013', '\u2014', '\u2011'] };
    const word = fc.constantFrom('Sinwar', 'Middle', 'East', 'the', 'S', 'Blinken');
    const sep = fc.constantFrom(...Object.keys(typed));
    const phrase = fc.tuple(word, fc.array(fc.tuple(sep, word), { maxLength: 4 }));
    fc.assert(
      fc.property(phrase, fc.array(fc.nat()), pieces(NEWS_PIECES, 0, 6), pieces(NEWS_PIECES, 0, 6), ([first, rest], picks, before, after) => {
        const query = first + rest.map(([s, w]) => s + w).join('');
        const written = first + rest.map(([s, w], i) => typed[s]![(picks[i] ?? 0) % typed[s]!.length]! + w).join('');
        expect(findAll(written, query)).toEqual([{ start: 0, end: written.length }]);
        // Amid other text, a match covers it (an earlier one may have taken its first word).
        const text = `${before} ${written} ${after}`;
        const at = before.length + 1;
        expect(findAll(text, query).some((m) => m.start < at + written.length && m.end > at)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('gives the same search form with and without the offset map', () => {
    // English news (ASCII but for its spaces, quotes and dashes) takes searchKey's quicker way.
    const english = ['a', 'B', ' ', '  ', '\u00a0', '\u2009', '\n', '\t', "'", '\u2019', '\u02bc', '"', '\u201c', '-', '\u2013', '\u2212', '\u00ad', '\u200b', '\ufeff', '.'];
    const composed = NEWS_PIECES.filter((p) => p.normalize('NFC') === p && !/^\p{M}/u.test(p));
    fc.assert(
      fc.property(fc.oneof(pieces(english, 0, 30), pieces(composed, 0, 30)), options, (text, opts) => {
        fc.pre(text.normalize('NFC') === text);
        expect(searchKey(text, opts)).toBe(searchForm(text, opts).text);
      }),
      { numRuns: 1000 },
    );
  });
});
