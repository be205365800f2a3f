import { randomUUID } from 'node:crypto';
import type { ApiResult } from '../../../shared/api';
import type { Annotation, Relation } from '../../../shared/model';
import { byTextOrder } from '../../../shared/spanOrder';
import { newAnnotation } from '../editing/annotationOps';
import { MarginError } from '../errors';
import type { ProjectStore } from '../store/projectStore';
import { offeredSuggestions, parseSuggestionKey } from './suggestionList';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * Makes the named suggestions the caller's annotations (origin "suggested"), as listSuggestions
 * offers them now, in one layer write. A key no longer offered refuses the whole call: the window
 * showed an older list (a colleague's sync, another window), and half an accept is worse than none.
 * A link becomes a relation when its target is accepted here or the caller's layer already holds
 * exactly that span with that label (accepted before).
 */
export async function acceptSuggestions(store: ProjectStore, annotator: string, docId: string, keys: readonly string[]): Promise<ApiResult<'acceptSuggestions'>> {
  const offer = await offeredSuggestions(store, annotator, docId);
  if (!offer.enabled) throw new MarginError('conflict', 'Suggestions are turned off for this project (Project settings), so none can be accepted.');
  const byKey = new Map(offer.withAllLinks.map((s) => [s.key, s]));
  const wanted = [...new Set(keys)];
  const gone = wanted.find((k) => !byKey.has(k));
  if (gone !== undefined) {
    throw new MarginError('conflict', `That suggestion is no longer offered (${gone}): it was rejected, tagged or changed meanwhile. Nothing was accepted; the list is shown again.`);
  }
  const doc = await store.getDocument(docId);
  const now = new Date().toISOString();
  const annotations: Annotation[] = wanted.map((key) => {
    const s = byKey.get(key)!;
    return { ...newAnnotation(doc, annotator, s.label, s.start, s.end, now), attributes: s.attributes, origin: 'suggested' };
  });
  const relations: Relation[] = [];
  await store.updateLayer(annotator, docId, (layer) => {
    layer.annotations = [...layer.annotations, ...annotations].sort(byTextOrder);
    const at = (key: string) => {
      const span = parseSuggestionKey(key);
      return span && layer.annotations.find((a) => a.label === span.label && a.start === span.start && a.end === span.end);
    };
    const linked = new Set(layer.relations.map((r) => `${r.type}\u0000${r.from}\u0000${r.to}`));
    wanted.forEach((key, i) => {
      for (const link of byKey.get(key)!.links) {
        const target = at(link.to);
        const from = annotations[i]!.id;
        if (!target || linked.has(`${link.type}\u0000${from}\u0000${target.id}`)) continue;
        linked.add(`${link.type}\u0000${from}\u0000${target.id}`);
        relations.push({ id: randomUUID(), type: link.type, from, to: target.id, annotator });
      }
    });
    layer.relations = [...layer.relations, ...relations];
  });
  return { annotations, relations };
}

/** Each key as `label:start:end` with start < end ≤ the text's length; refused naming the first that is not. */
function checkedKeys(keys: readonly string[], length: number): string[] {
  keys.forEach((key, i) => {
    const span = parseSuggestionKey(key);
    if (!span || span.start >= span.end || span.end > length) {
      throw new MarginError('bad-input', `keys.${i}: "${key}" is not a suggestion of this document (a key is label:start:end within its ${plural(length, 'character')})`);
    }
  });
  return [...new Set(keys)];
}

/**
 * Remembers rejected suggestions in the caller's layer (`dismissedSuggestions`), so they are not
 * offered again; with `forget`, takes them out again (undo). Returns the keys that changed.
 */
export async function rejectSuggestions(store: ProjectStore, annotator: string, docId: string, keys: readonly string[], forget = false): Promise<ApiResult<'rejectSuggestions'>> {
  const wanted = checkedKeys(keys, store.documentHeader(docId).length);
  let changed: string[] = [];
  await store.updateLayer(annotator, docId, (layer) => {
    const dismissed = new Set(layer.dismissedSuggestions ?? []);
    changed = wanted.filter((k) => dismissed.has(k) === forget);
    if (changed.length === 0) return;
    for (const key of changed) {
      if (forget) dismissed.delete(key);
      else dismissed.add(key);
    }
    // A new array: the store tells a change from the field's identity.
    if (dismissed.size > 0) layer.dismissedSuggestions = [...dismissed].sort();
    else delete layer.dismissedSuggestions;
  });
  return { rejected: changed };
}
