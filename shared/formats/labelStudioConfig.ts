import type { AttributeDef, AttributeValue, TagSchema } from '../model';

/**
 * The Label Studio labeling config (`<View>…</View>`) for a Margin export, so the tasks import into
 * a Label Studio project as they are: a `Text` tag for `data.text`, a `Labels` tag with the
 * schema's labels (and colours), `Relations` with its relation types, one per-region control per
 * attribute (TextArea, Choices, Number or DateTime, shown when a span of its label is selected),
 * and a per-region TextArea for the note. The result writer (labelStudio.ts) names its results
 * through `ControlNames`, and every result it writes is recorded (`noteResult`), so the config has
 * a control of the right kind, with the right choices, for each one — attributes the schema
 * lacks included.
 */

export const LS_FROM_LABEL = 'label';
export const LS_FROM_NOTE = 'note';
export const LS_TO_NAME = 'text';

type Tag = 'TextArea' | 'Choices' | 'Number' | 'DateTime';

/** The tag of each Label Studio result type Margin writes for an attribute. */
export const TAG_OF_RESULT: Record<string, Tag> = { textarea: 'TextArea', choices: 'Choices', number: 'Number', datetime: 'DateTime' };

interface Control {
  tag: Tag;
  choices: string[];
  multiple: boolean;
  /** The labels whose spans it is for (several: shown for any selected span). */
  labels: string[];
}

/** An attribute's control name when nothing clashes: its own name, or "attribute:NAME" when that is one of the config's own names. */
export function attributeFromName(name: string): string {
  return name === LS_FROM_LABEL || name === LS_FROM_NOTE || name === LS_TO_NAME || name.startsWith('attribute:') ? `attribute:${name}` : name;
}

/** The attribute a result's from_name stands for, on a span of `label`. */
export function attributeNameOf(fromName: string, label: string): string {
  const own = fromName.endsWith(` (${label})`) ? fromName.slice(0, -` (${label})`.length) : fromName;
  return own.startsWith('attribute:') ? own.slice('attribute:'.length) : own;
}

function controlOf(def: AttributeDef): Omit<Control, 'labels'> {
  switch (def.type) {
    case 'choice':
      return { tag: 'Choices', choices: [...(def.values ?? [])], multiple: false };
    case 'multi':
      return { tag: 'Choices', choices: [...(def.values ?? [])], multiple: true };
    case 'boolean':
      return { tag: 'Choices', choices: ['true', 'false'], multiple: false };
    case 'number':
      return { tag: 'Number', choices: [], multiple: false };
    case 'date':
      return { tag: 'DateTime', choices: [], multiple: false };
    case 'text':
      return { tag: 'TextArea', choices: [], multiple: false };
  }
}

/**
 * The control of every attribute of an export: one per attribute name shared by labels of one
 * kind; when labels give one name different kinds, one per label, named "NAME (label)".
 */
export class ControlNames {
  private readonly controls = new Map<string, Control>();
  private readonly byLabel = new Map<string, string>();

  constructor(private readonly schema: TagSchema) {
    const byName = new Map<string, { label: string; control: Omit<Control, 'labels'> }[]>();
    for (const label of schema.labels) {
      for (const def of label.attributes) {
        const list = byName.get(def.name) ?? [];
        byName.set(def.name, list);
        list.push({ label: label.name, control: controlOf(def) });
      }
    }
    for (const [name, uses] of byName) {
      const oneKind = uses.every((u) => u.control.tag === uses[0]!.control.tag);
      for (const { label, control } of uses) {
        const fromName = oneKind ? attributeFromName(name) : `${attributeFromName(name)} (${label})`;
        this.byLabel.set(`${label}\u0000${name}`, fromName);
        const existing = this.controls.get(fromName);
        if (!existing) this.controls.set(fromName, { ...control, choices: [...control.choices], labels: [label] });
        else {
          existing.labels.push(label);
          existing.multiple ||= control.multiple;
          for (const c of control.choices) if (!existing.choices.includes(c)) existing.choices.push(c);
        }
      }
    }
  }

