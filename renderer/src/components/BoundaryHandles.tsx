import { useLayoutEffect, useRef, useState } from 'react';

interface Props {
  root: HTMLElement | null;
  start: number;
  end: number;
  /** The DOM range of document offsets, over the paragraphs that are rendered (null when none is). */
  rangeOf: (start: number, end: number) => Range | null;
  /** Changes when the paragraphs the span sits in may have moved. */
  layoutKey: unknown;
  /** The offset under the pointer while dragging, or null when it is not over text. */
  offsetAt: (x: number, y: number) => number | null;
  onPreview: (edge: 'start' | 'end', offset: number) => void;
  onDrop: (edge: 'start' | 'end', offset: number) => void;
  onCancel: () => void;
}

interface Place {
  left: number;
  top: number;
  height: number;
}

/** Two grips at the ends of the selected annotation; dragging one moves that boundary. */
export function BoundaryHandles({ root, start, end, rangeOf, layoutKey, offsetAt, onPreview, onDrop, onCancel }: Props) {
  const [places, setPlaces] = useState<{ start: Place; end: Place } | null>(null);
  // Survives the re-renders the preview causes while dragging.
  const dragged = useRef<number | null>(null);

  useLayoutEffect(() => {
    if (!root) return;
    // Measured from the laid-out text, and again whenever the text reflows.
    const measure = () => {
      const range = rangeOf(start, end);
      const rects = range ? Array.from(range.getClientRects()).filter((r) => r.width > 0) : [];
      const first = rects[0];
      const last = rects.at(-1);
      if (!first || !last) return setPlaces(null);
      const origin = root.getBoundingClientRect();
      setPlaces({
        start: { left: first.left - origin.left, top: first.top - origin.top, height: first.height },
        end: { left: last.right - origin.left, top: last.top - origin.top, height: last.height },
      });
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(root);
    return () => observer.disconnect();
  }, [root, start, end, rangeOf, layoutKey]);

  if (!places) return null;
  const grip = (edge: 'start' | 'end') => (
      <span
        key={edge}
        className={`boundary-handle ${edge}`}
        role="slider"
        aria-label={edge === 'start' ? 'Start of the annotation' : 'End of the annotation'}
        aria-valuenow={edge === 'start' ? start : end}
        style={{ left: places[edge].left, top: places[edge].top, height: places[edge].height }}
        onPointerDown={(event) => {
          event.preventDefault();
          event.stopPropagation();
          event.currentTarget.setPointerCapture(event.pointerId);
          dragged.current = null;
        }}
        onPointerMove={(event) => {
          if (!event.currentTarget.hasPointerCapture(event.pointerId)) return;
          const offset = offsetAt(event.clientX, event.clientY);
          if (offset !== null && offset !== dragged.current) {
            dragged.current = offset;
            onPreview(edge, offset);
          }
        }}
        onPointerUp={(event) => {
          event.stopPropagation();
          event.currentTarget.releasePointerCapture(event.pointerId);
          if (dragged.current === null) onCancel();
          else onDrop(edge, dragged.current);
        }}
        onMouseUp={(event) => event.stopPropagation()}
      />
  );
  return (
    <>
      {grip('start')}
      {grip('end')}
    </>
  );
}
