/**
 * `npm run fuzz`: the fuzz tests of `npm test` with many more cases (20,000 per parser unless
 * FUZZ_RUNS says otherwise; FUZZ_SEED picks other inputs), for a nightly run or before a release.
 *
 *   npm run fuzz
 *   FUZZ_SEED=42 FUZZ_RUNS=50000 npm run fuzz
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, FUZZ_RUNS: process.env.FUZZ_RUNS ?? '20000' };
const files = ['test/unit/fuzzArticles.test.ts', 'test/unit/fuzzAnnotations.test.ts'];
const run = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...files], { cwd: root, env, stdio: 'inherit' });
process.exitCode = run.status ?? 1;
