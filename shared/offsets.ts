/**
 * Margin keeps UTF-16 offsets (JavaScript string indices); Python, spaCy, brat and the W3C
 * model count Unicode code points. These convert between the two.
 */

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Code-point offset of the UTF-16 offset `utf16` in `text`. */
export function utf16ToCodePoint(text: string, utf16: number): number {
  if (utf16 < 0 || utf16 > text.length) throw new RangeError(`offset ${utf16} is outside the text (0..${text.length})`);
  let points = 0;
  for (let i = 0; i < utf16; i++) {
    if (isHighSurrogate(text.charCodeAt(i)) && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1))) {
      if (i + 1 < utf16) i++;
    }
    points++;
  }
  return points;
}

/** UTF-16 offset of the code-point offset `point` in `text`. */
export function codePointToUtf16(text: string, point: number): number {
  if (point < 0) throw new RangeError(`offset ${point} is negative`);
  let i = 0;
  for (let p = 0; p < point; p++) {
    if (i >= text.length) throw new RangeError(`code-point offset ${point} is past the end of the text`);
    const code = text.charCodeAt(i);
    i += isHighSurrogate(code) && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
  }
  return i;
}

/**
 * Converts many offsets in one pass over the text; exports call this per document so a long
 * article with thousands of spans is not rescanned for each one.
 */
export function utf16ToCodePointMany(text: string, offsets: readonly number[]): number[] {
  const order = offsets.map((o, i) => [o, i] as const).sort((a, b) => a[0] - b[0]);
  const result = new Array<number>(offsets.length);
  let i = 0;
  let points = 0;
  for (const [offset, index] of order) {
    if (offset < 0 || offset > text.length) throw new RangeError(`offset ${offset} is outside the text (0..${text.length})`);
    while (i < offset) {
      const pair = isHighSurrogate(text.charCodeAt(i)) && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1));
      // An offset inside a pair counts the pair's first half, as utf16ToCodePoint does, without
      // stepping into the pair: later offsets must still see it whole.
      if (pair && i + 2 > offset) break;
      i += pair ? 2 : 1;
      points++;
    }
    result[index] = i < offset ? points + 1 : points;
  }
  return result;
}
