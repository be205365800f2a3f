/**
 * Runs a scenario several times within a time budget. A scenario always gets all its runs while
 * it meets its target; one that is over its target and over its budget stops early, after
 * MIN_RUNS runs, with a note saying so: more runs of a 40-second export would not change a
 * 10-second verdict, and the whole benchmark must stay within 15 minutes on this machine.
 */
import { summarize } from './results';

export const MIN_RUNS = 2;

export interface RepeatOptions<K extends string> {
  runs: number;
  /** Wall time this scenario may take (all runs), ms. */
  budgetMs: number;
  /** The figure the target is about, and the target, for the early stop. */
  primary: K;
  target?: number;
  log: (line: string) => void;
  label: string;
}

export interface Repeated<K extends string> {
  samples: Record<K, number[]>;
  /** Fewer runs than asked, and why. */
  note?: string;
  /** No run succeeded: why. */
  error?: string;
}

/** Calls `run` up to `runs` times; each call returns one sample per figure it measures. */
export async function repeat<K extends string>(options: RepeatOptions<K>, run: (index: number) => Promise<Record<K, number>>): Promise<Repeated<K>> {
  const samples = {} as Record<K, number[]>;
  const started = performance.now();
  for (let i = 0; i < options.runs; i++) {
    const runStart = performance.now();
    try {
      const figures = await run(i);
      for (const [key, value] of Object.entries(figures) as [K, number][]) (samples[key] ??= []).push(value);
      options.log(`  ${options.label} run ${i + 1}: ${Object.entries(figures).map(([k, v]) => `${k} ${(v as number).toFixed(1)}`).join(', ')}`);
    } catch (error) {
      const message = (error as Error).message.split('\n')[0]!;
      options.log(`  ${options.label} run ${i + 1} failed: ${message}`);
      const done = samples[options.primary]?.length ?? 0;
      if (done === 0) return { samples, error: message };
      return { samples, note: `stopped after ${done} runs: run ${i + 1} failed (${message})` };
    }
    const last = performance.now() - runStart;
    const done = i + 1;
    const elapsed = performance.now() - started;
    const primary = samples[options.primary] ?? [];
    const overTarget = options.target !== undefined && primary.length > 0 && summarize(primary).median > options.target;
    if (done >= MIN_RUNS && done < options.runs && overTarget && elapsed + last > options.budgetMs) {
      return {
        samples,
        note: `${done} runs instead of ${options.runs}: each took about ${(last / 1000).toFixed(0)} s, over this scenario's time budget (${(options.budgetMs / 1000).toFixed(0)} s), and its median is over the target`,
      };
    }
  }
  return { samples };
}

/** What every group of scenarios is given. */
export interface RunSettings {
  runs: number;
  log: (line: string) => void;
}

/** A group's figures: samples by figure name, and notes and errors by figure name. */
export interface GroupResults {
  samples: Record<string, number[]>;
  notes: Record<string, string>;
  errors: Record<string, string>;
}

export const emptyResults = (): GroupResults => ({ samples: {}, notes: {}, errors: {} });

/**
 * Adds a repeated scenario to `out`: an error goes to every figure it reports (`names`), a note
 * about its runs to the first (the others show the same run count).
 */
export function collect(out: GroupResults, repeated: Repeated<string>, names: readonly string[]): void {
  Object.assign(out.samples, repeated.samples);
  const [first] = names;
  if (repeated.note && first) out.notes[first] = out.notes[first] ? `${out.notes[first]}; ${repeated.note}` : repeated.note;
  for (const name of names) if (repeated.error) out.errors[name] = repeated.error;
}
