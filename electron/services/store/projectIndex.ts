import type { Dirent } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { z } from 'zod';
import { DocumentHeader } from '../../../shared/model';
import type { FileStamp } from './jsonFile';
import { sameStamp, stampOfSync } from './jsonFile';
import { layerFilesIn } from './layerPass';

/**
 * The project index: what listing a project needs (each document without its text, and per layer
 * file its annotation count, label counts and status), so that opening a project of 10,000
 * documents and listing them reads one file instead of 30,000.
 *
 * It is a cache, never the truth: kept in `.margin-index.json` (git-ignored, rebuilt when missing
 * or unreadable), and every layer summary carries the stamp of the file it was computed from.
 * Verified against the disk the first time it is used after opening (one directory read and one
 * stat per layer file, no layer read unless it changed), and afterwards per annotator folder
 * whenever that folder changed (a pull, a sync drive, another tool); this process's own writes
 * update it as they happen. Documents never change after import (their id is their text's
 * hash), so a document file known by name is not read again.
 */

export const INDEX_FILE = '.margin-index.json';
const INDEX_VERSION = 1;

const Stamp = z.object({ size: z.number(), mtimeMs: z.number(), ino: z.number() });

export const LayerSummary = z.object({
  /** The layer file's stamp and its journal's size when summarised. */
  stamp: Stamp.nullable(),
  journalSize: z.number().int().nonnegative(),
  count: z.number().int().nonnegative(),
  /** Annotations per label, keyed by the label's stable id (a rename leaves the summary valid). */
  labels: z.record(z.string(), z.number().int().nonnegative()),
  done: z.boolean(),
});
export type LayerSummary = z.infer<typeof LayerSummary>;

const NearMatches = z.array(z.object({ id: z.string(), similarity: z.number() }));

const isCount = (n: unknown) => Number.isInteger(n) && (n as number) >= 0;
const isStamp = (s: unknown) => {
  const v = s as Record<string, unknown> | null;
  return typeof v === 'object' && v !== null && typeof v.size === 'number' && typeof v.mtimeMs === 'number' && typeof v.ino === 'number';
};

/**
 * Whether a saved summary has LayerSummary's shape: the same checks by hand, because zod on the
 * 20,000 summaries of a big project's index was most of the time opening it took (0.8 of 1.9 s).
 * One that fails is dropped, and its layer read again as if it had never been summarised.
 */
export function isLayerSummary(value: unknown): value is LayerSummary {
  const v = value as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null) return false;
  const labels = v.labels as Record<string, unknown> | null;
  return (
    (v.stamp === null || isStamp(v.stamp)) &&
    isCount(v.journalSize) &&
    isCount(v.count) &&
    typeof v.done === 'boolean' &&
    typeof labels === 'object' &&
    labels !== null &&
    !Array.isArray(labels) &&
    Object.values(labels).every(isCount)
  );
}

const IndexFile = z.object({
  version: z.literal(INDEX_VERSION),
  documents: z.array(DocumentHeader.extend({ stamp: Stamp })),
  /** Checked one by one when loaded (isLayerSummary). */
  layers: z.custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v)),
  /** Near-duplicate matches per document, valid for exactly the documents named by `of` (a hash of their ids). */
  nearDuplicates: z.object({ of: z.string(), matches: z.record(z.string(), NearMatches) }).nullable(),
});
type IndexFile = z.infer<typeof IndexFile>;

/** Stats made in one go before letting other work run: keeps the event loop responsive on 20,000 files. */
const STAT_CHUNK = 2000;
const SAVE_DELAY_MS = 3000;
/**
 * Saved once changes pause for SAVE_DELAY_MS, and at the latest this long after the first unsaved
 * one: writing 20,000 summaries holds the thread for tens of milliseconds, which a burst of tags
 * should not wait behind.
 */
const MAX_SAVE_DELAY_MS = 30_000;
/** Layers read in one go before letting other work run. */
const READ_CHUNK = 100;

/** Reads a layer and returns its summary; null when the file turned out not to exist. */
export type Summarise = (annotator: string, docId: string) => Promise<LayerSummary | null>;

export class ProjectIndex {
  readonly documents = new Map<string, DocumentHeader>();
  /** By annotator, then document. */
  private readonly layers = new Map<string, Map<string, LayerSummary>>();
  private nearDuplicates: IndexFile['nearDuplicates'] = null;
  /** Each annotator folder's stamp when it was last checked; a folder whose stamp moved is checked again. */
  private readonly folders = new Map<string, FileStamp | null>();
  private verified = false;
  private saveTimer: NodeJS.Timeout | null = null;
  private saving: Promise<void> = Promise.resolve();

  /** Changed since last saved. */
  private dirty = false;

  /** Moves on with every change to the headers, summaries or near-duplicates (what a listing is built from). */
  revision = 0;

  private constructor(
    private readonly dir: string,
    /** Save a few seconds after a change; otherwise only when asked (a read-only store saves on close). */
    private readonly autosave: boolean,
  ) {}

