import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli';
import { acquireLock, LOCK_FILE, TAKEOVER_FILE } from '../../electron/services/store/lock';
import { type LockHolder, processStartTime } from '../../electron/services/store/lockHolder';
import { ProjectStore } from '../../electron/services/store/projectStore';
import { samplePaths, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

const hasProc = existsSync('/proc/self/stat');
if (!hasProc) console.log('[lock] no /proc here: the start-time and boot-id cases are not run (they need Linux)');

function lockDir(): string {
  const dir = path.join(temps.make(), 'project');
  mkdirSync(dir);
  return dir;
}

const lockFile = (dir: string) => path.join(dir, LOCK_FILE);
const readLock = (dir: string): LockHolder => JSON.parse(readFileSync(lockFile(dir), 'utf8')) as LockHolder;

/** A lock exactly as this process writes one (host, boot, start time...), to derive other holders from. */
async function ourLock(): Promise<LockHolder> {
  const dir = lockDir();
  const release = await acquireLock(dir);
  const holder = readLock(dir);
  await release();
  return holder;
}

/** Writes a lock as another process would have, `ageMs` old. */
function plant(dir: string, content: string | LockHolder, ageMs = 0): string {
  const text = typeof content === 'string' ? content : JSON.stringify(content);
  writeFileSync(lockFile(dir), text);
  const when = new Date(Date.now() - ageMs);
  utimesSync(lockFile(dir), when, when);
  return text;
}

/** Acquires, checks the lock names this process, releases. */
async function expectTakenOver(dir: string): Promise<void> {
  const release = await acquireLock(dir);
  expect(readLock(dir)).toMatchObject({ pid: process.pid, host: os.hostname() });
  await release();
  expect(existsSync(lockFile(dir))).toBe(false);
}

/** Expects a refusal that names the holder and says how to take over; the lock stays as it was. */
async function expectRefusedWithHint(dir: string, planted: string, names: RegExp): Promise<void> {
  const refusal = acquireLock(dir);
  await expect(refusal).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(names) });
  await expect(refusal).rejects.toMatchObject({ message: expect.stringMatching(/--take-over-lock.*"Take over" in the Margin desktop app/) });
  expect(readFileSync(lockFile(dir), 'utf8')).toBe(planted);
}

