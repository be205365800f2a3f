import { open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import type { z } from 'zod';
import { MarginError } from '../errors';

/** Pretty-printed with sorted keys, so files diff cleanly when a project is shared through git. */
export function stableStringify(value: unknown): string {
  return `${JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  }, 2)}\n`;
}

async function fsyncDir(dir: string): Promise<void> {
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

/** Writes to a temporary file, flushes it to the disk, then renames it over the target. */
let tempCounter = 0;

export async function writeFileDurably(file: string, content: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${++tempCounter}.tmp`);
  const handle = await open(temp, 'w');
  try {
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await fsyncDir(path.dirname(file));
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
      throw new MarginError('store', `Cannot read ${this.file}: ${(error as Error).message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      throw new MarginError(
        'store',
        `${this.file} is not valid JSON (${(error as Error).message}). Margin has left it untouched; fix or remove it.`,
      );
    }
    const parsed = this.schema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
      throw new MarginError(
        'store',
        `${this.file} does not have the expected shape (${issues.slice(0, 3).join('; ')}). Margin has left it untouched.`,
        issues,
      );
    }
    return parsed.data;
  }

  write(data: T): Promise<void> {
    const content = stableStringify(data);
    const done = this.queue.then(() => writeFileDurably(this.file, content));
    this.queue = done.catch(() => undefined);
    return done;
  }
}
