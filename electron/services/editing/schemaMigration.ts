import { labelCodec, withIds } from '../../../shared/labelIds';
import type { Annotation, Relation, TagSchema } from '../../../shared/model';
import { schemaProblems } from '../../../shared/schemaRules';
import { MarginError } from '../errors';
import { LayerSet, restoreInto, type RestoreItems } from '../store/layerSet';
import type { ProjectStore } from '../store/projectStore';
import type { LayerOps } from '../store/schemaJournal';

/**
 * A schema edit: the new schema, what was renamed, the revision it was made from, which removed
 * labels take their annotations with them (confirmed), and (for an undo) what to put back.
 */
export interface SchemaEdit {
  schema: TagSchema;
  renameLabels: readonly { from: string; to: string }[];
  /** `label` names the label as it is called in the new schema (after renameLabels). */
  renameAttributes: readonly { label: string; from: string; to: string }[];
  /** The margin.json revision the edit was made from; a newer one on disk refuses the edit. */
  baseRevision?: number;
  /** Removed labels whose annotations go too, each with the count the user confirmed. */
  deleteLabels?: readonly { label: string; annotations: number }[];
  restore?: RestoreItems;
}

export interface MigrationReport {
  /** Kept for the contract's shape: an edit no longer changes any annotation (renames live in margin.json). */
  changed: Annotation[];
  /** Annotations deleted with their label, on the user's confirmation. */
  removed: Annotation[];
  removedRelations: Relation[];
}

function refuseInvalid(edit: SchemaEdit): void {
  const issues = schemaProblems(edit.schema).map((p) => `schema.${p.path}: ${p.message}`);
  const seen = new Set<string>();
  edit.renameLabels.forEach((r, i) => {
    if (seen.has(r.from)) issues.push(`renameLabels.${i}.from: "${r.from}" is renamed twice`);
    seen.add(r.from);
  });
  seen.clear();
  edit.renameAttributes.forEach((r, i) => {
    const key = `${r.label}/${r.from}`;
    if (seen.has(key)) issues.push(`renameAttributes.${i}.from: "${key}" is renamed twice`);
    seen.add(key);
  });
  if (issues.length > 0) throw new MarginError('bad-input', `The tag schema was not saved: ${issues.join('; ')}.`, issues);
}

/**
 * Replaces the tag schema. Labels and attributes keep stable ids, so renames, recolours and new
 * labels change margin.json alone: no layer file is read or written, and no annotation can be
 * lost to an edit. A label removed from the schema leaves its annotations in place (shown with an
 * "unknown label" marker) unless its deletion was confirmed against the current count; only then,
 * and for an undo's restore, are layer files changed, journaled (ProjectStore.commitSchema).
 */