  /** The index as last saved; an empty one when there is none or it cannot be used (it is rebuilt). */
  static async load(dir: string, options: { autosave?: boolean } = {}): Promise<ProjectIndex> {
    const index = new ProjectIndex(dir, options.autosave !== false);
    const raw = await readFile(path.join(dir, INDEX_FILE), 'utf8').catch(() => null);
    if (raw === null) return index;
    try {
      const parsed = IndexFile.safeParse(JSON.parse(raw));
      if (!parsed.success) return index;
      for (const { stamp, ...doc } of parsed.data.documents) {
        index.documents.set(doc.id, doc);
        index.documentStamps.set(doc.id, stamp);
      }
      for (const [key, summary] of Object.entries(parsed.data.layers)) {
        if (!isLayerSummary(summary)) continue;
        const cut = key.lastIndexOf('/');
        index.layersOf(key.slice(0, cut)).set(key.slice(cut + 1), summary);
      }
      index.nearDuplicates = parsed.data.nearDuplicates;
    } catch {
      // A torn or hand-edited cache is simply rebuilt.
    }
    return index;
  }

  /** Moves on whenever a document is added or removed (what depends on the set of documents keys on it). */
  documentsVersion = 0;

  /** The stamp of each document's file when its header was taken. */
  private readonly documentStamps = new Map<string, FileStamp>();

  /** A document whose file's stamp is not known (null) is read again on the next open. */
  setDocument(header: DocumentHeader, stamp: FileStamp | null): void {
    this.documents.set(header.id, header);
    if (stamp) this.documentStamps.set(header.id, stamp);
    else this.documentStamps.delete(header.id);
    this.documentsVersion++;
    this.changed();
  }

  deleteDocument(docId: string): void {
    this.documentStamps.delete(docId);
    if (!this.documents.delete(docId)) return;
    this.documentsVersion++;
    this.changed();
  }

  /** Records what this process just read or wrote. */
  noteLayer(annotator: string, docId: string, summary: LayerSummary): void {
    this.layersOf(annotator).set(docId, summary);
    this.problems.delete(`${annotator}/${docId}`);
    this.changed();
  }

  private layersOf(annotator: string): Map<string, LayerSummary> {
    let layers = this.layers.get(annotator);
    if (!layers) this.layers.set(annotator, (layers = new Map()));
    return layers;
  }

  /** Removes the summary of a layer that has no file. */
  dropLayer(annotator: string, docId: string): void {
    if (this.layers.get(annotator)?.delete(docId)) this.changed();
  }

  /** Forgets a summary and has the next check read its folder again (a write whose result was not kept). */
  forgetLayer(annotator: string, docId: string): void {
    this.dropLayer(annotator, docId);
    this.folders.delete(annotator);
  }

  /** The summary of one layer as last checked; null when that annotator has no file for the document. */
  layerSummary(annotator: string, docId: string): LayerSummary | null {
    return this.layers.get(annotator)?.get(docId) ?? null;
  }

  /**
   * Brings the layer summaries up to date with the disk: every annotator folder the first time,
   * afterwards only the folders that changed. A changed or new layer file is read (through
   * `summarise`, so its problems surface as they do anywhere else); a gone one is dropped.
   * Returns the annotators that have a folder.
   */
  verify(summarise: Summarise): Promise<string[]> {
    // One check at a time: a second caller waits for the running one, then checks what moved since.
    const run = this.verifying.then(() => this.verifyNow(summarise));
    this.verifying = run.catch(() => undefined);
    return run;
  }

  /** Layers the last checks could not read, with why (each is read again on every check). */
  layerProblems(): { annotator: string; docId: string; message: string }[] {
    return [...this.problems.values()];
  }

  private readonly problems = new Map<string, { annotator: string; docId: string; file: string; message: string }>();

  private verifying: Promise<unknown> = Promise.resolve();

  private async verifyNow(summarise: Summarise): Promise<string[]> {
    const root = path.join(this.dir, 'annotations');
    const entries: Dirent[] = await readdir(root, { withFileTypes: true }).catch(() => []);
    const annotators = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
    for (const annotator of annotators) {
      const folder = path.join(root, annotator);
      const stamp = await stat(folder).then(
        (s) => ({ ino: s.ino, size: s.size, mtimeMs: s.mtimeMs }),
        () => null,
      );
      const failing = [...this.problems.values()].some((p) => p.annotator === annotator);
      if (this.verified && !failing && this.folders.has(annotator) && sameStamp(this.folders.get(annotator)!, stamp)) continue;
      await this.verifyFolder(annotator, folder, summarise);
      this.folders.set(annotator, stamp);
    }
    for (const annotator of [...this.layers.keys()]) {
      if (!annotators.includes(annotator) && this.layers.delete(annotator)) this.changed();
    }
    this.verified = true;
    return annotators;
  }

