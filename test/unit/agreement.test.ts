import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alphaNominal, krippendorffAlpha } from '../../shared/agreement/alpha';
import { cohenKappa, fleissKappa, fleissKappaFromCounts, pairsFromTable, scottPi } from '../../shared/agreement/kappa';
import { exactF1, type LabeledSpan, overlapF1 } from '../../shared/agreement/spanF1';
import { labelCodes, layersToTokenCodes, tokenCodes, tokenize } from '../../shared/agreement/tokens';
import { expectedDisagreement, observedDisagreement, type Unit, unitizingAlpha, unitizingAlphaCategory } from '../../shared/agreement/unitizing';

/** Paired codes from (A, B, count) rows. */
function paired(rows: [string, string, number][]): { a: string[]; b: string[] } {
  const a: string[] = [];
  const b: string[] = [];
  for (const [x, y, n] of rows) {
    for (let i = 0; i < n; i++) {
      a.push(x);
      b.push(y);
    }
  }
  return { a, b };
}

describe('known answers (shared/conformance/AGREEMENT.md)', () => {
  it("Cohen (1960): kappa 0.4915", () => {
    const { a, b } = pairsFromTable([
      [88, 14, 18],
      [10, 40, 10],
      [2, 6, 12],
    ]);
    expect(a).toHaveLength(200);
    expect(cohenKappa(a, b).value).toBeCloseTo(0.4915, 4);
  });

  it('Artstein & Poesio (2008) example 2: kappa 0.8013, pi 0.7995, alpha 0.8005', () => {
    const { a, b } = paired([
      ['STAT', 'STAT', 46],
      ['IReq', 'STAT', 6],
      ['IReq', 'IReq', 32],
      ['IReq', 'Chck', 6],
      ['Chck', 'Chck', 10],
    ]);
    expect(cohenKappa(a, b).value).toBeCloseTo(0.8013, 4);
    expect(scottPi(a, b).value).toBeCloseTo(0.7995, 4);
    expect(alphaNominal(a, b).value).toBeCloseTo(0.8005, 4);
  });

  it("Krippendorff's alpha with missing values: nominal 0.691358, interval 0.810845", () => {
    const n = null;
    const data = [
      [n, n, n, n, n, 3, 4, 1, 2, 1, 1, 3, 3, n, 3],
      [1, n, 2, 1, 3, 3, 4, 3, n, n, n, n, n, n, n],
      [n, n, 2, 1, 3, 4, 4, n, 2, 1, 1, 3, 3, n, 4],
    ];
    expect(krippendorffAlpha(data, 'nominal').value).toBeCloseTo(0.691358, 6);
    expect(krippendorffAlpha(data, 'interval').value).toBeCloseTo(0.810845, 6);
  });

  it("Krippendorff's unitizing alpha: c 0.7286 (D_o 0.0144, D_e 0.0532), k 1.0, overall 0.8591", () => {
    const u = (offset: number, length: number, rater: number, category: string): Unit => ({ offset, length, rater, category });
    const study = {
      begin: 150,
      length: 300,
      raters: 2,
      units: [u(225, 70, 0, 'c'), u(370, 30, 0, 'c'), u(220, 80, 1, 'c'), u(355, 20, 1, 'c'), u(400, 20, 1, 'c'), u(180, 60, 0, 'k'), u(300, 50, 0, 'k'), u(180, 60, 1, 'k'), u(300, 50, 1, 'k')],
    };
    expect(observedDisagreement(study, 'c')).toBeCloseTo(0.0144, 4);
    expect(expectedDisagreement(study, 'c')).toBeCloseTo(0.0532, 4);
    expect(unitizingAlphaCategory(study, 'c').value).toBeCloseTo(0.7286, 4);
    expect(unitizingAlphaCategory(study, 'k').value).toBe(1);
    expect(Math.abs(unitizingAlpha(study).value! - 0.8591)).toBeLessThanOrEqual(0.0005);
  });

  it('span F1 worked case: exact 0.3333, overlap 0.6667', () => {
    const A = [s(0, 5, 'claim'), s(10, 20, 'quote'), s(30, 40, 'event')];
    const B = [s(0, 5, 'claim'), s(12, 20, 'quote'), s(50, 60, 'event')];
    expect(exactF1(A, B).value).toBeCloseTo(1 / 3, 4);
    expect(overlapF1(A, B).value).toBeCloseTo(2 / 3, 4);
  });

  it("Fleiss' kappa (Fleiss 1971, as on Wikipedia): 10 subjects, 14 raters, 5 categories -> 0.210", () => {
    const counts = [
      [0, 0, 0, 0, 14],
      [0, 2, 6, 4, 2],
      [0, 0, 3, 5, 6],
      [0, 3, 9, 2, 0],
      [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0],
      [3, 2, 6, 3, 0],
      [2, 5, 3, 2, 2],
      [6, 5, 2, 1, 0],
      [0, 2, 2, 3, 7],
    ];
    expect(fleissKappaFromCounts(counts).value).toBeCloseTo(0.21, 3);
    // The same data as each rater's codes gives the same value.
    const codes: string[][] = Array.from({ length: 14 }, () => []);
    counts.forEach((row) => {
      let rater = 0;
      row.forEach((n, k) => {
        for (let i = 0; i < n; i++) codes[rater++]!.push(String(k));
      });
    });
    expect(fleissKappa(codes).value).toBeCloseTo(0.21, 3);
  });
});

