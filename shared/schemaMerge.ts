import type { AttributeDef, LabelDef, TagSchema } from './model';
import { schemaProblems, type SchemaProblem } from './schemaRules';
import { TAKEN_KEYS } from './shortcuts';

/**
 * Three-way merge of margin.json, the one file every annotator may change. `base` is the common
 * ancestor (null when both sides created the file), `ours` the local version, `theirs` the one
 * pulled from the team. Labels are matched by their stable id (by name when a side has no ids),
 * then merged field by field: a change made on one side wins; when both sides changed the same
 * field differently, the team's version (theirs, already shared) is kept and a note says so. Two
 * labels left with one name or one shortcut key are told apart (ours is renamed or given a free
 * key), relation types follow renamed labels, and the revision becomes max(ours, theirs) + 1.
 * Pure: the caller reads the three versions and writes the result.
 */

type Label = LabelDef & { id?: string };
type Relation = TagSchema['relations'][number];
type Side = 'ours' | 'theirs';

export interface MergeableProject {
  schema: { labels: Label[]; relations: Relation[] };
  revision?: number;
  [field: string]: unknown;
}

export interface SchemaMergeResult<P extends MergeableProject> {
  merged: P;
  /** What the merge decided that someone should know, in plain words (empty when nothing needed deciding). */
  notes: string[];
  /** Rules the merged schema still breaks (schemaRules): when not empty, the result must not be written. */
  problems: SchemaProblem[];
}

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);
const nameKey = (name: string) => name.trim().toLowerCase();

/** How one value came out of a three-way merge, and from which side. */
interface Merged<T> {
  value: T;
  from: Side;
  /** Both sides changed it, differently: theirs was kept over ours. */
  conflict?: { ours: T; theirs: T };
}

function mergeValue<T>(base: T | undefined, ours: T, theirs: T, hasBase: boolean): Merged<T> {
  if (same(ours, theirs)) return { value: theirs, from: 'theirs' };
  if (hasBase && same(base, theirs)) return { value: ours, from: 'ours' };
  if (hasBase && same(base, ours)) return { value: theirs, from: 'theirs' };
  return { value: theirs, from: 'theirs', conflict: { ours, theirs } };
}

/** One thing (label, attribute, relation type) as each side has it. */
interface Trio<T> {
  base?: T;
  ours?: T;
  theirs?: T;
}

/**
 * Pairs the items of three lists: `sameItem` says whether two items are one. Theirs come first
 * (their order is kept), then ours not matched, in their order; base items match either side.
 */
function pair<T>(base: readonly T[], ours: readonly T[], theirs: readonly T[], sameItem: (a: T, b: T) => boolean): Trio<T>[] {
  const trios: Trio<T>[] = theirs.map((t) => ({ theirs: t }));
  for (const o of ours) {
    const match = trios.find((t) => t.ours === undefined && t.theirs !== undefined && sameItem(o, t.theirs));
    if (match) match.ours = o;
    else trios.push({ ours: o });
  }
  for (const b of base) {
    const match = trios.find((t) => t.base === undefined && ((t.theirs !== undefined && sameItem(b, t.theirs)) || (t.ours !== undefined && sameItem(b, t.ours))));
    if (match) match.base = b;
  }
  return trios;
}

/** Labels (and attributes) are one when their ids match; when either has no id, when their names match. */
function sameItem(a: { id?: string; name: string }, b: { id?: string; name: string }): boolean {
  if (a.id !== undefined && b.id !== undefined) return a.id === b.id;
  return nameKey(a.name) === nameKey(b.name);
}

/** What happens to an item one side removed: removed, unless the other side changed it (then kept, with a note). */
function survivesRemoval<T>(trio: Trio<T>): { keep: T | null; removedBy?: Side } {
  const { base, ours, theirs } = trio;
  if (ours !== undefined && theirs !== undefined) return { keep: null };
  const kept = ours ?? theirs;
  if (kept === undefined) return { keep: null };
  if (base === undefined) return { keep: kept }; // added on one side
  if (same(base, kept)) return { keep: null }; // removed on the other side, untouched here
  return { keep: kept, removedBy: ours === undefined ? 'ours' : 'theirs' };
}

