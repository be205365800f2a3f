import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { type ApiHandlers, type Caller, DEFAULT_WINDOW, type Session } from '../../shared/api';
import { agreementReport } from './review/agreement';
import { importAnnotations } from './datasets/annotationImport';
import { createAnnotations, deleteAnnotations, restoreAnnotations, updateAnnotation } from './editing/annotationOps';
import { acceptSuggestions, rejectSuggestions } from './assist/acceptSuggestions';
import { listSuggestions } from './assist/suggestionList';
import { checkSuggestionSettings, suggestionsInForce } from './assist/suggestionSettings';
import { ExportJobs, isInsideExports } from './datasets/datasetExport';
import { documentView, labelUsage, listDocuments, setDocumentStatus, updateDocumentMeta } from './editing/documentOps';
import { deleteDocument, documentFootprint, restoreDocument } from './editing/documentDeletion';
import { MarginError } from './errors';
import { emptyReport } from '../../shared/importReport';
import { importBytes, type ImportProgress, importPaths, importText } from './intake/importer';
import { samplesDir } from './store/paths';
import { ProjectStore } from './store/projectStore';
import { adjudicate, compareLayers, listReviews, restoreLayer, setReview } from './review/review';
import { createRelation, deleteRelation } from './editing/relationOps';
import { liveRelations } from './editing/relationRules';
import { isBlind, parseReveals, type RevealPairs, Reveals, seesColleagues, settingsInForce } from './review/blindMode';
import { mapUnknownLabel, updateSchema } from './editing/schemaMigration';
import { Settings } from './store/settings';
import { ProjectMemory } from './store/projectMemory';
import { fitToProject, parseViewMemory, type ViewMemory } from '../../shared/viewMemory';
import { byTextOrder } from './editing/spans';
import { packAnnotations } from '../../shared/annotationPack';
import { sortedInTextOrder } from '../../shared/spanOrder';
import { WriteQueue } from './store/writeQueue';
import { ChangeFeed, RELOAD_ALL } from './team/changeFeed';
import { ProjectWatcher } from './team/watcher';
import { writeOrigin } from './store/writeOrigin';
import { syncProject } from './team/sync';
import { SyncJobs } from './team/syncJobs';
import type { ProjectChange, SyncReport, SyncStep } from '../../shared/api';
import type { LayerFile, ProjectSettings } from '../../shared/model';

/** Window names kept at most (browser tabs come and go over a long-running server). */
const MAX_WINDOWS = 1000;

export interface WorkspaceOptions {
  userData: string;
  /** Project to open; defaults to the last one used, then the default project. */
  projectDir: string;
  mode: Session['mode'];
  /** Shows a file in the system's file manager (the desktop app passes shell.showItemInFolder). */
  reveal?: (path: string) => void;
  /** Take the project lock whoever holds it (--take-over-lock, the desktop's "Take over"). */
  takeOverLock?: boolean;
  /** The settings a project made now (the folder missing or empty) starts with, instead of the defaults. */
  newProjectSettings?: ProjectSettings;
}

/** The orphans of the layers, each with its annotator. */
const orphansOf = (layers: readonly LayerFile[]) => layers.flatMap((l) => (l.orphans ?? []).map((o) => ({ ...o, annotator: l.annotator })));

/**
 * The services behind the API: the open project and the user's settings, composed with the
 * modules that implement each method. Every change to annotations or the schema goes through
 * one queue, so a check and the write it guards are never interleaved with another change.
 */
export class Workspace {
  private readonly changes = new WriteQueue();
  /** The import the desktop app is running (File → Import), which cancelImport stops. */
  private runningImport: { controller: AbortController; done: Promise<unknown> } | null = null;
  /** Dataset exports running in the background (startExport), polled by id. */
  private readonly exports = new ExportJobs();
  /** Sync through git (startSync), polled by id; one at a time. */
  private readonly syncs = new SyncJobs();
  /** Shows a path in the file manager; only the desktop app has one (main.ts sets it). */
  reveal: ((path: string) => void) | null = null;
  /** Each window's annotator name (a desktop window, a browser tab), by window id; see nameOf. */
  private readonly windowNames = new Map<string, string | null>();
  /** What other writers changed on disk, for the windows' long polls (waitForChanges). */
  private readonly feed = new ChangeFeed();
  /** Documents each reviewer opened in the compare view: blind annotation no longer hides their layers from them. */
  private readonly reveals = new Reveals();
  /** Watching the project folder; started by the first poll, so the CLI never watches. */
  private watching: Promise<ProjectWatcher | null> | null = null;

