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

/** How many other spans enclose each span: nested spans are painted distinctly. */
export function nestingDepths<T extends Spanned>(spans: readonly T[]): Map<T, number> {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const depths = new Map<T, number>();
  sorted.forEach((span, i) => {
    let depth = 0;
    for (let j = 0; j < i; j++) {
      const outer = sorted[j]!;
      const same = outer.start === span.start && outer.end === span.end;
      if (!same && outer.end >= span.end) depth++;
    }
    depths.set(span, depth);
  });
  return depths;
}
