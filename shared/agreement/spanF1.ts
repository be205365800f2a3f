import { type Measure, undefinedMeasure } from './measure';

/** A span as compared: UTF-16 offsets [start, end) and a label. */
export interface LabeledSpan {
  start: number;
  end: number;
  label: string;
}

export const NOTHING_TAGGED = 'neither annotator tagged anything';

const key = (s: LabeledSpan) => `${s.start}\u0000${s.end}\u0000${s.label}`;

/** How many spans match exactly (same start, end and label), one to one. */
export function exactMatches(a: readonly LabeledSpan[], b: readonly LabeledSpan[]): number {
  const counts = new Map<string, number>();
  for (const s of a) counts.set(key(s), (counts.get(key(s)) ?? 0) + 1);
  let matches = 0;
  for (const s of b) {
    const left = counts.get(key(s)) ?? 0;
    if (left > 0) {
      matches++;
      counts.set(key(s), left - 1);
    }
  }
  return matches;
}

/**
 * How many spans match by overlap: same label and at least one shared character, matched one
 * to one, the pairs with the largest overlap first (ties: earlier spans of A, then of B).
 */
export function overlapMatches(a: readonly LabeledSpan[], b: readonly LabeledSpan[]): number {
  const byLabel = new Map<string, number[]>();
  b.forEach((s, j) => (byLabel.get(s.label) ?? byLabel.set(s.label, []).get(s.label)!).push(j));
  const candidates: { i: number; j: number; overlap: number }[] = [];
  a.forEach((s, i) => {
    for (const j of byLabel.get(s.label) ?? []) {
      const t = b[j]!;
      const overlap = Math.min(s.end, t.end) - Math.max(s.start, t.start);
      if (overlap > 0) candidates.push({ i, j, overlap });
    }
  });
  candidates.sort((x, y) => y.overlap - x.overlap || x.i - y.i || x.j - y.j);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  let matches = 0;
  for (const { i, j } of candidates) {
    if (usedA.has(i) || usedB.has(j)) continue;
    usedA.add(i);
    usedB.add(j);
    matches++;
  }
  return matches;
}

/** F1 = 2·M / (|A| + |B|); null when neither side has a span. */
export function f1FromCounts(matches: number, sizeA: number, sizeB: number): Measure {
  if (sizeA + sizeB === 0) return undefinedMeasure(NOTHING_TAGGED);
  return { value: (2 * matches) / (sizeA + sizeB) };
}

/** Exact span F1 between two annotators (symmetric: no gold). */
export function exactF1(a: readonly LabeledSpan[], b: readonly LabeledSpan[]): Measure {
  return f1FromCounts(exactMatches(a, b), a.length, b.length);
}

/** Overlap span F1 between two annotators (symmetric: no gold). */
export function overlapF1(a: readonly LabeledSpan[], b: readonly LabeledSpan[]): Measure {
  return f1FromCounts(overlapMatches(a, b), a.length, b.length);
}
