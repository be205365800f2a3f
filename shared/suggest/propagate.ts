import { anchorQuote } from '../anchoring';
import type { SuggestionView } from '../api';
import type { Annotation, Relation } from '../model';

/** A suggestion's key: label and span, stable because a document's text never changes. */
export const suggestionKey = (s: { label: string; start: number; end: number }): string => `${s.label}:${s.start}:${s.end}`;

/** Another copy of the story (a near-duplicate) with what the analyst tagged on it. */
export interface TaggedCopy {
  docId: string;
  title: string;
  /** The copy's text length: a tag's position there, scaled to this text, is where its quote is looked for first. */
  length: number;
  annotations: readonly Annotation[];
  relations: readonly Relation[];
}

/**
 * "Tag once, propagate to the copies": the analyst's tags on other copies of a story, found again
 * in this text by their quote (exact, else approximate, as re-anchoring an import does), each
 * offered as a suggestion from that copy. A link between two tags that were both found becomes a
 * link between their suggestions. Copies come most similar first; a span two copies both offer
 * is offered once, from the first. Pure: the caller reads the copies.
 */
export function propagatedSuggestions(text: string, copies: readonly TaggedCopy[]): SuggestionView[] {
  const byKey = new Map<string, SuggestionView>();
  for (const copy of copies) {
    // The copy's annotation id → the key it was found at here (only those this copy placed).
    const placed = new Map<string, string>();
    const scale = copy.length > 0 ? text.length / copy.length : 1;
    for (const a of copy.annotations) {
      const hint = { start: Math.round(a.start * scale), end: Math.round(a.start * scale) + (a.end - a.start) };
      const anchor = anchorQuote(text, a.quote, hint);
      if (!anchor || anchor.end <= anchor.start) continue;
      const key = suggestionKey({ label: a.label, start: anchor.start, end: anchor.end });
      if (byKey.has(key)) continue;
      placed.set(a.id, key);
      byKey.set(key, {
        key,
        label: a.label,
        start: anchor.start,
        end: anchor.end,
        text: text.slice(anchor.start, anchor.end),
        attributes: { ...a.attributes },
        links: [],
        from: { kind: 'copy', docId: copy.docId, title: copy.title },
      });
    }
    for (const r of copy.relations) {
      const from = placed.get(r.from);
      const to = placed.get(r.to);
      if (from === undefined || to === undefined) continue;
      byKey.get(from)!.links.push({ type: r.type, to });
    }
  }
  return [...byKey.values()];
}
