import type { AttributeDef, AttributeValue, LabelDef, LayerFile, TagSchema } from './model';

/**
 * Layer files name labels and attributes by stable id; everything above the store (the API, the
 * window, the formats) speaks names. This module is the one translation between the two, so a
 * rename is a change of margin.json alone and never rewrites a colleague's layer.
 *
 * A value on disk that is no id (nor alias) the schema knows is an unknown label: it is kept as
 * it is in both directions, shown with an "unknown label" marker, and never dropped.
 */

export const labelId = (label: LabelDef): string => label.id ?? label.name;
export const attributeId = (attribute: AttributeDef): string => attribute.id ?? attribute.name;

export interface LabelCodec {
  /** Disk to memory: ids to names. */
  decode(layer: LayerFile): LayerFile;
  /** Memory to disk: names to ids. */
  encode(layer: LayerFile): LayerFile;
  /** The label a stored id (or alias) means, if the schema knows it. */
  labelOfId(id: string): LabelDef | undefined;
}

function renameKeys(
  attributes: Record<string, AttributeValue>,
  rename: (key: string) => string,
): Record<string, AttributeValue> {
  let changed = false;
  const out: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(attributes)) {
    const next = rename(key);
    if (next !== key) changed = true;
    out[next] = value;
  }
  return changed ? out : attributes;
}

export function labelCodec(schema: TagSchema): LabelCodec {
  const byId = new Map<string, LabelDef>();
  for (const label of schema.labels) for (const alias of label.aliases ?? []) byId.set(alias, label);
  for (const label of schema.labels) byId.set(labelId(label), label);
  const byName = new Map(schema.labels.map((l) => [l.name, l]));
  const attributeById = (label: LabelDef, key: string) => label.attributes.find((a) => attributeId(a) === key);
  const attributeByName = (label: LabelDef, key: string) => label.attributes.find((a) => a.name === key);

  // Identity when ids equal names (every project before a rename): no copy, no cost.
  const identity = schema.labels.every(
    (l) => labelId(l) === l.name && (l.aliases ?? []).length === 0 && l.attributes.every((a) => attributeId(a) === a.name),
  );

  const translate = (layer: LayerFile, labelOf: (value: string) => LabelDef | undefined, toDisk: boolean): LayerFile => {
    if (identity) return layer;
    return {
      ...layer,
      annotations: layer.annotations.map((a) => {
        const def = labelOf(a.label);
        if (!def) return a;
        const label = toDisk ? labelId(def) : def.name;
        const attributes = renameKeys(a.attributes, (key) => {
          const attr = toDisk ? attributeByName(def, key) : attributeById(def, key);
          return attr ? (toDisk ? attributeId(attr) : attr.name) : key;
        });
        return label === a.label && attributes === a.attributes ? a : { ...a, label, attributes };
      }),
    };
  };

  return {
    decode: (layer) => translate(layer, (value) => byId.get(value), false),
    encode: (layer) => translate(layer, (value) => byName.get(value), true),
    labelOfId: (id) => byId.get(id),
  };
}

function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return s || 'label';
}

/** A fresh id for a new name: the name's slug when free (readable in diffs), else with a random suffix. */
function freshId(name: string, taken: Set<string>, random: () => string): string {
  const base = slug(name);
  let id = base;
  while (taken.has(id)) id = `${base}-${random()}`;
  taken.add(id);
  return id;
}

export interface Renames {
  renameLabels: readonly { from: string; to: string }[];
  /** `label` names the label as the new schema calls it. */
  renameAttributes: readonly { label: string; from: string; to: string }[];
}

const defaultRandom = () => Math.random().toString(36).slice(2, 7);

/**
 * Gives every label and attribute of `next` its id: the one it had in `previous` (followed through
 * renames, else by name), an id it already carries, or a fresh one that no label has used. Aliases
 * of a kept label stay with it.
 */
export function withIds(next: TagSchema, previous: TagSchema, renames: Renames, random = defaultRandom): TagSchema {
  const previousByName = new Map(previous.labels.map((l) => [l.name, l]));
  const previousById = new Map(previous.labels.map((l) => [labelId(l), l]));
  const renamedFrom = new Map(renames.renameLabels.map((r) => [r.to, r.from]));
  // Ids stay unique over time: a deleted label's id is not given to a new label (its annotations may still exist).
  const taken = new Set<string>(previous.labels.flatMap((l) => [labelId(l), ...(l.aliases ?? [])]));
  for (const label of next.labels) if (label.id) taken.add(label.id);

  const labels = next.labels.map((label) => {
    const before =
      (label.id ? previousById.get(label.id) : undefined) ??
      previousByName.get(renamedFrom.get(label.name) ?? label.name);
    const id = label.id ?? (before ? labelId(before) : freshId(label.name, taken, random));
    const attrRenamed = new Map(renames.renameAttributes.filter((r) => r.label === label.name).map((r) => [r.to, r.from]));
    const attrTaken = new Set<string>((before?.attributes ?? []).map(attributeId));
    for (const a of label.attributes) if (a.id) attrTaken.add(a.id);
    const attributes = label.attributes.map((attr) => {
      if (attr.id) return attr;
      const old = before?.attributes.find((a) => a.name === (attrRenamed.get(attr.name) ?? attr.name));
      return { ...attr, id: old ? attributeId(old) : freshId(attr.name, attrTaken, random) };
    });
    const aliases = label.aliases ?? before?.aliases;
    return { ...label, id, attributes, ...(aliases && aliases.length > 0 ? { aliases } : {}) };
  });
  return { ...next, labels };
}
