import { useCallback, useEffect, useState } from 'react';
import type { TagSchema } from '../../../shared/model';
import type { Span } from '../../../shared/selection';
import type { DocumentViewState } from '../hooks/useDocumentView';
import { AnnotationPanel } from './AnnotationPanel';
import { ReadingView } from './ReadingView';
import { TagToolbar } from './TagToolbar';

interface Props {
  view: DocumentViewState;
  schema: TagSchema;
  annotator: string | null;
  /** Browser mode has no menu accelerators, so the window handles Ctrl+Z itself. */
  handleUndoKeys: boolean;
}

function typingInField(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/** The open article: toolbar, text and annotation list, and the keyboard flow that ties them together. */
export function DocumentPane({ view, schema, annotator, handleUndoKeys }: Props) {
  const [pending, setPending] = useState<Span | null>(null);
  const [scrollRequest, setScrollRequest] = useState<{ id: string; nonce: number } | null>(null);
  const { doc, annotations, selectedId, select, create, remove, undo, redo } = view;

  const tag = useCallback(
    (label: string) => {
      if (!pending) return;
      document.getSelection()?.removeAllRanges();
      setPending(null);
      void create(label, pending.start, pending.end);
    },
    [pending, create],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (typingInField(event.target)) return;
      const mod = event.ctrlKey || event.metaKey;
      if (mod && handleUndoKeys && event.key.toLowerCase() === 'z') {
        event.preventDefault();
        void (event.shiftKey ? redo() : undo());
        return;
      }
      if (mod && handleUndoKeys && event.key.toLowerCase() === 'y') {
        event.preventDefault();
        void redo();
        return;
      }
      if (mod || event.altKey) return;
      const label = schema.labels.find((l) => l.key === event.key);
      if (label && pending) {
        event.preventDefault();
        tag(label.name);
      } else if ((event.key === 'Delete' || event.key === 'Backspace') && selectedId) {
        const target = annotations.find((a) => a.id === selectedId);
        if (target && target.annotator === annotator) {
          event.preventDefault();
          void remove(selectedId);
        }
      } else if (event.key === 'Escape') {
        document.getSelection()?.removeAllRanges();
        select(null);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [schema, pending, tag, selectedId, annotations, annotator, remove, select, undo, redo, handleUndoKeys]);

  if (!doc) return <main className="document-pane loading">Opening…</main>;
  return (
    <>
      <main className="document-pane">
        <TagToolbar schema={schema} enabled={pending !== null && annotator !== null} onTag={tag} />
        <ReadingView
          doc={doc}
          schema={schema}
          annotations={annotations}
          selectedId={selectedId}
          scrollRequest={scrollRequest}
          onSelect={select}
          onPendingChange={setPending}
        />
      </main>
      <AnnotationPanel
        schema={schema}
        annotations={annotations}
        selectedId={selectedId}
        annotator={annotator}
        onPick={(id) => {
          select(id);
          setScrollRequest({ id, nonce: Date.now() });
        }}
        onDelete={(id) => void remove(id)}
      />
    </>
  );
}
