import type { ApiHandlers, ApiResult, Review } from '../../../shared/api';
import type { Annotation, LayerFile, ReviewRecord } from '../../../shared/model';
import { MarginError } from '../errors';
import { LayerSet, restoreInto } from '../store/layerSet';
import type { ProjectStore } from '../store/projectStore';
import { byTextOrder } from '../editing/spans';
import { comparison, tolerantLayer } from './comparison';
import { GOLD_LAYER, isAdjudicationLayer } from './goldLayer';

export { adjudicate } from './adjudicate';
export { GOLD_LAYER, isAdjudicationLayer };

/**
 * Reviewing colleagues' layers: comparing them (shared/compare.ts), adjudicating a gold layer
 * (adjudicate.ts: an ordinary layer, annotations/<gold>/<docId>.json, so it exports like any
 * other) and review verdicts on single annotations.
 */

/** Arguments as the handlers receive them (defaults applied). */
type Args<M extends keyof ApiHandlers> = Parameters<ApiHandlers[M]>[0];

// Review (api.ts) and ReviewRecord (model.ts, stored in layer files) must stay the same shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const reviewShapesMatch: Same<Review, ReviewRecord> = true;
void reviewShapesMatch;

export async function compareLayers(store: ProjectStore, args: Args<'compareLayers'>): Promise<ApiResult<'compareLayers'>> {
  return (await comparison(store, args.docId, args.annotators, args.gold)).result;
}

/**
 * Puts one layer's annotations and links back exactly as given (undo of an adjudication): the
 * layer's annotations and relations are replaced whole. Rejections are not part of it. Only the
 * caller's own layer or gold: replacing a colleague's layer whole would erase their work.
 */
export async function restoreLayer(store: ProjectStore, caller: string, args: Args<'restoreLayer'>): Promise<ApiResult<'restoreLayer'>> {
  const { docId, annotator, annotations, relations, rejected } = args;
  if (annotator !== caller && !isAdjudicationLayer(annotator)) {
    throw new MarginError('bad-input', `annotator: that is ${annotator}'s layer; only your own layer (${caller}) or an adjudication layer (${GOLD_LAYER}) can be put back.`);
  }
  const doc = await store.getDocument(docId);
  annotations.forEach((a, i) => {
    if (a.annotator !== annotator || a.docId !== docId) {
      throw new MarginError('bad-input', `annotations.${i}: it belongs to ${a.annotator} on ${a.docId}, not to ${annotator}'s layer of ${docId}.`);
    }
  });
  relations.forEach((r, i) => {
    if (r.annotator !== annotator) throw new MarginError('bad-input', `relations.${i}.annotator: it is ${r.annotator}'s link, not ${annotator}'s.`);
  });
  // Checked as a whole against the other layers of the document (labels, spans, links) before anything is written.
  const others: LayerFile[] = [];
  for (const name of await store.annotators()) {
    if (name === annotator) continue;
    const { layer } = await tolerantLayer(store, name, docId);
    if (layer) others.push(layer);
  }
  const set = new LayerSet(others);
  set.edit(annotator, docId);
  restoreInto(set, { annotations, relations }, store.project.schema, (id) => (id === docId ? doc.text : undefined));
  const after = await store.updateLayer(annotator, docId, (layer) => {
    layer.annotations = structuredClone([...annotations]).sort(byTextOrder);
    layer.relations = structuredClone([...relations]);
    // Undoing a reject un-rejects: the gold layer's list of rejected items comes back too.
    if (rejected !== undefined) layer.rejected = [...rejected].sort();
  });
  return { annotations: structuredClone(after.annotations) };
}

/** Every review on the document, from every layer that can be read (a corrupt one is skipped, as listDocuments reports it). */
export async function listReviews(store: ProjectStore, docId: string): Promise<Review[]> {
  store.documentHeader(docId);
  const reviews: Review[] = [];
  for (const annotator of await store.annotators()) {
    const { layer } = await tolerantLayer(store, annotator, docId);
    reviews.push(...(layer?.reviews ?? []));
  }
  return reviews.sort((a, b) => a.annotationId.localeCompare(b.annotationId) || a.reviewer.localeCompare(b.reviewer));
}

/**
 * The current annotator (the reviewer) sets or, with verdict null, removes their review of a
 * colleague's annotation. It is stored in the reviewer's own layer file of the document.
 */
export async function setReview(store: ProjectStore, reviewer: string, args: Args<'setReview'>): Promise<ApiResult<'setReview'>> {
  const { docId, annotationId, verdict, comment } = args;
  store.documentHeader(docId);
  let target: Annotation | undefined;
  for (const annotator of await store.annotators()) {
    const { layer } = await tolerantLayer(store, annotator, docId);
    target = layer?.annotations.find((a) => a.id === annotationId);
    if (target) break;
  }
  const own = (await tolerantLayer(store, reviewer, docId)).layer?.reviews?.find((r) => r.annotationId === annotationId);
  if (!target && !(verdict === null && own)) throw new MarginError('not-found', `annotationId: there is no annotation ${annotationId} in document ${docId}.`);
  if (target && target.annotator === reviewer) throw new MarginError('bad-input', 'annotationId: that is your own annotation; reviews are for colleagues\' annotations.');
  await store.updateLayer(reviewer, docId, (layer) => {
    const kept = (layer.reviews ?? []).filter((r) => r.annotationId !== annotationId);
    if (verdict !== null) {
      kept.push({ annotationId, annotator: target!.annotator, reviewer, verdict, comment, at: new Date().toISOString() });
    }
    if (kept.length > 0) layer.reviews = kept;
    else delete layer.reviews;
  });
  return { reviews: (await listReviews(store, docId)).filter((r) => r.annotationId === annotationId) };
}

