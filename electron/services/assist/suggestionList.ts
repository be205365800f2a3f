import type { ApiResult, SuggestionView } from '../../../shared/api';
import type { Annotation } from '../../../shared/model';
import type { Suggestion, SuggestLabel } from '../../../shared/suggest';
import { propagatedSuggestions, suggestionKey, type TaggedCopy } from '../../../shared/suggest/propagate';
import { fittingAttributes } from '../editing/attributeValues';
import { nearDuplicatesOf } from '../intake/nearDuplicateIndex';
import { displayTitle, mergedMeta, metadataEditsOf } from '../store/documentMeta';
import type { ProjectStore } from '../store/projectStore';
import { publishedDay } from './suggest';
import { suggestPool } from './suggestPool';
import { labelOffered, suggestionsInForce } from './suggestionSettings';

/** Documents whose engine output is kept: re-listing after every accept must not run the engine again. */
const ENGINE_CACHE_SIZE = 20;

/**
 * The engine's suggestions per document, most recently used last, computed on the suggestion
 * thread (suggestPool.ts). A document's text never changes, so its output depends only on the
 * labels and the published day, which are in the key. The promise is kept, so a listing made while
 * the engine is still at work waits for that run; a document over the time limit keeps no
 * suggestions (its next listing does not wait out the limit again).
 */
class EngineCache {
  private readonly entries = new Map<string, Promise<Suggestion[]>>();

  get(docId: string, text: string, labels: readonly SuggestLabel[], publishedDate: string | undefined): Promise<Suggestion[]> {
    const key = `${docId}|${labels.join(',')}|${publishedDate ?? ''}`;
    let found = this.entries.get(key);
    if (found) this.entries.delete(key);
    else found = suggestPool().suggest(text, { labels: [...labels], ...(publishedDate ? { publishedDate } : {}) }).then((s) => s ?? []);
    this.entries.set(key, found);
    if (this.entries.size > ENGINE_CACHE_SIZE) this.entries.delete(this.entries.keys().next().value!);
    return found;
  }
}

const caches = new WeakMap<ProjectStore, EngineCache>();
function engineCacheOf(store: ProjectStore): EngineCache {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = new EngineCache()));
  return cache;
}

/** The engine's output as views: its local ids become keys, so links name other suggestions. */
function engineViews(text: string, suggestions: readonly Suggestion[]): SuggestionView[] {
  const keyOf = new Map(suggestions.map((s) => [s.id, suggestionKey(s)]));
  return suggestions.map((s) => ({
    key: keyOf.get(s.id)!,
    label: s.label,
    start: s.start,
    end: s.end,
    text: text.slice(s.start, s.end),
    attributes: { ...s.attributes },
    links: s.links.flatMap((l) => (keyOf.has(l.to) ? [{ type: l.type, to: keyOf.get(l.to)! }] : [])),
    from: { kind: 'engine' as const },
  }));
}

/** At least half of the two spans' union is shared: the analyst has tagged this already. */
export function coveredBy(s: { start: number; end: number }, a: { start: number; end: number }): boolean {
  const shared = Math.min(s.end, a.end) - Math.max(s.start, a.start);
  if (shared <= 0) return false;
  return shared * 2 >= Math.max(s.end, a.end) - Math.min(s.start, a.start);
}

/** What the caller tagged on the other copies of this story, most similar copy first. */
async function taggedCopies(store: ProjectStore, annotator: string, docId: string): Promise<TaggedCopy[]> {
  const copies: TaggedCopy[] = [];
  for (const match of await nearDuplicatesOf(store, docId)) {
    if (!store.hasDocument(match.id)) continue;
    const layer = await store.layerIfExists(annotator, match.id);
    if (!layer || layer.annotations.length === 0) continue;
    const header = store.documentHeader(match.id);
    const title = displayTitle(header, await metadataEditsOf(store).editsOrNone(match.id));
    copies.push({ docId: match.id, title, length: header.length, annotations: layer.annotations, relations: layer.relations });
  }
  return copies;
}

