import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AnnotationImportReport, ApiResult, ImportReport, ProjectChange, Session } from '../../shared/api';
import { plural } from '../../shared/plural';
import type { DocStatus, DocumentSummary, TagSchema } from '../../shared/model';
import { api, ApiError, messageOf, onAppEvent } from './api/client';
import { filesFromDrop, importBrowserFiles, type ImportProgress, type SourceFile } from './api/files';
import { ActionsMenu } from './components/ActionsMenu';
import { AgreementDashboard } from './components/AgreementDashboard';
import { AnnotatorDialog } from './components/AnnotatorDialog';
import { DeleteDocumentDialog } from './components/DeleteDocumentDialog';
import { DocumentList } from './components/DocumentList';
import { sortDocuments } from './components/documentSort';
import { PanelSplitter } from './components/PanelSplitter';
import { DocumentPane } from './components/DocumentPane';
import { EmptyProject } from './components/EmptyProject';
import { ImportButton } from './components/ImportButton';
import { ExportDialog } from './components/ExportDialog';
import { ImportAnnotationsDialog } from './components/ImportAnnotationsDialog';
import { ImportProgressBar } from './components/ImportProgressBar';
import { SyncProgressBar } from './components/SyncProgressBar';
import { useSync } from './hooks/useSync';
import { PasteDialog } from './components/PasteDialog';
import { ProjectSettingsDialog } from './components/ProjectSettingsDialog';
import { Notices } from './components/Notices';
import { type SchemaBase, SchemaEditor } from './components/schema/SchemaEditor';
import { ShortcutOverlay } from './components/ShortcutOverlay';
import { History } from './editing/history';
import * as steps from './editing/steps';
import { hasAction, runAction, typingInField, useActionHandlers, useGlobalShortcuts } from './hooks/actions';
import { useDocumentView } from './hooks/useDocumentView';
import { useRemembered, viewMemory } from './hooks/useViewMemory';
import { changeEffects, useProjectChanges } from './hooks/useProjectChanges';
import { type NoticeAction, useNotices } from './hooks/useNotices';
import { exportDownloadHref } from './api/downloads';

/** The open document is also in the URL hash: an address names the article it shows. */
function docIdFromHash(): string | null {
  return new URLSearchParams(window.location.hash.slice(1)).get('doc');
}

