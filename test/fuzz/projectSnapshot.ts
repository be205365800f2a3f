import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { INDEX_FILE } from '../../electron/services/store/projectIndex';
import { listFilesRecursive } from '../unit/helpers';
import { CaseFailure } from './tally';

/**
 * Every file of a project folder and a hash of its bytes: two equal snapshots mean byte-identical
 * folders. The project index is left out: a git-ignored cache the store writes when it likes
 * (store/projectIndex.ts), not the project's data.
 */
export function snapshotProject(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const rel of listFilesRecursive(dir)) {
    if (rel !== INDEX_FILE) files.set(rel, createHash('sha256').update(readFileSync(path.join(dir, rel))).digest('hex'));
  }
  return files;
}

/** Fails the case when the folder is not byte-identical to `before`, naming the files that differ. */
export function expectUnchanged(before: Map<string, string>, dir: string, why: string): void {
  const after = snapshotProject(dir);
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((f) => before.get(f) !== after.get(f));
  if (changed.length > 0) throw new CaseFailure('changed', `${why}, yet the project changed: ${changed.join(', ')}`);
}
