/**
 * Two real processes acquiring one project lock at the same moment must never both hold it:
 * over no lock, over an empty lock an older Margin left, and over a stale lock of a dead process.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../electron/services/store/lock';
import { TempDirs } from './helpers';

const PAIRS = 200;
/**
 * Contender processes, reused from pair to pair: the two of a pair are always two distinct
 * processes. Starting 400 fresh ones would cost 400 Node start-ups (over 100 ms of CPU each
 * here), most of the test's time, while the race itself is the same.
 */
const POOL = 8;
const RACER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lockRacer.ts');

type Answer = { acquired: true } | { acquired: false; message: string };
type Scenario = 'no lock' | 'empty' | 'stale';

class Contender {
  private waiting: ((message: Record<string, unknown>) => void)[] = [];

  constructor(private readonly child: ChildProcess) {
    child.on('message', (message: Record<string, unknown>) => this.waiting.shift()?.(message));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Sends `order` (if any) and resolves with the child's next message. */
  next(order?: object): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`contender ${this.pid} exited (${code}) before answering`));
      this.child.once('exit', onExit);
      this.waiting.push((message) => {
        this.child.removeListener('exit', onExit);
        resolve(message);
      });
      if (order) this.child.send(order);
    });
  }

  kill(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }

  static async start(script: string, execArgv: string[]): Promise<Contender> {
    const contender = new Contender(fork(script, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    expect(await contender.next()).toEqual({ ready: true });
    return contender;
  }
}

const temps = new TempDirs();
let racer: { script: string; execArgv: string[]; how: string };
const pool: Contender[] = [];

/** The contender script as one plain JavaScript file (esbuild, when installed), else run through tsx. */
async function prepareRacer(): Promise<typeof racer> {
  const started = Date.now();
  const esbuild = await import('esbuild').catch(() => null);
  if (!esbuild) return { script: RACER, execArgv: ['--import', 'tsx'], how: 'run through tsx (no esbuild installed)' };
  const script = path.join(temps.make('margin-lock-racer-'), 'lockRacer.mjs');
  await esbuild.build({ entryPoints: [RACER], outfile: script, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' });
  return { script, execArgv: [], how: `bundled by esbuild in ${Date.now() - started} ms` };
}

beforeAll(async () => {
  racer = await prepareRacer();
  for (let i = 0; i < POOL; i++) pool.push(await Contender.start(racer.script, racer.execArgv));
}, 60_000);

afterAll(async () => {
  await Promise.all(pool.map((c) => c.kill()));
  temps.cleanup();
});

/** A real stale lock: a process took it and was killed before it could release it. */
async function staleLockText(root: string): Promise<string> {
  const dir = path.join(root, 'stale-template');
  mkdirSync(dir);
  const doomed = await Contender.start(racer.script, racer.execArgv);
  expect(await doomed.next({ dir, at: 0 })).toEqual({ acquired: true });
  await doomed.kill();
  return readFileSync(path.join(dir, LOCK_FILE), 'utf8');
}

function prepare(dir: string, scenario: Scenario, stale: string): void {
  mkdirSync(dir);
  const file = path.join(dir, LOCK_FILE);
  if (scenario === 'empty') {
    writeFileSync(file, '');
    // Old enough to be abandoned: a fresh empty lock is someone writing it, and is waited for.
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
  } else if (scenario === 'stale') {
    writeFileSync(file, stale);
  }
}

/** The pid the lock file names; null when there is no lock file or it does not parse. */
function holderPid(dir: string): number | null {
  try {
    return (JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as { pid: number }).pid;
  } catch {
    return null;
  }
}

describe('the project lock under a race of real processes', () => {
  it(`${PAIRS} pairs acquiring at the same moment: never two holders`, async () => {
    const started = Date.now();
    const root = temps.make('margin-lock-race-');
    const stale = await staleLockText(root);
    const scenarios: Scenario[] = ['no lock', 'empty', 'stale'];
    const counts = { 'no lock': 0, empty: 0, stale: 0 };
    const holders = { single: 0, double: 0, none: 0 };
    const refusals: string[] = [];
    const lost: string[] = [];
    for (let i = 0; i < PAIRS; i++) {
      const scenario = scenarios[i % scenarios.length]!;
      counts[scenario]++;
      const dir = path.join(root, `pair-${i}`);
      prepare(dir, scenario, stale);
      // Two distinct processes, a different pairing each time round the pool.
      const a = pool[i % POOL]!;
      const b = pool[(i + 1 + (Math.floor(i / POOL) % (POOL - 1))) % POOL]!;
      const at = Date.now() + 20;
      // Each holds what it got until both have answered.
      const answers = (await Promise.all([a.next({ dir, at }), b.next({ dir, at })])) as Answer[];
      const winners = [a, b].filter((_, k) => answers[k]!.acquired);
      if (winners.length === 1) holders.single++;
      else if (winners.length === 2) holders.double++;
      else holders.none++;
      for (const answer of answers) if (!answer.acquired) refusals.push(answer.message);
      // A holder whose lock file is gone or names someone else is as bad as two holders.
      if (winners.length === 1 && holderPid(dir) !== winners[0]!.pid) lost.push(`pair ${i} (${scenario})`);
      await Promise.all([a.next({ release: true }), b.next({ release: true })]);
      rmSync(dir, { recursive: true, force: true });
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `[lock] ${PAIRS} pairs (${counts['no lock']} no lock, ${counts.empty} empty, ${counts.stale} stale): ${holders.single} single holders, ${holders.double} double, ${holders.none} none, ${lost.length} holders whose lock file was gone or not theirs; ${POOL} processes (${racer.how}), ${seconds} s`,
    );
    expect(holders.double).toBe(0);
    expect(lost).toEqual([]);
    // Each race has a winner, and each loser was told who holds the project (never a crash).
    expect(holders.single).toBe(PAIRS);
    for (const message of refusals) expect(message).toMatch(/is open in another Margin process \(pid \d+ on this computer/);
  }, 120_000);
});
