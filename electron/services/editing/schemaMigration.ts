import { isDeepStrictEqual } from 'node:util';
import type { Annotation, AttributeValue, Relation, TagSchema } from '../../../shared/model';
import { schemaProblems } from '../../../shared/schemaRules';
import { fittingAttributes } from './attributeValues';
import { MarginError } from '../errors';
import { LayerSet, restoreInto, type RestoreItems } from '../store/layerSet';
import type { ProjectStore } from '../store/projectStore';
import { annotationsById, relationAllowed } from './relationRules';

/** A schema edit: the new schema, what was renamed, and (for an undo) what to put back afterwards. */
export interface SchemaEdit {
  schema: TagSchema;
  renameLabels: readonly { from: string; to: string }[];
  /** `label` names the label as it is called in the new schema (after renameLabels). */
  renameAttributes: readonly { label: string; from: string; to: string }[];
  restore?: RestoreItems;
}

export interface MigrationReport {
  /** The previous versions of annotations the edit changed but kept. */
  changed: Annotation[];
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
 * Brings every layer in the set under the new schema: renames (all at once, so two labels can
 * swap names), then removes annotations of labels that are gone with every link to them, values
 * their label no longer has or that no longer fit, and links the schema no longer allows.
 */
export function migrate(set: LayerSet, edit: SchemaEdit): MigrationReport {
  const report: MigrationReport = { changed: [], removed: [], removedRelations: [] };
  const labelRename = new Map(edit.renameLabels.map((r) => [r.from, r.to]));
  const attributeRename = new Map(edit.renameAttributes.map((r) => [`${r.label}\u0000${r.from}`, r.to]));
  const labels = new Map(edit.schema.labels.map((l) => [l.name, l]));
  const types = new Set(edit.schema.relations.map((r) => r.type));

  const removedIds = new Set<string>();
  for (const layer of set.all()) {
    const kept: Annotation[] = [];
    for (const annotation of layer.annotations) {
      const label = labelRename.get(annotation.label) ?? annotation.label;
      const def = labels.get(label);
      if (!def) {
        report.removed.push(annotation);
        removedIds.add(annotation.id);
        continue;
      }
      const renamed: Record<string, AttributeValue> = {};
      for (const [name, value] of Object.entries(annotation.attributes)) renamed[attributeRename.get(`${label}\u0000${name}`) ?? name] = value;
      const next: Annotation = { ...annotation, label, attributes: fittingAttributes(def, renamed) };
      if (isDeepStrictEqual(next, annotation)) {
        kept.push(annotation);
      } else {
        report.changed.push(annotation);
        kept.push(next);
      }
    }
    if (kept.length !== layer.annotations.length || kept.some((a, i) => a !== layer.annotations[i])) {
      layer.annotations = kept;
      set.touch(layer);
    }
  }

  const docIds = new Set(set.all().map((l) => l.docId));
  for (const docId of docIds) {
    const layers = set.ofDocument(docId);
    const byId = annotationsById(layers);
    const holds = (r: Relation) => {
      if (!types.has(r.type) || removedIds.has(r.from) || removedIds.has(r.to)) return false;
      const from = byId.get(r.from);
      const to = byId.get(r.to);
      // A link to a span its owner deleted is not this edit's business; it stays as it was.
      return !from || !to || relationAllowed(edit.schema, r.type, from.label, to.label);
    };
    for (const layer of layers) {
      const removed = layer.relations.filter((r) => !holds(r));
      if (removed.length === 0) continue;
      report.removedRelations.push(...removed);
      layer.relations = layer.relations.filter(holds);
      set.touch(layer);
    }
  }
  return report;
}

/**
 * Replaces the tag schema and migrates every layer file of the project. Everything is read and
 * checked before anything is written (an unreadable layer file or an invalid schema stops the
 * edit untouched); the writing itself is ProjectStore.commitSchema's, journaled.
 */
export async function updateSchema(store: ProjectStore, edit: SchemaEdit): Promise<MigrationReport> {
  refuseInvalid(edit);
  const set = new LayerSet(await store.allLayers());
  const report = migrate(set, edit);
  if (edit.restore) {
    restoreInto(set, edit.restore, edit.schema, (docId) => (store.hasDocument(docId) ? store.getDocument(docId).text : undefined), 'restore.');
  }
  await store.commitSchema(edit.schema, set.changed());
  return report;
}
