/**
 * electronegativity (Doyensec's Electron security linter) over electron/, renderer/ and the
 * build output out/. Its exit code is 0 whatever it finds, so this test reads its SARIF report and
 * fails on any finding not suppressed by a comment that says why:
 *
 *   // electronegativity-allow CHECK_ID: why this finding does not apply
 *   <!-- electronegativity-allow CHECK_ID: why ... -->
 *
 * on the finding's line or in the comment block right above it. A finding with no place (a
 * "global" one: something missing from the whole scanned folder) is suppressed by such a comment
 * anywhere in that folder. A finding in out/ that is the bundled copy of a suppressed source
 * finding (same check, same line of code) is suppressed with it: the bundler drops line comments.
 * Writes the "electronegativity" row of the security summary.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordSecurityRows } from '../securityReport';
import { REPO_ROOT } from '../unit/helpers';

const TARGETS = ['electron', 'renderer', 'out'] as const;
type Target = (typeof TARGETS)[number];

const CLI = path.join(REPO_ROOT, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js');
// Without it electronegativity guesses v0.1.0 and judges defaults long since changed.
const ELECTRON_VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
/**
 * Left out, and said so in the row: AVAILABLE_SECURITY_FIXES asks GitHub for newer Electron
 * releases, so its answer would depend on the network and the day, not on this change.
 */
const EXCLUDED = ['AvailableSecurityFixesGlobalCheck'];

const ALLOW = /electronegativity-allow\s+([A-Z_]+)\s*:\s*(.*)/;
/** A reason is a sentence, not a shrug: at least this many letters. */
const MIN_REASON = 20;

interface Finding {
  target: Target;
  check: string;
  file: string | null;
  line: number;
  sample: string;
}

interface Verdict extends Finding {
  suppressedBy: string | null;
}

/**
 * The desktop app's build (out/main, out/preload, out/renderer), copied as out/ into `workDir`.
 * out/cli holds the command line's bundles, which `margin` runs rebuild and prune while other
 * tests run: they are no part of the Electron app, and a file vanishing under the scan made it fail.
 */
function appBuildCopy(workDir: string): string {
  const copy = path.join(workDir, 'out');
  for (const part of ['main', 'preload', 'renderer']) cpSync(path.join(REPO_ROOT, 'out', part), path.join(copy, part), { recursive: true });
  return copy;
}

function runCli(target: Target, report: string, workDir: string): Promise<string> {
  const input = target === 'out' ? appBuildCopy(workDir) : path.join(REPO_ROOT, target);
  const args = [CLI, '-i', input, '-r', '-v', 'false', '-e', ELECTRON_VERSION, '-x', EXCLUDED.join(','), '-o', report];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`electronegativity exited with ${code} on ${target}/:\n${output}`))));
  });
}

interface SarifResult {
  ruleId?: string;
  locations?: { physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number; startColumn?: number; charLength?: number } } }[];
}

/**
 * The report is read as SARIF, written in one go: its CSV writer sends the header and the rows
 * as two writes that race, and the header sometimes lands over the first rows.
 */
