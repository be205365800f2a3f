import search from 'approx-string-match';
import type { Quote } from './model';

/** DESIGN.md: 32 characters of context either side, as the W3C TextQuoteSelector carries. */
export const QUOTE_CONTEXT = 32;

export function quoteAt(text: string, start: number, end: number): Quote {
  return {
    exact: text.slice(start, end),
    prefix: text.slice(Math.max(0, start - QUOTE_CONTEXT), start),
    suffix: text.slice(end, end + QUOTE_CONTEXT),
  };
}

// ---------------------------------------------------------------------------------------------
// Re-anchoring: finding a quote again in a text that may have moved or changed, as the
// Hypothesis client does (src/annotator/anchoring/match-quote): the old position when the text
// there is still the quote; else every exact occurrence, scored on how well the text around it
// agrees with the prefix and suffix and how close it is to the old position; else approximate
// matches (Myers' bit-parallel algorithm, `approx-string-match`), scored on the quote, prefix,
// suffix and position together. Nothing good enough gives null: the caller keeps an orphan.
// ---------------------------------------------------------------------------------------------
export interface QuoteSelector {
  exact: string;
  prefix?: string;
  suffix?: string;
}

export interface Anchor {
  start: number;
  end: number;
  how: 'exact-position' | 'exact-elsewhere' | 'approximate';
}

/** Weights as in Hypothesis's matchQuote: the quote counts most, then its context, then position. */
const QUOTE_WEIGHT = 50;
const PREFIX_WEIGHT = 20;
const SUFFIX_WEIGHT = 20;
const POSITION_WEIGHT = 2;
const MAX_SCORE = QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT;
/** Below this combined score (0..1) an approximate match is not trusted. */
const MIN_APPROXIMATE_SCORE = 0.6;

/** How well `actual` agrees with `expected`: 1 when equal, 0 when nothing in common (empty expected: no evidence, 0.5). */
function contextScore(actual: string, expected: string): number {
  if (expected.length === 0) return 0.5;
  if (actual.length === 0) return 0;
  if (actual === expected) return 1;
  const matches = search(actual, expected, expected.length);
  const errors = matches.length > 0 ? Math.min(...matches.map((m) => m.errors)) : expected.length;
  return Math.max(0, 1 - errors / expected.length);
}

function score(text: string, quote: QuoteSelector, hint: number, start: number, end: number, quoteScore: number): number {
  const prefix = quote.prefix ?? '';
  const suffix = quote.suffix ?? '';
  const prefixScore = contextScore(text.slice(Math.max(0, start - prefix.length), start), prefix);
  const suffixScore = contextScore(text.slice(end, end + suffix.length), suffix);
  const positionScore = text.length === 0 ? 1 : 1 - Math.min(1, Math.abs(start - hint) / text.length);
  return (QUOTE_WEIGHT * quoteScore + PREFIX_WEIGHT * prefixScore + SUFFIX_WEIGHT * suffixScore + POSITION_WEIGHT * positionScore) / MAX_SCORE;
}

/**
 * Where `quote.exact` is in `text`, starting from the old offsets `hint`; null when it cannot be
 * placed with confidence (the text is gone or changed beyond a quarter of the quote's length).
 */
export function anchorQuote(text: string, quote: QuoteSelector, hint: { start: number; end: number }): Anchor | null {
  const exact = quote.exact;
  if (exact.length === 0) return null;
  if (hint.start >= 0 && hint.end <= text.length && text.slice(hint.start, hint.end) === exact) {
    return { start: hint.start, end: hint.end, how: 'exact-position' };
  }
  // Every exact occurrence, the best by context and distance.
  let best: { start: number; score: number } | null = null;
  for (let at = text.indexOf(exact); at !== -1; at = text.indexOf(exact, at + 1)) {
    const s = score(text, quote, hint.start, at, at + exact.length, 1);
    if (!best || s > best.score) best = { start: at, score: s };
  }
  if (best) return { start: best.start, end: best.start + exact.length, how: 'exact-elsewhere' };
  // Approximate: up to a quarter of the quote (at most 32) edits.
  const maxErrors = Math.min(32, Math.floor(exact.length / 4));
  if (maxErrors < 1) return null;
  let approx: { start: number; end: number; score: number } | null = null;
  for (const m of search(text, exact, maxErrors)) {
    if (m.end <= m.start) continue;
    const s = score(text, quote, hint.start, m.start, m.end, 1 - m.errors / exact.length);
    if (!approx || s > approx.score) approx = { start: m.start, end: m.end, score: s };
  }
  if (!approx || approx.score < MIN_APPROXIMATE_SCORE) return null;
  return { start: approx.start, end: approx.end, how: 'approximate' };
}
