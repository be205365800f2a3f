import type { Span } from '../../../shared/selection';

/**
 * Boundary moves by key (Alt+←/→), one word per press however fast the presses come: each press
 * starts from where the previous one put the boundary, not from the annotation as last read back
 * from the store (which lags while writes are under way), and the writes go out one after
 * another, in the order of the presses.
 */
export class BoundaryMoves {
  /** Where the presses so far put the annotation's boundaries. */
  private live: (Span & { id: string }) | null = null;
  private pending = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * The annotation list on screen when the last write finished. While the screen still shows
   * that list, it has not caught up with the writes and `live` is the truth; once it shows a
   * newer one (the writes read back, an undo, a colleague's change) that one is.
   */
  private settledWith: unknown = undefined;

  /** The span the next press moves from: `shown` is the annotation as displayed, `list` the annotation list it comes from. */
  from(shown: Span & { id: string }, list: unknown): Span {
    const live = this.live;
    if (live && live.id === shown.id && (this.pending > 0 || this.settledWith === list)) return { start: live.start, end: live.end };
    return { start: shown.start, end: shown.end };
  }

  /**
   * Records the span a press leads to and queues its write after the earlier ones. `current`
   * names the annotation list on screen when the write finishes (read then, not now).
   */
  move(id: string, span: Span, write: () => Promise<unknown>, current: () => unknown): Promise<void> {
    this.live = { id, start: span.start, end: span.end };
    this.pending++;
    const done = this.queue.then(write).then(
      () => this.settle(current),
      () => {
        // Refused (the user was told): what is on screen is the truth again.
        this.live = null;
        this.settle(current);
      },
    );
    this.queue = done;
    return done;
  }

  private settle(current: () => unknown): void {
    this.pending--;
    if (this.pending === 0) this.settledWith = current();
  }
}
