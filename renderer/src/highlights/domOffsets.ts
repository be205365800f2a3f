/**
 * The reading view renders each paragraph as one element holding one text node, with its offset
 * into the document in data-start. These map between DOM points and document offsets.
 */
export const PARAGRAPH_SELECTOR = 'p[data-start]';

function paragraphOf(node: Node | null, root: HTMLElement): HTMLElement | null {
  let current: Node | null = node;
  while (current && current !== root) {
    if (current instanceof HTMLElement && current.matches(PARAGRAPH_SELECTOR)) return current;
    current = current.parentNode;
  }
  return null;
}

function startOf(p: Element): number {
  return Number(p.getAttribute('data-start'));
}
function endOf(p: Element): number {
  return Number(p.getAttribute('data-end'));
}

/** Document offset of a DOM point inside `root`, or null when the point is outside it. */
export function offsetOfPoint(root: HTMLElement, node: Node, offset: number): number | null {
  if (!root.contains(node)) return null;
  const paragraph = paragraphOf(node, root);
  if (paragraph) {
    if (node.nodeType === Node.TEXT_NODE) return startOf(paragraph) + offset;
    // An element point: before or after its children.
    return offset === 0 ? startOf(paragraph) : endOf(paragraph);
  }
  // A point between paragraphs (triple-click selections end like this).
  const paragraphs = root.querySelectorAll(PARAGRAPH_SELECTOR);
  if (paragraphs.length === 0) return null;
  const children = Array.from(node.childNodes);
  const after = children.slice(offset).find((c) => c instanceof HTMLElement && c.matches(PARAGRAPH_SELECTOR));
  if (after) return startOf(after as Element);
  const before = children.slice(0, offset).reverse().find((c) => c instanceof HTMLElement && c.matches(PARAGRAPH_SELECTOR));
  if (before) return endOf(before as Element);
  return null;
}

/** The paragraph elements sorted by offset, with a binary search from offset to DOM point. */
export class ParagraphMap {
  private readonly paragraphs: HTMLElement[];

  constructor(root: HTMLElement) {
    this.paragraphs = Array.from(root.querySelectorAll<HTMLElement>(PARAGRAPH_SELECTOR));
  }

  /** The paragraph containing `offset`, or the next one when the offset falls between paragraphs. */
  paragraphAt(offset: number): HTMLElement | undefined {
    let lo = 0;
    let hi = this.paragraphs.length - 1;
    let found = this.paragraphs.length;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (endOf(this.paragraphs[mid]!) >= offset) {
        found = mid;
        hi = mid - 1;
      } else lo = mid + 1;
    }
    return this.paragraphs[found] ?? this.paragraphs[this.paragraphs.length - 1];
  }

  /** The DOM point of an offset; offsets between paragraphs land at the start of the next one. */
  private point(offset: number): [Node, number] | null {
    const p = this.paragraphAt(offset);
    const text = p?.firstChild;
    if (!p || !text) return null;
    return [text, Math.min(Math.max(offset - startOf(p), 0), endOf(p) - startOf(p))];
  }

  /** A DOM Range over document offsets [start, end), spanning paragraphs when needed. */
  range(start: number, end: number): Range | null {
    const a = this.point(start);
    const b = this.point(end);
    if (!a || !b) return null;
    const range = document.createRange();
    range.setStart(a[0], a[1]);
    range.setEnd(b[0], b[1]);
    return range;
  }
}