async function scan(target: Target, workDir: string): Promise<{ findings: Finding[]; unparsed: string[] }> {
  const report = path.join(workDir, `${target}.sarif`);
  // eslint-disable-next-line no-control-regex
  const output = (await runCli(target, report, workDir)).replace(/\x1b\[[0-9;]*m/g, '');
  // A file it cannot parse is a file it did not check.
  const unparsed = [...output.matchAll(/(?:Tolerable error|Error) parsing (.+?) - /g)].map((m) => `${target}/${m[1]}`);
  const root = target === 'out' ? path.join(workDir, 'out') : path.join(REPO_ROOT, target);
  const results = ((JSON.parse(readFileSync(report, 'utf8')) as { runs?: { results?: SarifResult[] }[] }).runs ?? []).flatMap((run) => run.results ?? []);
  const findings: Finding[] = [];
  for (const result of results) {
    const location = result.locations?.[0]?.physicalLocation;
    const uri = location?.artifactLocation?.uri;
    // A result without a check or a file is a report this test cannot judge: it fails by name, never as a TypeError.
    if (!result.ruleId || !uri) {
      unparsed.push(`${target}/ report result ${JSON.stringify(result).slice(0, 200)}`);
      continue;
    }
    const global = uri === 'file:///';
    const line = global ? 0 : (location?.region?.startLine ?? 0);
    // The flagged text: the region of the file's line the check points at.
    const column = (location?.region?.startColumn ?? 1) - 1;
    const text = global ? '' : (readFileSync(path.join(root, uri), 'utf8').split('\n')[line - 1] ?? '');
    findings.push({ target, check: result.ruleId, file: global ? null : uri, line, sample: text.slice(column, column + (location?.region?.charLength ?? 0)).trim() });
  }
  return { findings, unparsed };
}

/** The finding's line and the comment block right above it (line or block comments, HTML or JS). */
function commentsAt(lines: string[], lineNumber: number): string[] {
  const index = lineNumber - 1;
  const block = [lines[index] ?? ''];
  let open: string | null = null;
  for (let i = index - 1; i >= 0; i--) {
    const text = lines[i]!.trim();
    if (open) {
      block.push(text);
      if (text.includes(open)) open = null;
      continue;
    }
    const whole = text.startsWith('//') || (text.startsWith('/*') && text.endsWith('*/')) || (text.startsWith('<!--') && text.endsWith('-->'));
    if (!whole && !text.endsWith('*/') && !text.endsWith('-->')) break;
    block.push(text);
    // The end of a comment that started further up: take every line up to its start.
    if (!whole) open = text.endsWith('*/') ? '/*' : '<!--';
  }
  return block;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|js|cjs|mjs|html)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

/** The suppression of `check` among these comments, as "where: why"; one without a reason goes to `bad`. */
function allowIn(texts: string[], check: string, where: string, bad: string[]): string | null {
  for (const text of texts) {
    const match = ALLOW.exec(text);
    if (!match || match[1] !== check) continue;
    const reason = match[2]!.replace(/\s*(\*\/|-->)\s*$/, '').trim();
    if (reason.replace(/[^\p{L}]/gu, '').length < MIN_REASON) {
      bad.push(`${where}: the suppression of ${check} gives no reason`);
      continue;
    }
    return `${where}: ${reason}`;
  }
  return null;
}

function judge(findings: Finding[], bad: string[]): Verdict[] {
  const linesOf = new Map<string, string[]>();
  const read = (file: string) => {
    if (!linesOf.has(file)) linesOf.set(file, readFileSync(file, 'utf8').split(/\r?\n/));
    return linesOf.get(file)!;
  };
  const verdicts = findings.map((f): Verdict => {
    const root = path.join(REPO_ROOT, f.target);
    if (f.file === null) {
      for (const file of sourceFiles(root)) {
        const by = allowIn(read(file), f.check, path.relative(REPO_ROOT, file), bad);
        if (by) return { ...f, suppressedBy: by };
      }
      return { ...f, suppressedBy: null };
    }
    const file = path.join(root, f.file);
    return { ...f, suppressedBy: allowIn(commentsAt(read(file), f.line), f.check, `${path.relative(REPO_ROOT, file)}:${f.line}`, bad) };
  });
  // out/ holds the bundles of electron/ and renderer/: a finding there on the same code as a
  // suppressed source finding is that finding again.
  const suppressedSource = verdicts.filter((v) => v.target !== 'out' && v.suppressedBy && v.file !== null);
  return verdicts.map((v) => {
    if (v.target !== 'out' || v.suppressedBy || v.file === null) return v;
    const source = suppressedSource.find((s) => s.check === v.check && s.sample === v.sample);
    return source ? { ...v, suppressedBy: `bundled copy of ${source.suppressedBy}` } : v;
  });
}

const describeWhere = (v: Finding) => `${v.check} in ${v.target}/${v.file === null ? ' (whole folder)' : `${v.file}:${v.line} (${v.sample})`}`;

let row: Parameters<typeof recordSecurityRows>[1][number] | null = null;
afterAll(() => {
  if (row) recordSecurityRows('electronegativity', [row]);
});

describe('electronegativity over electron/, renderer/ and out/', () => {
  it('finds nothing that is not suppressed by a comment saying why', { timeout: 300_000 }, async () => {
    const built = existsSync(path.join(REPO_ROOT, 'out', 'main', 'main.js')) && existsSync(path.join(REPO_ROOT, 'out', 'renderer', 'index.html'));
    const targets = TARGETS.filter((t) => t !== 'out' || built);
    if (!built) console.log('electronegativity: out/ is not built, so it is not scanned and the row fails: run `npm run build` first (npm test does)');
    const workDir = mkdtempSync(path.join(os.tmpdir(), 'margin-electronegativity-'));
    let scans;
    try {
      scans = await Promise.all(targets.map((t) => scan(t, workDir)));
    } catch (error) {
      // The tool itself failed: say so in the summary rather than leave the row missing.
      row = { check: 'electronegativity', passed: 0, total: 0, failures: 1, detail: 'electronegativity did not run to the end (see the test output)' };
      throw error;
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
    const badSuppressions: string[] = [];
    const verdicts = judge(scans.flatMap((s) => s.findings), badSuppressions);
    const unparsed = scans.flatMap((s) => s.unparsed);
    const open = verdicts.filter((v) => !v.suppressedBy);
    const suppressed = verdicts.filter((v) => v.suppressedBy);

    console.log(
      [
        `electronegativity ${ELECTRON_VERSION ? `(Electron ${ELECTRON_VERSION})` : ''} over ${targets.map((t) => `${t}/`).join(', ')}: ${verdicts.length} findings, ${suppressed.length} suppressed, ${open.length} not`,
        ...suppressed.map((v) => `  suppressed ${describeWhere(v)}\n    why: ${v.suppressedBy}`),
        ...open.map((v) => `  NOT SUPPRESSED ${describeWhere(v)}`),
        `  left out: ${EXCLUDED.join(', ')} (asks the network for newer Electron releases)`,
      ].join('\n'),
    );

    const failures = open.length + unparsed.length + badSuppressions.length + (built ? 0 : 1);
    row = {
      check: 'electronegativity',
      passed: suppressed.length,
      total: verdicts.length,
      failures,
      detail: `${verdicts.length} findings over ${targets.join('/, ')}/: ${suppressed.length} suppressed with a reason, ${open.length} unsuppressed${unparsed.length ? `, ${unparsed.length} files unparsed` : ''}${built ? '' : ', out/ not built'}`,
    };
    expect(open.map(describeWhere)).toEqual([]);
    expect(unparsed, 'files electronegativity could not parse, so did not check').toEqual([]);
    expect(badSuppressions).toEqual([]);
    expect(built, 'out/ must be built (npm run build) so the build output is scanned too').toBe(true);
  });
});

describe('how a suppression is found', () => {
  const why = 'the handler lives in the main process';
  it('in the comment block right above a finding, line or block comments, not further up', () => {
    const lines = ['x();', `<!-- electronegativity-allow X_CHECK: ${why} -->`, 'code();', '/* one', ' * two */', '// three', 'finding();', '<!-- a', `electronegativity-allow Y_CHECK: ${why} -->`, '<p>'];
    expect(commentsAt(lines, 7)).toEqual(['finding();', '// three', '* two */', '/* one']);
    expect(allowIn(commentsAt(lines, 3), 'X_CHECK', 'f:3', [])).toBe(`f:3: ${why}`);
    expect(allowIn(commentsAt(lines, 7), 'X_CHECK', 'f:7', [])).toBeNull();
    expect(allowIn(commentsAt(lines, 10), 'Y_CHECK', 'f:10', [])).toBe(`f:10: ${why}`);
  });

  it('only with a reason', () => {
    const bad: string[] = [];
    expect(allowIn(['// electronegativity-allow X_CHECK: fine'], 'X_CHECK', 'f:1', bad)).toBeNull();
    expect(allowIn(['// electronegativity-allow X_CHECK'], 'X_CHECK', 'f:1', bad)).toBeNull();
    expect(bad).toEqual(['f:1: the suppression of X_CHECK gives no reason']);
  });
});
