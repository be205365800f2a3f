import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findAll, foldCase, untaggedMatches } from '../../shared/find';
import { searchForm, searchKey } from '../../shared/textSearch';

const slices = (text: string, matches: { start: number; end: number }[]) => matches.map((m) => text.slice(m.start, m.end));

describe('findAll', () => {
  it('finds every occurrence, in text order, case-insensitively by default', () => {
    const text = 'Blinken met Lavrov. blinken said BLINKEN would return.';
    const matches = findAll(text, 'blinken');
    expect(matches).toEqual([
      { start: 0, end: 7 },
      { start: 20, end: 27 },
      { start: 33, end: 40 },
    ]);
    expect(slices(text, matches)).toEqual(['Blinken', 'blinken', 'BLINKEN']);
  });

  it('matches case exactly when asked', () => {
    const text = 'Blinken met Lavrov. blinken said BLINKEN would return.';
    expect(slices(text, findAll(text, 'Blinken', { caseSensitive: true }))).toEqual(['Blinken']);
    expect(findAll(text, 'blinken', { caseSensitive: true })).toEqual([{ start: 20, end: 27 }]);
  });

  it('finds nothing for an empty query or no occurrence', () => {
    expect(findAll('some text', '')).toEqual([]);
    expect(findAll('some text', 'absent')).toEqual([]);
    expect(findAll('', 'x')).toEqual([]);
  });

  it('returns non-overlapping matches', () => {
    expect(findAll('aaaa', 'aa')).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 4 },
    ]);
    expect(findAll('aaa', 'aa')).toEqual([{ start: 0, end: 2 }]);
  });

  it('keeps offsets exact when folding changes lengths (İ, ß, ﬁ)', () => {
    // 'İ'.toLowerCase() is two code units long: offsets after it must still point at the original text.
    const text = 'İİİ in İstanbul, the Straße office: ﬁnal word from ANKARA and Ankara.';
    const ankara = findAll(text, 'ankara');
    expect(slices(text, ankara)).toEqual(['ANKARA', 'Ankara']);
    expect(ankara[0]!.start).toBe(text.indexOf('ANKARA'));
    expect(ankara[1]!.start).toBe(text.indexOf('Ankara'));

    // The Turkish capital İ matches a plain i.
    const istanbul = findAll(text, 'istanbul');
    expect(istanbul).toEqual([{ start: text.indexOf('İstanbul'), end: text.indexOf('İstanbul') + 8 }]);
    expect(slices(text, findAll(text, 'İSTANBUL'))).toEqual(['İstanbul']);

    // ß folds to ss (and the capital ẞ too); a match covers whole original characters.
    const strasse = findAll(text, 'STRASSE');
    expect(slices(text, strasse)).toEqual(['Straße']);
    expect(slices(text, findAll(text, 'straẞe'))).toEqual(['Straße']);
    expect(slices(text, findAll(text, 'ss'))).toEqual(['ß']);
    // Half of ß's folding is not a match.
    expect(findAll('ß', 's')).toEqual([]);

    // The ligature ﬁ folds to fi.
    expect(slices(text, findAll(text, 'final'))).toEqual(['ﬁnal']);
    expect(findAll(text, 'inal')).toEqual([]);
  });

  it('folds Greek final sigma and the Kelvin sign', () => {
    expect(slices('ΟΔΟΣ οδος', findAll('ΟΔΟΣ οδος', 'οδοσ'))).toEqual(['ΟΔΟΣ', 'οδος']);
    expect(slices('5 \u212A', findAll('5 \u212A', 'k'))).toEqual(['\u212A']);
    expect(foldCase('Straße')).toBe('strasse');
  });

  it('counts UTF-16 units around emoji and astral characters', () => {
    const text = '👍🏽 Blinken said 𝒳 is “fine” 🇫🇷 — Blinken';
    const matches = findAll(text, 'blinken');
    expect(matches.map((m) => m.start)).toEqual([5, text.lastIndexOf('Blinken')]);
    expect(slices(text, matches)).toEqual(['Blinken', 'Blinken']);
    expect(slices(text, findAll(text, '𝒳'))).toEqual(['𝒳']);
    // Never half a surrogate pair.
    expect(findAll(text, '\ud835')).toEqual([]);
    // Lone surrogates are kept as they are, before and after a length-changing fold.
    const broken = 'B\ud83d b ß \udc4d B';
    expect(findAll(broken, 'b').map((m) => m.start)).toEqual([0, 3, broken.length - 1]);
    expect(findAll(broken, '\udc4d')).toEqual([{ start: 7, end: 8 }]);
  });

  it('matches composed and decomposed queries against NFC text', () => {
    const text = 'Le café du coin'; // NFC, as imported
    expect(slices(text, findAll(text, 'cafe\u0301'))).toEqual(['café']);
    expect(slices(text, findAll(text, 'CAFÉ'))).toEqual(['café']);
  });

  describe('whole words', () => {
    it('skips matches inside longer words', () => {
      const text = 'Iran, Iranian and iran. Tehran-Iran; 2Iran';
      expect(findAll(text, 'iran', { wholeWord: true }).map((m) => m.start)).toEqual([0, 18, text.indexOf('-Iran') + 1]);
      expect(findAll(text, 'iran').length).toBe(5);
    });

    it('treats Unicode letters, digits and marks as word characters', () => {
      const text = 'Müller, Müllerová, Müller2, éMüller, Müller\u0301 and Müller';
      expect(findAll(text, 'müller', { wholeWord: true }).map((m) => m.start)).toEqual([0, text.lastIndexOf('Müller')]);
      const cjk = '北京 北京市';
      expect(findAll(cjk, '北京', { wholeWord: true })).toEqual([{ start: 0, end: 2 }]);
    });

    it('lets a query with punctuation at its edges match', () => {
      expect(findAll('say "no" twice', '"no"', { wholeWord: true })).toEqual([{ start: 4, end: 8 }]);
      expect(findAll('U.S. and U.S.A.', 'U.S.', { wholeWord: true, caseSensitive: true })).toEqual([
        { start: 0, end: 4 },
        { start: 9, end: 13 },
      ]);
    });

    it('finds a later whole word after rejecting earlier partial ones', () => {
      expect(findAll('aaa a', 'a', { wholeWord: true })).toEqual([{ start: 4, end: 5 }]);
      expect(findAll('𝒳a a', 'a', { wholeWord: true })).toEqual([{ start: 4, end: 5 }]);
    });
  });

  it('stops at the limit', () => {
    expect(findAll('a a a a', 'a', { limit: 2 })).toEqual([
      { start: 0, end: 1 },
      { start: 2, end: 3 },
    ]);
  });

  // How fast is for the benchmarks to show; here, that a megabyte gives the right answers (the test timeout still stops a quadratic search).
  it('handles a megabyte of text', () => {
    const paragraph = 'The İstanbul talks, said Blinken, were “constructive” — Straße 👍🏽 ﬁnal.\n';
    const text = paragraph.repeat(Math.ceil(1_000_000 / paragraph.length));
    const matches = findAll(text, 'blinken');
    expect(matches.length).toBe(Math.ceil(1_000_000 / paragraph.length));
    expect(text.slice(matches.at(-1)!.start, matches.at(-1)!.end)).toBe('Blinken');
    // Many short matches, whole words, and the folded text reused on the next keystroke.
    const many = findAll(text, 'a', { wholeWord: true });
    const e = findAll(text, 'e');
    expect(many.length).toBe(0);
    expect(e.length).toBeGreaterThan(50_000);
  });

  it('agrees with a naive search on ASCII text with single spaces (property)', () => {
    const naive = (text: string, query: string) => {
      const out: { start: number; end: number }[] = [];
      const t = text.toLowerCase();
      const q = query.toLowerCase();
      for (let i = t.indexOf(q); q && i >= 0; i = t.indexOf(q, i + q.length)) out.push({ start: i, end: i + q.length });
      return out;
    };
    const piece = fc.constantFrom('a', 'A', 'b', 'B', ' ', 'ab', 'AB');
    // Runs of spaces are one space to find (textSearch.test.ts covers them).
    const words = (minLength: number, maxLength: number) => fc.array(piece, { minLength, maxLength }).map((p) => p.join('').replace(/ +/g, ' '));
    fc.assert(
      fc.property(words(0, 30), words(1, 3), (text, query) => {
        expect(findAll(text, query)).toEqual(naive(text, query));
      }),
    );
  });

  it('only reports matches that cover whole characters of the original text (property)', () => {
    const pieces = fc.constantFrom('a', 'S', 's', 'ß', 'ẞ', 'İ', 'i', 'ı', 'ﬁ', 'f', '👍🏽', '𝒳', ' ', 'é', 'e\u0301', 'Σ', 'ς', '\ud83d', '\udc4d');
    const text = fc.array(pieces, { maxLength: 30 }).map((p) => p.join(''));
    const query = fc.array(pieces, { minLength: 1, maxLength: 3 }).map((p) => p.join(''));
    fc.assert(
      fc.property(text, query, fc.boolean(), fc.boolean(), (t, q, caseSensitive, wholeWord) => {
        const matches = findAll(t, q, { caseSensitive, wholeWord });
        let previousEnd = 0;
        for (const m of matches) {
          expect(m.start).toBeGreaterThanOrEqual(previousEnd);
          expect(m.end).toBeGreaterThan(m.start);
          expect(m.end).toBeLessThanOrEqual(t.length);
          const found = t.slice(m.start, m.end);
          // Equal once white space runs are folded (a query of two spaces finds one).
          expect(searchForm(found, { caseSensitive }).text).toBe(searchKey(q, { caseSensitive }));
          previousEnd = m.end;
        }
      }),
    );
  });
});

describe('untaggedMatches', () => {
  const matches = [
    { start: 0, end: 7 },
    { start: 20, end: 27 },
    { start: 33, end: 40 },
  ];

  it('drops matches already tagged with the same span and label', () => {
    const annotations = [
      { label: 'source', start: 0, end: 7 },
      { label: 'quote', start: 20, end: 27 },
      { label: 'source', start: 33, end: 41 },
    ];
    expect(untaggedMatches(matches, annotations, 'source')).toEqual([
      { start: 20, end: 27 },
      { start: 33, end: 40 },
    ]);
    expect(untaggedMatches(matches, annotations, 'quote')).toEqual([
      { start: 0, end: 7 },
      { start: 33, end: 40 },
    ]);
  });

  it('creates nothing new when tagging all twice', () => {
    const first = untaggedMatches(matches, [], 'source');
    expect(first).toEqual(matches);
    const tagged = first.map((m) => ({ ...m, label: 'source' }));
    expect(untaggedMatches(matches, tagged, 'source')).toEqual([]);
  });
});
