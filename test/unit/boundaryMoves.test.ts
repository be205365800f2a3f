import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { moveBoundary } from '../../shared/selection';
import { BoundaryMoves } from '../../renderer/src/editing/boundaryMoves';
import { SAMPLES_DIR } from './helpers';

const CNN = readFileSync(path.join(SAMPLES_DIR, '000_0a5fdd5987a87f4f.txt'), 'utf8');
const QUOTE = 'a series of big, productive conversations';
const at = CNN.indexOf(QUOTE);

/** A store that writes each change after a delay, and what it has. */
function slowStore() {
  const stored = { id: 'q', start: at, end: at + QUOTE.length };
  const writes: number[] = [];
  const write = (start: number) => () =>
    new Promise<void>((resolve) =>
      setTimeout(() => {
        writes.push(start);
        stored.start = start;
        resolve();
      }, 5),
    );
  return { stored, writes, write };
}

/** One Alt+→ press as the reading view makes it: from what BoundaryMoves says, with the annotation on screen. */
function press(moves: BoundaryMoves, shown: { id: string; start: number; end: number }, list: unknown, store: ReturnType<typeof slowStore>, screen: () => unknown) {
  const from = moves.from(shown, list);
  const start = moveBoundary(CNN, from.start, 'start', 1);
  return moves.move(shown.id, { start, end: from.end }, store.write(start), screen);
}

describe('BoundaryMoves', () => {
  it('four presses before any write is read back move the start four words, written in order', async () => {
    const store = slowStore();
    const moves = new BoundaryMoves();
    const screen = { list: ['before'] as unknown, shown: { ...store.stored } };
    const burst = Array.from({ length: 4 }, () => press(moves, screen.shown, screen.list, store, () => screen.list));
    await Promise.all(burst);
    expect(store.writes.map((s) => CNN.slice(s, at + QUOTE.length))).toEqual([
      'series of big, productive conversations',
      'of big, productive conversations',
      'big, productive conversations',
      'productive conversations',
    ]);
  });

  it('after the writes, a press before the screen catches up goes on from the writes; once it has, from the screen (an undo included)', async () => {
    const store = slowStore();
    const moves = new BoundaryMoves();
    const stale = { list: ['before'] as unknown, shown: { ...store.stored } };
    await press(moves, stale.shown, stale.list, store, () => stale.list);
    // The screen still shows the old list: the next press starts from the written span.
    expect(moves.from(stale.shown, stale.list).start).toBe(store.stored.start);
    // The screen shows an undo's result (a new list, the old start): that is where the next press starts.
    const undone = { list: ['undone'], shown: { id: 'q', start: at, end: at + QUOTE.length } };
    expect(moves.from(undone.shown, undone.list).start).toBe(at);
  });

  it('a refused write leaves the screen as the truth', async () => {
    const moves = new BoundaryMoves();
    const list = ['list'];
    const shown = { id: 'q', start: at, end: at + QUOTE.length };
    await moves.move('q', { start: at + 2, end: shown.end }, () => Promise.reject(new Error('refused')), () => list);
    expect(moves.from(shown, list).start).toBe(at);
  });
});
