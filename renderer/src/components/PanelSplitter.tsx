import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { clampWidth, PANEL_WIDTHS, type PanelName, type ViewMemory } from '../../../shared/viewMemory';

interface Props {
  panel: PanelName;
  widths: ViewMemory['panelWidths'];
  onResize: (widths: ViewMemory['panelWidths']) => void;
}

/**
 * Each panel's edge: its name, the CSS variable on the workspace that sets its width, and which
 * way a drag to the right moves that width (the list grows, the right-hand column shrinks).
 */
const EDGES: Record<PanelName, { label: string; cssVariable: string; direction: 1 | -1; other: PanelName }> = {
  list: { label: 'Resize the document list', cssVariable: '--list-width', direction: 1, other: 'side' },
  side: { label: 'Resize the annotation panel', cssVariable: '--side-width', direction: -1, other: 'list' },
};

/** The article keeps at least this much room, whatever the panels' widths. */
const MIN_ARTICLE_WIDTH = 320;
/** The grid whose columns the panels' widths set. */
const workspaceOf = (splitter: HTMLElement) => splitter.closest<HTMLElement>('.workspace');
/** One arrow key press; with Shift, a bigger step. */
const KEY_STEP = 16;

/**
 * The edge between a side panel and the article: drag it (or focus it and use ←/→, Home, End)
 * to resize the panel. While dragging, the width is set on the workspace directly, without a
 * render per pointer move; the width the drag ends on is handed to onResize, which remembers it.
 */
export function PanelSplitter({ panel, widths, onResize: resize }: Props) {
  const { label, cssVariable, direction, other } = EDGES[panel];
  const width = widths[panel];
  const otherWidth = widths[other];
  const onResize = (value: number) => resize({ ...widths, [panel]: value });
  const drag = useRef<{ x: number; width: number; last: number } | null>(null);
  const { min, max } = PANEL_WIDTHS[panel];

  /** Within the panel's range, and leaving the article its room beside both panels. */
  const fit = (splitter: HTMLElement, value: number) => {
    const room = (workspaceOf(splitter)?.clientWidth ?? window.innerWidth) - otherWidth - MIN_ARTICLE_WIDTH;
    return clampWidth(panel, Math.min(value, Math.max(min, room)));
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { x: event.clientX, width, last: width };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const at = drag.current;
    if (!at) return;
    at.last = fit(event.currentTarget, at.width + direction * (event.clientX - at.x));
    workspaceOf(event.currentTarget)?.style.setProperty(cssVariable, `${at.last}px`);
  };
  const onPointerEnd = () => {
    const at = drag.current;
    drag.current = null;
    if (at && at.last !== width) onResize(at.last);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? KEY_STEP * 4 : KEY_STEP;
    const next =
      event.key === 'ArrowRight' ? width + direction * step : event.key === 'ArrowLeft' ? width - direction * step : event.key === 'Home' ? min : event.key === 'End' ? max : null;
    if (next === null) return;
    event.preventDefault();
    event.stopPropagation();
    onResize(fit(event.currentTarget, next));
  };

  return (
    <div
      className={`panel-splitter ${panel}`}
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuemin={min}
      aria-valuemax={max}
      aria-valuenow={width}
      title={`${label}: drag, or focus it and use ← →`}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerEnd}
      onPointerCancel={onPointerEnd}
      onKeyDown={onKeyDown}
    />
  );
}
