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
