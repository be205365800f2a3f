import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Workspace } from '../../electron/services/workspace';
import type { SyncProgress, SyncReport } from '../../shared/api';
import type { TempDirs } from './helpers';

/**
 * Git set-up for the team tests: a bare repository standing in for the team's remote, clones of
 * it, and git configured as on a fresh machine (no user.name or user.email, no system or global
 * config), so Sync's own identity (-c user.name=<annotator>) is what the commits carry.
 */
export function isolateGit(temps: TempDirs): void {
  const config = path.join(temps.make('margin-gitconfig-'), 'gitconfig');
  writeFileSync(config, '');
  process.env.GIT_CONFIG_GLOBAL = config;
  process.env.GIT_CONFIG_NOSYSTEM = '1';
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A bare repository, as a team's shared remote would be. */
export function bareRemote(temps: TempDirs): string {
  const remote = path.join(temps.make('margin-remote-'), 'team.git');
  execFileSync('git', ['-c', 'init.defaultBranch=main', 'init', '-q', '--bare', remote]);
  return remote;
}

export function cloneOf(remote: string, dir: string): string {
  execFileSync('git', ['clone', '-q', remote, dir], { stdio: 'ignore' });
  return dir;
}

/**
 * A workspace on `projectDir` with its own settings folder, signed in as `name`. A project made
 * here shows every annotator's layer (blind annotation off), as openWorkspace's do.
 */
export async function workspaceAs(temps: TempDirs, projectDir: string, name: string): Promise<Workspace> {
  const workspace = await Workspace.open({ userData: temps.make(`margin-user-${name}-`), projectDir, mode: 'browser', newProjectSettings: { blindAnnotation: false } });
  await workspace.handlers.setAnnotator({ name });
  return workspace;
}

/** Sync through the API, as the window does: start the job, then poll until it is finished. */
export async function runSync(workspace: Workspace): Promise<{ progress: SyncProgress; steps: string[] }> {
  const steps: string[] = [];
  let progress = await workspace.handlers.startSync({});
  for (;;) {
    if (steps.at(-1) !== progress.step) steps.push(progress.step);
    if (progress.finished) return { progress, steps };
    await new Promise((resolve) => setTimeout(resolve, 5));
    progress = await workspace.handlers.syncProgress({ jobId: progress.jobId });
  }
}

/** A Sync that must not fail outright: its report, and the steps the window saw. */
export async function syncThroughApi(workspace: Workspace): Promise<{ report: SyncReport; steps: string[] }> {
  const { progress, steps } = await runSync(workspace);
  if (progress.error || !progress.result) throw new Error(progress.error ?? 'the sync finished without a report');
  return { report: progress.result, steps };
}
