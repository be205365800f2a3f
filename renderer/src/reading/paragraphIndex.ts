/**
 * The document's paragraphs as sorted offsets, with binary searches from an offset to a
 * paragraph. The reading view renders only some paragraphs; everything that must reach an
 * unrendered one (a find match, an annotation, a link end) goes through these numbers, never
 * through the DOM.
 */
export class ParagraphIndex {
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;

  /** Each line holding more than whitespace is a paragraph (as paragraphsOf in shared/text says), found without copying any line. */
  constructor(readonly text: string) {
    const starts: number[] = [];
    const ends: number[] = [];
    const visible = /\S/g;
    let start = 0;
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      visible.lastIndex = start;
      const first = visible.exec(text);
      if (first && first.index < end) {
        starts.push(start);
        ends.push(end);
      }
      start = end + 1;
    }
    this.starts = Int32Array.from(starts);
    this.ends = Int32Array.from(ends);
  }

  get count(): number {
    return this.starts.length;
  }

  start(index: number): number {
    return this.starts[index]!;
  }

  end(index: number): number {
    return this.ends[index]!;
  }

  length(index: number): number {
    return this.ends[index]! - this.starts[index]!;
  }

  /** The first paragraph ending after `offset`: the one holding the character at `offset`, or the next. count when none. */
  firstEndingAfter(offset: number): number {
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid]! > offset) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** The last paragraph starting before `offset`, or -1 when none. */
  lastStartingBefore(offset: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** The paragraphs that hold some of [start, end), as [first, last]; null when the span lies between paragraphs. */
  spanning(start: number, end: number): [number, number] | null {
    const first = this.firstEndingAfter(start);
    const last = this.lastStartingBefore(end);
    return first <= last ? [first, last] : null;
  }

  /**
   * The paragraph a reader would scroll to for `offset`: the one holding it, else the next one,
   * else the last (an offset in the trailing blank lines).
   */
  nearest(offset: number): number {
    return Math.min(this.firstEndingAfter(offset), this.count - 1);
  }

  /** The paragraph holding the character at `offset` (start <= offset < end), or -1 when it falls between paragraphs. */
  holding(offset: number): number {
    const i = this.firstEndingAfter(offset);
    return i < this.count && this.starts[i]! <= offset ? i : -1;
  }
}
