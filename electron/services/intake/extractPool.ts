import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CANCELLED, type Extracted } from './extract/common';
import type { ReaderReply, ReaderRequest } from './extractProtocol';

/**
 * Files are read (jsdom, Readability, pdfjs, marked, mammoth) on reader threads, never on the
 * thread that answers the API: a hostile page keeps one reader busy, not the app. Each file has
 * a time limit and a memory limit; a file that exceeds one is refused with the reason, and its
 * reader thread is thrown away and replaced. Works the same in the desktop app, in browser mode
 * and in the CLI (worker threads exist in all three).
 */

export interface ReadLimits {
  /** How long one file may take to read, from the moment its reader is loaded. */
  timeMs: number;
  /** The reader thread's heap (V8 old generation) while it reads one file. */
  memoryMb: number;
}

/** Far above what a real article needs (a page of 20,000 tags reads in about 2 s, in about 120 MB of heap). */
export const READ_LIMITS: ReadLimits = { timeMs: 20_000, memoryMb: 1024 };

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;
export const tookTooLong = (limits: ReadLimits) => `took longer than ${seconds(limits.timeMs)} to read; it was stopped`;
export const neededTooMuch = (limits: ReadLimits) => `needed more than ${limits.memoryMb} MB of memory to read; it was stopped`;
export const READER_STOPPED = 'could not be read: the reader stopped unexpectedly';
export const READER_MISSING = 'could not be read: the import reader is missing from this installation of Margin';

/** A reader thread that is idle this long is closed (another starts when a file comes). */
const IDLE_MS = 60_000;

/**
 * The reader thread's entry: beside the bundle in the built app (out/main/extractWorker.js, from
 * main.js or from a chunk below it), the TypeScript source through tsx everywhere else.
 */
export function readerEntry(moduleUrl: string = import.meta.url): URL {
  if (/\.[cm]?ts$/.test(new URL(moduleUrl).pathname)) return new URL('./extractWorker.source.mjs', moduleUrl);
  for (const candidate of ['./extractWorker.js', '../extractWorker.js']) {
    const url = new URL(candidate, moduleUrl);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new Error(`the import reader (extractWorker.js) is missing beside ${fileURLToPath(moduleUrl)}: rebuild the app`);
}

interface Job {
  fileName: string;
  bytes: Uint8Array;
  signal?: AbortSignal;
  resolve: (result: Extracted) => void;
}

interface Reader {
  worker: Worker;
  idleTimer?: NodeJS.Timeout;
}

export interface ExtractPoolOptions {
  limits?: Partial<ReadLimits>;
  /**
   * Reader threads at most (files read at the same time; the rest wait their turn). Two by
   * default, whatever the cores: a paste or an upload goes on while one slow file is read.
   */
  size?: number;
  /** The reader's entry script (tests point it at a built one). */
  entry?: URL;
}

export class ExtractPool extends EventEmitter<{ started: [fileName: string] }> {
  readonly limits: ReadLimits;
  private readonly size: number;
  private readonly entry?: URL;
  private readonly idle: Reader[] = [];
  private readonly busy = new Set<Reader>();
  private readonly queue: Job[] = [];
  private nextId = 1;

  constructor(options: ExtractPoolOptions = {}) {
    super();
    this.limits = { ...READ_LIMITS, ...options.limits };
    this.size = Math.max(1, options.size ?? 2);
    this.entry = options.entry;
  }

  /**
   * A file's text and metadata, read on a reader thread; as extractArticle, never throws: a file
   * over a limit, a reader that died and a cancel are `{ ok: false, reason }` too.
   */
  extract(fileName: string, bytes: Uint8Array, options: { signal?: AbortSignal } = {}): Promise<Extracted> {
    if (options.signal?.aborted) return Promise.resolve({ ok: false, reason: CANCELLED });
    return new Promise((resolve) => {
      this.queue.push({ fileName, bytes, signal: options.signal, resolve });
      this.pump();
    });
  }

  /** Stops every reader thread; files being read or waiting are answered as cancelled. */
  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.resolve({ ok: false, reason: CANCELLED });
    const readers = [...this.idle.splice(0), ...this.busy];
    this.busy.clear();
    await Promise.all(readers.map((r) => this.stop(r)));
  }

  private pump(): void {
    while (this.queue.length > 0 && (this.idle.length > 0 || this.busy.size < this.size)) {
      const job = this.queue.shift()!;
      if (job.signal?.aborted) {
        job.resolve({ ok: false, reason: CANCELLED });
        continue;
      }
      let reader: Reader;
      try {
        reader = this.idle.pop() ?? this.spawn();
      } catch {
        // A broken installation (the reader's script missing): said once per file, not thrown.
        job.resolve({ ok: false, reason: READER_MISSING });
        continue;
      }
      clearTimeout(reader.idleTimer);
      this.busy.add(reader);
      this.run(reader, job);
    }
  }

  private spawn(): Reader {
    // Its output goes where this thread's goes (the readers print nothing; jsdom's console is
    // silenced, pdfjs's verbosity 0). Piping it here instead would keep the CLI from exiting.
    const worker = new Worker(this.entry ?? readerEntry(), { resourceLimits: { maxOldGenerationSizeMb: this.limits.memoryMb } });
    // An error or exit outside a job (say, while idle) only means this reader is gone.
    worker.on('error', () => undefined);
    const reader: Reader = { worker };
    worker.once('exit', () => {
      this.busy.delete(reader);
      const at = this.idle.indexOf(reader);
      if (at >= 0) this.idle.splice(at, 1);
    });
    return reader;
  }

  private run(reader: Reader, job: Job): void {
    const { worker } = reader;
    const id = this.nextId++;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    worker.ref();

    const finish = (result: Extracted, keepReader: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      job.signal?.removeEventListener('abort', onAbort);
      this.busy.delete(reader);
      if (keepReader) this.rest(reader);
      else void this.stop(reader);
      job.resolve(result);
      this.pump();
    };
    const onMessage = (reply: ReaderReply) => {
      if (reply.id !== id) return;
      if (reply.kind === 'started') {
        timer = setTimeout(() => finish({ ok: false, reason: tookTooLong(this.limits) }, false), this.limits.timeMs);
        this.emit('started', job.fileName);
      } else finish(reply.result, true);
    };
    const onError = (error: Error & { code?: string }) =>
      finish({ ok: false, reason: error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? neededTooMuch(this.limits) : READER_STOPPED }, false);
    const onExit = () => finish({ ok: false, reason: READER_STOPPED }, false);
    const onAbort = () => finish({ ok: false, reason: CANCELLED }, false);

    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    job.signal?.addEventListener('abort', onAbort, { once: true });
    const request: ReaderRequest = { id, fileName: job.fileName, bytes: job.bytes };
    worker.postMessage(request);
  }

  /** Back to the idle readers: it no longer keeps the process alive, and closes if left idle. */
  private rest(reader: Reader): void {
    reader.worker.unref();
    reader.idleTimer = setTimeout(() => {
      const at = this.idle.indexOf(reader);
      if (at >= 0) this.idle.splice(at, 1);
      void this.stop(reader);
    }, IDLE_MS);
    reader.idleTimer.unref();
    this.idle.push(reader);
  }

  private async stop(reader: Reader): Promise<void> {
    clearTimeout(reader.idleTimer);
    await reader.worker.terminate();
  }
}

let shared: ExtractPool | undefined;

/** The process's readers, started on first use. */
export function extractPool(): ExtractPool {
  shared ??= new ExtractPool();
  return shared;
}
