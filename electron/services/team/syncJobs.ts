import { randomUUID } from 'node:crypto';
import type { SyncProgress, SyncReport, SyncStep } from '../../../shared/api';
import { MarginError } from '../errors';
import { syncErrorMessage } from './sync';

/** Finished syncs kept for their windows to read the outcome. */
const KEEP_FINISHED = 20;

/**
 * The Sync the window started, run in the background and polled (like exports): one at a time,
 * so a second click while one runs joins it rather than starting git twice.
 */
export class SyncJobs {
  private readonly jobs = new Map<string, { progress: SyncProgress; done: Promise<void> }>();
  private running: string | null = null;

  start(run: (onStep: (step: SyncStep) => void) => Promise<SyncReport>): SyncProgress {
    if (this.running) return this.progress(this.running);
    const jobId = randomUUID();
    const progress: SyncProgress = { jobId, step: 'starting', finished: false };
    this.running = jobId;
    const done = run((step) => (progress.step = step)).then(
      (result) => Object.assign(progress, { step: 'done', finished: true, result }),
      (error: unknown) => Object.assign(progress, { finished: true, error: syncErrorMessage(error) }),
    );
    const job = {
      progress,
      done: done.then(() => {
        this.running = null;
      }),
    };
    this.jobs.set(jobId, job);
    for (const id of [...this.jobs.keys()].slice(0, Math.max(0, this.jobs.size - KEEP_FINISHED))) if (id !== this.running) this.jobs.delete(id);
    return { ...progress };
  }

  progress(jobId: string): SyncProgress {
    const job = this.jobs.get(jobId);
    if (!job) throw new MarginError('not-found', `There is no sync ${jobId} (only the last ${KEEP_FINISHED} are remembered).`);
    return { ...job.progress };
  }

  /** Waits for the running sync, if any (closing the project). */
  async idle(): Promise<void> {
    if (this.running) await this.jobs.get(this.running)?.done;
  }
}
