import { open, readFile, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MarginError } from '../errors';

export const LOCK_FILE = '.margin.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * lowdb has no cross-process locking, so one process at a time may write a project.
 * A lock left by a process that has died is taken over.
 */
export async function acquireLock(projectDir: string): Promise<() => Promise<void>> {
  const file = path.join(projectDir, LOCK_FILE);
  const mine = JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(mine);
      await handle.close();
      return async () => {
        const current = await readFile(file, 'utf8').catch(() => '');
        if (current === mine) await unlink(file).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readFile(file, 'utf8').then((t) => JSON.parse(t) as { pid?: number; host?: string }).catch(() => ({}) as { pid?: number; host?: string });
      const sameHost = holder.host === undefined || holder.host === os.hostname();
      if (sameHost && (typeof holder.pid !== 'number' || !alive(holder.pid))) {
        await unlink(file).catch(() => undefined);
        continue;
      }
      if (sameHost && holder.pid === process.pid) {
        // Two stores in one process would race each other's writes just as two processes would.
        throw new MarginError('conflict', `The project ${projectDir} is already open in this Margin process (pid ${process.pid}).`);
      }
      throw new MarginError(
        'conflict',
        `The project ${projectDir} is open in another Margin process (pid ${holder.pid ?? '?'} on ${holder.host ?? 'this machine'}). Close it there first.`,
      );
    }
  }
  throw new MarginError('conflict', `Could not lock the project ${projectDir}.`);
}
