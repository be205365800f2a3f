import type { Span } from './types';
import { isCapitalized, isPunct, QUOTE_TOKEN, type Word } from './words';

/**
 * Source spans (who said it) found next to a reporting verb, and the best name for each: a
 * pronoun, "the official" or a bare surname resolved to the nearest earlier mention of that
 * person or role when that mention is unambiguous.
 */
export interface Source extends Span {
  kind: 'name' | 'pronoun' | 'description';
}

export const PRONOUNS = new Set(['he', 'she', 'they', 'we', 'i', 'it', 'you', 'who', 'which']);
const PERSON_PRONOUNS = new Set(['he', 'she']);
const DETERMINERS = new Set(['a', 'an', 'the', 'another', 'this', 'these', 'those', 'his', 'her', 'their', 'its', 'our', 'one', 'two', 'three', 'several', 'many', 'some', 'other', 'most', 'few', 'both', 'all', 'each', 'no']);
/** Words between a subject and its verb that are not part of the subject: "he later said". */
const BETWEEN = new Set(['also', 'later', 'then', 'once', 'has', 'have', 'had', 'would', 'will', 'did', 'does', 'do', 'is', 'was', 'were', 'are', 'previously', 'recently', 'repeatedly', 'again', 'never', 'often', 'even', 'still', 'just', 'already', 'further', 'first', 'last', 'long', 'since', 'may', 'might', 'could', 'can', 'should', 'must', 'not', 'always', 'told']);
const WHEN = new Set(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'yesterday', 'today', 'tonight', 'week', 'month', 'year', 'morning', 'afternoon', 'evening', 'night']);
/** Words that end a subject going backwards: clause openers, prepositions, verbs of the clause before. */
const BOUNDARY = new Set([
  'that', 'and', 'but', 'or', 'as', 'because', 'if', 'when', 'while', 'after', 'before', 'since', 'though', 'although', 'so', 'than', 'where', 'whether',
  'of', 'in', 'on', 'at', 'to', 'for', 'with', 'by', 'from', 'about', 'into', 'over', 'under', 'against', 'during', 'without', 'through', 'what', 'how', 'why',
  'whom', 'whose', 'despite', 'following', 'among', 'amid', 'like', 'unlike', 'including', 'except', 'toward', 'towards', 'upon', 'within', 'across', 'behind', 'beyond', 'via', 'per',
  'is', 'was', 'are', 'were', 'be', 'been', 'has', 'have', 'had', 'not', 'said', 'says', 'there', 'here', 'also', 'yet', 'now', 'then', 'this',
  QUOTE_TOKEN,
]);
const TITLES = new Set(['mr.', 'mrs.', 'ms.', 'dr.', 'sen.', 'rep.', 'gov.', 'gen.', 'lt.', 'col.', 'st.', 'rev.', 'prof.', 'president', 'senator', 'governor', 'secretary', 'minister', 'judge', 'justice', 'mayor', 'chairman', 'chairwoman', 'speaker', 'general', 'officer', 'director', 'spokesman', 'spokeswoman', 'spokesperson']);
/** Capitalised words that begin sentences or name times, never a speaker. */
const NOT_NAMES = new Set(['but', 'and', 'the', 'in', 'on', 'at', 'as', 'so', 'yet', 'still', 'then', 'now', 'today', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'yesterday', 'tonight', 'however', 'meanwhile', 'instead', 'also', 'this', 'that', 'there', 'it', 'if', 'when', 'after', 'before', 'while', 'although', 'though', 'because', 'since', 'for', 'a', 'an']);

const isNameWord = (w: Word | undefined): boolean => w !== undefined && isCapitalized(w) && !NOT_NAMES.has(w.lower);
const isInitial = (w: Word | undefined): boolean => w !== undefined && /^\p{Lu}\.$/u.test(w.text);

/**
 * The subject before a reporting verb at words[cue], or null when none fits
 * ("and said", "in a statement said").
 */
