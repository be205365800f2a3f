import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Annotation } from '../../shared/model';
import { nestingDepths } from '../../shared/spanIndex';
import { paragraphsOf } from '../../shared/text';
import { ParagraphIndex } from '../../renderer/src/reading/paragraphIndex';
import { SpanLayout } from '../../renderer/src/reading/spanLayout';
import { estimateHeight, metricsFrom, withPins } from '../../renderer/src/reading/windowing';

function ann(id: string, label: string, start: number, end: number): Annotation {
  return {
    id,
    docId: '0123456789abcdef',
    annotator: 'Ana',
    label,
    start,
    end,
    quote: { exact: '', prefix: '', suffix: '' },
    attributes: {},
    createdAt: '2024-10-22T10:00:00.000Z',
    updatedAt: '2024-10-22T10:00:00.000Z',
  };
}

const LABELS = [{ name: 'claim' }, { name: 'quote' }, { name: 'event' }];

// Paragraphs: [0, 12) "Summit notes", [14, 49) "Leaders met in Geneva on Tuesday.", [54, 78) after a blank line holding spaces.
const TEXT = 'Summit notes\n\nLeaders met in Geneva on Tuesday.\n\n  \n\nThey agreed on a truce.';
const at = (needle: string) => ({ start: TEXT.indexOf(needle), end: TEXT.indexOf(needle) + needle.length });

describe('ParagraphIndex', () => {
  const paragraphs = new ParagraphIndex(TEXT);

  it('finds the paragraphs of a text, skipping blank lines', () => {
    expect(paragraphs.count).toBe(3);
    expect(TEXT.slice(paragraphs.start(1), paragraphs.end(1))).toBe('Leaders met in Geneva on Tuesday.');
    expect(TEXT.slice(paragraphs.start(2), paragraphs.end(2))).toBe('They agreed on a truce.');
  });

  it('finds the same paragraphs as the rest of Margin, whatever the whitespace', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', ' ', '\t', '\n', '\u00a0', '\u2028', '\r'), { maxLength: 60 }), (chars) => {
        const text = chars.join('');
        const index = new ParagraphIndex(text);
        const found = Array.from({ length: index.count }, (_, i) => ({ start: index.start(i), end: index.end(i) }));
        expect(found).toEqual(paragraphsOf(text));
      }),
      { numRuns: 500 },
    );
  });

  it('maps offsets to paragraphs: inside one, between two, at the very end', () => {
    const geneva = at('Geneva');
    expect(paragraphs.holding(geneva.start)).toBe(1);
    // The blank lines between the second and third paragraph belong to neither.
    expect(paragraphs.holding(paragraphs.end(1) + 1)).toBe(-1);
    expect(paragraphs.nearest(paragraphs.end(1) + 1)).toBe(2);
    expect(paragraphs.nearest(TEXT.length)).toBe(2);
  });

  it('gives the paragraphs a span touches, and none for a span between paragraphs', () => {
    expect(paragraphs.spanning(at('Tuesday').start, at('agreed').end)).toEqual([1, 2]);
    expect(paragraphs.spanning(paragraphs.end(1), paragraphs.start(2))).toBeNull();
    // A span ending exactly where a paragraph starts does not touch it.
    expect(paragraphs.spanning(at('Leaders').start, paragraphs.start(2))).toEqual([1, 1]);
  });
});

describe('SpanLayout', () => {
  const paragraphs = new ParagraphIndex(TEXT);
  const outer = ann('outer', 'claim', at('Leaders met in Geneva').start, at('Leaders met in Geneva').end);
  const inner = ann('inner', 'quote', at('Geneva').start, at('Geneva').end);
  const across = ann('across', 'event', at('Tuesday').start, at('agreed').end);
  const stranger = ann('stranger', 'rumour', at('truce').start, at('truce').end);
  const layout = new SpanLayout([stranger, across, inner, outer], LABELS, paragraphs);

  it('paints each span with its label, nested spans with an underline, unknown labels in grey', () => {
    expect(layout.get('outer')).toMatchObject({ fill: 'margin-label-0', nested: null });
    expect(layout.get('inner')).toMatchObject({ fill: 'margin-label-1', nested: 'margin-nested-1' });
    expect(layout.get('stranger')).toMatchObject({ fill: 'margin-unknown', nested: null });
  });

  it('lists per paragraph the spans touching it, in text order, a span across two paragraphs in both', () => {
    expect(layout.inParagraph(0)).toEqual([]);
    expect(layout.inParagraph(1).map((s) => s.id)).toEqual(['outer', 'inner', 'across']);
    expect(layout.inParagraph(2).map((s) => s.id)).toEqual(['across', 'stranger']);
  });

  it('hit-tests a click innermost first, and finds nothing between paragraphs', () => {
    expect(layout.at(at('Geneva').start + 2).map((s) => s.id)).toEqual(['inner', 'outer']);
    expect(layout.at(at('agreed').start).map((s) => s.id)).toEqual(['across']);
    expect(layout.at(paragraphs.end(1) + 1)).toEqual([]);
  });
});

