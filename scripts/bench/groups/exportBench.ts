/**
 * `margin export` of the big project, one child process per run, as a user runs it: the time from
 * spawn to exit, and the process's peak resident memory. VmHWM in /proc/<pid>/status is the
 * kernel's high-water mark of the resident set, so sampling it every 50 ms misses at most the
 * growth of the last 50 ms before exit.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { marginBin } from '../processes';
import { collect, emptyResults, repeat, type GroupResults, type RunSettings } from '../repeat';

export interface ExportContext extends RunSettings {
  workDir: string;
  storeDir: string;
  env: NodeJS.ProcessEnv;
}

export const EXPORTS = [
  { format: 'jsonl', targetS: 10 },
  { format: 'w3c', targetS: 20 },
  { format: 'brat', targetS: 20 },
  { format: 'csv', targetS: 20 },
] as const;

/** Peak resident set of a live process, in MB; null once it is gone. */
function peakRssMB(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

async function exportOnce(ctx: ExportContext, format: string): Promise<{ seconds: number; rssMB: number }> {
  const out = path.join(ctx.workDir, `export-${format}${format === 'brat' ? '' : `.${format}`}`);
  const started = performance.now();
  const child = spawn(process.execPath, [marginBin, 'export', '--project', ctx.storeDir, '--format', format, '--out', out], { env: ctx.env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-1000)));
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, peakRssMB(child.pid!) ?? 0)), 50);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  rmSync(out, { recursive: true, force: true });
  if (code !== 0) throw new Error(`margin export --format ${format} exited with ${code}: ${stderr.trim().split('\n').pop()}`);
  return { seconds, rssMB: peak };
}

export async function exportBench(ctx: ExportContext): Promise<GroupResults> {
  const out = emptyResults();
  for (const { format, targetS } of EXPORTS) {
    const name = `export.${format}`;
    const r = await repeat({ runs: ctx.runs, budgetMs: targetS * 1000 * ctx.runs * 1.5, primary: name, target: targetS, log: ctx.log, label: name }, async () => {
      const { seconds, rssMB } = await exportOnce(ctx, format);
      return { [name]: seconds, [`${name}.rss`]: rssMB } as Record<string, number>;
    });
    collect(out, r, [name, `${name}.rss`]);
  }
  return out;
}
