import { randomUUID } from 'node:crypto';
import type { ApiHandlers, ApiResult } from '../../../shared/api';
import { quoteAt } from '../../../shared/anchoring';
import { agreedAttributes, type ComparedLink, type ComparisonItem, goldMatch } from '../../../shared/compare';
import type { Annotation, AttributeValue, LayerFile, TagSchema } from '../../../shared/model';
import { checkedAttributes } from '../editing/attributeValues';
import { relationAllowed } from '../editing/relationRules';
import { byTextOrder } from '../editing/spans';
import { MarginError } from '../errors';
import type { ProjectStore } from '../store/projectStore';
import { comparison } from './comparison';
import { GOLD_LAYER, isAdjudicationLayer } from './goldLayer';

/**
 * Building the gold layer from a comparison (shared/compare.ts): spans, their attribute values
 * and the links between them.
 *
 * accept: each given annotation is copied into gold (new id, annotator gold, same span, label,
 * note); a gold annotation with the same span and label is replaced instead (its id kept), so
 * accepting the other side switches versions. Annotations given together with the same span and
 * label (Accept both) become one gold annotation with the attribute values they agree on; one
 * alone brings all its values. A link comes along when its items' accepted annotations were all
 * made by annotators who drew it (accepting Ana's quote brings Ana's link to its source;
 * accepting both versions brings only a link both drew).
 * accept-agreed: every agreed, unresolved item, with the attributes all annotators agree on, and
 * every agreed, unresolved link; a link only some annotators drew is left to decide.
 * accept-link: one compared link, between the gold annotations of its two items.
 * reject: the item's or link's id is recorded in the gold layer's `rejected`, and what gold holds
 * there is removed (gold keeps nothing there).
 * edit: another label, boundaries or attribute values for a gold annotation.
 */

/** Arguments as the handlers receive them (defaults applied). */
type Args<M extends keyof ApiHandlers> = Parameters<ApiHandlers[M]>[0];
type Adjudication = ApiResult<'adjudicate'>;
type Action = Args<'adjudicate'>['action'];

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

const membersOf = (item: ComparisonItem): Annotation[] => Object.values(item.byAnnotator);

/** How a person names an item: the first annotation's label and quote. */
function described(item: ComparisonItem): string {
  const first = membersOf(item)[0]!;
  return `${first.label} “${first.quote.exact}”`;
}

/** Accepted annotations: each group is one gold annotation; `members` all map to it. */
interface Accepted {
  source: Annotation;
  members: Annotation[];
  attributes: Annotation['attributes'];
}

