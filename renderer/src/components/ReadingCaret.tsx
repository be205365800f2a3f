import { useLayoutEffect, useState } from 'react';
import { edgePlace, type EdgePlace } from '../reading/edges';

interface Props {
  root: HTMLElement | null;
  text: string;
  offset: number;
  rangeOf: (start: number, end: number) => Range | null;
  /** Changes when the paragraph the caret sits in may have moved. */
  layoutKey: unknown;
}

/** The keyboard caret of the reading view: a thin bar after the character before it, shown while the view has the focus (CSS). */
export function ReadingCaret({ root, text, offset, rangeOf, layoutKey }: Props) {
  const [place, setPlace] = useState<EdgePlace | null>(null);
  useLayoutEffect(() => {
    if (!root) return;
    const measure = () => setPlace(edgePlace(text, offset, 'end', rangeOf, root.getBoundingClientRect()));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(root);
    return () => observer.disconnect();
  }, [root, text, offset, rangeOf, layoutKey]);
  if (!place) return null;
  return <span className="reading-caret" data-testid="reading-caret" aria-hidden style={{ left: place.x - 1, top: place.top, height: place.bottom - place.top }} />;
}