  private constructor(
    private store: ProjectStore,
    private readonly settings: Settings,
    private readonly mode: Session['mode'],
    /** What this user keeps per project, never in the project folder: their last view, their reveals. */
    private readonly memory: { views: ProjectMemory<ViewMemory>; reveals: ProjectMemory<RevealPairs> },
  ) {
    this.follow(store);
  }

  /**
   * Layer changes journaled by the store do not show in the folder (the journal is a hidden
   * file): the other windows are told of them here, the window that made them is not.
   */
  private follow(store: ProjectStore): void {
    store.onLayerWritten = (annotator, docId) => {
      // As for the watcher's own writes: only a change a window made is news (to the other windows).
      const origin = writeOrigin.getStore();
      if (origin !== undefined) this.feed.push([{ kind: 'layer', docId, annotator }], origin);
    };
  }

  static async open(options: WorkspaceOptions): Promise<Workspace> {
    const settings = await Settings.open(options.userData);
    const store = await ProjectStore.open(options.projectDir, { takeOverLock: options.takeOverLock, settings: options.newProjectSettings });
    await settings.update({ lastProject: store.dir });
    const workspace = new Workspace(store, settings, options.mode, {
      views: new ProjectMemory(path.join(options.userData, 'view-memory.json'), parseViewMemory),
      reveals: new ProjectMemory(path.join(options.userData, 'reveals.json'), parseReveals),
    });
    workspace.reveals.replace(await workspace.memory.reveals.load(store.dir));
    workspace.reveal = options.reveal ?? null;
    // Checks the project index against the disk while the window loads, so the first list is ready sooner.
    store.layerSummaries().catch(() => undefined);
    return workspace;
  }

  get projectDir(): string {
    return this.store.dir;
  }

  /** Imports files and folders from disk in one go (no progress, not cancellable). */
  importPaths(paths: readonly string[]) {
    return importPaths(this.store, paths);
  }

  /**
   * Imports files and folders from disk as the desktop app's one import job: progress goes to
   * `onProgress`, and cancelImport (from the window) stops it after the file at hand. One job at
   * a time: a second one while the first runs is refused.
   */
  async importPathsWithProgress(paths: readonly string[], onProgress?: (progress: ImportProgress) => void) {
    if (this.runningImport) throw new MarginError('conflict', 'An import is already running: wait for it to finish or cancel it first.');
    const controller = new AbortController();
    const done = importPaths(this.store, paths, { onProgress, signal: controller.signal });
    const job = { controller, done };
    this.runningImport = job;
    try {
      return await done;
    } finally {
      if (this.runningImport === job) this.runningImport = null;
    }
  }

  /** Stops the running import job after the file at hand; false when none runs. */
  cancelImport(): { cancelled: boolean } {
    if (!this.runningImport) return { cancelled: false };
    this.runningImport.controller.abort();
    return { cancelled: true };
  }

  /** Cancels a running import and waits until it has stopped (its last document is on disk). */
  private async stopImport(): Promise<void> {
    const job = this.runningImport;
    if (!job) return;
    job.controller.abort();
    await job.done.catch(() => undefined);
  }

  /** Opens (or creates, when empty) another project folder and makes it current. */
  async switchProject(dir: string, options: { takeOverLock?: boolean } = {}): Promise<void> {
    // Reopening the current project would trip over our own lock: it is already open.
    if (path.resolve(dir) === this.store.dir) return;
    const next = await ProjectStore.open(dir, { takeOverLock: options.takeOverLock });
    // An import into the project being closed stops first, so it never writes into a closed project.
    await this.stopImport();
    await this.exports.cancelAll();
    await this.changes.run(async () => {
      await this.store.close();
      this.store = next;
      this.follow(next);
    });
    await this.settings.update({ lastProject: next.dir });
    if (this.watching) {
      await this.stopWatching();
      void this.watch();
    }
    // Every window shows another project now.
    this.reveals.replace(await this.memory.reveals.load(next.dir));
    this.feed.push(RELOAD_ALL);
  }

  /** Starts watching the open project for other writers (once); a watch that fails is logged, and retried by the next poll. */
  private watch(): Promise<ProjectWatcher | null> {
    const onChanges = (changes: ProjectChange[], origin?: string) => {
      // A layer rewritten in place (a sync drive) leaves its folder as it was: the index is told here.
      for (const change of changes) if (change.kind === 'layer' && origin === undefined) this.store.layerChangedOnDisk(change.annotator, change.docId);
      this.feed.push(changes, origin);
    };
    this.watching ??= ProjectWatcher.start(this.store.dir, { onChanges }).catch((error: unknown) => {
      console.warn(`[margin] cannot watch ${this.store.dir} for changes: ${(error as Error).message}`);
      this.watching = null;
      return null;
    });
    return this.watching;
  }

