/**
 * Why a piece of text is not JSON, in words an analyst can act on: where it stops being JSON
 * (line and column, counted from 1 as an editor counts them) and the character found there.
 * The engine's own message is never shown: its wording changes between engines, often names no
 * position ("Unexpected token '}', ..." is not valid JSON") and reads as internals. The place is
 * found by scanning the text (iteratively: nesting depth costs no call stack).
 */

export interface JsonProblem {
  reason: string;
  /** 1-based line within the text (the text's first line is 1). */
  line: number;
}

type Stop = { offset: number; kind: 'unexpected' | 'end' | 'unterminated' | 'control' };

const WS = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** Where `text` first stops being JSON, or null when it is JSON. */
function firstStop(text: string): Stop | null {
  let i = 0;
  const stack: ('{' | '[')[] = [];
  const ws = () => {
    WS.lastIndex = i;
    WS.exec(text);
    i = WS.lastIndex;
  };
  const stop = (kind: Stop['kind'] = 'unexpected'): Stop => ({ offset: i, kind: i >= text.length && kind === 'unexpected' ? 'end' : kind });
  /** A string at i; null when it is whole (i after it). */
  const string = (): Stop | null => {
    if (text[i] !== '"') return stop();
    const from = i++;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return null;
      }
      if (c < 0x20) return stop('control');
      if (c === 0x5c) {
        ESCAPE.lastIndex = i;
        if (!ESCAPE.test(text)) return stop();
        i = ESCAPE.lastIndex;
      } else i++;
    }
    return { offset: from, kind: 'unterminated' };
  };
  /** A value at i: a scalar read whole, or an opening bracket pushed. */
  const value = (): Stop | null => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      stack.push(c);
      i++;
      ws();
      if (text[i] === (c === '{' ? '}' : ']')) {
        stack.pop();
        i++;
        return null;
      }
      return c === '{' ? member() : value();
    }
    if (c === '"') return string();
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return null;
      }
    }
    NUMBER.lastIndex = i;
    if (NUMBER.test(text)) {
      i = NUMBER.lastIndex;
      return null;
    }
    return stop();
  };
  /** "key": value inside an object. */
  const member = (): Stop | null => {
    ws();
    const key = string();
    if (key) return key;
    ws();
    if (text[i] !== ':') return stop();
    i++;
    return value();
  };
  let problem = value();
  while (!problem) {
    ws();
    const top = stack[stack.length - 1];
    if (!top) return i < text.length ? stop() : null;
    const c = text[i];
    if (c === ',') {
      i++;
      problem = top === '{' ? member() : value();
    } else if (c === (top === '{' ? '}' : ']')) {
      stack.pop();
      i++;
    } else problem = stop();
  }
  return problem;
}

/** A character as a reader can see it: quoted when printable, its code point otherwise. */
function shown(ch: string): string {
  return /[\p{L}\p{N}\p{P}\p{S}]/u.test(ch) ? `“${ch}”` : `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Line and column (both from 1) of a UTF-16 offset in `text`. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\n|\r/);
  return { line: lines.length, column: [...lines[lines.length - 1]!].length + 1 };
}

/** The problem that made JSON.parse(text) throw `error`. */
export function jsonProblem(error: unknown, text: string): JsonProblem {
  const found = firstStop(text);
  if (!found) {
    // The text is JSON and the engine still refused it: nesting deeper than it reads.
    return { reason: error instanceof RangeError ? 'not valid JSON: nested too deeply to read' : 'could not be read as JSON', line: 1 };
  }
  const { line, column } = lineAndColumn(text, found.offset);
  const ch = found.offset < text.length ? String.fromCodePoint(text.codePointAt(found.offset)!) : '';
  switch (found.kind) {
    case 'end':
      return { reason: 'not valid JSON: it ends before the JSON is complete', line };
    case 'unterminated':
      return { reason: `not valid JSON: a string is not closed (it opens at column ${column})`, line };
    case 'control':
      return { reason: `not valid JSON: a control character (${shown(ch)}) inside a string at column ${column}`, line };
    case 'unexpected':
      return { reason: `not valid JSON: unexpected ${shown(ch)} at column ${column}`, line };
  }
}
