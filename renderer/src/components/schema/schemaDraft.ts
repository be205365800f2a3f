/**
 * The schema editor's form state, as pure functions (no React, no DOM) so unit tests reach it.
 *
 * Every label and attribute row keeps the name it had when the editor opened (`original`, null
 * for a new row), so the renames the services must apply to the project's annotations are
 * computed once, on save, from the rows: a label renamed twice is one rename from its original
 * name, renamed back is no rename, and a new label is never a rename. Relations point at label
 * rows by id, so they follow a label whatever it is renamed to, and lose it when it is deleted.
 */
import { type AttributeDef, type TagSchema, TagSchema as TagSchemaShape } from '../../../../shared/model';
import { isReadableColor, schemaProblems } from '../../../../shared/schemaRules';
import { TAKEN_KEYS } from '../../../../shared/shortcuts';

export type AttributeType = AttributeDef['type'];

/** The attribute types in the order the type select offers them, with what a person reads. */
export const ATTRIBUTE_TYPES: readonly { value: AttributeType; title: string }[] = [
  { value: 'text', title: 'Text' },
  { value: 'choice', title: 'Single choice' },
  { value: 'multi', title: 'Multiple choice' },
  { value: 'boolean', title: 'Yes/no' },
  { value: 'date', title: 'Date' },
  { value: 'number', title: 'Number' },
];

export const hasChoices = (type: AttributeType): boolean => type === 'choice' || type === 'multi';

export interface AttributeRow {
  id: string;
  /** The attribute's name when the editor opened; null for an attribute added in the editor. */
  original: string | null;
  name: string;
  type: AttributeType;
  /** The choices as typed (comma-separated); kept when the type changes so changing back restores them. */
  valuesText: string;
  required: boolean;
}

export interface LabelRow {
  id: string;
  /** The label's name when the editor opened; null for a label added in the editor. */
  original: string | null;
  name: string;
  color: string;
  key: string;
  attributes: AttributeRow[];
}

export interface RelationRow {
  id: string;
  /** Fixed: relation types are not renamed in the editor. */
  type: string;
  /** Allowed source and target labels, as label row ids, in the order they were added. */
  from: string[];
  to: string[];
}

export interface Draft {
  labels: LabelRow[];
  relations: RelationRow[];
  /** Source of row ids: a draft is a value, so ids are drawn from it rather than from a global. */
  nextId: number;
}

export interface SchemaRenames {
  renameLabels: { from: string; to: string }[];
  /** `label` is the label's name in the schema being saved (after any label rename), as the services expect. */
  renameAttributes: { label: string; from: string; to: string }[];
}

export interface Usage {
  labels: Record<string, number>;
  attributes: Record<string, number>;
}

