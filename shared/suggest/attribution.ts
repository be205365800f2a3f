import { type Cue, findCues } from './cues';
import { accordingTo, indirectContent } from './indirect';
import { dashSigned, directQuoteSpan, isQuoteOnly } from './quotes';
import type { QuotedPassage } from './quoteMarks';
import type { Sentence } from './sentences';
import { type Source, sourceAfter, sourceBefore } from './speakers';
import type { Span } from './types';
import { tokensWithQuotes, type Word } from './words';

/** One attribution: what was said (content), who said it (source, when found) and how. */
export interface Attribution {
  content: Span;
  source: Source | null;
  kind: 'direct' | 'indirect' | 'partial';
  /** The reporting verb's base form ("say"), or null (a continued quote, "according to"). */
  verb: string | null;
  sentence: number;
}

/** Fewer quoted words are titles, names and scare quotes more often than someone's words (measured: 4 words keeps precision on news). */
const MIN_PARTIAL_WORDS = 4;

interface Found {
  content: Span;
  source: Source | null;
  kind: 'direct' | 'indirect';
  verb: string | null;
}

function attributeSentence(text: string, tokens: readonly Word[], sentence: Span): Found[] {
  const cues = findCues(tokens);
  for (const cue of cues) {
    const source = sourceBefore(tokens, cue.first) ?? sourceAfter(tokens, cue.index);
    if (!source) continue;
    const direct = directQuoteSpan(tokens, cue, source);
    const found: Found | null = direct
      ? { content: direct, source, kind: 'direct', verb: cue.base }
      : (() => {
          const content = indirectContent(text, tokens, sentence, cue, source);
          return content ? { content, source, kind: 'indirect' as const, verb: cue.base } : null;
        })();
    if (!found) continue;
    return [found, ...followUps(text, tokens, sentence, cues, found)];
  }
  const according = accordingTo(text, tokens, sentence);
  return according ? [{ ...according, kind: 'indirect', verb: null }] : [];
}

/** ", adding that …", "and said …", "saying …": a second reporting verb of the same speaker after the first content. */
function followUps(text: string, tokens: readonly Word[], sentence: Span, cues: readonly Cue[], first: Found): Found[] {
  const out: Found[] = [];
  for (const cue of cues) {
    if (tokens[cue.first]!.start < first.content.end) continue;
    const prev = tokens[cue.first - 1]?.lower;
    if (!(/ing$/.test(tokens[cue.first]!.lower) || prev === 'and' || prev === ',')) continue;
    const content = indirectContent(text, tokens.slice(0), { start: tokens[cue.index]!.end, end: sentence.end }, cue, null);
    if (content && content.start > tokens[cue.index]!.start) out.push({ content, source: first.source, kind: text.slice(content.start, content.end).match(/^["“«]/) ? 'direct' : 'indirect', verb: cue.base });
    break;
  }
  return out;
}

/**
 * Attributions of an article, sentence by sentence. A sentence made only of a quote continues
 * the direct quote just before it in the same paragraph (“A,” he said. “B.” is one quote) or,
 * opening a paragraph, is a new quote by the same speaker.
 */
export function findAttributions(text: string, sentences: readonly Sentence[], quotes: readonly QuotedPassage[]): Attribution[] {
  const out: Attribution[] = [];
  let last: Attribution | null = null;
  let q = 0;
  for (const [index, sentence] of sentences.entries()) {
    while (q < quotes.length && quotes[q]!.end <= sentence.start) q++;
    const inside: Span[] = [];
    for (let j = q; j < quotes.length && quotes[j]!.start < sentence.end; j++) inside.push(quotes[j]!);
    const tokens = tokensWithQuotes(text, sentence.start, sentence.end, inside);
    const signed = dashSigned(tokens);
    if (signed) {
      last = { content: { start: signed.quote.start, end: signed.quote.end }, source: { ...signed.source, kind: 'name' }, kind: 'direct', verb: null, sentence: index };
      out.push(last);
      continue;
    }
    if (isQuoteOnly(tokens)) {
      const quoteEnd = inside[inside.length - 1]!.end;
      if (last && last.kind === 'direct' && last.sentence === index - 1) {
        last.content = { start: last.content.start, end: quoteEnd };
        last.sentence = index;
        continue;
      }
      // A quote standing alone: the speaker is the one quoted last (news quotes one voice at a time).
      last = { content: { start: inside[0]!.start, end: quoteEnd }, source: last?.source ?? null, kind: 'direct', verb: null, sentence: index };
      out.push(last);
      continue;
    }
    const found = attributeSentence(text, tokens, sentence);
    if (found.length > 0) {
      for (const f of found) {
        last = { ...f, sentence: index };
        out.push(last);
      }
    } else {
      // Quoted words inside a sentence with no attribution of its own ("the “phony system”"): partial quotes of the voice quoted last.
      for (const q of inside) {
        if (text.slice(q.start, q.end).trim().split(/\s+/).length < MIN_PARTIAL_WORDS) continue;
        out.push({ content: { start: q.start, end: q.end }, source: last?.source ?? null, kind: 'partial', verb: null, sentence: index });
      }
    }
  }
  return out;
}
