import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { suggest, type Suggestion, type SuggestOptions } from '../../../shared/suggest';
import type { SuggestReply, SuggestRequest } from './suggestProtocol';

/**
 * The suggestion engine runs on one thread of its own, never on the thread that answers the API:
 * about 1 ms for a news article, but 110–220 ms for a 1 MB report, during which every other
 * request (typing, scrolling, saving) would wait. One thread is enough (documents are asked for
 * one at a time, as they open); the rest wait their turn in a queue. A document over the time
 * limit gets no engine suggestions, and the thread is thrown away and replaced.
 */

/** Far above what a real document needs (a 1 MB report takes about 0.2 s). */
export const SUGGEST_TIME_MS = 20_000;

/** A thread idle this long is closed (another starts when a document comes). */
const IDLE_MS = 60_000;

/** How a document's suggestions were computed, or why there are none. */
export type SuggestOutcome = 'worker' | 'in-process' | 'timed-out' | 'stopped';

/**
 * The thread's entry: beside the bundle in the built app and the CLI bundle (suggestWorker.js,
 * next to main.js or cli.js, from them or from a chunk below them), the TypeScript source through
 * tsx everywhere else; null when an installation lacks it.
 */
export function suggestEntry(moduleUrl: string = import.meta.url): URL | null {
  if (/\.[cm]?ts$/.test(new URL(moduleUrl).pathname)) return new URL('./suggestWorker.source.mjs', moduleUrl);
  for (const candidate of ['./suggestWorker.js', '../suggestWorker.js']) {
    const url = new URL(candidate, moduleUrl);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return null;
}

interface Job {
  text: string;
  options: SuggestOptions;
  resolve: (suggestions: Suggestion[] | null) => void;
}

export interface SuggestPoolOptions {
  /** How long one document may take, from the moment the thread starts on it. */
  timeMs?: number;
  /** The thread's entry script; null: none (computed in-process). Tests point it at a built one. */
  entry?: URL | null;
}

export class SuggestPool extends EventEmitter<{ started: [length: number]; finished: [outcome: SuggestOutcome] }> {
  /** How long one document may take, from the moment the thread starts on it (read at that moment). */
  timeMs: number;
  private readonly entry: URL | null;
  private worker?: Worker;
  private idleTimer?: NodeJS.Timeout;
  private readonly queue: Job[] = [];
  private running = false;
  private nextId = 1;

  constructor(options: SuggestPoolOptions = {}) {
    super();
    this.timeMs = options.timeMs ?? SUGGEST_TIME_MS;
    this.entry = options.entry === undefined ? suggestEntry() : options.entry;
  }

  /** The engine's suggestions for a text; null when it took too long or its thread died. Never throws. */
  suggest(text: string, options: SuggestOptions = {}): Promise<Suggestion[] | null> {
    return new Promise((resolve) => {
      this.queue.push({ text, options, resolve });
      this.pump();
    });
  }

  /** Stops the thread; documents waiting or being computed get no suggestions. */
  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.resolve(null);
    await this.stopWorker();
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.running = true;
    const finish = (suggestions: Suggestion[] | null, outcome: SuggestOutcome) => {
      this.running = false;
      this.emit('finished', outcome);
      job.resolve(suggestions);
      this.pump();
    };
    const worker = this.workerOrNone();
    if (worker) this.run(worker, job, finish);
    else this.inProcess(job, finish);
  }

  /** An installation without the thread's script still lists suggestions: slower, never failing. */
  private inProcess(job: Job, finish: (s: Suggestion[] | null, outcome: SuggestOutcome) => void): void {
    this.emit('started', job.text.length);
    let suggestions: Suggestion[] | null = null;
    try {
      suggestions = suggest(job.text, job.options);
    } catch {
      // The engine failing on one text costs that document its suggestions, not the listing.
    }
    finish(suggestions, suggestions ? 'in-process' : 'stopped');
  }

  private workerOrNone(): Worker | undefined {
    clearTimeout(this.idleTimer);
    if (this.worker) return this.worker;
    if (!this.entry) return undefined;
    try {
      const worker = new Worker(this.entry);
      // An error or exit outside a job (say, while idle) only means this thread is gone.
      worker.on('error', () => undefined);
      worker.once('exit', () => {
        if (this.worker === worker) this.worker = undefined;
      });
      this.worker = worker;
      return worker;
    } catch {
      return undefined;
    }
  }

  private run(worker: Worker, job: Job, finish: (s: Suggestion[] | null, outcome: SuggestOutcome) => void): void {
    const id = this.nextId++;
    let timer: NodeJS.Timeout | undefined;
    let started = false;
    worker.ref();
    const detach = () => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onError);
    };
    const end = (suggestions: Suggestion[] | null, outcome: SuggestOutcome, keepWorker: boolean) => {
      detach();
      if (keepWorker) this.rest(worker);
      else void this.stopWorker(worker);
      finish(suggestions, outcome);
    };
    const onMessage = (reply: SuggestReply) => {
      if (reply.id !== id) return;
      if (reply.kind === 'done') return end(reply.suggestions, 'worker', true);
      started = true;
      timer = setTimeout(() => end(null, 'timed-out', false), this.timeMs);
      this.emit('started', job.text.length);
    };
    // A thread that dies before it starts (its script fails to load) leaves the engine to this
    // thread for the document; one that dies on the document leaves it without suggestions.
    const onError = () => {
      if (started) return end(null, 'stopped', false);
      detach();
      void this.stopWorker(worker);
      this.inProcess(job, finish);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onError);
    const request: SuggestRequest = { id, text: job.text, options: job.options };
    worker.postMessage(request);
  }

  /** Idle: the thread no longer keeps the process alive, and closes if left idle. */
  private rest(worker: Worker): void {
    worker.unref();
    this.idleTimer = setTimeout(() => void this.stopWorker(worker), IDLE_MS);
    this.idleTimer.unref();
  }

  private async stopWorker(worker = this.worker): Promise<void> {
    if (!worker) return;
    if (this.worker === worker) {
      this.worker = undefined;
      clearTimeout(this.idleTimer);
    }
    await worker.terminate();
  }
}

let shared: SuggestPool | undefined;

/** The process's suggestion thread, started on first use. */
export function suggestPool(): SuggestPool {
  shared ??= new SuggestPool();
  return shared;
}

/** Puts another pool in the process's place (tests: a tighter time limit); returns the one it replaced. */
export function useSuggestPool(pool: SuggestPool): SuggestPool {
  const previous = suggestPool();
  shared = pool;
  return previous;
}