  /** The from_name of attribute `name` on a span of `label`. */
  fromName(label: string, name: string): string {
    return this.byLabel.get(`${label}\u0000${name}`) ?? attributeFromName(name);
  }

  /** The tag the config has (or will have) for `fromName`, if it is one of the schema's. */
  tagOf(fromName: string): Tag | undefined {
    return this.controls.get(fromName)?.tag;
  }

  /** Records a result written, so the config has a control for it (an attribute the schema lacks) and its choices. */
  noteResult(label: string, fromName: string, type: string, value: AttributeValue): void {
    const tag = TAG_OF_RESULT[type];
    if (!tag) return;
    let control = this.controls.get(fromName);
    if (!control) this.controls.set(fromName, (control = { tag, choices: [], multiple: false, labels: [label] }));
    if (!control.labels.includes(label)) control.labels.push(label);
    if (tag !== 'Choices' || control.tag !== 'Choices') return;
    const values = Array.isArray(value) ? value : [String(value)];
    if (values.length > 1) control.multiple = true;
    for (const v of values) if (!control.choices.includes(v)) control.choices.push(v);
  }

  /** The labeling config, with a control for every attribute of the schema and every result noted. */
  config(): string {
    const out: string[] = ['<View>', '  <Style>.htx-text { white-space: pre-wrap; }</Style>'];
    if (this.schema.relations.length > 0) {
      out.push('  <Relations>');
      for (const r of this.schema.relations) out.push(`    <Relation value="${xml(r.type)}"/>`);
      out.push('  </Relations>');
    }
    out.push(`  <Labels name="${LS_FROM_LABEL}" toName="${LS_TO_NAME}">`);
    for (const l of this.schema.labels) out.push(`    <Label value="${xml(l.name)}" background="${xml(l.color)}"/>`);
    out.push('  </Labels>', `  <Text name="${LS_TO_NAME}" value="$${LS_TO_NAME}"/>`);
    // A label's own controls show when one of its spans is selected; shared ones (and the note) for any span.
    const labels = [...new Set([...this.schema.labels.map((l) => l.name), ...[...this.controls.values()].flatMap((c) => c.labels)])];
    for (const label of labels) {
      const own = [...this.controls].filter(([, c]) => c.labels.length === 1 && c.labels[0] === label);
      if (own.length === 0) continue;
      out.push(`  <View visibleWhen="region-selected" whenLabelValue="${xml(label)}">`, `    <Header value="${xml(label)}" size="5"/>`);
      for (const [name, c] of own) out.push(...controlXml(name, c, '    '));
      out.push('  </View>');
    }
    out.push('  <View visibleWhen="region-selected">');
    for (const [name, c] of this.controls) if (c.labels.length !== 1) out.push(...controlXml(name, c, '    '));
    out.push(`    <TextArea name="${LS_FROM_NOTE}" toName="${LS_TO_NAME}" perRegion="true" editable="true" maxSubmissions="1" rows="2" placeholder="Note"/>`);
    out.push('  </View>', '</View>');
    return `${out.join('\n')}\n`;
  }
}

function controlXml(name: string, c: Control, indent: string): string[] {
  const common = `name="${xml(name)}" toName="${LS_TO_NAME}" perRegion="true"`;
  switch (c.tag) {
    case 'TextArea':
      return [`${indent}<TextArea ${common} editable="true" maxSubmissions="1" rows="1" placeholder="${xml(name)}"/>`];
    case 'Number':
      return [`${indent}<Number ${common}/>`];
    case 'DateTime':
      return [`${indent}<DateTime ${common} only="date"/>`];
    case 'Choices':
      return [
        `${indent}<Choices ${common} choice="${c.multiple ? 'multiple' : 'single'}" showInline="true">`,
        ...c.choices.map((v) => `${indent}  <Choice value="${xml(v)}"/>`),
        `${indent}</Choices>`,
      ];
  }
}

/** Text for an XML attribute value. */
function xml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
