import { anchorQuote } from './anchoring';
import type { Comparison, SpanStatus } from './api';
import type { Annotation, AttributeValue, Relation } from './model';

/**
 * Comparing annotators' layers of one document, span by span (pure: no fs).
 *
 * Counterparts. Two annotations of DIFFERENT annotators are counterparts when they have the same
 * span (start and end, any label), or when their spans overlap and they have the same label.
 * Overlapping spans with different labels AND different boundaries are not counterparts: a
 * quote nested in a colleague's claim is a separate thing, not a disagreement about it.
 *
 * Items. An item is a cluster of annotations, at most one per annotator, in which every two
 * members are counterparts. Clusters are built greedily, best match first: every counterpart
 * pair is scored (same span and label 4, same span other label 3, overlapping same label
 * 1 + overlap/union), pairs are taken in descending score (ties: text order, then ids), and a
 * pair's clusters are merged when the result still has one annotation per annotator and all its
 * members are pairwise counterparts. Every annotation ends in exactly one item.
 *
 * Status of an item, in this order:
 *   - 'label-conflict'    the members' labels differ (then all members have the same span);
 *   - 'boundary-conflict' the members' spans differ (then all have the same label);
 *   - 'agreed'            same span, same label, and EVERY compared annotator has it;
 *   - 'only-one'          same span and label, but only some annotators have it (often one).
 *
 * Item span: the smallest start and largest end of its members. Item id (stable, used to record
 * rejections): `${start}-${end}-${labels}` with the members' distinct labels sorted and joined by
 * '|'; a second item with the same key gets `~2`, a third `~3` (in text order).
 *
 * Gold: the gold annotation matching the item: the same span as a member with one of the
 * members' labels, else the same span as a member (an edited label), else the largest overlap
 * with a member of the same label. Resolved: gold has such an annotation or the item id is in
 * the gold layer's rejected list.
 *
 * Items are sorted by start, the longer first, then id.
 *
 * Attribute differences: on an item whose members share one label (any status but a label
 * conflict), the names of the attributes whose values are not the same on every member.
 *
 * Links. A relation of an annotator whose two ends are both in items stands for a link from the
 * one item to the other; relations of the same type between the same two items (in the same
 * direction) are one link, whoever drew them. It is 'agreed' when every compared annotator drew
 * it, otherwise 'only-one'. Its gold is the gold layer's relation of that type from the from
 * item's gold annotation to the to item's; resolved as for items (gold has it, or its id is in
 * the rejected list). Links are sorted by the from item's start, then the to item's, then id.
 */

export interface ComparedLayer {
  annotator: string;
  annotations: readonly Annotation[];
  /** Annotations the layer already knows cannot be placed (imported orphans). */
  orphans?: readonly { label: string; quote: { exact: string }; reason: string }[];
  /** The layer's links (relations between its annotations). */
  relations?: readonly Relation[];
}

export type ComparisonItem = Comparison['items'][number];
export type Unplaced = Comparison['unplaced'][number];
export type ComparedLink = Comparison['links'][number];

const overlaps = (a: Annotation, b: Annotation) => a.start < b.end && b.start < a.end;
const sameSpan = (a: Annotation, b: Annotation) => a.start === b.start && a.end === b.end;

/** Whether two annotations (of different annotators) can stand in one item. */
export function counterparts(a: Annotation, b: Annotation): boolean {
  return sameSpan(a, b) || (a.label === b.label && overlaps(a, b));
}

function jaccard(a: Annotation, b: Annotation): number {
  const inter = Math.min(a.end, b.end) - Math.max(a.start, b.start);
  const union = Math.max(a.end, b.end) - Math.min(a.start, b.start);
  return union > 0 ? Math.max(0, inter) / union : 0;
}

function pairScore(a: Annotation, b: Annotation): number {
  if (sameSpan(a, b)) return a.label === b.label ? 4 : 3;
  return 1 + jaccard(a, b);
}

function attributeEqual(x: AttributeValue | undefined, y: AttributeValue | undefined): boolean {
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => v === y[i]);
  return x === y;
}

/** Names of the attributes whose values are not the same on all the given annotations (absent counts as a value). */
export function attributeDifferences(members: readonly Annotation[]): string[] {
  const names = new Set(members.flatMap((m) => Object.keys(m.attributes)));
  return [...names].filter((n) => members.some((m) => !attributeEqual(m.attributes[n], members[0]!.attributes[n]))).sort();
}

