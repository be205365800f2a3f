import { type Cue, findCues } from './cues';
import { NAMING_VERBS, TELLING_VERBS } from './reportingVerbs';
import { PRONOUNS, type Source, sourceFrom } from './speakers';
import type { Span } from './types';
import { isCapitalized, isPunct, QUOTE_TOKEN, type Word } from './words';

/**
 * Reported speech: the content of "X said (that) …", "…, X said.", "according to X, …" and
 * "X told reporters …" in one sentence. Content follows the usual annotation convention: it
 * starts at "that" when there is one, excludes the comma before the attribution and the
 * sentence's final punctuation (a closing quote mark stays).
 */

/** Words after the verb that are not the content: when and how it was said. */
const CIRCUMSTANCE = new Set(['on', 'in', 'at', 'during', 'last', 'this', 'earlier', 'later', 'recently', 'again', 'also', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'yesterday', 'today', 'tonight', 'publicly', 'privately', 'repeatedly', 'previously', 'then', 'once', 'late', 'early', 'flatly', 'bluntly']);

const MIN_WORDS = 3;
/** Words that never open what a reporting verb reports. */
const NOT_AFTER_VERB = new Set(['of', 'for', 'by', 'from', 'with', 'into', 'and', 'or', 'is', 'was', 'are', 'were', 'has', 'have', 'had', 'as', 'when', 'while', 'before', 'after', 'because', 'since', 'until']);

/** Trims trailing whitespace and sentence punctuation (not a closing quote mark). */
export function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /[\s\u00a0.!?,;:—–]/u.test(text[e - 1]!)) e--;
  return e;
}

function wordCount(tokens: readonly Word[], from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (!isPunct(tokens[i])) n += tokens[i]!.lower === QUOTE_TOKEN ? 2 : 1;
  return n;
}

/** Where the content after a verb starts: at "that", or past circumstances and a telling verb's object. */
function contentStartAfter(tokens: readonly Word[], cue: Cue, source: Source | null): number {
  let i = cue.index + 1;
  // An inverted subject ("said the official that") is not content.
  if (source && source.start > tokens[cue.index]!.start) {
    while (i < tokens.length && tokens[i]!.start < source.end) i++;
  }
  // "reports of the explosion": a noun, not a reporting verb.
  if (i < tokens.length && NOT_AFTER_VERB.has(tokens[i]!.lower)) return -1;
  const that = tokens.findIndex((t, j) => j >= i && j <= i + 8 && t.lower === 'that');
  if (that !== -1 && !tokens.slice(i, that).some((t) => t.lower === QUOTE_TOKEN || t.text === ';')) return that;
  if (TELLING_VERBS.has(cue.base)) {
    // The one told: a pronoun, a name or a short noun phrase.
    if (i < tokens.length && (PRONOUNS.has(tokens[i]!.lower) || ['him', 'her', 'them', 'me', 'us', 'reporters', 'journalists'].includes(tokens[i]!.lower))) i++;
    else while (i < tokens.length && isCapitalized(tokens[i]) && tokens[i]!.lower !== QUOTE_TOKEN) i++;
  }
  while (i < tokens.length && CIRCUMSTANCE.has(tokens[i]!.lower)) {
    // "in a statement", "on Monday": skip to the phrase's end.
    const comma = tokens.findIndex((t, j) => j > i && j <= i + 6 && isPunct(t));
    const capitalEnd = (() => {
      let j = i + 1;
      while (j < tokens.length && j <= i + 4 && !isPunct(tokens[j]) && tokens[j]!.lower !== 'that' && tokens[j]!.lower !== QUOTE_TOKEN && !/^(he|she|they|the|it|we|i)$/.test(tokens[j]!.lower)) j++;
      return j;
    })();
    i = comma !== -1 && comma < capitalEnd + 1 ? comma : Math.min(capitalEnd, i + 1 + (/^(on|in|at|during|last|this)$/.test(tokens[i]!.lower) ? 3 : 0));
    if (tokens[i]?.lower === 'that') return i;
  }
  while (i < tokens.length && (isPunct(tokens[i]) && tokens[i]!.text !== '(')) i++;
  return i;
}

