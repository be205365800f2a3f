import { priorityOf } from './names';

/**
 * The highlights one view paints, kept registered in CSS.highlights while they hold a range and
 * only then: a name without ranges is not left behind, and adding or removing one range never
 * rebuilds a whole highlight.
 */
export class HighlightSet {
  private readonly byName = new Map<string, Highlight>();

  add(name: string, range: AbstractRange): void {
    let highlight = this.byName.get(name);
    if (!highlight) {
      highlight = new Highlight();
      highlight.priority = priorityOf(name);
      this.byName.set(name, highlight);
    }
    highlight.add(range);
    if (highlight.size === 1) CSS.highlights.set(name, highlight);
  }

  delete(name: string, range: AbstractRange): void {
    const highlight = this.byName.get(name);
    if (!highlight?.delete(range) || highlight.size > 0) return;
    if (CSS.highlights.get(name) === highlight) CSS.highlights.delete(name);
  }

  /** Unregisters everything this set painted, and nothing another view may have registered since. */
  clear(): void {
    for (const [name, highlight] of this.byName) {
      highlight.clear();
      if (CSS.highlights.get(name) === highlight) CSS.highlights.delete(name);
    }
    this.byName.clear();
  }
}
