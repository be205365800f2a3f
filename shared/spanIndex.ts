/**
 * Finds the spans that contain an offset: spans sorted by start plus a running maximum of
 * their ends, so a lookup is a binary search and a short backward walk, not a full scan.
 */
export interface Spanned {
  start: number;
  end: number;
}

export class SpanIndex<T extends Spanned> {
  private readonly sorted: T[];
  private readonly maxEnd: number[];

  constructor(spans: readonly T[]) {
    this.sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
    this.maxEnd = [];
    let max = -Infinity;
    for (const span of this.sorted) {
      max = Math.max(max, span.end);
      this.maxEnd.push(max);
    }
  }

  /** Spans with start <= offset < end, innermost (shortest) first. */
  containing(offset: number): T[] {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid]!.start <= offset) lo = mid + 1;
      else hi = mid;
    }
    const hits: T[] = [];
    for (let i = lo - 1; i >= 0 && this.maxEnd[i]! > offset; i--) {
      const span = this.sorted[i]!;
      if (span.end > offset) hits.push(span);
    }
    return hits.sort((a, b) => a.end - a.start - (b.end - b.start) || b.start - a.start);
  }
}

/**
 * How many other spans enclose each span: nested spans are painted distinctly. In start order,
 * the spans enclosing one are the earlier ones that end at or after it (identical ones aside),
 * counted with a Fenwick tree over the ends: O(n log n) for thousands of annotations.
 */
export function nestingDepths<T extends Spanned>(spans: readonly T[]): Map<T, number> {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const ends = [...new Set(sorted.map((s) => s.end))].sort((a, b) => a - b);
  const rank = new Map(ends.map((e, i) => [e, i + 1]));
  const tree = new Array<number>(ends.length + 1).fill(0);
  const add = (i: number) => {
    for (; i < tree.length; i += i & -i) tree[i]!++;
  };
  /** How many inserted ends are at most the end of rank i. */
  const upTo = (i: number) => {
    let n = 0;
    for (; i > 0; i -= i & -i) n += tree[i]!;
    return n;
  };
  const identical = new Map<string, number>();
  const depths = new Map<T, number>();
  sorted.forEach((span, i) => {
    const r = rank.get(span.end)!;
    const endingBefore = upTo(r - 1);
    const key = `${span.start}:${span.end}`;
    const same = identical.get(key) ?? 0;
    depths.set(span, i - endingBefore - same);
    identical.set(key, same + 1);
    add(r);
  });
  return depths;
}
