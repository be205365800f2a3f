import { statSync, type Stats } from 'node:fs';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import type { z } from 'zod';
import { MarginError, plainReason, savingFailed } from '../errors';
import { writeOrigin } from './writeOrigin';

/** Kept here for the store's modules; the words live with the other user-facing messages (errors.ts). */
export { plainReason };

/** Pretty-printed with sorted keys, so files diff cleanly when a project is shared through git. */
const sortedKeys = (_key: string, v: unknown): unknown => {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  return v;
};

export function stableStringify(value: unknown): string {
  return `${JSON.stringify(value, sortedKeys, 2)}\n`;
}

/** One line, keys sorted: a journal entry reads back exactly as the compacted file would. */
export function stableLine(value: unknown): string {
  return JSON.stringify(value, sortedKeys);
}

export async function fsyncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms (Windows) cannot open a directory; the rename is still atomic there.
  }
}

/** What identifies one version of a file: a rename keeps the temporary file's inode and mtime. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ino: number;
}

/**
 * The last version of each file this process wrote, by absolute path, and the window it was
 * written for: the folder watcher (team/watcher.ts) tells our own writes from other writers'
 * (git, a sync drive) by it, and tells the other windows of a write one window made.
 */
const ownWrites = new Map<string, FileStamp & { origin?: string }>();

/**
 * When `stats` describe the version of `file` this process last wrote: `{ origin }`, the window
 * it was written for (undefined outside an API call: the CLI, an import job). Null when another
 * writer wrote that version.
 */
export function ownWrite(file: string, stats: Pick<Stats, 'size' | 'mtimeMs' | 'ino'>): { origin?: string } | null {
  const own = ownWrites.get(path.resolve(file));
  if (own === undefined || own.size !== stats.size || own.mtimeMs !== stats.mtimeMs || own.ino !== stats.ino) return null;
  return own.origin === undefined ? {} : { origin: own.origin };
}

/** True when `stats` describe the version of `file` this process last wrote. */
export function isOwnWrite(file: string, stats: Pick<Stats, 'size' | 'mtimeMs' | 'ino'>): boolean {
  return ownWrite(file, stats) !== null;
}

export function sameStamp(a: FileStamp | null, b: FileStamp | null): boolean {
  if (a === null || b === null) return a === b;
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** The stamp of a file now, or null when it does not exist. */
export async function stampOf(file: string): Promise<FileStamp | null> {
  try {
    const info = await stat(file);
    return { ino: info.ino, size: info.size, mtimeMs: info.mtimeMs };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new MarginError('store', `Cannot read ${file}: ${plainReason(error as Error)}.`);
  }
}

/** The stamp of a file now, read synchronously (a check of thousands of files in one go), or null when it does not exist. */
export function stampOfSync(file: string): FileStamp | null {
  const info = statSync(file, { throwIfNoEntry: false });
  return info ? { ino: info.ino, size: info.size, mtimeMs: info.mtimeMs } : null;
}

/** Temporary files are `.<name>.<pid>.<n>.tmp` beside their target: the pid says whose they are. */
export const TEMP_FILE = /^\..+\.(\d+)\.\d+\.tmp$/;

let tempCounter = 0;

/**
 * Writes to a temporary file, flushes it to the disk, then renames it over the target. Returns
 * the stamp of the version written, taken before the rename, so a writer that replaces the file
 * right after can never be mistaken for us.
 */
export async function writeFileDurably(file: string, content: string): Promise<FileStamp> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${++tempCounter}.tmp`);
  // Any failure (too many open files, a full disk) is told as which file and what to do; the target is untouched.
  const handle = await open(temp, 'w').catch((error: unknown) => Promise.reject(savingFailed(file, error)));
  let written: FileStamp;
  try {
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
      // Recorded before the rename, so the watcher never sees the new version unrecorded.
      const { size, mtimeMs, ino } = await handle.stat();
      written = { size, mtimeMs, ino };
      const origin = writeOrigin.getStore();
      ownWrites.set(path.resolve(file), origin === undefined ? written : { ...written, origin });
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw savingFailed(file, error);
  }
  await fsyncDir(path.dirname(file));
  return written;
}

/** The content of a stored file, parsed and checked; an error naming the file when it is not JSON or not of that shape. */
export function parseStoredJson<T>(file: string, raw: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new MarginError('store', `${file} is not valid JSON (${(error as Error).message}). Margin has left it untouched; fix or remove it.`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new MarginError('store', `${file} does not have the expected shape (${issues.slice(0, 3).join('; ')}). Margin has left it untouched.`, issues);
  }
  return parsed.data;
}

/**
 * lowdb adapter for one JSON file. Reads are validated against a schema; a file that does not
 * parse or validate raises an error naming it and is never written over.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  /** Writes to one file go out in call order, so a slower earlier write never lands last. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly schema: z.ZodType<T>,
  ) {}

  async read(): Promise<T | null> {
    let raw: string;
    try {
      raw = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new MarginError('store', `Cannot read ${this.file}: ${plainReason(error as Error)}.`);
    }
    return parseStoredJson(this.file, raw, this.schema);
  }

  /** The stamp of the last version this adapter wrote (lowdb's write() resolves to nothing). */
  lastWritten: FileStamp | null = null;

  write(data: T): Promise<void> {
    const content = stableStringify(data);
    const done = this.queue.then(async () => {
      this.lastWritten = await writeFileDurably(this.file, content);
    });
    this.queue = done.catch(() => undefined);
    return done;
  }
}
