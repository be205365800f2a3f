import { useLayoutEffect, useRef, useState } from 'react';
import { edgePlace, type EdgePlace } from '../reading/edges';

interface Props {
  root: HTMLElement | null;
  /** The document text, for the direction of the characters at the ends. */
  text: string;
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

const GRIP_WIDTH = 12;
const GRIP_HEIGHT = 9;

/**
 * Where a grip goes: in the free space above the line where the span starts and below the line
 * where it ends, never on a letter, so that a drag which starts on the text always selects text
 * (issue 11). A thin mark through the line shows the boundary itself; it takes no pointer events.
 */
function gripBox(place: EdgePlace, edge: 'start' | 'end') {
  const height = Math.max(4, Math.min(GRIP_HEIGHT, place.gap - 1));
  return {
    grip: { left: place.x - GRIP_WIDTH / 2, top: edge === 'start' ? place.top - height : place.bottom, width: GRIP_WIDTH, height },
    mark: { left: place.x - 1, top: place.top, height: place.bottom - place.top },
  };
}

/** Two grips at the ends of the selected annotation; dragging one moves that boundary. */
export function BoundaryHandles({ root, text, start, end, rangeOf, layoutKey, offsetAt, onPreview, onDrop, onCancel }: Props) {
  const [places, setPlaces] = useState<{ start: EdgePlace | null; end: EdgePlace | null }>({ start: null, end: null });
  // Survives the re-renders the preview causes while dragging.
  const dragged = useRef<number | null>(null);

  useLayoutEffect(() => {
    if (!root) return;
    // Measured from the laid-out text, and again whenever the text reflows.
    const measure = () => {
      const origin = root.getBoundingClientRect();
      // Each end on its own: one may lie in a paragraph that is not rendered.
      setPlaces({ start: edgePlace(text, start, 'start', rangeOf, origin), end: edgePlace(text, end, 'end', rangeOf, origin) });
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(root);
    return () => observer.disconnect();
  }, [root, text, start, end, rangeOf, layoutKey]);

  const grip = (edge: 'start' | 'end') => {
    const place = places[edge];
    if (!place) return null;
    const box = gripBox(place, edge);
    return [
      <span key={`${edge}-mark`} className={`boundary-mark ${edge}`} aria-hidden style={box.mark} />,
      <span
        key={edge}
        className={`boundary-handle ${edge}`}
        role="slider"
        aria-label={edge === 'start' ? 'Start of the annotation' : 'End of the annotation'}
        aria-valuenow={edge === 'start' ? start : end}
        style={box.grip}
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
      />,
    ];
  };
  return (
    <>
      {grip('start')}
      {grip('end')}
    </>
  );
}
