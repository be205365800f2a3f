import { findAttributions } from './attribution';
import { findClaims } from './claims';
import { findEvents } from './events';
import { findQuotedPassages } from './quoteMarks';
import { splitSentences } from './sentences';
import { resolveSpeakers } from './speakers';
import { type SuggestLabel, type SuggestOptions, type Suggestion } from './types';

export { SUGGEST_LABELS, Suggestion, SuggestLabel, SuggestOptions } from './types';

const key = (s: { start: number; end: number }) => `${s.start}:${s.end}`;

/**
 * Suggestions for one article: quotes (direct and indirect) with their sources and speakers,
 * claims with their claimants, events with type, date and place. Pure and synchronous: the same
 * function runs in a worker, in the CLI and in tests; nothing is fetched or loaded at run time.
 */
export function suggest(text: string, options: SuggestOptions = {}): Suggestion[] {
  const wanted = new Set<SuggestLabel>(options.labels ?? ['quote', 'source', 'claim', 'event']);
  const quotes = findQuotedPassages(text);
  const sentences = splitSentences(text, quotes);
  const out: Suggestion[] = [];
  if (wanted.has('quote') || wanted.has('source') || wanted.has('claim')) {
    const attributions = findAttributions(text, sentences, quotes);
    const claims = wanted.has('claim') ? findClaims(text, sentences, attributions) : [];
    // Sources of the quotes (and of the claims) asked for, each once, in text order.
    const cited = new Set<number>([...(wanted.has('quote') || wanted.has('source') ? attributions.keys() : []), ...claims.flatMap((c) => (c.attribution === null ? [] : [c.attribution]))]);
    const sources = [...new Map(attributions.flatMap((a, i) => (a.source && cited.has(i) ? [[key(a.source), a.source] as const] : []))).values()].sort((a, b) => a.start - b.start);
    // Best names need every source in order (a pronoun looks back), even those not written out.
    const allSources = [...new Map(attributions.flatMap((a) => (a.source ? [[key(a.source), a.source] as const] : []))).values()].sort((a, b) => a.start - b.start);
    const names = new Map(resolveSpeakers(text, allSources).map((name, i) => [key(allSources[i]!), name]));
    const sourceId = new Map(sources.map((s, i) => [key(s), `s${i + 1}`]));
    const linkTo = (i: number | null) => {
      const src = i === null ? null : attributions[i]!.source;
      return src ? { id: sourceId.get(key(src))!, name: names.get(key(src))! } : null;
    };
    for (const s of sources) out.push({ id: sourceId.get(key(s))!, label: 'source', start: s.start, end: s.end, attributes: {}, links: [] });
    if (wanted.has('quote')) {
      attributions.forEach((a, i) => {
        const src = linkTo(i);
        out.push({ id: `q${i + 1}`, label: 'quote', start: a.content.start, end: a.content.end, attributes: { kind: a.kind, ...(src ? { speaker: src.name } : {}) }, links: src ? [{ type: 'attributed-to', to: src.id }] : [] });
      });
    }
    claims.forEach((c, i) => {
      const src = linkTo(c.attribution);
      out.push({ id: `c${i + 1}`, label: 'claim', start: c.start, end: c.end, attributes: src ? { claimant: src.name } : {}, links: src ? [{ type: 'attributed-to', to: src.id }] : [] });
    });
  }
  if (wanted.has('event')) {
    findEvents(text, sentences, quotes, options.publishedDate).forEach((e, i) => {
      const { start, end, ...attributes } = e;
      out.push({ id: `e${i + 1}`, label: 'event', start, end, attributes, links: [] });
    });
  }
  return out.sort((a, b) => a.start - b.start || b.end - a.end || a.id.localeCompare(b.id));
}