  private async stopWatching(): Promise<void> {
    const running = this.watching;
    this.watching = null;
    await (await running)?.close();
  }

  /**
   * Sync through git as `annotator` (team/sync.ts). It waits its turn like a change, so no write
   * lands while git commits and merges; then the store reads what the pull changed on disk.
   */
  sync(annotator: string, onStep?: (step: SyncStep) => void): Promise<SyncReport> {
    return this.changes.run(async () => {
      // Git must see every acknowledged change in the layer files themselves.
      await this.store.compactAll();
      const report = await syncProject({ dir: this.store.dir, annotator, onStep });
      await this.store.refresh();
      return report;
    });
  }

  async close(): Promise<void> {
    this.feed.close();
    await this.syncs.idle();
    await this.stopWatching();
    await this.stopImport();
    await this.exports.cancelAll();
    await this.store.close();
  }

  /**
   * The caller's window's annotator name. A window seen for the first time starts from the last
   * name set in any window (the settings), and keeps it until it sets its own: another window's
   * later rename never changes whose name its tags carry.
   */
  private nameOf(caller: Caller | undefined): string | null {
    const id = caller?.windowId ?? DEFAULT_WINDOW;
    const name = this.windowNames.has(id) ? this.windowNames.get(id)! : this.settings.value.annotator;
    // Most recently used last, so the oldest window is forgotten first when there are very many.
    this.windowNames.delete(id);
    this.windowNames.set(id, name);
    if (this.windowNames.size > MAX_WINDOWS) this.windowNames.delete(this.windowNames.keys().next().value!);
    return name;
  }

  private session(caller: Caller | undefined): Session {
    return {
      project: { dir: this.store.dir, name: this.store.project.name },
      annotator: this.nameOf(caller),
      schema: this.store.project.schema,
      revision: this.store.revision,
      ...(this.store.problem ? { problem: this.store.problem } : {}),
      mode: this.mode,
      settings: { ...settingsInForce(this.store.project.settings), suggestions: suggestionsInForce(this.store.project.settings, this.store.project.schema) },
    };
  }

  private annotator(caller: Caller | undefined): string {
    const name = this.nameOf(caller);
    if (!name) throw new MarginError('bad-input', 'Set your annotator name (in the header) before making changes: every change is stored under it.');
    return name;
  }

  /** Runs a change to the project as the caller's window's annotator, after any change already under way. */
  private change<T>(caller: Caller | undefined, run: (store: ProjectStore, annotator: string) => Promise<T>): Promise<T> {
    return this.changes.run(async () => {
      // The disk is the truth: a schema or documents another writer changed are read first.
      await this.store.refresh();
      return run(this.store, this.annotator(caller));
    });
  }

  /**
   * The layers of a document the caller's window may be shown: every one, or under blind
   * annotation only the caller's own until they mark it done or open the compare view.
   */
  private async shownLayers(docId: string, caller: Caller | undefined): Promise<LayerFile[]> {
    this.store.documentHeader(docId);
    const layers = await this.store.layersOf(docId);
    const viewer = this.nameOf(caller);
    const own = layers.find((l) => l.annotator === viewer);
    if (seesColleagues(isBlind(this.store.project.settings), own?.status === 'done', this.reveals.has(viewer, docId))) return layers;
    return own ? [own] : [];
  }

  /** The reviews of a document the caller may see: those of the layers shown, and their own. */
  private async reviewsShown(docId: string, layers: readonly LayerFile[], caller: Caller | undefined) {
    const shown = new Set(layers.map((l) => l.annotator));
    const viewer = this.nameOf(caller);
    return (await listReviews(this.store, docId)).filter((r) => shown.has(r.annotator) || r.reviewer === viewer);
  }

