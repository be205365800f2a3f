import { useCallback, useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { DocumentView } from '../../../shared/api';
import type { Annotation, Relation, TagSchema } from '../../../shared/model';
import { snapToWords, type Span } from '../../../shared/selection';
import { SpanIndex } from '../../../shared/spanIndex';
import { paragraphsOf } from '../../../shared/text';
import { offsetOfPoint, ParagraphMap } from '../highlights/domOffsets';
import { clearHighlights, installHighlightStyles, paintHighlights, type Preview } from '../highlights/paintHighlights';
import { BoundaryHandles } from './BoundaryHandles';
import { LinkArcs } from './LinkArcs';

export interface FindState {
  matches: readonly Span[];
  current: number;
}

interface Props {
  doc: DocumentView;
  schema: TagSchema;
  annotations: readonly Annotation[];
  /** Links to draw (the selected annotation's). */
  links: readonly Relation[];
  selectedId: string | null;
  /** Boundaries of the selected annotation can be dragged when it is the annotator's own. */
  editable: boolean;
  /** Bumped when the panel asks to bring an annotation into view. */
  scrollRequest: { id: string; nonce: number } | null;
  find: FindState | null;
  onSelect: (id: string | null) => void;
  onPendingChange: (span: Span | null) => void;
  /** A mouse selection has just been finished (snapped): link mode tags it on the fly. */
  onSelectionDone: (span: Span) => void;
  onBoundaryDrop: (edge: 'start' | 'end', offset: number) => void;
  paintFind: (map: ParagraphMap, find: FindState | null) => void;
  /** Shown above the text, scrolling with it (the article's details). */
  header?: React.ReactNode;
  /** Filled with a reader of the live selection: a key pressed right after Shift+Arrow must see it. */
  selectionReader?: React.Ref<() => Span | null>;
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

/**
 * The article as paragraphs, with highlights painted over it and the selection turned into
 * document offsets. Text nodes are never split, so offsets map straight onto the DOM.
 */
export function ReadingView(props: Props) {
  const { doc, schema, annotations, links, selectedId, editable, scrollRequest, find } = props;
  const { onSelect, onPendingChange, onSelectionDone, onBoundaryDrop, paintFind, header, selectionReader } = props;
  const rootRef = useRef<HTMLDivElement>(null);
  const [root, setRoot] = useState<HTMLDivElement | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const paragraphs = useMemo(() => paragraphsOf(doc.text), [doc.text]);
  const index = useMemo(() => new SpanIndex(annotations), [annotations]);
  const selected = annotations.find((a) => a.id === selectedId) ?? null;

  useEffect(() => installHighlightStyles(schema), [schema]);
  useEffect(() => clearHighlights, []);
  useLayoutEffect(() => setRoot(rootRef.current), []);

  useLayoutEffect(() => {
    if (rootRef.current) paintHighlights(new ParagraphMap(rootRef.current), schema, annotations, selectedId, preview);
  }, [schema, annotations, selectedId, preview, paragraphs]);

  useLayoutEffect(() => {
    if (rootRef.current) paintFind(new ParagraphMap(rootRef.current), find);
  }, [find, paintFind, paragraphs]);
  useEffect(() => () => paintFind(new ParagraphMap(document.createElement('div')), null), [paintFind]);

  useEffect(() => {
    const match = find?.matches[find.current];
    if (match && rootRef.current) new ParagraphMap(rootRef.current).paragraphAt(match.start)?.scrollIntoView({ block: 'center' });
  }, [find]);

  const readSelection = useCallback((): Span | null => {
    const el = rootRef.current;
    const selection = document.getSelection();
    if (!el || !selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    const start = offsetOfPoint(el, range.startContainer, range.startOffset);
    const end = offsetOfPoint(el, range.endContainer, range.endOffset);
    return start === null || end === null ? null : snapToWords(doc.text, start, end);
  }, [doc.text]);

  useImperativeHandle(selectionReader, () => readSelection, [readSelection]);

  useEffect(() => {
    const onChange = () => onPendingChange(readSelection());
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }, [readSelection, onPendingChange]);

  useEffect(() => {
    const el = rootRef.current;
    const target = scrollRequest && annotations.find((a) => a.id === scrollRequest.id);
    if (!el || !target) return;
    new ParagraphMap(el).paragraphAt(target.start)?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    // Only a new request scrolls; edits to the list must not yank the view around.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scrollRequest]);

  const onMouseUp = (event: React.MouseEvent) => {
    const el = rootRef.current;
    const selection = document.getSelection();
    if (!el || !selection) return;
    if (!selection.isCollapsed && selection.rangeCount > 0) {
      // Show the analyst exactly what will be tagged: the selection snapped to whole words.
      const range = selection.getRangeAt(0);
      const start = offsetOfPoint(el, range.startContainer, range.startOffset);
      const end = offsetOfPoint(el, range.endContainer, range.endOffset);
      const snapped = start === null || end === null ? null : snapToWords(doc.text, start, end);
      const snappedRange = snapped && new ParagraphMap(el).range(snapped.start, snapped.end);
      selection.removeAllRanges();
      if (snapped && snappedRange) {
        selection.addRange(snappedRange);
        onSelectionDone(snapped);
      }
      return;
    }
    const offset = charOffsetAt(el, event.clientX, event.clientY);
    const hits = offset === null ? [] : index.containing(offset);
    if (hits.length === 0) return onSelect(null);
    // Innermost first; clicking again on the same spot walks outwards through the overlaps.
    const current = hits.findIndex((h) => h.id === selectedId);
    onSelect(hits[(current + 1) % hits.length]!.id);
  };

  const boundaryAt = useCallback((x: number, y: number) => (rootRef.current ? (caretOffsetAt(rootRef.current, x, y)?.offset ?? null) : null), []);
  const previewEdge = useCallback(
    (edge: 'start' | 'end', offset: number) => {
      if (!selected) return;
      const start = edge === 'start' ? Math.min(offset, selected.end - 1) : selected.start;
      const end = edge === 'end' ? Math.max(offset, selected.start + 1) : selected.end;
      setPreview({ id: selected.id, start, end });
    },
    [selected],
  );

  return (
    <article className="reading-view" aria-label={doc.title}>
      {header}
      <div ref={rootRef} className="reading-text" onMouseUp={onMouseUp} data-testid="reading-text">
        {paragraphs.map((p) => (
          <p key={p.start} data-start={p.start} data-end={p.end}>
            {doc.text.slice(p.start, p.end)}
          </p>
        ))}
        <LinkArcs root={root} annotations={annotations} relations={links} layoutKey={paragraphs} />
        {selected && editable && (
          <BoundaryHandles
            root={root}
            start={preview?.start ?? selected.start}
            end={preview?.end ?? selected.end}
            layoutKey={paragraphs}
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
