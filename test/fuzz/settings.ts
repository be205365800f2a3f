/**
 * How much the fuzz tests run: a fixed seed (so a failure found once is found again) and a case
 * count per parser. `FUZZ_SEED` and `FUZZ_RUNS` override them; `npm run fuzz` sets a much larger
 * count. The values are printed so a failing run can be repeated exactly.
 */
export const DEFAULT_SEED = 20261129;
export const DEFAULT_RUNS = 1000;

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a whole number of 0 or more (it is "${raw}")`);
  return value;
}

export const FUZZ_SEED = positiveInteger('FUZZ_SEED', DEFAULT_SEED);
/** Cases per parser. */
export const FUZZ_RUNS = positiveInteger('FUZZ_RUNS', DEFAULT_RUNS);
/** Cases per format through a whole project (workspace, worker, write queue): far slower, so fewer. */
export const FUZZ_PROJECT_RUNS = Math.max(10, Math.ceil(FUZZ_RUNS / 100));

export function announce(what: string): void {
  console.log(`fuzz ${what}: seed ${FUZZ_SEED} (FUZZ_SEED), ${FUZZ_RUNS} cases per parser (FUZZ_RUNS), ${FUZZ_PROJECT_RUNS} per format through a project`);
}

/** A test's time limit that grows with the case count (a limit, not a timed assertion): `npm run fuzz` runs 20 times more. */
export const FUZZ_TIMEOUT_MS = Math.max(600_000, FUZZ_RUNS * 300);
