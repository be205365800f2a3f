import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, realpath, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ExportRequest, JobProgress } from '../../../shared/api';
import type { ExportContext, ExportDocument, ExportFormat, ExportOptions, Exporter } from '../../../shared/formats/dataset';
import { formatEntry } from '../../../shared/formats/registry';
import type { DocumentRecord, LayerFile, TagSchema } from '../../../shared/model';
import { mergedMeta, metadataEditsOf } from '../store/documentMeta';
import { statusOf } from '../editing/documentOps';
import { MarginError } from '../errors';
import { nearDuplicatesOf } from '../intake/nearDuplicateIndex';
import type { LayerPass } from '../store/layerPass';
import type { ProjectStore } from '../store/projectStore';
import { liveRelations } from '../editing/relationRules';
import { FolderWriter, fsyncFile } from './folderWriter';

/**
 * Dataset export: the project's documents read one at a time, each turned into an
 * ExportDocument (the user's metadata edits applied, filters applied), handed to the format's
 * exporter and written out before the next is read. Output goes to a temporary name beside the
 * target and is renamed into place at the end, so a cancelled or failed export leaves nothing.
 */

export const EXPORTS_DIR = 'exports';

export interface ExportFilters {
  /** Only these annotators' layers (all when absent or empty). */
  annotators?: readonly string[];
  /** Only these labels (all when absent or empty). */
  labels?: readonly string[];
  /**
   * 'done': only documents that some selected annotator marked done, each with only the layers
   * marked done ("done" is one annotator's word on their own layer, not on the document).
   */
  documents?: 'all' | 'done';
}

export interface ExportProgress {
  done: number;
  total: number;
  current: string;
}

/** Where the documents come from: ids first (cheap), then each document read when its turn comes. */
export interface DocumentSource {
  ids(): Promise<string[]>;
  read(id: string): Promise<ExportDocument>;
}

const selected = (list: readonly string[] | undefined) => (list && list.length > 0 ? new Set(list) : null);

/** Every layer of a document the pass finds, by the annotators present when the export started. */
async function layersOf(pass: LayerPass, docId: string, present: readonly string[]): Promise<LayerFile[]> {
  const layers: LayerFile[] = [];
  for (const annotator of present) {
    const layer = await pass.layer(annotator, docId);
    if (layer) layers.push(layer);
  }
  return layers;
}

/** The layers of a document that the filters keep (annotators and their status, then labels inside each layer). */
async function filteredLayers(pass: LayerPass, docId: string, filters: ExportFilters, present: readonly string[]): Promise<LayerFile[]> {
  const annotators = selected(filters.annotators);
  const labels = selected(filters.labels);
  // A layer of an annotator left out is not even read.
  const layers = (await layersOf(pass, docId, annotators ? present.filter((a) => annotators.has(a)) : present)).filter((l) => filters.documents !== 'done' || statusOf(l) === 'done');
  return labels ? layers.map((l) => ({ ...l, annotations: l.annotations.filter((a) => labels.has(a.label)) })) : layers;
}

/**
 * One document as the dataset formats see it: the title shown, the metadata with the user's
 * edits, the annotations of the kept layers in text order, the links whose both ends are kept
 * (and that hold under the schema), every kept annotator's status.
 */
async function buildExportDocument(store: ProjectStore, doc: DocumentRecord, filters: ExportFilters, project: ProjectAtStart): Promise<ExportDocument> {
  // The user's metadata edits applied; an unreadable metadata file stops the export, naming it.
  const problem = project.metadata.problems.get(doc.id);
  if (problem) throw new MarginError('store', problem);
  const meta = mergedMeta(doc, project.metadata.edits.get(doc.id) ?? {});
  const title = meta.title ?? doc.title;
  const layers = await filteredLayers(project.pass, doc.id, filters, project.annotators);
  const annotations = layers.flatMap((l) => l.annotations).sort((a, b) => a.start - b.start || b.end - a.end);
  // Only links that hold with both ends exported: a link to a span filtered out (or deleted) is left out.
  const relations = layers.some((l) => l.relations.length > 0) ? liveRelations(store.project.schema, layers) : [];
  const status = Object.fromEntries(layers.map((l) => [l.annotator, statusOf(l)]));
  const nearDuplicates = (await nearDuplicatesOf(store, doc.id)).map((m) => m.id);
  return {
    id: doc.id,
    title,
    text: doc.text,
    meta: { ...meta, title, fileName: doc.fileName, importedAt: doc.importedAt, nearDuplicates },
    annotations,
    relations,
    status,
  };
}

