import { memo } from 'react';
import type { DocStatus, DocumentSummary } from '../../../shared/model';
import { labelText } from '../theme/palette';
import { STATUS_TEXT, statusesText } from './documentSort';

export const STATUS_GLYPH: Record<DocStatus, string> = { 'not-started': '○', 'in-progress': '◐', done: '✓' };

const UNKNOWN_LABEL_COLOR = '#888888';

interface Props {
  doc: DocumentSummary;
  index: number;
  /** How many documents the list holds: screen readers announce "n of total" though few rows exist. */
  total: number;
  top: number;
  current: boolean;
  /** The list's one Tab stop; the arrow keys move it. */
  tabbable: boolean;
  colors: ReadonlyMap<string, string>;
  labelOrder: ReadonlyMap<string, number>;
  measure: (element: HTMLElement | null) => void;
  onOpen: (id: string) => void;
}

/** The labels with annotations, in the schema's order (labels it lacks last, by name). */
function countsOf(doc: DocumentSummary, labelOrder: ReadonlyMap<string, number>): [string, number][] {
  return Object.entries(doc.labelCounts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => (labelOrder.get(a) ?? Infinity) - (labelOrder.get(b) ?? Infinity) || a.localeCompare(b));
}

/** One document of the list, placed where the window puts it: status, title, per-label counts. */
export const DocumentRow = memo(function DocumentRow({ doc: d, index, total, top, current, tabbable, colors, labelOrder, measure, onOpen }: Props) {
  const several = Object.keys(d.statuses).length > 1;
  const statusTitle = `Your status: ${STATUS_TEXT[d.status].toLowerCase()}${several ? `\n${statusesText(d.statuses)}` : ''}`;
  const counts = countsOf(d, labelOrder);
  return (
    <li ref={measure} data-index={index} data-document-id={d.id} aria-setsize={total} aria-posinset={index + 1} style={{ top }}>
      <button type="button" className="document-item" aria-current={current} tabIndex={tabbable ? 0 : -1} title={d.title} onClick={() => onOpen(d.id)}>
        <span className={`doc-status ${d.status}`} role="img" aria-label={STATUS_TEXT[d.status]} title={statusTitle}>
          {STATUS_GLYPH[d.status]}
          {several && <span className="doc-status-others" aria-hidden="true" />}
        </span>
        <span className="document-main">
          <span className="document-title">{d.title}</span>
          {counts.length > 0 && (
            <span className="doc-label-counts">
              {counts.map(([label, n]) => {
                const color = colors.get(label) ?? UNKNOWN_LABEL_COLOR;
                return (
                  <span key={label} className="doc-label-count" style={{ color: labelText(color) }} title={`${label}: ${n}`} aria-label={`${n} ${label}`}>
                    <span className="doc-label-dot" style={{ background: color }} aria-hidden="true" />
                    {n}
                  </span>
                );
              })}
            </span>
          )}
        </span>
        {d.problem && (
          <span className="problem" role="img" aria-label="Problem" title={d.problem}>
            ⚠
          </span>
        )}
        <span className="count" aria-label={`${d.annotationCount} annotations`}>
          {d.annotationCount}
        </span>
      </button>
    </li>
  );
});
