import type { QuotedPassage } from './quoteMarks';
import { REPORTING_FORMS } from './reportingVerbs';
import type { Span } from './types';

/**
 * Splits an article into sentences with offsets, never inside a quoted passage: a quote of three
 * sentences followed by "he said" is one unit of attribution. Abbreviations common in news
 * (Mr., Sen., Gov., Sept., U.S., initials) do not end a sentence.
 */
export interface Sentence extends Span {
  /** Index of the paragraph the sentence starts in. */
  paragraph: number;
}

const ABBREVIATIONS = new Set(
  [
    'mr', 'mrs', 'ms', 'dr', 'prof', 'sen', 'sens', 'rep', 'reps', 'gov', 'govs', 'gen', 'lt', 'col', 'capt', 'cmdr', 'sgt', 'adm', 'maj', 'st', 'jr', 'sr',
    'rev', 'hon', 'pres', 'supt', 'atty', 'insp', 'gens', 'ft', 'mt', 'no', 'vs', 'etc', 'inc', 'corp', 'co', 'ltd', 'dept', 'univ', 'assn', 'bros',
    'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'mon', 'tue', 'tues', 'wed', 'thu', 'thurs', 'fri', 'sat', 'sun',
    'ala', 'ariz', 'ark', 'calif', 'colo', 'conn', 'del', 'fla', 'ga', 'ill', 'ind', 'kan', 'ky', 'la', 'md', 'mass', 'mich', 'minn', 'miss', 'mo', 'mont',
    'neb', 'nev', 'okla', 'ore', 'pa', 'tenn', 'tex', 'va', 'vt', 'wash', 'wis', 'wyo', 'approx', 'est', 'fig', 'e.g', 'i.e',
  ],
);

/** Is the period at `dot` part of an abbreviation or an initial rather than a sentence end? */
function isAbbreviation(text: string, dot: number): boolean {
  let s = dot;
  while (s > 0 && /[\p{L}.]/u.test(text[s - 1]!)) s--;
  const word = text.slice(s, dot).toLowerCase();
  if (word.length === 1 && /\p{Lu}/u.test(text[s]!)) return true; // an initial: Ronald R. Fieldstone
  if (word.includes('.')) return /^(\p{L}\.)+\p{L}$/u.test(word); // U.S., D.C.
  return ABBREVIATIONS.has(word);
}

/** What follows a period: a new sentence start, a lower-case continuation, or the end. */
function next(text: string, dot: number): 'start' | 'lower' | 'end' {
  let i = dot + 1;
  while (i < text.length && /[”"’'»)\]]/u.test(text[i]!)) i++;
  while (i < text.length && /[ \t\u00a0]/u.test(text[i]!)) i++;
  if (i >= text.length || text[i] === '\n') return 'end';
  return /[\p{Ll}]/u.test(text[i]!) ? 'lower' : 'start';
}

/** “Why?” Graham asked. — the words after a quote ending in ? or ! are its attribution, not a new sentence. */
function attributionFollows(text: string, from: number): boolean {
  const words = text.slice(from, from + 60).split(/[\s\u00a0]+/).filter(Boolean).slice(0, 5);
  for (const w of words) {
    const clean = w.toLowerCase().replace(/[^\p{L}]/gu, '');
    if (REPORTING_FORMS.has(clean)) return true;
    if (/[.!?]$/.test(w)) break;
  }
  return false;
}

export function splitSentences(text: string, quotes: readonly QuotedPassage[]): Sentence[] {
  const out: Sentence[] = [];
  let paragraph = 0;
  let start = -1;
  let startParagraph = 0;
  let q = 0;
  const push = (end: number) => {
    let e = end;
    while (e > start && /\s/u.test(text[e - 1]!)) e--;
    if (start !== -1 && e > start) out.push({ start, end: e, paragraph: startParagraph });
    start = -1;
  };
  for (let i = 0; i < text.length; i++) {
    while (q < quotes.length && quotes[q]!.end <= i) q++;
    const inQuote = q < quotes.length && quotes[q]!.start <= i && i < quotes[q]!.end;
    const ch = text[i]!;
    if (start === -1) {
      if (/\s/u.test(ch)) {
        if (ch === '\n') paragraph++;
        continue;
      }
      start = i;
      startParagraph = paragraph;
    }
    if (inQuote) {
      // A quote that ends a sentence inside its marks ("… today.” Then) ends the sentence after the mark.
      const quote = quotes[q]!;
      if (i === quote.end - 1 && /[.!?]/.test(text[i - 1] ?? '') && next(text, i) === 'start' && !/[,;:]/.test(text[i + 1] ?? '') && !(text[i - 1] !== '.' && attributionFollows(text, i + 1)) && !/^[\s\u00a0]*[―—–]/u.test(text.slice(i + 1, i + 4))) push(i + 1);
      continue;
    }
    if (ch === '\n') {
      push(i);
      paragraph++;
      continue;
    }
    if (ch === '.' && /\d/.test(text[i - 1] ?? '') && /\d/.test(text[i + 1] ?? '')) continue; // 2.3 million
    if (ch === '!' || ch === '?' || (ch === '.' && !isAbbreviation(text, i))) {
      const after = next(text, i);
      if (after === 'lower' || (ch === '.' && text[i + 1] === '.')) continue;
      let end = i + 1;
      while (end < text.length && /[”"’'»)\]]/u.test(text[end]!)) end++;
      push(end);
      i = end - 1;
    }
  }
  if (start !== -1) push(text.length);
  return out;
}
