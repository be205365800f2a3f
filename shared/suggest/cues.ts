import { NAMING_VERBS, REPORTING_FORMS, WEAK_VERBS } from './reportingVerbs';
import { QUOTE_TOKEN, type Word } from './words';

/** A reporting verb in a sentence: its token index (the last word of "pointed out") and base form. */
export interface Cue {
  index: number;
  first: number;
  base: string;
}

const PLURAL_SUBJECTS = new Set(['they', 'we', 'i', 'you', 'people', 'officials', 'sources', 'experts', 'critics', 'analysts', 'polls', 'democrats', 'republicans', 'supporters', 'opponents', 'advocates', 'aides', 'residents', 'witnesses', 'police', 'authorities', 'documents', 'records', 'data', 'studies', 'reports', 'economists', 'scientists', 'voters', 'lawmakers', 'leaders']);
const AUXILIARIES = new Set(['did', 'do', 'does', 'would', 'will', 'could', 'may', 'might', 'should', 'must', "didn't", "doesn't", "don't", 'didn’t', 'doesn’t', 'don’t', 'can', 'cannot']);

/** Does the clause after the verb look like reported content (that, a quote, a colon)? */
function introducesContent(tokens: readonly Word[], first: number, i: number): boolean {
  // “A,” the letter reads.
  for (let j = Math.max(0, first - 4); j < first; j++) if (tokens[j]!.lower === QUOTE_TOKEN) return true;
  for (let j = i + 1; j < Math.min(tokens.length, i + 4); j++) {
    const w = tokens[j]!.lower;
    if (w === 'that' || w === QUOTE_TOKEN || w === ':') return true;
  }
  return false;
}

export function findCues(tokens: readonly Word[]): Cue[] {
  const out: Cue[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const w = tokens[i]!.lower;
    const two = i + 1 < tokens.length ? `${w} ${tokens[i + 1]!.lower}` : '';
    let base = REPORTING_FORMS.get(two);
    let last = i + 1;
    if (!base) {
      base = REPORTING_FORMS.get(w);
      last = i;
    }
    if (!base) continue;
    const prev = tokens[i - 1]?.lower;
    // "to say", "declined to comment": infinitives report nothing said.
    if (prev === 'to') continue;
    // The bare form ("say", "argue") is a verb only after a plural subject or an auxiliary ("the claim" is a noun).
    if (w === base && !(prev !== undefined && (PLURAL_SUBJECTS.has(prev) || AUXILIARIES.has(prev) || /s$/.test(prev)))) continue;
    if (WEAK_VERBS.has(base) && !introducesContent(tokens, i, last)) continue;
    // "called her a “disgrace”": naming verbs report words only when the words are quoted.
    if (NAMING_VERBS.has(base) && !tokens.slice(last + 1).some((t) => t.lower === QUOTE_TOKEN)) continue;
    out.push({ index: last, first: i, base });
    i = last;
  }
  return out;
}
