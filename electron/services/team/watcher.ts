import { stat } from 'node:fs/promises';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { ProjectChange } from '../../../shared/api';
import { AnnotatorName, DocId } from '../../../shared/model';
import { ownWrite } from '../store/jsonFile';

/**
 * Watches a project folder for other writers (a git pull, a synced drive, another tool) and
 * reports what they changed, so every window can show the disk as it is now. Our own writes are
 * recognised (store/jsonFile.ts records each one) and not reported.
 */

/** The top-level entries of a project that hold its data; exports/, .git and the rest are not watched. */
const WATCHED_ENTRIES = new Set(['margin.json', 'documents', 'annotations', 'metadata']);

const docIdOf = (name: string): string | null => {
  if (!name.endsWith('.json')) return null;
  const id = name.slice(0, -'.json'.length);
  return DocId.safeParse(id).success ? id : null;
};

function segmentsOf(projectDir: string, file: string): string[] | null {
  const relative = path.relative(projectDir, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return relative.split(path.sep);
}

/**
 * Whether the watcher skips a path (and, for a folder, all it holds): anything outside the data
 * folders, and every hidden entry: .git, the lock, the schema journal, and the temporary files
 * atomic writes go through (`.<name>.<pid>.<n>.tmp`).
 */
export function isIgnoredPath(projectDir: string, file: string): boolean {
  const segments = segmentsOf(projectDir, file);
  if (segments === null) return path.resolve(file) !== path.resolve(projectDir);
  return !WATCHED_ENTRIES.has(segments[0]!) || segments.some((s) => s.startsWith('.'));
}

/** What a change to this file means to the app, or null when it means nothing (a stray file). */
export function classifyPath(projectDir: string, file: string): ProjectChange | null {
  if (isIgnoredPath(projectDir, file)) return null;
  const segments = segmentsOf(projectDir, file);
  if (!segments) return null;
  const [top, second, third] = segments;
  if (segments.length === 1 && top === 'margin.json') return { kind: 'schema' };
  if (segments.length === 2 && top === 'documents' && docIdOf(second!)) return { kind: 'documents' };
  if (segments.length === 3 && top === 'annotations') {
    const docId = docIdOf(third!);
    // A folder whose name is not an annotator name holds no layer the app would read.
    const annotator = AnnotatorName.safeParse(second);
    if (docId && annotator.success && annotator.data === second) return { kind: 'layer', docId, annotator: second };
  }
  if (top === 'metadata') {
    // metadata/<docId>.json, or per annotator: metadata/<annotator>/<docId>.json.
    const docId = segments.length === 2 ? docIdOf(second!) : segments.length === 3 ? docIdOf(third!) : null;
    if (docId) return { kind: 'metadata', docId };
  }
  return null;
}

const keyOf = (change: ProjectChange): string => JSON.stringify(change);

/** The same change once, in the order first seen. */
export function coalesce(changes: readonly ProjectChange[]): ProjectChange[] {
  return [...new Map(changes.map((c) => [keyOf(c), c])).values()];
}

export interface WatcherOptions {
  /** `origin`: the window of this process that wrote them (its own poll must not be told), absent for other writers. */
  onChanges: (changes: ProjectChange[], origin?: string) => void;
  onError?: (error: Error) => void;
  /** A batch is reported once the folder has been quiet this long (a git pull writes many files)… */
  quietMs?: number;
  /** …or this long after its first event, whichever comes first. */
  maxWaitMs?: number;
}

/** A running watch of one project folder; `close` stops it. */
export class ProjectWatcher {
  private pending = new Set<string>();
  private quietTimer: NodeJS.Timeout | null = null;
  private maxTimer: NodeJS.Timeout | null = null;
  /** Batches are checked one after another, so they are reported in the order they happened. */
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly fsWatcher: FSWatcher,
    private readonly options: WatcherOptions,
  ) {}

  /** Starts watching `dir`; resolves once the folder has been scanned, so later changes are seen. */
  static async start(dir: string, options: WatcherOptions): Promise<ProjectWatcher> {
    const root = path.resolve(dir);
    const fsWatcher = watch(root, {
      ignoreInitial: true,
      ignored: (file: string) => isIgnoredPath(root, file),
      // annotations/<annotator>/<docId>.json and metadata/<annotator>/<docId>.json are two folders down.
      depth: 2,
    });
    const watcher = new ProjectWatcher(root, fsWatcher, options);
    for (const event of ['add', 'change', 'unlink'] as const) fsWatcher.on(event, (file: string) => watcher.noticed(file));
    fsWatcher.on('error', (error: unknown) => watcher.reportError(error as Error));
    await new Promise<void>((resolve) => fsWatcher.once('ready', resolve));
    return watcher;
  }

  private reportError(error: Error): void {
    if (this.options.onError) this.options.onError(error);
    else console.warn(`[margin] watching ${this.dir}: ${error.message}`);
  }

  private noticed(file: string): void {
    if (this.closed) return;
    this.pending.add(file);
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => this.flush(), this.options.quietMs ?? 150);
    this.maxTimer ??= setTimeout(() => this.flush(), this.options.maxWaitMs ?? 1000);
  }

  private flush(): void {
    if (this.quietTimer) clearTimeout(this.quietTimer);
    if (this.maxTimer) clearTimeout(this.maxTimer);
    this.quietTimer = this.maxTimer = null;
    const files = [...this.pending];
    this.pending = new Set();
    this.flushing = this.flushing
      .then(async () => {
        const changes: ProjectChange[] = [];
        const byWindow = new Map<string, ProjectChange[]>();
        for (const file of files) {
          const change = classifyPath(this.dir, file);
          if (!change) continue;
          const own = await this.ownVersion(file);
          if (own === null) changes.push(change);
          else if (own.origin !== undefined) (byWindow.get(own.origin) ?? byWindow.set(own.origin, []).get(own.origin)!).push(change);
        }
        if (this.closed) return;
        if (changes.length > 0) this.options.onChanges(coalesce(changes));
        for (const [origin, made] of byWindow) this.options.onChanges(coalesce(made), origin);
      })
      // One failed batch must not stop the ones after it.
      .catch((error: unknown) => this.reportError(error as Error));
  }

  /** The file is as this process last wrote it (and for which window), or null. A removal always counts as another writer's: reloading after one costs little. */
  private async ownVersion(file: string): Promise<{ origin?: string } | null> {
    const info = await stat(file).catch(() => null);
    return info === null ? null : ownWrite(file, info);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.quietTimer) clearTimeout(this.quietTimer);
    if (this.maxTimer) clearTimeout(this.maxTimer);
    await this.fsWatcher.close();
    await this.flushing;
  }
}
