import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ApiArgs, Comparison, DocumentView, Session } from '../../../shared/api';
import { moveBoundary } from '../../../shared/selection';
import type { Annotation } from '../../../shared/model';
import { paragraphsOf } from '../../../shared/text';
import { api, messageOf } from '../api/client';
import type { Step } from '../editing/history';
import { ParagraphMap } from '../highlights/domOffsets';
import { clearCompare, paintCompare, STATUS_STYLE } from '../highlights/paintCompare';
import { useActionHandlers } from '../hooks/actions';
import { AttributeTable, LinkDetail, LinkList } from './CompareDetails';
import type { Notify } from '../hooks/useNotices';

interface Props {
  doc: DocumentView;
  schema: Session['schema'];
  /** Everyone with annotations on this document. */
  annotators: readonly string[];
  gold: string;
  notify: Notify;
  /** Runs an adjudication through the document's undo history. */
  perform: <T extends { step: Step }>(change: (docId: string) => Promise<T>) => Promise<T | null>;
  /** Changes after an undo or redo, so the comparison is read again. */
  version: unknown;
  onClose: () => void;
}

function describe(a: Annotation): string {
  return `${a.label}: “${a.quote.exact}”`;
}

/**
 * Two or more annotators' layers side by side in one text: spans coloured by agreement, the
 * disagreements to step through with J/K, and the gold layer built by accepting or rejecting.
 */
/** An edited version of what gold accepted: another label, or a boundary moved a word. */
function GoldEditor({ annotation, text, labels, onEdit }: { annotation: Annotation; text: string; labels: string[]; onEdit: (changes: { label?: string; start?: number; end?: number }) => void }) {
  const step = (edge: 'start' | 'end', direction: -1 | 1) => {
    const offset = moveBoundary(text, edge === 'start' ? annotation.start : annotation.end, edge, direction);
    if (edge === 'start' ? offset < annotation.end : offset > annotation.start) onEdit({ [edge]: offset });
  };
  return (
    <div className="gold-editor" role="group" aria-label="Edit gold">
      <select aria-label="Gold label" value={annotation.label} onChange={(e) => onEdit({ label: e.target.value })}>
        {labels.map((l) => (
          <option key={l} value={l}>
            {l}
          </option>
        ))}
      </select>
      <button type="button" onClick={() => step('start', -1)} title="Start one word earlier">
        ◀ start
      </button>
      <button type="button" onClick={() => step('start', 1)} title="Start one word later">
        start ▶
      </button>
      <button type="button" onClick={() => step('end', -1)} title="End one word earlier">
        ◀ end
      </button>
      <button type="button" onClick={() => step('end', 1)} title="End one word later">
        end ▶
      </button>
    </div>
  );
}