/** What an export reads once, when it starts, rather than once per document: the annotators, every metadata edit, the layer pass. */
interface ProjectAtStart {
  annotators: string[];
  metadata: Awaited<ReturnType<ReturnType<typeof metadataEditsOf>['all']>>;
  pass: LayerPass;
}

/** The project's documents in list order, filtered; each read (layers and all) only when asked for. */
export function projectDocuments(store: ProjectStore, filters: ExportFilters = {}): DocumentSource {
  let atStart: Promise<ProjectAtStart> | null = null;
  const project = () =>
    (atStart ??= (async () => {
      const annotators = await store.annotators();
      const [metadata, pass] = await Promise.all([metadataEditsOf(store).all(), store.layerPass(annotators)]);
      return { annotators, metadata, pass };
    })());
  return {
    async ids() {
      const docs = store.listDocuments();
      if (filters.documents !== 'done') return docs.map((d) => d.id);
      // Statuses only (layers are read and let go): the total must be known before writing starts.
      const { pass, annotators } = await project();
      const wanted = selected(filters.annotators);
      const kept = wanted ? annotators.filter((a) => wanted.has(a)) : annotators;
      const ids: string[] = [];
      for (const doc of docs) if ((await layersOf(pass, doc.id, kept)).some((l) => statusOf(l) === 'done')) ids.push(doc.id);
      return ids;
    },
    read: async (id) => {
      const at = await project();
      return buildExportDocument(store, await at.pass.document(id), filters, at);
    },
  };
}

export interface WriteExportOptions {
  exporter: Exporter;
  source: DocumentSource;
  /** The file (single formats) or folder (folder formats) to create; must not exist yet. */
  target: string;
  schema: TagSchema;
  options?: ExportOptions;
  signal?: AbortSignal;
  onProgress?: (progress: ExportProgress) => void;
  /** Replace an existing file (single formats) or empty folder (folder formats) at the target: the CLI's --out. */
  overwrite?: boolean;
}

export interface ExportResult {
  path: string;
  documents: number;
  annotations: number;
  /** Files written beside a single-file export for another tool (Label Studio's labeling config). */
  beside?: string[];
}