  readonly handlers: ApiHandlers = {
    getSession: async (_args, caller) => {
      await this.store.refresh();
      return this.session(caller);
    },

    // This window's name, and the one new windows start from.
    setAnnotator: async ({ name }, caller) => {
      this.windowNames.set(caller?.windowId ?? DEFAULT_WINDOW, name);
      await this.settings.update({ annotator: name });
      return this.session(caller);
    },

    waitForChanges: async ({ since }, caller) => {
      await this.watch();
      return this.feed.wait(since, caller?.signal, caller?.windowId);
    },

    listDocuments: async ({ query }, caller) => {
      await this.store.refresh();
      const viewer = this.nameOf(caller);
      const blind = isBlind(this.store.project.settings);
      return listDocuments(this.store, viewer, query, (docId, ownDone) => seesColleagues(blind, ownDone, this.reveals.has(viewer, docId)));
    },

    getDocument: ({ docId }) => documentView(this.store, docId),

    importFiles: async ({ files }) => {
      const report = emptyReport();
      for (const file of files) {
        await importBytes(this.store, file.name, Buffer.from(file.data, 'base64'), report);
      }
      return report;
    },

    loadSamples: async () => {
      const dir = samplesDir();
      const names = (await readdir(dir)).filter((n) => n.endsWith('.txt')).sort();
      return importPaths(
        this.store,
        names.map((n) => path.join(dir, n)),
      );
    },

    importText: ({ text, title }) => importText(this.store, text, title),

    // Not an annotator's change (no name needed), but it waits its turn like one.
    // Each annotator's metadata edits live in their own file (store/documentMeta.ts).
    updateDocumentMeta: ({ docId, meta }, caller) => this.change(caller, (store, annotator) => updateDocumentMeta(store, annotator, docId, meta)),

    // Deleting removes colleagues' files too: against confirmed counts, into the trash (documentDeletion.ts).
    documentFootprint: async ({ docId }) => {
      await this.store.refresh();
      return documentFootprint(this.store, docId);
    },
    deleteDocument: ({ docId, confirmed }, caller) => this.change(caller, (store) => deleteDocument(store, docId, confirmed)),
    restoreDocument: ({ trashId }, caller) => this.change(caller, (store) => restoreDocument(store, trashId)),

    cancelImport: async () => this.cancelImport(),

    // Exports only read: they run beside changes, each on the project as it was when started.
    startExport: (request) => this.exports.start(this.store, request),

    exportProgress: async ({ jobId }) => this.exports.progress(jobId),

    cancelExport: ({ jobId }) => this.exports.cancel(jobId),

    startSync: async (_args, caller) => {
      const annotator = this.annotator(caller);
      return this.syncs.start((onStep) => this.sync(annotator, onStep));
    },

    syncProgress: async ({ jobId }) => this.syncs.progress(jobId),

    revealExport: async ({ path: target }) => {
      if (!this.reveal) return { revealed: false };
      if (!(await isInsideExports(this.store.dir, target))) {
        throw new MarginError('bad-input', `Only exports of this project (inside ${path.join(this.store.dir, 'exports')}) can be shown.`);
      }
      this.reveal(path.resolve(target));
      return { revealed: true };
    },

    // Parsing and checking happen in the queue too, so the schema they were checked against is the one written.
    importAnnotations: ({ format, files, annotator, addToSchema, dryRun }) =>
      this.changes.run(() =>
        importAnnotations(this.store, {
          format,
          files: files.map((f) => ({ name: f.name, content: Buffer.from(f.data, 'base64').toString('utf8') })),
          annotator,
          addToSchema,
          dryRun,
          applySchema: async (schema) => {
            await updateSchema(this.store, { schema, renameLabels: [], renameAttributes: [] });
          },
        }),
      ),

    // Reads of layers show what blind annotation lets the caller see (shownLayers).
    listAnnotations: async ({ docId }, caller) => (await this.shownLayers(docId, caller)).flatMap((l) => l.annotations).sort(byTextOrder),

    createAnnotation: ({ docId, label, start, end }, caller) =>
      this.change(caller, async (store, annotator) => (await createAnnotations(store, annotator, docId, [{ label, start, end }], () => ''))[0]!),

    createAnnotations: ({ docId, spans }, caller) => this.change(caller, (store, annotator) => createAnnotations(store, annotator, docId, spans, (i) => `spans.${i}.`)),

    updateAnnotation: ({ docId, annotationId, changes }, caller) =>
      this.change(caller, (store, annotator) => updateAnnotation(store, annotator, docId, annotationId, changes)),

    deleteAnnotations: ({ docId, annotationIds }, caller) => this.change(caller, (store, annotator) => deleteAnnotations(store, annotator, docId, annotationIds)),

    restoreAnnotations: ({ annotations, relations }, caller) =>
      this.change(caller, (store, annotator) => restoreAnnotations(store, annotator, annotations, relations)),

    // Suggestions are offered to someone: the list depends on their own tags and rejections (assist/).
    listSuggestions: async ({ docId }, caller) => listSuggestions(this.store, this.annotator(caller), docId),
    acceptSuggestions: ({ docId, keys }, caller) => this.change(caller, (store, annotator) => acceptSuggestions(store, annotator, docId, keys)),
    rejectSuggestions: ({ docId, keys, forget }, caller) => this.change(caller, (store, annotator) => rejectSuggestions(store, annotator, docId, keys, forget)),

    listRelations: async ({ docId }, caller) => liveRelations(this.store.project.schema, await this.shownLayers(docId, caller)),
    listOrphans: async ({ docId }, caller) => orphansOf(await this.shownLayers(docId, caller)),

    // The reading view's read: the four lists above from one reading of the layers, annotations packed.
    openDocument: async ({ docId, withDocument }, caller) => {
      const layers = await this.shownLayers(docId, caller);
      const [record, document, reviews] = await Promise.all([this.store.getDocument(docId), withDocument ? documentView(this.store, docId) : null, this.reviewsShown(docId, layers, caller)]);
      return {
        document,
        annotations: packAnnotations(docId, record.text, sortedInTextOrder(layers.flatMap((l) => l.annotations))),
        relations: liveRelations(this.store.project.schema, layers),
        orphans: orphansOf(layers),
        reviews,
      };
    },

    createRelation: (args, caller) => this.change(caller, (store, annotator) => createRelation(store, annotator, args)),

    deleteRelation: ({ docId, relationId }, caller) => this.change(caller, (store, annotator) => deleteRelation(store, annotator, docId, relationId)),

    setDocumentStatus: ({ docId, status }, caller) => this.change(caller, (store, annotator) => setDocumentStatus(store, annotator, docId, status)),

    labelUsage: () => labelUsage(this.store),

    // Only reads: runs beside changes, on the layers as they are on disk.
    agreement: (args) => agreementReport(this.store, args),

    // Review (review.ts): comparing reads only; adjudication writes the gold layer (no annotator
    // name needed) and waits its turn; a review is the current annotator's, in their own layer.
    // Opening the compare view is a review: from then on the reviewer sees every layer of the document.
    compareLayers: async (args, caller) => {
      const comparison = await compareLayers(this.store, args);
      const reviewer = this.nameOf(caller);
      if (reviewer !== null && !this.reveals.has(reviewer, args.docId)) {
        this.reveals.add(reviewer, args.docId);
        // Kept for the next start; not kept is no reason to refuse the comparison.
        await this.memory.reveals.save(this.store.dir, this.reveals.pairs()).catch((error: unknown) => console.warn('[margin] a reveal could not be kept:', error));
      }
      return comparison;
    },
    adjudicate: (args) => this.changes.run(() => adjudicate(this.store, args)),
    // Restoring a layer needs the name: only one's own layer or gold may be put back.
    restoreLayer: (args, caller) => this.change(caller, (store, annotator) => restoreLayer(store, annotator, args)),
    setReview: (args, caller) => this.change(caller, (store, annotator) => setReview(store, annotator, args)),
    // Verdicts on one's own annotations always reach one; others' only with their layers.
    listReviews: async ({ docId }, caller) => this.reviewsShown(docId, await this.shownLayers(docId, caller), caller),

    // A schema edit is not an annotator's change: it needs no name, but waits its turn like one.
    updateSchema: (edit, caller) =>
      this.changes.run(async () => {
        const report = await updateSchema(this.store, edit);
        return { session: this.session(caller), ...report };
      }),

    mapUnknownLabel: (args, caller) =>
      this.changes.run(async () => {
        await mapUnknownLabel(this.store, args);
        return { session: this.session(caller) };
      }),

    // margin.json is shared: a settings change made on an older revision of it is refused, never applied.
    updateProjectSettings: ({ settings, baseRevision }, caller) =>
      this.changes.run(async () => {
        await this.store.refresh();
        if (this.store.problem) throw new MarginError('conflict', `The project settings cannot be changed now: ${this.store.problem}`);
        if (baseRevision !== this.store.revision) {
          throw new MarginError(
            'conflict',
            `margin.json changed since this window loaded it (another window or a colleague's sync). Nothing was changed; the current settings are shown again, make the change once more.`,
          );
        }
        checkSuggestionSettings(settings, this.store.project.schema);
        await this.store.commitSettings({ ...this.store.project.settings, ...settings });
        return this.session(caller);
      }),

    getViewMemory: async () => {
      await this.store.refresh();
      const view = await this.memory.views.load(this.store.dir);
      return fitToProject(view, {
        hasDocument: (docId) => this.store.hasDocument(docId),
        annotators: await this.store.annotators(),
        labels: this.store.project.schema.labels.map((l) => l.name),
      });
    },

    saveViewMemory: async ({ view }) => {
      await this.memory.views.save(this.store.dir, view);
      return {};
    },
  };
}
