import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Annotation, TagSchema } from '../../../shared/model';
import { moveBoundary, snapToWords, type Span } from '../../../shared/selection';
import { api, messageOf } from '../api/client';
import { BoundaryMoves } from '../editing/boundaryMoves';
import { relabelNotice } from '../editing/relabelNotice';
import * as steps from '../editing/steps';
import { displayKey } from '../../../shared/shortcuts';
import { runAction, useActionHandlers, useLabelKeys } from '../hooks/actions';
import { useSuggestions } from '../hooks/useSuggestions';
import { useRemembered } from '../hooks/useViewMemory';
import { positionsById } from '../reading/positions';
import type { DocumentViewState } from '../hooks/useDocumentView';
import type { Notify } from '../hooks/useNotices';
import { AnnotationPanel } from './AnnotationPanel';
import { CompareView } from './CompareView';
import { DetailsPanel } from './DetailsPanel';
import { DocumentInfo } from './DocumentInfo';
import { FindBar } from './FindBar';
import { OrphanList } from './OrphanList';
import { ReadingView, type FindState, type SuggestedSpan, type Tagging } from './ReadingView';
import { ReviewBox } from './ReviewBox';
import { SuggestionList } from './SuggestionList';
import { isMac } from './ShortcutOverlay';
import { TagToolbar } from './TagToolbar';

interface Props {
  view: DocumentViewState;
  schema: TagSchema;
  annotator: string | null;
  notify: Notify;
  onOpenDocument: (docId: string) => void;
  /** Changes when the document should open in the compare view. */
  compareRequest: number | null;
  /** Blind annotation is on in this project: the services hide colleagues' layers until this annotator is done. */
  blind: boolean;
  /** Everyone who has tagged this document, including those whose layers blind annotation hides here. */
  layerAnnotators: readonly string[];
  /** Makes an unknown label mean one of the schema's labels, for everyone. */
  onMapLabel: (from: string, to: string) => Promise<void>;
  /** Asks to delete the open document. */
  onDeleteDocument: () => void;
}

/** The relation a link from `from` may use, and the labels it may point at. */
function linkTypeFor(schema: TagSchema, from: Annotation | undefined) {
  return from ? schema.relations.find((r) => r.from.includes(from.label)) : undefined;
}