describe('SpanLayout on random spans', () => {
  /** A text of short paragraphs, and spans anywhere in it (some identical, nested, overlapping, across paragraphs). */
  const cases = fc
    .array(fc.stringMatching(/^[a-z ]{1,30}$/), { minLength: 1, maxLength: 12 })
    .map((lines) => lines.join('\n\n'))
    .chain((text) =>
      fc.tuple(
        fc.constant(text),
        fc.array(fc.tuple(fc.nat(text.length), fc.integer({ min: 1, max: 40 }), fc.constantFrom('claim', 'quote', 'other')), { maxLength: 30 }),
        fc.nat(text.length),
      ),
    )
    .map(([text, raw, offset]) => {
      const annotations = raw.map(([start, len, label], i) => ann(`s${i}`, label, start, Math.min(text.length, start + len))).filter((a) => a.end > a.start);
      // Sometimes the same span twice, which encloses nothing.
      if (annotations[0] && annotations.length % 3 === 0) annotations.push(ann('twin', 'claim', annotations[0].start, annotations[0].end));
      return { text, annotations, offset };
    });

  it('hit-tests exactly as a scan of every annotation would, innermost first', () => {
    fc.assert(
      fc.property(cases, ({ text, annotations, offset }) => {
        const index = new ParagraphIndex(text);
        const hits = new SpanLayout(annotations, LABELS, index).at(offset).map((s) => s.id);
        const expected = index.holding(offset) < 0 ? [] : annotations.filter((a) => a.start <= offset && offset < a.end);
        expect(new Set(hits)).toEqual(new Set(expected.map((a) => a.id)));
        const lengths = hits.map((id) => annotations.find((a) => a.id === id)!).map((a) => a.end - a.start);
        expect(lengths).toEqual([...lengths].sort((x, y) => x - y));
      }),
      { numRuns: 300 },
    );
  });

  it('files each span under exactly the paragraphs it touches, nested as the nesting depths say, in any input order', () => {
    fc.assert(
      fc.property(cases, ({ text, annotations }) => {
        const index = new ParagraphIndex(text);
        const layout = new SpanLayout([...annotations].reverse(), LABELS, index);
        const depths = nestingDepths(annotations);
        for (let p = 0; p < index.count; p++) {
          const touching = annotations.filter((a) => a.start < index.end(p) && a.end > index.start(p));
          const listed = layout.inParagraph(p);
          expect(new Set(listed.map((s) => s.id))).toEqual(new Set(touching.map((a) => a.id)));
          for (const span of listed) {
            const a = annotations.find((x) => x.id === span.id)!;
            expect(span.nested !== null).toBe(a.label !== 'other' && depths.get(a)! > 0);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('paragraph window', () => {
  it('guesses a paragraph taller the longer it is, at least one line', () => {
    const metrics = metricsFrom(700, 29, 17, 8);
    expect(metrics.charsPerLine).toBe(84);
    expect(estimateHeight(0, metrics)).toBe(17 + 29);
    expect(estimateHeight(84, metrics)).toBe(17 + 29);
    expect(estimateHeight(85, metrics)).toBe(17 + 2 * 29);
  });

  it('keeps pinned paragraphs rendered, in order, ignoring pins outside the document', () => {
    expect(withPins([10, 11, 12], [400, 3, 11, -1, 9999], 1000)).toEqual([3, 10, 11, 12, 400]);
    expect(withPins([0, 1], [], 2)).toEqual([0, 1]);
  });
});
