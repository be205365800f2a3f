import { FieldErrors, errorId } from './FieldErrors';
import { type LabelRow, type RelationRow, relationField } from './schemaDraft';

interface Props {
  relations: RelationRow[];
  labels: LabelRow[];
  problems: Record<string, string[]>;
  onToggle: (relationId: string, end: 'from' | 'to', labelId: string, allowed: boolean) => void;
}

/** Which labels each relation type may link from and to; the types themselves stay as they are. */
export function RelationsEditor({ relations, labels, problems, onToggle }: Props) {
  if (relations.length === 0) return null;
  return (
    <section className="schema-relations" aria-labelledby="schema-relations-title">
      <h3 id="schema-relations-title">Relations</h3>
      {relations.map((relation) => (
        <div key={relation.id} role="group" aria-label={`Relation ${relation.type}`} className="schema-relation">
          <h4>{relation.type}</h4>
          {(['from', 'to'] as const).map((end) => {
            const field = relationField(relation.id, end);
            return (
              <fieldset key={end} className="schema-relation-end">
                <legend>{end === 'from' ? 'Source labels' : 'Target labels'}</legend>
                {labels.map((label) => (
                  <label key={label.id} className="schema-check">
                    <input
                      type="checkbox"
                      checked={relation[end].includes(label.id)}
                      onChange={(e) => onToggle(relation.id, end, label.id, e.target.checked)}
                    />
                    <span className="swatch" style={{ background: label.color }} aria-hidden />
                    {label.name.trim() || '(unnamed label)'}
                  </label>
                ))}
                <FieldErrors id={errorId(field)} messages={problems[field]} />
              </fieldset>
            );
          })}
        </div>
      ))}
    </section>
  );
}
