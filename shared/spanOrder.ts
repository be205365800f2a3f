import type { Annotation } from './model';

/** Text order for spans: by start, the longer (outer) first, then by creation and id so the order is total. */
export function byTextOrder(a: Annotation, b: Annotation): number {
  return a.start - b.start || b.end - a.end || a.createdAt.localeCompare(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
