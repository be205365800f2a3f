import { randomInt, randomUUID } from 'node:crypto';
import { link, open, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MarginError } from '../errors';
import { heldHere, judgeHolder, type LockHolder, parseHolder, thisHolder } from './lockHolder';

export const LOCK_FILE = '.margin.lock';
/** Held for the few milliseconds of a take-over, so two processes never both remove a lock. */
export const TAKEOVER_FILE = '.margin.lock.takeover';

/** An unreadable lock (an older Margin between creating and writing it) this old is abandoned. */
const UNREADABLE_STALE_MS = 5_000;
/** How long a fresh unreadable lock is waited for before giving up. */
const UNREADABLE_WAIT_MS = 1_000;
/** A take-over mutex this old was left by a process that died in the middle of a take-over. */
const TAKEOVER_STALE_MS = 10_000;
/** Beyond every wait above: a lock that keeps changing under us is reported, not fought forever. */
const GIVE_UP_MS = TAKEOVER_STALE_MS + 5_000;

export interface LockOptions {
  /** Take the lock whoever holds it (the user said that holder is gone): --take-over-lock, "Take over". */
  takeOver?: boolean;
}

/** The project is locked by a holder the user may decide to take over from. */
export class LockConflictError extends MarginError {
  constructor(
    /** Who holds the project, in a sentence, without the advice on taking over. */
    readonly summary: string,
    hint: string,
    /** The holder is certainly still running (this computer, same process): taking over would cut it off. */
    readonly holderRunning = false,
  ) {
    super('conflict', `${summary} ${hint}`);
  }
}

const TAKE_OVER_HINT = 'run the command again with --take-over-lock, or choose "Take over" in the Margin desktop app.';

interface Seen {
  text: string;
  ino: bigint;
  mtimeMs: number;
}

/**
 * A name beside `file` for a file of our own, in the store's temporary-file pattern (TEMP_FILE
 * in jsonFile.ts: pid, then a number), so opening the project later removes it if we die
 * before removing it ourselves.
 */
const tempBeside = (file: string) => `${file}.${process.pid}.${randomInt(2 ** 47)}.tmp`;

const code = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** The file's content with the identity of the very file read (content and stat from one handle); null when absent. */
async function readSeen(file: string): Promise<Seen | null> {
  const handle = await open(file, 'r').catch((error: unknown) => {
    if (code(error) === 'ENOENT') return null;
    throw error;
  });
  if (!handle) return null;
  try {
    const info = await handle.stat({ bigint: true });
    return { text: await handle.readFile('utf8'), ino: info.ino, mtimeMs: Number(info.mtimeMs) };
  } finally {
    await handle.close();
  }
}

const sameFile = (a: Seen, b: Seen) => a.ino === b.ino && a.text === b.text && a.mtimeMs === b.mtimeMs;

/** Filesystems without hard links (FAT, some network drives) say so with these. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Creates `file` holding `content`, or returns false when it exists. The content is written to
 * a temporary file first and linked to the name, so nobody ever sees the file empty or half
 * written. Without hard links it falls back to exclusive create then write; readers give an
 * unreadable fresh lock time to be written (UNREADABLE_STALE_MS), so that stays safe.
 */
async function createWith(file: string, content: string): Promise<boolean> {
  const temp = tempBeside(file);
  await writeFile(temp, content, { flag: 'wx' });
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    if (code(error) === 'EEXIST') return false;
    if (!NO_LINKS.has(code(error) ?? '')) throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  try {
    await writeFile(file, content, { flag: 'wx' });
    return true;
  } catch (error) {
    if (code(error) === 'EEXIST') return false;
    throw error;
  }
}

/** Removes `file` only if it is still the very file `seen`. */
async function removeIfUnchanged(file: string, seen: Seen): Promise<void> {
  const now = await readSeen(file);
  if (now && sameFile(now, seen)) await unlink(file).catch(() => undefined);
}

/**
 * Breaks a take-over mutex left by a dead process. Moving it aside is atomic, so of two
 * breakers only one gets it; a breaker that finds it moved a newer mutex (someone took it
 * after the other breaker) puts that one back.
 */