export async function updateSchema(store: ProjectStore, edit: SchemaEdit): Promise<MigrationReport> {
  refuseInvalid(edit);
  if (edit.baseRevision !== undefined) await store.checkRevision(edit.baseRevision);
  const previous = store.project.schema;
  const schema = withIds(edit.schema, previous, edit);
  const report: MigrationReport = { changed: [], removed: [], removedRelations: [] };
  const deleting = deletedLabels(edit, previous, schema);
  if (deleting.size === 0 && !edit.restore) {
    await store.commitSchema(schema);
    return report;
  }

  const layers = await store.allLayers();
  const counts = new Map<string, number>();
  for (const layer of layers) for (const a of layer.annotations) counts.set(a.label, (counts.get(a.label) ?? 0) + 1);
  for (const [label, confirmed] of deleting) {
    const now = counts.get(label) ?? 0;
    if (now !== confirmed) {
      throw new MarginError(
        'conflict',
        `"${label}" has ${now} annotation${now === 1 ? '' : 's'} now, not the ${confirmed} you confirmed deleting (a colleague's work may have arrived). Nothing was changed; confirm again.`,
      );
    }
  }

  const ops = new Map<string, LayerOps>();
  const opsOf = (annotator: string, docId: string) => {
    const key = `${annotator}\u0000${docId}`;
    let entry = ops.get(key);
    if (!entry) ops.set(key, (entry = { annotator, docId, removeAnnotations: [], removeRelations: [], putAnnotations: [], putRelations: [] }));
    return entry;
  };
  const removedIds = new Set<string>();
  for (const layer of layers) {
    for (const a of layer.annotations) {
      if (!deleting.has(a.label)) continue;
      report.removed.push(a);
      removedIds.add(a.id);
      opsOf(layer.annotator, layer.docId).removeAnnotations.push(a.id);
    }
  }
  for (const layer of layers) {
    for (const r of layer.relations) {
      if (!removedIds.has(r.from) && !removedIds.has(r.to)) continue;
      report.removedRelations.push(r);
      opsOf(layer.annotator, layer.docId).removeRelations.push(r.id);
    }
  }

  if (edit.restore) {
    // Checked under the new schema's names (a label renamed back by an undo has its old name again).
    const before = labelCodec(previous);
    const after = labelCodec(schema);
    const set = new LayerSet(layers.map((l) => after.decode(before.encode(l))));
    restoreInto(set, edit.restore, schema, await store.textsOf(edit.restore.annotations.map((a) => a.docId)), 'restore.');
    // Stored as on disk under the new schema: a replay needs no translation.
    const encoded = labelCodec(schema).encode({ version: 1, docId: '0000000000000000', annotator: 'restore', annotations: [...edit.restore.annotations], relations: [] });
    encoded.annotations.forEach((a) => opsOf(a.annotator, a.docId).putAnnotations.push(a));
    const docOf = new Map(set.all().flatMap((l) => l.annotations.map((a) => [`${l.annotator}\u0000${a.id}`, l.docId] as const)));
    for (const r of edit.restore.relations) {
      const docId = docOf.get(`${r.annotator}\u0000${r.from}`);
      if (docId) opsOf(r.annotator, docId).putRelations.push(r);
    }
  }
  await store.commitSchema(schema, [...ops.values()]);
  return report;
}

/** The confirmed deletions, by label name in the current schema; each must be a label this edit removes. */
function deletedLabels(edit: SchemaEdit, previous: TagSchema, next: TagSchema): Map<string, number> {
  const kept = new Set(next.labels.map((l) => l.id));
  const removed = new Set(previous.labels.filter((l) => !kept.has(l.id ?? l.name)).map((l) => l.name));
  const out = new Map<string, number>();
  (edit.deleteLabels ?? []).forEach((d, i) => {
    if (!removed.has(d.label)) {
      throw new MarginError('bad-input', `deleteLabels.${i}.label: "${d.label}" is not a label this edit removes, so its annotations cannot be deleted with it.`, [
        `deleteLabels.${i}.label: not removed by this edit`,
      ]);
    }
    out.set(d.label, d.annotations);
  });
  return out;
}

/**
 * Makes an unknown label (an id in layer files that the schema does not know) mean one of the
 * schema's labels, by adding it to that label's aliases: margin.json alone changes, for every
 * annotator's layer at once, and mapping again elsewhere is never needed.
 */
export async function mapUnknownLabel(store: ProjectStore, args: { from: string; to: string; baseRevision: number }): Promise<void> {
  await store.checkRevision(args.baseRevision);
  const schema = store.project.schema;
  const target = schema.labels.find((l) => l.name === args.to);
  if (!target) throw new MarginError('bad-input', `to: "${args.to}" is not a label of this project's tag schema.`);
  if (schema.labels.some((l) => l.name === args.from || (l.id ?? l.name) === args.from || (l.aliases ?? []).includes(args.from))) {
    throw new MarginError('bad-input', `from: "${args.from}" is already a label of the tag schema; only unknown labels can be mapped.`);
  }
  const labels = schema.labels.map((l) => (l === target ? { ...l, aliases: [...(l.aliases ?? []), args.from] } : l));
  await store.commitSchema({ ...schema, labels });
}
