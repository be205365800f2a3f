import { useEffect, useRef, useState } from 'react';
import type { Session } from '../../../shared/api';
import { SUGGEST_LABELS } from '../../../shared/suggest/types';
import { api, messageOf } from '../api/client';
import { DialogError } from './DialogError';

interface Props {
  session: Session;
  /** Saved: the session as the project now stands. */
  onSaved: (session: Session) => void;
  onClose: () => void;
}

/** The engine's labels this schema has: the ones a project can choose to have suggested. */
const suggestable = (session: Session): string[] => SUGGEST_LABELS.filter((l) => session.schema.labels.some((d) => d.name === l));

const sameLabels = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((l) => b.includes(l));

/**
 * Settings the whole team shares (margin.json): blind annotation, and which suggestions the
 * reading view makes. Shown as margin.json is now (read again on opening: a colleague may have
 * changed it), and saved against that revision, so a change made meanwhile elsewhere is never silently undone: the error says so and
 * the dialog stays open.
 */
export function ProjectSettingsDialog({ session, onSaved, onClose }: Props) {
  const [current, setCurrent] = useState<Session | null>(null);
  const [blind, setBlind] = useState(session.settings.blindAnnotation);
  const [suggesting, setSuggesting] = useState(session.settings.suggestions.enabled);
  const [labels, setLabels] = useState<string[]>(session.settings.suggestions.labels);
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
        setSuggesting(fresh.settings.suggestions.enabled);
        setLabels(fresh.settings.suggestions.labels);
      })
      .catch((e: unknown) => !gone && setError(messageOf(e)));
    return () => {
      gone = true;
    };
  }, []);
  const offered = suggestable(current ?? session);
  const chosen = offered.filter((l) => labels.includes(l));
  const noLabel = suggesting && offered.length > 0 && chosen.length === 0;
  const suggestionsChanged = !!current && (suggesting !== current.settings.suggestions.enabled || !sameLabels(chosen, current.settings.suggestions.labels));
  const unchanged = !current || (blind === current.settings.blindAnnotation && !suggestionsChanged);
  const toggleLabel = (label: string) => setLabels(labels.includes(label) ? labels.filter((l) => l !== label) : [...labels, label]);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (unchanged || noLabel) return;
    setBusy(true);
    setError(null);
    try {
      // Every label chosen is saved as "all" (an empty list): a label the schema gains later is suggested too.
      // Only a setting changed is written: margin.json stays as it was for the others.
      const suggestions = { enabled: suggesting, labels: chosen.length === offered.length ? [] : chosen };
      const settings = { blindAnnotation: blind, ...(suggestionsChanged ? { suggestions } : {}) };
      onSaved(await api.updateProjectSettings({ settings, baseRevision: current!.revision }));
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
        <fieldset aria-describedby="suggestions-hint">
          <legend>Suggestions</legend>
          <label className="check">
            <input type="checkbox" checked={suggesting} disabled={!current} onChange={(e) => setSuggesting(e.target.checked)} />
            Suggest quotes, sources, claims and events as I read
          </label>
          {offered.map((label) => (
            <label key={label} className="check">
              <input type="checkbox" checked={chosen.includes(label)} disabled={!current || !suggesting} onChange={() => toggleLabel(label)} />
              {label}
            </label>
          ))}
        </fieldset>
        <p id="suggestions-hint" className="hint">
          {offered.length === 0
            ? 'The tag schema has none of the labels Margin can suggest (quote, source, claim, event).'
            : noLabel
              ? 'Choose at least one label, or turn suggestions off.'
              : 'Suggestions are worked out on this computer; none is anyone’s tag until it is accepted. Tags on one copy of a story are also suggested on its other copies.'}
        </p>
        <DialogError message={error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || unchanged || noLabel}>
            Save
          </button>
        </div>
      </form>
    </div>
  );
}
