/**
 * The shape of a benchmark figure, how runs are summarised, how targets are judged, and the table
 * printed at the end. Every figure is the median of its runs; min and max show the spread.
 */

export type Unit = 'ms' | 's' | 'MB' | 'nodes';

/** A target is an upper bound on the median, and optionally a bound relative to another figure or to the peer. */
export interface Target {
  /** The median must be at most this (same unit). */
  max?: number;
  /** …and at most `factor` times the median of scenario `of`. */
  relative?: { of: string; factor: number };
  /** …and below the peer's median on the same scenario. */
  belowPeer?: boolean;
}

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export interface Scenario extends Summary {
  name: string;
  unit: Unit;
  /** What is measured, in a few words (printed under the table, kept in results.json). */
  what: string;
  target?: number;
  /** The target in words, with its relative parts ("≤ 300 ms and ≤ 1.5× view.baseline"). */
  targetText?: string;
  /** The peer's median on the same scenario, same machine, same run. */
  peer?: number;
  peerMin?: number;
  peerMax?: number;
  /** Why the peer has no figure here, when it should have one. */
  peerError?: string;
  pass?: boolean;
  /** Why a scenario could not be measured (then median/min/max are null in results.json). */
  error?: string;
  note?: string;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('no samples to summarise');
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median: round(median), min: round(sorted[0]!), max: round(sorted[sorted.length - 1]!), runs: sorted.length };
}

/** The nearest-rank percentile of a list of samples (p in 0..100). */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function round(n: number): number {
  return Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 10) / 10;
}

function targetFields(target: Target | undefined): { target?: number; targetSpec?: Target } {
  if (!target) return {};
  return target.max === undefined ? { targetSpec: target } : { target: target.max, targetSpec: target };
}

/** Builds a scenario from its samples; `target` is judged later, once every figure is known. */
export function scenario(name: string, unit: Unit, what: string, samples: readonly number[], target?: Target): Scenario & { targetSpec?: Target } {
  return { name, unit, what, ...summarize(samples), ...targetFields(target) };
}

/** A scenario that could not be measured, with the reason. */
export function failed(name: string, unit: Unit, what: string, error: string, target?: Target): Scenario & { targetSpec?: Target } {
  return { name, unit, what, median: NaN, min: NaN, max: NaN, runs: 0, error, ...targetFields(target) };
}

function describe(target: Target, unit: Unit): string {
  const parts = target.max === undefined ? [] : [`≤ ${target.max.toLocaleString('en')} ${unit}`];
  if (target.relative) parts.push(`≤ ${target.relative.factor}× ${target.relative.of}`);
  if (target.belowPeer) parts.push('below the peer');
  return parts.join(' and ');
}

/** Judges every target (relative ones against the other figures of the same run). */
export function judge(scenarios: (Scenario & { targetSpec?: Target })[]): Scenario[] {
  const byName = new Map(scenarios.map((s) => [s.name, s]));
  return scenarios.map(({ targetSpec, ...s }) => {
    if (!targetSpec) return s;
    const out: Scenario = { ...s, targetText: describe(targetSpec, s.unit) };
    if (s.error) return { ...out, pass: false };
    let pass = targetSpec.max === undefined || s.median <= targetSpec.max;
    const notes: string[] = s.note ? [s.note] : [];
    if (targetSpec.relative) {
      const other = byName.get(targetSpec.relative.of);
      if (!other || other.error) {
        pass = false;
        notes.push(`${targetSpec.relative.of} was not measured, so the relative bound cannot be checked`);
      } else {
        pass &&= s.median <= targetSpec.relative.factor * other.median;
        notes.push(`${round(s.median / other.median)}× ${targetSpec.relative.of}`);
      }
    }
    if (targetSpec.belowPeer) {
      if (s.peer === undefined) {
        pass = false;
        notes.push('the peer was not measured, so "below the peer" cannot be checked');
      } else pass &&= s.median < s.peer;
    }
    return { ...out, pass, ...(notes.length ? { note: notes.join('; ') } : {}) };
  });
}

const fmt = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '—' : n.toLocaleString('en'));

/** The table printed at the end of a run (and, in Markdown, in the README). */
export function tableRows(scenarios: readonly Scenario[]): string[][] {
  return scenarios.map((s) => [
    s.name,
    s.error ? 'not measured' : `${fmt(s.median)} ${s.unit}`,
    fmt(s.min),
    fmt(s.max),
    String(s.runs),
    s.targetText ?? '—',
    s.pass === undefined ? '' : s.pass ? 'pass' : 'FAIL',
    s.peer === undefined ? (s.peerError ? 'failed' : '—') : `${fmt(s.peer)} ${s.unit}`,
  ]);
}

export const TABLE_HEADER = ['scenario', 'median', 'min', 'max', 'runs', 'target', 'result', 'peer (median)'];

export function printTable(scenarios: readonly Scenario[], log: (line: string) => void): void {
  const rows = [TABLE_HEADER, ...tableRows(scenarios)];
  const widths = TABLE_HEADER.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const [i, row] of rows.entries()) {
    log(row.map((cell, c) => (c === 0 || c === 5 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
    if (i === 0) log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  for (const s of scenarios) {
    if (s.error) log(`${s.name}: not measured: ${s.error}`);
    if (s.peerError) log(`${s.name}: peer not measured: ${s.peerError}`);
    if (s.note) log(`${s.name}: ${s.note}`);
  }
}