export function CompareView({ doc, schema, annotators, gold, notify, perform, version, onClose }: Props) {
  const candidates = useMemo(() => annotators.filter((a) => a !== gold), [annotators, gold]);
  const [chosen, setChosen] = useState<string[]>(candidates);
  const [loaded, setComparison] = useState<Comparison | null>(null);
  const [currentId, setCurrentId] = useState<string | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const paragraphs = useMemo(() => paragraphsOf(doc.text), [doc.text]);
  const enough = chosen.length >= 2;
  // Fewer than two annotators: nothing to compare, whatever was loaded before.
  const comparison = enough ? loaded : null;

  const load = useCallback(() => {
    if (chosen.length < 2) return Promise.resolve();
    return api
      .compareLayers({ docId: doc.id, annotators: chosen, gold })
      .then(setComparison)
      .catch((error: unknown) => notify('error', messageOf(error)));
  }, [doc.id, chosen, gold, notify]);

  useEffect(() => {
    void load();
  }, [load, version]);

  // What J/K step through: spans that differ (or whose attribute values do), and links only some drew, in text order.
  const disagreements = useMemo(() => {
    if (!comparison) return [];
    const startOf = new Map(comparison.items.map((i) => [i.id, i.start]));
    const spans = comparison.items.filter((i) => i.status !== 'agreed' || i.attributeDifferences.length > 0).map((i) => ({ id: i.id, start: i.start, link: 0 }));
    const links = comparison.links.filter((l) => l.status !== 'agreed').map((l) => ({ id: l.id, start: startOf.get(l.from) ?? 0, link: 1 }));
    return [...spans, ...links].sort((x, y) => x.start - y.start || x.link - y.link);
  }, [comparison]);
  const current = comparison?.items.find((i) => i.id === currentId) ?? null;
  const currentLink = comparison?.links.find((l) => l.id === currentId) ?? null;

  useLayoutEffect(() => {
    // A link is shown by its two ends.
    const marked = currentLink ? [currentLink.from, currentLink.to] : currentId ? [currentId] : [];
    if (rootRef.current) paintCompare(new ParagraphMap(rootRef.current), comparison, marked);
  }, [comparison, currentId, currentLink, paragraphs]);
  useEffect(() => clearCompare, []);

  const go = (direction: 1 | -1) => {
    if (disagreements.length === 0) return notify('info', 'No disagreements left in this document.');
    const at = disagreements.findIndex((d) => d.id === currentId);
    const next = at === -1 ? (direction === 1 ? 0 : disagreements.length - 1) : (at + direction + disagreements.length) % disagreements.length;
    const item = disagreements[next]!;
    setCurrentId(item.id);
    if (rootRef.current) new ParagraphMap(rootRef.current).paragraphAt(item.start)?.scrollIntoView({ block: 'center' });
  };

  useActionHandlers({ 'next-annotation': () => go(1), 'previous-annotation': () => go(-1), clear: onClose });

  const adjudicate = async (action: ApiArgs<'adjudicate'>['action']) => {
    const result = await perform(async (docId) => {
      const r = await api.adjudicate({ docId, gold, annotators: chosen, action });
      const step: Step = {
        title: { reject: 'Reject', 'accept-agreed': 'Accept everything agreed', accept: 'Accept into gold', 'accept-link': 'Accept link into gold', edit: 'Edit gold' }[action.kind],
        undo: async () =>
          void (await api.restoreLayer({ docId, annotator: gold, annotations: r.before, relations: r.beforeRelations, rejected: r.beforeRejected })),
        redo: async () =>
          void (await api.restoreLayer({ docId, annotator: gold, annotations: r.after, relations: r.afterRelations, rejected: r.afterRejected })),
      };
      return { ...r, step };
    });
    if (result) await load();
  };

  const counts = Object.keys(STATUS_STYLE).map((status) => ({
    status: status as keyof typeof STATUS_STYLE,
    n: comparison?.items.filter((i) => i.status === status).length ?? 0,
  }));

  return (
    <>
      <main className="document-pane compare-pane">
        <div className="compare-toolbar" role="toolbar" aria-label="Compare layers">
          <strong>Compare</strong>
          {candidates.map((a) => (
            <label key={a} className="check">
              <input type="checkbox" checked={chosen.includes(a)} onChange={() => setChosen((c) => (c.includes(a) ? c.filter((x) => x !== a) : [...c, a]))} />
              {a}
            </label>
          ))}
          <span className="spacer" />
          <button type="button" onClick={() => go(-1)} disabled={!enough}>
            Previous <kbd>K</kbd>
          </button>
          <button type="button" onClick={() => go(1)} disabled={!enough}>
            Next disagreement <kbd>J</kbd>
          </button>
          <button type="button" onClick={() => void adjudicate({ kind: 'accept-agreed' })} disabled={!enough}>
            Accept all agreed
          </button>
          <button type="button" onClick={onClose}>
            Close compare
          </button>
        </div>
        <ul className="compare-legend" aria-label="Legend">
          {counts.map(({ status, n }) => (
            <li key={status} data-status={status}>
              <span className="swatch" style={{ background: `rgb(${STATUS_STYLE[status].color})` }} aria-hidden />
              {STATUS_STYLE[status].title}: {n}
            </li>
          ))}
        </ul>
        {!enough && <p className="empty-hint">Choose at least two annotators to compare.</p>}
        {/* Focusable, so the arrow keys scroll it without a mouse. */}
        <article className="reading-view" tabIndex={0} aria-label={doc.title}>
          <div ref={rootRef} className="reading-text" data-testid="compare-text">
            {paragraphs.map((p) => (
              <p key={p.start} data-start={p.start} data-end={p.end}>
                {doc.text.slice(p.start, p.end)}
              </p>
            ))}
          </div>
        </article>
      </main>
      <aside className="side-column compare-side" aria-label="Disagreement">
        <section className="details-panel">
          <h2>
            {disagreements.length} disagreement{disagreements.length === 1 ? '' : 's'}
            {comparison && `, ${comparison.items.filter((i) => i.resolved).length} of ${comparison.items.length} resolved in ${gold}`}
          </h2>
          {current ? (
            <div className="compare-item" data-status={current.status}>
              <p className="compare-status">{STATUS_STYLE[current.status].title}</p>
              <ul>
                {chosen.map((a) => {
                  const ann = current.byAnnotator[a];
                  return (
                    <li key={a}>
                      <strong>{a}</strong>: {ann ? describe(ann) : <em>nothing here</em>}
                      {ann && (
                        <button type="button" onClick={() => void adjudicate({ kind: 'accept', annotationIds: [ann.id] })}>
                          Accept {a}
                        </button>
                      )}
                    </li>
                  );
                })}
              </ul>
              {current.attributeDifferences.length > 0 && <p>Attributes differ: {current.attributeDifferences.join(', ')}</p>}
              <AttributeTable
                item={current}
                annotators={chosen}
                gold={gold}
                onUse={(name, value) => void adjudicate({ kind: 'edit', goldId: current.gold!.id, attributes: { [name]: value } })}
              />
              <p className="compare-gold">
                {gold}: {current.gold ? describe(current.gold) : current.resolved ? 'rejected' : 'not decided'}
              </p>
              {current.gold && (
                <GoldEditor
                  annotation={current.gold}
                  text={doc.text}
                  labels={schema.labels.map((l) => l.name)}
                  onEdit={(changes) => void adjudicate({ kind: 'edit', goldId: current.gold!.id, ...changes })}
                />
              )}
              <div className="dialog-actions">
                {Object.keys(current.byAnnotator).length > 1 && (
                  <button type="button" onClick={() => void adjudicate({ kind: 'accept', annotationIds: Object.values(current.byAnnotator).map((a) => a.id) })}>
                    Accept both
                  </button>
                )}
                <button type="button" onClick={() => void adjudicate({ kind: 'reject', itemId: current.id })}>
                  Reject
                </button>
              </div>
            </div>
          ) : currentLink && comparison ? (
            <LinkDetail
              link={currentLink}
              items={comparison.items}
              annotators={chosen}
              gold={gold}
              onAccept={() => void adjudicate({ kind: 'accept-link', linkId: currentLink.id })}
              onReject={() => void adjudicate({ kind: 'reject', itemId: currentLink.id })}
            />
          ) : (
            <p className="empty-hint">Press J (Next disagreement) to step through them.</p>
          )}
          {comparison && <LinkList links={comparison.links} items={comparison.items} gold={gold} currentId={currentId} onPick={setCurrentId} />}
          {comparison && comparison.unplaced.length > 0 && (
            <div className="unplaced">
              <h3>Not compared</h3>
              <ul>
                {comparison.unplaced.map((u, i) => (
                  <li key={i}>
                    {u.annotator}: {u.label} “{u.exact}” — {u.reason}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </section>
      </aside>
    </>
  );
}
