import { tokenize, type Token } from '../formats/conll';
import type { LabeledSpan } from './spanF1';

/** The code of a token no span covers. */
export const OUTSIDE = 'O';

export { tokenize, type Token };

/** The first token ending after `offset` (tokens are sorted and do not overlap). */
function firstTokenAfter(tokens: readonly Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Indices of the tokens a span shares at least one character with. */
function coveredTokens(tokens: readonly Token[], span: { start: number; end: number }): number[] {
  const out: number[] = [];
  for (let t = firstTokenAfter(tokens, span.start); t < tokens.length && tokens[t]!.start < span.end; t++) out.push(t);
  return out;
}

/**
 * Each token's code in one layer: the label of the span covering it, the outermost one when
 * spans nest or cross (earliest start, then longest), or "O" when none covers it. A token
 * counts as covered when the span shares at least one character with it.
 */
export function tokenCodes(tokens: readonly Token[], spans: readonly LabeledSpan[]): string[] {
  const codes = new Array<string>(tokens.length).fill(OUTSIDE);
  const taken = new Array<boolean>(tokens.length).fill(false);
  const ordered = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || b.end - a.end);
  for (const span of ordered) {
    for (const t of coveredTokens(tokens, span)) {
      if (taken[t]) continue;
      taken[t] = true;
      codes[t] = span.label;
    }
  }
  return codes;
}

/**
 * Each token's binary code for one label: the label when any span of that label covers it
 * (nested or not), else "O".
 */
export function labelCodes(tokens: readonly Token[], spans: readonly LabeledSpan[], label: string): string[] {
  const codes = new Array<string>(tokens.length).fill(OUTSIDE);
  for (const span of spans) {
    if (span.label !== label || span.end <= span.start) continue;
    for (const t of coveredTokens(tokens, span)) codes[t] = label;
  }
  return codes;
}

/** Two or more layers of one text as per-token codes (codes[layer][token]); per label when `label` is given. */
export function layersToTokenCodes(text: string, layers: readonly (readonly LabeledSpan[])[], label?: string): { tokens: Token[]; codes: string[][] } {
  const tokens = tokenize(text);
  const codes = layers.map((spans) => (label === undefined ? tokenCodes(tokens, spans) : labelCodes(tokens, spans, label)));
  return { tokens, codes };
}