  private async verifyFolder(annotator: string, folder: string, summarise: Summarise): Promise<void> {
    const { layers, journals: journaled } = layerFilesIn(await readdir(folder).catch(() => [] as string[]));
    const docIds = new Set([...layers, ...journaled]);
    // A layer that could not be read is read again on every check until it can (a repair in place does not touch the folder).
    const stale = new Set([...this.problems.values()].filter((p) => p.annotator === annotator).map((p) => p.docId));
    for (const docId of stale) this.problems.delete(`${annotator}/${docId}`);
    let sinceYield = 0;
    const known = this.layersOf(annotator);
    for (const docId of docIds) {
      const summary = known.get(docId);
      const stamp = stampOfSync(path.join(folder, `${docId}.json`));
      const journalSize = journaled.has(docId) ? (stampOfSync(path.join(folder, `.${docId}.json.journal`))?.size ?? 0) : 0;
      if (!summary || !sameStamp(summary.stamp, stamp) || summary.journalSize !== journalSize) stale.add(docId);
      if (++sinceYield >= STAT_CHUNK) {
        sinceYield = 0;
        await yieldToEvents();
      }
    }
    for (const docId of [...known.keys()]) if (!docIds.has(docId)) this.dropLayer(annotator, docId);
    sinceYield = 0;
    for (const docId of stale) {
      // Summaries may be read synchronously: a first open reads 20,000 layers, and other requests must still get a turn.
      if (++sinceYield >= READ_CHUNK) {
        sinceYield = 0;
        await yieldToEvents();
      }
      try {
        const summary = await summarise(annotator, docId);
        if (summary) this.noteLayer(annotator, docId, summary);
        else this.dropLayer(annotator, docId);
      } catch (error) {
        this.dropLayer(annotator, docId);
        this.problems.set(`${annotator}/${docId}`, { annotator, docId, file: path.join(folder, `${docId}.json`), message: (error as Error).message });
      }
    }
  }

  /**
   * The documents whose file is not the one their header was taken from (new, replaced or
   * unknown), after dropping those whose file is gone. `names` are the ids the documents folder holds.
   */
  async documentsToRead(folder: string, names: ReadonlySet<string>): Promise<string[]> {
    for (const docId of [...this.documents.keys()]) if (!names.has(docId)) this.deleteDocument(docId);
    const toRead: string[] = [];
    let sinceYield = 0;
    for (const docId of names) {
      const known = this.documentStamps.get(docId);
      if (!known || !sameStamp(known, stampOfSync(path.join(folder, `${docId}.json`)))) toRead.push(docId);
      if (++sinceYield >= STAT_CHUNK) {
        sinceYield = 0;
        await yieldToEvents();
      }
    }
    return toRead.sort();
  }

  /** Near-duplicate matches saved for exactly this set of documents, or null. */
  savedNearDuplicates(of: string): Record<string, { id: string; similarity: number }[]> | null {
    return this.nearDuplicates?.of === of ? this.nearDuplicates.matches : null;
  }

  saveNearDuplicates(of: string, matches: Record<string, { id: string; similarity: number }[]>): void {
    this.nearDuplicates = { of, matches };
    this.changed();
  }

  private changed(): void {
    this.revision++;
    this.dirty = true;
    if (!this.autosave) return;
    const now = Date.now();
    if (this.saveTimer) clearTimeout(this.saveTimer);
    else this.firstUnsaved = now;
    this.saveTimer = setTimeout(
      () => {
        this.saveTimer = null;
        void this.save();
      },
      Math.max(0, Math.min(SAVE_DELAY_MS, this.firstUnsaved + MAX_SAVE_DELAY_MS - now)),
    );
    this.saveTimer.unref();
  }

  /** When the oldest change not yet saved was made. */
  private firstUnsaved = 0;

  /** Saves the index if it changed since it was loaded or last saved. */
  saveIfChanged(): Promise<void> {
    return this.dirty ? this.save() : this.saving;
  }

  /** Writes the index (temporary file and rename: a reader never sees half of it). No fsync: it is a cache. */
  save(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = null;
    }
    this.dirty = false;
    this.saving = this.saving.then(async () => {
      const file = path.join(this.dir, INDEX_FILE);
      const data: IndexFile = {
        version: INDEX_VERSION,
        documents: [...this.documents.values()].flatMap((doc) => {
          const stamp = this.documentStamps.get(doc.id);
          return stamp ? [{ ...doc, stamp }] : [];
        }),
        layers: Object.fromEntries([...this.layers].flatMap(([annotator, layers]) => [...layers].map(([docId, summary]) => [`${annotator}/${docId}`, summary]))),
        nearDuplicates: this.nearDuplicates,
      };
      // Named as every temporary file of Margin, so one left by a crash is removed on the next open.
      const temp = path.join(this.dir, `.${INDEX_FILE}.${process.pid}.1.tmp`);
      try {
        await mkdir(this.dir, { recursive: true });
        await writeFile(temp, JSON.stringify(data));
        await rename(temp, file);
      } catch (error) {
        // Losing the cache costs one slow open, never data.
        console.warn(`[margin] the project index could not be saved: ${(error as Error).message}`);
      }
    });
    return this.saving;
  }
}
