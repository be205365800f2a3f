import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImportReport, Session } from '../../shared/api';
import type { DocumentSummary } from '../../shared/model';
import { api, messageOf, onAppEvent } from './api/client';
import { importBrowserFiles } from './api/files';
import { AnnotatorDialog } from './components/AnnotatorDialog';
import { DocumentList } from './components/DocumentList';
import { DocumentPane } from './components/DocumentPane';
import { EmptyProject } from './components/EmptyProject';
import { ImportButton } from './components/ImportButton';
import { Notices } from './components/Notices';
import { useDocumentView } from './hooks/useDocumentView';
import { useNotices } from './hooks/useNotices';

function isEditing(element: Element | null): boolean {
  return element instanceof HTMLElement && (element.isContentEditable || ['INPUT', 'TEXTAREA'].includes(element.tagName));
}

/** The open document lives in the URL hash, so a reload comes back to it. */
function docIdFromHash(): string | null {
  return new URLSearchParams(window.location.hash.slice(1)).get('doc');
}

export function App() {
  const { notices, notify, dismiss } = useNotices();
  const [session, setSession] = useState<Session | null>(null);
  const [fatal, setFatal] = useState<string | null>(null);
  const [documents, setDocuments] = useState<DocumentSummary[] | null>(null);
  const [currentId, setCurrentId] = useState<string | null>(docIdFromHash);
  const [renaming, setRenaming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const importInput = useRef<HTMLInputElement>(null);

  const refreshDocuments = useCallback(() => {
    api
      .listDocuments({})
      .then(setDocuments)
      .catch((error: unknown) => notify('error', messageOf(error)));
  }, [notify]);

  const loadProject = useCallback(() => {
    api
      .getSession({})
      .then((s) => {
        setSession(s);
        setFatal(null);
        refreshDocuments();
      })
      .catch((error: unknown) => setFatal(messageOf(error)));
  }, [refreshDocuments]);

  useEffect(loadProject, [loadProject]);

  const open = useCallback((id: string | null) => {
    setCurrentId(id);
    window.history.replaceState(null, '', id ? `#doc=${id}` : `${window.location.pathname}${window.location.search}`);
  }, []);

  const view = useDocumentView(currentId, notify, refreshDocuments);

  const showReport = useCallback(
    (report: ImportReport) => {
      const parts = [`Imported ${report.imported.length} article${report.imported.length === 1 ? '' : 's'}`];
      if (report.duplicates.length) parts.push(`${report.duplicates.length} already in the project`);
      if (report.failed.length) parts.push(`${report.failed.length} could not be imported`);
      const details = [
        ...report.duplicates.map((d) => `${d.fileName} is already in the project as “${d.title}”.`),
        ...report.failed.map((f) => f.reason),
      ];
      notify(report.failed.length ? 'error' : 'info', `${parts.join('; ')}.`, details);
      refreshDocuments();
      const first = report.imported[0];
      if (first && !currentId) open(first.docId);
    },
    [notify, refreshDocuments, currentId, open],
  );

  const importFiles = useCallback(
    async (files: File[]) => {
      setBusy(true);
      try {
        showReport(await importBrowserFiles(files));
      } catch (error) {
        notify('error', messageOf(error));
      } finally {
        setBusy(false);
      }
    },
    [showReport, notify],
  );

  const loadSamples = useCallback(async () => {
    setBusy(true);
    try {
      showReport(await api.loadSamples({}));
    } catch (error) {
      notify('error', messageOf(error));
    } finally {
      setBusy(false);
    }
  }, [showReport, notify]);

  const { undo, redo } = view;
  useEffect(
    () =>
      onAppEvent((event) => {
        if (event.type === 'project-changed') {
          open(null);
          loadProject();
        } else if (event.type === 'imported') showReport(event.report);
        else if (event.type === 'error') notify('error', event.message);
        else if (isEditing(document.activeElement)) {
          // The menu's Ctrl+Z reaches us even while typing: then it is the field's own undo.
          document.execCommand(event.command);
        } else if (event.command === 'undo') void undo();
        else void redo();
      }),
    [open, loadProject, showReport, notify, undo, redo],
  );

  const dropHandlers = {
    onDragOver: (e: React.DragEvent) => {
      if (!e.dataTransfer.types.includes('Files')) return;
      e.preventDefault();
      setDragging(true);
    },
    onDragLeave: (e: React.DragEvent) => {
      if (e.currentTarget === e.target) setDragging(false);
    },
    onDrop: (e: React.DragEvent) => {
      e.preventDefault();
      setDragging(false);
      const files = Array.from(e.dataTransfer.files);
      if (files.length > 0) void importFiles(files);
    },
  };

  if (fatal) {
    return (
      <div className="fatal" role="alert">
        <h1>Margin could not open the project</h1>
        <p>{fatal}</p>
        <button type="button" onClick={loadProject}>
          Try again
        </button>
      </div>
    );
  }
  if (!session) return <div className="loading">Opening the project…</div>;

  const saveName = async (name: string) => {
    setSession(await api.setAnnotator({ name }));
    setRenaming(false);
  };

  return (
    <div className={`app${dragging ? ' dragging' : ''}`} {...dropHandlers}>
      <header className="app-header">
        <h1>Margin</h1>
        <span className="project-name" title={session.project.dir}>
          {session.project.name}
        </span>
        <span className="spacer" />
        <ImportButton ref={importInput} onFiles={(files) => void importFiles(files)} />
        <button type="button" className="annotator-button" title="Change your annotator name" onClick={() => setRenaming(true)}>
          Annotator: <strong data-testid="annotator-name">{session.annotator ?? '—'}</strong>
        </button>
      </header>
      <Notices notices={notices} onDismiss={dismiss} />
      <div className="workspace">
        {documents && documents.length > 0 ? (
          <>
            <DocumentList documents={documents} currentId={currentId} onOpen={open} />
            {currentId ? (
              <DocumentPane view={view} schema={session.schema} annotator={session.annotator} handleUndoKeys={session.mode === 'browser'} />
            ) : (
              <main className="document-pane placeholder">
                <p>Choose an article on the left to read and tag it.</p>
              </main>
            )}
          </>
        ) : (
          documents && <EmptyProject busy={busy} onLoadSamples={() => void loadSamples()} />
        )}
      </div>
      {dragging && <div className="drop-overlay">Drop .txt articles to import them</div>}
      {(session.annotator === null || renaming) && (
        <AnnotatorDialog initial={session.annotator ?? ''} onSave={saveName} {...(renaming ? { onCancel: () => setRenaming(false) } : {})} />
      )}
    </div>
  );
}