/** The attributes all the given annotations agree on. */
export function agreedAttributes(members: readonly Annotation[]): Annotation['attributes'] {
  const differ = new Set(attributeDifferences(members));
  return Object.fromEntries(Object.entries(members[0]?.attributes ?? {}).filter(([n]) => !differ.has(n)));
}

/**
 * Moves annotations whose offsets no longer hold their quote to where the quote is now;
 * what cannot be placed is returned apart, with the reason.
 */
export function placeAnnotations(
  text: string,
  layer: ComparedLayer,
): { placed: Annotation[]; unplaced: Unplaced[] } {
  const placed: Annotation[] = [];
  const unplaced: Unplaced[] = [];
  for (const a of layer.annotations) {
    if (a.end > a.start && a.end <= text.length && text.slice(a.start, a.end) === a.quote.exact) {
      placed.push(a);
      continue;
    }
    const anchor = anchorQuote(text, a.quote, { start: a.start, end: a.end });
    if (anchor) placed.push({ ...a, start: anchor.start, end: anchor.end });
    else unplaced.push({ annotator: layer.annotator, label: a.label, exact: a.quote.exact, reason: 'its quote is no longer in this text (made against another version of it)' });
  }
  for (const o of layer.orphans ?? []) {
    unplaced.push({ annotator: layer.annotator, label: o.label, exact: o.quote.exact, reason: `orphan: ${o.reason}` });
  }
  return { placed, unplaced };
}

const byText = (a: Annotation, b: Annotation) => a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Clusters annotations into items (see the notes at the top). Each cluster lists its members. */
export function clusterAnnotations(annotations: readonly Annotation[]): Annotation[][] {
  const sorted = [...annotations].sort(byText);
  const clusterOf = new Map<Annotation, Annotation[]>(sorted.map((a) => [a, [a]]));
  const pairs: { a: Annotation; b: Annotation; score: number; i: number; j: number }[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i]!;
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j]!;
      if (b.start >= a.end) break; // sorted by start: nothing further overlaps a
      if (a.annotator !== b.annotator && counterparts(a, b)) pairs.push({ a, b, score: pairScore(a, b), i, j });
    }
  }
  pairs.sort((p, q) => q.score - p.score || p.i - q.i || p.j - q.j);
  for (const { a, b } of pairs) {
    const ca = clusterOf.get(a)!;
    const cb = clusterOf.get(b)!;
    if (ca === cb) continue;
    const annotators = new Set(ca.map((m) => m.annotator));
    if (cb.some((m) => annotators.has(m.annotator))) continue;
    if (!ca.every((x) => cb.every((y) => counterparts(x, y)))) continue;
    const merged = [...ca, ...cb];
    for (const m of merged) clusterOf.set(m, merged);
  }
  const clusters = [...new Set(clusterOf.values())];
  for (const c of clusters) c.sort(byText);
  return clusters;
}

function statusOf(members: readonly Annotation[], annotatorCount: number): SpanStatus {
  const first = members[0]!;
  if (members.some((m) => m.label !== first.label)) return 'label-conflict';
  if (members.some((m) => !sameSpan(m, first))) return 'boundary-conflict';
  return new Set(members.map((m) => m.annotator)).size >= annotatorCount ? 'agreed' : 'only-one';
}

/** The stable key of an item with these members (before disambiguation of equal keys). */
export function itemKey(members: readonly Pick<Annotation, 'start' | 'end' | 'label'>[]): string {
  const start = Math.min(...members.map((m) => m.start));
  const end = Math.max(...members.map((m) => m.end));
  const labels = [...new Set(members.map((m) => m.label))].sort();
  return `${start}-${end}-${labels.join('|')}`;
}

/** The gold annotation standing for these members, or null (see the notes at the top). */
export function goldMatch(members: readonly Annotation[], gold: readonly Annotation[]): Annotation | null {
  const labels = new Set(members.map((m) => m.label));
  const sameSpanGold = gold.filter((g) => members.some((m) => sameSpan(g, m)));
  const exact = sameSpanGold.find((g) => labels.has(g.label));
  if (exact) return exact;
  if (sameSpanGold[0]) return sameSpanGold[0];
  let best: { g: Annotation; score: number } | null = null;
  for (const g of gold) {
    for (const m of members) {
      if (g.label !== m.label || !overlaps(g, m)) continue;
      const score = jaccard(g, m);
      if (!best || score > best.score) best = { g, score };
    }
  }
  return best?.g ?? null;
}

