import { type Measure, undefinedMeasure } from './measure';

/** A span as compared: UTF-16 offsets [start, end) and a label. */
export interface LabeledSpan {
  start: number;
  end: number;
  label: string;
}

export const NOTHING_TAGGED = 'neither annotator tagged anything';

/** Indices of a list's spans grouped by label, empty spans only when `withEmpty`. */
function indicesByLabel(spans: readonly LabeledSpan[], withEmpty = false): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  spans.forEach((s, i) => {
    if (withEmpty || s.end > s.start) (groups.get(s.label) ?? groups.set(s.label, []).get(s.label)!).push(i);
  });
  return groups;
}

/**
 * How many spans of each label match exactly (same start, end and label), one to one; labels
 * without a match are absent. Each label's spans of A and B sorted by position and walked
 * together: equal positions pair off, so k copies on one side and m on the other give min(k, m).
 */
export function exactMatchesByLabel(a: readonly LabeledSpan[], b: readonly LabeledSpan[]): Map<string, number> {
  const groupsB = indicesByLabel(b, true);
  const matches = new Map<string, number>();
  const byPosition = (spans: readonly LabeledSpan[]) => (x: number, y: number) => spans[x]!.start - spans[y]!.start || spans[x]!.end - spans[y]!.end;
  for (const [label, fromA] of indicesByLabel(a, true)) {
    const fromB = groupsB.get(label);
    if (!fromB) continue;
    fromA.sort(byPosition(a));
    fromB.sort(byPosition(b));
    let i = 0;
    let j = 0;
    let matched = 0;
    while (i < fromA.length && j < fromB.length) {
      const s = a[fromA[i]!]!;
      const t = b[fromB[j]!]!;
      const order = s.start - t.start || s.end - t.end;
      if (order < 0) i++;
      else if (order > 0) j++;
      else {
        matched++;
        i++;
        j++;
      }
    }
    if (matched > 0) matches.set(label, matched);
  }
  return matches;
}

const total = (byLabel: Map<string, number>) => [...byLabel.values()].reduce((sum, n) => sum + n, 0);

/** How many spans match exactly (same start, end and label), one to one. */
export function exactMatches(a: readonly LabeledSpan[], b: readonly LabeledSpan[]): number {
  return total(exactMatchesByLabel(a, b));
}

/** Pairs (i of A, j of B) and the characters they share, as parallel lists. */
interface Pairs {
  i: number[];
  j: number[];
  overlap: number[];
}

/**
 * Every pair of one label's spans of A and B sharing at least one character. One sweep over
 * both lists sorted by start: a span meets exactly the spans of the other list that started
 * before it and have not ended yet, so the cost is O(n log n + pairs found), never a
 * comparison of every span with every other.
 */
function overlappingPairs(a: readonly LabeledSpan[], fromA: readonly number[], b: readonly LabeledSpan[], fromB: readonly number[]): Pairs {
  // An entry is 2·index for a span of A, 2·index + 1 for one of B.
  const spanOf = (e: number) => ((e & 1) === 0 ? a[e >> 1]! : b[e >> 1]!);
  const order = [...fromA.map((i) => 2 * i), ...fromB.map((j) => 2 * j + 1)];
  order.sort((x, y) => spanOf(x).start - spanOf(y).start);
  const active: [number[], number[]] = [[], []];
  const pairs: Pairs = { i: [], j: [], overlap: [] };
  for (const entry of order) {
    const side = entry & 1;
    const { start, end } = spanOf(entry);
    const others = active[1 - side]!;
    // Every active span started at or before this one; those that ended by now leave for good, once.
    let kept = 0;
    for (const other of others) {
      const otherEnd = spanOf(other).end;
      if (otherEnd <= start) continue;
      others[kept++] = other;
      pairs.i.push(side === 0 ? entry >> 1 : other >> 1);
      pairs.j.push(side === 0 ? other >> 1 : entry >> 1);
      pairs.overlap.push(Math.min(end, otherEnd) - start);
    }
    others.length = kept;
    active[side]!.push(entry);
  }
  return pairs;
}

/**
 * How many spans of each label match by overlap: same label and at least one shared character,
 * matched one to one, the pairs with the largest overlap first (ties: earlier spans of A, then
 * of B). Labels without a match are absent. Spans of different labels never match, so each
 * label is matched on its own, with the same result as one greedy pass over every label.
 */
export function overlapMatchesByLabel(a: readonly LabeledSpan[], b: readonly LabeledSpan[]): Map<string, number> {
  const groupsB = indicesByLabel(b);
  const matches = new Map<string, number>();
  const usedA = new Uint8Array(a.length);
  const usedB = new Uint8Array(b.length);
  for (const [label, fromA] of indicesByLabel(a)) {
    const fromB = groupsB.get(label);
    if (!fromB) continue;
    const pairs = overlappingPairs(a, fromA, b, fromB);
    const order = Array.from(pairs.overlap.keys());
    order.sort((x, y) => pairs.overlap[y]! - pairs.overlap[x]! || pairs.i[x]! - pairs.i[y]! || pairs.j[x]! - pairs.j[y]!);
    let matched = 0;
    for (const p of order) {
      const i = pairs.i[p]!;
      const j = pairs.j[p]!;
      if (usedA[i] || usedB[j]) continue;
      usedA[i] = 1;
      usedB[j] = 1;
      matched++;
    }
    if (matched > 0) matches.set(label, matched);
  }
  return matches;
}

/**
 * How many spans match by overlap: same label and at least one shared character, matched one
 * to one, the pairs with the largest overlap first (ties: earlier spans of A, then of B).
 */
export function overlapMatches(a: readonly LabeledSpan[], b: readonly LabeledSpan[]): number {
  return total(overlapMatchesByLabel(a, b));
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
