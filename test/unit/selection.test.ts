import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { snapToWords } from '../../shared/selection';
import { nestingDepths, SpanIndex } from '../../shared/spanIndex';
import { paragraphsOf } from '../../shared/text';

const TEXT = 'US Secretary of State Antony Blinken on Tuesday urged top Israeli officials to “capitalize” on it.';
const sel = (needle: string) => ({ start: TEXT.indexOf(needle), end: TEXT.indexOf(needle) + needle.length });
const snapped = (start: number, end: number) => {
  const s = snapToWords(TEXT, start, end);
  return s && TEXT.slice(s.start, s.end);
};

describe('snapToWords', () => {
  it('grows a selection that cuts words in two to the whole words', () => {
    const { start, end } = sel('ony Blink'); // "Ant|ony Blink|en"
    expect(snapped(start, end)).toBe('Antony Blinken');
    const inside = sel('ecret'); // a piece of one word
    expect(snapped(inside.start, inside.end)).toBe('Secretary');
  });

  it('trims leading and trailing whitespace without growing into the neighbours', () => {
    const { start, end } = sel(' Antony Blinken ');
    expect(snapped(start, end)).toBe('Antony Blinken');
    const padded = sel(' on Tuesday ');
    expect(snapped(padded.start, padded.end)).toBe('on Tuesday');
  });

  it('returns null for a selection of only whitespace, and for an empty one', () => {
    const text = 'one  \n\t two';
    expect(snapToWords(text, 3, 8)).toBeNull();
    expect(snapToWords(text, 4, 4)).toBeNull();
  });

  it('accepts a backwards selection (focus before anchor)', () => {
    const { start, end } = sel('ony Blink');
    expect(snapped(end, start)).toBe('Antony Blinken');
  });

  it('keeps punctuation the analyst selected, and keeps apostrophes inside words', () => {
    const quoted = sel('“capitalize”');
    expect(snapped(quoted.start, quoted.end)).toBe('“capitalize”');
    const text = "Sinwar’s death and Israel's response";
    const s = snapToWords(text, 2, 11);
    expect(s && text.slice(s.start, s.end)).toBe('Sinwar’s death');
  });

  it('always returns a span inside the text with no whitespace at either end (property)', () => {
    const text = fc.array(fc.constantFrom('a', 'b', ' ', '\n', '’', '-', '.', 'é', '👍'), { maxLength: 30 }).map((a) => a.join(''));
    fc.assert(
      fc.property(
        text.chain((t) => fc.tuple(fc.constant(t), fc.nat(t.length), fc.nat(t.length))),
        ([t, a, b]) => {
          const s = snapToWords(t, a, b);
          const lo = Math.min(a, b);
          const hi = Math.max(a, b);
          if (t.slice(lo, hi).trim() === '') {
            expect(s).toBeNull();
            return;
          }
          expect(s).not.toBeNull();
          expect(s!.start).toBeGreaterThanOrEqual(0);
          expect(s!.end).toBeLessThanOrEqual(t.length);
          const picked = t.slice(s!.start, s!.end);
          expect(picked).toBe(picked.trim());
          // Everything non-blank that was selected is still selected, at the same place.
          const selected = t.slice(lo, hi);
          const firstInk = lo + (selected.length - selected.trimStart().length);
          const lastInk = hi - (selected.length - selected.trimEnd().length);
          expect(s!.start).toBeLessThanOrEqual(firstInk);
          expect(s!.end).toBeGreaterThanOrEqual(lastInk);
        },
      ),
    );
  });
});

describe('SpanIndex', () => {
  const claim = { id: 'claim', start: 0, end: 60 };
  const quote = { id: 'quote', start: 10, end: 40 };
  const name = { id: 'name', start: 20, end: 26 };
  const later = { id: 'later', start: 50, end: 80 };
  const index = new SpanIndex([later, name, claim, quote]);

  it('returns the spans containing an offset, innermost first', () => {
    expect(index.containing(22).map((s) => s.id)).toEqual(['name', 'quote', 'claim']);
    expect(index.containing(12).map((s) => s.id)).toEqual(['quote', 'claim']);
    expect(index.containing(55).map((s) => s.id)).toEqual(['later', 'claim']); // both contain it: the shorter one first
    expect(index.containing(5).map((s) => s.id)).toEqual(['claim']);
  });

  it('treats ends as exclusive and finds nothing outside every span', () => {
    expect(index.containing(26).map((s) => s.id)).toEqual(['quote', 'claim']);
    expect(index.containing(60).map((s) => s.id)).toEqual(['later']);
    expect(index.containing(80)).toEqual([]);
    expect(index.containing(-1)).toEqual([]);
    expect(new SpanIndex([]).containing(0)).toEqual([]);
  });

  it('agrees with a plain scan on random spans (property)', () => {
    const span = fc.tuple(fc.nat(100), fc.integer({ min: 1, max: 40 })).map(([start, len]) => ({ start, end: start + len }));
    fc.assert(
      fc.property(fc.array(span, { maxLength: 40 }), fc.nat(140), (spans, offset) => {
        const got = new SpanIndex(spans).containing(offset);
        const want = spans.filter((s) => s.start <= offset && offset < s.end);
        expect(new Set(got)).toEqual(new Set(want));
        expect(got).toHaveLength(want.length);
        for (let i = 1; i < got.length; i++) {
          expect(got[i]!.end - got[i]!.start).toBeGreaterThanOrEqual(got[i - 1]!.end - got[i - 1]!.start);
        }
      }),
    );
  });

  it('counts nesting depth for painting nested spans', () => {
    const depths = nestingDepths([claim, quote, name, later]);
    expect([claim, quote, name, later].map((s) => depths.get(s))).toEqual([0, 1, 2, 0]);
  });

  it('nesting depth is the number of other, non-identical spans that enclose a span (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(40), fc.integer({ min: 1, max: 15 })), { maxLength: 40 }), (pairs) => {
        const spans = pairs.map(([start, length]) => ({ start, end: start + length }));
        const depths = nestingDepths(spans);
        for (const s of spans) {
          const enclosing = spans.filter((o) => o !== s && !(o.start === s.start && o.end === s.end) && o.start <= s.start && o.end >= s.end);
          expect(depths.get(s)).toBe(enclosing.length);
        }
      }),
    );
  });
});

describe('paragraphsOf', () => {
  it('splits on line ends, skips blank lines, and keeps offsets into the original text', () => {
    const text = 'Title\n\n  \nFirst para.\nSecond para.';
    const paras = paragraphsOf(text);
    expect(paras.map((p) => text.slice(p.start, p.end))).toEqual(['Title', 'First para.', 'Second para.']);
  });
});
