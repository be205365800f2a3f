import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentToJsonl } from '../../shared/formats/jsonl';
import type { Annotation } from '../../shared/model';
import { codePointToUtf16, utf16ToCodePoint, utf16ToCodePointMany } from '../../shared/offsets';

const TEXT = '👍🏽 Blinken said 𝒳 is “fine” 🇫🇷 — café e\u0301 …';

/** True when index `i` falls between the two halves of a surrogate pair. */
function splitsPair(text: string, i: number): boolean {
  if (i <= 0 || i >= text.length) return false;
  const hi = text.charCodeAt(i - 1);
  const lo = text.charCodeAt(i);
  return hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff;
}

function boundaries(text: string): number[] {
  return Array.from({ length: text.length + 1 }, (_, i) => i).filter((i) => !splitsPair(text, i));
}

/** Text made of pieces that stress offsets: emoji with modifiers, flags, astral math, combining marks, lone surrogates. */
const pieces = fc.constantFrom('a', 'Z', ' ', '\n', 'é', 'e\u0301', '👍', '👍🏽', '𝒳', '🇫🇷', '👩‍👩‍👧', '中', '\ud83d', '\udc4d', '—');
const trickyText = fc.oneof(
  fc.array(pieces, { maxLength: 40 }).map((a) => a.join('')),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

describe('UTF-16 ↔ code point offsets', () => {
  it('converts known offsets in text with emoji and astral characters', () => {
    const blinken = TEXT.indexOf('Blinken');
    expect(blinken).toBe(5); // 👍 and 🏽 are two UTF-16 units each
    expect(utf16ToCodePoint(TEXT, blinken)).toBe(3); // ...but one code point each
    expect(codePointToUtf16(TEXT, 3)).toBe(blinken);
    const x = TEXT.indexOf('𝒳');
    expect(utf16ToCodePoint(TEXT, x)).toBe([...TEXT.slice(0, x)].length);
    expect(utf16ToCodePoint(TEXT, x + 2)).toBe(utf16ToCodePoint(TEXT, x) + 1);
    expect(utf16ToCodePoint(TEXT, TEXT.length)).toBe([...TEXT].length);
    expect(codePointToUtf16(TEXT, [...TEXT].length)).toBe(TEXT.length);
    expect(() => utf16ToCodePoint(TEXT, TEXT.length + 1)).toThrow(RangeError);
    expect(() => codePointToUtf16(TEXT, [...TEXT].length + 1)).toThrow(RangeError);
    expect(() => codePointToUtf16(TEXT, -1)).toThrow(RangeError);
  });

  it('round-trips every offset that does not split a surrogate pair (property)', () => {
    fc.assert(
      fc.property(trickyText, (text) => {
        for (const i of boundaries(text)) {
          expect(codePointToUtf16(text, utf16ToCodePoint(text, i))).toBe(i);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('slices the same text by code points as by UTF-16 offsets (property)', () => {
    const textAndSpan = trickyText.chain((text) => {
      const b = boundaries(text);
      return fc.tuple(fc.constant(text), fc.constantFrom(...b), fc.constantFrom(...b));
    });
    fc.assert(
      fc.property(textAndSpan, ([text, x, y]) => {
        const [start, end] = x <= y ? [x, y] : [y, x];
        const [cpStart, cpEnd] = [utf16ToCodePoint(text, start), utf16ToCodePoint(text, end)];
        expect([...text].slice(cpStart, cpEnd).join('')).toBe(text.slice(start, end));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same answers converting many offsets at once as one by one, in any order (property)', () => {
    const textAndOffsets = trickyText.chain((text) =>
      fc.tuple(fc.constant(text), fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 12 })),
    );
    fc.assert(
      fc.property(textAndOffsets, ([text, offsets]) => {
        expect(utf16ToCodePointMany(text, offsets)).toEqual(offsets.map((o) => utf16ToCodePoint(text, o)));
      }),
      { numRuns: 300 },
    );
    // The case that once went wrong: an offset inside a pair, then one after it.
    expect(utf16ToCodePointMany('😀a', [1, 3])).toEqual([1, 2]);
  });

  it('exports JSONL spans whose code-point offsets slice out the span text', () => {
    const at = (needle: string) => ({ start: TEXT.indexOf(needle), end: TEXT.indexOf(needle) + needle.length });
    const spans = [at('👍🏽'), at('Blinken said 𝒳'), at('🇫🇷'), at('café e\u0301 …')];
    const annotations: Annotation[] = spans.map((s, i) => ({
      id: `a${i}`,
      docId: '0123456789abcdef',
      annotator: 'alice',
      label: 'claim',
      ...s,
      quote: { exact: TEXT.slice(s.start, s.end), prefix: '', suffix: '' },
      attributes: {},
      createdAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-01T00:00:00.000Z',
    }));
    const line = JSON.parse(documentToJsonl({ id: '0123456789abcdef', title: 't', text: TEXT, annotations })) as {
      text: string;
      annotations: Array<{ start: number; end: number; text: string }>;
    };
    expect(line.annotations).toHaveLength(4);
    for (const [i, a] of line.annotations.entries()) {
      expect(a.text).toBe(TEXT.slice(spans[i]!.start, spans[i]!.end));
      expect([...line.text].slice(a.start, a.end).join('')).toBe(a.text);
    }
    expect(line.annotations[1]).toMatchObject({ start: 3, end: 3 + [...'Blinken said 𝒳'].length });
  });
});
