import { useEffect, useRef, useState } from 'react';
import type { Session } from '../../../shared/api';
import { api, messageOf } from '../api/client';
import { DialogError } from './DialogError';

interface Props {
  session: Session;
  /** Saved: the session as the project now stands. */
  onSaved: (session: Session) => void;
  onClose: () => void;
}

/**
 * Settings the whole team shares (margin.json): for now, blind annotation. Shown as margin.json
 * is now (read again on opening: a colleague may have changed it), and saved against that
 * revision, so a change made meanwhile elsewhere is never silently undone: the error says so and
 * the dialog stays open.
 */
export function ProjectSettingsDialog({ session, onSaved, onClose }: Props) {
  const [current, setCurrent] = useState<Session | null>(null);
  const [blind, setBlind] = useState(session.settings.blindAnnotation);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The checkbox is disabled until margin.json is read, and a disabled one takes no focus: the
  // dialog holds it meanwhile, so Escape and Tab work from the start (opened by Ctrl+, or the Menu).
  const form = useRef<HTMLFormElement>(null);
  const checkbox = useRef<HTMLInputElement>(null);
  useEffect(() => (current ? checkbox.current : form.current)?.focus(), [current]);
  useEffect(() => {
    let gone = false;
    api
      .getSession({})
      .then((fresh) => {
        if (gone) return;
        setCurrent(fresh);
        setBlind(fresh.settings.blindAnnotation);
      })
      .catch((e: unknown) => !gone && setError(messageOf(e)));
    return () => {
      gone = true;
    };
  }, []);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!current) return;
    setBusy(true);
    setError(null);
    try {
      onSaved(await api.updateProjectSettings({ settings: { blindAnnotation: blind }, baseRevision: current.revision }));
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };
  return (
    <div className="dialog-backdrop" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <form ref={form} tabIndex={-1} className="dialog" role="dialog" aria-modal="true" aria-labelledby="project-settings-title" onSubmit={submit}>
        <h2 id="project-settings-title">Project settings</h2>
        <label className="check">
          <input ref={checkbox} type="checkbox" checked={blind} disabled={!current} onChange={(e) => setBlind(e.target.checked)} aria-describedby="blind-hint" />
          Blind annotation
        </label>
        <p id="blind-hint" className="hint">
          Each annotator sees only their own tags on an article until they mark it done; a reviewer sees every layer once they open the compare view.
          This applies to everyone working on {session.project.name}.
        </p>
        <DialogError message={error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !current || blind === current.settings.blindAnnotation}>
            Save
          </button>
        </div>
      </form>
    </div>
  );
}
