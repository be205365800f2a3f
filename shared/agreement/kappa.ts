import { type Measure, undefinedMeasure } from './measure';

export const NO_ITEMS = 'there are no items to compare';

function checkPaired(a: readonly string[], b: readonly string[]): void {
  if (a.length !== b.length) throw new Error(`paired codes differ in length (${a.length} and ${b.length})`);
}

function observedAgreement(a: readonly string[], b: readonly string[]): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

function proportions(codes: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of codes) counts.set(c, (counts.get(c) ?? 0) + 1);
  for (const [c, n] of counts) counts.set(c, n / codes.length);
  return counts;
}

function chanceCorrected(ao: number, ae: number, name: string): Measure {
  if (ae >= 1 - 1e-12) {
    return undefinedMeasure(`every item has the same code for both, so chance agreement is total and ${name} is undefined`);
  }
  return { value: (ao - ae) / (1 - ae) };
}

/** Cohen's kappa from two coders' paired codes: Ae = Σ_k pA(k)·pB(k), each coder's own distribution. */
export function cohenKappa(a: readonly string[], b: readonly string[]): Measure {
  checkPaired(a, b);
  if (a.length === 0) return undefinedMeasure(NO_ITEMS);
  const pa = proportions(a);
  const pb = proportions(b);
  let ae = 0;
  for (const [c, p] of pa) ae += p * (pb.get(c) ?? 0);
  return chanceCorrected(observedAgreement(a, b), ae, "Cohen's kappa");
}

/** Scott's pi from two coders' paired codes: Ae = Σ_k p(k)², p pooled over both coders. */
export function scottPi(a: readonly string[], b: readonly string[]): Measure {
  checkPaired(a, b);
  if (a.length === 0) return undefinedMeasure(NO_ITEMS);
  const pooled = proportions([...a, ...b]);
  let ae = 0;
  for (const p of pooled.values()) ae += p * p;
  return chanceCorrected(observedAgreement(a, b), ae, "Scott's pi");
}

/** Expands a contingency table (rows: coder A's category, columns: coder B's) into paired codes. */
export function pairsFromTable(table: readonly (readonly number[])[]): { a: string[]; b: string[] } {
  const a: string[] = [];
  const b: string[] = [];
  table.forEach((row, i) =>
    row.forEach((n, j) => {
      for (let k = 0; k < n; k++) {
        a.push(String(i));
        b.push(String(j));
      }
    }),
  );
  return { a, b };
}

/**
 * Fleiss' kappa from category counts per item: counts[i][k] = how many raters put item i in
 * category k; every item must have the same number of raters (at least two).
 */
export function fleissKappaFromCounts(counts: readonly (readonly number[])[]): Measure {
  if (counts.length === 0) return undefinedMeasure(NO_ITEMS);
  const n = counts[0]!.reduce((s, x) => s + x, 0);
  if (counts.some((row) => row.reduce((s, x) => s + x, 0) !== n)) throw new Error('every item needs the same number of ratings');
  if (n < 2) return undefinedMeasure('Fleiss’ kappa needs at least two ratings per item');
  // A loop, not Math.max(...rows): spreading a million rows overflows the call stack.
  let categories = 0;
  for (const row of counts) categories = Math.max(categories, row.length);
  return fleissOf(counts.length, n, categories, (i) => counts[i]!);
}

/**
 * Fleiss' kappa over `items` items rated `n` times each, item i's category counts given by
 * row(i), one item at a time (so a caller can refill one buffer instead of keeping a row per item).
 */
function fleissOf(items: number, n: number, categories: number, row: (i: number) => ArrayLike<number>): Measure {
  let pBar = 0;
  const totals = new Array<number>(categories).fill(0);
  for (let i = 0; i < items; i++) {
    const counts = row(i);
    let agree = 0;
    for (let k = 0; k < counts.length; k++) {
      const x = counts[k]!;
      agree += x * (x - 1);
      totals[k]! += x;
    }
    pBar += agree / (n * (n - 1));
  }
  pBar /= items;
  let pe = 0;
  for (const t of totals) pe += (t / (items * n)) ** 2;
  return chanceCorrected(pBar, pe, "Fleiss' kappa");
}

/** Fleiss' kappa from each coder's codes (codes[coder][item]), every coder coding every item. */
export function fleissKappa(codes: readonly (readonly string[])[]): Measure {
  if (codes.length < 2) return undefinedMeasure('Fleiss’ kappa needs at least two coders');
  const items = codes[0]!.length;
  if (codes.some((c) => c.length !== items)) throw new Error('every coder must code every item');
  if (items === 0) return undefinedMeasure(NO_ITEMS);
  const index = new Map<string, number>();
  const coded = codes.map((coder) =>
    Int32Array.from(coder, (c) => {
      let k = index.get(c);
      if (k === undefined) index.set(c, (k = index.size));
      return k;
    }),
  );
  const row = new Int32Array(index.size);
  return fleissOf(items, codes.length, index.size, (i) => {
    row.fill(0);
    for (const coder of coded) row[coder[i]!]!++;
    return row;
  });
}