export function sourceBefore(words: readonly Word[], cue: number): Source | null {
  let h = cue - 1;
  for (;;) {
    while (h >= 0 && (BETWEEN.has(words[h]!.lower) || /ly$/.test(words[h]!.lower)) && words[h]!.lower !== 'only') h--;
    // "Blinken on Monday asserted": a time between subject and verb.
    if (h >= 0 && WHEN.has(words[h]!.lower)) {
      h--;
      if (h >= 0 && ['on', 'last', 'this', 'early', 'late', 'earlier'].includes(words[h]!.lower)) h--;
      continue;
    }
    break;
  }
  // "Rep. Gwen Moore (D-Wis.) said": the party and state are not the subject's end.
  if (words[h]?.text === ')') {
    const open = words.findLastIndex((w, j) => j < h && w.text === '(');
    if (open > 0) return sourceBefore(words.slice(0, open), open);
  }
  // "Jane Doe, who runs the campaign, said": the name before the aside.
  if (words[h]?.text === ',') {
    const comma = words.findLastIndex((w, j) => j < h && j >= h - 25 && w.text === ',');
    const aside = words[comma + 1];
    if (comma > 0 && aside && (['who', 'a', 'an', 'the'].includes(aside.lower) || /^\d/.test(aside.text))) {
      const name = sourceBefore(words.slice(0, comma), comma);
      if (name && name.kind !== 'pronoun') return { start: name.start, end: words[h - 1]!.end, kind: name.kind };
    }
    return null;
  }
  const head = words[h];
  if (!head || isPunct(head)) return null;
  if (PRONOUNS.has(head.lower)) return { start: head.start, end: head.end, kind: 'pronoun' };
  if (BOUNDARY.has(head.lower) || DETERMINERS.has(head.lower)) return null;
  let s = h;
  if (isNameWord(head)) {
    // A name: capitalised words, initials and titles ("Sen. Ted Cruz", "Ronald R. Fieldstone", "Department of Justice").
    while (s > 0) {
      const prev = words[s - 1]!;
      if (isNameWord(prev) || isInitial(prev) || TITLES.has(prev.lower)) s--;
      else if ((prev.lower === 'of' || prev.lower === 'the' || /’s$|'s$/.test(prev.text)) && s > 1 && (isNameWord(words[s - 2]) || words[s - 2]!.lower === 'the')) s--;
      else break;
    }
    // "the White House", "The Associated Press": keep the article.
    if (s > 0 && words[s - 1]!.lower === 'the') s--;
    if (s === h && NOT_NAMES.has(head.lower)) return null;
    return { start: words[s]!.start, end: head.end, kind: 'name' };
  }
  // A description: "a senior administration official", "the ad’s narrator", "sources", "experts".
  while (s > 0 && h - s < 6) {
    const prev = words[s - 1]!;
    if (isPunct(prev) || BOUNDARY.has(prev.lower) || PRONOUNS.has(prev.lower)) break;
    s--;
    if (DETERMINERS.has(prev.lower)) break;
  }
  if (s < h && !DETERMINERS.has(words[s]!.lower) && !isNameWord(words[s])) s = h; // no determiner found: the head alone
  // "in 2010 said", "the president’s": a year or a possessive is not who spoke.
  if (/\d/.test(head.text) || /[’']s$/.test(head.text)) return null;
  return { start: words[s]!.start, end: head.end, kind: 'description' };
}

/** The subject after an inverted reporting verb: "said Caddell", "said Ronald R. Fieldstone, a Miami lawyer". */
export function sourceAfter(words: readonly Word[], cue: number): Source | null {
  let i = cue + 1;
  const first = words[i];
  if (!first || isPunct(first)) return null;
  if (PRONOUNS.has(first.lower) && first.lower !== 'it' && first.lower !== 'which' && first.lower !== 'who') return { start: first.start, end: first.end, kind: 'pronoun' };
  // "said panel Chairman Jason Chaffetz", "said former Gov. Jeb Bush": lower-case words of a title before the name.
  if (/^\p{Ll}/u.test(first.text) && !DETERMINERS.has(first.lower) && !BOUNDARY.has(first.lower)) {
    const name = [i + 1, i + 2].find((j) => isNameWord(words[j]) || TITLES.has(words[j]?.lower ?? ''));
    if (name !== undefined && words.slice(i, name).every((w) => /^\p{Ll}/u.test(w.text) && !BOUNDARY.has(w.lower))) {
      const rest = sourceAfter(words, name - 1);
      return rest ? { start: first.start, end: rest.end, kind: rest.kind } : null;
    }
  }
  const starts = isNameWord(first) || isInitial(first) || TITLES.has(first.lower) || DETERMINERS.has(first.lower);
  if (!starts || first.lower === 'that') return null;
  let e = i;
  if (DETERMINERS.has(first.lower)) {
    while (e + 1 < words.length && e - i < 6 && !isPunct(words[e + 1]) && !BOUNDARY.has(words[e + 1]!.lower)) e++;
  } else {
    while (e + 1 < words.length && (isNameWord(words[e + 1]) || isInitial(words[e + 1]) || (words[e + 1]!.lower === 'of' && isNameWord(words[e + 2])))) e++;
  }
  i = e;
  return { start: first.start, end: words[i]!.end, kind: DETERMINERS.has(first.lower) ? 'description' : 'name' };
}

/** A source found elsewhere ("according to …"): the words from `from` up to a comma, at most eight. */
export function sourceFrom(words: readonly Word[], from: number): Source | null {
  const first = words[from];
  if (!first || isPunct(first)) return null;
  let e = from;
  while (e + 1 < words.length && e - from < 8 && !isPunct(words[e + 1]) && !['that', 'who', 'which', 'and'].includes(words[e + 1]!.lower)) e++;
  const kind = PRONOUNS.has(first.lower) ? 'pronoun' : isNameWord(first) ? 'name' : 'description';
  return { start: first.start, end: words[e]!.end, kind };
}

/** Names written in the text (two or more capitalised words, "of" and initials inside): what a pronoun can point back to. */
const NAME_RUN = /\p{Lu}[\p{L}’'.-]*(?:[ \u00a0]+(?:(?:of|de|al|bin|van|von|der)[ \u00a0]+)?\p{Lu}[\p{L}’'.-]*)+/gu;

function nameMentions(text: string): { start: number; name: string }[] {
  const out: { start: number; name: string }[] = [];
  for (const m of text.matchAll(NAME_RUN)) {
    const words = m[0].split(/[ \u00a0]+/);
    let skip = 0;
    while (skip < words.length && NOT_NAMES.has(words[skip]!.toLowerCase())) skip++;
    const kept = words.slice(skip);
    if (kept.length < 2) continue;
    out.push({ start: m.index + m[0].indexOf(kept[0]!), name: kept.join(' ').replace(/[’']s$/, '') });
  }
  return out;
}

/** "Rucker Culpepper, who runs the effort" → "Rucker Culpepper": the name without its aside. */
const nameOnly = (said: string) => said.split(/,| \(/)[0]!.trim();

/**
 * Best names for sources, in text order: a pronoun takes the nearest earlier name (a named
 * source, or two or more capitalised words in the text); a surname takes the earlier full name
 * that ends with it; "the official" takes the earlier description ending with the same noun.
 */
export function resolveSpeakers(text: string, sources: readonly Source[]): string[] {
  const mentions = nameMentions(text);
  const names: { start: number; name: string }[] = [];
  const out: string[] = [];
  const descriptions: string[] = [];
  const nearestName = (before: number): string | undefined => {
    const named = names.filter((n) => n.start < before).pop();
    const written = mentions.filter((m) => m.start < before).pop();
    if (!written || (named && named.start >= written.start)) return named?.name;
    return [...names].reverse().find((n) => n.name.endsWith(written.name))?.name ?? written.name;
  };
  for (const src of sources) {
    const said = text.slice(src.start, src.end);
    if (src.kind === 'pronoun') {
      const lower = said.toLowerCase();
      out.push(PERSON_PRONOUNS.has(lower) || lower === 'who' ? (nearestName(src.start) ?? said) : said);
      continue;
    }
    if (src.kind === 'name') {
      const name = nameOnly(said);
      const bare = name.replace(/^the\s+/i, '').replace(/^(Mr|Mrs|Ms|Dr|Sen|Rep|Gov)\.\s+/, '');
      const fuller = [...names, ...mentions.filter((m) => m.start < src.start)].sort((x, y) => x.start - y.start).reverse().find((n) => n.name !== name && n.name.endsWith(` ${bare}`));
      const best = fuller?.name ?? name;
      names.push({ start: src.start, name: best });
      out.push(best);
      continue;
    }
    const noun = said.split(/\s+/).pop()!.toLowerCase();
    const earlier = /^the\s/i.test(said) ? [...descriptions].reverse().find((d) => d.toLowerCase().endsWith(noun)) : undefined;
    const best = earlier ?? said;
    descriptions.push(best);
    out.push(best);
  }
  return out;
}
