import type { ApiResult, ProjectChange } from '../../../shared/api';
import { coalesce } from './watcher';

type Answer = ApiResult<'waitForChanges'>;

/** What a window must do when the feed cannot tell what it missed: reload everything. */
export const RELOAD_ALL: readonly ProjectChange[] = [{ kind: 'schema' }, { kind: 'documents' }];

export interface ChangeFeedOptions {
  /** How long a poll waits for a change before answering with none. */
  waitMs?: number;
  /** How many changes are kept for windows that poll late; older cursors get RELOAD_ALL. */
  keep?: number;
  /** The first cursor; per run by default, so a cursor from another run is never taken for this one's. */
  start?: number;
}

/**
 * The changes other writers made to the open project, numbered by a cursor, for windows that
 * long-poll (waitForChanges). Each window keeps its own cursor, so none misses a change another
 * window has already seen.
 */
export class ChangeFeed {
  private cursor: number;
  private readonly log: { seq: number; change: ProjectChange; origin?: string }[] = [];
  private readonly waiters = new Set<() => void>();
  private closed = false;
  private readonly waitMs: number;
  private readonly keep: number;

  constructor(options: ChangeFeedOptions = {}) {
    this.cursor = options.start ?? Date.now();
    this.waitMs = options.waitMs ?? 20_000;
    this.keep = options.keep ?? 1000;
  }

  /** `origin`: the window that made these changes itself; every other window is told. */
  push(changes: readonly ProjectChange[], origin?: string): void {
    if (changes.length === 0) return;
    for (const change of changes) this.log.push(origin === undefined ? { seq: ++this.cursor, change } : { seq: ++this.cursor, change, origin });
    if (this.log.length > this.keep) this.log.splice(0, this.log.length - this.keep);
    for (const wake of [...this.waiters]) wake();
  }

  /** The answer for a window at `since`, or null when it has seen everything (it should wait). */
  private answer(since: number, windowId?: string): Answer | null {
    if (since === 0) return { cursor: this.cursor, changes: [] };
    if (since === this.cursor) return null;
    const oldest = this.log[0]?.seq ?? this.cursor + 1;
    // From the future (another run) or from before what is kept: what was missed is unknown.
    if (since > this.cursor || since < oldest - 1) return { cursor: this.cursor, changes: [...RELOAD_ALL] };
    const news = this.log.filter((e) => e.seq > since && (e.origin === undefined || e.origin !== windowId));
    // Only the window's own changes since: nothing to tell yet (a timeout moves its cursor past them).
    if (news.length === 0) return null;
    return { cursor: this.cursor, changes: coalesce(news.map((e) => e.change)) };
  }

  /**
   * Resolves at once when there are changes after `since`, else at the next change, after
   * `waitMs` with none, when `signal` aborts, or when the feed closes.
   */
  async wait(since: number, signal?: AbortSignal, windowId?: string): Promise<Answer> {
    const deadline = Date.now() + this.waitMs;
    // Woken by every push; a push of only this window's own changes is no news: wait on.
    for (;;) {
      const ready = this.answer(since, windowId);
      if (ready) return ready;
      const left = deadline - Date.now();
      if (this.closed || signal?.aborted || left <= 0) return { cursor: this.cursor, changes: [] };
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          this.waiters.delete(done);
          resolve();
        };
        // A waiting poll must not keep the process alive on its own (the CLI exits once closed).
        const timer = setTimeout(done, left).unref();
        signal?.addEventListener('abort', done, { once: true });
        this.waiters.add(done);
      });
    }
  }

  /** Ends every waiting poll (with no changes) and answers later ones at once. */
  close(): void {
    this.closed = true;
    for (const wake of [...this.waiters]) wake();
  }
}