export function App() {
  const { notices, notify, dismiss } = useNotices();
  const [session, setSession] = useState<Session | null>(null);
  const [fatal, setFatal] = useState<string | null>(null);
  const [documents, setDocuments] = useState<DocumentSummary[] | null>(null);
  // The open article, the list's search and order and the panels' widths come back when the project is opened again.
  const [viewRestored, setViewRestored] = useState(false);
  const [query, setQuery] = useRemembered('documentQuery');
  const [currentId, setCurrentId] = useRemembered('openDocId');
  const [panelWidths, setPanelWidths] = useRemembered('panelWidths');
  const [renaming, setRenaming] = useState(false);
  const [editingSchema, setEditingSchema] = useState(false);
  const [showShortcuts, setShowShortcuts] = useState(false);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [pasting, setPasting] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [importingAnnotations, setImportingAnnotations] = useState(false);
  const [showAgreement, setShowAgreement] = useState(false);
  const [editingSettings, setEditingSettings] = useState(false);
  /** The document whose deletion is being confirmed. */
  const [deleting, setDeleting] = useState<string | null>(null);
  /** The last document deleted, which Ctrl+Z puts back while no other article is open; its notice offers the same. */
  const [deleted, setDeleted] = useState<{ trashId: string; title: string; noticeId: number } | null>(null);
  /** A document to open straight in the compare view (from the agreement dashboard). */
  const [compareRequest, setCompareRequest] = useState<{ docId: string; nonce: number } | null>(null);
  /** The import under way, in the window (browser files) or in the main process (desktop menu). */
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const importAbort = useRef<AbortController | null>(null);
  const history = useMemo(() => new History(), []);
  const [sortKey, setSortKey] = useRemembered('documentSort');
  const importInput = useRef<HTMLInputElement>(null);
  const importFolderInput = useRef<HTMLInputElement>(null);

  useGlobalShortcuts();

  const refreshDocuments = useCallback(() => {
    api
      .listDocuments(query ? { query } : {})
      .then(setDocuments)
      .catch((error: unknown) => notify('error', messageOf(error)));
  }, [notify, query]);

  const loadSession = useCallback(() => {
    api
      .getSession({})
      .then((s) => {
        setSession(s);
        setFatal(null);
      })
      .catch((error: unknown) => setFatal(messageOf(error)));
  }, []);

  const open = useCallback(
    (id: string | null) => {
      setCurrentId(id);
      window.history.replaceState(null, '', id ? `#doc=${id}` : `${window.location.pathname}${window.location.search}`);
    },
    [setCurrentId],
  );

  /** The project's remembered view; the address's #doc, when it has one, is the article to show. */
  const restoreView = useCallback(
    (fromAddress: boolean) =>
      void viewMemory.load().then((view) => {
        open((fromAddress ? docIdFromHash() : null) ?? view.openDocId);
        setViewRestored(true);
      }),
    [open],
  );

  useEffect(loadSession, [loadSession]);
  useEffect(() => restoreView(true), [restoreView]);
  // Listed with the remembered search, not first without it.
  useEffect(() => {
    if (viewRestored) refreshDocuments();
  }, [viewRestored, refreshDocuments]);

  // Counts and statuses follow every change; the session (its schema) only when the schema changed.
  const onChanged = useCallback(
    (schemaChanged = false) => {
      if (schemaChanged) {
        api
          .getSession({})
          .then(setSession)
          .catch(() => undefined);
      }
      refreshDocuments();
    },
    [refreshDocuments],
  );

  const view = useDocumentView(currentId, history, notify, onChanged);

  // Other writers (a git pull, a synced drive): reload only what they touched; selection, open
  // dialogs and drafts are state of their own and stay as they are.
  const { reload } = view;
  const followDisk = useCallback(
    (changes: ProjectChange[]) => {
      const effects = changeEffects(changes, currentId);
      if (effects.session) onChanged(true);
      else if (effects.documentList) refreshDocuments();
      if (effects.openDocument || effects.openDocumentMeta) {
        reload(effects.openDocumentMeta).catch((error: unknown) => notify('error', messageOf(error)));
      }
    },
    [currentId, onChanged, refreshDocuments, reload, notify],
  );
  useProjectChanges(followDisk);

  /** After a refused schema edit (made on an older schema): the current schema, and the labels it gives the open document. */
  const followSchemaOnDisk = useCallback(() => followDisk([{ kind: 'schema' }]), [followDisk]);

  // Sync through git: what came in (or what stopped it, and what to do) is told in a notice.
  const sync = useSync(
    (report) => {
      notify(report.ok ? 'info' : 'error', report.summary, report.notes);
      if (report.pulled) followDisk([{ kind: 'schema' }, { kind: 'documents' }]);
    },
    (message) => notify('error', message),
  );

  const showReport = useCallback(
    (report: ImportReport) => {
      setProgress(null);
      setCancelling(false);
      const parts = [`Imported ${report.imported.length} article${report.imported.length === 1 ? '' : 's'}`];
      if (report.nearDuplicates.length) parts.push(`${report.nearDuplicates.length} near-duplicate${report.nearDuplicates.length === 1 ? '' : 's'}`);
      if (report.duplicates.length) parts.push(`${report.duplicates.length} already in the project`);
      if (report.failed.length) parts.push(`${report.failed.length} could not be imported`);
      if (report.cancelled) parts.push('cancelled before the rest');
      const details = [
        ...report.nearDuplicates.map((d) => `${d.fileName} nearly repeats “${d.of.map((o) => o.title).join('”, “')}”.`),
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
    async (files: SourceFile[]) => {
      if (importAbort.current) return notify('error', 'An import is already running; wait for it or cancel it.');
      const abort = new AbortController();
      importAbort.current = abort;
      setBusy(true);
      try {
        showReport(await importBrowserFiles(files, setProgress, abort.signal));
      } catch (error) {
        notify('error', messageOf(error));
        refreshDocuments();
      } finally {
        importAbort.current = null;
        setProgress(null);
        setCancelling(false);
        setBusy(false);
      }
    },
    [showReport, notify, refreshDocuments],
  );

  const cancelImport = useCallback(() => {
    setCancelling(true);
    if (importAbort.current) importAbort.current.abort();
    else void api.cancelImport({}).catch((error: unknown) => notify('error', messageOf(error)));
  }, [notify]);

  const importPasted = useCallback(
    async (text: string, title: string) => {
      try {
        const report = await api.importText({ text, ...(title ? { title } : {}) });
        showReport(report);
        const added = report.imported[0] ?? report.duplicates[0];
        if (added) open(added.docId);
        return report.failed.length === 0;
      } catch (error) {
        notify('error', messageOf(error));
        return false;
      }
    },
    [showReport, notify, open],
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

  const setStatus = useCallback(
    async (docId: string, status: DocStatus) => {
      const previous = documents?.find((d) => d.id === docId)?.status ?? 'not-started';
      try {
        const { step } = await steps.setStatus(api, docId, previous, status);
        history.push(docId, step);
        refreshDocuments();
        // Under blind annotation, done shows the colleagues' layers (and not done hides them again).
        if (docId === currentId) await reload();
      } catch (error) {
        notify('error', messageOf(error));
      }
    },
    [documents, history, refreshDocuments, notify, currentId, reload],
  );

  const saveSchema = useCallback(
    async (next: TagSchema, renames: steps.SchemaRenames, deleteLabels: steps.LabelDeletions, base: SchemaBase) => {
      if (!session) return;
      // Errors propagate: the editor shows them and stays open. An edit made on a schema that
      // changed meanwhile is refused: the current one is loaded so the next try starts from it.
      const { session: updated, step } = await steps.editSchema(api, base, next, renames, deleteLabels).catch((error: unknown) => {
        if (error instanceof ApiError && error.code === 'conflict') followSchemaOnDisk();
        throw error;
      });
      setSession(updated);
      if (currentId) history.push(currentId, step);
      setEditingSchema(false);
      refreshDocuments();
      // Renamed or removed labels change the open document's annotations too.
      await view.reload();
      notify('info', 'Tag schema saved.');
    },
    [session, currentId, history, refreshDocuments, notify, view, followSchemaOnDisk],
  );

  // An unknown label becomes an alias of a schema label: margin.json alone, for every annotator.
  const mapLabel = useCallback(
    async (from: string, to: string) => {
      if (!session) return;
      try {
        const { session: updated } = await api.mapUnknownLabel({ from, to, baseRevision: session.revision });
        setSession(updated);
        refreshDocuments();
        await view.reload();
        notify('info', `“${from}” is now shown as ${to}, for everyone working on this project.`);
      } catch (error) {
        if (error instanceof ApiError && error.code === 'conflict') followSchemaOnDisk();
        notify('error', messageOf(error));
      }
    },
    [session, refreshDocuments, notify, view, followSchemaOnDisk],
  );

  // Next and previous follow the order on screen.
  const moveDocument = (direction: 1 | -1) => {
    if (!documents || documents.length === 0) return;
    const shown = sortDocuments(documents, sortKey);
    const at = shown.findIndex((d) => d.id === currentId);
    const next = at === -1 ? 0 : Math.min(shown.length - 1, Math.max(0, at + direction));
    open(shown[next]!.id);
  };

  useActionHandlers({
    'next-document': () => moveDocument(1),
    'previous-document': () => moveDocument(-1),
    'toggle-done': () => {
      const doc = documents?.find((d) => d.id === currentId);
      if (doc) void setStatus(doc.id, doc.status === 'done' ? 'in-progress' : 'done');
    },
    'edit-schema': () => setEditingSchema(true),
    export: () => setExporting(true),
    sync: sync.start,
    agreement: () => setShowAgreement(true),
    'import-annotations': () => setImportingAnnotations(true),
    'paste-document': () => setPasting(true),
    shortcuts: () => setShowShortcuts((shown) => !shown),
    'project-settings': () => setEditingSettings(true),
    'delete-document': currentId ? () => setDeleting(currentId) : undefined,
    // With an article open, Ctrl+Z is that article's undo; right after a deletion none is open.
    undo:
      currentId === null && deleted
        ? () => {
            dismiss(deleted.noticeId);
            restoreDocument(deleted.trashId, deleted.title);
          }
        : undefined,
  });

  useEffect(
    () =>
      onAppEvent((event) => {
        if (event.type === 'project-changed') {
          setDeleted(null);
          restoreView(false);
          loadSession();
          refreshDocuments();
        } else if (event.type === 'imported') showReport(event.report);
        else if (event.type === 'import-progress') setProgress({ done: event.done, total: event.total, current: event.current });
        else if (event.type === 'error') notify('error', event.message);
        else if (event.type !== 'command') return;
        else if ((event.command === 'undo' || event.command === 'redo') && typingInField(document.activeElement)) {
          // The menu's Ctrl+Z reaches us even while typing: then it is the field's own undo.
          document.execCommand(event.command);
        } else if (!runAction(event.command)) notify('info', 'That action needs an open document.');
      }),
    [restoreView, loadSession, refreshDocuments, showReport, notify],
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
      // Folders are walked too; the items must be read before this handler returns.
      void filesFromDrop(e.dataTransfer.items)
        .then((files) => (files.length > 0 ? importFiles(files) : undefined))
        .catch((error: unknown) => notify('error', messageOf(error)));
    },
  };

  if (fatal) {
    return (
      <div className="fatal" role="alert">
        <h1>Margin could not open the project</h1>
        <p>{fatal}</p>
        <button type="button" onClick={loadSession}>
          Try again
        </button>
      </div>
    );
  }
  if (!session || !viewRestored) return <div className="loading">Opening the project…</div>;

  const saveName = async (name: string) => {
    setSession(await api.setAnnotator({ name }));
    setRenaming(false);
    // Statuses and "mine" differ per annotator, and so do the layers blind annotation lets one see.
    refreshDocuments();
    reload().catch((error: unknown) => notify('error', messageOf(error)));
  };
  const restoreDocument = (trashId: string, title: string) => {
    // Put back once: by Ctrl+Z or by the notice's Undo, whichever comes first.
    setDeleted((last) => (last?.trashId === trashId ? null : last));
    api
      .restoreDocument({ trashId })
      .then(({ docId }) => {
        refreshDocuments();
        open(docId);
        notify('info', `Restored “${title}” with everything on it.`);
      })
      .catch((error: unknown) => notify('error', messageOf(error)));
  };
  const documentDeleted = ({ trashId, footprint }: ApiResult<'deleteDocument'>) => {
    setDeleting(null);
    if (currentId === footprint.docId) open(null);
    refreshDocuments();
    const annotations = footprint.layers.reduce((n, l) => n + l.annotations, 0);
    const what = footprint.layers.length > 0 ? ` and its ${plural(annotations, 'annotation')} in ${plural(footprint.layers.length, 'layer')}` : '';
    const noticeId = notify('info', `Deleted “${footprint.title}”${what}.`, undefined, [{ label: 'Undo', closes: true, run: () => restoreDocument(trashId, footprint.title) }]);
    setDeleted({ trashId, title: footprint.title, noticeId });
  };
  const hasDocuments = documents !== null && (documents.length > 0 || query !== '');
  // Who has tagged the open document, whether or not blind annotation lets this window see their layers.
  const openStatuses = documents?.find((d) => d.id === currentId)?.statuses ?? {};
  const layerAnnotators = Object.keys(openStatuses).filter((name) => openStatuses[name] !== 'not-started');
  const annotators = [...new Set([...(session.annotator ? [session.annotator] : []), ...(documents ?? []).flatMap((d) => Object.keys(d.statuses))])].sort();
  const annotationsImported = (report: AnnotationImportReport) => {
    setImportingAnnotations(false);
    const count = (key: 'imported' | 'alreadyPresent' | 'reanchored' | 'orphaned') => report.files.reduce((n, f) => n + f[key], 0);
    const rejected = report.files.flatMap((f) => f.rejected.map((r) => `${f.name}${r.line ? ` line ${r.line}` : ''}: ${r.reason}`));
    const notes = report.files.flatMap((f) => f.notes.map((r) => `${f.name}${r.line ? ` line ${r.line}` : ''}: ${r.reason}`));
    const parts = [`Imported ${plural(count('imported'), 'annotation')} into ${report.annotator}'s layer`];
    if (count('reanchored')) parts.push(`${count('reanchored')} re-anchored by their quote`);
    if (count('alreadyPresent')) parts.push(`${count('alreadyPresent')} already present (not added again)`);
    if (count('orphaned')) parts.push(`${count('orphaned')} could not be placed and are kept as orphans`);
    if (rejected.length) parts.push(`${rejected.length} rejected`);
    if (notes.length) parts.push(`${notes.length} imported without an attribute the schema lacks`);
    if (report.createdDocuments.length) parts.push(plural(report.createdDocuments.length, 'new document'));
    notify(rejected.length ? 'error' : 'info', `${parts.join('; ')}.`, [...rejected, ...notes].slice(0, 50));
    // The import may have added labels, attributes or relation types to the schema.
    onChanged(true);
    void view.reload();
  };

  return (
    <div className={`app${dragging ? ' dragging' : ''}`} {...dropHandlers}>
      <header className="app-header">
        <h1>Margin</h1>
        <span className="project-name" title={session.project.dir}>
          {session.project.name}
        </span>
        <span className="spacer" />
        <ImportButton ref={importInput} disabled={progress !== null} onFiles={(files) => void importFiles(files)} />
        <ImportButton ref={importFolderInput} folder disabled={progress !== null} onFiles={(files) => void importFiles(files)} />
        <button type="button" onClick={() => setPasting(true)} title="New document from pasted text">
          Paste…
        </button>
        <button type="button" onClick={() => setEditingSchema(true)} title="Edit the tag schema">
          Tags…
        </button>
        <button type="button" onClick={() => setEditingSettings(true)} title="Project settings, shared with the team: blind annotation, suggestions">
          Settings…
        </button>
        <button type="button" onClick={() => setExporting(true)} title="Export a dataset (Ctrl+E)">
          Export…
        </button>
        <button type="button" onClick={() => setShowAgreement(true)} title="How much the annotators agree (Ctrl+Shift+A)">
          Agreement
        </button>
        <button type="button" onClick={sync.start} disabled={sync.progress !== null} title="Sync with the team through git (Ctrl+Shift+Y)">
          Sync
        </button>
        {session.mode === 'browser' && (
          <ActionsMenu
            onAction={(id) => void runAction(id)}
            disabled={(id) => !hasAction(id)}
            extras={[
              { id: 'import-articles', menu: 'File', title: 'Import articles…', disabled: progress !== null, run: () => importInput.current?.click() },
              { id: 'import-folder', menu: 'File', title: 'Import folder…', disabled: progress !== null, run: () => importFolderInput.current?.click() },
            ]}
          />
        )}
        <button type="button" className="annotator-button" title="Change your annotator name" onClick={() => setRenaming(true)}>
          Annotator: <strong data-testid="annotator-name">{session.annotator ?? '—'}</strong>
        </button>
      </header>
      {progress && <ImportProgressBar progress={progress} cancelling={cancelling} onCancel={cancelImport} />}
      {sync.progress && <SyncProgressBar progress={sync.progress} />}
      <div className="workspace" style={{ '--list-width': `${panelWidths.list}px`, '--side-width': `${panelWidths.side}px` } as React.CSSProperties}>
        {hasDocuments ? (
          <>
            <DocumentList
              documents={documents}
              currentId={currentId}
              schema={session.schema}
              query={query}
              onQueryChange={setQuery}
              onOpen={open}
              onSetStatus={(id, status) => void setStatus(id, status)}
              sortKey={sortKey}
              onSortChange={setSortKey}
            />
            {currentId ? (
              <DocumentPane
                view={view}
                schema={session.schema}
                annotator={session.annotator}
                blind={session.settings.blindAnnotation}
                layerAnnotators={layerAnnotators}
                notify={notify}
                onOpenDocument={open}
                compareRequest={compareRequest?.docId === currentId ? compareRequest.nonce : null}
                onMapLabel={mapLabel}
                onDeleteDocument={() => setDeleting(currentId)}
              />
            ) : (
              <main className="document-pane placeholder">
                <p>Choose an article on the left to read and tag it.</p>
              </main>
            )}
          </>
        ) : (
          documents && <EmptyProject busy={busy} onLoadSamples={() => void loadSamples()} />
        )}
        <Notices notices={notices} onDismiss={dismiss} />
        {hasDocuments && (
          // A landmark of their own (laid out as the workspace's children), so a screen reader finds them.
          <section className="panel-edges" aria-label="Panel widths">
            <PanelSplitter panel="list" widths={panelWidths} onResize={setPanelWidths} />
            {currentId && <PanelSplitter panel="side" widths={panelWidths} onResize={setPanelWidths} />}
          </section>
        )}
      </div>
      {dragging && <div className="drop-overlay">Drop articles or folders to import them</div>}
      {editingSettings && (
        <ProjectSettingsDialog
          session={session}
          onClose={() => setEditingSettings(false)}
          onSaved={(updated) => {
            setSession(updated);
            setEditingSettings(false);
            refreshDocuments();
            void reload().catch((error: unknown) => notify('error', messageOf(error)));
            notify('info', updated.settings.blindAnnotation ? 'Blind annotation is on for everyone in this project.' : 'Blind annotation is off: everyone sees every layer.');
          }}
        />
      )}
      {editingSchema && (
        <SchemaEditor schema={session.schema} revision={session.revision} loadUsage={() => api.labelUsage({})} onSave={saveSchema} onClose={() => setEditingSchema(false)} />
      )}
      {exporting && (
        <ExportDialog
          session={session}
          annotators={annotators}
          onClose={() => setExporting(false)}
          onDone={(message, path) => {
            setExporting(false);
            const reveal = (target: string) => void api.revealExport({ path: target }).catch((error: unknown) => notify('error', messageOf(error)));
            // Browser mode wrote the export on the server's side: the user gets it as a download.
            const action: NoticeAction | null = !path
              ? null
              : session.mode === 'electron'
                ? { label: 'Show in folder', run: () => reveal(path) }
                : { label: 'Download', href: exportDownloadHref(path) };
            notify('info', message, undefined, action ? [action] : undefined);
            if (path && session.mode === 'electron') reveal(path);
          }}
        />
      )}
      {showAgreement && (
        <AgreementDashboard
          onClose={() => setShowAgreement(false)}
          onCompare={(docId) => {
            setShowAgreement(false);
            open(docId);
            setCompareRequest({ docId, nonce: Date.now() });
          }}
        />
      )}
      {deleting && <DeleteDocumentDialog docId={deleting} annotator={session.annotator} onDeleted={documentDeleted} onClose={() => setDeleting(null)} />}
      {importingAnnotations && <ImportAnnotationsDialog onImported={annotationsImported} onClose={() => setImportingAnnotations(false)} />}
      {pasting && <PasteDialog onImport={importPasted} onClose={() => setPasting(false)} />}
      {showShortcuts && <ShortcutOverlay schema={session.schema} onClose={() => setShowShortcuts(false)} />}
      {(session.annotator === null || renaming) && (
        <AnnotatorDialog initial={session.annotator ?? ''} onSave={saveName} {...(renaming ? { onCancel: () => setRenaming(false) } : {})} />
      )}
    </div>
  );
}