const show = (value: unknown) => (value === undefined || value === '' ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value));

const FIELD_WORDS: Record<string, string> = { name: 'name', color: 'colour', key: 'shortcut key', type: 'type', values: 'choices', required: '"required"' };

interface FieldConflict {
  field: string;
  ours: unknown;
  theirs: unknown;
}

/** One record (a label, an attribute) present on both sides, merged field by field; `skip` fields are the caller's. */
function mergeRecord<T extends object>(trio: Trio<T>, skip: readonly string[]): { value: Record<string, unknown>; from: Record<string, Side>; conflicts: FieldConflict[] } {
  const read = (item: T | undefined, field: string) => (item as Record<string, unknown> | undefined)?.[field];
  const fields = new Set([...Object.keys(trio.theirs!), ...Object.keys(trio.ours!)].filter((f) => !skip.includes(f)));
  const value: Record<string, unknown> = {};
  const from: Record<string, Side> = {};
  const conflicts: FieldConflict[] = [];
  for (const field of fields) {
    const merged = mergeValue(read(trio.base, field), read(trio.ours, field), read(trio.theirs, field), trio.base !== undefined);
    if (merged.value !== undefined) value[field] = merged.value;
    from[field] = merged.from;
    if (merged.conflict) conflicts.push({ field, ...merged.conflict });
  }
  return { value, from, conflicts };
}

function conflictNote(what: string, c: FieldConflict): string {
  const field = FIELD_WORDS[c.field] ?? `"${c.field}"`;
  return (
    `${what}: you changed its ${field} to ${show(c.ours)} and a colleague changed it to ${show(c.theirs)}. ` +
    `The colleague's ${show(c.theirs)} was kept (it is already shared with the team); if yours should stand, set it again in Tags… and Sync.`
  );
}

function mergeAttributes(labelName: string, trio: Trio<AttributeDef[]>, notes: string[]): AttributeDef[] {
  const trios = pair(trio.base ?? [], trio.ours ?? [], trio.theirs ?? [], sameItem);
  const result: AttributeDef[] = [];
  for (const t of trios) {
    if (t.ours !== undefined && t.theirs !== undefined) {
      const merged = mergeRecord(t, []);
      const attribute = merged.value as AttributeDef;
      for (const c of merged.conflicts) notes.push(conflictNote(`Label "${labelName}", attribute "${attribute.name}"`, c));
      result.push(attribute);
      continue;
    }
    const { keep, removedBy } = survivesRemoval(t);
    if (!keep) continue;
    if (removedBy) {
      notes.push(
        removedBy === 'theirs'
          ? `Label "${labelName}": a colleague removed the attribute "${keep.name}" while you changed it, so it was kept. Remove it in Tags… if it should go.`
          : `Label "${labelName}": you removed the attribute "${keep.name}" while a colleague changed it, so it was kept. Remove it again in Tags… if it should go.`,
      );
    }
    result.push(keep);
  }
  return result;
}

interface MergedLabel {
  label: Label;
  /** Which side the name and the key came from: the team's (theirs) stand, ours give way on a collision. */
  nameFrom: Side;
  keyFrom: Side;
  /** Every name this label had on any side, so relation types can follow a rename. */
  formerNames: string[];
}

