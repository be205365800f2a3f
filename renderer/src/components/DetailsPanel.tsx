import { useRef, useState } from 'react';
import type { Annotation, AttributeDef, AttributeValue, LabelDef, Relation, TagSchema } from '../../../shared/model';
import { attributeProblem, missingRequired } from '../../../shared/schemaRules';

interface Props {
  annotation: Annotation;
  schema: TagSchema;
  annotations: readonly Annotation[];
  relations: readonly Relation[];
  editable: boolean;
  /** Whether this annotation's label can start a link (a quote or a claim). */
  canLink: boolean;
  linking: boolean;
  /** Attributes name only what was edited; null removes a value. */
  onChange: (changes: { label?: string; attributes?: Record<string, AttributeValue | null>; note?: string }) => Promise<boolean>;
  onStartLink: () => void;
  onUnlink: (relationId: string) => void;
  onPick: (id: string) => void;
  /** Reviews of this annotation, and how to give one (null when it is the user's own). */
  review: React.ReactNode;
  /** Makes an unknown label mean one of the schema's labels, for everyone. */
  onMapLabel: (from: string, to: string) => Promise<void>;
}

const when = (iso: string) => new Date(iso).toLocaleString();

/** Text the user typed, as the value the attribute's type expects; a string explains what is wrong. */
function parseField(def: AttributeDef, raw: string): AttributeValue | undefined | { problem: string } {
  const text = raw.trim();
  if (text === '') return undefined;
  if (def.type === 'number') {
    const n = Number(text.replace(',', '.'));
    return Number.isFinite(n) ? n : { problem: 'expected a number' };
  }
  if (def.type === 'boolean') return text === 'yes';
  const problem = attributeProblem(def, text);
  return problem ? { problem } : text;
}

