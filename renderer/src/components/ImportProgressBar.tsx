import type { ImportProgress } from '../api/files';

interface Props {
  progress: ImportProgress;
  cancelling: boolean;
  onCancel: () => void;
}

/** Shown while an import runs: files done of total, the file at hand, and Cancel. */
export function ImportProgressBar({ progress, cancelling, onCancel }: Props) {
  const { done, total, current } = progress;
  return (
    <div className="import-progress" role="region" aria-label="Import progress">
      <progress max={total} value={done} aria-label="Files imported" aria-valuetext={`${done} of ${total} files`} />
      <span className="import-progress-text" aria-live="polite">
        {cancelling ? 'Cancelling after this file…' : `Importing ${Math.min(done + 1, total)} of ${total}`}
        {current && !cancelling && <span className="import-current">: {current}</span>}
      </span>
      <button type="button" onClick={onCancel} disabled={cancelling}>
        Cancel
      </button>
    </div>
  );
}
