import { useState } from 'react';

interface Props {
  onImport: (text: string, title: string) => Promise<boolean>;
  onClose: () => void;
}

/** New document from text copied elsewhere (a browser, an email). */
export function PasteDialog({ onImport, onClose }: Props) {
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const done = await onImport(text, title.trim());
    setBusy(false);
    if (done) onClose();
  };
  return (
    <div className="dialog-backdrop" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <form className="dialog wide" role="dialog" aria-modal="true" aria-labelledby="paste-title" onSubmit={submit}>
        <h2 id="paste-title">New document from text</h2>
        <label>
          Title
          <input value={title} onChange={(e) => setTitle(e.target.value)} placeholder="The first line, if left empty" />
        </label>
        <label>
          Text
          <textarea autoFocus rows={14} value={text} onChange={(e) => setText(e.target.value)} placeholder="Paste the article here (Ctrl+V)" />
        </label>
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || text.trim() === ''}>
            Add document
          </button>
        </div>
      </form>
    </div>
  );
}
