import { lstat, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir } from './jsonFile';

/**
 * The project's trash: files a user deleted (a document with its layers and metadata edits),
 * kept in <project>/.margin-trash/<id>/ at their paths relative to the project, so putting them
 * back is a rename each. Hidden, so no part of Margin reads it as project data; git-ignored,
 * so a Sync never sends it. An entry older than KEEP_DAYS is purged when something else is deleted.
 */

export const TRASH_DIR = '.margin-trash';
export const KEEP_DAYS = 30;

export function trashEntryDir(projectDir: string, id: string): string {
  return path.join(projectDir, TRASH_DIR, id);
}

/** Every file under `dir`, relative to it (with "/"), sorted; [] when there is no such folder. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (folder: string, prefix: string) => {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory()) await walk(path.join(folder, entry.name), `${prefix}${entry.name}/`);
      else out.push(`${prefix}${entry.name}`);
    }
  };
  await walk(dir, '');
  return out;
}

async function move(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true });
  await rename(from, to);
}

/**
 * Moves `files` (relative to the project) into a new trash entry. All or nothing: when one
 * cannot be moved, those already moved go back and the error is raised.
 */
export async function moveToTrash(projectDir: string, id: string, files: readonly string[]): Promise<void> {
  const entry = trashEntryDir(projectDir, id);
  const moved: string[] = [];
  try {
    for (const file of files) {
      await move(path.join(projectDir, file), path.join(entry, file));
      moved.push(file);
    }
  } catch (error) {
    for (const file of moved.reverse()) await move(path.join(entry, file), path.join(projectDir, file)).catch(() => undefined);
    await rm(entry, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  for (const folder of new Set(files.map((f) => path.dirname(path.join(projectDir, f))))) await fsyncDir(folder);
}

/** The files of a trash entry (relative to the project), or null when there is no such entry. */
export async function trashedFiles(projectDir: string, id: string): Promise<string[] | null> {
  const entry = trashEntryDir(projectDir, id);
  if (!(await stat(entry).catch(() => null))?.isDirectory()) return null;
  return filesUnder(entry);
}

/**
 * Puts a trash entry's files back (except those in `skip`), then removes the entry. A file
 * already back where it belongs (an earlier restore cut short) is passed over.
 */
export async function restoreFromTrash(projectDir: string, id: string, files: readonly string[], skip: ReadonlySet<string> = new Set()): Promise<void> {
  const entry = trashEntryDir(projectDir, id);
  for (const file of files) {
    if (skip.has(file)) continue;
    const from = path.join(entry, file);
    if (!(await lstat(from).catch(() => null))) continue;
    await move(from, path.join(projectDir, file));
  }
  for (const folder of new Set(files.map((f) => path.dirname(path.join(projectDir, f))))) await fsyncDir(folder);
  await rm(entry, { recursive: true, force: true });
}

/** Removes the trash entries last changed more than KEEP_DAYS ago. */
export async function purgeTrash(projectDir: string, now = Date.now()): Promise<void> {
  const dir = path.join(projectDir, TRASH_DIR);
  const cutoff = now - KEEP_DAYS * 24 * 3600 * 1000;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const info = await stat(path.join(dir, name)).catch(() => null);
    if (info && info.mtimeMs < cutoff) await rm(path.join(dir, name), { recursive: true, force: true });
  }
}
