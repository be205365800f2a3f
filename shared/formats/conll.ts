import type { Annotation } from '../model';
import type { ExportDocument, ExportOptions, Exporter } from './dataset';

/**
 * CoNLL (IOB2) for training taggers.
 *
 * Layout: each document starts with the line `-DOCSTART- -X- O O` and a blank line; then one
 * token per line, `TOKEN TAG` separated by a single space (tokens never contain whitespace);
 * sentences are separated by a blank line. Tags are IOB2: `B-label` on a span's first token,
 * `I-label` on the following ones, `O` outside any span. Whitespace in a label becomes `_` so the
 * line keeps two columns.
 *
 * Tokens: runs of letters, digits and combining marks (with inner apostrophes or hyphens:
 * "don't", "Biden-Harris"); an emoji with its modifiers, variation selectors and ZWJ sequence, or
 * a flag, is one token; every other non-space character is a token of its own.
 *
 * Sentences end after ".", "!" or "?" (and any closing quotes or brackets right after) when
 * whitespace and then an uppercase letter, digit or opening quote follow — unless the word before
 * is a common title abbreviation (Mr., Dr., Gen.…) or a single capital (initials, "U.S.") — and
 * at every paragraph break (an empty line). A sentence is never split inside an exported span.
 *
 * A token belongs to a span when they share at least one character. When spans overlap, one
 * label per token has to win; `options.conllOverlap` chooses which, span by span:
 * - `outermost` (default): the span that contains the others wins; of two crossing spans, the
 *   one that starts first.
 * - `innermost`: the shortest span wins (the one inside the others); ties: the one that starts first.
 * - `first`: the span that starts first wins; ties: the one listed first (the order the export
 *   gives, i.e. the order the annotations were stored).
 * - `longest`: the longest span wins; ties: the one that starts first.
 * Spans are taken in that order; a span is written only if none of its tokens has already gone to
 * a span that won over it, so every written span is whole (B- then I-s) and the others are left out.
 */

export type ConllOverlap = NonNullable<ExportOptions['conllOverlap']>;
export const CONLL_OVERLAP_POLICIES: readonly ConllOverlap[] = ['outermost', 'innermost', 'first', 'longest'];

export interface Token {
  text: string;
  /** UTF-16 offsets into the document text. */
  start: number;
  end: number;
}

const TOKEN_RE =
  /(?:\p{Regional_Indicator}{2})|(?:\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F|\u20E3)*(?:\u200D\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F)*)*)|(?:[\p{L}\p{N}\p{M}]+(?:['’-][\p{L}\p{N}\p{M}]+)*)|\S/gu;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN_RE)) tokens.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return tokens;
}

const TERMINATORS = new Set(['.', '!', '?', '…']);
const CLOSERS = new Set(['"', '”', '’', "'", ')', ']', '»']);
const OPENERS = /^["“‘'(«[]/u;
const ABBREVIATIONS = new Set(['Mr', 'Mrs', 'Ms', 'Dr', 'Prof', 'St', 'Gen', 'Sen', 'Rep', 'Gov', 'Lt', 'Col', 'Sgt', 'Capt', 'Jr', 'Sr', 'Mt', 'No', 'vs', 'Jan', 'Feb', 'Aug', 'Sept', 'Sep', 'Oct', 'Nov', 'Dec', 'Inc', 'Corp', 'Ltd', 'Co']);

/** Indices i such that a sentence ends after token i (i.e. a break between token i and i+1). */
export function sentenceBreaks(text: string, tokens: readonly Token[]): Set<number> {
  const breaks = new Set<number>();
  for (let i = 0; i + 1 < tokens.length; i++) {
    const tok = tokens[i]!;
    const next = tokens[i + 1]!;
    const gap = text.slice(tok.end, next.start);
    if (/\n[^\S\n]*\n/.test(gap) || /[\u2029]/.test(gap)) {
      breaks.add(i);
      continue;
    }
    if (!/\s/.test(gap)) continue;
    // Step back over closing quotes/brackets to the terminator.
    let j = i;
    while (j > 0 && CLOSERS.has(tokens[j]!.text) && tokens[j]!.start === tokens[j - 1]!.end) j--;
    if (!TERMINATORS.has(tokens[j]!.text)) continue;
    if (!(/^[\p{Lu}\p{Lt}\p{N}]/u.test(next.text) || OPENERS.test(next.text))) continue;
    const word = j > 0 && tokens[j - 1]!.end === tokens[j]!.start ? tokens[j - 1]!.text : undefined;
    if (tokens[j]!.text === '.' && word !== undefined && (ABBREVIATIONS.has(word) || /^\p{Lu}$/u.test(word))) continue;
    breaks.add(i);
  }
  return breaks;
}

function priority(policy: ConllOverlap): (a: Annotation & { order: number }, b: Annotation & { order: number }) => number {
  switch (policy) {
    case 'innermost':
      return (a, b) => a.end - a.start - (b.end - b.start) || a.start - b.start || a.order - b.order;
    case 'first':
      return (a, b) => a.start - b.start || a.order - b.order;
    case 'longest':
      return (a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start || a.order - b.order;
    case 'outermost':
    default:
      return (a, b) => a.start - b.start || b.end - a.end || a.order - b.order;
  }
}

/**
 * Which span (index into `annotations`) each token goes to, or -1, after the overlap policy.
 */
export function assignSpans(tokens: readonly Token[], annotations: readonly Annotation[], policy: ConllOverlap = 'outermost'): number[] {
  const owner = new Array<number>(tokens.length).fill(-1);
  const ordered = annotations
    .map((a, order) => ({ ...a, order }))
    .filter((a) => a.end > a.start)
    .sort(priority(policy));
  for (const span of ordered) {
    // Tokens overlapping [start, end): binary search the first token ending after start.
    let lo = 0;
    let hi = tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tokens[mid]!.end <= span.start) lo = mid + 1;
      else hi = mid;
    }
    const covered: number[] = [];
    for (let t = lo; t < tokens.length && tokens[t]!.start < span.end; t++) covered.push(t);
    if (covered.length === 0 || covered.some((t) => owner[t] !== -1)) continue;
    for (const t of covered) owner[t] = span.order;
  }
  return owner;
}

function tagLabel(label: string): string {
  return label.replace(/\s+/g, '_');
}

/** One document in CoNLL, -DOCSTART- included, ending with a blank line. */
export function documentToConll(doc: ExportDocument, policy: ConllOverlap = 'outermost'): string {
  const tokens = tokenize(doc.text);
  const owner = assignSpans(tokens, doc.annotations, policy);
  const breaks = sentenceBreaks(doc.text, tokens);
  let out = '-DOCSTART- -X- O O\n\n';
  tokens.forEach((tok, i) => {
    const o = owner[i]!;
    const tag = o === -1 ? 'O' : `${i > 0 && owner[i - 1] === o ? 'I' : 'B'}-${tagLabel(doc.annotations[o]!.label)}`;
    out += `${tok.text} ${tag}\n`;
    const last = i === tokens.length - 1;
    // Never split inside a span: the next token belongs to the same one.
    if (last || (breaks.has(i) && !(o !== -1 && owner[i + 1] === o))) out += '\n';
  });
  return out;
}

export function createConllExporter(): Exporter {
  return {
    kind: 'single',
    extension: '.conll',
    begin() {
      return '';
    },
    document(doc: ExportDocument, ctx) {
      return documentToConll(doc, ctx.options.conllOverlap ?? 'outermost');
    },
    end() {
      return '';
    },
  };
}
