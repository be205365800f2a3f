import type { Span } from '../../../shared/selection';
import type { ParagraphIndex } from '../reading/paragraphIndex';
import { samePaint, type PaintSpan, type SpanLayout } from '../reading/spanLayout';
import { HighlightSet } from './highlightSet';
import { findHighlightName, highlightName } from './names';

/** A boundary being dragged: the selected annotation is painted with these bounds meanwhile. */
export interface Preview {
  id: string;
  start: number;
  end: number;
}

export interface FindState {
  matches: readonly Span[];
  current: number;
}

/** A suggestion to paint: its span, its label's place in the schema, and its key. */
export interface SuggestedSpan {
  key: string;
  start: number;
  end: number;
  labelIndex: number;
}

/** The suggestions on the document (sorted by start), and the one selected. */
export interface SuggestionPaint {
  spans: readonly SuggestedSpan[];
  selectedKey: string | null;
}

/** What is painted: the same for every paragraph, whichever of them are on screen. */
export interface PaintInput {
  layout: SpanLayout;
  selectedId: string | null;
  preview: Preview | null;
  find: FindState | null;
  /** Spans painted ahead of the annotations they will become (a tag being written). */
  pending: readonly PaintSpan[];
  /** Suggestions, drawn apart from the annotations (never anyone's work until accepted). */
  suggestions: SuggestionPaint | null;
}

interface Entry {
  name: string;
  range: StaticRange;
}

interface Mounted {
  index: number;
  element: HTMLElement;
  text: Text;
  start: number;
  end: number;
  /** The annotation ranges painted here, by annotation id, with the paint they were made for. */
  spans: Map<string, { span: PaintSpan; entries: Entry[] }>;
  /** The selected annotation's outline painted here. */
  outline: Entry[];
  /** The find matches painted here. */
  matches: Entry[];
  /** The suggestions painted here. */
  suggested: Entry[];
}

/** Index of the first match ending after `offset` (matches are sorted and do not overlap). */
function firstMatchEndingAfter(matches: readonly Span[], offset: number): number {
  let lo = 0;
  let hi = matches.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (matches[mid]!.end > offset) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Paints annotations, the selection and find matches with the CSS Custom Highlight API, on the
 * paragraphs that are rendered and on nothing else. A paragraph scrolling in gets its own
 * ranges; one scrolling out takes them away; a change of the annotations is compared, per
 * rendered paragraph, span by span, so adding one annotation adds one range and leaves the
 * others alone. Ranges are StaticRanges on a paragraph's one text node (which is never split or
 * edited), so the browser has no live ranges to keep up to date.
 */
export class ParagraphPainter {
  private readonly highlights = new HighlightSet();
  private readonly mounted = new Map<number, Mounted>();
  private input: PaintInput | null = null;
  /** The previewed span (the selected one with its dragged bounds), or null. */
  private previewSpan: PaintSpan | null = null;

  constructor(private readonly paragraphs: ParagraphIndex) {}

  /** Brings the paint up to date with `input` on exactly the paragraph elements given. */
  update(input: PaintInput, elements: ReadonlyMap<number, HTMLElement>): void {
    const before = this.input;
    this.input = input;
    for (const [index, m] of this.mounted) {
      if (elements.get(index) !== m.element || m.element.firstChild !== m.text) this.unmount(index);
    }
    const spansChanged = before === null || before.layout !== input.layout || before.preview !== input.preview || before.pending !== input.pending;
    const outlineChanged = spansChanged || before.selectedId !== input.selectedId;
    const matchesChanged = before === null || before.find !== input.find;
    const suggestionsChanged = before === null || before.suggestions !== input.suggestions;
    if (spansChanged) {
      const original = input.layout.get(input.preview?.id);
      this.previewSpan = original && input.preview ? { ...original, start: input.preview.start, end: input.preview.end } : null;
    }
    for (const m of this.mounted.values()) {
      if (spansChanged) this.paintSpans(m);
      if (outlineChanged) this.paintOutline(m);
      if (matchesChanged) this.paintMatches(m);
      if (suggestionsChanged) this.paintSuggestions(m);
    }
    for (const [index, element] of elements) {
      if (!this.mounted.has(index)) this.mount(index, element);
    }
  }

