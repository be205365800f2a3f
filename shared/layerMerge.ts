import type { LayerFile } from './model';
import { byTextOrder } from './spanOrder';

/**
 * Three-way merge of one layer file, record by record. `base` is the file as a writer last read
 * it, `ours` is that writer's change applied to `base`, `theirs` is what is on disk now (a git
 * pull, a sync drive, another window). The result starts from `theirs` and replays what `ours`
 * changed against `base`: records added or edited in ours are put in (ours wins a record both
 * edited, since it is the later user action), records ours deleted are taken out, everything
 * else `theirs` holds is kept. So no record acknowledged by either side is lost to a stale copy.
 */

type Keyed<T> = { items: readonly T[]; key: (item: T) => string };

function mergeRecords<T>(base: Keyed<T>, ours: Keyed<T>, theirs: Keyed<T>): T[] {
  const baseByKey = new Map(base.items.map((item) => [base.key(item), item]));
  const oursByKey = new Map(ours.items.map((item) => [ours.key(item), item]));
  const result = new Map(theirs.items.map((item) => [theirs.key(item), item]));
  for (const [key, item] of oursByKey) {
    const before = baseByKey.get(key);
    if (before === undefined || !sameJson(before, item)) result.set(key, item);
  }
  for (const key of baseByKey.keys()) if (!oursByKey.has(key)) result.delete(key);
  return [...result.values()];
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

const byId = <T extends { id: string }>(items: readonly T[] | undefined): Keyed<T> => ({ items: items ?? [], key: (item) => item.id });

const reviewKey = (r: { annotationId: string; reviewer: string }) => `${r.annotationId}\u0000${r.reviewer}`;

/** What a writer's change did to a scalar field: kept theirs unless ours changed it. */
function mergeField<T>(base: T, ours: T, theirs: T): T {
  return sameJson(base, ours) ? theirs : ours;
}

export function mergeLayer(base: LayerFile, ours: LayerFile, theirs: LayerFile): LayerFile {
  const merged: LayerFile = {
    ...theirs,
    annotations: mergeRecords(byId(base.annotations), byId(ours.annotations), byId(theirs.annotations)),
    relations: mergeRecords(byId(base.relations), byId(ours.relations), byId(theirs.relations)),
  };
  const status = mergeField(base.status, ours.status, theirs.status);
  if (status === undefined) delete merged.status;
  else merged.status = status;

  const orphans = mergeRecords(byId(base.orphans), byId(ours.orphans), byId(theirs.orphans));
  if (orphans.length > 0 || theirs.orphans !== undefined || ours.orphans !== undefined) merged.orphans = orphans;

  const reviews = mergeRecords(
    { items: base.reviews ?? [], key: reviewKey },
    { items: ours.reviews ?? [], key: reviewKey },
    { items: theirs.reviews ?? [], key: reviewKey },
  );
  if (reviews.length > 0 || theirs.reviews !== undefined || ours.reviews !== undefined) merged.reviews = reviews;

  const rejected = mergeRecords(
    { items: base.rejected ?? [], key: (k) => k },
    { items: ours.rejected ?? [], key: (k) => k },
    { items: theirs.rejected ?? [], key: (k) => k },
  ).sort();
  if (rejected.length > 0 || theirs.rejected !== undefined || ours.rejected !== undefined) merged.rejected = rejected;

  // Rejected suggestions: what either side rejected stays rejected, unless ours took it back (undo).
  const dismissed = mergeRecords(
    { items: base.dismissedSuggestions ?? [], key: (k) => k },
    { items: ours.dismissedSuggestions ?? [], key: (k) => k },
    { items: theirs.dismissedSuggestions ?? [], key: (k) => k },
  ).sort();
  if (dismissed.length > 0) merged.dismissedSuggestions = dismissed;
  else delete merged.dismissedSuggestions;

  merged.annotations.sort(byTextOrder);
  return merged;
}
