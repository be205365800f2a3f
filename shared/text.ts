/**
 * Text is normalized once, at import, so offsets mean the same thing everywhere afterwards:
 * Unicode NFC, "\n" line ends, no byte-order mark.
 */
export function normalizeText(raw: string): string {
  return raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').normalize('NFC');
}

const MAX_TITLE = 200;

/** The first non-empty line, trimmed and shortened to something a list can show. */
export function titleFromText(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  return line.length > MAX_TITLE ? `${line.slice(0, MAX_TITLE - 1).trimEnd()}…` : line;
}

export interface Paragraph {
  start: number;
  end: number;
}

/** Each non-blank line is a paragraph; offsets point into the original text. */
export function paragraphsOf(text: string): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (text.slice(start, end).trim() !== '') paragraphs.push({ start, end });
    start = end + 1;
  }
  return paragraphs;
}
