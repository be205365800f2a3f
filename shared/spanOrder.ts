import type { Annotation } from './model';

/** Text order for spans: by start, the longer (outer) first, then by creation and id so the order is total. */
export function byTextOrder(a: Annotation, b: Annotation): number {
  return a.start - b.start || b.end - a.end || a.createdAt.localeCompare(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** `spans` in text order: as they are when they already are (a layer is usually kept sorted), else a sorted copy. */
export function sortedInTextOrder(spans: Annotation[]): Annotation[] {
  for (let i = 1; i < spans.length; i++) if (byTextOrder(spans[i - 1]!, spans[i]!) > 0) return spans.sort(byTextOrder);
  return spans;
}