/** The open article: toolbar, text, details and annotation list, and the keyboard flow that ties them together. */
export function DocumentPane({ view, schema, annotator, blind, layerAnnotators, notify, onOpenDocument, compareRequest, onMapLabel, onDeleteDocument }: Props) {
  const [pending, setPending] = useState<Span | null>(null);
  const selectionReader = useRef<(() => Span | null) | null>(null);
  const [scrollRequest, setScrollRequest] = useState<{ id: string; nonce: number; start?: number } | null>(null);
  const [linkFrom, setLinkFrom] = useState<string | null>(null);
  const [findOpen, setFindOpen] = useState(false);
  const [comparing, setComparing] = useState(compareRequest !== null);
  /** Annotators whose layers are hidden in the text and the list (a colleague's, while reading); remembered per project. */
  const [hiddenLayers, setHiddenLayers] = useRemembered('hiddenLayers');
  const [seenCompareRequest, setSeenCompareRequest] = useState(compareRequest);
  if (compareRequest !== seenCompareRequest) {
    setSeenCompareRequest(compareRequest);
    if (compareRequest !== null) setComparing(true);
  }
  const [find, setFind] = useState<FindState | null>(null);
  /** Spans being tagged: painted at once, while the store writes them. */
  const [tagging, setTagging] = useState<readonly Tagging[]>([]);
  const { doc, relations, selectedId, select, perform, undo, redo } = view;
  const annotations = useMemo(
    () => (hiddenLayers.length === 0 ? view.annotations : view.annotations.filter((a) => !hiddenLayers.includes(a.annotator))),
    [view.annotations, hiddenLayers],
  );
  // Looked up on every key press (J/K, relabel, boundary keys): built once per change of the list.
  const positionOf = useMemo(() => positionsById(annotations), [annotations]);
  const selectedAt = positionOf(selectedId);
  const selected = selectedAt === undefined ? undefined : annotations[selectedAt];
  const own = selected !== undefined && selected.annotator === annotator;
  const links = useMemo(() => relations.filter((r) => r.from === selectedId || r.to === selectedId), [relations, selectedId]);

  const suggestions = useSuggestions(view.docId, view.annotations, doc !== null);
  const canAccept = annotator !== null && !comparing;
  const labelIndex = useMemo(() => new Map(schema.labels.map((l, i) => [l.name, i])), [schema]);
  const suggestedSpans = useMemo<SuggestedSpan[]>(
    () => suggestions.suggestions.flatMap((s) => (labelIndex.has(s.label) ? [{ key: s.key, start: s.start, end: s.end, labelIndex: labelIndex.get(s.label)! }] : [])),
    [suggestions.suggestions, labelIndex],
  );
  const suggestionPaint = useMemo(() => ({ spans: suggestedSpans, selectedKey: suggestions.selectedKey }), [suggestedSpans, suggestions.selectedKey]);
  const onScreen = useRef<((spans: readonly SuggestedSpan[]) => string[]) | null>(null);
  // The document open now: an accept answered after another was opened must not steer that one.
  const openDocId = useRef(view.docId);
  useEffect(() => {
    openDocId.current = view.docId;
  });

  const pick = useCallback(
    (id: string) => {
      suggestions.select(null);
      select(id);
      setScrollRequest({ id, nonce: Date.now() });
    },
    [select, suggestions],
  );

  /** Looks at one suggestion: selected in the text and the list, and brought into view. */
  const pickSuggestion = useCallback(
    (key: string) => {
      const s = suggestions.suggestions.find((x) => x.key === key);
      if (!s) return;
      select(null);
      suggestions.select(key);
      setScrollRequest({ id: key, nonce: Date.now(), start: s.start });
    },
    [select, suggestions],
  );

  /**
   * Accepts or rejects suggestions; when the one being looked at goes, the next one in the text
   * is looked at, so a review runs key after key (A, A, X, A…).
   */
  const decide = useCallback(
    async (keys: string[], accept: boolean) => {
      if (keys.length === 0) return null;
      const list = suggestions.suggestions;
      const gone = new Set(keys);
      const at = list.findIndex((s) => s.key === suggestions.selectedKey);
      const next = at >= 0 && gone.has(list[at]!.key) ? list.slice(at + 1).find((s) => !gone.has(s.key)) : undefined;
      suggestions.drop(keys);
      const from = view.docId;
      const result = accept
        ? await perform((docId) => steps.acceptSuggestions(api, docId, keys))
        : await perform((docId) => steps.rejectSuggestions(api, docId, keys));
      if (openDocId.current !== from) return result;
      if (!result) {
        // Refused (the notice says why): show the list as the services have it.
        suggestions.refresh();
        return null;
      }
      if (next) pickSuggestion(next.key);
      else if (at >= 0 && gone.has(list[at]!.key)) suggestions.select(null);
      return result;
    },
    [suggestions, perform, pickSuggestion, view.docId],
  );

  const acceptOnScreen = useCallback(async () => {
    const keys = onScreen.current?.(suggestedSpans) ?? [];
    if (keys.length === 0) return notify('info', 'No suggestion is wholly on screen: scroll to one, or step to it with J.');
    const result = await decide(keys, true);
    if (result) notify('info', `Accepted ${keys.length} suggestion${keys.length === 1 ? '' : 's'} on screen.`);
  }, [suggestedSpans, decide, notify]);

  const tag = useCallback(
    (label: string) => {
      // The live selection, not the last state: selectionchange may not have been handled yet.
      const span = selectionReader.current?.() ?? pending;
      if (!span) return;
      document.getSelection()?.removeAllRanges();
      setPending(null);
      const painting = { label, start: span.start, end: span.end };
      setTagging((t) => [...t, painting]);
      void perform((docId) => steps.createSpan(api, docId, label, span.start, span.end)).then((r) => {
        // Written (or refused, with a notice): the span is now painted from the annotations, or not at all.
        setTagging((t) => t.filter((x) => x !== painting));
        if (r) select(r.created.id);
      });
    },
    [pending, perform, select],
  );

  const update = useCallback(
    async (changes: steps.AnnotationChanges) => {
      if (!selected) return false;
      const result = await perform((docId) => steps.updateSpan(api, docId, selected.id, changes));
      // A relabel drops the values the new label has no place for: say which, and how to get them back.
      const lost = result && changes.label !== undefined ? relabelNotice(result, view.annotations, displayKey('Mod+Z', isMac())) : null;
      if (lost) notify('info', lost.text, lost.details);
      return result !== null;
    },
    [selected, perform, notify, view.annotations],
  );

  // Alt+←/→ pressed faster than the store answers: each press goes on from the last one.
  const [boundaryMoves] = useState(() => new BoundaryMoves());
  const shownAnnotations = useRef(view.annotations);
  useEffect(() => {
    shownAnnotations.current = view.annotations;
  });
  const moveEdge = (edge: 'start' | 'end', direction: -1 | 1) => {
    if (!selected || !own || !doc) return;
    const from = boundaryMoves.from(selected, view.annotations);
    const offset = moveBoundary(doc.text, edge === 'start' ? from.start : from.end, edge, direction);
    if (edge === 'start' ? offset >= from.end : offset <= from.start) return;
    const changes = edge === 'start' ? { start: offset } : { end: offset };
    void boundaryMoves.move(selected.id, { ...from, ...changes }, () => update(changes), () => shownAnnotations.current);
  };

  const finishLink = useCallback(
    async (targetId: string) => {
      const from = annotations.find((a) => a.id === linkFrom);
      const to = annotations.find((a) => a.id === targetId);
      const relation = linkTypeFor(schema, from);
      setLinkFrom(null);
      if (!from || !to || !relation) return;
      if (!relation.to.includes(to.label)) {
        return notify('error', `A ${from.label} links to ${relation.to.join(' or ')}, not to ${to.label}.`);
      }
      await perform((docId) => steps.link(api, docId, relation.type, from.id, to.id));
      select(from.id);
    },
    [annotations, linkFrom, schema, perform, select, notify],
  );

  const startLink = () => {
    if (!selected || !own) return;
    if (!linkTypeFor(schema, selected)) return notify('error', `A ${selected.label} cannot be linked to anything in this schema.`);
    setLinkFrom(selected.id);
  };

  const stepSuggestion = (direction: 1 | -1) => {
    const list = suggestions.suggestions;
    if (list.length === 0) return;
    const at = list.findIndex((s) => s.key === suggestions.selectedKey);
    const next = at === -1 ? (direction === 1 ? 0 : list.length - 1) : (at + direction + list.length) % list.length;
    pickSuggestion(list[next]!.key);
  };

  const step = (direction: 1 | -1) => {
    // J/K walk the suggestions while one is being looked at, or when there is nothing else to walk.
    if (suggestions.selected || (annotations.length === 0 && selectedAt === undefined)) return stepSuggestion(direction);
    if (annotations.length === 0) return;
    const at = selectedAt ?? -1;
    const next = at === -1 ? (direction === 1 ? 0 : annotations.length - 1) : (at + direction + annotations.length) % annotations.length;
    pick(annotations[next]!.id);
  };

  useActionHandlers({
    undo: () => void undo(),
    redo: () => void redo(),
    find: () => setFindOpen(true),
    delete: () => {
      if (selected && own) void perform((docId) => steps.deleteSpans(api, docId, [selected.id]));
    },
    link: startLink,
    compare: () => setComparing(true),
    'next-annotation': () => step(1),
    'previous-annotation': () => step(-1),
    'start-left': () => moveEdge('start', -1),
    'start-right': () => moveEdge('start', 1),
    'end-left': () => moveEdge('end', -1),
    'end-right': () => moveEdge('end', 1),
    clear: () => {
      if (linkFrom) return setLinkFrom(null);
      if (findOpen) return setFindOpen(false);
      document.getSelection()?.removeAllRanges();
      suggestions.select(null);
      select(null);
    },
  });

  // Apart from the handlers above: these come and go with the selection, and registering them
  // again must not put J/K back in front of the compare view's.
  useActionHandlers({
    'accept-suggestion': suggestions.selected && canAccept ? () => void decide([suggestions.selected!.key], true) : undefined,
    'reject-suggestion': suggestions.selected && canAccept ? () => void decide([suggestions.selected!.key], false) : undefined,
    'accept-suggestions-on-screen': canAccept && suggestions.suggestions.length > 0 ? () => void acceptOnScreen() : undefined,
  });

  useLabelKeys((key) => {
    const label = schema.labels.find((l) => l.key === key);
    if (!label || comparing) return false;
    if (pending || selectionReader.current?.()) tag(label.name);
    else if (selected && own && selected.label !== label.name) void update({ label: label.name });
    else return false;
    return true;
  });

  const onSelect = (id: string | null) => {
    if (linkFrom && id && id !== linkFrom) void finishLink(id);
    else {
      suggestions.select(null);
      select(id);
    }
  };

  const onSelectionDone = (span: Span) => {
    const from = annotations.find((a) => a.id === linkFrom);
    const relation = linkTypeFor(schema, from);
    const targetLabel = relation?.to[0];
    if (!from || !relation || !targetLabel) return;
    // Linking and a new selection: tag it as the link's target on the fly.
    document.getSelection()?.removeAllRanges();
    setLinkFrom(null);
    void perform((docId) => steps.createLinkedSpan(api, docId, relation.type, from.id, targetLabel, span.start, span.end)).then(
      (r) => r && select(from.id),
    );
  };

  const onBoundaryDrop = (edge: 'start' | 'end', offset: number) => {
    if (!selected || !doc) return;
    const span = edge === 'start' ? snapToWords(doc.text, offset, selected.end) : snapToWords(doc.text, selected.start, offset);
    if (!span || (span.start === selected.start && span.end === selected.end)) return;
    void update({ start: span.start, end: span.end });
  };

  const tagAll = (label: string, matches: readonly Span[]) => {
    if (matches.length === 0) return;
    void perform((docId) => steps.createSpans(api, docId, matches.map((m) => ({ label, start: m.start, end: m.end })))).then(
      (r) => r && notify('info', `Tagged ${r.created.length} match${r.created.length === 1 ? '' : 'es'} as ${label}.`),
    );
  };

  const layerOwners = useMemo(() => [...new Set(view.annotations.map((a) => a.annotator))].sort(), [view.annotations]);
  // The compare view is a reviewer's: it takes every layer, those hidden here too (opening it shows them).
  const compared = useMemo(() => [...new Set([...layerOwners, ...layerAnnotators])].sort(), [layerOwners, layerAnnotators]);
  const hiddenColleagues = blind ? compared.filter((name) => name !== annotator && !layerOwners.includes(name)) : [];
  const onMatches = useCallback((matches: readonly Span[], current: number) => setFind({ matches, current }), []);
  const closeFind = useCallback(() => {
    setFindOpen(false);
    setFind(null);
  }, []);

  if (!doc) return <main className="document-pane loading">Opening…</main>;
  if (comparing) {
    return (
      <CompareView
        doc={doc}
        schema={schema}
        annotators={compared}
        gold="gold"
        notify={notify}
        perform={perform}
        version={view.annotations}
        onClose={() => {
          setComparing(false);
          // Opening it revealed the colleagues' layers, if blind annotation hid them.
          view.reload().catch((error: unknown) => notify('error', messageOf(error)));
        }}
      />
    );
  }
  const linkingFrom = annotations.find((a) => a.id === linkFrom);
  return (
    <>
      <main className="document-pane">
        <TagToolbar schema={schema} enabled={pending !== null && annotator !== null} onTag={tag}>
          {hiddenColleagues.length > 0 && (
            <span className="blind-note" role="status">
              Blind annotation: {hiddenColleagues.length === 1 ? "a colleague's layer is" : `${hiddenColleagues.length} colleagues' layers are`} hidden until you mark
              this article done.
            </span>
          )}
          {layerOwners.length >= 2 && (
            <span className="layer-toggles" role="group" aria-label="Layers">
              {layerOwners.map((owner) => (
                <label key={owner} className="check" title={`Show ${owner}'s annotations`}>
                  <input
                    type="checkbox"
                    checked={!hiddenLayers.includes(owner)}
                    onChange={() => setHiddenLayers(hiddenLayers.includes(owner) ? hiddenLayers.filter((x) => x !== owner) : [...hiddenLayers, owner])}
                  />
                  {owner}
                </label>
              ))}
            </span>
          )}
          {compared.length >= 2 && (
            <button
              type="button"
              onClick={() => setComparing(true)}
              title={
                hiddenColleagues.length > 0
                  ? "Review: compare the annotators' layers of this document (C). It shows you your colleagues' layers from then on."
                  : "Compare the annotators' layers of this document (C)"
              }
            >
              Compare layers
            </button>
          )}
        </TagToolbar>
        {findOpen && <FindBar text={doc.text} labels={schema.labels} annotations={annotations} onMatches={onMatches} onTagAll={tagAll} onClose={closeFind} />}
        {linkingFrom && (
          <div className="link-banner" role="status">
            Linking this {linkingFrom.label}: click a {linkTypeFor(schema, linkingFrom)?.to.join(' or ')} span, or select text to tag it as{' '}
            {linkTypeFor(schema, linkingFrom)?.to[0]}. <kbd>Esc</kbd> cancels.
          </div>
        )}
        <ReadingView
          key={doc.id}
          doc={doc}
          schema={schema}
          annotations={annotations}
          links={links}
          selectedId={selectedId}
          editable={own}
          scrollRequest={scrollRequest}
          find={findOpen ? find : null}
          tagging={tagging}
          header={
            <DocumentInfo
              doc={doc}
              onOpen={onOpenDocument}
              onDelete={onDeleteDocument}
              onSave={async (meta) => (await perform((docId) => steps.editMeta(api, docId, doc.meta, meta))) !== null}
            />
          }
          onSelect={onSelect}
          onPendingChange={setPending}
          selectionReader={selectionReader}
          onSelectionDone={onSelectionDone}
          onBoundaryDrop={onBoundaryDrop}
          suggestions={suggestionPaint}
          onSelectSuggestion={pickSuggestion}
          onScreenReader={onScreen}
        />
      </main>
      <div className="side-column">
        {selected && (
          <DetailsPanel
            key={selected.id}
            annotation={selected}
            schema={schema}
            annotations={annotations}
            relations={relations}
            editable={own}
            canLink={linkTypeFor(schema, selected) !== undefined}
            linking={linkFrom === selected.id}
            onChange={update}
            onStartLink={startLink}
            onUnlink={(relationId) => void perform((docId) => steps.unlink(api, docId, relationId)).catch((e: unknown) => notify('error', messageOf(e)))}
            onPick={pick}
            onMapLabel={onMapLabel}
            review={
              <ReviewBox
                key={`review-${selected.id}`}
                reviews={view.reviews.filter((r) => r.annotationId === selected.id)}
                canReview={!own && annotator !== null}
                me={annotator}
                onReview={async (verdict, comment) => {
                  try {
                    await api.setReview({ docId: selected.docId, annotationId: selected.id, verdict, comment });
                    await view.reload();
                  } catch (error) {
                    notify('error', messageOf(error));
                  }
                }}
              />
            }
          />
        )}
        <SuggestionList
          schema={schema}
          state={suggestions}
          canAccept={canAccept}
          onPick={pickSuggestion}
          onAccept={(keys) => void decide(keys, true)}
          onReject={(keys) => void decide(keys, false)}
          onAcceptOnScreen={() => void acceptOnScreen()}
          onOpenSettings={() => runAction('project-settings')}
        />
        <AnnotationPanel
          schema={schema}
          annotations={annotations}
          selectedId={selectedId}
          annotator={annotator}
          onPick={pick}
          onDelete={(id) => void perform((docId) => steps.deleteSpans(api, docId, [id]))}
        />
        <OrphanList orphans={view.orphans} />
      </div>
    </>
  );
}
