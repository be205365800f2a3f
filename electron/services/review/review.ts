import { randomUUID } from 'node:crypto';
import type { ApiHandlers, ApiResult, Review } from '../../../shared/api';
import { quoteAt } from '../../../shared/anchoring';
import { agreedAttributes, compareLayers as compare, type ComparedLayer, goldMatch } from '../../../shared/compare';
import type { Annotation, LayerFile, ReviewRecord } from '../../../shared/model';
import { MarginError } from '../errors';
import { LayerSet, restoreInto } from '../store/layerSet';
import { layerFilePath } from '../store/schemaJournal';
import type { ProjectStore } from '../store/projectStore';
import { relationAllowed } from '../editing/relationRules';
import { byTextOrder } from '../editing/spans';

/**
 * Reviewing colleagues' layers: comparing them (shared/compare.ts), adjudicating a gold layer
 * (an ordinary layer, annotations/<gold>/<docId>.json, so it exports like any other) and
 * review verdicts on single annotations.
 */

/** Arguments as the handlers receive them (defaults applied). */
type Args<M extends keyof ApiHandlers> = Parameters<ApiHandlers[M]>[0];

// Review (api.ts) and ReviewRecord (model.ts, stored in layer files) must stay the same shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const reviewShapesMatch: Same<Review, ReviewRecord> = true;
void reviewShapesMatch;

