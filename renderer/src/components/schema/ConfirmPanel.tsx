import { useEffect, useRef } from 'react';

interface Props {
  message: string;
  confirmLabel: string;
  cancelLabel?: string;
  /** While true (e.g. still counting), the confirm button waits. */
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** A question asked inside the schema editor, over its content, before anything irreversible happens. */
export function ConfirmPanel({ message, confirmLabel, cancelLabel = 'Cancel', busy = false, onConfirm, onCancel }: Props) {
  const cancel = useRef<HTMLButtonElement>(null);
  // The safe choice has the focus, so an Enter pressed by habit does not delete anything.
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div className="schema-confirm-backdrop">
      <div className="schema-confirm" role="alertdialog" aria-modal="true" aria-labelledby="schema-confirm-message">
        <p id="schema-confirm-message">{message}</p>
        <div className="dialog-actions">
          <button type="button" ref={cancel} onClick={onCancel}>
            {cancelLabel}
          </button>
          <button type="button" className="danger" disabled={busy} onClick={onConfirm}>
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
