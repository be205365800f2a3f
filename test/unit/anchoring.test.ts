import { describe, expect, it } from 'vitest';
import { anchorQuote, quoteAt } from '../../shared/anchoring';

const ARTICLE =
  'The minister said on Tuesday that the talks would resume in Geneva. ' +
  'Officials in Paris were less certain. "We will see," one diplomat said, adding that the talks would resume only if both sides agreed. ' +
  'Markets rose on the news.';

describe('anchorQuote', () => {
  it('keeps the position when the text there is still the quote', () => {
    const start = ARTICLE.indexOf('Officials in Paris');
    const end = start + 'Officials in Paris'.length;
    expect(anchorQuote(ARTICLE, quoteAt(ARTICLE, start, end), { start, end })).toEqual({ start, end, how: 'exact-position' });
  });

  it('finds moved text again (a paragraph inserted before it)', () => {
    const start = ARTICLE.indexOf('Markets rose');
    const end = start + 'Markets rose'.length;
    const quote = quoteAt(ARTICLE, start, end);
    const moved = `BREAKING. An editor's note was added at the top of this story.\n\n${ARTICLE}`;
    const anchor = anchorQuote(moved, quote, { start, end });
    expect(anchor?.how).toBe('exact-elsewhere');
    expect(moved.slice(anchor!.start, anchor!.end)).toBe('Markets rose');
  });

  it('disambiguates a repeated phrase by its context, not by the nearest occurrence', () => {
    const phrase = 'the talks would resume';
    const second = ARTICLE.indexOf(phrase, ARTICLE.indexOf(phrase) + 1);
    const quote = quoteAt(ARTICLE, second, second + phrase.length);
    // The old offsets now sit right next to the first occurrence (text was inserted); context says the second.
    const first = ARTICLE.indexOf(phrase);
    const edited = `Update: ${ARTICLE.replace('Officials in Paris', 'Officials')}`;
    const anchor = anchorQuote(edited, quote, { start: first + 3, end: first + 3 + phrase.length });
    expect(Math.abs(edited.indexOf(phrase) - (first + 3))).toBeLessThan(10);
    const expected = edited.indexOf(phrase, edited.indexOf(phrase) + 1);
    expect(anchor).toEqual({ start: expected, end: expected + phrase.length, how: 'exact-elsewhere' });
  });

  it('matches approximately when the quoted text itself was edited a little', () => {
    const phrase = 'Officials in Paris were less certain.';
    const start = ARTICLE.indexOf(phrase);
    const quote = quoteAt(ARTICLE, start, start + phrase.length);
    const edited = ARTICLE.replace(phrase, 'Officials in Paris were much less certain.');
    const anchor = anchorQuote(edited, quote, { start, end: start + phrase.length });
    expect(anchor?.how).toBe('approximate');
    expect(edited.slice(anchor!.start, anchor!.end)).toMatch(/^Officials in Paris were (much )?less certain\.?$/);
  });

  it('gives null when the text is gone', () => {
    const phrase = '"We will see," one diplomat said';
    const start = ARTICLE.indexOf(phrase);
    const quote = quoteAt(ARTICLE, start, start + phrase.length);
    const gone = ARTICLE.replace(phrase, 'A spokesman declined to comment');
    expect(anchorQuote(gone, quote, { start, end: start + phrase.length })).toBeNull();
    expect(anchorQuote('', quote, { start, end: start + phrase.length })).toBeNull();
    expect(anchorQuote(ARTICLE, { exact: '' }, { start: 0, end: 0 })).toBeNull();
  });

  it('handles astral characters (UTF-16 offsets)', () => {
    const text = '👍🏽 Blinken said 𝒳 today. 👍🏽 Blinken said 𝒳 again.';
    const start = text.lastIndexOf('Blinken said 𝒳');
    const quote = quoteAt(text, start, start + 'Blinken said 𝒳'.length);
    const anchor = anchorQuote(`🇫🇷 ${text}`, quote, { start, end: start + 'Blinken said 𝒳'.length });
    expect(anchor?.start).toBe(start + '🇫🇷 '.length);
  });
});
