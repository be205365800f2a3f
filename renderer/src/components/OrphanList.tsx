import type { Orphan } from '../../../shared/model';

interface Props {
  orphans: readonly (Orphan & { annotator: string })[];
}

/** Imported annotations whose text could not be found: kept and shown, never silently dropped. */
export function OrphanList({ orphans }: Props) {
  if (orphans.length === 0) return null;
  return (
    <section className="orphan-list" aria-label="Annotations that could not be placed">
      <h2>
        Could not be placed <span className="count">{orphans.length}</span>
      </h2>
      <ul>
        {orphans.map((o) => (
          <li key={`${o.annotator}-${o.id}`}>
            <span className="label-chip orphan">{o.label}</span>
            <span className="annotation-text">“{o.quote.exact}”</span>
            <span className="annotator">
              {o.annotator} · {o.source}: {o.reason}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
