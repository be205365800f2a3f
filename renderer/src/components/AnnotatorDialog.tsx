import { useState } from 'react';
import { AnnotatorName } from '../../../shared/model';
import { DialogError } from './DialogError';

interface Props {
  initial: string;
  onSave: (name: string) => Promise<void>;
  onCancel?: () => void;
}

/** Asked once: the name stamped on every annotation and used as this annotator's folder. */
export function AnnotatorDialog({ initial, onSave, onCancel }: Props) {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const parsed = AnnotatorName.safeParse(name);
    if (!parsed.success) return setError(`Name: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    try {
      await onSave(parsed.data);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="dialog-backdrop">
      <form className="dialog" role="dialog" aria-modal="true" aria-labelledby="annotator-title" onSubmit={submit}>
        <h2 id="annotator-title">Who is annotating?</h2>
        <p>Your name is stamped on every annotation you make, so colleagues can tell your tags from theirs.</p>
        <label>
          Your name
          <input autoFocus value={name} onChange={(e) => setName(e.target.value)} aria-invalid={error !== null} />
        </label>
        <DialogError message={error} />
        <div className="dialog-actions">
          {onCancel && (
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
          )}
          <button type="submit" className="primary">
            Save
          </button>
        </div>
      </form>
    </div>
  );
}
