import type { Annotation, LabelDef } from '../../../shared/model';
import { SpanIndex } from '../../../shared/spanIndex';
import { highlightName } from '../highlights/names';
import type { ParagraphIndex } from './paragraphIndex';

/** One annotation as the reading view paints it: its bounds and the highlights it belongs to. */
export interface PaintSpan {
  readonly id: string;
  readonly start: number;
  readonly end: number;
  /** The label fill (or the grey of a label the schema does not know). */
  readonly fill: string;
  /** The underline of a span nested inside another, or null. */
  readonly nested: string | null;
}

export function samePaint(a: PaintSpan, b: PaintSpan): boolean {
  return a.start === b.start && a.end === b.end && a.fill === b.fill && a.nested === b.nested;
}

type Spanned = Pick<Annotation, 'id' | 'label' | 'start' | 'end'>;

/** Text order: by start, the longer first on a tie (the order the store lists annotations in). */
const inTextOrder = (a: Spanned, b: Spanned) => a.start - b.start || b.end - a.end;

function isSorted(spans: readonly Spanned[]): boolean {
  for (let i = 1; i < spans.length; i++) if (inTextOrder(spans[i - 1]!, spans[i]!) > 0) return false;
  return true;
}

/**
 * Everything the reading view needs to know about the annotations. Built on each change of the
 * annotations in one pass that files every span under the paragraphs it touches (the list comes
 * sorted from the store, so this is linear); everything else (paint, nesting, hit-test indexes,
 * the lookup by id) is worked out for a paragraph when it is first painted or clicked, so that
 * opening a document and adding an annotation cost what is on screen, not what the document holds.
 */
export class SpanLayout {
  private readonly spans: readonly Spanned[];
  /** spans[members[from[p]] … members[from[p + 1] - 1]]: the spans touching paragraph p, in text order. */
  private readonly from: Int32Array;
  private readonly members: Int32Array;
  private readonly labelIndex: Map<string, number>;
  private readonly painted = new Map<number, readonly PaintSpan[]>();
  private readonly hitIndexes = new Map<number, SpanIndex<PaintSpan>>();
  private byId: Map<string, number> | null = null;

  constructor(
    annotations: readonly Spanned[],
    labels: readonly Pick<LabelDef, 'name'>[],
    readonly paragraphs: ParagraphIndex,
  ) {
    this.labelIndex = new Map(labels.map((l, i) => [l.name, i]));
    const valid = annotations.filter((a) => a.end > a.start);
    this.spans = isSorted(valid) ? valid : valid.sort(inTextOrder);
    const n = this.spans.length;
    const count = paragraphs.count;
    const first = new Int32Array(n);
    const last = new Int32Array(n);
    this.from = new Int32Array(count + 1);
    // Starts only grow along the list: the paragraph of each start is found by walking forward.
    let p = 0;
    for (let i = 0; i < n; i++) {
      const { start, end } = this.spans[i]!;
      while (p < count && paragraphs.end(p) <= start) p++;
      let q = p;
      while (q + 1 < count && paragraphs.start(q + 1) < end) q++;
      first[i] = p;
      last[i] = p < count && paragraphs.start(p) < end ? q : p - 1;
      for (let k = first[i]!; k <= last[i]!; k++) this.from[k + 1]!++;
    }
    for (let k = 0; k < count; k++) this.from[k + 1]! += this.from[k]!;
    this.members = new Int32Array(this.from[count]!);
    const next = this.from.slice(0, count);
    for (let i = 0; i < n; i++) {
      for (let k = first[i]!; k <= last[i]!; k++) this.members[next[k]!++] = i;
    }
  }

  get size(): number {
    return this.spans.length;
  }

  /** Builds the lookup by id now (called when the window is idle), not on the first click. */
  warm(): void {
    this.byId ??= new Map(this.spans.map((s, i) => [s.id, i]));
  }

  /** An annotation's paint, by id (its nesting as seen from the first paragraph it touches). */
  get(id: string | null | undefined): PaintSpan | undefined {
    if (!id) return undefined;
    this.warm();
    const i = this.byId!.get(id);
    if (i === undefined) return undefined;
    const span = this.spans[i]!;
    const paragraph = this.paragraphs.spanning(span.start, span.end);
    const found = paragraph && this.inParagraph(paragraph[0]).find((s) => s.id === id);
    return found ?? this.paintOf(span, false);
  }

  /** The spans touching paragraph `index`, in text order, with their paint. */
  inParagraph(index: number): readonly PaintSpan[] {
    let list = this.painted.get(index);
    if (list) return list;
    const members = this.members.subarray(this.from[index], this.from[index + 1]);
    const spans = Array.from(members, (i) => this.spans[i]!);
    // A span is nested when one listed before it encloses it: every span enclosing one touches
    // the same paragraph, and comes first in text order. Identical spans do not enclose each other.
    let maxEndBefore = -Infinity;
    let groupMaxEnd = -Infinity;
    list = spans.map((span, k) => {
      const previous = spans[k - 1];
      if (!previous || previous.start !== span.start || previous.end !== span.end) {
        maxEndBefore = Math.max(maxEndBefore, groupMaxEnd);
        groupMaxEnd = span.end;
      }
      return this.paintOf(span, maxEndBefore >= span.end);
    });
    this.painted.set(index, list);
    return list;
  }

  /** The spans holding the character at `offset`, innermost first: a binary search in its paragraph's spans. */
  at(offset: number): PaintSpan[] {
    const paragraph = this.paragraphs.holding(offset);
    if (paragraph < 0) return [];
    let index = this.hitIndexes.get(paragraph);
    if (!index) {
      index = new SpanIndex(this.inParagraph(paragraph));
      this.hitIndexes.set(paragraph, index);
    }
    return index.containing(offset);
  }

  /** The paint of a span that is not (yet) one of the annotations: a tag being written. */
  paintFor(span: Spanned): PaintSpan {
    return this.paintOf(span, false);
  }

  private paintOf(span: Spanned, nested: boolean): PaintSpan {
    const index = this.labelIndex.get(span.label);
    return {
      id: span.id,
      start: span.start,
      end: span.end,
      fill: index === undefined ? highlightName.unknown : highlightName.label(index),
      nested: index !== undefined && nested ? highlightName.nested(index) : null,
    };
  }
}
