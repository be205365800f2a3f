import { findAttributions } from './attribution';
import { findQuotedPassages } from './quoteMarks';
import { splitSentences } from './sentences';
import { resolveSpeakers } from './speakers';
import { type SuggestLabel, type SuggestOptions, type Suggestion } from './types';

export { SUGGEST_LABELS, Suggestion, SuggestLabel, SuggestOptions } from './types';

/**
 * Suggestions for one article: quotes (direct and indirect) with their sources and speakers,
 * claims with their claimants, events with type, date and place. Pure and synchronous: the same
 * function runs in a worker, in the CLI and in tests; nothing is fetched or loaded at run time.
 */
export function suggest(text: string, options: SuggestOptions = {}): Suggestion[] {
  const wanted = new Set<SuggestLabel>(options.labels ?? ['quote', 'source', 'claim', 'event']);
  const quotes = findQuotedPassages(text);
  const sentences = splitSentences(text, quotes);
  const attributions = findAttributions(text, sentences, quotes);
  const sources = attributions.flatMap((a) => (a.source ? [a.source] : []));
  const unique = [...new Map(sources.map((s) => [`${s.start}:${s.end}`, s])).values()].sort((a, b) => a.start - b.start);
  const speakers = resolveSpeakers(text, unique);
  const out: Suggestion[] = [];
  const sourceIds = new Map<string, { id: string; speaker: string }>();
  const needSources = wanted.has('source') || wanted.has('quote');
  if (needSources) {
    unique.forEach((s, i) => {
      const id = `s${i + 1}`;
      sourceIds.set(`${s.start}:${s.end}`, { id, speaker: speakers[i]! });
      if (wanted.has('source') || wanted.has('quote')) out.push({ id, label: 'source', start: s.start, end: s.end, attributes: {}, links: [] });
    });
  }
  if (wanted.has('quote')) {
    attributions.forEach((a, i) => {
      const src = a.source ? sourceIds.get(`${a.source.start}:${a.source.end}`) : undefined;
      out.push({
        id: `q${i + 1}`,
        label: 'quote',
        start: a.content.start,
        end: a.content.end,
        attributes: { kind: a.kind, ...(src ? { speaker: src.speaker } : {}) },
        links: src ? [{ type: 'attributed-to', to: src.id }] : [],
      });
    });
  }
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}
