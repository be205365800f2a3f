import type { DocumentSummary } from '../../../shared/model';

interface Props {
  documents: readonly DocumentSummary[];
  currentId: string | null;
  onOpen: (id: string) => void;
}

export function DocumentList({ documents, currentId, onOpen }: Props) {
  return (
    <nav className="document-list" aria-label="Documents">
      <h2>
        Documents <span className="count">{documents.length}</span>
      </h2>
      <ul>
        {documents.map((d) => (
          <li key={d.id}>
            <button type="button" className="document-item" aria-current={d.id === currentId} title={d.title} onClick={() => onOpen(d.id)}>
              <span className="document-title">{d.title}</span>
              {d.problem && (
                <span className="problem" role="img" aria-label="Problem" title={d.problem}>
                  ⚠
                </span>
              )}
              <span className="count" aria-label={`${d.annotationCount} annotations`}>
                {d.annotationCount}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