/** The id of the link of this type from one item to another. */
export function linkId(from: string, type: string, to: string): string {
  return `link:${from}>${type}>${to}`;
}

/** The gold relation standing for a link between two items, or null. */
export function goldLink(type: string, from: ComparisonItem, to: ComparisonItem, goldRelations: readonly Relation[]): Relation | null {
  if (!from.gold || !to.gold) return null;
  return goldRelations.find((r) => r.type === type && r.from === from.gold!.id && r.to === to.gold!.id) ?? null;
}

/** The compared layers' links, item to item (see the notes at the top). */
function compareLinks(items: readonly ComparisonItem[], layers: readonly ComparedLayer[], goldRelations: readonly Relation[], rejected: ReadonlySet<string>): ComparedLink[] {
  // Keyed by annotator too: layers imported from other tools may reuse ids ("T1") across annotators.
  const key = (annotator: string, id: string) => `${annotator}\u0000${id}`;
  const itemOf = new Map<string, ComparisonItem>();
  for (const item of items) for (const [annotator, a] of Object.entries(item.byAnnotator)) itemOf.set(key(annotator, a.id), item);
  const links = new Map<string, { type: string; from: ComparisonItem; to: ComparisonItem; byAnnotator: Record<string, Relation> }>();
  for (const layer of layers) {
    for (const r of layer.relations ?? []) {
      const from = itemOf.get(key(layer.annotator, r.from));
      const to = itemOf.get(key(layer.annotator, r.to));
      if (!from || !to) continue; // an end that could not be placed: not compared
      const id = linkId(from.id, r.type, to.id);
      const link = links.get(id) ?? { type: r.type, from, to, byAnnotator: {} };
      link.byAnnotator[layer.annotator] ??= r;
      links.set(id, link);
    }
  }
  const byText = (x: { from: ComparisonItem; to: ComparisonItem }, y: { from: ComparisonItem; to: ComparisonItem }) => x.from.start - y.from.start || x.to.start - y.to.start;
  return [...links]
    .sort(([idX, x], [idY, y]) => byText(x, y) || (idX < idY ? -1 : idX > idY ? 1 : 0))
    .map(([id, { type, from, to, byAnnotator }]): ComparedLink => {
      const gold = goldLink(type, from, to, goldRelations);
      return {
        id,
        type,
        from: from.id,
        to: to.id,
        status: Object.keys(byAnnotator).length >= layers.length ? 'agreed' : 'only-one',
        byAnnotator,
        gold,
        resolved: gold !== null || rejected.has(id),
      };
    });
}

/**
 * Compares the layers of the given annotators (their order is kept in `annotators`) on one
 * text. `gold` is the gold layer's annotations, `rejected` its rejected item and link ids and
 * `goldRelations` its links.
 */
export function compareLayers(
  text: string,
  layers: readonly ComparedLayer[],
  gold: readonly Annotation[],
  rejected: readonly string[] = [],
  goldRelations: readonly Relation[] = [],
): Comparison {
  const unplaced: Unplaced[] = [];
  const all: Annotation[] = [];
  for (const layer of layers) {
    const placed = placeAnnotations(text, layer);
    // An annotation carries its layer's name (a layer imported under another name may not).
    all.push(...placed.placed.map((a) => (a.annotator === layer.annotator ? a : { ...a, annotator: layer.annotator })));
    unplaced.push(...placed.unplaced);
  }
  const annotators = layers.map((l) => l.annotator);
  const rejectedSet = new Set(rejected);
  const seen = new Map<string, number>();
  const items = clusterAnnotations(all)
    .map((members) => ({ members, key: itemKey(members), start: Math.min(...members.map((m) => m.start)), end: Math.max(...members.map((m) => m.end)) }))
    .sort((x, y) => x.start - y.start || y.end - x.end || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0) || byText(x.members[0]!, y.members[0]!))
    .map(({ members, key, start, end }): ComparisonItem => {
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      const id = n === 1 ? key : `${key}~${n}`;
      const status = statusOf(members, annotators.length);
      const match = goldMatch(members, gold);
      return {
        id,
        status,
        start,
        end,
        byAnnotator: Object.fromEntries(members.map((m) => [m.annotator, m])),
        attributeDifferences: status === 'label-conflict' ? [] : attributeDifferences(members),
        gold: match,
        resolved: match !== null || rejectedSet.has(id),
      };
    });
  return { annotators, items, unplaced, links: compareLinks(items, layers, goldRelations, rejectedSet) };
}
