import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useDeferredValue, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Annotation, TagSchema } from '../../../shared/model';
import { positionsById } from '../reading/positions';
import { useOffsetWithin } from '../reading/useOffsetWithin';
import { inkOn } from '../theme/palette';
import { useRemembered } from '../hooks/useViewMemory';
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
const NONE: readonly Annotation[] = [];
/** A one-line item; items are measured once rendered. */
const ESTIMATED_ITEM_HEIGHT = 58;
/** Items rendered beyond each edge of the panel. */
const OVERSCAN = 10;

interface ItemProps {
  annotation: Annotation;
  index: number;
  top: number;
  selected: boolean;
  color: string | null;
  deletable: boolean;
  measure: (element: HTMLElement | null) => void;
  onPick: (id: string) => void;
  onDelete: (id: string) => void;
}

/** One annotation of the list, placed where the window puts it. */
const AnnotationItem = memo(function AnnotationItem({ annotation: a, index, top, selected, color, deletable, measure, onPick, onDelete }: ItemProps) {
  return (
    <li ref={measure} data-index={index} className={selected ? 'selected' : undefined} data-annotation-id={a.id} style={{ top }}>
      <button type="button" className="annotation-item" aria-current={selected} onClick={() => onPick(a.id)}>
        {color !== null ? (
          <span className="label-chip" style={{ background: color, color: inkOn(color) }}>
            {a.label}
          </span>
        ) : (
          <span className="label-chip unknown" title="Not a label of the tag schema: kept as it is; open it to map it to a label">
            {a.label} <span className="unknown-mark">unknown label</span>
          </span>
        )}
        <span className="annotation-text">{a.quote.exact.length > MAX_SHOWN ? `${a.quote.exact.slice(0, MAX_SHOWN)}…` : a.quote.exact}</span>
        <span className="annotator">
          {a.annotator}
          {a.origin === 'suggested' && <span title="Accepted from Margin's suggestions"> · suggested</span>}
        </span>
      </button>
      {deletable && (
        <button type="button" className="delete-button" title="Delete this annotation (Delete)" aria-label={`Delete ${a.label}`} onClick={() => onDelete(a.id)}>
          ×
        </button>
      )}
    </li>
  );
});

/**
 * The document's annotations in text order, with a search over span text, notes and attribute
 * values, label chips (with counts) and an annotator filter. Picking one selects it and brings
 * it into view. The filter stays while documents change, and is remembered per project. Only the items
 * near the panel's viewport are rendered; the selected one is scrolled into the panel.
 */
export function AnnotationPanel({ schema, annotations, selectedId, annotator, onPick, onDelete }: Props) {
  const [filter, setFilter] = useRemembered('annotationFilter');
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  const [list, setList] = useState<HTMLElement | null>(null);
  const colors = useMemo(() => new Map(schema.labels.map((l) => [l.name, l.color])), [schema]);
  const colorOf = (label: string) => colors.get(label) ?? '#888888';
  // The items keep the same handlers across renders, so a change of selection re-renders two items, not all.
  const handlers = useRef({ onPick, onDelete });
  useLayoutEffect(() => {
    handlers.current = { onPick, onDelete };
  });
  const pick = useCallback((id: string) => handlers.current.onPick(id), []);
  const remove = useCallback((id: string) => handlers.current.onDelete(id), []);

  // The list, chips and filters follow the annotations a render behind: opening a document with
  // thousands paints its text first, and the panel fills in right after, without holding it up.
  const listed = useDeferredValue(annotations, NONE);
  const catchingUp = listed !== annotations;
  const annotators = useMemo(() => annotatorsOf(listed), [listed]);
  // Typing in the search box stays responsive however long the list: the filtering may lag a key behind.
  const searched = useDeferredValue(filter);
  // An annotator chosen on another document who has nothing here filters nothing.
  const effective = useMemo<AnnotationFilter>(
    () => (searched.annotator !== null && !annotators.includes(searched.annotator) ? { ...searched, annotator: null } : searched),
    [searched, annotators],
  );
  const filtering = isFiltering(effective);
  const shown = useMemo(() => (filtering ? filterAnnotations(listed, effective) : listed), [listed, effective, filtering]);
  const schemaLabels = useMemo(() => schema.labels.map((l) => l.name), [schema]);
  const chips = useMemo(() => labelCounts(listed, effective, schemaLabels), [listed, effective, schemaLabels]);
  const keys = schema.labels.map((l) => l.key).filter((k) => k !== '');
  const positionOf = useMemo(() => positionsById(shown), [shown]);

  const scrollMargin = useOffsetWithin(scroller, list);
  const getItemKey = useCallback((index: number) => shown[index]!.id, [shown]);
  // The build does not run the React Compiler; the virtualizer re-renders this component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer<HTMLElement, HTMLElement>({
    count: shown.length,
    getScrollElement: () => scroller,
    estimateSize: () => ESTIMATED_ITEM_HEIGHT,
    getItemKey,
    overscan: OVERSCAN,
    scrollMargin,
  });
  // The selected annotation, however it was chosen (a click in the text, J/K), is shown in the list.
  const selectedPosition = positionOf(selectedId);
  useEffect(() => {
    if (selectedPosition !== undefined) virtualizer.scrollToIndex(selectedPosition, { align: 'auto' });
  }, [selectedId, selectedPosition, virtualizer]);

  return (
    <aside ref={setScroller} className="annotation-panel" aria-label="Annotations">
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
                    style={pressed ? { background: color, borderColor: color, color: inkOn(color) } : { borderColor: color }}
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
          {shown.length === 0 && catchingUp ? null : shown.length === 0 ? (
            <div className="empty-filter">
              <p className="empty-hint">No annotations match.</p>
              <button type="button" onClick={() => setFilter(EMPTY_FILTER)}>
                Clear filters
              </button>
            </div>
          ) : (
            <ul ref={setList} className="annotation-list virtual" style={{ height: virtualizer.getTotalSize() }}>
              {virtualizer.getVirtualItems().map((item) => {
                const a = shown[item.index]!;
                return (
                  <AnnotationItem
                    key={item.key as string}
                    annotation={a}
                    index={item.index}
                    top={item.start - scrollMargin}
                    selected={a.id === selectedId}
                    color={colors.get(a.label) ?? null}
                    deletable={a.annotator === annotator}
                    measure={virtualizer.measureElement}
                    onPick={pick}
                    onDelete={remove}
                  />
                );
              })}
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
