import { randomUUID } from 'node:crypto';
import { readFile, readlink } from 'node:fs/promises';
import os from 'node:os';

/**
 * Who holds a project lock: enough to tell, later and from another process, whether that
 * holder is certainly gone. The Linux-only fields are left out where they cannot be read.
 */
export interface LockHolder {
  host: string;
  pid: number;
  /** When the lock was taken (ISO time); older versions of Margin wrote it too. */
  since?: string;
  /** Unique per acquisition, so "the same lock" never means "an equal-looking lock". */
  nonce?: string;
  /** Clock ticks from boot to the holder's start (field 22 of /proc/<pid>/stat): tells a reused pid. */
  startTime?: string;
  /** This boot of the machine (/proc/sys/kernel/random/boot_id): pids and start times mean nothing across boots. */
  bootId?: string;
  /** The machine itself (/etc/machine-id): two computers may share a host name, a restarted one keeps this. */
  machineId?: string;
  /** The pid namespace (containers): the same pid in another namespace is another process. */
  pidNamespace?: string;
}

const OPTIONAL_TEXT = ['since', 'nonce', 'startTime', 'bootId', 'machineId', 'pidNamespace'] as const;

/**
 * A lock file's holder, or null when the text is not one (empty, cut short, garbage). Written
 * out by hand rather than with zod: the lock race test starts hundreds of processes that load
 * this module, and zod would triple their start-up time.
 */
export function parseHolder(text: string): LockHolder | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  if (typeof record.host !== 'string' || record.host === '' || !Number.isSafeInteger(record.pid) || (record.pid as number) <= 0) return null;
  const holder: LockHolder = { host: record.host, pid: record.pid as number };
  for (const key of OPTIONAL_TEXT) {
    const field = record[key];
    if (field === undefined) continue;
    if (typeof field !== 'string') return null;
    holder[key] = field;
  }
  return holder;
}

/** What a lock's holder is, seen from this process. */
export type Verdict =
  | { kind: 'mine' }
  | { kind: 'stale'; why: string }
  /** `proven`: the holder is certainly alive (same machine, same pid, same start time). */
  | { kind: 'held'; where: 'this-machine' | 'other-machine'; proven: boolean };

async function readTrimmed(file: string): Promise<string | undefined> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trim() || undefined;
}

/** The start time of a running process, or undefined where /proc cannot tell (not Linux, gone, hidden). */
export async function processStartTime(pid: number): Promise<string | undefined> {
  const stat = await readTrimmed(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // Field 2 (the command) is in parentheses and may itself hold spaces and ')': count from the last ')'.
  const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // `after` starts at field 3, so field 22 is at index 19.
  const start = after[19];
  return start && /^\d+$/.test(start) ? start : undefined;
}

interface MachineIdentity {
  host: string;
  bootId?: string;
  machineId?: string;
  pidNamespace?: string;
}

let machine: Promise<MachineIdentity> | null = null;

function thisMachine(): Promise<MachineIdentity> {
  machine ??= (async () => {
    const [bootId, machineId, pidNamespace] = await Promise.all([
      readTrimmed('/proc/sys/kernel/random/boot_id'),
      readTrimmed('/etc/machine-id').then((id) => id ?? readTrimmed('/var/lib/dbus/machine-id')),
      readlink('/proc/self/ns/pid').catch(() => undefined),
    ]);
    return { host: os.hostname(), bootId, machineId, pidNamespace };
  })();
  return machine;
}

/** This process as a lock holder, with a fresh nonce. */
export async function thisHolder(): Promise<LockHolder> {
  const [identity, startTime] = await Promise.all([thisMachine(), processStartTime(process.pid)]);
  const holder: LockHolder = { ...identity, pid: process.pid, startTime, nonce: randomUUID(), since: new Date().toISOString() };
  // Undefined fields are left out of the file rather than written as null.
  return JSON.parse(JSON.stringify(holder)) as LockHolder;
}

/**
 * The nonces of the locks this process holds, shared by every copy of this module in the
 * process (test runners load modules more than once): a lock with our pid is ours only if we
 * hold it, otherwise an earlier process with the same pid left it.
 */
export const heldHere: Set<string> = ((globalThis as { [key: symbol]: Set<string> | undefined })[Symbol.for('margin.heldLocks')] ??= new Set<string>());

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Only recorded values can differ: a field missing on either side proves nothing. */
const differ = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a !== b;

/**
 * Whether `holder` is certainly gone, judged from `me`. Stale only when proven: on this same
 * machine, boot and pid namespace, its pid is not running, or runs a process that started at
 * another time (a reused pid); or this machine has restarted since.
 */
export async function judgeHolder(holder: LockHolder, me: LockHolder): Promise<Verdict> {
  const other = { kind: 'held', where: 'other-machine', proven: false } as const;
  if (holder.host !== me.host || differ(holder.machineId, me.machineId) || differ(holder.pidNamespace, me.pidNamespace)) return other;
  if (holder.bootId !== undefined && holder.bootId !== me.bootId) {
    // Same machine (by its id), another boot: every process of that boot is gone.
    const restarted = me.bootId !== undefined && holder.machineId !== undefined && holder.machineId === me.machineId;
    return restarted ? { kind: 'stale', why: 'the computer has restarted since' } : other;
  }
  if (holder.pid === me.pid) {
    return holder.nonce !== undefined && heldHere.has(holder.nonce) ? { kind: 'mine' } : { kind: 'stale', why: `pid ${holder.pid} is now this process` };
  }
  const startTime = await processStartTime(holder.pid);
  if (holder.startTime !== undefined && startTime !== undefined) {
    return startTime === holder.startTime
      ? { kind: 'held', where: 'this-machine', proven: true }
      : { kind: 'stale', why: `pid ${holder.pid} now belongs to another process` };
  }
  if (!alive(holder.pid)) return { kind: 'stale', why: `pid ${holder.pid} is not running` };
  return { kind: 'held', where: 'this-machine', proven: false };
}
