import { createHash } from 'node:crypto';
import { NearDuplicateIndex, type NearMatch } from '../../../shared/nearDuplicates';
import type { ProjectStore } from '../store/projectStore';

/**
 * The near-duplicate index of an open project: built from every document's text the first time
 * an import needs it (each signature computed once and kept by docId), then kept up to date as
 * documents are imported. Documents never change after import, so a signature never goes stale.
 *
 * Listing and showing documents need only the matches, not the index: those are saved with the
 * project index for exactly the set of documents they were found among, so opening a big project
 * does not read every article to show which are near-duplicates.
 */
const perStore = new WeakMap<ProjectStore, { index: NearDuplicateIndex; filling: Promise<void> }>();

export async function nearDuplicateIndexOf(store: ProjectStore): Promise<NearDuplicateIndex> {
  let live = perStore.get(store);
  if (!live) perStore.set(store, (live = { index: new NearDuplicateIndex(), filling: Promise.resolve() }));
  const { index } = live;
  // One filling at a time: two requests must not both add the same document.
  live.filling = live.filling.then(async () => {
    if (index.size === store.documentCount) return;
    for (const doc of [...store.documentHeaders()]) if (!index.has(doc.id)) index.add(doc.id, (await store.getDocument(doc.id)).text);
  });
  await live.filling;
  return index;
}

/** A deleted document leaves the live index (a restored one is added back when the index is next filled). */
export function forgetNearDuplicate(store: ProjectStore, docId: string): void {
  perStore.get(store)?.index.remove(docId);
}

const setKeys = new WeakMap<ProjectStore, { version: number; key: string }>();

/** Names the set of documents near-duplicate matches were found among (computed once per change of that set). */
function documentSetKey(store: ProjectStore): string {
  const known = setKeys.get(store);
  if (known?.version === store.documentsVersion) return known.key;
  const hash = createHash('sha1');
  for (const id of [...store.documentHeaders()].map((d) => d.id).sort()) hash.update(id);
  const key = hash.digest('hex');
  setKeys.set(store, { version: store.documentsVersion, key });
  return key;
}

/** Every document's near-duplicates, most similar first: from the saved matches when they are for these documents. */
export async function nearDuplicateMatches(store: ProjectStore): Promise<(docId: string) => NearMatch[]> {
  const key = documentSetKey(store);
  const live = perStore.get(store)?.index;
  if (!live || live.size !== store.documentCount) {
    const saved = store.savedNearDuplicates(key);
    if (saved) return (docId) => saved[docId] ?? [];
  }
  const index = await nearDuplicateIndexOf(store);
  if (!store.savedNearDuplicates(key)) {
    const matches: Record<string, NearMatch[]> = {};
    for (const doc of store.documentHeaders()) {
      const found = index.matchesOf(doc.id);
      if (found.length > 0) matches[doc.id] = found;
    }
    store.saveNearDuplicates(key, matches);
  }
  return (docId) => index.matchesOf(docId);
}

/** A document's near-duplicates in the project, most similar first. */
export async function nearDuplicatesOf(store: ProjectStore, docId: string): Promise<NearMatch[]> {
  return (await nearDuplicateMatches(store))(docId);
}
