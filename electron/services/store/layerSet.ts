import { FORMAT_VERSION, type Annotation, type LayerFile, type Relation, type TagSchema } from '../../../shared/model';
import { MarginError } from '../errors';
import { annotationsById, relationProblem } from '../editing/relationRules';
import { byTextOrder, spanProblem } from '../editing/spans';

const keyOf = (annotator: string, docId: string) => `${annotator}\u0000${docId}`;

/**
 * Working copies of layer files for a change that spans several of them (an undo, a schema
 * edit): everything is changed and checked here first, and only the layers it touched are
 * written, once the whole change is known to be valid.
 */
export class LayerSet {
  private readonly layers = new Map<string, LayerFile>();
  private readonly touched = new Set<string>();

  constructor(layers: readonly LayerFile[]) {
    for (const layer of layers) this.layers.set(keyOf(layer.annotator, layer.docId), structuredClone(layer));
  }

  all(): LayerFile[] {
    return [...this.layers.values()];
  }

  ofDocument(docId: string): LayerFile[] {
    return this.all().filter((l) => l.docId === docId);
  }

  /** The layer to change, created empty when the annotator has none on that document yet. */
  edit(annotator: string, docId: string): LayerFile {
    const key = keyOf(annotator, docId);
    let layer = this.layers.get(key);
    if (!layer) {
      layer = { version: FORMAT_VERSION, docId, annotator, annotations: [], relations: [] };
      this.layers.set(key, layer);
    }
    this.touched.add(key);
    return layer;
  }

  /** Marks a layer changed in place (by a migration). */
  touch(layer: LayerFile): void {
    this.touched.add(keyOf(layer.annotator, layer.docId));
  }

  changed(): LayerFile[] {
    return [...this.touched].map((key) => this.layers.get(key)!);
  }
}

export interface RestoreItems {
  annotations: readonly Annotation[];
  relations: readonly Relation[];
}

/**
 * Puts annotations and links back exactly as given, replacing any with the same id, each into
 * the layer of its own annotator. A link goes to the document of its `from` annotation. What
 * would not hold afterwards (a span past the text, an unknown label, a link to nothing or one the
 * schema does not allow) is refused with the field named, and the set is then not to be written.
 */
export function restoreInto(
  set: LayerSet,
  items: RestoreItems,
  schema: TagSchema,
  textOf: (docId: string) => string | undefined,
  at = '',
): void {
  const labels = new Set(schema.labels.map((l) => l.name));
  const byLayer = new Map<LayerFile, Map<string, Annotation>>();
  items.annotations.forEach((annotation, i) => {
    const text = textOf(annotation.docId);
    if (text === undefined) throw new MarginError('bad-input', `${at}annotations.${i}.docId: there is no document ${annotation.docId} in this project.`);
    if (!labels.has(annotation.label)) {
      throw new MarginError('bad-input', `${at}annotations.${i}.label: "${annotation.label}" is not in this project's tag schema.`);
    }
    const problem = spanProblem(annotation, text.length);
    if (problem) throw new MarginError('bad-input', `${at}annotations.${i}.end: ${problem}.`);
    const layer = set.edit(annotation.annotator, annotation.docId);
    (byLayer.get(layer) ?? byLayer.set(layer, new Map()).get(layer)!).set(annotation.id, structuredClone(annotation));
  });
  for (const [layer, restored] of byLayer) {
    layer.annotations = [...layer.annotations.filter((a) => !restored.has(a.id)), ...restored.values()].sort(byTextOrder);
  }
  if (items.relations.length === 0) return;
  // Where each annotator's annotations live, once, rather than a search per link.
  const docOf = new Map<string, string>();
  for (const layer of set.all()) for (const a of layer.annotations) docOf.set(keyOf(layer.annotator, a.id), layer.docId);
  const linksByLayer = new Map<LayerFile, Map<string, Relation>>();
  const placed = items.relations.map((relation, i) => {
    const docId = docOf.get(keyOf(relation.annotator, relation.from));
    if (!docId) throw new MarginError('bad-input', `${at}relations.${i}.from: ${relation.annotator} has no annotation ${relation.from} to link from.`);
    const layer = set.edit(relation.annotator, docId);
    (linksByLayer.get(layer) ?? linksByLayer.set(layer, new Map()).get(layer)!).set(relation.id, structuredClone(relation));
    return docId;
  });
  for (const [layer, restored] of linksByLayer) {
    layer.relations = [...layer.relations.filter((r) => !restored.has(r.id)), ...restored.values()];
  }
  // Checked once everything is back: a link may point at an annotation restored after it.
  const byDoc = new Map<string, Map<string, Annotation>>();
  items.relations.forEach((relation, i) => {
    const docId = placed[i]!;
    let byId = byDoc.get(docId);
    if (!byId) byDoc.set(docId, (byId = annotationsById(set.ofDocument(docId))));
    const problem = relationProblem(schema, relation, byId);
    if (problem) throw new MarginError('bad-input', `${at}relations.${i}.${problem}.`);
  });
}
