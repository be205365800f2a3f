import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useCallback, useEffect, useEffectEvent, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { DocStatus, DocumentSummary, TagSchema } from '../../../shared/model';
import { withPins } from '../reading/windowing';
import { DOCUMENT_SORTS, isDocumentSortKey, sortDocuments, STATUS_TEXT, type DocumentSortKey } from './documentSort';
import { DocumentRow, STATUS_GLYPH } from './DocumentRow';
import { rowForKey } from './listKeys';
import './DocumentList.css';

export interface DocumentListProps {
  documents: readonly DocumentSummary[];
  currentId: string | null;
  schema: TagSchema;
  /** The search the documents were listed with. */
  query: string;
  /** The App re-asks listDocuments({ query }); called after a pause in the typing, or on Enter. */
  onQueryChange: (query: string) => void;
  onOpen: (id: string) => void;
  onSetStatus: (id: string, status: DocStatus) => void;
  /** The order, owned by the App: next and previous walk documents in the order shown, and it is remembered per project. */
  sortKey: DocumentSortKey;
  onSortChange: (key: DocumentSortKey) => void;
}

const SEARCH_DELAY_MS = 250;
/** A row with a title line and a line of label counts; rows are measured once rendered. */
const ESTIMATED_ROW_HEIGHT = 50;
/** Rows rendered beyond each edge of the list. */
const OVERSCAN = 8;

/**
 * The project's articles: search, sort, per-label counts and where the annotator stands on each.
 * Only the rows near the list's viewport are rendered, so a project of 10,000 articles paints as
 * fast as one of ten; the current article is scrolled into the list whenever it changes. The list
 * is one Tab stop (the current article's row): the arrow keys, Page Up/Down, Home and End move
 * through rows that are not rendered yet.
 */
