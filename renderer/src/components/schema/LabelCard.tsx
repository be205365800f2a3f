import {
  ATTRIBUTE_TYPES,
  type AttributeRow,
  type AttributeType,
  type LabelRow,
  attributeField,
  hasChoices,
  keyFromInput,
  labelField,
} from './schemaDraft';
import { FieldErrors, errorId, invalidProps } from './FieldErrors';
import { inkOn } from '../../theme/palette';

export interface LabelCardProps {
  label: LabelRow;
  /** Problems by field key (see schemaDraft's labelField / attributeField). */
  problems: Record<string, string[]>;
  /** Annotations using the label in the project, once known (null while counting or unknown). */
  usage: number | null;
  /** The row to focus on mount (a row just added). */
  focusId: string | null;
  canDelete: boolean;
  onChange: (changes: Partial<Pick<LabelRow, 'name' | 'color' | 'key'>>) => void;
  onDelete: () => void;
  onAddAttribute: () => void;
  onChangeAttribute: (attributeId: string, changes: Partial<Pick<AttributeRow, 'name' | 'type' | 'valuesText' | 'required'>>) => void;
  onDeleteAttribute: (attributeId: string) => void;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** One label: name, colour, shortcut key, its attributes. */
export function LabelCard(props: LabelCardProps) {
  const { label, problems, usage } = props;
  const name = label.name.trim();
  const f = (field: 'name' | 'key' | 'color') => labelField(label.id, field);
  const renamed = label.original !== null && name !== label.original;
  return (
    <section role="group" aria-label={`Label ${name}`} className="schema-label" style={{ borderLeftColor: label.color }}>
      <div className="schema-label-row">
        <label className="schema-field schema-field-grow">
          <span className="schema-caption">Name</span>
          <input
            aria-label="Label name"
            value={label.name}
            autoFocus={props.focusId === label.id}
            spellCheck={false}
            onChange={(e) => props.onChange({ name: e.target.value })}
            {...invalidProps(f('name'), problems[f('name')])}
          />
        </label>
        <label className="schema-field">
          <span className="schema-caption">Colour</span>
          <input
            type="color"
            aria-label="Colour"
            value={label.color}
            onChange={(e) => props.onChange({ color: e.target.value })}
            {...invalidProps(f('color'), problems[f('color')])}
          />
        </label>
        <label className="schema-field">
          <span className="schema-caption">Key</span>
          <input
            aria-label="Shortcut key"
            className="schema-key-input"
            value={label.key}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => props.onChange({ key: keyFromInput(e.target.value, label.key) })}
            // Select the key on focus, so typing replaces it.
            onFocus={(e) => e.currentTarget.select()}
            {...invalidProps(f('key'), problems[f('key')])}
          />
        </label>
        <span className="schema-preview" style={{ background: label.color, color: /^#[0-9a-f]{6}$/i.test(label.color) ? inkOn(label.color) : undefined }} aria-hidden>
          {name || 'label'}
        </span>
        <button
          type="button"
          className="schema-delete"
          aria-label="Delete label"
          title={props.canDelete ? `Delete the label “${name}”` : 'A schema needs at least one label'}
          disabled={!props.canDelete}
          onClick={props.onDelete}
        >
          Delete
        </button>
      </div>
      <FieldErrors id={errorId(f('name'))} messages={problems[f('name')]} />
      <FieldErrors id={errorId(f('color'))} messages={problems[f('color')]} />
      <FieldErrors id={errorId(f('key'))} messages={problems[f('key')]} />
      {(usage !== null || renamed) && (
        <p className="schema-note">
          {usage !== null && `${plural(usage, 'annotation')} in the project.`}
          {renamed && ` Renamed from “${label.original}”: ${usage === null ? 'its annotations follow' : usage === 1 ? 'it follows' : 'they follow'} when you save.`}
        </p>
      )}
      <div className="schema-attributes" role="group" aria-label={`Attributes of ${name}`}>
        {label.attributes.length === 0 && <p className="schema-note">No attributes.</p>}
        {label.attributes.map((attr) => (
          <AttributeFields
            key={attr.id}
            labelId={label.id}
            attribute={attr}
            problems={problems}
            autoFocus={props.focusId === attr.id}
            onChange={(changes) => props.onChangeAttribute(attr.id, changes)}
            onDelete={() => props.onDeleteAttribute(attr.id)}
          />
        ))}
        <button type="button" className="schema-add" onClick={props.onAddAttribute}>
          Add attribute
        </button>
      </div>
    </section>
  );
}

interface AttributeFieldsProps {
  labelId: string;
  attribute: AttributeRow;
  problems: Record<string, string[]>;
  autoFocus: boolean;
  onChange: (changes: Partial<Pick<AttributeRow, 'name' | 'type' | 'valuesText' | 'required'>>) => void;
  onDelete: () => void;
}

function AttributeFields({ labelId, attribute, problems, autoFocus, onChange, onDelete }: AttributeFieldsProps) {
  const f = (field: 'name' | 'type' | 'values' | 'required') => attributeField(labelId, attribute.id, field);
  const name = attribute.name.trim();
  return (
    <div role="group" aria-label={`Attribute ${name}`} className="schema-attribute">
      <div className="schema-attribute-row">
        <input
          aria-label="Attribute name"
          placeholder="attribute name"
          value={attribute.name}
          autoFocus={autoFocus}
          spellCheck={false}
          onChange={(e) => onChange({ name: e.target.value })}
          {...invalidProps(f('name'), problems[f('name')])}
        />
        <select
          aria-label="Attribute type"
          value={attribute.type}
          onChange={(e) => onChange({ type: e.target.value as AttributeType })}
          {...invalidProps(f('type'), problems[f('type')])}
        >
          {ATTRIBUTE_TYPES.map((t) => (
            <option key={t.value} value={t.value}>
              {t.title}
            </option>
          ))}
        </select>
        {hasChoices(attribute.type) && (
          <input
            aria-label="Choices"
            className="schema-choices"
            placeholder="choices, comma-separated"
            title="The choices, separated by commas"
            value={attribute.valuesText}
            spellCheck={false}
            onChange={(e) => onChange({ valuesText: e.target.value })}
            {...invalidProps(f('values'), problems[f('values')])}
          />
        )}
        <label className="schema-required">
          <input type="checkbox" checked={attribute.required} onChange={(e) => onChange({ required: e.target.checked })} />
          Required
        </label>
        <button type="button" className="schema-delete" aria-label="Delete attribute" title={`Delete the attribute “${name}”`} onClick={onDelete}>
          ×
        </button>
      </div>
      <FieldErrors id={errorId(f('name'))} messages={problems[f('name')]} />
      <FieldErrors id={errorId(f('type'))} messages={problems[f('type')]} />
      {hasChoices(attribute.type) && <FieldErrors id={errorId(f('values'))} messages={problems[f('values')]} />}
    </div>
  );
}
