/** What the figures were measured on: the machine, the runtimes and the app's commit. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { repoRoot } from './processes';

export interface Machine {
  cpu: string;
  cores: number;
  /** Total memory, e.g. "24 GB". */
  memory: string;
  os: string;
  node: string;
  chromium: string | null;
  /** The commit the app was built from, and whether the working tree had changes on top of it. */
  commit: string | null;
  uncommittedChanges: boolean | null;
  date: string;
  /**
   * The 1-minute load average when the run started and when it ended: on a 2-core machine shared
   * with other work, anything well over 2 means the figures include waiting for a core.
   */
  loadAverage: { start: number; end: number };
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

export function machine(chromium: string | null, loadAtStart: number): Machine {
  const status = git(['status', '--porcelain', '--untracked-files=no']);
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memory: `${Math.round(os.totalmem() / 1024 ** 3)} GB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    chromium,
    commit: git(['rev-parse', 'HEAD']),
    uncommittedChanges: status === null ? null : status.length > 0,
    date: new Date().toISOString(),
    loadAverage: { start: loadAtStart, end: Math.round(os.loadavg()[0]! * 100) / 100 },
  };
}