function mergeLabel(trio: Trio<Label>, notes: string[]): MergedLabel {
  const ours = trio.ours!;
  const theirs = trio.theirs!;
  const { value: label, from, conflicts } = mergeRecord(trio, ['attributes', 'aliases']);
  const name = label.name as string;
  for (const c of conflicts) notes.push(conflictNote(`Label "${name}"`, c));
  // Aliases (ids of unknown labels mapped to this one) only ever grow: both sides' are kept.
  const aliases = [...new Set([...(theirs.aliases ?? []), ...(ours.aliases ?? [])])];
  if (aliases.length > 0) label.aliases = aliases;
  label.attributes = mergeAttributes(name, { base: trio.base?.attributes, ours: ours.attributes, theirs: theirs.attributes }, notes);
  return {
    label: label as Label,
    nameFrom: from.name ?? 'theirs',
    keyFrom: from.key ?? 'theirs',
    formerNames: [trio.base?.name, ours.name, theirs.name].filter((n): n is string => n !== undefined),
  };
}

function mergeLabels(base: readonly Label[], ours: readonly Label[], theirs: readonly Label[], notes: string[]): MergedLabel[] {
  const result: MergedLabel[] = [];
  for (const trio of pair(base, ours, theirs, sameItem)) {
    if (trio.ours !== undefined && trio.theirs !== undefined) {
      result.push(mergeLabel(trio, notes));
      continue;
    }
    const { keep, removedBy } = survivesRemoval(trio);
    if (!keep) continue;
    if (removedBy === 'theirs') {
      notes.push(`A colleague removed the label "${keep.name}" while you changed it, so it was kept. Remove it in Tags… if it should go.`);
    } else if (removedBy === 'ours') {
      notes.push(`You removed the label "${keep.name}" while a colleague changed it, so it was kept. Remove it again in Tags… if it should go.`);
    }
    const side: Side = trio.theirs !== undefined ? 'theirs' : 'ours';
    result.push({ label: keep, nameFrom: side, keyFrom: side, formerNames: [trio.base?.name, keep.name].filter((n): n is string => n !== undefined) });
  }
  return result;
}

/** The team's (theirs) claim comes first, so on a collision it is always ours that gives way. */
const theirsFirst = <T extends { from: Side }>(items: T[]) => [...items.filter((i) => i.from === 'theirs'), ...items.filter((i) => i.from === 'ours')];

function separateNames(labels: MergedLabel[], notes: string[]): void {
  const taken = new Set<string>();
  for (const { item } of theirsFirst(labels.map((item) => ({ item, from: item.nameFrom })))) {
    const name = item.label.name;
    if (!taken.has(nameKey(name))) {
      taken.add(nameKey(name));
      continue;
    }
    let n = 2;
    while (taken.has(nameKey(`${name} ${n}`))) n++;
    const renamed = `${name} ${n}`;
    taken.add(nameKey(renamed));
    item.label = { ...item.label, name: renamed };
    notes.push(
      `Two labels were called "${name}": a colleague's and one you made. Yours is now called "${renamed}" (its annotations keep it). ` +
        `Rename it in Tags…, or move its annotations to "${name}" and remove it.`,
    );
  }
}

const FREE_KEYS = [...'1234567890abcdefghijklmnopqrstuvwxyz'];

function separateKeys(labels: MergedLabel[], notes: string[]): void {
  const taken = new Set<string>();
  for (const { item } of theirsFirst(labels.map((item) => ({ item, from: item.keyFrom })))) {
    const key = item.label.key.toLowerCase();
    if (key === '' || !taken.has(key)) {
      if (key !== '') taken.add(key);
      continue;
    }
    const other = labels.find((l) => l !== item && l.label.key.toLowerCase() === key)!;
    const free = FREE_KEYS.find((k) => !taken.has(k) && !labels.some((l) => l.label.key.toLowerCase() === k) && !TAKEN_KEYS.includes(k)) ?? '';
    if (free) taken.add(free);
    item.label = { ...item.label, key: free };
    notes.push(
      free
        ? `"${other.label.name}" and "${item.label.name}" both had the shortcut key ${key}: "${other.label.name}" keeps it and "${item.label.name}" now has ${free}. Change it in Tags… if you prefer another.`
        : `"${other.label.name}" and "${item.label.name}" both had the shortcut key ${key}: "${other.label.name}" keeps it and "${item.label.name}" has none now (every key is taken). Free one in Tags….`,
    );
  }
}

