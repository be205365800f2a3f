import { execFile } from 'node:child_process';
import { open, writeFile } from 'node:fs/promises';

/**
 * Writing the many small files of a folder export (brat: two per document and annotator, 40,000
 * for the benchmark project) fast, and durably before the folder takes its name.
 *
 * Why not one file at a time with an fsync each: the export then mostly waits on the disk. Files
 * are written a few dozen at a time by the thread pool while the next documents are read and
 * formatted, and made durable together at the end: on Linux by one syncfs(2) of the file system
 * that holds them (`sync -f`, coreutils), which costs about one fsync instead of 40,000;
 * elsewhere, or when that cannot run, by an fsync per file.
 */

const WRITES_IN_FLIGHT = 32;
const FSYNCS_IN_FLIGHT = 64;

/** Flushes a file already written to the disk. */
export async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** syncfs(2) of the file system holding `folder`; false when it could not be run (then nothing is known). */
function syncFileSystem(folder: string): Promise<boolean> {
  if (process.platform !== 'linux') return Promise.resolve(false);
  return new Promise((resolve) => execFile('sync', ['-f', folder], (error) => resolve(error === null)));
}

export class FolderWriter {
  private readonly pending = new Set<Promise<void>>();
  private readonly written: string[] = [];
  private failure: { error: unknown } | null = null;

  /** Starts writing a new file (it must not exist); waits while WRITES_IN_FLIGHT are running. Raises an earlier write's failure. */
  async write(file: string, content: string): Promise<void> {
    this.raise();
    const running: Promise<void> = writeFile(file, content, { encoding: 'utf8', flag: 'wx' })
      .then(() => void this.written.push(file))
      .catch((error: unknown) => void (this.failure ??= { error }))
      .finally(() => this.pending.delete(running));
    this.pending.add(running);
    if (this.pending.size >= WRITES_IN_FLIGHT) await Promise.race(this.pending);
    this.raise();
  }

  /** Waits for every write and makes every file durable; raises the first failure. */
  async finish(folder: string): Promise<void> {
    await this.settle();
    this.raise();
    if (await syncFileSystem(folder)) return;
    for (let i = 0; i < this.written.length; i += FSYNCS_IN_FLIGHT) await Promise.all(this.written.slice(i, i + FSYNCS_IN_FLIGHT).map(fsyncFile));
  }

  /** Waits for every write, failed or not: before removing the folder, so none puts a file back into it. */
  async settle(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private raise(): void {
    if (this.failure) throw this.failure.error;
  }
}