/** A key's parts; null when it is not `label:start:end`. */
export function parseSuggestionKey(key: string): { label: string; start: number; end: number } | null {
  const m = /^(.+):(\d{1,9}):(\d{1,9})$/.exec(key);
  return m ? { label: m[1]!, start: Number(m[2]), end: Number(m[3]) } : null;
}

export interface OfferedSuggestions extends ApiResult<'listSuggestions'> {
  /** As `suggestions`, with links also to suggestions not offered any more (tagged already): accepting one links it to that tag. */
  withAllLinks: SuggestionView[];
}

/**
 * The suggestions the caller is offered on a document now: the engine's and those propagated from
 * the caller's tags on copies of the story (a propagated one wins a key both give), less the
 * labels the setting or schema leaves out, those the caller rejected, and those one of the
 * caller's annotations of the same label already covers. Links the schema does not allow are
 * dropped, and in the list, links to a suggestion not in it.
 */
export async function offeredSuggestions(store: ProjectStore, annotator: string, docId: string): Promise<OfferedSuggestions> {
  const header = store.documentHeader(docId);
  const schema = store.project.schema;
  const inForce = suggestionsInForce(store.project.settings, schema);
  const layer = await store.layerIfExists(annotator, docId);
  const dismissed = new Set(layer?.dismissedSuggestions ?? []);
  if (!inForce.enabled) return { enabled: false, suggestions: [], withAllLinks: [], rejected: dismissed.size };

  const doc = await store.getDocument(docId);
  const published = publishedDay(mergedMeta(header, await metadataEditsOf(store).editsOrNone(docId)).published);
  const engine = inForce.labels.length > 0 ? engineViews(doc.text, await engineCacheOf(store).get(docId, doc.text, inForce.labels as SuggestLabel[], published)) : [];
  const propagated = propagatedSuggestions(doc.text, await taggedCopies(store, annotator, docId));
  // What the analyst tagged on a copy stands for the engine's proposal of nearly the same span
  // (one quote mark more or less): never both, or accepting all on screen would tag it twice.
  const byKey = new Map(engine.filter((s) => !propagated.some((p) => p.label === s.label && coveredBy(s, p))).map((s) => [s.key, s]));
  for (const p of propagated) byKey.set(p.key, p);

  const own = layer?.annotations ?? [];
  const tagged = (s: SuggestionView) => own.some((a: Annotation) => a.label === s.label && coveredBy(s, a));
  const allowed = (type: string, from: string, toKey: string) => {
    const to = parseSuggestionKey(toKey)?.label;
    return to !== undefined && schema.relations.some((r) => r.type === type && r.from.includes(from) && r.to.includes(to));
  };
  const withAllLinks = [...byKey.values()]
    .filter((s) => labelOffered(s.label, inForce, schema) && !dismissed.has(s.key) && !tagged(s))
    .map((s) => ({
      ...s,
      attributes: fittingAttributes(schema.labels.find((l) => l.name === s.label)!, s.attributes),
      links: s.links.filter((l) => allowed(l.type, s.label, l.to)),
    }))
    .sort((a, b) => a.start - b.start || b.end - a.end || a.key.localeCompare(b.key));
  const keys = new Set(withAllLinks.map((s) => s.key));
  const suggestions = withAllLinks.map((s) => ({ ...s, links: s.links.filter((l) => keys.has(l.to)) }));
  return { enabled: true, suggestions, withAllLinks, rejected: dismissed.size };
}

/** listSuggestions: what the caller is offered on the document now. */
export async function listSuggestions(store: ProjectStore, annotator: string, docId: string): Promise<ApiResult<'listSuggestions'>> {
  const { enabled, suggestions, rejected } = await offeredSuggestions(store, annotator, docId);
  return { enabled, suggestions, rejected };
}
