/**
 * The reading view's rendered paragraphs: `<p data-index data-start data-end>` children of the
 * paragraph list, each holding one text node.
 */
export function renderedParagraphs(list: HTMLElement): Map<number, HTMLElement> {
  const rendered = new Map<number, HTMLElement>();
  for (const child of list.children) {
    if (child instanceof HTMLElement && child.dataset.index !== undefined) rendered.set(Number(child.dataset.index), child);
  }
  return rendered;
}

/** The index of the rendered paragraph holding `node`, or -1 when it is not inside one under `root`. */
export function paragraphIndexOf(root: HTMLElement, node: Node | null): number {
  const element = node instanceof Element ? node : (node?.parentElement ?? null);
  const paragraph = element?.closest<HTMLElement>('p[data-index]');
  return paragraph && root.contains(paragraph) ? Number(paragraph.dataset.index) : -1;
}
