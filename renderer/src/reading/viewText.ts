import type { ParagraphIndex } from './paragraphIndex';

/**
 * Document offsets to DOM ranges over the paragraphs that are rendered right now. Each rendered
 * paragraph is one element holding one text node, so an offset inside it maps straight onto
 * that node; an offset in a paragraph that is not rendered has no DOM point at all.
 */
export class ViewText {
  constructor(
    private readonly paragraphs: ParagraphIndex,
    private readonly rendered: ReadonlyMap<number, HTMLElement>,
  ) {}

  private textOf(index: number): Text | null {
    const node = this.rendered.get(index)?.firstChild;
    return node instanceof Text ? node : null;
  }

  /**
   * A DOM Range over [start, end), clipped to the rendered paragraphs it touches: exact where
   * both ends are rendered, and null when none of it is.
   */
  range(start: number, end: number): Range | null {
    const touched = this.paragraphs.spanning(start, end);
    if (!touched) return null;
    let first = -1;
    let last = -1;
    for (const index of this.rendered.keys()) {
      if (index < touched[0] || index > touched[1]) continue;
      if (first === -1 || index < first) first = index;
      if (index > last) last = index;
    }
    const from = first === -1 ? null : this.textOf(first);
    const to = last === -1 ? null : this.textOf(last);
    if (!from || !to) return null;
    const range = document.createRange();
    range.setStart(from, Math.max(start, this.paragraphs.start(first)) - this.paragraphs.start(first));
    range.setEnd(to, Math.min(end, this.paragraphs.end(last)) - this.paragraphs.start(last));
    return range;
  }
}
