import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import type { DocumentView } from '../../../shared/api';
import type { Annotation, TagSchema } from '../../../shared/model';
import { snapToWords, type Span } from '../../../shared/selection';
import { SpanIndex } from '../../../shared/spanIndex';
import { paragraphsOf } from '../../../shared/text';
import { offsetOfPoint, ParagraphMap } from '../highlights/domOffsets';
import { clearHighlights, installHighlightStyles, paintHighlights } from '../highlights/paintHighlights';

interface Props {
  doc: DocumentView;
  schema: TagSchema;
  annotations: readonly Annotation[];
  selectedId: string | null;
  /** Bumped when the panel asks to bring an annotation into view. */
  scrollRequest: { id: string; nonce: number } | null;
  onSelect: (id: string | null) => void;
  onPendingChange: (span: Span | null) => void;
}

/** Document offset of the character under the pointer, or null when the pointer is not over text. */
function charOffsetAt(root: HTMLElement, x: number, y: number): number | null {
  const caret = document.caretPositionFromPoint?.(x, y);
  if (!caret || caret.offsetNode.nodeType !== Node.TEXT_NODE) return null;
  const text = caret.offsetNode as Text;
  const offset = offsetOfPoint(root, text, caret.offset);
  if (offset === null) return null;
  // The caret sits between two characters: take the one whose box holds the pointer.
  for (const local of [caret.offset, caret.offset - 1]) {
    if (local < 0 || local >= text.length) continue;
    const range = document.createRange();
    range.setStart(text, local);
    range.setEnd(text, local + 1);
    for (const rect of range.getClientRects()) {
      if (x >= rect.left && x <= rect.right && y >= rect.top && y <= rect.bottom) return offset + (local - caret.offset);
    }
  }
  return null;
}

/**
 * The article as paragraphs, with highlights painted over it and the selection turned into
 * document offsets. Text nodes are never split, so offsets map straight onto the DOM.
 */
export function ReadingView({ doc, schema, annotations, selectedId, scrollRequest, onSelect, onPendingChange }: Props) {
  const rootRef = useRef<HTMLDivElement>(null);
  const paragraphs = useMemo(() => paragraphsOf(doc.text), [doc.text]);
  const index = useMemo(() => new SpanIndex(annotations), [annotations]);

  useEffect(() => installHighlightStyles(schema), [schema]);
  useEffect(() => clearHighlights, []);

  useLayoutEffect(() => {
    if (rootRef.current) paintHighlights(new ParagraphMap(rootRef.current), schema, annotations, selectedId);
  }, [schema, annotations, selectedId, paragraphs]);

  useEffect(() => {
    const onChange = () => {
      const root = rootRef.current;
      const selection = document.getSelection();
      if (!root || !selection || selection.rangeCount === 0 || selection.isCollapsed) return onPendingChange(null);
      const range = selection.getRangeAt(0);
      const start = offsetOfPoint(root, range.startContainer, range.startOffset);
      const end = offsetOfPoint(root, range.endContainer, range.endOffset);
      onPendingChange(start === null || end === null ? null : snapToWords(doc.text, start, end));
    };
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }, [doc.text, onPendingChange]);

  useEffect(() => {
    const root = rootRef.current;
    const target = scrollRequest && annotations.find((a) => a.id === scrollRequest.id);
    if (!root || !target) return;
    new ParagraphMap(root).paragraphAt(target.start)?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    // Only a new request scrolls; edits to the list must not yank the view around.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scrollRequest]);

  const onMouseUp = (event: React.MouseEvent) => {
    const root = rootRef.current;
    const selection = document.getSelection();
    if (!root || !selection) return;
    if (!selection.isCollapsed && selection.rangeCount > 0) {
      // Show the analyst exactly what will be tagged: the selection snapped to whole words.
      const range = selection.getRangeAt(0);
      const start = offsetOfPoint(root, range.startContainer, range.startOffset);
      const end = offsetOfPoint(root, range.endContainer, range.endOffset);
      const snapped = start === null || end === null ? null : snapToWords(doc.text, start, end);
      const snappedRange = snapped && new ParagraphMap(root).range(snapped.start, snapped.end);
      if (snappedRange) {
        selection.removeAllRanges();
        selection.addRange(snappedRange);
      } else {
        selection.removeAllRanges();
      }
      return;
    }
    const offset = charOffsetAt(root, event.clientX, event.clientY);
    const hits = offset === null ? [] : index.containing(offset);
    if (hits.length === 0) return onSelect(null);
    // Innermost first; clicking again on the same spot walks outwards through the overlaps.
    const current = hits.findIndex((h) => h.id === selectedId);
    onSelect(hits[(current + 1) % hits.length]!.id);
  };

  return (
    <article className="reading-view" aria-label={doc.title}>
      <div ref={rootRef} className="reading-text" onMouseUp={onMouseUp} data-testid="reading-text">
        {paragraphs.map((p) => (
          <p key={p.start} data-start={p.start} data-end={p.end}>
            {doc.text.slice(p.start, p.end)}
          </p>
        ))}
      </div>
    </article>
  );
}
