import { SYNC_STEP_TEXT, type SyncProgress } from '../../../shared/api';

/** Shown while a Sync runs: the step under way (committing, pulling, merging, pushing). */
export function SyncProgressBar({ progress }: { progress: SyncProgress }) {
  return (
    <div className="import-progress" role="region" aria-label="Sync progress">
      <progress aria-label="Sync" />
      <span className="import-progress-text" aria-live="polite" data-step={progress.step}>
        {SYNC_STEP_TEXT[progress.step]}
      </span>
    </div>
  );
}
