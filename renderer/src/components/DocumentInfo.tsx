import { useState } from 'react';
import type { DocumentView } from '../../../shared/api';
import type { DocumentMeta } from '../../../shared/model';

interface Props {
  doc: DocumentView;
  onSave: (meta: DocumentMeta) => Promise<boolean>;
  onOpen: (docId: string) => void;
  /** Asks to delete the document (a confirmation follows). */
  onDelete: () => void;
}

const FIELDS: { key: keyof DocumentMeta; label: string; placeholder?: string }[] = [
  { key: 'title', label: 'Title' },
  { key: 'outlet', label: 'Outlet' },
  { key: 'author', label: 'Author' },
  { key: 'published', label: 'Published', placeholder: 'YYYY-MM-DD or YYYY-MM-DDThh:mm' },
  { key: 'url', label: 'URL', placeholder: 'https://…' },
  { key: 'language', label: 'Language', placeholder: 'en' },
];

function byline(meta: DocumentMeta): string {
  return [meta.outlet, meta.author, meta.published].filter(Boolean).join(' · ');
}

/**
 * The article's metadata above its text, editable; and the other outlets that ran the same story.
 * Editing metadata never touches the text, so every offset stays valid.
 */
export function DocumentInfo({ doc, onSave, onOpen, onDelete }: Props) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<DocumentMeta>({});
  const start = () => {
    setDraft(Object.fromEntries(FIELDS.map((f) => [f.key, doc.meta[f.key] ?? ''])));
    setEditing(true);
  };
  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    // Only what changed is sent; an emptied field goes back to what the import found.
    const changed = Object.fromEntries(FIELDS.filter((f) => (draft[f.key] ?? '') !== (doc.meta[f.key] ?? '')).map((f) => [f.key, (draft[f.key] ?? '').trim()]));
    if (Object.keys(changed).length === 0 || (await onSave(changed))) setEditing(false);
  };
  return (
    <section className="document-info" aria-label="Article information">
      {editing ? (
        <form className="meta-form" onSubmit={save} onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}>
          {FIELDS.map((f) => (
            <label key={f.key}>
              {f.label}
              <input value={draft[f.key] ?? ''} placeholder={f.placeholder} onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })} />
            </label>
          ))}
          <p className="meta-source">
            {doc.fileName ? `From ${doc.fileName}, ` : ''}imported {new Date(doc.importedAt).toLocaleString()}
          </p>
          <div className="dialog-actions">
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <button type="submit" className="primary">
              Save details
            </button>
          </div>
        </form>
      ) : (
        <div className="meta-summary">
          {/* The title in the article's own direction (an Arabic title reads right to left); the rest is the interface's. */}
          <h2 className="document-heading" dir="auto">
            {doc.meta.title || doc.title}
          </h2>
          <p className="meta-line">
            {byline(doc.meta) || 'No outlet, author or date known'}
            {doc.meta.url && (
              <>
                {' · '}
                <span className="meta-url" title={doc.meta.url}>
                  {doc.meta.url}
                </span>
              </>
            )}
            <button type="button" className="link-button" onClick={start}>
              Edit details
            </button>
            <button type="button" className="link-button" onClick={onDelete}>
              Delete document…
            </button>
          </p>
        </div>
      )}
      {doc.nearDuplicates.length > 0 && (
        <div className="near-duplicates">
          <span id={`also-${doc.id}`}>Also published as:</span>
          {/* A list, not text joined by separators: each article is one item, read and reached as such. */}
          <ul aria-labelledby={`also-${doc.id}`}>
            {doc.nearDuplicates.map((d) => (
              <li key={d.id}>
                <button type="button" className="link-button" onClick={() => onOpen(d.id)} title={`${Math.round(d.similarity * 100)}% the same text`}>
                  {d.title}
                  {d.outlet ? ` (${d.outlet})` : ''}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