let tempCounter = 0;
const tempNameFor = (target: string) => path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${++tempCounter}.partial`);

function cancelled(): MarginError {
  return new MarginError('conflict', 'The export was cancelled; nothing was written.');
}

async function writeChunk(stream: WriteStream, chunk: string): Promise<void> {
  if (chunk === '') return;
  if (!stream.write(chunk, 'utf8')) {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => {
        stream.off('drain', onDrain);
        reject(error);
      };
      const onDrain = () => {
        stream.off('error', onError);
        resolve();
      };
      stream.once('drain', onDrain);
      stream.once('error', onError);
    });
  }
}

async function closeStream(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

/** Where a file written beside a single-file export goes: the target's name with `suffix` for its extension. */
export function besidePath(target: string, suffix: string): string {
  if (suffix === '' || /[/\\]/.test(suffix)) throw new MarginError('bad-input', `The exporter named a file outside its folder: ${suffix}`);
  const ext = path.extname(target);
  return `${ext ? target.slice(0, -ext.length) : target}${suffix}`;
}

/** A path an exporter names, kept inside the folder being written. */
function insideFolder(root: string, relative: string): string {
  const full = path.resolve(root, relative);
  const rel = path.relative(root, full);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw new MarginError('bad-input', `The exporter named a file outside its folder: ${relative}`);
  return full;
}

/** Documents read while earlier ones are written: reading is mostly waiting on the disk, so a few overlap. */
export const READ_AHEAD = 8;

/** `read` of every id, in order, with up to READ_AHEAD reads in flight. A failed read fails when its turn comes. */
async function* readInOrder(ids: readonly string[], read: (id: string) => Promise<ExportDocument>): AsyncGenerator<ExportDocument> {
  const inFlight: Promise<ExportDocument>[] = [];
  let next = 0;
  const fill = () => {
    while (inFlight.length < READ_AHEAD && next < ids.length) {
      const reading = read(ids[next++]!);
      reading.catch(() => undefined); // reported in order, below
      inFlight.push(reading);
    }
  };
  fill();
  while (inFlight.length > 0) {
    const doc = await inFlight.shift()!;
    fill();
    yield doc;
  }
}

/**
 * Streams every document of `source` through the exporter into `target`, atomically: into a
 * temporary name first, renamed into place once all is written. Cancelling (the signal) or a
 * failure removes the temporary file or folder; the target is then never created.
 */
export async function writeExport(opts: WriteExportOptions): Promise<ExportResult> {
  const { exporter, source, target, schema, signal, onProgress } = opts;
  const options = opts.options ?? {};
  const ids = await source.ids();
  const total = ids.length;
  const base: Omit<ExportContext, 'index'> = { schema, total, options };
  const temp = tempNameFor(target);
  let annotations = 0;
  const beside: { target: string; temp: string }[] = [];
  const check = () => {
    if (signal?.aborted) throw cancelled();
  };
  check();
  const existing = await stat(target).catch(() => null);
  if (existing) {
    const emptyFolder = existing.isDirectory() && (await readdir(target)).length === 0;
    const replaceable = opts.overwrite && (exporter.kind === 'single' ? existing.isFile() : emptyFolder);
    if (!replaceable) {
      throw new MarginError('conflict', `${target} already exists; an export writes ${exporter.kind === 'single' ? 'a new file' : 'a new (or empty) folder'} there only.`);
    }
  }
  await mkdir(path.dirname(target), { recursive: true });

  if (exporter.kind === 'single') {
    const stream = createWriteStream(temp, { flags: 'wx', encoding: 'utf8' });
    const failed = new Promise<never>((_, reject) => stream.once('error', reject));
    failed.catch(() => undefined);
    try {
      await Promise.race([new Promise<void>((resolve) => stream.once('open', () => resolve())), failed]);
      await writeChunk(stream, exporter.begin(base));
      let index = 0;
      for await (const doc of readInOrder(ids, source.read)) {
        check();
        onProgress?.({ done: index, total, current: doc.title });
        annotations += doc.annotations.length;
        await writeChunk(stream, exporter.document(doc, { ...base, index: index++ }));
      }
      check();
      await writeChunk(stream, exporter.end(base));
      await closeStream(stream);
      await fsyncFile(temp);
      // The files another tool needs beside it, made durable before any takes its name.
      for (const file of exporter.beside?.files(base) ?? []) {
        const at = besidePath(target, file.path);
        if (!opts.overwrite && (await stat(at).catch(() => null))) throw new MarginError('conflict', `${at} already exists; an export writes a new file there only.`);
        beside.push({ target: at, temp: tempNameFor(at) });
        await writeFile(beside.at(-1)!.temp, file.content, { encoding: 'utf8', flag: 'wx' });
        await fsyncFile(beside.at(-1)!.temp);
      }
      check();
      await rename(temp, target);
      for (const b of beside) await rename(b.temp, b.target);
    } catch (error) {
      stream.destroy();
      await unlink(temp).catch(() => undefined);
      for (const b of beside) await unlink(b.temp).catch(() => undefined);
      throw error;
    }
  } else {
    await mkdir(temp);
    const writer = new FolderWriter();
    try {
      const folders = new Set<string>();
      const writeFiles = async (files: { path: string; content: string }[]) => {
        for (const file of files) {
          const full = insideFolder(temp, file.path);
          if (!folders.has(path.dirname(full))) {
            await mkdir(path.dirname(full), { recursive: true });
            folders.add(path.dirname(full));
          }
          await writer.write(full, file.content);
        }
      };
      let index = 0;
      for await (const doc of readInOrder(ids, source.read)) {
        check();
        onProgress?.({ done: index, total, current: doc.title });
        annotations += doc.annotations.length;
        await writeFiles(exporter.document(doc, { ...base, index: index++ }));
      }
      check();
      await writeFiles(exporter.end(base));
      // Everything on disk before the folder takes its name: a crash leaves no half export under it.
      await writer.finish(temp);
      check();
      if (existing) await rmdir(target);
      await rename(temp, target);
    } catch (error) {
      // Writes still running would put files back into the folder being removed.
      await writer.settle();
      await rm(temp, { recursive: true, force: true }).catch(() => undefined);
      throw error;
    }
  }
  onProgress?.({ done: total, total, current: '' });
  return { path: target, documents: total, annotations, ...(beside.length > 0 ? { beside: beside.map((b) => b.target) } : {}) };
}

/** `YYYY-MM-DD-HHMMSS` in local time: the export's name sorts by when it was made. */
export function exportStamp(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

/** The exporter of a format, or a clear refusal when that format is not available yet. */
export function exporterFor(format: string): Exporter {
  const entry = formatEntry(format);
  if (!entry) throw new MarginError('bad-input', `The ${format} format is not available in this version of Margin.`);
  return entry.createExporter();
}

/** A free `<project>/exports/<stamp>-<format>(.ext)`; `taken` holds names reserved by running jobs. */
export async function exportTargetPath(projectDir: string, format: ExportFormat, exporter: Exporter, date: Date, taken: ReadonlySet<string> = new Set()): Promise<string> {
  const dir = path.join(projectDir, EXPORTS_DIR);
  const ext = exporter.kind === 'single' ? `.${exporter.extension.replace(/^\./, '')}` : '';
  for (let n = 1; ; n++) {
    const name = `${exportStamp(date)}-${format}${n === 1 ? '' : `-${n}`}${ext}`;
    const full = path.join(dir, name);
    if (taken.has(full)) continue;
    if (await stat(full).then(() => false, () => true)) return full;
  }
}

/** Whether `target` is inside `<projectDir>/exports/` (symbolic links resolved). */
export async function isInsideExports(projectDir: string, target: string): Promise<boolean> {
  const exportsDir = await realpath(path.join(projectDir, EXPORTS_DIR)).catch(() => null);
  const resolved = await realpath(path.resolve(target)).catch(() => null);
  if (!exportsDir || !resolved) return false;
  const rel = path.relative(exportsDir, resolved);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

interface Job {
  progress: JobProgress;
  controller: AbortController;
  done: Promise<void>;
  target: string;
  finishedAt?: number;
}

/** How long a finished job's result can still be asked for. */
export const FINISHED_JOB_TTL_MS = 60 * 60 * 1000;

/**
 * The export jobs of a workspace: each runs in the background; exportProgress polls it by id;
 * cancelExport stops it (nothing is left on disk). Finished jobs are remembered for an hour.
 */
export class ExportJobs {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly now: () => number = Date.now) {}

  private prune(): void {
    const cutoff = this.now() - FINISHED_JOB_TTL_MS;
    for (const [id, job] of this.jobs) if (job.finishedAt !== undefined && job.finishedAt < cutoff) this.jobs.delete(id);
  }

  async start(store: ProjectStore, request: ExportRequest, date = new Date()): Promise<JobProgress> {
    this.prune();
    const format = request.format;
    const exporter = exporterFor(format);
    const taken = new Set([...this.jobs.values()].filter((j) => !j.progress.finished).map((j) => j.target));
    const target = await exportTargetPath(store.dir, format, exporter, date, taken);
    const filters: ExportFilters = { annotators: request.annotators, labels: request.labels, documents: request.documents ?? 'all' };
    const options: ExportOptions = request.conllOverlap ? { conllOverlap: request.conllOverlap } : {};
    const jobId = randomUUID();
    const controller = new AbortController();
    const progress: JobProgress = { jobId, done: 0, total: 0, current: '', finished: false, cancelled: false };
    const job: Job = { progress, controller, target, done: Promise.resolve() };
    job.done = writeExport({
      exporter,
      source: projectDocuments(store, filters),
      target,
      schema: store.project.schema,
      options,
      signal: controller.signal,
      onProgress: (p) => Object.assign(progress, p),
    }).then(
      (result) => {
        Object.assign(progress, { finished: true, current: '', result });
        job.finishedAt = this.now();
      },
      (error: unknown) => {
        Object.assign(progress, { finished: true, current: '' });
        if (controller.signal.aborted) progress.cancelled = true;
        else progress.error = error instanceof Error ? error.message : String(error);
        job.finishedAt = this.now();
      },
    );
    this.jobs.set(jobId, job);
    return { ...progress };
  }

  private job(jobId: string): Job {
    this.prune();
    const job = this.jobs.get(jobId);
    if (!job) throw new MarginError('not-found', `There is no export job ${jobId} (finished jobs are forgotten after an hour).`);
    return job;
  }

  progress(jobId: string): JobProgress {
    return { ...this.job(jobId).progress };
  }

  /** Stops a running job and waits until its temporary output is removed; a finished job is left as it is. */
  async cancel(jobId: string): Promise<JobProgress> {
    const job = this.job(jobId);
    if (!job.progress.finished) {
      job.controller.abort();
      await job.done;
    }
    return { ...job.progress };
  }

  /** Waits for a job to finish (tests, the CLI). */
  async wait(jobId: string): Promise<JobProgress> {
    const job = this.job(jobId);
    await job.done;
    return { ...job.progress };
  }

  /** Cancels every running job and waits for them (closing a project). */
  async cancelAll(): Promise<void> {
    for (const job of this.jobs.values()) if (!job.progress.finished) job.controller.abort();
    await Promise.all([...this.jobs.values()].map((j) => j.done));
  }
}
