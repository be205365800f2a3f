import { useEffect, useRef, useState } from 'react';
import type { JobProgress, Session } from '../../../shared/api';
import { EXPORT_FORMATS, type ExportFormat } from '../../../shared/formats/dataset';
import { plural } from '../../../shared/plural';
import { api, messageOf } from '../api/client';
import { DialogError } from './DialogError';

interface Props {
  session: Session;
  /** Every annotator with a layer in the project. */
  annotators: readonly string[];
  onDone: (message: string, path: string | null) => void;
  onClose: () => void;
}

const FORMAT_NAMES: Record<ExportFormat, string> = {
  jsonl: 'JSONL (Margin, one document per line)',
  w3c: 'W3C Web Annotation (JSON-LD)',
  brat: 'brat standoff (.txt + .ann folder)',
  doccano: 'doccano (JSONL)',
  'label-studio': 'Label Studio (JSON tasks)',
  csv: 'CSV (one row per annotation)',
  conll: 'CoNLL (IOB2 tokens)',
};

/** File → Export: format, what to include, and a progress bar with Cancel while it writes. */
export function ExportDialog({ session, annotators, onDone, onClose }: Props) {
  const [format, setFormat] = useState<ExportFormat>('jsonl');
  const [documents, setDocuments] = useState<'all' | 'done'>('all');
  const [chosenAnnotators, setChosenAnnotators] = useState<string[]>([...annotators]);
  const [labels, setLabels] = useState<string[]>(session.schema.labels.map((l) => l.name));
  const [overlap, setOverlap] = useState<'outermost' | 'innermost' | 'first' | 'longest'>('outermost');
  const [job, setJob] = useState<JobProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<number | null>(null);

  useEffect(() => () => {
    if (timer.current !== null) window.clearTimeout(timer.current);
  }, []);

  const poll = (jobId: string) => {
    timer.current = window.setTimeout(() => {
      api
        .exportProgress({ jobId })
        .then((progress) => {
          setJob(progress);
          if (!progress.finished) return poll(jobId);
          if (progress.error) return setError(progress.error);
          if (progress.cancelled) return onDone('Export cancelled; nothing was written.', null);
          const r = progress.result!;
          onDone(`Exported ${plural(r.annotations, 'annotation')} in ${plural(r.documents, 'document')} to ${r.path}`, r.path);
        })
        .catch((e: unknown) => setError(messageOf(e)));
    }, 150);
  };

  const start = async (event: React.FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const started = await api.startExport({
        format,
        documents,
        annotators: chosenAnnotators,
        labels,
        ...(format === 'conll' ? { conllOverlap: overlap } : {}),
      });
      setJob(started);
      poll(started.jobId);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const toggle = (list: string[], value: string, set: (next: string[]) => void) =>
    set(list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);
  const running = job !== null && !job.finished;

  return (
    <div className="dialog-backdrop">
      <form className="dialog wide" role="dialog" aria-modal="true" aria-labelledby="export-title" onSubmit={start} onKeyDown={(e) => e.key === 'Escape' && !running && onClose()}>
        <h2 id="export-title">Export dataset</h2>
        <label>
          Format
          <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} disabled={running}>
            {EXPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_NAMES[f]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Documents
          <select value={documents} onChange={(e) => setDocuments(e.target.value as 'all' | 'done')} disabled={running}>
            <option value="all">All documents</option>
            <option value="done">Only documents marked done</option>
          </select>
        </label>
        {format === 'conll' && (
          <label>
            Overlapping spans
            <select value={overlap} onChange={(e) => setOverlap(e.target.value as typeof overlap)} disabled={running}>
              <option value="outermost">The outermost span wins</option>
              <option value="innermost">The innermost span wins</option>
              <option value="first">The span that starts first wins</option>
              <option value="longest">The longest span wins</option>
            </select>
          </label>
        )}
        <fieldset disabled={running}>
          <legend>Annotators</legend>
          {annotators.length === 0 && <p className="empty-hint">No annotations yet.</p>}
          {annotators.map((a) => (
            <label key={a} className="check">
              <input type="checkbox" checked={chosenAnnotators.includes(a)} onChange={() => toggle(chosenAnnotators, a, setChosenAnnotators)} />
              {a}
            </label>
          ))}
        </fieldset>
        <fieldset disabled={running}>
          <legend>Labels</legend>
          {session.schema.labels.map((l) => (
            <label key={l.name} className="check">
              <input type="checkbox" checked={labels.includes(l.name)} onChange={() => toggle(labels, l.name, setLabels)} />
              {l.name}
            </label>
          ))}
        </fieldset>
        {job && (
          <div className="export-progress" role="region" aria-label="Export progress">
            <progress max={Math.max(job.total, 1)} value={job.done} aria-label="Documents exported" />
            <span>
              {job.finished ? 'Finished' : `Exporting ${Math.min(job.done + 1, job.total)} of ${job.total}`}
              {job.current && !job.finished ? `: ${job.current}` : ''}
            </span>
          </div>
        )}
        <DialogError message={error} />
        <div className="dialog-actions">
          {running ? (
            <button type="button" onClick={() => void api.cancelExport({ jobId: job.jobId }).catch((e: unknown) => setError(messageOf(e)))}>
              Cancel
            </button>
          ) : (
            <button type="button" onClick={onClose}>
              Close
            </button>
          )}
          <button type="submit" className="primary" disabled={running || chosenAnnotators.length === 0 || labels.length === 0}>
            Export
          </button>
        </div>
      </form>
    </div>
  );
}
