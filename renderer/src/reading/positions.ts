/**
 * Positions in a list by id, the map built on the first lookup: a list that is replaced on every
 * change but looked up only now and then (the selected annotation) costs nothing until then.
 */
export function positionsById(list: readonly { id: string }[]): (id: string | null) => number | undefined {
  let positions: Map<string, number> | null = null;
  const build = () => (positions ??= new Map(list.map((item, i) => [item.id, i])));
  // Built while the window is idle, so the first click or key after opening does not wait for it.
  if (list.length > 0 && typeof requestIdleCallback === 'function') requestIdleCallback(build);
  return (id) => (id === null ? undefined : build().get(id));
}
