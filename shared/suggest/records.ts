import { quoteAt } from '../anchoring';
import type { Annotation, Relation } from '../model';
import type { Suggestion } from './types';

/** The layer name suggestions carry when they are written out (never an analyst's layer). */
export const SUGGESTION_ANNOTATOR = 'suggested';

/**
 * Suggestions as Margin annotations and links, so the dataset exporters (JSONL's code-point
 * conversion among them) write them exactly as they write an analyst's work.
 */
export function suggestionRecords(docId: string, text: string, suggestions: readonly Suggestion[], at: string): { annotations: Annotation[]; relations: Relation[] } {
  const idOf = (s: Suggestion) => `${docId}-${s.id}`;
  const annotations: Annotation[] = suggestions.map((s) => ({
    id: idOf(s),
    docId,
    annotator: SUGGESTION_ANNOTATOR,
    label: s.label,
    start: s.start,
    end: s.end,
    quote: quoteAt(text, s.start, s.end),
    attributes: { ...s.attributes },
    createdAt: at,
    updatedAt: at,
  }));
  const present = new Set(suggestions.map((s) => s.id));
  const relations: Relation[] = suggestions.flatMap((s) =>
    s.links.filter((l) => present.has(l.to)).map((l) => ({ id: `${idOf(s)}-${l.to}`, type: l.type, from: idOf(s), to: `${docId}-${l.to}`, annotator: SUGGESTION_ANNOTATOR })),
  );
  return { annotations, relations };
}