async function breakStaleMutex(file: string, seen: Seen): Promise<void> {
  const aside = tempBeside(file);
  try {
    await rename(file, aside);
  } catch (error) {
    if (code(error) === 'ENOENT') return;
    throw error;
  }
  const moved = await readSeen(aside);
  if (moved && !sameFile(moved, seen)) await link(aside, file).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

/** Takes the take-over mutex: its release, or null when someone else holds it. */
async function takeMutex(dir: string, me: LockHolder): Promise<(() => Promise<void>) | null> {
  const file = path.join(dir, TAKEOVER_FILE);
  const content = JSON.stringify({ ...me, nonce: randomUUID() });
  if (await createWith(file, content)) {
    return async () => {
      const now = await readSeen(file);
      if (now?.text === content) await unlink(file).catch(() => undefined);
    };
  }
  const seen = await readSeen(file);
  if (seen && (Date.now() - seen.mtimeMs > TAKEOVER_STALE_MS || (await mutexHolderGone(seen, me)))) await breakStaleMutex(file, seen);
  return null;
}

/**
 * A mutex whose holder is proven gone (killed while taking over) is broken at once rather than
 * after TAKEOVER_STALE_MS: the next open must not wait ten seconds after a crash.
 */
async function mutexHolderGone(seen: Seen, me: LockHolder): Promise<boolean> {
  const holder = parseHolder(seen.text);
  if (!holder || holder.pid === me.pid) return false;
  return (await judgeHolder(holder, me)).kind === 'stale';
}

/** Runs `action` holding the take-over mutex; false when the mutex was busy (the caller looks again). */
async function withMutex(dir: string, me: LockHolder, action: () => Promise<void>): Promise<boolean> {
  const release = await takeMutex(dir, me);
  if (!release) {
    // Random, so two waiting processes do not keep meeting.
    await sleep(2 + Math.random() * 8);
    return false;
  }
  try {
    await action();
    return true;
  } finally {
    await release();
  }
}

/** What to do about a lock someone else created: take it over, wait, or refuse (throws). */
async function decide(projectDir: string, seen: Seen, me: LockHolder, options: LockOptions, waitedMs: number): Promise<'take-over' | 'wait'> {
  const holder = parseHolder(seen.text);
  if (!holder) {
    // An older Margin created the file, then wrote it: give it that moment.
    if (options.takeOver || Date.now() - seen.mtimeMs > UNREADABLE_STALE_MS) return 'take-over';
    if (waitedMs < UNREADABLE_WAIT_MS) return 'wait';
    throw new LockConflictError(
      `The project ${projectDir} is being opened by another program right now (its lock file ${LOCK_FILE} is not written yet).`,
      `Try again in a few seconds; if this persists, ${TAKE_OVER_HINT}`,
    );
  }
  const verdict = await judgeHolder(holder, me);
  if (verdict.kind === 'mine') {
    // Two stores in one process would race each other's writes just as two processes would.
    throw new MarginError('conflict', `The project ${projectDir} is already open in this Margin process (pid ${process.pid}).`);
  }
  if (verdict.kind === 'stale' || options.takeOver) return 'take-over';
  const where = verdict.where === 'this-machine' ? 'on this computer' : `on ${holder.host}`;
  const since = holder.since ? `, since ${holder.since}` : '';
  const summary = `The project ${projectDir} is open in another Margin process (pid ${holder.pid} ${where}${since}).`;
  if (verdict.proven) throw new LockConflictError(summary, `Close it there first. If that process hangs, ${TAKE_OVER_HINT}`, true);
  const doubt =
    verdict.where === 'this-machine'
      ? `Margin cannot tell whether pid ${holder.pid} is still that Margin.`
      : 'Margin cannot tell from here whether it still runs (the lock may also have come with a git pull or a synced folder).';
  throw new LockConflictError(summary, `${doubt} If it is no longer running, ${TAKE_OVER_HINT}`);
}

/** The user-facing error for a folder Margin may not write in (never the bare errno). */
function notWritable(projectDir: string, error: unknown): unknown {
  const reason = { EACCES: 'permission denied', EPERM: 'permission denied', EROFS: 'the drive is read-only' }[code(error) ?? ''];
  return reason ? new MarginError('bad-input', `Margin cannot lock the project ${projectDir}: ${reason}.`) : error;
}

/**
 * lowdb has no cross-process locking, so one process at a time may write a project. The lock
 * file is created with its content in one step; a lock is taken over only when its holder is
 * proven gone (lockHolder.ts), or when the user says so (`takeOver`), and every removal of a
 * lock (take-over and release alike) happens under the take-over mutex after checking it is
 * still the same file, so two processes never both end up holding the project.
 */
export async function acquireLock(projectDir: string, options: LockOptions = {}): Promise<() => Promise<void>> {
  const file = path.join(projectDir, LOCK_FILE);
  const me = await thisHolder();
  const content = `${JSON.stringify(me, null, 2)}\n`;
  const started = Date.now();
  const created = async () => {
    if (!(await createWith(file, content))) return false;
    heldHere.add(me.nonce!);
    return true;
  };
  try {
    while (!(await created())) {
      if (Date.now() - started > GIVE_UP_MS) throw new MarginError('conflict', `Could not lock the project ${projectDir}: its lock file keeps changing. Try again.`);
      const seen = await readSeen(file);
      if (!seen) continue; // Released meanwhile.
      if ((await decide(projectDir, seen, me, options, Date.now() - started)) === 'wait') {
        await sleep(25);
        continue;
      }
      let won = false;
      // The create can still lose to a plain acquirer: the loop then reads and judges its lock.
      await withMutex(projectDir, me, async () => {
        await removeIfUnchanged(file, seen);
        won = await created();
      });
      if (won) break;
    }
  } catch (error) {
    throw notWritable(projectDir, error);
  }
  return () => releaseLock(projectDir, me, content);
}

/** Removes the lock only while it is still ours: after a forced take-over it is someone else's. */
async function releaseLock(projectDir: string, me: LockHolder, content: string): Promise<void> {
  const file = path.join(projectDir, LOCK_FILE);
  const started = Date.now();
  try {
    while (Date.now() - started < GIVE_UP_MS) {
      const done = await withMutex(projectDir, me, async () => {
        const now = await readSeen(file);
        if (now?.text === content) await unlink(file).catch(() => undefined);
      }).catch((error: unknown) => {
        // The project folder is gone, and the lock with it.
        if (code(error) === 'ENOENT') return true;
        throw error;
      });
      if (done) return;
    }
    // Left behind, the lock names this process, which is provably gone once it exits.
  } finally {
    heldHere.delete(me.nonce!);
  }
}