function s(start: number, end: number, label: string): LabeledSpan {
  return { start, end, label };
}

describe('undefined results are null with a reason, never NaN', () => {
  it('empty layers', () => {
    for (const m of [exactF1([], []), overlapF1([], [])]) {
      expect(m.value).toBeNull();
      expect(m.reason).toBe('neither annotator tagged anything');
    }
    for (const m of [cohenKappa([], []), scottPi([], []), alphaNominal([], []), fleissKappa([[], []]), krippendorffAlpha([[], []])]) {
      expect(m.value).toBeNull();
      expect(m.reason).toBeTruthy();
    }
  });

  it('no variance: every code the same', () => {
    const same = ['O', 'O', 'O'];
    for (const m of [cohenKappa(same, same), scottPi(same, same), alphaNominal(same, same), fleissKappa([same, same, same])]) {
      expect(m.value).toBeNull();
      expect(m.reason).toMatch(/undefined/);
    }
  });

  it('unitizing alpha with nothing marked or an empty continuum', () => {
    expect(unitizingAlpha({ begin: 0, length: 100, raters: 2, units: [] })).toMatchObject({ value: null });
    expect(unitizingAlphaCategory({ begin: 0, length: 100, raters: 2, units: [] }, 'x').reason).toBeTruthy();
    expect(unitizingAlpha({ begin: 0, length: 0, raters: 2, units: [] }).value).toBeNull();
  });
});

describe('tokens', () => {
  const text = 'The minister said prices will fall.';
  it('each token gets the label of the span covering it, the outermost winning, else O', () => {
    const tokens = tokenize(text);
    const spans = [s(4, 34, 'claim'), s(13, 17, 'quote'), s(0, 3, 'event')];
    expect(tokenCodes(tokens, spans)).toEqual(['event', 'claim', 'claim', 'claim', 'claim', 'claim', 'O']);
    expect(labelCodes(tokens, spans, 'quote')).toEqual(['O', 'O', 'quote', 'O', 'O', 'O', 'O']);
    const { codes } = layersToTokenCodes(text, [spans, []]);
    expect(codes[1]).toEqual(new Array(7).fill('O'));
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------
const LABELS = ['claim', 'quote', 'event'];
const spanArb = fc
  .tuple(fc.nat(200), fc.integer({ min: 1, max: 40 }), fc.constantFrom(...LABELS))
  .map(([start, len, label]) => s(start, start + len, label));
const layerArb = fc.array(spanArb, { maxLength: 12 });
const TEXT = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ');

const finiteOrNull = (m: { value: number | null; reason?: string }) =>
  (m.value === null && typeof m.reason === 'string' && m.reason.length > 0) || (typeof m.value === 'number' && Number.isFinite(m.value));

describe('properties', () => {
  it('identical layers: F1 = 1, or null when empty', () => {
    fc.assert(
      fc.property(layerArb, (layer) => {
        for (const m of [exactF1(layer, [...layer]), overlapF1(layer, [...layer])]) {
          if (layer.length === 0) expect(m.value).toBeNull();
          else expect(m.value).toBe(1);
        }
      }),
    );
  });

  it('identical layers: kappa = 1 and alpha = 1 when the codes vary, else null with a reason', () => {
    fc.assert(
      fc.property(layerArb, (layer) => {
        const { codes } = layersToTokenCodes(TEXT, [layer, [...layer]]);
        const varies = new Set(codes[0]).size > 1;
        for (const m of [cohenKappa(codes[0]!, codes[1]!), alphaNominal(codes[0]!, codes[1]!), fleissKappa([codes[0]!, codes[0]!, codes[1]!])]) {
          if (varies) expect(m.value).toBeCloseTo(1, 12);
          else expect(m).toMatchObject({ value: null, reason: expect.any(String) });
        }
        const study = {
          begin: 0,
          length: TEXT.length,
          raters: 2,
          units: [0, 1].flatMap((rater) => layer.map((x) => ({ offset: x.start, length: x.end - x.start, rater, category: x.label }))),
        };
        const u = unitizingAlpha(study);
        if (layer.length > 0) expect(u.value).toBeCloseTo(1, 12);
        else expect(u.value).toBeNull();
      }),
    );
  });

  it('F1 is symmetric', () => {
    fc.assert(
      fc.property(layerArb, layerArb, (a, b) => {
        expect(exactF1(a, b)).toEqual(exactF1(b, a));
        expect(overlapF1(a, b)).toEqual(overlapF1(b, a));
      }),
    );
  });

  it('no measure is ever NaN: a number in range or null with a reason', () => {
    fc.assert(
      fc.property(layerArb, layerArb, (a, b) => {
        const { codes } = layersToTokenCodes(TEXT, [a, b]);
        const units = [a, b].flatMap((layer, rater) => layer.map((x) => ({ offset: x.start, length: x.end - x.start, rater, category: x.label })));
        const all = [
          exactF1(a, b),
          overlapF1(a, b),
          cohenKappa(codes[0]!, codes[1]!),
          scottPi(codes[0]!, codes[1]!),
          alphaNominal(codes[0]!, codes[1]!),
          unitizingAlpha({ begin: 0, length: 300, raters: 2, units }),
          ...LABELS.map((l) => unitizingAlphaCategory({ begin: 0, length: 300, raters: 2, units }, l)),
        ];
        for (const m of all) expect(finiteOrNull(m)).toBe(true);
        for (const m of all.slice(0, 2)) if (m.value !== null) expect(m.value).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
