import { memo, useCallback, useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { DocumentView } from '../../../shared/api';
import { documentLanguage, paragraphLanguage, type Direction } from '../../../shared/direction';
import type { Annotation, Relation, TagSchema } from '../../../shared/model';
import { snapToWords, type Span } from '../../../shared/selection';
import { offsetOfPoint } from '../highlights/domOffsets';
import { ParagraphPainter, type FindState, type Preview, type SuggestedSpan, type SuggestionPaint } from '../highlights/paragraphPainter';
import { installFindStyles, installHighlightStyles } from '../highlights/styles';
import { ParagraphIndex } from '../reading/paragraphIndex';
import { paragraphIndexOf, renderedParagraphs } from '../reading/renderedParagraphs';
import { SpanLayout } from '../reading/spanLayout';
import { useCaret } from '../reading/useCaret';
import { useParagraphWindow } from '../reading/useParagraphWindow';
import { ViewText } from '../reading/viewText';
import { BoundaryHandles } from './BoundaryHandles';
import { LinkArcs } from './LinkArcs';
import { ReadingCaret } from './ReadingCaret';
import '../reading/reading.css';

export type { FindState, SuggestedSpan, SuggestionPaint };

/** A selection being tagged: painted at once, before the store has written it. */
export interface Tagging {
  label: string;
  start: number;
  end: number;
}

const NOT_TAGGING: readonly Tagging[] = [];

interface Props {
  doc: DocumentView;
  schema: TagSchema;
  annotations: readonly Annotation[];
  /** Links to draw (the selected annotation's). */
  links: readonly Relation[];
  selectedId: string | null;
  /** Boundaries of the selected annotation can be dragged when it is the annotator's own. */
  editable: boolean;
  /** Bumped when the panel asks to bring an annotation (by id) or a suggestion (by its start) into view. */
  scrollRequest: { id: string; nonce: number; start?: number } | null;
  find: FindState | null;
  tagging?: readonly Tagging[];
  onSelect: (id: string | null) => void;
  onPendingChange: (span: Span | null) => void;
  /** A mouse selection has just been finished (snapped): link mode tags it on the fly. */
  onSelectionDone: (span: Span) => void;
  onBoundaryDrop: (edge: 'start' | 'end', offset: number) => void;
  /** Shown above the text, scrolling with it (the article's details). */
  header?: React.ReactNode;
  /** Filled with a reader of the live selection: a key pressed right after Shift+Arrow must see it. */
  selectionReader?: React.Ref<() => Span | null>;
  /** Suggestions to draw apart from the annotations, and the one selected. */
  suggestions?: SuggestionPaint | null;
  /** A click on a suggestion's text (where no annotation is). */
  onSelectSuggestion?: (key: string) => void;
  /** Filled with a reader of which of the given suggestions are wholly on screen now. */
  onScreenReader?: React.Ref<(spans: readonly SuggestedSpan[]) => string[]>;
}

/** Document offset of the caret nearest to a point, or null when the point is not over the text. */
function caretOffsetAt(root: HTMLElement, x: number, y: number): { offset: number; text: Text; local: number } | null {
  const caret = document.caretPositionFromPoint?.(x, y);
  if (!caret || caret.offsetNode.nodeType !== Node.TEXT_NODE) return null;
  const offset = offsetOfPoint(root, caret.offsetNode, caret.offset);
  return offset === null ? null : { offset, text: caret.offsetNode as Text, local: caret.offset };
}

/** Document offset of the character under the pointer, or null when the pointer is not over text. */
function charOffsetAt(root: HTMLElement, x: number, y: number): number | null {
  const caret = caretOffsetAt(root, x, y);
  if (!caret) return null;
  // The caret sits between two characters: take the one whose box holds the pointer.
  for (const local of [caret.local, caret.local - 1]) {
    if (local < 0 || local >= caret.text.length) continue;
    const range = document.createRange();
    range.setStart(caret.text, local);
    range.setEnd(caret.text, local + 1);
    for (const rect of range.getClientRects()) {
      if (x >= rect.left && x <= rect.right && y >= rect.top && y <= rect.bottom) return caret.offset + (local - caret.local);
    }
  }
  return null;
}

interface ParagraphProps {
  index: number;
  start: number;
  end: number;
  text: string;
  top: number;
  /** The document's direction: a paragraph running the other way says so itself. */
  documentDir: Direction;
  measure: (element: HTMLElement | null) => void;
}

/** One paragraph: one element, one text node, positioned where the window puts it. */
const Paragraph = memo(function Paragraph({ index, start, end, text, top, documentDir, measure }: ParagraphProps) {
  const own = useMemo(() => paragraphLanguage(text, documentDir), [text, documentDir]);
  return (
    <p ref={measure} data-index={index} data-start={start} data-end={end} className={index === 0 ? 'lead' : undefined} style={{ top }} {...own}>
      {text}
    </p>
  );
});

/**
 * The article as paragraphs, of which only those near the viewport are rendered, with
 * highlights painted over them and the selection turned into document offsets. Text nodes are
 * never split, so offsets map straight onto the DOM; whatever must reach a paragraph that is not
 * rendered (find, jumps, links) works on offsets and scrolls it in.
 */
export function ReadingView(props: Props) {
  const { doc, schema, annotations, links, selectedId, editable, scrollRequest, find, tagging = NOT_TAGGING } = props;
  const { onSelect, onPendingChange, onSelectionDone, onBoundaryDrop, header, selectionReader, suggestions = null, onSelectSuggestion, onScreenReader } = props;
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  const [root, setRoot] = useState<HTMLDivElement | null>(null);
  const [list, setList] = useState<HTMLDivElement | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const paragraphs = useMemo(() => new ParagraphIndex(doc.text), [doc.text]);
  const layout = useMemo(() => new SpanLayout(annotations, schema.labels, paragraphs), [annotations, schema.labels, paragraphs]);
  const painter = useMemo(() => new ParagraphPainter(paragraphs), [paragraphs]);
  const language = useMemo(() => documentLanguage(doc.meta.language, doc.text), [doc.meta.language, doc.text]);
  const selected = layout.get(selectedId) ?? null;
  const pending = useMemo(() => tagging.map((t, i) => layout.paintFor({ id: `tagging-${i}`, ...t })), [tagging, layout]);
  /** The paragraphs holding the ends of the text selection: kept rendered while a drag scrolls. */
  const selectionPins = useRef<readonly number[]>([]);

  const rangeOf = useCallback((start: number, end: number) => (list ? new ViewText(paragraphs, renderedParagraphs(list)).range(start, end) : null), [paragraphs, list]);
  const { caret, setCaret, onFocus, onKeyDown } = useCaret({ text: doc.text, ...language, paragraphs, root, scroller, list, rangeOf });

  // Paragraphs that what is drawn on screen starts or ends in stay rendered wherever the view is.
  const currentMatch = find?.matches[find.current];
  const pins = useMemo(() => {
    const ends = (span: Span | undefined | null) => {
      const touched = span && paragraphs.spanning(span.start, span.end);
      return touched ? [touched[0], touched[1]] : [];
    };
    const linked = links.flatMap((r) => [...ends(layout.get(r.from)), ...ends(layout.get(r.to))]);
    const atCaret = caret === null ? [] : [paragraphs.nearest(caret)];
    const suggestion = suggestions?.selectedKey ? suggestions.spans.find((s) => s.key === suggestions.selectedKey) : undefined;
    return [...ends(selected), ...ends(preview), ...linked, ...ends(currentMatch), ...atCaret, ...ends(suggestion)];
  }, [paragraphs, layout, selected, preview, links, currentMatch, caret, suggestions]);

  const virtualizer = useParagraphWindow(paragraphs, scroller, list, pins, selectionPins);
  const items = virtualizer.getVirtualItems();
  const scrollMargin = virtualizer.options.scrollMargin;

  // Styles before the first paint of the ranges that use them.
  useLayoutEffect(() => installHighlightStyles(schema), [schema]);
  useLayoutEffect(() => {
    if (find) installFindStyles();
  }, [find]);
  useLayoutEffect(() => () => painter.dispose(), [painter]);
  useEffect(() => {
    const idle = requestIdleCallback(() => layout.warm());
    return () => cancelIdleCallback(idle);
  }, [layout]);
  // After every commit: the paragraphs rendered now get their ranges, those gone lose them.
  useLayoutEffect(() => {
    if (list) painter.update({ layout, selectedId, preview, find, pending, suggestions }, renderedParagraphs(list));
  });

  useEffect(() => {
    const match = find?.matches[find.current];
    if (match) virtualizer.scrollToIndex(paragraphs.nearest(match.start), { align: 'center' });
  }, [find, paragraphs, virtualizer]);

  const readSelection = useCallback((): Span | null => {
    const selection = document.getSelection();
    if (!root || !selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    const start = offsetOfPoint(root, range.startContainer, range.startOffset);
    const end = offsetOfPoint(root, range.endContainer, range.endOffset);
    return start === null || end === null ? null : snapToWords(doc.text, start, end);
  }, [doc.text, root]);

  useImperativeHandle(selectionReader, () => readSelection, [readSelection]);

  // "On screen" is what the analyst can see now: a suggestion whose lines all lie inside the
  // scroller's box. One in an unrendered paragraph, or cut by an edge, is not.
  const readOnScreen = useCallback(
    (spans: readonly SuggestedSpan[]): string[] => {
      if (!scroller) return [];
      const view = scroller.getBoundingClientRect();
      return spans
        .filter((s) => {
          const rects = [...(rangeOf(s.start, s.end)?.getClientRects() ?? [])].filter((r) => r.width > 0 && r.height > 0);
          return rects.length > 0 && rects.every((r) => r.top >= view.top && r.bottom <= view.bottom);
        })
        .map((s) => s.key);
    },
    [scroller, rangeOf],
  );
  useImperativeHandle(onScreenReader, () => readOnScreen, [readOnScreen]);

  useEffect(() => {
    const onChange = () => {
      const selection = document.getSelection();
      selectionPins.current =
        root && selection ? [selection.anchorNode, selection.focusNode].map((n) => paragraphIndexOf(root, n)).filter((i) => i >= 0) : [];
      onPendingChange(readSelection());
    };
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }, [readSelection, onPendingChange, root]);

  useEffect(() => {
    const target = scrollRequest?.start !== undefined ? { start: scrollRequest.start } : layout.get(scrollRequest?.id);
    if (target) virtualizer.scrollToIndex(paragraphs.nearest(target.start), { align: 'center' });
    // Only a new request scrolls; edits to the list must not yank the view around.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scrollRequest]);

  // A drag starts a selection here: its paragraph stays rendered from now on, even if the view
  // scrolls before the browser reports the selection.
  const onMouseDown = (event: React.MouseEvent) => {
    if (root && event.button === 0) selectionPins.current = [paragraphIndexOf(root, event.target as Node)].filter((i) => i >= 0);
  };

  const onMouseUp = (event: React.MouseEvent) => {
    const selection = document.getSelection();
    if (!root || !selection) return;
    if (!selection.isCollapsed && selection.rangeCount > 0) {
      // Show the analyst exactly what will be tagged: the selection snapped to whole words.
      const range = selection.getRangeAt(0);
      const start = offsetOfPoint(root, range.startContainer, range.startOffset);
      const end = offsetOfPoint(root, range.endContainer, range.endOffset);
      const snapped = start === null || end === null ? null : snapToWords(doc.text, start, end);
      const snappedRange = snapped && rangeOf(snapped.start, snapped.end);
      selection.removeAllRanges();
      if (snapped && snappedRange) {
        selection.addRange(snappedRange);
        setCaret(snapped.end);
        onSelectionDone(snapped);
      }
      return;
    }
    const clicked = caretOffsetAt(root, event.clientX, event.clientY);
    if (clicked) setCaret(clicked.offset);
    const offset = charOffsetAt(root, event.clientX, event.clientY);
    const hits = offset === null ? [] : layout.at(offset);
    if (hits.length === 0) {
      // Where no annotation is, a suggestion may be: the innermost one under the pointer.
      const under = offset === null ? [] : (suggestions?.spans ?? []).filter((s) => s.start <= offset && offset < s.end);
      const innermost = under.sort((a, b) => a.end - a.start - (b.end - b.start))[0];
      if (innermost && onSelectSuggestion) return onSelectSuggestion(innermost.key);
      return onSelect(null);
    }
    // Innermost first; clicking again on the same spot walks outwards through the overlaps.
    const current = hits.findIndex((h) => h.id === selectedId);
    onSelect(hits[(current + 1) % hits.length]!.id);
  };

  const boundaryAt = useCallback((x: number, y: number) => (root ? (caretOffsetAt(root, x, y)?.offset ?? null) : null), [root]);
  const previewEdge = useCallback(
    (edge: 'start' | 'end', offset: number) => {
      if (!selected) return;
      const start = edge === 'start' ? Math.min(offset, selected.end - 1) : selected.start;
      const end = edge === 'end' ? Math.max(offset, selected.start + 1) : selected.end;
      setPreview({ id: selected.id, start, end });
    },
    [selected],
  );
  const spanOf = useCallback((id: string) => layout.get(id), [layout]);

  // Handles and arcs are measured from the DOM: again whenever a paragraph they sit in moves.
  const pinned = new Set(pins);
  const layoutKey = `${virtualizer.getTotalSize()}:${items
    .filter((item) => pinned.has(item.index))
    .map((item) => item.start)
    .join(',')}`;

  return (
    // Focusable for caret mode: arrows move a caret, Shift extends the selection (useCaret).
    <article ref={setScroller} className="reading-view" aria-label={doc.title} tabIndex={0} onFocus={onFocus} onKeyDown={onKeyDown}>
      <div className="reading-header">{header}</div>
      <div
        ref={setRoot}
        className="reading-text"
        lang={language.lang}
        dir={language.dir}
        onMouseDown={onMouseDown}
        onMouseUp={onMouseUp}
        data-testid="reading-text"
      >
        <div ref={setList} className="reading-paragraphs" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const start = paragraphs.start(item.index);
            const end = paragraphs.end(item.index);
            return (
              <Paragraph
                key={item.index}
                index={item.index}
                start={start}
                end={end}
                text={doc.text.slice(start, end)}
                top={item.start - scrollMargin}
                documentDir={language.dir}
                measure={virtualizer.measureElement}
              />
            );
          })}
        </div>
        <LinkArcs root={root} spanOf={spanOf} rangeOf={rangeOf} relations={links} layoutKey={layoutKey} />
        {caret !== null && <ReadingCaret root={root} text={doc.text} offset={caret} rangeOf={rangeOf} layoutKey={layoutKey} />}
        {selected && editable && (
          <BoundaryHandles
            root={root}
            text={doc.text}
            start={preview?.start ?? selected.start}
            end={preview?.end ?? selected.end}
            rangeOf={rangeOf}
            layoutKey={layoutKey}
            offsetAt={boundaryAt}
            onPreview={previewEdge}
            onCancel={() => setPreview(null)}
            onDrop={(edge, offset) => {
              setPreview(null);
              onBoundaryDrop(edge, offset);
            }}
          />
        )}
      </div>
    </article>
  );
}