function mergeRelations(base: readonly Relation[], ours: readonly Relation[], theirs: readonly Relation[], notes: string[]): Relation[] {
  const result: Relation[] = [];
  for (const trio of pair(base, ours, theirs, (a, b) => a.type === b.type)) {
    if (trio.ours !== undefined && trio.theirs !== undefined) {
      const merged = mergeValue(trio.base, trio.ours, trio.theirs, trio.base !== undefined);
      if (merged.conflict) {
        notes.push(
          `Relation "${trio.theirs.type}": you set it to link ${trio.ours.from.join(', ')} to ${trio.ours.to.join(', ')}; a colleague, ${trio.theirs.from.join(', ')} to ${trio.theirs.to.join(', ')}. ` +
            `The colleague's was kept (it is already shared); change it in Tags… if yours should stand.`,
        );
      }
      result.push(merged.value);
      continue;
    }
    const { keep, removedBy } = survivesRemoval(trio);
    if (!keep) continue;
    if (removedBy) notes.push(`The relation "${keep.type}" was removed on one side and changed on the other, so it was kept. Remove it in Tags… if it should go.`);
    result.push(keep);
  }
  return result;
}

/** Relation types name labels: each name follows its label's rename; names of labels gone are dropped, with a note. */
function followLabels(relations: Relation[], labels: readonly MergedLabel[], notes: string[]): Relation[] {
  const current = new Map<string, string>();
  for (const l of labels) for (const name of l.formerNames) current.set(name, l.label.name);
  // A label's present name wins over an old name another label once had.
  for (const l of labels) current.set(l.label.name, l.label.name);
  return relations.map((relation) => {
    const follow = (names: readonly string[]) => {
      const kept: string[] = [];
      for (const name of names) {
        const now = current.get(name);
        if (now === undefined) notes.push(`The relation "${relation.type}" named the label "${name}", which no longer exists; it was taken out of that relation.`);
        else if (!kept.includes(now)) kept.push(now);
      }
      return kept;
    };
    return { ...relation, from: follow(relation.from), to: follow(relation.to) };
  });
}

/** Top-level fields besides the schema and the revision (name, createdAt, …): one side's change wins, else theirs. */
function mergeFields(base: MergeableProject | null, ours: MergeableProject, theirs: MergeableProject, notes: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const fields = new Set([...Object.keys(theirs), ...Object.keys(ours)].filter((f) => f !== 'schema' && f !== 'revision'));
  for (const field of fields) {
    const merged = mergeValue(base?.[field], ours[field], theirs[field], base !== null);
    if (merged.value !== undefined) out[field] = merged.value;
    if (merged.conflict && field === 'name') {
      notes.push(`The project was renamed to "${show(merged.conflict.ours)}" here and to "${show(merged.conflict.theirs)}" by a colleague; "${show(merged.conflict.theirs)}" was kept.`);
    }
  }
  return out;
}

export function mergeProjectFile<P extends MergeableProject>(base: P | null, ours: P, theirs: P): SchemaMergeResult<P> {
  const notes: string[] = [];
  const fields = mergeFields(base, ours, theirs, notes);
  const labels = mergeLabels(base?.schema.labels ?? [], ours.schema.labels, theirs.schema.labels, notes);
  separateNames(labels, notes);
  separateKeys(labels, notes);
  const relations = followLabels(mergeRelations(base?.schema.relations ?? [], ours.schema.relations, theirs.schema.relations, notes), labels, notes);
  const schema = { ...theirs.schema, labels: labels.map((l) => l.label), relations };
  const revision = Math.max(ours.revision ?? 0, theirs.revision ?? 0) + 1;
  const merged = { ...fields, schema, revision } as unknown as P;
  const problems = schema.labels.length === 0 ? [{ path: 'labels', message: 'the merged schema has no labels left' }] : schemaProblems(schema as TagSchema);
  return { merged, notes, problems };
}