/**
 * Where content after the verb ends: the sentence end, or before a second reporting verb joined
 * to the first ("that X, and says Y", ", adding that"); after a naming verb, at the end of its
 * quoted words ("called him a “liar” during …").
 */
function contentEnd(tokens: readonly Word[], from: number, cue: Cue, sentence: Span): number {
  if (NAMING_VERBS.has(cue.base)) {
    let last = -1;
    for (let j = from; j < tokens.length; j++) {
      if (tokens[j]!.lower === QUOTE_TOKEN) last = j;
      else if (last !== -1 && j - last > 3) break;
    }
    if (last !== -1) return tokens[last]!.end;
  }
  for (const next of findCues(tokens)) {
    if (next.first <= from) continue;
    let j = next.first - 1;
    while (j > from && (isPunct(tokens[j]) || ['and', 'but', 'he', 'she', 'they', 'also', 'then', 'later'].includes(tokens[j]!.lower))) j--;
    const joined = j < next.first - 1 && (tokens.slice(j + 1, next.first).some((t) => t.lower === 'and' || t.text === ',') || /ing$/.test(tokens[next.first]!.lower));
    if (joined && j > from) return tokens[j]!.end;
  }
  return sentence.end;
}

/** The content of reported speech in a sentence, given a cue and its source; null when there is none. */
export function indirectContent(text: string, tokens: readonly Word[], sentence: Span, cue: Cue, source: Source | null): Span | null {
  const srcFirst = source ? tokens.findIndex((t) => t.start >= source.start) : cue.first;
  const phraseStart = Math.min(cue.first, srcFirst === -1 ? cue.first : srcFirst);
  // Content after the verb: "X said (that) …". Not after an inverted subject: "…, said Victor Cha, who served …" has it before.
  const inverted = source !== null && source.start > tokens[cue.index]!.start;
  const from = inverted ? tokens.length : contentStartAfter(tokens, cue, source);
  if (from === -1) return null;
  if (from < tokens.length && wordCount(tokens, from, tokens.length) >= MIN_WORDS) {
    return { start: tokens[from]!.start, end: trimEnd(text, tokens[from]!.start, contentEnd(tokens, from, cue, sentence)) };
  }
  // Content before: "…, X said." The attribution must be set off by a comma, dash or quote.
  const before = phraseStart - 1;
  if (before >= 1 && (isPunct(tokens[before]) || tokens[before]!.lower === QUOTE_TOKEN) && wordCount(tokens, 0, before + 1) >= MIN_WORDS) {
    const end = tokens[before]!.lower === QUOTE_TOKEN ? tokens[before]!.end : tokens[before - 1]!.end;
    let first = 0;
    while (first < before && /^[—–(]$/.test(tokens[first]!.text)) first++;
    return { start: tokens[first]!.start, end: trimEnd(text, tokens[first]!.start, end) };
  }
  return null;
}

/** "According to X, …" and "…, according to X." */
export function accordingTo(text: string, tokens: readonly Word[], sentence: Span): { content: Span; source: Source } | null {
  const at = tokens.findIndex((t, i) => t.lower === 'according' && tokens[i + 1]?.lower === 'to');
  if (at === -1) return null;
  const source = sourceFrom(tokens, at + 2);
  if (!source) return null;
  const after = tokens.findIndex((t, i) => i > at + 2 && t.start >= source.end);
  if (at <= 1) {
    // Opening the sentence: the content follows the comma after the source.
    let c = after;
    while (c !== -1 && c < tokens.length && isPunct(tokens[c])) c++;
    if (c === -1 || c >= tokens.length || wordCount(tokens, c, tokens.length) < MIN_WORDS) return null;
    return { content: { start: tokens[c]!.start, end: trimEnd(text, tokens[c]!.start, sentence.end) }, source };
  }
  if (wordCount(tokens, 0, at) < MIN_WORDS) return null;
  const end = isPunct(tokens[at - 1]) ? tokens[at - 2]!.end : tokens[at - 1]!.end;
  return { content: { start: tokens[0]!.start, end: trimEnd(text, tokens[0]!.start, end) }, source };
}
