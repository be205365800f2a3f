import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SuggestionView } from '../../../shared/api';
import type { TagSchema } from '../../../shared/model';
import { typingInField } from '../hooks/actions';
import { useOffsetWithin } from '../reading/useOffsetWithin';
import type { SuggestionsState } from '../hooks/useSuggestions';
import './SuggestionList.css';

interface Props {
  schema: TagSchema;
  state: SuggestionsState;
  /** The analyst can accept (they have a name, and the view is theirs to edit). */
  canAccept: boolean;
  onPick: (key: string) => void;
  onAccept: (keys: string[]) => void;
  onReject: (keys: string[]) => void;
  onAcceptOnScreen: () => void;
  onOpenSettings: () => void;
}

const MAX_SHOWN = 140;
/** Items are measured once rendered; only those near the panel's viewport are. */
const ESTIMATED_ITEM_HEIGHT = 64;
const OVERSCAN = 6;

/** What an accepted suggestion will carry, in a line: "speaker: Blinken", "date: 2024-08-19". */
function detailsOf(s: SuggestionView): string {
  return Object.entries(s.attributes)
    .filter(([, v]) => v !== '' && v !== false && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
    .join(' · ');
}

interface ItemProps {
  suggestion: SuggestionView;
  index: number;
  top: number;
  measure: (element: HTMLElement | null) => void;
  color: string;
  selected: boolean;
  canAccept: boolean;
  onPick: (key: string) => void;
  onAccept: (keys: string[]) => void;
  onReject: (keys: string[]) => void;
}

const SuggestionItem = memo(function SuggestionItem({ suggestion: s, index, top, measure, color, selected, canAccept, onPick, onAccept, onReject }: ItemProps) {
  const details = detailsOf(s);
  // Selected (J/K, a click in the text): the focus comes here, so Enter accepts this one rather
  // than pressing the button clicked last. A field being typed in keeps the focus.
  const button = useRef<HTMLButtonElement | null>(null);
  useEffect(() => {
    if (selected && !typingInField(document.activeElement)) button.current?.focus({ preventScroll: true });
  }, [selected]);
  return (
    <li ref={measure} data-index={index} style={{ top }} className={selected ? 'selected' : undefined} data-suggestion-key={s.key}>
      <button ref={button} type="button" className="suggestion-item" aria-current={selected} onClick={() => onPick(s.key)}>
        <span className="suggestion-chip" style={{ borderColor: color }}>
          {s.label}
        </span>
        <span className="suggestion-text">{s.text.length > MAX_SHOWN ? `${s.text.slice(0, MAX_SHOWN)}…` : s.text}</span>
        {details && <span className="suggestion-details">{details}</span>}
        {s.from.kind === 'copy' && <span className="suggestion-from">as you tagged it in “{s.from.title}”</span>}
      </button>
      {canAccept && (
        <span className="suggestion-actions">
          <button type="button" title="Accept (Enter or A)" aria-label={`Accept ${s.label}`} onClick={() => onAccept([s.key])}>
            ✓
          </button>
          <button type="button" title="Reject (X)" aria-label={`Reject ${s.label}`} onClick={() => onReject([s.key])}>
            ✕
          </button>
        </span>
      )}
    </li>
  );
});

/**
 * The document's suggestions, apart from the annotations: counts per label, the list in text
 * order, and the ways to accept them. Nothing here is anyone's work until accepted.
 */
export function SuggestionList({ schema, state, canAccept, onPick, onAccept, onReject, onAcceptOnScreen, onOpenSettings }: Props) {
  const { enabled, loading, problem, suggestions, rejected, selectedKey } = state;
  const colors = useMemo(() => new Map(schema.labels.map((l) => [l.name, l.color])), [schema]);
  const counts = useMemo(() => {
    const byLabel = new Map<string, number>();
    for (const s of suggestions) byLabel.set(s.label, (byLabel.get(s.label) ?? 0) + 1);
    // In the schema's order, as the tag buttons and the annotation list's chips.
    const order = schema.labels.map((l) => l.name);
    return [...byLabel].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
  }, [suggestions, schema]);
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  const [list, setList] = useState<HTMLUListElement | null>(null);
  const scrollMargin = useOffsetWithin(scroller, list);
  const getItemKey = useCallback((index: number) => suggestions[index]!.key, [suggestions]);
  // The build does not run the React Compiler; the virtualizer re-renders this component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer<HTMLElement, HTMLElement>({
    count: suggestions.length,
    getScrollElement: () => scroller,
    estimateSize: () => ESTIMATED_ITEM_HEIGHT,
    getItemKey,
    overscan: OVERSCAN,
    scrollMargin,
  });
  const selectedIndex = selectedKey === null ? -1 : suggestions.findIndex((s) => s.key === selectedKey);
  // The selected one (J/K, a click in the text) is brought into the list's view and takes the
  // focus, so Enter accepts it rather than pressing the button clicked last; a field being typed in keeps it.
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  return (
    <section ref={setScroller} className="suggestion-panel" aria-label="Suggestions">
      <h2>
        Suggestions{' '}
        {enabled && !loading && (
          <span className="count" aria-label={`${suggestions.length} suggestions`}>
            {suggestions.length}
          </span>
        )}
      </h2>
      {!enabled ? (
        <p className="empty-hint">
          Suggestions are off in this project.{' '}
          <button type="button" className="link-button" onClick={onOpenSettings}>
            Project settings…
          </button>
        </p>
      ) : problem ? (
        <p className="empty-hint">{problem}</p>
      ) : loading ? (
        <p className="empty-hint" role="status">
          Looking for quotes, sources, claims and events…
        </p>
      ) : suggestions.length === 0 ? (
        <p className="empty-hint">
          No suggestions left on this article{rejected > 0 ? ` (${rejected} rejected)` : ''}.
        </p>
      ) : (
        <>
          <p className="suggestion-counts">
            {counts.map(([label, n]) => (
              <span key={label} className="suggestion-count" style={{ borderColor: colors.get(label) ?? '#888888' }}>
                {label} <b>{n}</b>
              </span>
            ))}
            {rejected > 0 && <span className="suggestion-rejected">{rejected} rejected</span>}
          </p>
          {canAccept && (
            <p className="suggestion-bulk">
              <button type="button" onClick={onAcceptOnScreen} title="Accept only the suggestions you can see now (Shift+A)">
                Accept the suggestions on screen
              </button>
            </p>
          )}
          <p className="suggestion-keys">
            <kbd>J</kbd>/<kbd>K</kbd> step · <kbd>Enter</kbd> or <kbd>A</kbd> accepts · <kbd>X</kbd> rejects
          </p>
          <ul ref={setList} className="suggestion-list" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const s = suggestions[item.index]!;
              return (
              <SuggestionItem
                key={s.key}
                suggestion={s}
                index={item.index}
                top={item.start - scrollMargin}
                measure={virtualizer.measureElement}
                color={colors.get(s.label) ?? '#888888'}
                selected={s.key === selectedKey}
                canAccept={canAccept}
                onPick={onPick}
                onAccept={onAccept}
                onReject={onReject}
              />
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
