import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiResult, DocumentView } from '../../../shared/api';
import { unpackAnnotations } from '../../../shared/annotationPack';
import type { Annotation, Relation } from '../../../shared/model';
import { api, messageOf } from '../api/client';
import type { History, Step } from '../editing/history';
import type { Notify } from './useNotices';

/**
 * The open document, its annotations and links, and the selected annotation: one place for the
 * state of the reading view. Every change goes through the services and is then read back, so
 * what is shown is what is on disk.
 */
export function useDocumentView(docId: string | null, history: History, notify: Notify, onChanged: (schemaChanged: boolean) => void) {
  const [doc, setDoc] = useState<DocumentView | null>(null);
  const [annotations, setAnnotations] = useState<Annotation[]>([]);
  const [relations, setRelations] = useState<Relation[]>([]);
  const [orphans, setOrphans] = useState<ApiResult<'listOrphans'>>([]);
  const [reviews, setReviews] = useState<ApiResult<'listReviews'>>([]);
  const [selectedId, setSelectedId] = useState<string | null>(null);

  // Another document: forget the last one's state right away, during render, not after a paint.
  const [shownDocId, setShownDocId] = useState(docId);
  if (shownDocId !== docId) {
    setShownDocId(docId);
    setDoc(null);
    setAnnotations([]);
    setRelations([]);
    setOrphans([]);
    setReviews([]);
    setSelectedId(null);
  }

  // The text the annotations are unpacked against: the open document's, which never changes.
  const opened = useRef<{ docId: string; text: string } | null>(null);
  const show = useCallback((read: ApiResult<'openDocument'>, documentText: string) => {
    setAnnotations(unpackAnnotations(read.annotations, documentText));
    setRelations(read.relations);
    setOrphans(read.orphans);
    setReviews(read.reviews);
  }, []);

  const reload = useCallback(
    async (withDocument = false) => {
      if (!docId) return;
      const read = await api.openDocument({ docId, withDocument });
      // A read that comes back after another document was opened is not this view's any more.
      if (opened.current?.docId !== docId) return;
      show(read, opened.current.text);
      if (read.document) setDoc(read.document);
    },
    [docId, show],
  );

  useEffect(() => {
    let cancelled = false;
    opened.current = null;
    if (!docId) return;
    // One read for everything the view shows: the document, its annotations (packed), links, orphans and reviews.
    api
      .openDocument({ docId, withDocument: true })
      .then((read) => {
        if (cancelled || !read.document) return;
        opened.current = { docId, text: read.document.text };
        setDoc(read.document);
        show(read, read.document.text);
      })
      .catch((error: unknown) => notify('error', messageOf(error)));
    return () => {
      cancelled = true;
    };
  }, [docId, notify, show]);

  /** Runs a change, records its undo step, and shows the result; errors become a notice. */
  const perform = useCallback(
    async <T extends { step: Step }>(change: (docId: string) => Promise<T>): Promise<T | null> => {
      if (!docId) return null;
      try {
        const result = await change(docId);
        history.push(docId, result.step);
        await reload(result.step.touchesDocument);
        onChanged(result.step.touchesSchema === true);
        return result;
      } catch (error) {
        notify('error', messageOf(error));
        return null;
      }
    },
    [docId, history, reload, onChanged, notify],
  );

  const travel = useCallback(
    async (direction: 'undo' | 'redo') => {
      if (!docId) return;
      try {
        const step = direction === 'undo' ? await history.undo(docId) : await history.redo(docId);
        if (!step) return notify('info', direction === 'undo' ? 'Nothing to undo.' : 'Nothing to redo.');
        await reload(step.touchesDocument);
        onChanged(step.touchesSchema === true);
        notify('info', `${direction === 'undo' ? 'Undone' : 'Redone'}: ${step.title}.`);
      } catch (error) {
        notify('error', messageOf(error));
      }
    },
    [docId, history, reload, onChanged, notify],
  );

  return {
    docId,
    doc,
    annotations,
    relations,
    orphans,
    reviews,
    selectedId,
    select: setSelectedId,
    reload,
    perform,
    undo: useCallback(() => travel('undo'), [travel]),
    redo: useCallback(() => travel('redo'), [travel]),
  };
}
export type DocumentViewState = ReturnType<typeof useDocumentView>;
