import type { Annotation } from '../../../shared/model';
import { MarginError } from '../errors';

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** Text order: by start, the longer (outer) span first, then the older one; the id settles ties, so the order is always the same. */
export { byTextOrder } from '../../../shared/spanOrder';

/**
 * The span as it is stored: inside the text, without surrounding whitespace, never cutting an
 * emoji or other astral character in two (exports count code points). `at` prefixes the field
 * names in error messages ("spans.3.").
 */
export function fitSpan(text: string, start: number, end: number, at = ''): { start: number; end: number } {
  if (end <= start) throw new MarginError('bad-input', `${at}end: ${end} must be after start (${start}).`);
  if (end > text.length) throw new MarginError('bad-input', `${at}end: ${end} is past the end of the document (${text.length}).`);
  let s = start;
  let e = end;
  while (s < e && /\s/u.test(text[s]!)) s++;
  while (e > s && /\s/u.test(text[e - 1]!)) e--;
  if (s === e) throw new MarginError('bad-input', `${at ? `${at.slice(0, -1)}: ` : ''}The selection is only whitespace; nothing was tagged.`);
  if (s > 0 && isLowSurrogate(text.charCodeAt(s)) && isHighSurrogate(text.charCodeAt(s - 1))) s--;
  if (e < text.length && isLowSurrogate(text.charCodeAt(e)) && isHighSurrogate(text.charCodeAt(e - 1))) e++;
  return { start: s, end: e };
}

/** Why a stored span does not fit a text of `length` UTF-16 units, or null. */
export function spanProblem(annotation: Pick<Annotation, 'start' | 'end'>, length: number): string | null {
  if (annotation.end <= annotation.start || annotation.end > length) {
    return `the span ${annotation.start}–${annotation.end} does not fit the document (${length} characters)`;
  }
  return null;
}
