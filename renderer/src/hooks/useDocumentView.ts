import { useCallback, useEffect, useRef, useState } from 'react';
import type { DocumentView } from '../../../shared/api';
import type { Annotation } from '../../../shared/model';
import { api, messageOf } from '../api/client';
import type { Notify } from './useNotices';

interface UndoEntry {
  undo: () => Promise<void>;
  redo: () => Promise<void>;
}

function sortByTextOrder(list: Annotation[]): Annotation[] {
  return [...list].sort((a, b) => a.start - b.start || b.end - a.end || a.createdAt.localeCompare(b.createdAt));
}

/**
 * The open document, its annotations, the selected one and the undo history: one place for the
 * state of the reading view. Every change waits for the services, so what is shown is on disk.
 */
export function useDocumentView(docId: string | null, notify: Notify, onCountChange: () => void) {
  const [doc, setDoc] = useState<DocumentView | null>(null);
  const [annotations, setAnnotations] = useState<Annotation[]>([]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const undoStack = useRef<UndoEntry[]>([]);
  const redoStack = useRef<UndoEntry[]>([]);

  // Another document: forget the last one's state right away, during render, not after a paint.
  const [shownDocId, setShownDocId] = useState(docId);
  if (shownDocId !== docId) {
    setShownDocId(docId);
    setDoc(null);
    setAnnotations([]);
    setSelectedId(null);
  }

  useEffect(() => {
    let cancelled = false;
    undoStack.current = [];
    redoStack.current = [];
    if (!docId) return;
    Promise.all([api.getDocument({ docId }), api.listAnnotations({ docId })])
      .then(([d, list]) => {
        if (cancelled) return;
        setDoc(d);
        setAnnotations(list);
      })
      .catch((error: unknown) => notify('error', messageOf(error)));
    return () => {
      cancelled = true;
    };
  }, [docId, notify]);

  const added = useCallback((a: Annotation) => setAnnotations((list) => sortByTextOrder([...list.filter((x) => x.id !== a.id), a])), []);
  const removed = useCallback((id: string) => setAnnotations((list) => list.filter((x) => x.id !== id)), []);

  const run = useCallback(
    async (action: () => Promise<void>) => {
      try {
        await action();
        onCountChange();
      } catch (error) {
        notify('error', messageOf(error));
      }
    },
    [notify, onCountChange],
  );

  const create = useCallback(
    (label: string, start: number, end: number) =>
      run(async () => {
        if (!docId) return;
        const created = await api.createAnnotation({ docId, label, start, end });
        added(created);
        setSelectedId(created.id);
        undoStack.current.push({
          undo: async () => {
            await api.deleteAnnotation({ docId, annotationId: created.id });
            removed(created.id);
          },
          redo: async () => {
            added(await api.restoreAnnotation({ annotation: created }));
          },
        });
        redoStack.current = [];
      }),
    [docId, run, added, removed],
  );

  const remove = useCallback(
    (annotationId: string) =>
      run(async () => {
        if (!docId) return;
        const { deleted } = await api.deleteAnnotation({ docId, annotationId });
        removed(deleted.id);
        setSelectedId((id) => (id === deleted.id ? null : id));
        undoStack.current.push({
          undo: async () => {
            added(await api.restoreAnnotation({ annotation: deleted }));
            setSelectedId(deleted.id);
          },
          redo: async () => {
            await api.deleteAnnotation({ docId, annotationId: deleted.id });
            removed(deleted.id);
          },
        });
        redoStack.current = [];
      }),
    [docId, run, added, removed],
  );

  const undo = useCallback(
    () =>
      run(async () => {
        const entry = undoStack.current.pop();
        if (!entry) return;
        await entry.undo();
        redoStack.current.push(entry);
      }),
    [run],
  );

  const redo = useCallback(
    () =>
      run(async () => {
        const entry = redoStack.current.pop();
        if (!entry) return;
        await entry.redo();
        undoStack.current.push(entry);
      }),
    [run],
  );

  return { doc, annotations, selectedId, select: setSelectedId, create, remove, undo, redo };
}
export type DocumentViewState = ReturnType<typeof useDocumentView>;
