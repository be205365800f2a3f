import fc from 'fast-check';
import type { Row } from '../securityReport';
import { FUZZ_SEED } from './settings';

/** What went wrong in one case: the code threw, a refused input changed the project, or a message is unfit for a reader. */
export type FailureKind = 'uncaught' | 'changed' | 'message';

export interface Failure {
  kind: FailureKind;
  what: string;
}

/** Thrown by a check inside a case; anything else a case throws counts as uncaught. */
export class CaseFailure extends Error {
  constructor(
    readonly kind: Exclude<FailureKind, 'uncaught'>,
    what: string,
  ) {
    super(what);
  }
}

/**
 * Cases run and failures found for one parser. Every case runs (a failure does not stop the
 * run), so the count in the summary table is the real number of failing cases; the first few
 * are kept, with the input, to show in the test's failure message.
 */
export class Tally {
  cases = 0;
  readonly counts: Record<FailureKind, number> = { uncaught: 0, changed: 0, message: 0 };
  readonly examples: string[] = [];

  constructor(readonly check: string) {}

  get failures(): number {
    return this.counts.uncaught + this.counts.changed + this.counts.message;
  }

  record(input: string, error: unknown): void {
    const failure: Failure =
      error instanceof CaseFailure ? { kind: error.kind, what: error.message } : { kind: 'uncaught', what: error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ''}` : String(error) };
    this.counts[failure.kind]++;
    if (this.examples.length < 5) this.examples.push(`case ${this.cases} (${failure.kind}): ${failure.what.slice(0, 1500)}\n  input: ${input.slice(0, 600)}`);
  }

  row(): Row {
    const { uncaught, changed, message } = this.counts;
    return { check: this.check, passed: this.cases - this.failures, total: this.cases, failures: this.failures, detail: `${uncaught} uncaught, ${changed} project changes on refusal, ${message} unfit messages; seed ${FUZZ_SEED}` };
  }
}

/** A short, printable view of a case's input for a failure message. */
export function show(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.length} bytes: ${JSON.stringify(Buffer.from(value.subarray(0, 300)).toString('latin1'))}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Runs `runs` cases of `arbitrary` through `body` with the fixed seed. The property itself never
 * fails: each case's outcome goes into the tally, so every case runs and all failures are counted.
 */
export async function fuzzCases<T>(tally: Tally, arbitrary: fc.Arbitrary<T>, runs: number, body: (value: T) => Promise<void> | void, seedOffset = 0): Promise<Tally> {
  if (runs === 0) return tally;
  await fc.assert(
    fc.asyncProperty(arbitrary, async (value) => {
      tally.cases++;
      try {
        await body(value);
      } catch (error) {
        tally.record(show(value), error);
      }
    }),
    { seed: FUZZ_SEED + seedOffset, numRuns: runs },
  );
  return tally;
}

/** The failures as one message, for expect(...).toEqual([]) to print. */
export function failuresOf(tally: Tally): string[] {
  return tally.failures === 0 ? [] : [`${tally.check}: ${tally.failures} failing case(s) of ${tally.cases}`, ...tally.examples];
}
