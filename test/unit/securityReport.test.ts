/**
 * The summary at the end of `npm test`: it must fail the run when a producer did not report or a
 * row counts failures, and say which file or row is at fault.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatTable, readReport } from '../../scripts/securityReport';
import { REPO_ROOT, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

function reportDir(files: Record<string, unknown>): string {
  const dir = path.join(temps.make('margin-secreport-'), '.security-report');
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

const clean = (check: string, total: number) => ({ check, passed: total, total, failures: 0 });

describe('the security summary', () => {
  it('passes when every expected producer reported clean rows, parts of a producer included', () => {
    const dir = reportDir({
      'fuses.json': [clean('fuses', 6)],
      'fuzz-articles.json': [clean('fuzz: html', 1000)],
      'fuzz-annotations.json': [clean('fuzz: brat', 1000)],
    });
    const report = readReport(dir, ['fuses', 'fuzz']);
    expect(report.problems).toEqual([]);
    expect(report.rows.map((r) => [r.producer, r.check])).toEqual([
      ['fuses', 'fuses'],
      ['fuzz', 'fuzz: brat'],
      ['fuzz', 'fuzz: html'],
    ]);
  });

  it('fails on a missing producer, a row with failures and a malformed file, naming each', () => {
    const dir = reportDir({
      'fuses.json': [{ check: 'fuses', passed: 5, total: 6, failures: 1, detail: 'runAsNode loosened' }],
      'probes.json': '{ not json',
      'odd.json': [{ check: 'x', passed: -1, total: 1, failures: 0 }],
    });
    const { problems } = readReport(dir, ['fuses', 'probes', 'electronegativity']);
    expect(problems).toEqual([
      'odd.json: row "x": "passed" must be a whole number of 0 or more',
      'probes.json is not valid JSON',
      expect.stringContaining('no report from "electronegativity"'),
      'fuses: 1 failure',
    ]);
  });

  it('prints one aligned table', () => {
    const table = formatTable([clean('fuses', 6), { check: 'electronegativity', passed: 9, total: 9, failures: 0, detail: '0 unsuppressed' }]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^Security check\s+\| Passed \| Total \| Failures \| Detail$/);
    expect(lines[2]).toMatch(/^fuses\s+\|\s+6 \|\s+6 \|\s+0 \|$/);
    expect(lines[3]).toContain('0 unsuppressed');
    expect(new Set([lines[0], lines[2], lines[3]].map((l) => l!.indexOf('|')))).toEqual(new Set([lines[1]!.indexOf('+')]));
  });

  it('as a command, exits 1 and names what is missing', () => {
    // Run against an empty temp copy of the report folder through the real script entry.
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'securityReport.ts')], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, MARGIN_SECURITY_REPORT_DIR: reportDir({}) },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no report from "fuses"');
    expect(result.stdout).toContain('Security summary');
  });
});
