import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  analyzeNewsCopy,
  firstSentence,
  isPhotoCaption,
  looksLikeHeadline,
  parseDateline,
  parseNewsDate,
  parsePublishedLine,
  shortenTitle,
  TITLE_MAX,
} from '../../shared/newsCopy';
import { extractArticle } from '../../electron/services/intake/extract';
import { samplePaths } from './helpers';

const samples = samplePaths().map((file) => readFileSync(file, 'utf8'));
const [cnnGaza, cnnAnkara, khaleej, turkiye] = samples as [string, string, string, string];

/** The title, without the ellipsis of a shortened one, is text of the article's body. */
function expectBodySentence(text: string, title: string | undefined) {
  expect(title).toBeTruthy();
  expect(title!.length).toBeLessThanOrEqual(TITLE_MAX);
  // Titles collapse white space (the copy has non-breaking spaces); otherwise the words are the body's.
  const squash = (s: string) => s.replace(/\s+/g, ' ');
  expect(squash(text).includes(squash(title!.replace(/…$/, '')))).toBe(true);
}

describe('news-copy heuristics on the four sample articles', () => {
  it('CNN, Gaza: a handout-image caption, a bare "CNN —" dateline, the first body sentence as title', () => {
    const info = analyzeNewsCopy(cnnGaza);
    expect(info.captions).toHaveLength(1);
    expect(info.captions[0]).toMatch(/^This handout image from the Israeli Prime Minister's Office shows/);
    expect(info.outlet).toBe('CNN');
    expect(info.dateline).toEqual({ outlet: 'CNN', rest: '' });
    expect(info.titleIsHeadline).toBe(false);
    expect(info.title).toMatch(/^US Secretary of State Antony Blinken on Tuesday urged top Israeli officials to “capitalize”/);
    expect(info.title).toMatch(/…$/); // a long sentence, shortened at a word boundary
    expect(info.title).not.toMatch(/\s…$/);
    expectBodySentence(cnnGaza, info.title);
    expect(info.published).toBeUndefined();
  });

  it('CNN, Ankara: a caption ending in a photo credit, a dateline with place and outlet', () => {
    const info = analyzeNewsCopy(cnnAnkara);
    expect(info.captions).toHaveLength(1);
    expect(info.captions[0]).toMatch(/\(Jonathan Ernst\/Pool via AP\)$/);
    expect(info.outlet).toBe('CNN');
    expect(info.dateline).toEqual({ place: 'Ankara, Turkey', outlet: 'CNN', rest: '' });
    expect(info.title).toMatch(/^Secretary of State Antony Blinken on Monday asserted he made progress/);
    expect(info.title).not.toContain('Baghdad'); // not the caption
    expectBodySentence(cnnAnkara, info.title);
  });

  it('Khaleej Times / Reuters: a caption credited "— Reuters" and a Published: line read as ISO 8601', () => {
    const info = analyzeNewsCopy(khaleej);
    expect(info.captions).toEqual(["US Secretary of State Blinken meets with Israel's President Isaac Herzog in Tel Aviv, Israel, on Monday. — Reuters"]);
    expect(info.published).toBe('2024-08-19T11:33');
    expect(info.outlet).toBeUndefined(); // the photo agency is not the outlet
    expect(info.title).toMatch(/^Top US diplomat Antony Blinken on Monday urged Israel and Hamas not to derail negotiations/);
    expectBodySentence(khaleej, info.title);
  });

  it('Türkiye copy: no caption, no dateline; the first sentence is not cut at "U.S."', () => {
    const info = analyzeNewsCopy(turkiye);
    expect(info.captions).toEqual([]);
    expect(info.outlet).toBeUndefined();
    expect(info.published).toBeUndefined();
    expect(info.title).toMatch(/^The ongoing Gaza cease-fire negotiations, which "may be the last chance for peace," have reached a decisive point, U\.S\. Secretary/);
    expectBodySentence(turkiye, info.title);
  });

  it('extracting a sample keeps its text whole: captions and datelines stay, metadata never moves offsets', async () => {
    for (const [i, file] of samplePaths().entries()) {
      const bytes = readFileSync(file);
      const result = await extractArticle(file, bytes);
      expect(result.ok).toBe(true);
      if (!result.ok) continue;
      expect(result.text).toBe(samples[i]);
      expect(result.meta.title).toBe(analyzeNewsCopy(samples[i]!).title);
    }
    const cnn = await extractArticle('a.txt', readFileSync(samplePaths()[1]!));
    expect(cnn.ok && cnn.meta).toEqual({ title: expect.stringMatching(/^Secretary of State/), outlet: 'CNN' });
    const reuters = await extractArticle('b.txt', readFileSync(samplePaths()[2]!));
    expect(reuters.ok && reuters.meta.published).toBe('2024-08-19T11:33');
  });
});

describe('news-copy pieces', () => {
  it('recognises photo captions and credits, and not ordinary sentences', () => {
    for (const caption of [
      'A file photo shows the port of Haifa in 2021.',
      'Rescue workers search the rubble in Gaza City on Tuesday. (AP Photo/Abdel Kareem Hana)',
      'Protesters gather outside the parliament. — AFP',
      'Smoke rises over the city. Photo: Reuters',
      'Ministers arrive for the summit (Getty Images)',
    ]) {
      expect(isPhotoCaption(caption), caption).toBe(true);
    }
    for (const sentence of [
      'Blinken said on Monday that talks would resume.',
      'The image of the president has suffered, the poll found.',
      'He spoke to reporters (including two from Reuters) after the meeting.',
    ]) {
      expect(isPhotoCaption(sentence), sentence).toBe(false);
    }
  });

  it('reads datelines with and without a place, inline ones too', () => {
    expect(parseDateline('CNN  —')).toEqual({ outlet: 'CNN', rest: '' });
    expect(parseDateline('Hong Kong CNN Business —')).toEqual({ place: 'Hong Kong', outlet: 'CNN Business', rest: '' });
    expect(parseDateline('WASHINGTON (AP) — The Senate voted on Tuesday.')).toEqual({ place: 'WASHINGTON', outlet: 'AP', rest: 'The Senate voted on Tuesday.' });
    expect(parseDateline('LONDON, Aug 19 (Reuters) - Shares fell.')).toEqual({ place: 'LONDON, Aug 19', outlet: 'Reuters', rest: 'Shares fell.' });
    expect(parseDateline('GAZA CITY — Residents fled.')).toEqual({ place: 'GAZA CITY', rest: 'Residents fled.' });
    expect(parseDateline('The talks resumed — and then stalled.')).toBeNull();
  });

  it('reads dates as news pages write them', () => {
    expect(parseNewsDate('Mon 19 Aug 2024, 11:33 AM')).toBe('2024-08-19T11:33');
    expect(parseNewsDate('August 19, 2024 at 3:05 p.m. EDT')).toBe('2024-08-19T15:05-04:00');
    expect(parseNewsDate('Aug. 5, 2023')).toBe('2023-08-05');
    expect(parseNewsDate('12:30 AM, 1 January 2024')).toBeNull();
    expect(parseNewsDate('2024-08-19T11:33:00+0400')).toBe('2024-08-19T11:33:00+04:00');
    expect(parseNewsDate('31 February 2024')).toBeNull();
    expect(parsePublishedLine('Published: Mon 19 Aug 2024, 11:33 AM Last updated: Mon 19 Aug 2024, 11:34 AM')).toBe('2024-08-19T11:33');
    expect(parsePublishedLine('Published on: sometime in 2024')).toBe('sometime in 2024');
    expect(parsePublishedLine('Published by the ministry')).toBeNull();
  });

  it('takes a headline line when the copy has one, else a sentence; abbreviations do not end sentences', () => {
    expect(looksLikeHeadline('Blinken urges Israel to “capitalize” on Sinwar’s death')).toBe(true);
    expect(looksLikeHeadline('US Secretary of State Antony Blinken on Tuesday urged officials.')).toBe(false);
    const info = analyzeNewsCopy('Blinken urges Israel to “capitalize” on Sinwar’s death\n\nUS Secretary of State Antony Blinken on Tuesday urged officials.\n');
    expect(info).toMatchObject({ title: 'Blinken urges Israel to “capitalize” on Sinwar’s death', titleIsHeadline: true });
    expect(analyzeNewsCopy('WASHINGTON (AP) — The Senate voted on Tuesday. More followed.\n').title).toBe('The Senate voted on Tuesday');
    expect(firstSentence('Mr. Smith met Dr. Jones at 10 a.m. in the U.S. Capitol. Then he left.')).toBe('Mr. Smith met Dr. Jones at 10 a.m. in the U.S. Capitol.');
    expect(firstSentence('“We will win,” he said. The crowd cheered.')).toBe('“We will win,” he said.');
    const long = shortenTitle('word '.repeat(100));
    expect(long.length).toBeLessThanOrEqual(TITLE_MAX);
    expect(long).toMatch(/word…$/);
    expect(analyzeNewsCopy('').title).toBeUndefined();
  });
});

describe('analyzeNewsCopy on pathological input', () => {
  it('reads only the head of a huge one-line text, so a 20 MB paste cannot stall an import', () => {
    const info = analyzeNewsCopy('é€'.repeat(3_000_000));
    expect(info.captions).toEqual([]);
    expect((info.title ?? '').length).toBeLessThanOrEqual(200);
  });
});