describe('taking the project lock', () => {
  it('with no lock: creates it whole, naming this process, and leaves no temporary file', async () => {
    const dir = lockDir();
    const release = await acquireLock(dir);
    const holder = readLock(dir);
    expect(holder).toMatchObject({ host: os.hostname(), pid: process.pid, nonce: expect.any(String), since: expect.any(String) });
    if (hasProc) expect(holder).toMatchObject({ startTime: expect.stringMatching(/^\d+$/), bootId: expect.any(String) });
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    await release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a second open of the same folder from this process, and allows it after close', async () => {
    const dir = path.join(temps.make(), 'project');
    const first = await ProjectStore.open(dir);
    try {
      await expect(ProjectStore.open(dir)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/already open in this Margin process/) });
      // Through a different spelling of the same path, and even when told to take over.
      await expect(ProjectStore.open(path.join(dir, '..', 'project'))).rejects.toMatchObject({ code: 'conflict' });
      await expect(ProjectStore.open(dir, { takeOverLock: true })).rejects.toMatchObject({ message: expect.stringMatching(/already open/) });
      // The refused opens did not take the lock away from the first store.
      expect(readLock(dir)).toMatchObject({ pid: process.pid });
    } finally {
      await first.close();
    }
    expect(existsSync(lockFile(dir))).toBe(false);
    const second = await ProjectStore.open(dir);
    await second.close();
  });

  it('takes over a lock whose process has died on this computer, with or without a recorded start time', async () => {
    const mine = await ourLock();
    const withStart = lockDir();
    plant(withStart, { ...mine, pid: deadPid(), nonce: 'theirs', since: '2020-01-01T00:00:00.000Z' });
    await expectTakenOver(withStart);
    // As an older Margin wrote it: host, pid and since only.
    const old = lockDir();
    plant(old, { host: os.hostname(), pid: deadPid(), since: '2020-01-01T00:00:00.000Z' });
    await expectTakenOver(old);
  });

  it.runIf(hasProc)('takes over a lock whose pid now belongs to another process (its start time differs)', async () => {
    const mine = await ourLock();
    const dir = lockDir();
    // The parent of this test process is alive, but did not start at clock tick 1.
    plant(dir, { ...mine, pid: process.ppid, startTime: '1', nonce: 'theirs' });
    await expectTakenOver(dir);
  });

  it.runIf(hasProc)('takes over a lock left by an earlier boot of this same machine', async () => {
    const mine = await ourLock();
    const dir = lockDir();
    plant(dir, { ...mine, pid: process.ppid, bootId: 'an-earlier-boot', nonce: 'theirs' });
    await expectTakenOver(dir);
  });

  it('takes over a lock naming this very pid that this process does not hold (an earlier process had the pid)', async () => {
    const dir = lockDir();
    plant(dir, { host: os.hostname(), pid: process.pid, since: '2020-01-01T00:00:00.000Z' });
    await expectTakenOver(dir);
  });

  it('refuses a lock whose live pid has no recorded start time, naming it and saying how to take over', async () => {
    const dir = lockDir();
    // The parent of this test process is alive for the whole test; an older Margin records no start time.
    const planted = plant(dir, { host: os.hostname(), pid: process.ppid, since: '2026-01-02T03:04:05.000Z' });
    await expectRefusedWithHint(dir, planted, new RegExp(`open in another Margin process \\(pid ${process.ppid} on this computer, since 2026-01-02T03:04:05.000Z\\)`));
  });

  it.runIf(hasProc)('refuses a lock whose process is alive with the recorded start time: close it there first', async () => {
    const mine = await ourLock();
    const dir = lockDir();
    const planted = plant(dir, { ...mine, pid: process.ppid, startTime: await processStartTime(process.ppid), nonce: 'theirs' });
    await expectRefusedWithHint(dir, planted, new RegExp(`open in another Margin process \\(pid ${process.ppid} on this computer, since .*\\)\\. Close it there first`));
  });

  it('refuses a lock from another computer, naming the host, and never judges its pid here', async () => {
    const dir = lockDir();
    // A pid that is dead here: it means nothing on the other computer.
    const planted = plant(dir, { host: 'ana-laptop', pid: deadPid(), since: '2026-01-02T03:04:05.000Z', nonce: 'theirs' });
    await expectRefusedWithHint(dir, planted, /pid \d+ on ana-laptop, since 2026-01-02T03:04:05\.000Z\).*git pull or a synced folder/);
  });

  it.runIf(hasProc)('refuses a lock from another machine of the same host name, or another container (pid namespace)', async () => {
    const mine = await ourLock();
    const twin = lockDir();
    const planted = plant(twin, { ...mine, machineId: 'another-machine', pid: deadPid(), nonce: 'theirs' });
    await expectRefusedWithHint(twin, planted, /open in another Margin process/);
    const container = lockDir();
    const inContainer = plant(container, { ...mine, pidNamespace: 'pid:[1]', pid: deadPid(), nonce: 'theirs' });
    await expectRefusedWithHint(container, inContainer, /open in another Margin process/);
  });

  it('takes over an empty or unreadable lock (left by an older Margin) once it is a few seconds old', async () => {
    const empty = lockDir();
    plant(empty, '', 60_000);
    await expectTakenOver(empty);
    const garbage = lockDir();
    plant(garbage, '{"pid": 12', 60_000);
    await expectTakenOver(garbage);
  });

  it('waits for a fresh empty lock (someone is writing it) and then refuses, leaving it alone', async () => {
    const dir = lockDir();
    plant(dir, '');
    await expect(acquireLock(dir)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/being opened by another program right now/) });
    expect(readFileSync(lockFile(dir), 'utf8')).toBe('');
  });

  it('takes over whatever is there when told to (--take-over-lock)', async () => {
    for (const planted of ['', JSON.stringify({ host: 'ana-laptop', pid: 4242, since: '2026-01-02T03:04:05.000Z' }), JSON.stringify({ host: os.hostname(), pid: process.ppid })]) {
      const dir = lockDir();
      plant(dir, planted);
      const release = await acquireLock(dir, { takeOver: true });
      expect(readLock(dir)).toMatchObject({ pid: process.pid });
      await release();
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('release never removes a lock someone else holds now', async () => {
    const dir = lockDir();
    const release = await acquireLock(dir);
    // Someone took the project over meanwhile (--take-over-lock in another process).
    const theirs = plant(dir, { host: os.hostname(), pid: process.ppid, nonce: 'theirs', since: '2026-01-02T03:04:05.000Z' });
    await release();
    expect(readFileSync(lockFile(dir), 'utf8')).toBe(theirs);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
  });

  it('release succeeds when the project folder has been deleted meanwhile', async () => {
    const dir = lockDir();
    const release = await acquireLock(dir);
    rmSync(dir, { recursive: true });
    await expect(release()).resolves.toBeUndefined();
  });

  it('breaks a take-over mutex left by a process that died during a take-over', async () => {
    const dir = lockDir();
    plant(dir, { host: os.hostname(), pid: deadPid() });
    const mutex = path.join(dir, TAKEOVER_FILE);
    writeFileSync(mutex, JSON.stringify({ host: os.hostname(), pid: deadPid() }));
    const old = new Date(Date.now() - 60_000);
    utimesSync(mutex, old, old);
    await expectTakenOver(dir);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('breaks at once (not after ten seconds) a fresh take-over mutex whose holder is proven gone', async () => {
    const dir = lockDir();
    const mine = await ourLock();
    plant(dir, { ...mine, pid: deadPid(), nonce: 'theirs' });
    const mutex = path.join(dir, TAKEOVER_FILE);
    writeFileSync(mutex, JSON.stringify({ ...mine, pid: deadPid(), nonce: 'killed-mid-take-over' }));
    // Not old: only the holder's death makes it stale. A second attempt finds the way clear.
    const order: string[] = [];
    const acquired = acquireLock(dir).then((release) => {
      order.push('acquired');
      return release;
    });
    const timer = new Promise<void>((resolve) => setTimeout(() => (order.push('5 s passed'), resolve()), 5_000).unref());
    await Promise.race([acquired, timer]);
    expect(order[0]).toBe('acquired');
    await (await acquired)();
  });
});

describe('--take-over-lock on the command line', () => {
  it('import refuses a project locked on another computer, naming it, and takes it over with --take-over-lock', async () => {
    temps.userData();
    const dir = path.join(temps.make(), 'project');
    await (await ProjectStore.open(dir)).close();
    const planted = plant(dir, { host: 'ana-laptop', pid: 4242, since: '2026-01-02T03:04:05.000Z' });
    const io = { out: [] as string[], err: [] as string[] };
    const capture = { out: (t: string) => io.out.push(t), err: (t: string) => io.err.push(t) };
    const article = samplePaths()[0]!;

    expect(await runCli(['import', '--project', dir, article], capture)).toBe(2);
    expect(io.err.join('\n')).toMatch(/pid 4242 on ana-laptop, since 2026-01-02T03:04:05\.000Z.*--take-over-lock/);
    expect(readFileSync(lockFile(dir), 'utf8')).toBe(planted);

    expect(await runCli(['import', '--take-over-lock', '--project', dir, article], capture)).toBe(0);
    expect(io.out.at(-1)).toMatch(/^Imported 1 article/);
    // Released at the end like any other run.
    expect(existsSync(lockFile(dir))).toBe(false);
  });

  it('every command that locks the project accepts --take-over-lock, and help documents it', async () => {
    const io = { out: [] as string[], err: [] as string[] };
    expect(await runCli(['help'], { out: (t) => io.out.push(t), err: (t) => io.err.push(t) })).toBe(0);
    const help = io.out.join('\n');
    for (const command of ['import', 'import-annotations', 'serve']) {
      const line = help.split('\n').find((l) => l.trimStart().startsWith(`margin ${command} `));
      expect(line, command).toBeDefined();
      const usage = help.slice(help.indexOf(line!)).split('\n  margin ')[0]!;
      expect(usage, command).toContain('--take-over-lock');
    }
  });
});