function display(value: AttributeValue | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function AttributeField(props: {
  def: AttributeDef;
  value: AttributeValue | undefined;
  missing: boolean;
  disabled: boolean;
  onCommit: (value: AttributeValue | undefined) => Promise<boolean>;
}) {
  const { def, value, missing, disabled, onCommit } = props;
  const [problem, setProblem] = useState<string | null>(null);
  const id = `attr-${def.name}`;
  const commit = async (raw: string) => {
    const parsed = parseField(def, raw);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return setProblem(parsed.problem);
    if (display(parsed as AttributeValue | undefined) === display(value)) return setProblem(null);
    setProblem(null);
    await onCommit(parsed as AttributeValue | undefined);
  };
  let input: React.ReactNode;
  // Each input is keyed by the stored value: it resets when the value changes, and only then.
  if (def.type === 'choice' || def.type === 'boolean') {
    const options = def.type === 'boolean' ? ['yes', 'no'] : (def.values ?? []);
    input = (
      <select id={id} key={display(value)} defaultValue={display(value)} disabled={disabled} onChange={(e) => void commit(e.target.value)}>
        <option value="">—</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else if (def.type === 'multi') {
    const chosen = Array.isArray(value) ? value : [];
    input = (
      <div id={id} className="multi-choice" role="group" aria-label={def.name}>
        {(def.values ?? []).map((v) => (
          <label key={v}>
            <input
              type="checkbox"
              checked={chosen.includes(v)}
              disabled={disabled}
              onChange={(e) => {
                const next = e.target.checked ? [...chosen, v] : chosen.filter((c) => c !== v);
                void onCommit(next.length > 0 ? (def.values ?? []).filter((x) => next.includes(x)) : undefined);
              }}
            />
            {v}
          </label>
        ))}
      </div>
    );
  } else {
    input = (
      <input
        id={id}
        key={display(value)}
        type="text"
        inputMode={def.type === 'number' ? 'decimal' : undefined}
        placeholder={def.type === 'date' ? 'YYYY-MM-DD' : undefined}
        defaultValue={display(value)}
        disabled={disabled}
        aria-invalid={problem !== null}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onBlur={(e) => void commit(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') e.currentTarget.blur();
        }}
      />
    );
  }
  return (
    <div className={`field${missing ? ' missing' : ''}`}>
      <label htmlFor={id}>
        {def.name}
        {def.required && <span className="required" title="Required">*</span>}
      </label>
      {input}
      {problem && (
        <p className="field-error" id={`${id}-problem`} role="alert">
          {def.name}: {problem}
        </p>
      )}
      {!problem && missing && <p className="field-hint">Required</p>}
    </div>
  );
}

/** The selected annotation in full: label, attributes, note, links, who made it and when. */
export function DetailsPanel(props: Props) {
  const { annotation: a, schema, annotations, relations, editable, canLink, linking, onChange, onStartLink, onUnlink, onPick, review, onMapLabel } = props;
  const label: LabelDef | undefined = schema.labels.find((l) => l.name === a.label);
  const missing = label ? missingRequired(label, a.attributes) : [];
  // Each edit names only its own attribute, so a quick second edit (Tab from one field to the
  // next) cannot undo the first; they still go out in the order they were made.
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const setAttribute = (name: string, value: AttributeValue | undefined) => {
    const done = queue.current.then(() => onChange({ attributes: { [name]: value ?? null } }));
    queue.current = done;
    return done;
  };
  const mine = relations.filter((r) => r.from === a.id || r.to === a.id);
  const textOf = (id: string) => annotations.find((x) => x.id === id);

  return (
    <section className="details-panel" aria-label="Annotation details">
      <header>
        <select
          aria-label="Label"
          key={a.label}
          defaultValue={a.label}
          disabled={!editable}
          onChange={(e) => void onChange({ label: e.target.value })}
          style={{ borderColor: label?.color }}
        >
          {!label && (
            <option value={a.label} disabled>
              {a.label} (unknown label)
            </option>
          )}
          {schema.labels.map((l) => (
            <option key={l.name} value={l.name}>
              {l.name}
            </option>
          ))}
        </select>
        <span className="details-meta">
          by {a.annotator}
          {a.origin === 'suggested' && ' (accepted from Margin\u2019s suggestions)'} · created {when(a.createdAt)}
          {a.updatedAt !== a.createdAt && ` · updated ${when(a.updatedAt)}`}
        </span>
      </header>
      <blockquote className="details-quote">{a.quote.exact}</blockquote>
      {!label && <UnknownLabel name={a.label} schema={schema} onMap={onMapLabel} />}
      {label?.attributes.map((def) => (
        <AttributeField
          key={`${a.id}-${def.name}`}
          def={def}
          value={a.attributes[def.name]}
          missing={missing.includes(def.name)}
          disabled={!editable}
          onCommit={(value) => setAttribute(def.name, value)}
        />
      ))}
      <div className="field">
        <label htmlFor="annotation-note">Note</label>
        <textarea
          id="annotation-note"
          key={`${a.id}-${a.note ?? ''}`}
          defaultValue={a.note ?? ''}
          rows={2}
          disabled={!editable}
          onBlur={(e) => {
            if (e.target.value !== (a.note ?? '')) void onChange({ note: e.target.value });
          }}
        />
      </div>
      {review}
      <div className="details-links">
        <h3>Links</h3>
        {mine.length === 0 && <p className="empty-hint">No links.</p>}
        <ul>
          {mine.map((r) => {
            const other = textOf(r.from === a.id ? r.to : r.from);
            return (
              <li key={r.id}>
                <span className="link-direction">{r.from === a.id ? `${r.type} →` : `← ${r.type}`}</span>
                <button type="button" className="link-target" onClick={() => other && onPick(other.id)}>
                  {other ? `${other.label}: ${other.quote.exact}` : '(missing)'}
                </button>
                {r.annotator === a.annotator && editable && (
                  <button type="button" className="delete-button" aria-label={`Remove link ${r.type}`} onClick={() => onUnlink(r.id)}>
                    ×
                  </button>
                )}
              </li>
            );
          })}
        </ul>
        {canLink && editable && (
          <button type="button" onClick={onStartLink} disabled={linking}>
            {linking ? 'Linking…' : 'Link to source'} <kbd>L</kbd>
          </button>
        )}
      </div>
    </section>
  );
}

/**
 * An annotation whose label the schema does not know (a colleague's, or one removed from the
 * schema): kept, counted and exported as it is, and mapped to a label in one action.
 */
function UnknownLabel({ name, schema, onMap }: { name: string; schema: TagSchema; onMap: (from: string, to: string) => Promise<void> }) {
  const [target, setTarget] = useState(schema.labels[0]?.name ?? '');
  const [busy, setBusy] = useState(false);
  return (
    <div className="unknown-label" role="note">
      <p>
        “{name}” is not a label of this project’s tag schema (a colleague’s label, or one removed from the schema). Its annotations are kept, counted
        and exported as they are.
      </p>
      <div className="unknown-label-map">
        <label>
          Treat “{name}” as{' '}
          <select value={target} onChange={(e) => setTarget(e.target.value)} aria-label={`Label to map ${name} to`}>
            {schema.labels.map((l) => (
              <option key={l.name} value={l.name}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={busy || target === ''}
          onClick={() => {
            setBusy(true);
            void onMap(name, target).finally(() => setBusy(false));
          }}
        >
          Map for everyone
        </button>
      </div>
    </div>
  );
}
