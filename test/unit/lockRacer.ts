/**
 * One contender of the lock race (lockRace.test.ts), run as its own process (bundled once).
 * Messages over the IPC channel:
 *   child → parent  { ready: true }                                    loaded, waiting for orders
 *   parent → child  { dir, at }                                        acquire in dir when the clock reaches at
 *   child → parent  { acquired: true } | { acquired: false, message }  holding the lock if acquired
 *   parent → child  { release: true }                                  release what it holds
 *   child → parent  { released: true }
 * It exits when the parent disconnects.
 */
import { acquireLock } from '../../electron/services/store/lock';

type Order = { dir: string; at: number } | { release: true };

let release: (() => Promise<void>) | null = null;

function send(message: object): void {
  process.send!(message);
}

process.on('message', (order: Order) => {
  if ('release' in order) {
    const held = release;
    release = null;
    void (held ? held() : Promise.resolve()).then(() => send({ released: true }));
    return;
  }
  // Spin rather than sleep: a timer fires up to milliseconds late, a spin within microseconds.
  while (Date.now() < order.at);
  acquireLock(order.dir).then(
    (releaseLock) => {
      release = releaseLock;
      send({ acquired: true });
    },
    (error: unknown) => send({ acquired: false, message: (error as Error).message }),
  );
});

process.on('disconnect', () => process.exit(0));

send({ ready: true });
