import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyEntry, type JournalEntry, journalOf } from '../../electron/services/store/layerJournal';
import { Workspace } from '../../electron/services/workspace';
import type { LayerFile, ProjectSettings } from '../../shared/model';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SAMPLES_DIR = path.join(REPO_ROOT, 'resources', 'samples');
export const MARGIN_BIN = path.join(REPO_ROOT, 'bin', 'margin.js');

export function samplePaths(): string[] {
  return readdirSync(SAMPLES_DIR)
    .filter((n) => n.endsWith('.txt'))
    .sort()
    .map((n) => path.join(SAMPLES_DIR, n));
}

/**
 * A temp folder per test, removed afterwards. Also points MARGIN_USER_DATA at a temp folder so
 * nothing a test runs can touch the real home folder.
 */
export class TempDirs {
  private dirs: string[] = [];
  private previousUserData: string | undefined;

  make(prefix = 'margin-test-'): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  /** Sets MARGIN_USER_DATA to a fresh temp folder and returns it. */
  userData(): string {
    this.previousUserData ??= process.env.MARGIN_USER_DATA ?? '';
    const dir = this.make('margin-userdata-');
    process.env.MARGIN_USER_DATA = dir;
    return dir;
  }

  cleanup(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    if (this.previousUserData !== undefined) {
      if (this.previousUserData === '') delete process.env.MARGIN_USER_DATA;
      else process.env.MARGIN_USER_DATA = this.previousUserData;
      this.previousUserData = undefined;
    }
  }
}

/**
 * A workspace on `projectDir`, made a new project when missing. A project made here shows every
 * annotator's layer to everyone (blind annotation off) unless `newProjectSettings` says otherwise:
 * the tests of other features are about those layers; blindMode.test.ts covers blind annotation
 * and the settings real new projects start with.
 */
export async function openWorkspace(
  temps: TempDirs,
  projectDir = path.join(temps.make(), 'project'),
  newProjectSettings: ProjectSettings = { blindAnnotation: false },
): Promise<Workspace> {
  const userData = temps.userData();
  return Workspace.open({ userData, projectDir, mode: 'browser', newProjectSettings });
}

/** Every file under `dir`, relative, sorted (hidden ones included: temp files must not linger). */
export function listFilesRecursive(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

/** The annotation layer file of one annotator on one document. */
export function layerPath(projectDir: string, annotator: string, docId: string): string {
  return path.join(projectDir, 'annotations', annotator, `${docId}.json`);
}

/** Offsets of the first occurrence of `needle`, or a thrown error (tests rely on the samples' text). */
export function spanOf(text: string, needle: string, from = 0): { start: number; end: number } {
  const start = text.indexOf(needle, from);
  if (start < 0) throw new Error(`"${needle}" is not in the text`);
  return { start, end: start + needle.length };
}

/** True when the JSON text has every object's keys in sorted order, at any depth. */
export function keysSortedEverywhere(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(keysSortedEverywhere);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    const sorted = [...keys].sort();
    return keys.every((k, i) => k === sorted[i]) && Object.values(value).every(keysSortedEverywhere);
  }
  return true;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/margin.js ...` as a user would, with its own MARGIN_USER_DATA. */
export function runMargin(args: string[], userData: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MARGIN_BIN, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, MARGIN_USER_DATA: userData },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A layer as it is on disk: its file with its journal of acknowledged changes applied
 * (store/layerJournal.ts), exactly what a reopened store reads.
 */
export function layerOnDisk(projectDir: string, annotator: string, docId: string): LayerFile {
  const file = layerPath(projectDir, annotator, docId);
  const layer = JSON.parse(readFileSync(file, 'utf8')) as LayerFile;
  const journal = journalOf(file);
  if (!existsSync(journal)) return layer;
  const lines = readFileSync(journal, 'utf8').split('\n').slice(0, -1);
  return lines.map((l) => JSON.parse(l) as JournalEntry).reduce(applyEntry, layer);
}
