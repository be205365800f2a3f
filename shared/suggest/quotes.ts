import type { Cue } from './cues';
import type { Source } from './speakers';
import type { Span } from './types';
import { REPORTING_FORMS } from './reportingVerbs';
import { isPunct, QUOTE_TOKEN, type Word } from './words';

/**
 * Direct quotes: the shapes news writing gives them, on a sentence's tokens (a quoted passage is
 * one token):
 *   “A,” he said.            “A,” said Jane Doe, a lawyer.        “A,” she said, “B.”
 *   He said: “A.”            She told reporters, “A.”
 * Returns the span from the first quote to the last one of the shape, marks included, or null
 * when the quotes are fragments inside reported speech (that is indirect.ts's case).
 */
export function directQuoteSpan(tokens: readonly Word[], cue: Cue, source: Source | null): Span | null {
  const quotes = tokens.map((t, i) => (t.lower === QUOTE_TOKEN ? i : -1)).filter((i) => i >= 0);
  if (quotes.length === 0) return null;
  const lead = firstContentToken(tokens);
  const sourceEnd = source ? tokens.findIndex((t) => t.start >= source.end) : -1;
  const phraseEnd = Math.max(cue.index, sourceEnd === -1 ? cue.index : sourceEnd - 1);
  const phraseStart = source && source.start < tokens[cue.first]!.start ? tokens.findIndex((t) => t.start >= source.start) : cue.first;
  // “A,” he said …: the sentence opens with the quote and the attribution follows it.
  if (quotes[0] === lead && quotes[0]! < phraseStart && subjectOnly(tokens, quotes[0]! + 1, phraseStart)) {
    const last = lastJoinedQuote(tokens, quotes, phraseStart, phraseEnd);
    return { start: tokens[quotes[0]!]!.start, end: tokens[last]!.end };
  }
  // He said: “A.” / She told reporters, “A.” / …, Trump boasted, “A.”: the quote follows the attribution and ends the sentence.
  const after = quotes.find((q) => q > phraseEnd);
  if (after !== undefined && after - phraseEnd <= 4 && endsSentence(tokens, quotes[quotes.length - 1]!)) {
    const between = tokens.slice(phraseEnd + 1, after);
    if (between.every((t) => isPunct(t) || /^\p{Lu}|^(reporters|journalists|the|a|him|her|them|me|us|audience|crowd|supporters)$/u.test(t.text))) {
      return { start: tokens[after]!.start, end: tokens[quotes[quotes.length - 1]!]!.end };
    }
  }
  // "Trump boasted during the debate, “That makes me smart,” when …": set off by a comma or colon, not ending the sentence.
  if (after !== undefined && after - phraseEnd <= 7 && /^[,:]$/.test(tokens[after - 1]!.text) && !tokens.slice(phraseEnd + 1, after).some((t) => t.lower === 'that')) {
    return { start: tokens[after]!.start, end: tokens[after]!.end };
  }
  return null;
}

/** The first token that is not a dash or a bracket. */
function firstContentToken(tokens: readonly Word[]): number {
  let i = 0;
  while (i < tokens.length && /^[—–(]$/.test(tokens[i]!.text)) i++;
  return i;
}

/** Between “A,” and "X said": punctuation, or the rest of a long subject the source did not take (a title, a garbled name). */
function subjectOnly(tokens: readonly Word[], from: number, to: number): boolean {
  if (onlyPunct(tokens, from, to)) return true;
  return to - from <= 8 && isPunct(tokens[from]) && !tokens.slice(from, to).some((t) => t.lower === QUOTE_TOKEN || /^[.;:]$/.test(t.text));
}

function onlyPunct(tokens: readonly Word[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isPunct(tokens[i])) return false;
  return true;
}

function endsSentence(tokens: readonly Word[], i: number): boolean {
  return onlyPunct(tokens, i + 1, tokens.length);
}

/** The last quote of “A,” he said, “B.”: the one right after the attribution phrase, if any. */
function lastJoinedQuote(tokens: readonly Word[], quotes: readonly number[], phraseStart: number, phraseEnd: number): number {
  let last = quotes[0]!;
  for (const q of quotes) {
    if (q < phraseStart) last = q;
    else if (q > phraseEnd) {
      // “A,” she said, “B.” / “A,” he told the host, “B.”: at most a short object, then a comma.
      // (", adding later, “B.”" is a second attribution, not the same quote.)
      const between = tokens.slice(phraseEnd + 1, q);
      if (q - phraseEnd <= 6 && (q === phraseEnd + 1 || isPunct(tokens[q - 1])) && !between.some((t) => t.lower === QUOTE_TOKEN || REPORTING_FORMS.has(t.lower))) last = q;
      break;
    }
  }
  return last;
}

/** A sentence made only of quoted passages (and punctuation): a continuation of the quote before it. */
export function isQuoteOnly(tokens: readonly Word[]): boolean {
  return tokens.length > 0 && tokens.some((t) => t.lower === QUOTE_TOKEN) && tokens.every((t) => t.lower === QUOTE_TOKEN || isPunct(t));
}

const DASHES = new Set(['―', '—', '–']);

/** “A.” ― Jane Doe: a quote signed with a dash, as readers' reactions and epigraphs are. */
export function dashSigned(tokens: readonly Word[]): { quote: Word; source: Span } | null {
  const q = tokens.findIndex((t) => t.lower === QUOTE_TOKEN);
  if (q !== 0 || tokens.length < 3) return null;
  const dash = tokens[q + 1]!;
  if (!DASHES.has(dash.text) || !/^\p{Lu}/u.test(tokens[q + 2]!.text)) return null;
  let e = q + 2;
  while (e + 1 < tokens.length && !isPunct(tokens[e + 1]) && e - q < 8) e++;
  return { quote: tokens[q]!, source: { start: tokens[q + 2]!.start, end: tokens[e]!.end } };
}
