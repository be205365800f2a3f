/**
 * Margin as the benchmark runs it: the real CLI (bin/margin.js) and `margin serve` as child
 * processes, each with its own user-data folder, so nothing touches the user's settings.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const marginBin = path.join(repoRoot, 'bin/margin.js');

/**
 * An environment whose user-data folder already knows the annotator's name, so the window opens
 * straight on the document list (no first-run question in the way of a timed start).
 */
export function marginEnv(userData: string, annotator: string): NodeJS.ProcessEnv {
  mkdirSync(userData, { recursive: true });
  writeFileSync(path.join(userData, 'settings.json'), `${JSON.stringify({ version: 1, annotator, lastProject: null }, null, 2)}\n`);
  return { ...process.env, MARGIN_USER_DATA: userData };
}

/** Runs the CLI to completion; its stdout, or an error with its stderr. */
export function runMargin(args: string[], env: NodeJS.ProcessEnv): string {
  const result = spawnSync(process.execPath, [marginBin, ...args], { env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`margin ${args[0]} failed (exit ${result.status}): ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return result.stdout;
}

export interface Server {
  url: string;
  /** Wall-clock time (ms since the epoch, sub-millisecond) at which the process was spawned. */
  spawnedAt: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Wall-clock milliseconds with the precision of performance.now(), comparable with a page's timeOrigin + now(). */
export const wallClock = () => performance.timeOrigin + performance.now();

/** Starts `margin serve` on `projectDir` and resolves with the URL it prints. */
export async function startServe(projectDir: string, env: NodeJS.ProcessEnv): Promise<Server> {
  const spawnedAt = wallClock();
  const child = spawn(process.execPath, [marginBin, 'serve', '--project', projectDir, '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`margin serve exited with ${code} before printing its URL: ${stderr.trim()}`)));
  });
  const match = /^Margin is running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)$/.exec(firstLine);
  if (!match) throw new Error(`margin serve printed "${firstLine}" instead of its URL`);
  return {
    url: match[1]!,
    spawnedAt,
    child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
