import { randomUUID } from 'node:crypto';
import type { ApiArgs, ApiResult } from '../../../shared/api';
import { quoteAt } from '../../../shared/anchoring';
import type { Annotation, AttributeValue, DocumentRecord, LabelDef, Relation } from '../../../shared/model';
import { checkedAttributes, fittingAttributes } from './attributeValues';
import { MarginError } from '../errors';
import { LayerSet, restoreInto } from '../store/layerSet';
import type { ProjectStore } from '../store/projectStore';
import { annotationsById, relationAllowed } from './relationRules';
import { byTextOrder, fitSpan } from './spans';

/** Creating, changing, deleting and restoring one annotator's annotations. */

export interface SpanRequest {
  label: string;
  start: number;
  end: number;
}

/** The changes an update may carry, as the contract defines them. */
export type AnnotationChanges = ApiArgs<'updateAnnotation'>['changes'];

function labelDef(store: ProjectStore, label: string, at = ''): LabelDef {
  const def = store.project.schema.labels.find((l) => l.name === label);
  if (!def) throw new MarginError('bad-input', `${at}label: "${label}" is not in this project's tag schema.`);
  return def;
}

/** One of the annotator's own annotations, or an error saying whose it is or that it does not exist. */
async function ownAnnotation(store: ProjectStore, annotator: string, docId: string, id: string, verb: string): Promise<Annotation> {
  const own = await store.readLayer(annotator, docId);
  const found = own.annotations.find((a) => a.id === id);
  if (found) return found;
  const elsewhere = (await store.layersOf(docId)).find((l) => l.annotations.some((a) => a.id === id));
  throw elsewhere
    ? new MarginError('bad-input', `That annotation belongs to ${elsewhere.annotator}'s layer; only your own can be ${verb}.`)
    : new MarginError('not-found', `There is no annotation ${id} in document ${docId}.`);
}

/** A new annotation of `annotator` on [start, end) of the document, its quote taken from the text. */
export function newAnnotation(doc: Pick<DocumentRecord, 'id' | 'text'>, annotator: string, label: string, start: number, end: number, now: string): Annotation {
  return {
    id: randomUUID(),
    docId: doc.id,
    annotator,
    label,
    start,
    end,
    quote: quoteAt(doc.text, start, end),
    attributes: {},
    createdAt: now,
    updatedAt: now,
  };
}

/** Tags spans; all are checked before anything is written, and they are written at once. */
export async function createAnnotations(
  store: ProjectStore,
  annotator: string,
  docId: string,
  spans: readonly SpanRequest[],
  fieldPrefix: (index: number) => string,
): Promise<Annotation[]> {
  const doc = await store.getDocument(docId);
  const now = new Date().toISOString();
  const created = spans.map((span, i) => {
    labelDef(store, span.label, fieldPrefix(i));
    const fitted = fitSpan(doc.text, span.start, span.end, fieldPrefix(i));
    return newAnnotation(doc, annotator, span.label, fitted.start, fitted.end, now);
  });
  await store.updateLayer(annotator, docId, (layer) => {
    layer.annotations.push(...created);
    layer.annotations.sort(byTextOrder);
  });
  return created;
}

/**
 * The stored values with the edits laid over them: only the names given change, null removes
 * one. A window sends only what was edited, so two quick edits of different fields both stay.
 */
function withEdits(stored: Annotation['attributes'], edits: NonNullable<AnnotationChanges['attributes']>): Annotation['attributes'] {
  const next = { ...stored };
  for (const [name, value] of Object.entries(edits)) {
    if (value === null) delete next[name];
    else next[name] = value;
  }
  return next;
}

/** The edits with every value checked against the label (empty text or lists mean "remove"). */
function checkedEdits(def: LabelDef, edits: NonNullable<AnnotationChanges['attributes']>): NonNullable<AnnotationChanges['attributes']> {
  const values = Object.fromEntries(Object.entries(edits).filter((entry): entry is [string, AttributeValue] => entry[1] !== null));
  const checked = checkedAttributes(def, values);
  return Object.fromEntries(Object.keys(edits).map((name) => [name, checked[name] ?? null]));
}

/**
 * Relabels, moves, re-attributes or re-notes one of the annotator's own annotations. Given
 * attributes change only the names they give, and the result is checked against the (new)
 * label; on a relabel, values the new label does not define are dropped, and links it no
 * longer allows are removed.
 */