/** The given annotations, grouped by span and label (one gold annotation each). */
function acceptedAnnotations(ids: readonly string[], placedById: ReadonlyMap<string, Annotation>, unplaceable: (id: string) => boolean, annotators: readonly string[]): Accepted[] {
  const groups = new Map<string, Annotation[]>();
  ids.forEach((id, i) => {
    const a = placedById.get(id);
    if (!a) {
      throw unplaceable(id)
        ? new MarginError('bad-input', `annotationIds.${i}: that annotation cannot be placed in this text, so it cannot be accepted.`)
        : new MarginError('not-found', `annotationIds.${i}: there is no annotation ${id} in the compared layers (${annotators.join(', ')}) of this document.`);
    }
    const key = `${a.start}-${a.end}-${a.label}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  });
  return [...groups.values()].map((members) => ({ source: members[0]!, members, attributes: agreedAttributes(members) }));
}

/**
 * The links an accept brings along: those of the items accepted now, drawn by every annotator
 * whose annotation was accepted at either end (see the notes at the top).
 */
function linksOfAccepted(links: readonly ComparedLink[], items: readonly ComparisonItem[], accepted: readonly Accepted[]): ComparedLink[] {
  const acceptedIds = new Set(accepted.flatMap((g) => g.members.map((m) => m.id)));
  const acceptedBy = new Map<string, string[]>();
  for (const item of items) {
    const who = Object.entries(item.byAnnotator).filter(([, a]) => acceptedIds.has(a.id)).map(([n]) => n);
    if (who.length > 0) acceptedBy.set(item.id, who);
  }
  return links.filter((l) => {
    if (l.resolved) return false;
    const who = [...(acceptedBy.get(l.from) ?? []), ...(acceptedBy.get(l.to) ?? [])];
    return who.length > 0 && who.every((n) => l.byAnnotator[n]);
  });
}

/**
 * The attribute values of an edit: the values given are checked against the label (each
 * problem named); null, empty text or an empty list removes one. Values not named stay.
 */
function editedAttributes(schema: TagSchema, label: string, current: Annotation['attributes'], changes: Record<string, AttributeValue | null>): Annotation['attributes'] {
  const def = schema.labels.find((l) => l.name === label)!;
  const given = Object.fromEntries(Object.entries(changes).filter((e): e is [string, AttributeValue] => e[1] !== null));
  const set = checkedAttributes(def, given);
  const kept = Object.fromEntries(Object.entries(current).filter(([n]) => !(n in changes)));
  return { ...kept, ...set };
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
  const schema = store.project.schema;
  if (action.kind === 'edit') return adjudication(before, await editGold(store, doc.text, gold, before, action));

  const now = new Date().toISOString();
  const placedById = new Map<string, Annotation>();
  for (const item of result.items) for (const a of membersOf(item)) placedById.set(a.id, a);
  const itemById = new Map(result.items.map((i) => [i.id, i]));

  let accepted: Accepted[] = [];
  let links: ComparedLink[] = [];
  let rejected: ComparisonItem | ComparedLink | null = null;
  if (action.kind === 'accept') {
    const unplaceable = (id: string) => sources.some((l) => l.annotations.some((x) => x.id === id));
    accepted = acceptedAnnotations(action.annotationIds, placedById, unplaceable, annotators);
    links = linksOfAccepted(result.links, result.items, accepted);
  } else if (action.kind === 'accept-agreed') {
    for (const item of result.items) {
      if (item.status !== 'agreed' || item.resolved) continue;
      const members = result.annotators.map((n) => item.byAnnotator[n]).filter((m): m is Annotation => !!m);
      accepted.push({ source: members[0]!, members, attributes: agreedAttributes(members) });
    }
    links = result.links.filter((l) => l.status === 'agreed' && !l.resolved);
  } else if (action.kind === 'accept-link') {
    const link = result.links.find((l) => l.id === action.linkId);
    if (!link) throw new MarginError('not-found', `linkId: there is no link ${action.linkId} in this comparison.`);
    const ends = [itemById.get(link.from)!, itemById.get(link.to)!];
    const missing = ends.filter((i) => !i.gold);
    if (missing.length > 0) throw new MarginError('bad-input', `linkId: accept the ${missing.map(described).join(' and the ')} into gold first; the link goes between them.`);
    const [from, to] = ends.map((i) => i.gold!);
    if (!relationAllowed(schema, link.type, from!.label, to!.label)) {
      throw new MarginError('bad-input', `linkId: the tag schema allows no ${link.type} link from ${from!.label} to ${to!.label}.`);
    }
    links = [link];
  } else {
    rejected = result.items.find((it) => it.id === action.itemId) ?? result.links.find((l) => l.id === action.itemId) ?? null;
    if (!rejected) throw new MarginError('not-found', `itemId: there is no item or link ${action.itemId} in this comparison.`);
  }

  const after = await store.updateLayer(gold, docId, (layer) => {
    /** Gold annotations copied from a member in this call, by member id: preferred over a match by span. */
    const goldOf = new Map<string, string>();
    const goldFor = (item: ComparisonItem): Annotation | null => {
      const copied = membersOf(item).map((m) => goldOf.get(m.id)).find((id) => id !== undefined);
      return layer.annotations.find((g) => g.id === copied) ?? goldMatch(membersOf(item), layer.annotations);
    };
    if (rejected) {
      reject(layer, rejected, itemById, goldFor);
      return;
    }
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
    for (const link of links) {
      const from = goldFor(itemById.get(link.from)!);
      const to = goldFor(itemById.get(link.to)!);
      if (!from || !to || from.id === to.id) continue;
      if (!relationAllowed(schema, link.type, from.label, to.label)) continue;
      if (layer.relations.some((r) => r.type === link.type && r.from === from.id && r.to === to.id)) continue;
      layer.relations.push({ id: randomUUID(), type: link.type, from: from.id, to: to.id, annotator: gold });
    }
  });
  return adjudication(before, after);
}

/** Gold keeps nothing where an item or a link was rejected, and remembers the decision. */
function reject(layer: LayerFile, target: ComparisonItem | ComparedLink, itemById: ReadonlyMap<string, ComparisonItem>, goldFor: (item: ComparisonItem) => Annotation | null): void {
  if ('type' in target) {
    const from = goldFor(itemById.get(target.from)!);
    const to = goldFor(itemById.get(target.to)!);
    layer.relations = layer.relations.filter((r) => !(r.type === target.type && r.from === from?.id && r.to === to?.id));
  } else {
    const members = membersOf(target);
    // Every gold annotation matching the item goes, not only the best one.
    const gone = new Set<string>();
    for (let match = goldMatch(members, layer.annotations); match; match = goldMatch(members, layer.annotations.filter((g) => !gone.has(g.id)))) {
      gone.add(match.id);
    }
    layer.annotations = layer.annotations.filter((g) => !gone.has(g.id));
    layer.relations = layer.relations.filter((r) => !gone.has(r.from) && !gone.has(r.to));
  }
  layer.rejected = [...new Set([...(layer.rejected ?? []), target.id])].sort();
}

/** An edited version of a gold annotation: another label, boundaries (whitespace trimmed) or attribute values. */
async function editGold(store: ProjectStore, text: string, gold: string, before: LayerFile, action: Extract<Action, { kind: 'edit' }>): Promise<LayerFile> {
  const schema = store.project.schema;
  const target = before.annotations.find((g) => g.id === action.goldId);
  if (!target) throw new MarginError('not-found', `goldId: there is no annotation ${action.goldId} in the ${gold} layer of this document.`);
  const label = action.label ?? target.label;
  if (!schema.labels.some((l) => l.name === label)) throw new MarginError('bad-input', `label: "${label}" is not in this project's tag schema.`);
  let start = action.start ?? target.start;
  let end = action.end ?? target.end;
  while (start < end && /\s/u.test(text[start]!)) start++;
  while (end > start && /\s/u.test(text[end - 1]!)) end--;
  if (end > text.length || start >= end) throw new MarginError('bad-input', `start/end: ${start}–${end} is not a span of this document.`);
  const attributes = action.attributes ? editedAttributes(schema, label, target.attributes, action.attributes) : target.attributes;
  const now = new Date().toISOString();
  return store.updateLayer(gold, target.docId, (layer) => {
    layer.annotations = layer.annotations
      .map((g) => (g.id === target.id ? { ...g, label, start, end, quote: quoteAt(text, start, end), attributes, updatedAt: now } : g))
      .sort(byTextOrder);
  });
}
