import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import type { ZodType } from 'zod';
import { defaultSchema } from '../../../shared/defaultSchema';
import { DocumentRecord, FORMAT_VERSION, LayerFile, ProjectFile, type TagSchema } from '../../../shared/model';
import { schemaProblems } from '../../../shared/schemaRules';
import { MarginError } from '../errors';
import { DurableJsonFile } from './jsonFile';
import { acquireLock } from './lock';
import { layerFilePath, readJournal, removeJournal, writeJournal, writeJournalLayers } from './schemaJournal';

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

async function fileExists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
}

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

/**
 * One project folder: margin.json, documents/<docId>.json, annotations/<annotator>/<docId>.json.
 * Each file is its own lowdb database, so every write stays small.
 */
export class ProjectStore {
  private documents = new Map<string, DocumentRecord>();
  /** Promises, not databases: concurrent first writes to one layer must share one database. */
  private layers = new Map<string, Promise<Low<LayerFile>>>();

  private constructor(
    readonly dir: string,
    private readonly projectDb: Low<ProjectFile>,
    private readonly release: () => Promise<void>,
  ) {}

  /** Opens the project in `dir`, making a new one when the folder is missing or empty. */
  static async open(dir: string, options: { lock?: boolean; name?: string } = {}): Promise<ProjectStore> {
    const absolute = path.resolve(dir);
    const file = path.join(absolute, PROJECT_FILE);
    if (await isEmptyOrMissing(absolute)) {
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
    const release = options.lock === false ? async () => undefined : await acquireLock(absolute);
    try {
      const db = await openDb(file, ProjectFile);
      if (db.data === null) {
        db.data = {
          version: FORMAT_VERSION,
          name: options.name ?? path.basename(absolute),
          createdAt: new Date().toISOString(),
          schema: defaultSchema,
        };
        await mkdir(path.join(absolute, 'documents'), { recursive: true });
        await mkdir(path.join(absolute, 'annotations'), { recursive: true });
        await db.write();
      } else if (options.lock !== false) {
        // A schema edit that was decided (its journal is on disk) but not finished: finish it.
        const journal = await readJournal(absolute);
        if (journal) {
          await writeJournalLayers(absolute, journal);
          db.data = { ...db.data, schema: journal.schema };
          await db.write();
          await removeJournal(absolute);
        }
      }
      checkSchema(file, db.data.schema);
      const store = new ProjectStore(absolute, db as Low<ProjectFile>, release);
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

  async close(): Promise<void> {
    await this.release();
  }

  private async loadDocuments(): Promise<void> {
    const dir = path.join(this.dir, 'documents');
    const names = await readdir(dir).catch(() => [] as string[]);
    // Hidden files (macOS "._x.json" resource forks, editors' backups) are not documents.
    for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
      const db = await openDb(path.join(dir, name), DocumentRecord);
      if (db.data) this.documents.set(db.data.id, db.data);
    }
  }

  listDocuments(): DocumentRecord[] {
    return [...this.documents.values()].sort((a, b) => a.importedAt.localeCompare(b.importedAt) || a.title.localeCompare(b.title));
  }

  getDocument(docId: string): DocumentRecord {
    const doc = this.documents.get(docId);
    if (!doc) throw new MarginError('not-found', `There is no document ${docId} in this project.`);
    return doc;
  }

  hasDocument(docId: string): boolean {
    return this.documents.has(docId);
  }

  /** How many documents the project holds (cheap: no sorting). */
  get documentCount(): number {
    return this.documents.size;
  }

  /** Every document, in no particular order (cheap: no sorting). */
  documentRecords(): IterableIterator<DocumentRecord> {
    return this.documents.values();
  }

  /** Documents are written once, at import, and never changed: offsets into them stay valid. */
  async addDocument(record: DocumentRecord): Promise<void> {
    const db = new Low<DocumentRecord>(new DurableJsonFile(path.join(this.dir, 'documents', `${record.id}.json`), DocumentRecord), record);
    await mkdir(path.join(this.dir, 'documents'), { recursive: true });
    await db.write();
    this.documents.set(record.id, record);
  }

  async annotators(): Promise<string[]> {
    const entries = await readdir(path.join(this.dir, 'annotations'), { withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  }

  private layerDb(annotator: string, docId: string): Promise<Low<LayerFile>> {
    const file = layerFilePath(this.dir, annotator, docId);
    let db = this.layers.get(file);
    if (!db) {
      db = openDb(file, LayerFile).then((opened) => {
        if (opened.data === null) {
          opened.data = { version: FORMAT_VERSION, docId, annotator, annotations: [], relations: [] };
        }
        return opened as Low<LayerFile>;
      });
      this.layers.set(file, db);
      // A file that fails to read is not cached: the next call reports it again.
      db.catch(() => this.layers.delete(file));
    }
    return db;
  }

  async readLayer(annotator: string, docId: string): Promise<LayerFile> {
    return (await this.layerDb(annotator, docId)).data;
  }

  /** Applies `change` to one annotator's layer of one document; resolves once it is on disk. */
  async updateLayer(annotator: string, docId: string, change: (layer: LayerFile) => void): Promise<LayerFile> {
    const db = await this.layerDb(annotator, docId);
    await mkdir(path.join(this.dir, 'annotations', annotator), { recursive: true });
    // Memory must never run ahead of the disk: if the write fails, the change is undone.
    const before = structuredClone(db.data);
    change(db.data);
    try {
      await db.write();
    } catch (error) {
      db.data = before;
      throw error;
    }
    return db.data;
  }

  /** One annotator's layer of a document as it is now, or null when that file does not exist. */
  async layerIfExists(annotator: string, docId: string): Promise<LayerFile | null> {
    const file = layerFilePath(this.dir, annotator, docId);
    const cached = this.layers.get(file);
    // A cached layer that was only read, never written, has no file behind it.
    if (cached && (await fileExists(file))) return (await cached).data;
    if (cached) return null;
    return (await openDb(file, LayerFile)).data;
  }

  /** Every annotator's layer of a document, read fresh from disk (a colleague's may have synced in). */
  async layersOf(docId: string): Promise<LayerFile[]> {
    const layers: LayerFile[] = [];
    for (const annotator of await this.annotators()) {
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

  /**
   * Replaces the tag schema and, with it, whole layer files (a schema edit's migration).
   * Order, for crash safety: (1) the journal, one atomic file holding the new schema and every
   * changed layer in full: the commit point; (2) the layer files; (3) margin.json; (4) the
   * journal is removed. A crash before (1) changes nothing; after it, the next open completes
   * (2)-(4) from the journal, so a project never stays half migrated, and margin.json is only
   * ever replaced whole by a schema that passed validation. If a write fails while running,
   * the files already written are put back and the error is raised; only if that too fails is
   * the journal kept, to be completed on the next open.
   */
  async commitSchema(schema: TagSchema, layers: readonly LayerFile[]): Promise<void> {
    await writeJournal(this.dir, { version: FORMAT_VERSION, schema, layers: [...layers] });
    const projectBefore = this.projectDb.data;
    const written: { db: Low<LayerFile>; before: LayerFile; file: string; existed: boolean }[] = [];
    try {
      for (const layer of layers) {
        const file = layerFilePath(this.dir, layer.annotator, layer.docId);
        const existed = await fileExists(file);
        const db = await this.layerDb(layer.annotator, layer.docId);
        await mkdir(path.dirname(file), { recursive: true });
        written.push({ db, before: db.data, file, existed });
        db.data = structuredClone(layer);
        await db.write();
      }
      this.projectDb.data = { ...projectBefore, schema };
      await this.projectDb.write();
    } catch (error) {
      this.projectDb.data = projectBefore;
      let undone = true;
      for (const { db, before, file, existed } of written.reverse()) {
        db.data = before;
        const putBack = existed ? db.write() : unlink(file).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
        await putBack.catch(() => (undone = false));
      }
      if (undone) await removeJournal(this.dir).catch(() => (undone = false));
      throw new MarginError(
        'store',
        undone
          ? `The tag schema could not be saved, so nothing was changed: ${(error as Error).message}`
          : `The tag schema change was interrupted (${(error as Error).message}); it will be completed when the project is next opened.`,
      );
    }
    await removeJournal(this.dir);
  }
}
