/**
 * Writing direction of documents, paragraphs and characters, for the reading view's `dir` and
 * `lang` attributes and for placing grips and the caret on the right side of a character.
 */
export type Direction = 'ltr' | 'rtl';

/** Scripts written right to left (ISO 15924 codes, as Intl.Locale's maximize() gives them). */
const RTL_SCRIPTS = new Set(['Arab', 'Hebr', 'Syrc', 'Thaa', 'Nkoo', 'Adlm', 'Rohg', 'Mand', 'Samr', 'Yezi']);

/** Letters (and their marks) of those scripts: strong right-to-left characters. */
const RTL_CHAR = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\p{Script=Mandaic}\p{Script=Samaritan}\p{Script=Yezidi}]/u;
const LETTER = /[\p{L}\p{M}]/u;
/** Numbers are laid out left to right inside right-to-left text too (Arabic-Indic digits included). */
const DIGIT = /\p{Nd}/u;

/** The direction a language tag is written in ("ar", "fa-IR", "az-Arab"), or null when the tag says nothing usable. */
export function languageDirection(tag: string | undefined): Direction | null {
  if (!tag) return null;
  try {
    const script = new Intl.Locale(tag).maximize().script;
    return script ? (RTL_SCRIPTS.has(script) ? 'rtl' : 'ltr') : null;
  } catch {
    return null; // not a well-formed tag
  }
}

/** A character's own direction: strong letters and digits have one, spaces and punctuation take their surroundings'. */
export function charDirection(ch: string | undefined): Direction | null {
  if (!ch) return null;
  if (DIGIT.test(ch)) return 'ltr';
  if (!LETTER.test(ch)) return null;
  return RTL_CHAR.test(ch) ? 'rtl' : 'ltr';
}

/**
 * The direction most of the strong characters of `text` have (a Latin name inside an Arabic
 * paragraph does not turn it), or null when there are none. Reads at most `limit` characters.
 */
export function dominantDirection(text: string, limit = 20_000): Direction | null {
  let rtl = 0;
  let ltr = 0;
  const end = Math.min(text.length, limit);
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    // ASCII letters are the common case: no regular expression for them.
    if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) ltr++;
    else if (code >= 0x80) {
      const direction = charDirection(text[i]);
      if (direction === 'rtl') rtl++;
      else if (direction === 'ltr' && !DIGIT.test(text[i]!)) ltr++;
    }
  }
  if (rtl === 0 && ltr === 0) return null;
  return rtl > ltr ? 'rtl' : 'ltr';
}

/**
 * The document's language and direction: both from its metadata's language when it names one;
 * otherwise the direction comes from its text, and right-to-left text of unknown language gets
 * an empty `lang` rather than inheriting the interface's English. Undefined `lang`: inherit.
 */
export function documentLanguage(language: string | undefined, text: string): { lang: string | undefined; dir: Direction } {
  const known = languageDirection(language);
  if (language && known) return { lang: language, dir: known };
  const dir = dominantDirection(text) ?? 'ltr';
  return { lang: dir === 'rtl' ? '' : undefined, dir };
}

/**
 * What a paragraph needs of its own when it runs against the document: its direction, and an
 * empty `lang` (language not known) since it is not in the document's language. Null when the
 * document's attributes fit it.
 */
export function paragraphLanguage(text: string, documentDir: Direction): { dir: Direction; lang: '' } | null {
  const dir = dominantDirection(text);
  return dir && dir !== documentDir ? { dir, lang: '' } : null;
}
