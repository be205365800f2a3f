import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../electron/services/store/lock';
import { ProjectStore } from '../../electron/services/store/projectStore';
import { TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('one process per project', () => {
  it('refuses a second open of the same folder, even from this process, and allows it after close', async () => {
    const dir = path.join(temps.make(), 'project');
    const first = await ProjectStore.open(dir);
    try {
      await expect(ProjectStore.open(dir)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/already open/) });
      // Through a different spelling of the same path too.
      await expect(ProjectStore.open(path.join(dir, '..', 'project'))).rejects.toMatchObject({ code: 'conflict' });
      // The refused open did not take the lock away from the first store.
      expect(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    } finally {
      await first.close();
    }
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    const second = await ProjectStore.open(dir);
    await second.close();
  });

  it('refuses a project held by another live process, naming it', async () => {
    const dir = path.join(temps.make(), 'project');
    await (await ProjectStore.open(dir, { lock: false })).close();
    // The parent of this test process is alive for the whole test.
    writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, host: os.hostname(), since: new Date().toISOString() }));
    await expect(ProjectStore.open(dir)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(new RegExp(`open in another Margin process \\(pid ${process.ppid}`)),
    });
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(true);
  });

  it('takes over a stale lock left by a process that died', async () => {
    const dir = path.join(temps.make(), 'project');
    await (await ProjectStore.open(dir, { lock: false })).close();
    const pid = deadPid();
    writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid, host: os.hostname(), since: '2020-01-01T00:00:00.000Z' }));
    const store = await ProjectStore.open(dir);
    try {
      expect(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    } finally {
      await store.close();
    }
  });

  it('takes over an unreadable lock file', async () => {
    const dir = path.join(temps.make(), 'project');
    await (await ProjectStore.open(dir, { lock: false })).close();
    writeFileSync(path.join(dir, LOCK_FILE), 'garbage');
    const store = await ProjectStore.open(dir);
    await store.close();
  });
});