/** One annotator's layer, or null when it has none; a file that does not parse is reported in `problem`, never written. */
async function tolerantLayer(store: ProjectStore, annotator: string, docId: string): Promise<{ layer: LayerFile | null; problem?: string }> {
  try {
    return { layer: await store.layerIfExists(annotator, docId) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { layer: null, problem: message.includes(annotator) ? message : `${layerFilePath(store.dir, annotator, docId)}: ${message}` };
  }
}

function unparsable(annotator: string, problem: string) {
  return { annotator, label: '', exact: '', reason: `${problem} This layer was left out of the comparison.` };
}

async function comparison(store: ProjectStore, docId: string, annotators: readonly string[], gold: string) {
  const doc = await store.getDocument(docId);
  const unique = [...new Set(annotators)];
  const layers: ComparedLayer[] = [];
  const problems: ReturnType<typeof unparsable>[] = [];
  const sources: LayerFile[] = [];
  for (const annotator of unique) {
    const { layer, problem } = await tolerantLayer(store, annotator, docId);
    if (problem) {
      problems.push(unparsable(annotator, problem));
      // Still counted as compared (with nothing): a layer left out never makes the rest "agreed".
      layers.push({ annotator, annotations: [] });
      continue;
    }
    layers.push({ annotator, annotations: layer?.annotations ?? [], orphans: layer?.orphans ?? [] });
    if (layer) sources.push(layer);
  }
  const goldRead = await tolerantLayer(store, gold, docId);
  if (goldRead.problem) problems.push({ ...unparsable(gold, goldRead.problem), reason: `${goldRead.problem} The gold layer could not be read.` });
  const goldLayer = goldRead.layer;
  const result = compare(doc.text, layers, goldLayer?.annotations ?? [], goldLayer?.rejected ?? []);
  result.annotators = unique;
  result.unplaced = [...problems, ...result.unplaced];
  return { doc, result, sources, goldLayer, goldProblem: goldRead.problem };
}

export async function compareLayers(store: ProjectStore, args: Args<'compareLayers'>): Promise<ApiResult<'compareLayers'>> {
  return (await comparison(store, args.docId, args.annotators, args.gold)).result;
}

type Adjudication = ApiResult<'adjudicate'>;

/**
 * Changes the gold layer. accept: each given annotation is copied into gold (new id, annotator
 * gold, same span, label, attributes, note); a gold annotation with the same span and label is
 * replaced instead (its id kept), so accepting the other side switches versions. Links between
 * accepted annotations (or to ones gold already holds at the same span and label) come along.
 * accept-agreed: every agreed, unresolved item, with the attributes all annotators agree on.
 * reject: the item's id is recorded in the gold layer's `rejected`, and gold annotations
 * matching the item are removed (gold keeps nothing there).
 */
/** What an adjudication changed in the gold layer: before and after, so undo can put it back exactly. */
function adjudication(before: LayerFile, after: LayerFile): Adjudication {
  return {
    before: before.annotations,
    after: structuredClone(after.annotations),
    beforeRelations: before.relations,
    afterRelations: structuredClone(after.relations),
    beforeRejected: before.rejected ?? [],
    afterRejected: [...(after.rejected ?? [])],
  };
}

export async function adjudicate(store: ProjectStore, args: Args<'adjudicate'>): Promise<Adjudication> {
  const { docId, gold, annotators, action } = args;
  if (annotators.includes(gold)) throw new MarginError('bad-input', `gold: "${gold}" is one of the compared annotators; choose another name for the gold layer.`);
  if (!isAdjudicationLayer(gold)) {
    throw new MarginError('bad-input', `gold: "${gold}" would be an annotator's own layer; an adjudication layer is called "${GOLD_LAYER}" or starts with it (e.g. "${GOLD_LAYER}-2").`);
  }
  const { doc, result, sources, goldProblem } = await comparison(store, docId, annotators, gold);
  if (goldProblem) throw new MarginError('store', goldProblem);
  const before = structuredClone(await store.readLayer(gold, docId));
  const now = new Date().toISOString();
  const placedById = new Map<string, Annotation>();
  for (const item of result.items) for (const a of Object.values(item.byAnnotator)) placedById.set(a.id, a);

  /** Accepted sources: each is one gold annotation; `members` all map to it (for links). */
  const accepted: { source: Annotation; members: Annotation[]; attributes: Annotation['attributes'] }[] = [];
  let rejectedItem: string | null = null;
  if (action.kind === 'accept') {
    action.annotationIds.forEach((id, i) => {
      const a = placedById.get(id);
      if (!a) {
        const unplaced = sources.some((l) => l.annotations.some((x) => x.id === id));
        throw new MarginError(
          unplaced ? 'bad-input' : 'not-found',
          unplaced
            ? `annotationIds.${i}: that annotation cannot be placed in this text, so it cannot be accepted.`
            : `annotationIds.${i}: there is no annotation ${id} in the compared layers (${annotators.join(', ')}) of this document.`,
        );
      }
      accepted.push({ source: a, members: [a], attributes: a.attributes });
    });
  } else if (action.kind === 'accept-agreed') {
    for (const item of result.items) {
      if (item.status !== 'agreed' || item.resolved) continue;
      const members = result.annotators.map((n) => item.byAnnotator[n]).filter((m): m is Annotation => !!m);
      accepted.push({ source: members[0]!, members, attributes: agreedAttributes(members) });
    }
  } else if (action.kind === 'reject') {
    const item = result.items.find((it) => it.id === action.itemId);
    if (!item) throw new MarginError('not-found', `itemId: there is no item ${action.itemId} in this comparison.`);
    rejectedItem = item.id;
  }

  const schema = store.project.schema;
  if (action.kind === 'edit') {
    const target = before.annotations.find((g) => g.id === action.goldId);
    if (!target) throw new MarginError('not-found', `goldId: there is no annotation ${action.goldId} in the ${gold} layer of this document.`);
    const label = action.label ?? target.label;
    if (!schema.labels.some((l) => l.name === label)) throw new MarginError('bad-input', `label: "${label}" is not in this project's tag schema.`);
    let start = action.start ?? target.start;
    let end = action.end ?? target.end;
    while (start < end && /\s/u.test(doc.text[start]!)) start++;
    while (end > start && /\s/u.test(doc.text[end - 1]!)) end--;
    if (end > doc.text.length || start >= end) throw new MarginError('bad-input', `start/end: ${start}–${end} is not a span of this document.`);
    const edited = await store.updateLayer(gold, docId, (layer) => {
      layer.annotations = layer.annotations
        .map((g) => (g.id === target.id ? { ...g, label, start, end, quote: quoteAt(doc.text, start, end), updatedAt: now } : g))
        .sort(byTextOrder);
    });
    return adjudication(before, edited);
  }
  const after = await store.updateLayer(gold, docId, (layer) => {
    if (rejectedItem !== null) {
      const item = result.items.find((it) => it.id === rejectedItem)!;
      const members = Object.values(item.byAnnotator);
      // Every gold annotation matching the item goes, not only the best one.
      const gone = new Set<string>();
      for (let match = goldMatch(members, layer.annotations); match; match = goldMatch(members, layer.annotations.filter((g) => !gone.has(g.id)))) {
        gone.add(match.id);
      }
      layer.annotations = layer.annotations.filter((g) => !gone.has(g.id));
      layer.relations = layer.relations.filter((r) => !gone.has(r.from) && !gone.has(r.to));
      layer.rejected = [...new Set([...(layer.rejected ?? []), rejectedItem])].sort();
      return;
    }
    const goldOf = new Map<string, string>();
    for (const { source, members, attributes } of accepted) {
      const existing = layer.annotations.find((g) => g.start === source.start && g.end === source.end && g.label === source.label);
      const copy: Annotation = {
        id: existing?.id ?? randomUUID(),
        docId,
        annotator: gold,
        label: source.label,
        start: source.start,
        end: source.end,
        quote: quoteAt(doc.text, source.start, source.end),
        attributes: structuredClone(attributes),
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      const notes = new Set(members.map((m) => m.note ?? ''));
      if (source.note && notes.size === 1) copy.note = source.note;
      if (source.norms && members.length === 1) copy.norms = structuredClone(source.norms);
      layer.annotations = [...layer.annotations.filter((g) => g.id !== copy.id), copy];
      for (const m of members) goldOf.set(m.id, copy.id);
    }
    layer.annotations.sort(byTextOrder);
    // Links of the compared layers whose ends are both in gold now (one end accepted in this call).
    const goldAt = (id: string): string | undefined => {
      const mapped = goldOf.get(id);
      if (mapped) return mapped;
      const a = placedById.get(id);
      return a ? layer.annotations.find((g) => g.start === a.start && g.end === a.end && g.label === a.label)?.id : undefined;
    };
    const labelOf = new Map(layer.annotations.map((g) => [g.id, g.label]));
    for (const relation of sources.flatMap((l) => l.relations)) {
      if (!goldOf.has(relation.from) && !goldOf.has(relation.to)) continue;
      const from = goldAt(relation.from);
      const to = goldAt(relation.to);
      if (!from || !to || from === to) continue;
      if (!relationAllowed(schema, relation.type, labelOf.get(from)!, labelOf.get(to)!)) continue;
      if (layer.relations.some((r) => r.type === relation.type && r.from === from && r.to === to)) continue;
      layer.relations.push({ id: randomUUID(), type: relation.type, from, to, annotator: gold });
    }
  });
  return adjudication(before, after);
}

/** The adjudication layer: written by whoever adjudicates, so anyone may undo into it. */
export const GOLD_LAYER = 'gold';

/**
 * Adjudication layers are named "gold" or start with it ("gold-2", "gold Ana"): the one kind of
 * layer that is not one annotator's own. Any other name is a colleague's layer and never written.
 */
export function isAdjudicationLayer(name: string): boolean {
  return /^gold(\b|[-_ ])/i.test(name);
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

