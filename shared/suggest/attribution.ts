import { findCues } from './cues';
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
  kind: 'direct' | 'indirect';
  /** The reporting verb's base form ("say"), or null (a continued quote, "according to"). */
  verb: string | null;
  sentence: number;
}

interface Found {
  content: Span;
  source: Source | null;
  kind: 'direct' | 'indirect';
  verb: string | null;
}

function attributeSentence(text: string, tokens: readonly Word[], sentence: Span): Found | null {
  for (const cue of findCues(tokens)) {
    const source = sourceBefore(tokens, cue.first) ?? sourceAfter(tokens, cue.index);
    if (!source) continue;
    const direct = directQuoteSpan(tokens, cue, source);
    if (direct) return { content: direct, source, kind: 'direct', verb: cue.base };
    const content = indirectContent(text, tokens, sentence, cue, source);
    if (content) return { content, source, kind: 'indirect', verb: cue.base };
  }
  const according = accordingTo(text, tokens, sentence);
  if (according) return { ...according, kind: 'indirect', verb: null };
  return null;
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
    if (found) {
      last = { ...found, sentence: index };
      out.push(last);
    }
  }
  return out;
}