/** "a, b ,, c" -> ["a", "b", "c"]. */
export function parseValues(text: string): string[] {
  return text
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export function draftFromSchema(schema: TagSchema): Draft {
  let nextId = 1;
  const id = (prefix: string) => `${prefix}${nextId++}`;
  const labels: LabelRow[] = schema.labels.map((label) => ({
    id: id('label-'),
    original: label.name,
    name: label.name,
    color: label.color,
    key: label.key,
    attributes: label.attributes.map((attr) => ({
      id: id('attribute-'),
      original: attr.name,
      name: attr.name,
      type: attr.type,
      valuesText: (attr.values ?? []).join(', '),
      required: attr.required === true,
    })),
  }));
  const byName = new Map(labels.map((l) => [l.name, l.id]));
  // A loaded schema has passed validation, so every relation end names a label.
  const ids = (names: readonly string[]) => names.map((n) => byName.get(n)).filter((x): x is string => x !== undefined);
  const relations: RelationRow[] = schema.relations.map((r) => ({ id: id('relation-'), type: r.type, from: ids(r.from), to: ids(r.to) }));
  return { labels, relations, nextId };
}

function attributeDef(row: AttributeRow): AttributeDef {
  return {
    name: row.name.trim(),
    type: row.type,
    ...(hasChoices(row.type) ? { values: parseValues(row.valuesText) } : {}),
    ...(row.required ? { required: true } : {}),
  };
}

/** The schema the draft describes: what Save sends. Names are trimmed. */
export function schemaFromDraft(draft: Draft): TagSchema {
  const names = new Map(draft.labels.map((l) => [l.id, l.name.trim()]));
  const ends = (ids: readonly string[]) => ids.map((id) => names.get(id)).filter((n): n is string => n !== undefined);
  return {
    labels: draft.labels.map((l) => ({ name: l.name.trim(), color: l.color, key: l.key, attributes: l.attributes.map(attributeDef) })),
    relations: draft.relations.map((r) => ({ type: r.type, from: ends(r.from), to: ends(r.to) })),
  };
}

/** What the services must rename in every annotation of the project, from each row's original name. */
export function renamesOf(draft: Draft): SchemaRenames {
  const renames: SchemaRenames = { renameLabels: [], renameAttributes: [] };
  for (const label of draft.labels) {
    if (label.original === null) continue; // a new label's attributes are all new too
    const name = label.name.trim();
    if (name !== label.original) renames.renameLabels.push({ from: label.original, to: name });
    for (const attr of label.attributes) {
      if (attr.original !== null && attr.name.trim() !== attr.original) {
        renames.renameAttributes.push({ label: name, from: attr.original, to: attr.name.trim() });
      }
    }
  }
  return renames;
}

/** Whether saving would change anything. */
export function isDirty(initial: Draft, draft: Draft): boolean {
  const r = renamesOf(draft);
  return (
    JSON.stringify(schemaFromDraft(initial)) !== JSON.stringify(schemaFromDraft(draft)) ||
    r.renameLabels.length > 0 ||
    r.renameAttributes.length > 0
  );
}

// ---- Editing ---------------------------------------------------------------------------------

/** Readable (white text at 3:1 or better) colours for new labels. */
export const NEW_LABEL_COLOURS = ['#b45309', '#0f766e', '#be185d', '#4d7c0f', '#6d28d9', '#0e7490', '#9f1239', '#475569', '#854d0e', '#1d4ed8'];

function unusedName(draft: Draft, base: string): string {
  const taken = new Set(draft.labels.map((l) => l.name.trim().toLowerCase()));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base} ${n}`)) return `${base} ${n}`;
}

/** The first free single key: digits first, then letters, never one an action owns. */
export function unusedKey(draft: Draft): string {
  const taken = new Set(draft.labels.map((l) => l.key.toLowerCase()));
  const candidates = [...'1234567890abcdefghijklmnopqrstuvwxyz'];
  return candidates.find((k) => !taken.has(k) && !TAKEN_KEYS.includes(k) && !TAKEN_KEYS.includes(k.toUpperCase())) ?? '';
}

function unusedColour(draft: Draft): string {
  const taken = new Set(draft.labels.map((l) => l.color.toLowerCase()));
  return NEW_LABEL_COLOURS.find((c) => !taken.has(c) && isReadableColor(c)) ?? NEW_LABEL_COLOURS[0]!;
}

export function addLabel(draft: Draft): { draft: Draft; id: string } {
  const id = `label-${draft.nextId}`;
  const row: LabelRow = { id, original: null, name: unusedName(draft, 'new label'), color: unusedColour(draft), key: unusedKey(draft), attributes: [] };
  return { draft: { ...draft, labels: [...draft.labels, row], nextId: draft.nextId + 1 }, id };
}

export function updateLabel(draft: Draft, labelId: string, changes: Partial<Pick<LabelRow, 'name' | 'color' | 'key'>>): Draft {
  return { ...draft, labels: draft.labels.map((l) => (l.id === labelId ? { ...l, ...changes } : l)) };
}

/** Removes the label, and it from every relation's source and target lists. */
export function removeLabel(draft: Draft, labelId: string): Draft {
  return {
    ...draft,
    labels: draft.labels.filter((l) => l.id !== labelId),
    relations: draft.relations.map((r) => ({ ...r, from: r.from.filter((id) => id !== labelId), to: r.to.filter((id) => id !== labelId) })),
  };
}

export function addAttribute(draft: Draft, labelId: string): { draft: Draft; id: string } {
  const id = `attribute-${draft.nextId}`;
  const row: AttributeRow = { id, original: null, name: '', type: 'text', valuesText: '', required: false };
  return {
    draft: {
      ...draft,
      labels: draft.labels.map((l) => (l.id === labelId ? { ...l, attributes: [...l.attributes, row] } : l)),
      nextId: draft.nextId + 1,
    },
    id,
  };
}

export function updateAttribute(
  draft: Draft,
  labelId: string,
  attributeId: string,
  changes: Partial<Pick<AttributeRow, 'name' | 'type' | 'valuesText' | 'required'>>,
): Draft {
  return {
    ...draft,
    labels: draft.labels.map((l) =>
      l.id === labelId ? { ...l, attributes: l.attributes.map((a) => (a.id === attributeId ? { ...a, ...changes } : a)) } : l,
    ),
  };
}

export function removeAttribute(draft: Draft, labelId: string, attributeId: string): Draft {
  return {
    ...draft,
    labels: draft.labels.map((l) => (l.id === labelId ? { ...l, attributes: l.attributes.filter((a) => a.id !== attributeId) } : l)),
  };
}

/** Allows (or no longer allows) a label as a relation's source (`from`) or target (`to`). */
export function setRelationLabel(draft: Draft, relationId: string, end: 'from' | 'to', labelId: string, allowed: boolean): Draft {
  return {
    ...draft,
    relations: draft.relations.map((r) => {
      if (r.id !== relationId) return r;
      const without = r[end].filter((id) => id !== labelId);
      return { ...r, [end]: allowed ? [...without, labelId] : without };
    }),
  };
}

/**
 * What a shortcut-key field's new value means: the last character typed (so typing over a key
 * replaces it), or nothing when the field was cleared.
 */
export function keyFromInput(value: string, previous: string): string {
  const chars = [...value];
  if (chars.length <= 1) return value;
  // Typing into a filled field gives the old key plus the new one, in either order.
  const added = chars.filter((c) => c !== previous);
  return added[added.length - 1] ?? chars[chars.length - 1]!;
}

// ---- Problems --------------------------------------------------------------------------------

/** Keys of the form's fields, so a problem can be shown next to the one it is about. */
export const labelField = (labelId: string, field: 'name' | 'key' | 'color') => `${labelId}.${field}`;
export const attributeField = (labelId: string, attributeId: string, field: 'name' | 'type' | 'values' | 'required') =>
  `${labelId}.${attributeId}.${field}`;
export const relationField = (relationId: string, field: 'type' | 'from' | 'to') => `${relationId}.${field}`;

export interface DraftProblems {
  /** Messages by field key (labelField, attributeField, relationField). */
  fields: Record<string, string[]>;
  /** Problems that belong to no single field. */
  general: string[];
  count: number;
}

/** Maps a schema path ("labels.1.key", "labels.0.attributes.2.values", "relations.0.from") to a field key. */
export function fieldOfPath(draft: Draft, path: string): string | null {
  const parts = path.split('.');
  if (parts[0] === 'labels' && parts.length >= 3) {
    const label = draft.labels[Number(parts[1])];
    if (!label) return null;
    if (parts[2] === 'attributes' && parts.length >= 5) {
      const attr = label.attributes[Number(parts[3])];
      const field = parts[4];
      if (!attr || (field !== 'name' && field !== 'type' && field !== 'values' && field !== 'required')) return null;
      return attributeField(label.id, attr.id, field);
    }
    const field = parts[2];
    return field === 'name' || field === 'key' || field === 'color' ? labelField(label.id, field) : null;
  }
  if (parts[0] === 'relations' && parts.length >= 3) {
    const relation = draft.relations[Number(parts[1])];
    const field = parts[2];
    if (!relation || (field !== 'type' && field !== 'from' && field !== 'to')) return null;
    return relationField(relation.id, field);
  }
  return null;
}

/** Everything wrong with the draft, each problem attached to its field. */
export function draftProblems(draft: Draft): DraftProblems {
  const schema = schemaFromDraft(draft);
  const found: { path: string; message: string }[] = [...schemaProblems(schema)];
  // The shape (zod) catches what the rules do not; where the rules already speak, they say it better.
  const covered = new Set(found.map((p) => p.path));
  const shape = TagSchemaShape.safeParse(schema);
  if (!shape.success) {
    for (const issue of shape.error.issues) {
      const path = issue.path.join('.');
      if (path === 'labels' && draft.labels.length === 0) continue;
      if (!covered.has(path)) found.push({ path, message: issue.message });
    }
  }
  const result: DraftProblems = { fields: {}, general: [], count: 0 };
  if (draft.labels.length === 0) result.general.push('the schema needs at least one label');
  for (const { path, message } of found) {
    const field = fieldOfPath(draft, path);
    if (field === null) {
      if (!result.general.includes(message)) result.general.push(message);
      continue;
    }
    const list = (result.fields[field] ??= []);
    if (!list.includes(message)) list.push(message);
  }
  result.count = result.general.length + Object.values(result.fields).reduce((n, list) => n + list.length, 0);
  return result;
}

// ---- Usage and confirmations -----------------------------------------------------------------

/** Annotations in the project that use the label (0 for a label added in the editor). */
export function labelUsage(usage: Usage, label: LabelRow): number {
  return label.original === null ? 0 : (usage.labels[label.original] ?? 0);
}

/** Annotations in the project with a value for the attribute (0 for anything added in the editor). */
export function attributeUsage(usage: Usage, label: LabelRow, attribute: AttributeRow): number {
  if (label.original === null || attribute.original === null) return 0;
  return usage.attributes[`${label.original}/${attribute.original}`] ?? 0;
}

const annotations = (n: number) => (n === 1 ? '1 annotation uses' : `${n} annotations use`);

export function deleteLabelQuestion(name: string, count: number): string {
  return `${annotations(count)} “${name}”. Deleting the label deletes ${count === 1 ? 'it' : 'them'} too.`;
}

export function deleteAttributeQuestion(label: string, attribute: string, count: number): string {
  const have = count === 1 ? '1 annotation has' : `${count} annotations have`;
  return `${have} a value for “${attribute}” of “${label}”. Deleting the attribute hides ${count === 1 ? 'that value' : 'those values'}; ${count === 1 ? 'it stays' : 'they stay'} stored with the annotations, so nothing a colleague typed is lost.`;
}
