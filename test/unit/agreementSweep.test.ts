import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { krippendorffAlpha } from '../../shared/agreement/alpha';
import { fleissKappa } from '../../shared/agreement/kappa';
import { exactMatches, exactMatchesByLabel, type LabeledSpan, overlapMatches, overlapMatchesByLabel } from '../../shared/agreement/spanF1';
import { labelCodes, tokenCodes, tokenize } from '../../shared/agreement/tokens';
import {
  expectedDisagreement,
  observedDisagreement,
  type Unit,
  type UnitizingStudy,
  unitizingAlpha,
  unitizingAlphaCategory,
  unitizingAlphas,
} from '../../shared/agreement/unitizing';
import * as reference from './agreementReference';

// The sweeps give what the straightforward definitions give (test/unit/agreementReference.ts),
// on small random layers full of what makes sweeps go wrong: nesting, equal starts and ends,
// copies of one span, empty and inverted spans, touching spans, ties in overlap.

const LABELS = ['x', 'y', 'z'];
const spanArb = fc
  .tuple(fc.nat(60), fc.integer({ min: -2, max: 30 }), fc.constantFrom(...LABELS))
  .map(([start, length, label]): LabeledSpan => ({ start, end: start + length, label }));
/** Spans on a small stretch, so most of them meet; some lists repeat spans from the other. */
const layersArb = fc
  .tuple(fc.array(spanArb, { maxLength: 25 }), fc.array(spanArb, { maxLength: 25 }), fc.array(fc.nat(30), { maxLength: 10 }))
  .map(([a, b, copies]) => [a, [...b, ...copies.filter((i) => i < a.length).map((i) => ({ ...a[i]! }))]] as const);

const TEXT = Array.from({ length: 30 }, (_, i) => (i % 7 === 3 ? `w${i}.` : `w${i}`)).join(' ');

/** Equal up to the rounding of sums taken in another order. */
function close(actual: number | null, expected: number | null): void {
  if (expected === null) return void expect(actual).toBeNull();
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

const only = (spans: readonly LabeledSpan[], label: string) => spans.filter((s) => s.label === label);

describe('span matching by sorted sweeps equals comparing every pair', () => {
  it.each([
    ['overlap', overlapMatches, overlapMatchesByLabel, reference.overlapMatches],
    ['exact', exactMatches, exactMatchesByLabel, reference.exactMatches],
  ] as const)('%s matches, overall and per label', (_, matches, byLabel, expected) => {
    fc.assert(
      fc.property(layersArb, ([a, b]) => {
        expect(matches(a, b)).toBe(expected(a, b));
        const perLabel = byLabel(a, b);
        for (const label of LABELS) expect(perLabel.get(label) ?? 0).toBe(expected(only(a, label), only(b, label)));
      }),
      { numRuns: 500 },
    );
  });

  it('a pile of spans stacked on one another: ties broken as before, every span matched once', () => {
    const a = Array.from({ length: 40 }, (_, i) => ({ start: i % 5, end: 50 - (i % 3), label: 'x' }));
    const b = Array.from({ length: 30 }, (_, i) => ({ start: (i * 7) % 11, end: 20 + ((i * 5) % 13), label: 'x' }));
    expect(overlapMatches(a, b)).toBe(reference.overlapMatches(a, b));
    expect(overlapMatches(a, b)).toBe(30);
    expect(exactMatches(a, [...a].reverse())).toBe(40);
  });
});

describe('token codes without revisiting covered tokens', () => {
  const tokens = tokenize(TEXT);
  it('the outermost span per token, and per label any span', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.nat(TEXT.length), fc.integer({ min: -3, max: 60 }), fc.constantFrom(...LABELS)).map(([start, length, label]) => ({ start, end: start + length, label })),
          { maxLength: 30 },
        ),
        (spans) => {
          expect(tokenCodes(tokens, spans)).toEqual(reference.tokenCodes(tokens, spans));
          for (const label of LABELS) expect(labelCodes(tokens, spans, label)).toEqual(reference.labelCodes(tokens, spans, label));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('chance-corrected measures with sums over values, not over pairs of values', () => {
  const cell = (values: fc.Arbitrary<string | number>) => fc.option(values, { nil: null, freq: 4 });
  const matrix = <T,>(values: fc.Arbitrary<T>) =>
    fc.integer({ min: 2, max: 4 }).chain((coders) => fc.integer({ min: 0, max: 12 }).chain((units) => fc.array(fc.array(values, { minLength: units, maxLength: units }), { minLength: coders, maxLength: coders })));

  it("Krippendorff's alpha, nominal and interval, missing values included", () => {
    fc.assert(
      fc.property(matrix(cell(fc.constantFrom('a', 'b', 'c', 'd'))), (data) => {
        close(krippendorffAlpha(data, 'nominal').value, reference.krippendorffAlpha(data, 'nominal'));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(matrix(cell(fc.integer({ min: -5, max: 1000 }))), (data) => {
        close(krippendorffAlpha(data, 'interval').value, reference.krippendorffAlpha(data, 'interval'));
      }),
      { numRuns: 500 },
    );
  });

  it("Fleiss' kappa", () => {
    fc.assert(
      fc.property(matrix(fc.constantFrom('O', 'x', 'y')), (codes) => {
        fc.pre(codes[0]!.length > 0);
        close(fleissKappa(codes).value, reference.fleissKappa(codes));
      }),
      { numRuns: 500 },
    );
  });
});

describe('unitizing alpha from one grouping of the units', () => {
  const studyArb = fc.integer({ min: 2, max: 3 }).chain((raters) =>
    fc.record({
      begin: fc.nat(20),
      length: fc.integer({ min: 2, max: 120 }),
      raters: fc.constant(raters),
      units: fc.array(
        fc.record({ offset: fc.nat(150), length: fc.integer({ min: 0, max: 40 }), rater: fc.integer({ min: 0, max: raters }), category: fc.constantFrom(...LABELS) }),
        { maxLength: 25 },
      ),
    }),
  );

  it('D_o and D_e per category', () => {
    fc.assert(
      fc.property(studyArb, (study: UnitizingStudy) => {
        for (const c of LABELS) {
          close(observedDisagreement(study, c), reference.observedDisagreement(study, c));
          close(expectedDisagreement(study, c), reference.expectedDisagreement(study, c));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('all categories at once give what each gives alone, and the overall value', () => {
    fc.assert(
      fc.property(studyArb, (study: UnitizingStudy) => {
        const all = unitizingAlphas(study, LABELS);
        expect(all.overall).toEqual(unitizingAlpha(study));
        for (const c of LABELS) {
          const alone: UnitizingStudy = { ...study, units: study.units.filter((u: Unit) => u.category === c) };
          expect(all.byCategory.get(c)).toEqual(unitizingAlphaCategory(alone, c));
        }
        const marked = [...new Set(study.units.filter((u) => u.length > 0).map((u) => u.category))];
        if (marked.length > 0 && all.overall.value !== null) {
          const mean = (f: (c: string) => number) => marked.reduce((sum, c) => sum + f(c), 0) / marked.length;
          close(all.overall.value, 1 - mean((c) => reference.observedDisagreement(study, c)) / mean((c) => reference.expectedDisagreement(study, c)));
        }
      }),
      { numRuns: 300 },
    );
  });
});
