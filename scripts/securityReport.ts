/**
 * The last step of `npm test`: one table of every security check the suite ran (see
 * test/securityReport.ts for who writes what). Exits 1 when an expected producer wrote nothing
 * (its tests did not run, or crashed before recording) or when any row counts a failure, so a
 * green suite always means every row below was produced by this run and is clean.
 *
 *   tsx scripts/securityReport.ts           print and check
 *   tsx scripts/securityReport.ts --clear   empty .security-report/ (the first step of npm test)
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { REPORT_DIR, type Row } from '../test/securityReport';

/** Producers that must have reported; each helper adds its name when its producer lands. */
export const EXPECTED_PRODUCERS = ['fuses', 'electronegativity', 'fuzz', 'probes'];

export interface Report {
  rows: (Row & { producer: string })[];
  problems: string[];
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function rowProblem(row: unknown): string | null {
  if (typeof row !== 'object' || row === null) return 'a row is not an object';
  const r = row as Record<string, unknown>;
  if (typeof r.check !== 'string' || r.check === '') return 'a row has no "check" name';
  for (const field of ['passed', 'total', 'failures'] as const) {
    if (!isCount(r[field])) return `row "${r.check}": "${field}" must be a whole number of 0 or more`;
  }
  if (r.detail !== undefined && typeof r.detail !== 'string') return `row "${r.check}": "detail" must be text`;
  return null;
}

/** `<name>.json` and `<name>-<part>.json` both belong to producer `<name>`. */
function producerOf(file: string, expected: readonly string[]): string {
  const base = file.slice(0, -'.json'.length);
  return expected.find((name) => base === name || base.startsWith(`${name}-`)) ?? base;
}

export function readReport(dir: string, expected: readonly string[] = EXPECTED_PRODUCERS): Report {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
  const rows: Report['rows'] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    const producer = producerOf(file, expected);
    seen.add(producer);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    } catch {
      problems.push(`${file} is not valid JSON`);
      continue;
    }
    if (!Array.isArray(parsed)) {
      problems.push(`${file} must hold an array of rows`);
      continue;
    }
    for (const row of parsed) {
      const problem = rowProblem(row);
      if (problem) problems.push(`${file}: ${problem}`);
      else rows.push({ ...(row as Row), producer });
    }
  }
  for (const name of expected) {
    if (!seen.has(name)) problems.push(`no report from "${name}": its tests did not run or did not finish (expected ${name}.json or ${name}-<part>.json in ${path.basename(dir)}/)`);
  }
  for (const row of rows) {
    if (row.failures > 0) problems.push(`${row.check}: ${row.failures} failure${row.failures === 1 ? '' : 's'}`);
  }
  return { rows, problems };
}

export function formatTable(rows: Row[]): string {
  const header = ['Security check', 'Passed', 'Total', 'Failures', 'Detail'];
  const body = rows.map((r) => [r.check, String(r.passed), String(r.total), String(r.failures), r.detail ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const numeric = new Set([1, 2, 3]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join(' | ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  return [line(header), rule, ...body.map(line)].join('\n');
}

function main(argv: string[]): number {
  if (argv.includes('--clear')) {
    rmSync(REPORT_DIR, { recursive: true, force: true });
    return 0;
  }
  const { rows, problems } = readReport(REPORT_DIR);
  console.log('\nSecurity summary');
  console.log(formatTable(rows));
  if (problems.length === 0) {
    console.log(`\nAll ${rows.length} security checks passed.`);
    return 0;
  }
  console.error(`\nSecurity summary FAILED:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) process.exitCode = main(process.argv.slice(2));
