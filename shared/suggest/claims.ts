import type { Attribution } from './attribution';
import { CLAIM_VERBS, STATING_VERBS } from './reportingVerbs';
import type { Sentence } from './sentences';
import type { Span } from './types';

/**
 * Claims: statements presented as fact by someone. Two signs: a claim verb introducing reported
 * content ("insisted that", "denied", "alleged") and checkable figures or comparisons ("42
 * percent", "$2 million", "more than", "the highest"). The claimant is the attribution's speaker.
 */
export interface FoundClaim extends Span {
  /** The attribution whose speaker makes the claim, when there is one. */
  attribution: number | null;
}

const FIGURES = /\d|\bpercent\b|%|\$|£|€|\b(?:more|less|fewer|higher|lower|larger|smaller|bigger|greater|worse|better|faster|slower|cheaper)\b[^.]{0,40}\bthan\b|\b(?:record|highest|lowest|largest|biggest|smallest|most|least|doubled|tripled|halved)\b|\b(?:million|billion|trillion|dozens|hundreds|thousands)\b/i;
function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /[\s.!?,;:]/u.test(text[e - 1]!)) e--;
  return e;
}

export function findClaims(text: string, sentences: readonly Sentence[], attributions: readonly Attribution[]): FoundClaim[] {
  const out: FoundClaim[] = [];
  const taken = new Set<number>();
  attributions.forEach((a, i) => {
    // A claim verb, or reported speech that states something as fact ("said that …", "…, the movement said").
    if (a.verb && (CLAIM_VERBS.has(a.verb) || (a.kind === 'indirect' && STATING_VERBS.has(a.verb)))) {
      out.push({ start: a.content.start, end: a.content.end, attribution: i });
      taken.add(a.sentence);
    }
  });
  sentences.forEach((s, index) => {
    if (taken.has(index)) return;
    const body = text.slice(s.start, s.end);
    // A figure that is only a date or a year ("on Sept. 11", "in 2016") is not a claim.
    const withoutDates = body.replace(/\b(?:19|20)\d{2}\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b/g, '');
    if (!FIGURES.test(withoutDates)) return;
    const inside = attributions.findIndex((a) => a.sentence === index);
    const a = inside === -1 ? null : attributions[inside]!;
    const span = a && a.content.end - a.content.start > 10 ? a.content : { start: s.start, end: trimEnd(text, s.start, s.end) };
    out.push({ ...span, attribution: inside === -1 ? null : inside });
  });
  return out.sort((x, y) => x.start - y.start);
}
