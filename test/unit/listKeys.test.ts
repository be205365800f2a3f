import { describe, expect, it } from 'vitest';
import { rowForKey } from '../../renderer/src/components/listKeys';

/** [key, from row, rows in the list, rows in view, where the focus goes]. */
const CASES: [string, number, number, number, number | null][] = [
  // Arrows move one row and stop at either end.
  ['ArrowDown', 4, 10, 5, 5],
  ['ArrowUp', 4, 10, 5, 3],
  ['ArrowDown', 9, 10, 5, 9],
  ['ArrowUp', 0, 10, 5, 0],
  // Page Up and Down move a viewport, at least one row, and stop at either end.
  ['PageDown', 0, 10_000, 14, 14],
  ['PageUp', 20, 10_000, 14, 6],
  ['PageDown', 9_990, 10_000, 14, 9_999],
  ['PageUp', 3, 10_000, 14, 0],
  ['PageDown', 3, 10, 0, 4],
  // Home and End reach the first and last rows.
  ['Home', 500, 10_000, 14, 0],
  ['End', 5, 10_000, 14, 9_999],
  // Other keys, and any key in an empty list, move nothing.
  ['Enter', 2, 10, 5, null],
  ['a', 2, 10, 5, null],
  ['ArrowDown', 0, 0, 5, null],
];

describe('keys in the document list', () => {
  it.each(CASES)('%s from row %i of %i (%i in view) goes to %s', (key, from, count, page, expected) => {
    expect(rowForKey(key, from, count, page)).toBe(expected);
  });
});
