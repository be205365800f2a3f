import { useEffect, useEffectEvent, useMemo, useState } from 'react';
import type { DocStatus, DocumentSummary, TagSchema } from '../../../shared/model';
import { DOCUMENT_SORTS, isDocumentSortKey, sortDocuments, STATUS_TEXT, statusesText, type DocumentSortKey } from './documentSort';
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
  /** Optional: the App may own the order (say, to walk documents in the order shown). */
  sortKey?: DocumentSortKey;
  onSortChange?: (key: DocumentSortKey) => void;
}

const SEARCH_DELAY_MS = 250;
const SORT_STORAGE_KEY = 'margin.documentSort';

const STATUS_GLYPH: Record<DocStatus, string> = { 'not-started': '○', 'in-progress': '◐', done: '✓' };

/** The order the analyst chose last time. */
export function storedSort(): DocumentSortKey {
  try {
    const value = window.localStorage.getItem(SORT_STORAGE_KEY);
    return isDocumentSortKey(value) ? value : 'imported';
  } catch {
    return 'imported';
  }
}

/** The project's articles: search, sort, per-label counts and where the annotator stands on each. */
export function DocumentList({ documents, currentId, schema, query, onQueryChange, onOpen, onSetStatus, sortKey, onSortChange }: DocumentListProps) {
  const [ownSort, setOwnSort] = useState<DocumentSortKey>(storedSort);
  const sort = sortKey ?? ownSort;
  const changeSort = (key: DocumentSortKey) => {
    setOwnSort(key);
    try {
      window.localStorage.setItem(SORT_STORAGE_KEY, key);
    } catch {
      // No storage (private window): the order just is not remembered.
    }
    onSortChange?.(key);
  };

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

  const sorted = useMemo(() => sortDocuments(documents, sort), [documents, sort]);
  const labelOrder = useMemo(() => new Map(schema.labels.map((l, i) => [l.name, i])), [schema]);
  const colorOf = (label: string) => schema.labels.find((l) => l.name === label)?.color ?? '#888888';
  const countsOf = (d: DocumentSummary) =>
    Object.entries(d.labelCounts)
      .filter(([, n]) => n > 0)
      .sort(([a], [b]) => (labelOrder.get(a) ?? Infinity) - (labelOrder.get(b) ?? Infinity) || a.localeCompare(b));
  const current = documents.find((d) => d.id === currentId);

  return (
    <div className="document-list document-sidebar">
      <div className="document-list-header">
        <h2>
          Documents <span className="count">{documents.length}</span>
        </h2>
        <select className="document-sort" aria-label="Sort documents" title="Sort documents" value={sort} onChange={(e) => isDocumentSortKey(e.target.value) && changeSort(e.target.value)}>
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
            <button type="button" className="status-button" aria-label="Mark not done" title="Reopen: mark this article as not done" onClick={() => onSetStatus(current.id, 'in-progress')}>
              Reopen
            </button>
          ) : (
            <button type="button" className="status-button" aria-label="Mark done" title="Mark this article as done" onClick={() => onSetStatus(current.id, 'done')}>
              ✓ Mark done
            </button>
          )}
        </div>
      )}
      <nav className="document-nav" aria-label="Documents">
        {sorted.length > 0 && (
          <ul>
            {sorted.map((d) => {
              const several = Object.keys(d.statuses).length > 1;
              const statusTitle = `Your status: ${STATUS_TEXT[d.status].toLowerCase()}${several ? `\n${statusesText(d.statuses)}` : ''}`;
              const counts = countsOf(d);
              return (
                <li key={d.id}>
                  <button type="button" className="document-item" aria-current={d.id === currentId} title={d.title} onClick={() => onOpen(d.id)}>
                    <span className={`doc-status ${d.status}`} role="img" aria-label={STATUS_TEXT[d.status]} title={statusTitle}>
                      {STATUS_GLYPH[d.status]}
                      {several && <span className="doc-status-others" aria-hidden="true" />}
                    </span>
                    <span className="document-main">
                      <span className="document-title">{d.title}</span>
                      {counts.length > 0 && (
                        <span className="doc-label-counts">
                          {counts.map(([label, n]) => (
                            <span key={label} className="doc-label-count" style={{ color: colorOf(label) }} title={`${label}: ${n}`} aria-label={`${n} ${label}`}>
                              <span className="doc-label-dot" style={{ background: colorOf(label) }} aria-hidden="true" />
                              {n}
                            </span>
                          ))}
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
    </div>
  );
}
