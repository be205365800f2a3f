import type { Annotation, TagSchema } from '../../../shared/model';

interface Props {
  schema: TagSchema;
  annotations: readonly Annotation[];
  selectedId: string | null;
  annotator: string | null;
  onPick: (id: string) => void;
  onDelete: (id: string) => void;
}

const MAX_SHOWN = 140;

/** The document's annotations in text order; picking one selects it and brings it into view. */
export function AnnotationPanel({ schema, annotations, selectedId, annotator, onPick, onDelete }: Props) {
  const colorOf = (label: string) => schema.labels.find((l) => l.name === label)?.color ?? '#888888';
  return (
    <aside className="annotation-panel" aria-label="Annotations">
      <h2>
        Annotations <span className="count">{annotations.length}</span>
      </h2>
      {annotations.length === 0 ? (
        <p className="empty-hint">No annotations yet. Select text, then press a tag button or its key (1, 2, 3).</p>
      ) : (
        <ul className="annotation-list">
          {annotations.map((a) => (
            <li key={a.id} className={a.id === selectedId ? 'selected' : undefined} data-annotation-id={a.id}>
              <button type="button" className="annotation-item" aria-current={a.id === selectedId} onClick={() => onPick(a.id)}>
                <span className="label-chip" style={{ background: colorOf(a.label) }}>
                  {a.label}
                </span>
                <span className="annotation-text">
                  {a.quote.exact.length > MAX_SHOWN ? `${a.quote.exact.slice(0, MAX_SHOWN)}…` : a.quote.exact}
                </span>
                <span className="annotator">{a.annotator}</span>
              </button>
              {a.annotator === annotator && (
                <button type="button" className="delete-button" title="Delete this annotation (Delete)" aria-label={`Delete ${a.label}`} onClick={() => onDelete(a.id)}>
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
