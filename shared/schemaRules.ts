import { BRAT_INTERNAL_PREFIX } from './formats/brat';
import type { AttributeDef, AttributeValue, LabelDef, TagSchema } from './model';
import { RESERVED_KEYS } from './shortcuts';

/** WCAG relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  const channel = (c: number) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

/** Contrast of white label text on the colour: at least 3:1 (WCAG for large and bold text). */
export function isReadableColor(hex: string): boolean {
  if (!/^#[0-9a-fA-F]{6}$/.test(hex)) return false;
  return 1.05 / (luminance(hex) + 0.05) >= 3;
}

export interface SchemaProblem {
  /** Where, as a path a form can point at: "labels.1.key", "labels.0.attributes.2.values". */
  path: string;
  message: string;
}

function duplicates(values: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return dup;
}

/** Why `name` cannot be a label's name, or null when it can. */
export function labelNameProblem(name: string): string | null {
  return /^[\p{L}\p{N}][\p{L}\p{N} _-]*$/u.test(name) ? null : 'a label name is letters, digits, spaces, - and _';
}

/** Everything wrong with a schema, beyond its shape: names, keys, colours, choices, relation labels. */
export function schemaProblems(schema: TagSchema): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const names = duplicates(schema.labels.map((l) => l.name.trim().toLowerCase()));
  const keys = duplicates(schema.labels.map((l) => l.key.toLowerCase()).filter(Boolean));
  schema.labels.forEach((label, i) => {
    const at = `labels.${i}`;
    const nameProblem = labelNameProblem(label.name);
    if (nameProblem) problems.push({ path: `${at}.name`, message: nameProblem });
    if (names.has(label.name.trim().toLowerCase())) problems.push({ path: `${at}.name`, message: `"${label.name}" is used by another label` });
    if (label.key.length !== 1 || /\s/.test(label.key)) {
      problems.push({ path: `${at}.key`, message: 'the shortcut is one key' });
    } else if (RESERVED_KEYS.includes(label.key) || RESERVED_KEYS.includes(label.key.toLowerCase())) {
      problems.push({ path: `${at}.key`, message: `"${label.key}" is already a shortcut of its own` });
    } else if (keys.has(label.key.toLowerCase())) {
      problems.push({ path: `${at}.key`, message: `"${label.key}" is the shortcut of another label` });
    }
    if (!isReadableColor(label.color)) {
      problems.push({ path: `${at}.color`, message: `${label.color} is too light: white text on it would be unreadable` });
    }
    const attrNames = duplicates(label.attributes.map((a) => a.name.trim().toLowerCase()));
    label.attributes.forEach((attr, j) => {
      const here = `${at}.attributes.${j}`;
      if (attr.name.trim() === '') problems.push({ path: `${here}.name`, message: 'an attribute needs a name' });
      if (attrNames.has(attr.name.trim().toLowerCase())) problems.push({ path: `${here}.name`, message: `"${attr.name}" is used twice in ${label.name}` });
      if (attr.type === 'choice' || attr.type === 'multi') {
        const values = attr.values ?? [];
        if (values.length === 0) problems.push({ path: `${here}.values`, message: 'a choice needs at least one value' });
        if (duplicates(values).size > 0) problems.push({ path: `${here}.values`, message: 'each value once' });
      }
    });
  });
  const labelNames = new Set(schema.labels.map((l) => l.name));
  const types = duplicates(schema.relations.map((r) => r.type));
  schema.relations.forEach((relation, i) => {
    if (types.has(relation.type)) problems.push({ path: `relations.${i}.type`, message: `"${relation.type}" is defined twice` });
    for (const end of ['from', 'to'] as const) {
      for (const name of relation[end]) {
        if (!labelNames.has(name)) problems.push({ path: `relations.${i}.${end}`, message: `"${name}" is not a label` });
      }
    }
  });
  return problems;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Why `value` does not fit `def`, or null when it does. */
export function attributeProblem(def: AttributeDef, value: AttributeValue): string | null {
  switch (def.type) {
    case 'text':
      return typeof value === 'string' ? null : 'expected text';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'expected yes or no (true/false)';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'expected a number';
    case 'date': {
      if (typeof value !== 'string' || !DATE.test(value)) return 'expected a date as YYYY-MM-DD';
      const date = new Date(`${value}T00:00:00Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) ? null : `${value} is not a real date`;
    }
    case 'choice':
      if (typeof value !== 'string') return 'expected one of the choices';
      return (def.values ?? []).includes(value) ? null : `"${value}" is not one of ${(def.values ?? []).join(', ')}`;
    case 'multi':
      if (!Array.isArray(value)) return 'expected a list of choices';
      for (const v of value) if (!(def.values ?? []).includes(v)) return `"${v}" is not one of ${(def.values ?? []).join(', ')}`;
      return null;
  }
}

/**
 * Bookkeeping a dataset format keeps on an annotation so it can write it back exactly (brat's
 * events and equivalence sets): carried along, never part of the schema, never shown as fields.
 */
export function isFormatAttribute(name: string): boolean {
  return name.startsWith(BRAT_INTERNAL_PREFIX);
}

/** Problems of an annotation's attributes under its label, keyed "attributes.<name>". */
export function attributeProblems(label: LabelDef, attributes: Record<string, AttributeValue>): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const [name, value] of Object.entries(attributes)) {
    if (isFormatAttribute(name)) continue;
    const def = label.attributes.find((a) => a.name === name);
    const problem = def ? attributeProblem(def, value) : `${label.name} has no attribute "${name}"`;
    if (problem) problems.push({ path: `attributes.${name}`, message: problem });
  }
  return problems;
}

/** Required attributes without a value: flagged in the details panel, never blocking a save. */
export function missingRequired(label: LabelDef, attributes: Record<string, AttributeValue>): string[] {
  return label.attributes
    .filter((a) => a.required)
    .filter((a) => {
      const v = attributes[a.name];
      return v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
    })
    .map((a) => a.name);
}
