import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caretStep } from '../../shared/caret';
import { SAMPLES_DIR } from './helpers';

/** The CNN sample as imported: non-breaking spaces, curly quotes, a dash, blank lines. */
const CNN = readFileSync(path.join(SAMPLES_DIR, '000_0a5fdd5987a87f4f.txt'), 'utf8');
const LEAD = CNN.indexOf('US\u00a0Secretary of State Antony Blinken on Tuesday');

/** Applies steps from `offset` and returns the offsets visited. */
function walk(text: string, offset: number, moves: [step: 'word' | 'sentence', direction: 1 | -1][], locale?: string): number[] {
  const seen: number[] = [];
  for (const [step, direction] of moves) {
    offset = caretStep(text, offset, step, direction, undefined, locale);
    seen.push(offset);
  }
  return seen;
}

describe('caretStep by word', () => {
  it('goes forward to word ends across non-breaking spaces, back to word starts', () => {
    const forward = walk(CNN, LEAD, [
      ['word', 1],
      ['word', 1],
      ['word', 1],
    ]);
    expect(forward.map((o) => CNN.slice(LEAD, o))).toEqual(['US', 'US\u00a0Secretary', 'US\u00a0Secretary of']);
    const back = walk(CNN, forward.at(-1)!, [
      ['word', -1],
      ['word', -1],
    ]);
    expect(back.map((o) => CNN.slice(o, forward.at(-1)))).toEqual(['of', 'Secretary of']);
  });

  it('a selection end shrinks back to the previous word end, a selection start grows forward to the next word start', () => {
    const end = CNN.indexOf(' Antony', LEAD); // just after "State"
    expect(CNN.slice(LEAD, caretStep(CNN, end, 'word', -1, 'end'))).toBe('US\u00a0Secretary of');
    expect(CNN.slice(caretStep(CNN, LEAD, 'word', 1, 'start'), end)).toBe('Secretary of State');
  });

  it('steps over a quote mark to the word inside it', () => {
    const at = CNN.indexOf('officials to “capitalize”');
    const [, , end] = walk(CNN, at, [
      ['word', 1],
      ['word', 1],
      ['word', 1],
    ]);
    expect(CNN.slice(at, end)).toBe('officials to “capitalize');
  });

  it('stays inside the text at both ends', () => {
    expect(caretStep(CNN, 0, 'word', -1)).toBe(0);
    expect(caretStep(CNN, CNN.length, 'word', 1)).toBe(CNN.length);
    expect(caretStep(CNN, 0, 'sentence', -1)).toBe(0);
    expect(caretStep(CNN, CNN.length, 'sentence', 1)).toBe(CNN.length);
  });
});

describe('caretStep by sentence', () => {
  it('goes forward to the end of the sentence, then of the next, without the space after it', () => {
    const [first, second] = walk(CNN, LEAD, [
      ['sentence', 1],
      ['sentence', 1],
    ]);
    expect(CNN.slice(LEAD, first)).toMatch(/^US\u00a0Secretary of State .* within close reach\.$/);
    expect(CNN.slice(first, second)).toMatch(/^\s+A US senior administration official, speaking after .*\.”$/s);
  });

  it('crosses blank lines between paragraphs both ways, and goes back to sentence starts', () => {
    const title = CNN.indexOf('\n'); // end of the caption line
    const next = caretStep(CNN, title, 'sentence', 1);
    expect(CNN.slice(title, next).trim()).toBe('CNN \u00a0—');
    const back = caretStep(CNN, LEAD, 'sentence', -1);
    expect(CNN.slice(back, LEAD).trim()).toBe('CNN \u00a0—');
    const middle = LEAD + 40;
    expect(caretStep(CNN, middle, 'sentence', -1)).toBe(LEAD);
  });

  it('a selection end shrinks back to the end of the previous sentence', () => {
    const [, second] = walk(CNN, LEAD, [
      ['sentence', 1],
      ['sentence', 1],
    ]);
    expect(CNN.slice(LEAD, caretStep(CNN, second!, 'sentence', -1, 'end'))).toMatch(/within close reach\.$/);
    expect(caretStep(CNN, LEAD + 5, 'sentence', 1, 'start')).toBe(CNN.indexOf('A US senior administration official'));
  });

  it('splits Arabic sentences at the Arabic full stop and question mark', () => {
    const text = 'وصل الوزير إلى القاهرة. هل يتفق الطرفان؟ قال مسؤول إن المحادثات مستمرة.';
    const ends = walk(
      text,
      0,
      [
        ['sentence', 1],
        ['sentence', 1],
        ['sentence', 1],
      ],
      'ar',
    );
    expect(ends.map((o) => text[o - 1])).toEqual(['.', '؟', '.']);
  });

  it('always moves the right way or stays at the end of the text, on any text', () => {
    const textArb = fc.array(fc.constantFrom('a', 'b', ' ', '.', '\n', '?', '\u00a0', '”', 'ب'), { maxLength: 60 }).map((c) => c.join(''));
    fc.assert(
      fc.property(textArb, fc.nat(), fc.constantFrom<'word' | 'sentence'>('word', 'sentence'), fc.constantFrom<1 | -1>(1, -1), (text, at, step, direction) => {
        const offset = at % (text.length + 1);
        const moved = caretStep(text, offset, step, direction);
        expect(moved).toBeGreaterThanOrEqual(0);
        expect(moved).toBeLessThanOrEqual(text.length);
        if (moved !== offset) expect(Math.sign(moved - offset)).toBe(direction);
      }),
    );
  });
});
