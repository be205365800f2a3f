import { type Measure, undefinedMeasure } from './measure';

export type AlphaMetric = 'nominal' | 'interval';
export type AlphaValue = string | number;

/**
 * Krippendorff's alpha from a reliability data matrix: data[coder][unit], null = no value.
 * Units with fewer than two values are dropped; the coincidence matrix takes, from each unit
 * with m_u values, every ordered pair of values from different coders with weight 1/(m_u − 1).
 * alpha = 1 − D_o/D_e, D_o = Σ o_ck δ²(c,k) / n, D_e = Σ n_c n_k δ²(c,k) / (n(n − 1)).
 * Interval needs numbers; nominal compares values with ===.
 */
export function krippendorffAlpha(data: readonly (readonly (AlphaValue | null | undefined)[])[], metric: AlphaMetric = 'nominal'): Measure {
  const units = Math.max(0, ...data.map((row) => row.length));
  const index = new Map<AlphaValue, number>();
  const values: AlphaValue[] = [];
  const coincidences = new Map<number, Map<number, number>>();
  const add = (c: number, k: number, w: number) => {
    const row = coincidences.get(c) ?? coincidences.set(c, new Map()).get(c)!;
    row.set(k, (row.get(k) ?? 0) + w);
  };
  // One buffer for every unit's values: a unit has at most one value per coder.
  const present = new Array<number>(data.length);
  for (let u = 0; u < units; u++) {
    let m = 0;
    for (const row of data) {
      const v = row[u];
      if (v === null || v === undefined) continue;
      if (metric === 'interval' && typeof v !== 'number') throw new Error(`interval alpha needs numbers, got "${String(v)}"`);
      let c = index.get(v);
      if (c === undefined) {
        c = values.length;
        index.set(v, c);
        values.push(v);
      }
      present[m++] = c;
    }
    if (m < 2) continue;
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (i !== j) add(present[i]!, present[j]!, 1 / (m - 1));
  }
  const marginals = new Map<number, number>();
  let n = 0;
  for (const [c, row] of coincidences) {
    let sum = 0;
    for (const w of row.values()) sum += w;
    marginals.set(c, sum);
    n += sum;
  }
  if (n === 0) return undefinedMeasure('no unit has values from two coders');
  const delta2 = (c: number, k: number): number => {
    if (metric === 'nominal') return c === k ? 0 : 1;
    const d = (values[c] as number) - (values[k] as number);
    return d * d;
  };
  // Observed: over the coincidences found, no more entries than value pairs in the data.
  let observed = 0;
  for (const [c, row] of coincidences) for (const [k, w] of row) observed += w * delta2(c, k);
  observed /= n;
  // Expected: Σ_c Σ_k n_c n_k δ²(c,k) in one pass over the values, not over every pair of them:
  // nominal, Σ n_c (n − n_c); interval, 2n Σ n_c (v_c − v̄)² (centred on the mean: no cancellation).
  let expected = 0;
  if (metric === 'nominal') {
    for (const nc of marginals.values()) expected += nc * (n - nc);
  } else {
    let mean = 0;
    for (const [c, nc] of marginals) mean += nc * (values[c] as number);
    mean /= n;
    for (const [c, nc] of marginals) expected += nc * ((values[c] as number) - mean) ** 2;
    expected *= 2 * n;
  }
  expected /= n * (n - 1);
  if (!(expected > 1e-12)) return undefinedMeasure('every value is the same, so expected disagreement is 0 and alpha is undefined');
  return { value: 1 - observed / expected };
}

/** Krippendorff's alpha (nominal) for two coders' paired codes, none missing. */
export function alphaNominal(a: readonly string[], b: readonly string[]): Measure {
  if (a.length !== b.length) throw new Error(`paired codes differ in length (${a.length} and ${b.length})`);
  if (a.length === 0) return undefinedMeasure('there are no items to compare');
  return krippendorffAlpha([a, b], 'nominal');
}
