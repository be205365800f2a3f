import { NearDuplicateIndex, type NearMatch } from '../../../shared/nearDuplicates';
import type { ProjectStore } from '../store/projectStore';

/**
 * The near-duplicate index of an open project: built from every document the first time it is
 * needed (each document's signature computed once and kept by docId), then kept up to date as
 * documents are imported. Documents never change after import, so a signature never goes stale.
 */
const perStore = new WeakMap<ProjectStore, NearDuplicateIndex>();

export function nearDuplicateIndexOf(store: ProjectStore): NearDuplicateIndex {
  let index = perStore.get(store);
  if (!index) perStore.set(store, (index = new NearDuplicateIndex()));
  if (index.size !== store.documentCount) {
    for (const doc of store.documentRecords()) if (!index.has(doc.id)) index.add(doc.id, doc.text);
  }
  return index;
}

/** A document's near-duplicates in the project, most similar first. */
export function nearDuplicatesOf(store: ProjectStore, docId: string): NearMatch[] {
  return nearDuplicateIndexOf(store).matchesOf(docId);
}