export function DocumentList({ documents, currentId, schema, query, onQueryChange, onOpen, onSetStatus, sortKey, onSortChange }: DocumentListProps) {
  const sort = sortKey;

  // The search box is ahead of the query while the analyst types; `sent` is the last query
  // handed to the App, so a late echo of it never overwrites newer typing.
  const [draft, setDraft] = useState(query);
  const [seen, setSeen] = useState({ query, sent: query });
  if (query !== seen.query) {
    setSeen({ query, sent: seen.sent });
    if (query !== seen.sent) setDraft(query);
  }
  const send = (value: string) => {
    setSeen((s) => ({ ...s, sent: value }));
    if (value !== query) onQueryChange(value);
  };
  const sendLater = useEffectEvent(send);
  useEffect(() => {
    const timer = setTimeout(() => sendLater(draft), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [draft]);

  // Sorted once per listing or order, not per render: a status change or a keystroke re-renders the list.
  const sorted = useMemo(() => sortDocuments(documents, sort), [documents, sort]);
  const indexOf = useMemo(() => new Map(sorted.map((d, i) => [d.id, i])), [sorted]);
  const colors = useMemo(() => new Map(schema.labels.map((l) => [l.name, l.color])), [schema]);
  const labelOrder = useMemo(() => new Map(schema.labels.map((l, i) => [l.name, i])), [schema]);
  const currentIndex = currentId === null ? undefined : indexOf.get(currentId);
  const current = currentIndex === undefined ? undefined : sorted[currentIndex];

  // The row the arrow keys moved to holds the Tab stop until another article is opened.
  const [keyed, setKeyed] = useState<string | null>(null);
  const [seenCurrent, setSeenCurrent] = useState(currentId);
  if (currentId !== seenCurrent) {
    setSeenCurrent(currentId);
    setKeyed(null);
  }
  const stopIndex = (keyed === null ? undefined : indexOf.get(keyed)) ?? currentIndex ?? 0;

  // The rows keep the same handler across renders, so scrolling renders only the rows that come into view.
  const handlers = useRef({ onOpen });
  useLayoutEffect(() => {
    handlers.current = { onOpen };
  });
  const open = useCallback((id: string) => handlers.current.onOpen(id), []);

  const scroller = useRef<HTMLElement>(null);
  const getItemKey = useCallback((index: number) => sorted[index]!.id, [sorted]);
  // The Tab stop is always rendered, however far it is scrolled away, so Tab always finds the list
  // and a focused row is never unmounted under the keyboard.
  const rangeExtractor = useCallback((range: Range) => withPins(defaultRangeExtractor(range), [stopIndex], range.count), [stopIndex]);
  // The build does not run the React Compiler; the virtualizer re-renders this component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer<HTMLElement, HTMLElement>({
    count: sorted.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_ROW_HEIGHT,
    getItemKey,
    overscan: OVERSCAN,
    rangeExtractor,
    initialRect: { width: 0, height: window.innerHeight },
  });

  // The current article, however it was opened (a click, "next document", a link), is shown in the
  // list; so it is after a change of order. A refreshed listing leaves the scroll where the analyst put it.
  const revealCurrent = useEffectEvent(() => {
    if (currentIndex !== undefined) virtualizer.scrollToIndex(currentIndex, { align: 'auto' });
  });
  useEffect(() => revealCurrent(), [currentId, sort]);

  // A key that moved to a row not rendered yet focuses it once the render that brings it in is done.
  const focusRequest = useRef<string | null>(null);
  useEffect(() => {
    const id = focusRequest.current;
    if (id === null) return;
    const button = scroller.current?.querySelector<HTMLElement>(`li[data-document-id="${CSS.escape(id)}"] > button`);
    if (button) {
      focusRequest.current = null;
      button.focus({ preventScroll: true });
    }
  });
  const onRowsKey = (event: KeyboardEvent<HTMLUListElement>) => {
    // Alt+arrows walk documents (a global shortcut); modified keys are not the list's.
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const from = Number((event.target as HTMLElement).closest('li')?.dataset.index ?? stopIndex);
    const page = Math.floor((scroller.current?.clientHeight ?? 0) / ESTIMATED_ROW_HEIGHT) - 1;
    const to = rowForKey(event.key, from, sorted.length, page);
    if (to === null) return;
    event.preventDefault();
    const id = sorted[to]!.id;
    setKeyed(id);
    focusRequest.current = id;
    virtualizer.scrollToIndex(to, { align: 'auto' });
  };

  return (
    <section className="document-list document-sidebar" aria-label="Document list">
      <div className="document-list-header">
        <h2>
          Documents <span className="count">{documents.length.toLocaleString()}</span>
        </h2>
        <select className="document-sort" aria-label="Sort documents" title="Sort documents" value={sort} onChange={(e) => isDocumentSortKey(e.target.value) && onSortChange(e.target.value)}>
          {DOCUMENT_SORTS.map((s) => (
            <option key={s.key} value={s.key}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <div className="document-tools">
        <input
          type="text"
          className="document-search"
          aria-label="Search documents"
          placeholder="Search titles and text"
          spellCheck={false}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') send(draft);
            else if (e.key === 'Escape' && draft !== '') {
              e.stopPropagation();
              setDraft('');
              send('');
            }
          }}
        />
      </div>
      {current && (
        <div className={`current-status ${current.status}`}>
          <span className="current-status-text">
            This article: <span aria-hidden="true">{STATUS_GLYPH[current.status]}</span> {STATUS_TEXT[current.status].toLowerCase()}
          </span>
          {current.status === 'done' ? (
            <button type="button" className="status-button" title="Reopen: mark this article as not done" onClick={() => onSetStatus(current.id, 'in-progress')}>
              Reopen
            </button>
          ) : (
            <button type="button" className="status-button" title="Mark this article as done" onClick={() => onSetStatus(current.id, 'done')}>
              <span aria-hidden="true">✓</span> Mark done
            </button>
          )}
        </div>
      )}
      <nav ref={scroller} className="document-nav" aria-label="Documents">
        {sorted.length > 0 && (
          <ul className="document-rows" style={{ height: virtualizer.getTotalSize() }} onKeyDown={onRowsKey}>
            {virtualizer.getVirtualItems().map((item) => {
              const d = sorted[item.index]!;
              return (
                <DocumentRow
                  key={d.id}
                  doc={d}
                  index={item.index}
                  total={sorted.length}
                  top={item.start}
                  current={d.id === currentId}
                  tabbable={item.index === stopIndex}
                  colors={colors}
                  labelOrder={labelOrder}
                  measure={virtualizer.measureElement}
                  onOpen={open}
                />
              );
            })}
          </ul>
        )}
      </nav>
      {sorted.length === 0 && (
        <div className="empty-search">
          {query !== '' ? (
            <>
              <p className="empty-hint">No documents match “{query}”.</p>
              <button
                type="button"
                onClick={() => {
                  setDraft('');
                  send('');
                }}
              >
                Clear search
              </button>
            </>
          ) : (
            <p className="empty-hint">No documents.</p>
          )}
        </div>
      )}
    </section>
  );
}