export async function updateAnnotation(
  store: ProjectStore,
  annotator: string,
  docId: string,
  id: string,
  changes: AnnotationChanges,
): Promise<ApiResult<'updateAnnotation'>> {
  const doc = await store.getDocument(docId);
  const before = await ownAnnotation(store, annotator, docId, id, 'changed');
  const label = changes.label ?? before.label;
  const def = labelDef(store, label);
  let { start, end } = before;
  if (changes.start !== undefined || changes.end !== undefined) {
    ({ start, end } = fitSpan(doc.text, changes.start ?? before.start, changes.end ?? before.end));
  }
  const kept = label === before.label ? before.attributes : fittingAttributes(def, before.attributes);
  // Only the values edited are checked: a stored value of an attribute since removed from the
  // schema (kept, never dropped by a schema edit) must not block an edit of another one.
  const attributes = changes.attributes !== undefined ? withEdits(kept, checkedEdits(def, changes.attributes)) : kept;
  const after: Annotation = {
    ...before,
    label,
    start,
    end,
    quote: quoteAt(doc.text, start, end),
    attributes,
    updatedAt: new Date().toISOString(),
  };
  const note = changes.note ?? before.note;
  if (note) after.note = note;
  else delete after.note;

  // Labels of every layer of the document: a link of this layer may end at a colleague's span.
  const labelOf = new Map([...annotationsById(await store.layersOf(docId))].map(([key, a]) => [key, a.label]));
  labelOf.set(id, label);
  const schema = store.project.schema;
  const allowed = (r: Relation) =>
    (r.from !== id && r.to !== id) || !labelOf.has(r.from) || !labelOf.has(r.to) || relationAllowed(schema, r.type, labelOf.get(r.from)!, labelOf.get(r.to)!);
  let removedRelations: Relation[] = [];
  await store.updateLayer(annotator, docId, (layer) => {
    // Only links in this layer are written; a colleague's link to this span stays in their file (and is not shown while it does not hold).
    removedRelations = layer.relations.filter((r) => !allowed(r));
    layer.relations = layer.relations.filter(allowed);
    layer.annotations = layer.annotations.map((a) => (a.id === id ? after : a)).sort(byTextOrder);
  });
  return { before, after, removedRelations };
}

/** Deletes some of the annotator's own annotations and, in the same write, the links of their layer that touch them. */
export async function deleteAnnotations(
  store: ProjectStore,
  annotator: string,
  docId: string,
  ids: readonly string[],
): Promise<ApiResult<'deleteAnnotations'>> {
  store.documentHeader(docId);
  const deleted: Annotation[] = [];
  for (const id of new Set(ids)) deleted.push(await ownAnnotation(store, annotator, docId, id, 'deleted'));
  const gone = new Set(ids);
  let relations: Relation[] = [];
  await store.updateLayer(annotator, docId, (layer) => {
    relations = layer.relations.filter((r) => gone.has(r.from) || gone.has(r.to));
    layer.relations = layer.relations.filter((r) => !gone.has(r.from) && !gone.has(r.to));
    layer.annotations = layer.annotations.filter((a) => !gone.has(a.id));
  });
  return { deleted, relations };
}

/** Undo of the above: the annotator's own annotations and links, put back exactly as given. */
export async function restoreAnnotations(
  store: ProjectStore,
  annotator: string,
  annotations: readonly Annotation[],
  relations: readonly Relation[],
): Promise<ApiResult<'restoreAnnotations'>> {
  annotations.forEach((a, i) => {
    if (a.annotator !== annotator) {
      throw new MarginError('bad-input', `annotations.${i}.annotator: only your own annotations (${annotator}) can be restored, not ${a.annotator}'s.`);
    }
  });
  relations.forEach((r, i) => {
    if (r.annotator !== annotator) {
      throw new MarginError('bad-input', `relations.${i}.annotator: only your own links (${annotator}) can be restored, not ${r.annotator}'s.`);
    }
  });
  const docIds = new Set(annotations.map((a) => a.docId).filter((d) => store.hasDocument(d)));
  // A link's document is that of its `from` annotation: given here, or already in one of the annotator's layers.
  const given = new Set(annotations.map((a) => a.id));
  const unplaced = new Set(relations.map((r) => r.from).filter((from) => !given.has(from)));
  for (const doc of unplaced.size > 0 ? store.listDocuments() : []) {
    const layer = await store.layerIfExists(annotator, doc.id);
    if (layer?.annotations.some((a) => unplaced.has(a.id))) docIds.add(doc.id);
  }
  const layers = [];
  for (const docId of docIds) layers.push(...(await store.layersOf(docId)));
  const set = new LayerSet(layers);
  restoreInto(set, { annotations, relations }, store.project.schema, await store.textsOf(annotations.map((a) => a.docId)));
  for (const layer of set.changed()) {
    await store.updateLayer(layer.annotator, layer.docId, (live) => {
      live.annotations = layer.annotations;
      live.relations = layer.relations;
    });
  }
  return { annotations: [...annotations], relations: [...relations] };
}
