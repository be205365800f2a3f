import { useLayoutEffect, useState } from 'react';
import type { Relation } from '../../../shared/model';
import type { Span } from '../../../shared/selection';

interface Props {
  root: HTMLElement | null;
  /** The bounds of an annotation, by id. */
  spanOf: (id: string) => Span | undefined;
  /** The DOM range of document offsets, over the paragraphs that are rendered (null when none is). */
  rangeOf: (start: number, end: number) => Range | null;
  /** The links to draw: those of the selected annotation. */
  relations: readonly Relation[];
  /** Changes when the layout may have changed (text, annotations, paragraphs moved). */
  layoutKey: unknown;
}

interface Arc {
  id: string;
  path: string;
  label: string;
  x: number;
  y: number;
}

/** Attribution links drawn as arcs over the text, from the top of one span to the top of the other. */
export function LinkArcs({ root, spanOf, rangeOf, relations, layoutKey }: Props) {
  const [arcs, setArcs] = useState<Arc[]>([]);
  const [size, setSize] = useState({ width: 0, height: 0 });

  useLayoutEffect(() => {
    // Nothing to draw: no measuring (it would force a layout on every scroll of the window).
    if (!root || relations.length === 0) return;
    const measure = () => {
      const origin = root.getBoundingClientRect();
      const anchor = (id: string) => {
        const a = spanOf(id);
        const rect = a && rangeOf(a.start, a.end)?.getClientRects()[0];
        return rect ? { x: rect.left - origin.left + rect.width / 2, y: rect.top - origin.top } : null;
      };
      const next: Arc[] = [];
      for (const r of relations) {
        const from = anchor(r.from);
        const to = anchor(r.to);
        if (!from || !to) continue;
        const lift = Math.min(80, 24 + Math.abs(to.x - from.x) / 6 + Math.abs(to.y - from.y) / 4);
        const top = Math.min(from.y, to.y) - lift;
        next.push({
          id: r.id,
          path: `M ${from.x} ${from.y} C ${from.x} ${top}, ${to.x} ${top}, ${to.x} ${to.y}`,
          label: r.type,
          x: (from.x + to.x) / 2,
          y: top + lift / 4,
        });
      }
      setArcs(next);
      setSize({ width: root.scrollWidth, height: root.scrollHeight });
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(root);
    return () => observer.disconnect();
  }, [root, spanOf, rangeOf, relations, layoutKey]);

  if (arcs.length === 0 || relations.length === 0) return null;
  return (
    <svg className="link-arcs" width={size.width} height={size.height} aria-hidden data-testid="link-arcs">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" />
        </marker>
      </defs>
      {arcs.map((arc) => (
        <g key={arc.id}>
          <path d={arc.path} markerEnd="url(#arrow)" />
          <text x={arc.x} y={arc.y}>
            {arc.label}
          </text>
        </g>
      ))}
    </svg>
  );
}
