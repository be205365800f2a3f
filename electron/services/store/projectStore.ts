import { appendFile, mkdir, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import type { ZodType } from 'zod';
import { defaultSchema } from '../../../shared/defaultSchema';
import { labelCodec, labelId, type LabelCodec, withIds } from '../../../shared/labelIds';
import { mergeLayer } from '../../../shared/layerMerge';
import { type Annotation, DocumentRecord, FORMAT_VERSION, LayerFile, NEW_PROJECT_SETTINGS, ProjectFile, type DocumentHeader, type ProjectSettings, type TagSchema } from '../../../shared/model';
import { schemaProblems } from '../../../shared/schemaRules';
import { MarginError } from '../errors';
import { DurableJsonFile, type FileStamp, parseStoredJson, plainReason, sameStamp, stampOf, stampOfSync, stableStringify, TEMP_FILE, writeFileDurably } from './jsonFile';
import { appendEntry, applyEntries, type JournalEntry, journalOf, layerChange, readJournalEntries, removeJournalFile } from './layerJournal';
import { acquireLock } from './lock';
import { LruMap } from './lru';
import { LayerPass, readIfExists, readLayerNow, type StoredLayerView } from './layerPass';
import { INDEX_FILE, ProjectIndex, type LayerSummary } from './projectIndex';
import { TRASH_DIR } from './trash';
import {
  applyLayerOps,
  emptyLayer,
  journalPath,
  layerFilePath,
  opsFor,
  readJournal,
  removeJournal,
  type SchemaJournal,
  writeJournal,
} from './schemaJournal';

export const PROJECT_FILE = 'margin.json';

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    const entries = await readdir(dir);
    // Hidden entries (.git, .DS_Store) do not make a folder a project or a non-empty one.
    return entries.every((e) => e.startsWith('.'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

const DOC_FILE = /^[0-9a-f]{16}\.json$/;

/** A margin.json whose schema breaks the rules is refused, naming each problem, and left as it is. */
function checkSchema(file: string, schema: TagSchema): void {
  const problems = schemaProblems(schema);
  if (problems.length === 0) return;
  const issues = problems.map((p) => `schema.${p.path}: ${p.message}`);
  throw new MarginError(
    'store',
    `${file}: ${issues.join('; ')}. Margin has left the project untouched; fix the tag schema in that file and open it again.`,
    issues,
  );
}

async function openDb<T>(file: string, schema: ZodType<T>): Promise<Low<T> & { data: T | null }> {
  const db = new Low<T | null>(new DurableJsonFile<T | null>(file, schema as ZodType<T | null>), null);
  await db.read();
  return db as Low<T> & { data: T | null };
}

/** What a new project's .gitignore keeps out of git: the lock and files of unfinished writes. */
export const GITIGNORE = ['# Margin: never commit these', '.margin.lock', '.margin.lock.*', '*.tmp', '*.journal', '.margin-schema-change.json', INDEX_FILE, 'exports/', TRASH_DIR + '/', ''].join('\n');

/**
 * What a new project's .gitattributes tells git: never merge a layer file line by line (the
 * same annotator on two computers could get a well-formed-looking but broken JSON file); report
 * a conflict instead, which Sync settles record by record (team/conflicts.ts, shared/layerMerge.ts).
 */
export const GITATTRIBUTES = ['# Margin: layer files are merged record by record by Sync, never line by line', 'annotations/**/*.json merge=binary', ''].join('\n');

/** A layer's annotation count by label name, and whether its annotator marked it done. */
export interface NamedLayerSummary {
  count: number;
  labels: Record<string, number>;
  done: boolean;
}

interface LayerEntry {
  /** Decoded (label names), as the file was at `stamp` with its journal applied. */
  data: LayerFile;
  /** The version on disk this copy was read from or written as; null when there is no file. */
  stamp: FileStamp | null;
  /** The layer journal's size and entries when read or last appended to (0 when there is none). */
  journalSize: number;
  journalEntries: number;
}

/** Layers and texts kept in memory: enough for the documents a window works on, not a whole big project. */
const CACHED_LAYERS = 256;
const CACHED_TEXTS = 32;
/** Document files read in one go when opening a project without its index. */
const DOCUMENTS_READ_AT_ONCE = 100;

/** A document's header: the record without its text. */
function headerOf(record: DocumentRecord): DocumentHeader {
  const { text, ...rest } = record;
  return { ...rest, length: text.length };
}

/** A layer journal this long is folded into its layer file in the background. */
const COMPACT_AFTER_ENTRIES = 256;
const COMPACT_AFTER_BYTES = 1024 * 1024;

/** A shallow copy a change may push to or replace arrays of; records themselves are never changed in place. */
function editable(layer: LayerFile): LayerFile {
  const copy: LayerFile = { ...layer, annotations: [...layer.annotations], relations: [...layer.relations] };
  if (layer.orphans) copy.orphans = [...layer.orphans];
  if (layer.reviews) copy.reviews = [...layer.reviews];
  if (layer.rejected) copy.rejected = [...layer.rejected];
  if (layer.dismissedSuggestions) copy.dismissedSuggestions = [...layer.dismissedSuggestions];
  return copy;
}

/** A layer file as stored (label ids), or null when it does not exist; a corrupt one raises an error naming it. */
async function readStoredLayer(file: string): Promise<LayerFile | null> {
  return new DurableJsonFile<LayerFile>(file, LayerFile).read();
}

/** Adds `entry` to the project's .gitignore (made when missing): a cache must never be committed. */
export async function ensureIgnored(dir: string, entry: string): Promise<void> {
  const file = path.join(dir, '.gitignore');
  const current = await readFile(file, 'utf8').catch(() => null);
  if (current === null) await writeFile(file, GITIGNORE, { flag: 'wx' }).catch(() => undefined);
  else if (!current.split(/\r?\n/).includes(entry)) await appendFile(file, `${current.endsWith('\n') || current === '' ? '' : '\n'}${entry}\n`).catch(() => undefined);
}

/** Removes temporary files left by writers that died (their pid is gone), anywhere in the project. */
async function removeStaleTempFiles(dir: string, depth = 0): Promise<number> {
  if (depth > 3) return 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  let removed = 0;
  for (const entry of entries) {
    if (entry.isDirectory()) {
      if (entry.name !== '.git' && entry.name !== 'node_modules') removed += await removeStaleTempFiles(path.join(dir, entry.name), depth + 1);
      continue;
    }
    const pid = TEMP_FILE.exec(entry.name)?.[1];
    if (pid === undefined || processAlive(Number(pid))) continue;
    await unlink(path.join(dir, entry.name)).then(
      () => removed++,
      () => undefined,
    );
  }
  return removed;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One project folder: margin.json, documents/<docId>.json, annotations/<annotator>/<docId>.json.
 * Each file is its own lowdb database, so every write stays small.
 *
 * The disk is the truth: other writers exist (git, a sync drive, another tool). Every cached file
 * is checked against its stamp before use and re-read when it changed; a layer write is made
 * against the version it was read at and merged record by record with whatever replaced that
 * version meanwhile (shared/layerMerge.ts), so a stale copy never overwrites a file.
 */
export class ProjectStore {
  private documentsStamp: FileStamp | null = null;
  /** Document headers and layer summaries: listing the project reads this, not every file. */
  private index!: ProjectIndex;
  private texts = new LruMap<string, DocumentRecord>(CACHED_TEXTS);
  private layers = new LruMap<string, LayerEntry>(CACHED_LAYERS);
  /** Label name → stable id under the schema in force, for the layer summaries. */
  private labelIds = new Map<string, string>();
  /** Layer writes to one file go one after another (each merges against the one before). */
  private layerQueues = new Map<string, Promise<unknown>>();
  private codec!: LabelCodec;
  private codecRevision = 0;
  private projectStamp: FileStamp | null = null;
  /** Why margin.json as it is on disk now cannot be used (the last good schema stays in force). */
  private projectProblem: string | null = null;
  /** Why a decided schema edit could not be finished yet. */
  private pendingProblem: string | null = null;
  /** A schema edit that was decided but could not be finished; writes it touches are refused until it is. */
  private pending: SchemaJournal | null = null;

  private constructor(
    readonly dir: string,
    private readonly projectDb: Low<ProjectFile>,
    private readonly release: () => Promise<void>,
    /** Read-only stores (the CLI's export and agree) see a pending journal applied in memory. */
    readonly writable: boolean,
  ) {
    this.useSchema(projectDb.data.schema);
  }

  private useSchema(schema: TagSchema): void {
    this.codec = labelCodec(schema);
    this.codecRevision++;
    this.labelIds = new Map(schema.labels.map((l) => [l.name, labelId(l)]));
  }

  /** Opens the project in `dir`, making a new one (with `settings`, else the defaults) when the folder is missing or empty. */
  static async open(dir: string, options: { lock?: boolean; name?: string; takeOverLock?: boolean; settings?: ProjectSettings } = {}): Promise<ProjectStore> {
    const absolute = path.resolve(dir);
    const file = path.join(absolute, PROJECT_FILE);
    if (await isEmptyOrMissing(absolute)) {
      if (options.lock === false) {
        throw new MarginError('bad-input', `${absolute} is not a Margin project: it is empty or missing. Check the --project folder.`);
      }
      await mkdir(absolute, { recursive: true });
    } else {
      const info = await stat(file).catch(() => null);
      if (!info) {
        throw new MarginError(
          'bad-input',
          `${absolute} is not a Margin project (it has no ${PROJECT_FILE}) and is not empty. Choose an empty folder or an existing project.`,
        );
      }
    }
    const writable = options.lock !== false;
    const release = writable ? await acquireLock(absolute, { takeOver: options.takeOverLock === true }) : async () => undefined;
    try {
      const db = await openDb(file, ProjectFile);
      let journal: SchemaJournal | null = null;
      if (db.data === null) {
        db.data = {
          version: FORMAT_VERSION,
          name: options.name ?? path.basename(absolute),
          createdAt: new Date().toISOString(),
          schema: withIds(defaultSchema, { labels: [], relations: [] }, { renameLabels: [], renameAttributes: [] }),
          settings: options.settings ?? NEW_PROJECT_SETTINGS,
          revision: 0,
        };
        await mkdir(path.join(absolute, 'documents'), { recursive: true });
        await mkdir(path.join(absolute, 'annotations'), { recursive: true });
        await writeFile(path.join(absolute, '.gitignore'), GITIGNORE, { flag: 'wx' }).catch(() => undefined);
        await writeFile(path.join(absolute, '.gitattributes'), GITATTRIBUTES, { flag: 'wx' }).catch(() => undefined);
        await db.write();
      } else {
        journal = await readJournal(absolute);
        if (writable) await removeStaleTempFiles(absolute);
      }
      checkSchema(file, db.data.schema);
      const store = new ProjectStore(absolute, db as Low<ProjectFile>, release, writable);
      store.index = await ProjectIndex.load(absolute, { autosave: writable });
      if (writable) await ensureIgnored(absolute, INDEX_FILE);
      store.projectStamp = (db.adapter as DurableJsonFile<ProjectFile>).lastWritten ?? (await stampOf(file));
      if (journal) {
        store.pending = journal;
        // Readers see the decided edit as done; the owner finishes it now, or (when the disk
        // still refuses) keeps it pending: the documents it touches refuse writes until it is done.
        store.adoptSchema(journal.schema, journal.revision);
        if (writable) {
          await store.finishJournal().catch((error: Error) => {
            store.pendingProblem = `A tag schema change could not be finished (${plainReason(error)}); the documents it touches accept no changes until it is. Margin retries before each of their changes.`;
          });
        }
      }
      await store.loadDocuments();
      return store;
    } catch (error) {
      await release();
      throw error;
    }
  }

  get project(): ProjectFile {
    return this.projectDb.data;
  }

  /** What keeps the project from being changed as usual right now, in words for the window. */
  get problem(): string | null {
    return this.pendingProblem ?? this.projectProblem;
  }

  get revision(): number {
    return this.projectDb.data.revision;
  }

  async close(): Promise<void> {
    if (this.writable) {
      await this.compactAll().catch((error: unknown) => console.warn(`[margin] compacting on close: ${(error as Error).message}`));
      await this.index.save();
    } else {
      // A reader (the CLI's export, agree) leaves what it learnt for the next open, once, at the end.
      await this.index.saveIfChanged();
    }
    await this.release();
  }

  private adoptSchema(schema: TagSchema, revision: number): void {
    this.projectDb.data = { ...this.projectDb.data, schema, revision };
    this.useSchema(schema);
    // Cached layers hold label names of the old schema: read them again under the new one.
    this.layers.clear();
  }

  /**
   * Brings the store up to date with the disk: margin.json re-read when it changed (a colleague's
   * schema edit pulled in, another window), new document files picked up. Cheap when nothing
   * changed (two stats). A margin.json that no longer reads is reported in `problem` and the last
   * good schema stays in force; it is never overwritten.
   */
  async refresh(): Promise<void> {
    const file = path.join(this.dir, PROJECT_FILE);
    const stamp = await stampOf(file);
    // While a decided edit waits to be finished, its schema is in force, whatever margin.json says.
    if (!this.pending && !sameStamp(stamp, this.projectStamp)) {
      try {
        const fresh = await new DurableJsonFile<ProjectFile>(file, ProjectFile).read();
        if (!fresh) throw new MarginError('store', `${file} is missing. Margin keeps the tag schema it had; restore the file (e.g. from git).`);
        checkSchema(file, fresh.schema);
        this.projectStamp = stamp;
        this.projectProblem = null;
        if (JSON.stringify(fresh) !== JSON.stringify(this.projectDb.data)) {
          this.projectDb.data = fresh;
          this.useSchema(fresh.schema);
          this.layers.clear();
        }
      } catch (error) {
        this.projectProblem = (error as Error).message;
      }
    }
    const docsStamp = await stampOf(path.join(this.dir, 'documents'));
    if (!sameStamp(docsStamp, this.documentsStamp)) await this.loadDocuments(false);
  }

  /**
   * Brings the document headers up to date with the documents folder: a file not in the index
   * is read (once: documents never change after import), one that is gone is dropped. On open a
   * corrupt new file stops the open, naming it; one that appears later (a sync still copying it)
   * is skipped and read again next time.
   */
  private async loadDocuments(strict = true): Promise<void> {
    const dir = path.join(this.dir, 'documents');
    this.documentsStamp = await stampOf(dir);
    const names = await readdir(dir).catch(() => [] as string[]);
    // Hidden files (macOS "._x.json" resource forks, editors' backups) are not documents.
    const present = new Set(names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).map((n) => n.slice(0, -'.json'.length)));
    let sinceYield = 0;
    for (const name of await this.index.documentsToRead(dir, present)) {
      // Read synchronously (a project without its index reads every document once), letting other work run now and then.
      if (++sinceYield >= DOCUMENTS_READ_AT_ONCE) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const file = path.join(dir, `${name}.json`);
      const stamp = stampOfSync(file);
      let record: DocumentRecord | null;
      try {
        const raw = await readIfExists(file);
        record = raw === null ? null : parseStoredJson(file, raw, DocumentRecord);
      } catch (error) {
        if (strict) throw error;
        this.documentsStamp = null; // look again on the next refresh
        continue;
      }
      if (!record) continue;
      // The index is keyed by file name, the name a document is looked up by.
      if (record.id !== name) {
        const problem = new MarginError('store', `${path.join(dir, `${name}.json`)} holds document ${record.id}; a document file must be named after its id. Rename it to ${record.id}.json.`);
        if (strict) throw problem;
        continue;
      }
      this.index.setDocument(headerOf(record), stamp);
      this.texts.set(record.id, record);
    }
  }

  /** Every document without its text, in import order. */
  listDocuments(): DocumentHeader[] {
    // ISO timestamps sort as strings; the locale-aware comparison is only for ties.
    return [...this.index.documents.values()].sort((a, b) => (a.importedAt < b.importedAt ? -1 : a.importedAt > b.importedAt ? 1 : a.title.localeCompare(b.title)));
  }

  /** A document without its text (cheap); throws naming the id when there is none. */
  documentHeader(docId: string): DocumentHeader {
    const doc = this.index.documents.get(docId);
    if (!doc) throw new MarginError('not-found', `There is no document ${docId} in this project.`);
    return doc;
  }

  /** A document with its text, read from its file when it is not among the recently used ones. */
  async getDocument(docId: string): Promise<DocumentRecord> {
    this.documentHeader(docId);
    const cached = this.texts.get(docId);
    if (cached) return cached;
    const file = path.join(this.dir, 'documents', `${docId}.json`);
    const record = await new DurableJsonFile<DocumentRecord>(file, DocumentRecord).read();
    if (!record) {
      this.index.deleteDocument(docId);
      throw new MarginError('not-found', `The document ${docId} is no longer in this project (${file} is gone).`);
    }
    this.texts.set(docId, record);
    return record;
  }

  /** The texts of those documents that exist, read now, for code that looks them up synchronously. */
  async textsOf(docIds: Iterable<string>): Promise<(docId: string) => string | undefined> {
    const texts = new Map<string, string>();
    for (const docId of new Set(docIds)) if (this.hasDocument(docId)) texts.set(docId, (await this.getDocument(docId)).text);
    return (docId) => texts.get(docId);
  }

  hasDocument(docId: string): boolean {
    return this.index.documents.has(docId);
  }

  /**
   * Moves on whenever what the document list is built from may have changed: a header, a layer's
   * summary, the near-duplicates or the label names. (Metadata edits and unreadable layers are not covered.)
   */
  get listingRevision(): string {
    return `${this.index.revision}:${this.codecRevision}`;
  }

  /** Moves on whenever a document is added or removed. */
  get documentsVersion(): number {
    return this.index.documentsVersion;
  }

  /** How many documents the project holds (cheap: no sorting). */
  get documentCount(): number {
    return this.index.documents.size;
  }

  /** Every document's header, in no particular order (cheap: no sorting). */
  documentHeaders(): IterableIterator<DocumentHeader> {
    return this.index.documents.values();
  }

  /** Documents are written once, at import, and never changed: offsets into them stay valid. */
  async addDocument(record: DocumentRecord): Promise<void> {
    const file = path.join(this.dir, 'documents', `${record.id}.json`);
    const adapter = new DurableJsonFile<DocumentRecord>(file, DocumentRecord);
    await mkdir(path.join(this.dir, 'documents'), { recursive: true });
    await new Low<DocumentRecord>(adapter, record).write();
    this.index.setDocument(headerOf(record), adapter.lastWritten ?? (await stampOf(file)));
    this.texts.set(record.id, record);
    this.documentsStamp = await stampOf(path.join(this.dir, 'documents'));
  }

  /**
   * Forgets a document whose files were just moved away (deleted by the user): its header, its
   * text and these annotators' layers leave the caches and the index.
   */
  forgetDocument(docId: string, annotators: readonly string[]): void {
    this.index.deleteDocument(docId);
    this.texts.delete(docId);
    for (const annotator of annotators) {
      this.layers.delete(layerFilePath(this.dir, annotator, docId));
      this.index.forgetLayer(annotator, docId);
    }
  }

  /** Near-duplicate matches saved with the index for exactly these documents (`of` names them). */
  savedNearDuplicates(of: string) {
    return this.index.savedNearDuplicates(of);
  }

  saveNearDuplicates(of: string, matches: Record<string, { id: string; similarity: number }[]>): void {
    this.index.saveNearDuplicates(of, matches);
  }

  /**
   * Each layer's summary (count, labels by name, status) for the document list, from the index:
   * checked against the disk per annotator folder that changed since the last call, so a big
   * project is listed without reading its layers. A layer that cannot be read is reported
   * through `problems` by document.
   */
  async layerSummaries(): Promise<{ annotators: string[]; summaryOf: (annotator: string, docId: string) => Readonly<NamedLayerSummary> | null; problems: Map<string, string> }> {
    const annotators = await this.index.verify(async (annotator, docId) => {
      const file = layerFilePath(this.dir, annotator, docId);
      // Stamps before reading: a file replaced meanwhile is summarised again on the next check, never kept under a stamp it does not have.
      const stamp = stampOfSync(file);
      const journalSize = stampOfSync(journalOf(file))?.size ?? 0;
      if (stamp === null && journalSize === 0) return null;
      const cached = this.layers.get(file);
      if (cached && sameStamp(cached.stamp, stamp) && cached.journalSize === journalSize) return this.summaryOfEntry(cached);
      // Read in one synchronous call per file and not kept: a first open summarises every layer of the project once.
      const data = await readLayerNow(this.dir, annotator, docId, { file: stamp !== null, journal: journalSize > 0 }, this.storedView());
      return data ? this.summaryOfEntry({ data, stamp, journalSize, journalEntries: 0 }) : null;
    });
    const problems = new Map<string, string>();
    for (const { docId, message } of this.index.layerProblems()) problems.set(docId, problems.has(docId) ? `${problems.get(docId)}; ${message}` : message);
    const codec = this.codec;
    const summaryOf = (annotator: string, docId: string) => {
      const summary = this.index.layerSummary(annotator, docId);
      if (!summary) return null;
      let named = this.namedSummaries.get(summary);
      if (named?.codec !== codec) {
        const labels: Record<string, number> = {};
        for (const [id, n] of Object.entries(summary.labels)) {
          const name = codec.labelOfId(id)?.name ?? id;
          labels[name] = (labels[name] ?? 0) + n;
        }
        named = { codec, named: { count: summary.count, labels, done: summary.done } };
        this.namedSummaries.set(summary, named);
      }
      return named.named;
    };
    return { annotators, summaryOf, problems };
  }

  /**
   * Label counts by name, per summary and schema: listing again does not translate 20,000 summaries
   * again, and an unchanged layer gives the same object (the document list's memo compares them).
   */
  private namedSummaries = new WeakMap<LayerSummary, { codec: LabelCodec; named: Readonly<NamedLayerSummary> }>();

  /** Told by the watcher: the next listing checks that layer again. */
  layerChangedOnDisk(annotator: string, docId: string): void {
    this.index.forgetLayer(annotator, docId);
  }

  private summaryOfEntry(entry: LayerEntry): LayerSummary {
    const labels: Record<string, number> = {};
    for (const a of entry.data.annotations) {
      const id = this.labelIds.get(a.label) ?? a.label;
      labels[id] = (labels[id] ?? 0) + 1;
    }
    return { stamp: entry.stamp, journalSize: entry.journalSize, count: entry.data.annotations.length, labels, done: entry.data.status === 'done' };
  }

  /**
   * The summary of `next`, from the one of `base` and what the change put and dropped: counting
   * the labels of 10,000 annotations again on every add cost more than the add. Counted afresh
   * when the index holds no summary of exactly `base`.
   */
  private summaryAfter(base: LayerEntry, next: LayerEntry, put: readonly Annotation[], dropped: readonly Annotation[]): LayerSummary {
    const before = this.index.layerSummary(next.data.annotator, next.data.docId);
    if (!before || !sameStamp(before.stamp, base.stamp) || before.journalSize !== base.journalSize || before.count !== base.data.annotations.length) {
      return this.summaryOfEntry(next);
    }
    const labels = { ...before.labels };
    for (const a of dropped) {
      const id = this.labelIds.get(a.label) ?? a.label;
      const n = labels[id];
      if (!n) return this.summaryOfEntry(next); // not the summary of base after all
      if (n === 1) delete labels[id];
      else labels[id] = n - 1;
    }
    for (const a of put) {
      const id = this.labelIds.get(a.label) ?? a.label;
      labels[id] = (labels[id] ?? 0) + 1;
    }
    return { stamp: next.stamp, journalSize: next.journalSize, count: next.data.annotations.length, labels, done: next.data.status === 'done' };
  }

  /** Keeps a layer as read or written, and its summary in the index (`summary` when the caller has it already). */
  private remember(file: string, entry: LayerEntry, summary?: LayerSummary): void {
    this.layers.set(file, entry);
    const exists = entry.stamp !== null || entry.journalSize > 0;
    if (exists) this.index.noteLayer(entry.data.annotator, entry.data.docId, summary ?? this.summaryOfEntry(entry));
    else this.index.dropLayer(entry.data.annotator, entry.data.docId);
  }

  async annotators(): Promise<string[]> {
    const entries = await readdir(path.join(this.dir, 'annotations'), { withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  }

  /** A layer as stored (label ids) with its journal applied; null when neither exists. */
  private async storedWithJournal(file: string): Promise<{ stored: LayerFile | null; journalSize: number; journalEntries: number }> {
    const stored = await readStoredLayer(file);
    const journal = journalOf(file);
    const journalStamp = await stampOf(journal);
    if (!journalStamp) return { stored, journalSize: 0, journalEntries: 0 };
    const entries = await readJournalEntries(journal);
    const [annotator, docId] = [path.basename(path.dirname(file)), path.basename(file, '.json')];
    const replayed = applyEntries(stored ?? emptyLayer(annotator, docId), entries);
    return { stored: replayed, journalSize: journalStamp.size, journalEntries: entries.length };
  }

  /** The layer as it is on disk now (re-read when its file or journal changed), decoded to label names. */
  private async entry(annotator: string, docId: string): Promise<LayerEntry> {
    const file = layerFilePath(this.dir, annotator, docId);
    const stamp = await stampOf(file);
    const journalSize = (await stampOf(journalOf(file)))?.size ?? 0;
    const cached = this.layers.get(file);
    if (cached && sameStamp(cached.stamp, stamp) && cached.journalSize === journalSize) return cached;
    const read = await this.storedWithJournal(file);
    let stored = read.stored ?? emptyLayer(annotator, docId);
    // A decided but unfinished schema edit is seen as done (never half of it).
    const ops = opsFor(this.pending, annotator, docId);
    if (ops) stored = applyLayerOps(stored, ops);
    const fresh: LayerEntry = { data: this.codec.decode(stored), stamp, journalSize: read.journalSize, journalEntries: read.journalEntries };
    this.remember(file, fresh);
    return fresh;
  }

  async readLayer(annotator: string, docId: string): Promise<LayerFile> {
    return (await this.entry(annotator, docId)).data;
  }

  private serialLayer<T>(file: string, run: () => Promise<T>): Promise<T> {
    const previous = this.layerQueues.get(file) ?? Promise.resolve();
    const next = previous.then(run, run);
    this.layerQueues.set(file, next.catch(() => undefined));
    return next;
  }

  /** Told after every layer write, with the layer written (the window feed tells the other windows). */
  onLayerWritten: ((annotator: string, docId: string) => void) | null = null;

  /**
   * Applies `change` to one annotator's layer of one document; resolves once it is on disk.
   * The change is made to the copy the caller last read. A layer that has a file gets the change
   * appended to its journal (cost follows the change, not the layer); the first write of a layer
   * writes it whole. If the file was replaced since it was read (a pull), the change still lands
   * record by record on what is there now, so neither side's records are lost.
   */
  async updateLayer(annotator: string, docId: string, change: (layer: LayerFile) => void): Promise<LayerFile> {
    const file = layerFilePath(this.dir, annotator, docId);
    const result = await this.serialLayer(file, async () => {
      await this.checkPending(annotator, docId);
      const base = this.layers.get(file) ?? (await this.entry(annotator, docId));
      const ours = editable(base.data);
      change(ours);
      const diff = layerChange(base.data, ours);
      if (!diff) return base.data;
      const now = await stampOf(file);
      if (now === null) {
        // No layer file yet (or another writer removed it): write it whole, with anything journaled.
        const theirs = (await this.storedWithJournal(file)).stored;
        const merged = theirs ? mergeLayer(base.data, ours, this.codec.decode(theirs)) : ours;
        await mkdir(path.dirname(file), { recursive: true });
        const stamp = await writeFileDurably(file, stableStringify(this.codec.encode(merged)));
        await removeJournalFile(journalOf(file));
        this.remember(file, { data: merged, stamp, journalSize: 0, journalEntries: 0 });
        return merged;
      }
      const { size: journalSize, bytes } = await appendEntry(journalOf(file), this.encodeEntry(diff.entry));
      if (journalSize === bytes + base.journalSize && sameStamp(now, base.stamp)) {
        const next = { data: ours, stamp: now, journalSize, journalEntries: base.journalEntries + 1 };
        this.remember(file, next, this.summaryAfter(base, next, diff.entry.put ?? [], diff.dropped));
        if (next.journalEntries >= COMPACT_AFTER_ENTRIES || journalSize >= COMPACT_AFTER_BYTES) this.compactSoon(annotator, docId);
        return ours;
      }
      // The file (or its journal) changed under us: what is on disk now, with our entry applied last.
      this.layers.delete(file);
      return (await this.entry(annotator, docId)).data;
    });
    this.onLayerWritten?.(annotator, docId);
    return result;
  }

  private encodeEntry(entry: JournalEntry): JournalEntry {
    if (!entry.put) return entry;
    const encoded = this.codec.encode({ version: FORMAT_VERSION, docId: '0000000000000000', annotator: 'journal', annotations: entry.put, relations: [] });
    return { ...entry, put: encoded.annotations };
  }

  private compactSoon(annotator: string, docId: string): void {
    setImmediate(() => {
      this.compact(annotator, docId).catch((error: unknown) => console.warn(`[margin] compacting a layer: ${(error as Error).message}`));
    });
  }

  /** Folds a layer's journal into its file (atomic write), then removes the journal. */
  async compact(annotator: string, docId: string): Promise<void> {
    const file = layerFilePath(this.dir, annotator, docId);
    await this.serialLayer(file, async () => {
      if (!(await stampOf(journalOf(file)))) return;
      const { stored } = await this.storedWithJournal(file);
      if (!stored) return;
      const stamp = await writeFileDurably(file, stableStringify(stored));
      await removeJournalFile(journalOf(file));
      this.remember(file, { data: this.codec.decode(stored), stamp, journalSize: 0, journalEntries: 0 });
    });
  }

  /** Folds every layer journal of the project into its file: before a Sync commits, and on close. */
  async compactAll(): Promise<void> {
    for (const annotator of await this.annotators()) {
      const names = await readdir(path.join(this.dir, 'annotations', annotator)).catch(() => [] as string[]);
      for (const name of names) {
        const match = /^\.([0-9a-f]{16})\.json\.journal$/.exec(name);
        if (match) await this.compact(annotator, match[1]!);
      }
    }
  }

  /** One annotator's layer of a document as it is now, or null when that file does not exist. */
  async layerIfExists(annotator: string, docId: string): Promise<LayerFile | null> {
    const entry = await this.entry(annotator, docId);
    if (entry.stamp === null && entry.journalSize === 0 && !opsFor(this.pending, annotator, docId)) return null;
    return entry.data;
  }

  /**
   * A reader for one pass over many layers (an export, an agreement report): each read straight
   * from the disk, without this store's cache or index (layerPass.ts says why), seen as readLayer
   * sees it (a decided schema edit done, labels by name).
   */
  async layerPass(annotators?: readonly string[]): Promise<LayerPass> {
    return LayerPass.start(this.dir, annotators ?? (await this.annotators()), this.storedView());
  }

  /** How a layer as stored is seen now: a decided schema edit done, label ids decoded to names. */
  private storedView(): StoredLayerView {
    const { codec, pending } = this;
    return {
      touched: (annotator, docId) => opsFor(pending, annotator, docId) !== undefined,
      finish: (stored, annotator, docId) => {
        const ops = opsFor(pending, annotator, docId);
        return codec.decode(ops ? applyLayerOps(stored, ops) : stored);
      },
    };
  }

  /** Every annotator's layer of a document, read fresh from disk (a colleague's may have synced in). */
  async layersOf(docId: string, annotators?: readonly string[]): Promise<LayerFile[]> {
    const layers: LayerFile[] = [];
    // `annotators`: a caller that reads many documents in one go lists the annotator folders once.
    for (const annotator of annotators ?? (await this.annotators())) {
      const layer = await this.layerIfExists(annotator, docId);
      if (layer) layers.push(layer);
    }
    return layers;
  }

  /** Every layer file of the project: all annotators, all documents. */
  async allLayers(): Promise<LayerFile[]> {
    const layers: LayerFile[] = [];
    for (const annotator of await this.annotators()) {
      const names = await readdir(path.join(this.dir, 'annotations', annotator)).catch(() => [] as string[]);
      for (const name of names.filter((n) => DOC_FILE.test(n)).sort()) {
        const layer = await this.layerIfExists(annotator, name.slice(0, -'.json'.length));
        if (layer) layers.push(layer);
      }
    }
    return layers;
  }

  // ---- The tag schema ------------------------------------------------------------------------

  /** Refuses a change made against an older margin.json than the one on disk. */
  async checkRevision(baseRevision: number): Promise<void> {
    if (this.pending) await this.retryPending();
    await this.refresh();
    if (this.problem) throw new MarginError('conflict', `The tag schema cannot be changed now: ${this.problem}`);
    if (baseRevision !== this.revision) {
      throw new MarginError(
        'conflict',
        `The tag schema changed since this window loaded it (it is now at revision ${this.revision}, the edit was made on revision ${baseRevision}: ` +
          'another window or a colleague\'s sync changed it). Nothing was changed; the current tags are shown again, make the edit once more.',
      );
    }
  }

  /**
   * Replaces the tag schema (margin.json, revision + 1) and, only for a confirmed deletion of
   * annotations or its undo, applies record-level operations to layer files. Order, for crash
   * safety: (1) the journal, one atomic file: the commit point; (2) the layer files; (3)
   * margin.json; (4) the journal is removed. Before (1) nothing changed; after it the edit is
   * finished now or on the next open, and until then the layers it touches refuse other writes.
   */
  async commitSchema(schema: TagSchema, layers: SchemaJournal['layers'] = []): Promise<void> {
    const file = path.join(this.dir, PROJECT_FILE);
    const stamp = await stampOf(file);
    if (!sameStamp(stamp, this.projectStamp)) {
      await this.refresh();
      throw new MarginError('conflict', 'The tag schema changed on disk while this edit was being made. Nothing was changed; make the edit again.');
    }
    const revision = this.revision + 1;
    if (layers.length === 0) {
      await this.writeProject(schema, revision).catch((error: Error) => {
        throw new MarginError('store', `The tag schema could not be saved, so nothing was changed: ${plainReason(error)}`);
      });
      return;
    }
    const journal: SchemaJournal = { version: FORMAT_VERSION, schema, revision, layers };
    await writeJournal(this.dir, journal);
    this.pending = journal;
    this.adoptSchema(schema, revision);
    try {
      await this.finishJournal();
    } catch (error) {
      this.pendingProblem = `A tag schema change could not be finished (${plainReason(error as Error)}); the documents it touches accept no changes until it is. Margin retries before each of their changes.`;
      throw new MarginError(
        'store',
        `The tag schema change was interrupted (${plainReason(error as Error)}). It is kept and will be finished before the next change to the documents it touches, or when the project is next opened.`,
      );
    }
  }

  /**
   * Replaces the project settings in margin.json (revision + 1), as commitSchema does the schema:
   * the caller checked that its edit was made on the current revision; a margin.json changed on
   * disk since it was read refuses it, nothing changed.
   */
  async commitSettings(settings: ProjectSettings): Promise<void> {
    const file = path.join(this.dir, PROJECT_FILE);
    if (!sameStamp(await stampOf(file), this.projectStamp)) {
      await this.refresh();
      throw new MarginError('conflict', 'The project settings changed on disk while this edit was being made. Nothing was changed; make the edit again.');
    }
    const before = this.projectDb.data;
    this.projectDb.data = { ...before, settings, revision: before.revision + 1 };
    try {
      await this.projectDb.write();
    } catch (error) {
      this.projectDb.data = before;
      throw new MarginError('store', `The project settings could not be saved, so nothing was changed: ${plainReason(error as Error)}`);
    }
    this.projectStamp = (this.projectDb.adapter as DurableJsonFile<ProjectFile>).lastWritten;
  }

  private async writeProject(schema: TagSchema, revision: number): Promise<void> {
    const before = this.projectDb.data;
    this.projectDb.data = { ...before, schema, revision };
    try {
      await this.projectDb.write();
    } catch (error) {
      this.projectDb.data = before;
      throw error;
    }
    this.projectStamp = (this.projectDb.adapter as DurableJsonFile<ProjectFile>).lastWritten;
    this.useSchema(schema);
    this.layers.clear();
  }

  /** Applies the pending journal to the files (idempotent), then margin.json, then removes it. */
  private async finishJournal(): Promise<void> {
    const journal = this.pending;
    if (!journal) return;
    for (const ops of journal.layers) {
      const file = layerFilePath(this.dir, ops.annotator, ops.docId);
      const stored = (await this.storedWithJournal(file)).stored ?? emptyLayer(ops.annotator, ops.docId);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFileDurably(file, stableStringify(applyLayerOps(stored, ops)));
      await removeJournalFile(journalOf(file));
      this.index.forgetLayer(ops.annotator, ops.docId);
    }
    const onDisk = await new DurableJsonFile<ProjectFile>(path.join(this.dir, PROJECT_FILE), ProjectFile).read().catch(() => null);
    if (!onDisk || onDisk.revision < journal.revision) await this.writeProject(journal.schema, journal.revision);
    await removeJournal(this.dir);
    this.pending = null;
    this.pendingProblem = null;
    this.layers.clear();
  }

  private async retryPending(): Promise<void> {
    try {
      await this.finishJournal();
    } catch (error) {
      throw new MarginError(
        'store',
        `A tag schema change could not be finished yet (${plainReason(error as Error)}), so this change was not made. ` +
          `Free some disk space or fix the folder's permissions, then try again; the change is kept in ${journalPath(this.dir)}.`,
      );
    }
  }

  /** A write to a layer a pending edit touches waits for that edit to be finished, or is refused. */
  private async checkPending(annotator: string, docId: string): Promise<void> {
    if (this.pending && opsFor(this.pending, annotator, docId)) await this.retryPending();
  }

  /** Whether a decided schema edit is still waiting to be finished. */
  get hasPendingEdit(): boolean {
    return this.pending !== null;
  }
}
