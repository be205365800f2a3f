import { useMemo, useState } from 'react';
import type { Annotation, TagSchema } from '../../../shared/model';
import { annotatorsOf, EMPTY_FILTER, filterAnnotations, isFiltering, labelCounts, toggleLabel, type AnnotationFilter } from './annotationFilter';
import './AnnotationPanel.css';

interface Props {
  schema: TagSchema;
  annotations: readonly Annotation[];
  selectedId: string | null;
  annotator: string | null;
  onPick: (id: string) => void;
  onDelete: (id: string) => void;
}

const MAX_SHOWN = 140;

/**
 * The document's annotations in text order, with a search over span text, notes and attribute
 * values, label chips (with counts) and an annotator filter. Picking one selects it and brings
 * it into view. The filter belongs to the panel and stays while documents change.
 */
export function AnnotationPanel({ schema, annotations, selectedId, annotator, onPick, onDelete }: Props) {
  const [filter, setFilter] = useState<AnnotationFilter>(EMPTY_FILTER);
  const colorOf = (label: string) => schema.labels.find((l) => l.name === label)?.color ?? '#888888';
  const known = (label: string) => schema.labels.some((l) => l.name === label);

  const annotators = useMemo(() => annotatorsOf(annotations), [annotations]);
  // An annotator chosen on another document who has nothing here filters nothing.
  const effective = useMemo<AnnotationFilter>(
    () => (filter.annotator !== null && !annotators.includes(filter.annotator) ? { ...filter, annotator: null } : filter),
    [filter, annotators],
  );
  const shown = useMemo(() => filterAnnotations(annotations, effective), [annotations, effective]);
  const schemaLabels = useMemo(() => schema.labels.map((l) => l.name), [schema]);
  const chips = useMemo(() => labelCounts(annotations, effective, schemaLabels), [annotations, effective, schemaLabels]);
  const filtering = isFiltering(effective);
  const keys = schema.labels.map((l) => l.key).filter((k) => k !== '');

  return (
    <aside className="annotation-panel" aria-label="Annotations">
      <h2>
        Annotations{' '}
        <span className="count" aria-label={filtering ? `${shown.length} shown of ${annotations.length}` : `${annotations.length} annotations`}>
          {filtering ? `${shown.length} of ${annotations.length}` : annotations.length}
        </span>
      </h2>
      {annotations.length === 0 ? (
        <p className="empty-hint">
          No annotations yet. Select text, then press a tag button{keys.length > 0 ? ` or its key (${keys.join(', ')})` : ''}.
        </p>
      ) : (
        <>
          <div className="annotation-filters">
            <input
              type="text"
              className="annotation-search"
              aria-label="Search annotations"
              placeholder="Search text, notes, details"
              spellCheck={false}
              value={filter.text}
              onChange={(e) => setFilter({ ...filter, text: e.target.value })}
              onKeyDown={(e) => {
                if (e.key === 'Escape' && filter.text !== '') {
                  // Escape empties the search first; a second one reaches the document.
                  e.stopPropagation();
                  setFilter({ ...filter, text: '' });
                }
              }}
            />
            <div className="label-filters" role="group" aria-label="Filter by label">
              {chips.map(({ label, count }) => {
                const pressed = effective.labels.includes(label);
                const color = colorOf(label);
                return (
                  <button
                    key={label}
                    type="button"
                    className="label-filter"
                    aria-pressed={pressed}
                    title={pressed ? `Showing ${label}; click to stop filtering by it` : `Show only ${label} (${count})`}
                    style={pressed ? { background: color, borderColor: color } : { borderColor: color }}
                    onClick={() => setFilter(toggleLabel(filter, label))}
                  >
                    <span className="label-filter-swatch" style={{ background: color }} aria-hidden="true" />
                    {label} <span className="label-filter-count">{count}</span>
                  </button>
                );
              })}
            </div>
            {annotators.length > 1 && (
              <select
                className="annotator-filter"
                aria-label="Annotator"
                value={effective.annotator ?? ''}
                onChange={(e) => setFilter({ ...filter, annotator: e.target.value === '' ? null : e.target.value })}
              >
                <option value="">All annotators</option>
                {annotators.map((name) => (
                  <option key={name} value={name}>
                    {name}
                    {name === annotator ? ' (you)' : ''}
                  </option>
                ))}
              </select>
            )}
          </div>
          {shown.length === 0 ? (
            <div className="empty-filter">
              <p className="empty-hint">No annotations match.</p>
              <button type="button" onClick={() => setFilter(EMPTY_FILTER)}>
                Clear filters
              </button>
            </div>
          ) : (
            <ul className="annotation-list">
              {shown.map((a) => (
                <li key={a.id} className={a.id === selectedId ? 'selected' : undefined} data-annotation-id={a.id}>
                  <button type="button" className="annotation-item" aria-current={a.id === selectedId} onClick={() => onPick(a.id)}>
                    {known(a.label) ? (
                      <span className="label-chip" style={{ background: colorOf(a.label) }}>
                        {a.label}
                      </span>
                    ) : (
                      <span className="label-chip unknown" title="Not a label of the tag schema: kept as it is; open it to map it to a label">
                        {a.label} <span className="unknown-mark">unknown label</span>
                      </span>
                    )}
                    <span className="annotation-text">
                      {a.quote.exact.length > MAX_SHOWN ? `${a.quote.exact.slice(0, MAX_SHOWN)}…` : a.quote.exact}
                    </span>
                    <span className="annotator">{a.annotator}</span>
                  </button>
                  {a.annotator === annotator && (
                    <button
                      type="button"
                      className="delete-button"
                      title="Delete this annotation (Delete)"
                      aria-label={`Delete ${a.label}`}
                      onClick={() => onDelete(a.id)}
                    >
                      ×
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
          {filtering && shown.length > 0 && (
            <button type="button" className="clear-filters" onClick={() => setFilter(EMPTY_FILTER)}>
              Clear filters
            </button>
          )}
        </>
      )}
    </aside>
  );
}