  /** Takes every range away (the view is closing, or showing another document). */
  dispose(): void {
    this.highlights.clear();
    this.mounted.clear();
    this.input = null;
  }

  private mount(index: number, element: HTMLElement): void {
    const text = element.firstChild;
    if (!(text instanceof Text)) return;
    const m: Mounted = { index, element, text, start: this.paragraphs.start(index), end: this.paragraphs.end(index), spans: new Map(), outline: [], matches: [], suggested: [] };
    this.mounted.set(index, m);
    this.paintSpans(m);
    this.paintOutline(m);
    this.paintMatches(m);
    this.paintSuggestions(m);
  }

  private unmount(index: number): void {
    const m = this.mounted.get(index);
    if (!m) return;
    for (const { entries } of m.spans.values()) this.remove(entries);
    this.remove(m.outline);
    this.remove(m.matches);
    this.remove(m.suggested);
    this.mounted.delete(index);
  }

  /** A range over [start, end) clipped to the paragraph, or null when they do not meet. */
  private range(m: Mounted, start: number, end: number): StaticRange | null {
    const from = Math.max(start, m.start) - m.start;
    const to = Math.min(end, m.end) - m.start;
    if (from >= to) return null;
    return new StaticRange({ startContainer: m.text, startOffset: from, endContainer: m.text, endOffset: to });
  }

  private add(entries: Entry[], name: string, range: StaticRange): void {
    entries.push({ name, range });
    this.highlights.add(name, range);
  }

  private remove(entries: readonly Entry[]): void {
    for (const { name, range } of entries) this.highlights.delete(name, range);
  }

  private paintSpans(m: Mounted): void {
    const { layout } = this.input!;
    const preview = this.previewSpan;
    const wanted = new Map<string, PaintSpan>();
    for (const span of layout.inParagraph(m.index)) {
      if (span.id !== preview?.id) wanted.set(span.id, span);
    }
    for (const span of [preview, ...this.input!.pending]) {
      if (span && span.start < m.end && span.end > m.start) wanted.set(span.id, span);
    }
    for (const [id, painted] of m.spans) {
      const span = wanted.get(id);
      if (span && samePaint(span, painted.span)) {
        wanted.delete(id);
        continue;
      }
      this.remove(painted.entries);
      m.spans.delete(id);
    }
    for (const span of wanted.values()) {
      const range = this.range(m, span.start, span.end);
      if (!range) continue;
      const entries: Entry[] = [];
      this.add(entries, span.fill, range);
      if (span.nested) this.add(entries, span.nested, range);
      m.spans.set(span.id, { span, entries });
    }
  }

  private paintOutline(m: Mounted): void {
    const { layout, selectedId } = this.input!;
    this.remove(m.outline);
    m.outline = [];
    const selected = this.previewSpan?.id === selectedId ? this.previewSpan : layout.get(selectedId);
    const range = selected && this.range(m, selected.start, selected.end);
    if (range) this.add(m.outline, highlightName.selected, range);
  }

  private paintMatches(m: Mounted): void {
    const { find } = this.input!;
    this.remove(m.matches);
    m.matches = [];
    if (!find) return;
    for (let i = firstMatchEndingAfter(find.matches, m.start); i < find.matches.length && find.matches[i]!.start < m.end; i++) {
      const range = this.range(m, find.matches[i]!.start, find.matches[i]!.end);
      if (range) this.add(m.matches, i === find.current ? findHighlightName.current : findHighlightName.match, range);
    }
  }

  private paintSuggestions(m: Mounted): void {
    const { suggestions } = this.input!;
    this.remove(m.suggested);
    m.suggested = [];
    if (!suggestions) return;
    // Sorted by start: those starting after the paragraph end the scan. Suggestions are few (tens
    // to hundreds per article), so the ones ending before it are skipped one by one.
    for (const s of suggestions.spans) {
      if (s.start >= m.end) break;
      const range = s.end > m.start ? this.range(m, s.start, s.end) : null;
      if (range) this.add(m.suggested, s.key === suggestions.selectedKey ? highlightName.suggestedSelected(s.labelIndex) : highlightName.suggested(s.labelIndex), range);
    }
  }
}
