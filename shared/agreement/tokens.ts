import { tokenize, type Token } from '../formats/conll';
import type { LabeledSpan } from './spanF1';

/** The code of a token no span covers. */
export const OUTSIDE = 'O';

export { tokenize, type Token };

/** The first token for which `from` holds; it holds for every token after it (tokens are sorted and do not overlap). */
function firstWhere(tokens: readonly Token[], from: (token: Token) => boolean): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (from(tokens[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The tokens a span shares at least one character with, as [from, to): found by two binary
 * searches, so a long span costs no more than a short one.
 */
function coveredTokens(tokens: readonly Token[], span: { start: number; end: number }): [number, number] {
  return [firstWhere(tokens, (t) => t.end > span.start), firstWhere(tokens, (t) => t.start >= span.end)];
}

/**
 * Each token's code in one layer: the label of the span covering it, the outermost one when
 * spans nest or cross (earliest start, then longest), or "O" when none covers it. A token
 * counts as covered when the span shares at least one character with it.
 */
export function tokenCodes(tokens: readonly Token[], spans: readonly LabeledSpan[]): string[] {
  const codes = new Array<string>(tokens.length).fill(OUTSIDE);
  const ordered = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || b.end - a.end);
  // Every span taken earlier starts at or before this one, so the tokens already taken from
  // this span's first token on are one run: those before `taken`. Each token is coded once.
  let taken = 0;
  for (const span of ordered) {
    const [from, to] = coveredTokens(tokens, span);
    for (let t = Math.max(from, taken); t < to; t++) codes[t] = span.label;
    taken = Math.max(taken, to);
  }
  return codes;
}

/**
 * Each token's binary code for one label: the label when any span of that label covers it
 * (nested or not), else "O".
 */
export function labelCodes(tokens: readonly Token[], spans: readonly LabeledSpan[], label: string): string[] {
  // How many of the label's spans cover each token, as differences: +1 where a span's tokens
  // begin, −1 after they end; a running sum over the tokens then says which are covered.
  const delta = new Int32Array(tokens.length + 1);
  for (const span of spans) {
    if (span.label !== label || span.end <= span.start) continue;
    const [from, to] = coveredTokens(tokens, span);
    if (from >= to) continue;
    delta[from]!++;
    delta[to]!--;
  }
  const codes = new Array<string>(tokens.length);
  let covering = 0;
  for (let t = 0; t < tokens.length; t++) {
    covering += delta[t]!;
    codes[t] = covering > 0 ? label : OUTSIDE;
  }
  return codes;
}

/** Two or more layers of one text as per-token codes (codes[layer][token]); per label when `label` is given. */
export function layersToTokenCodes(text: string, layers: readonly (readonly LabeledSpan[])[], label?: string): { tokens: Token[]; codes: string[][] } {
  const tokens = tokenize(text);
  const codes = layers.map((spans) => (label === undefined ? tokenCodes(tokens, spans) : labelCodes(tokens, spans, label)));
  return { tokens, codes };
}
