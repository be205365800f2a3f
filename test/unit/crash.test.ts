import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleChild } from '../crash/childProcess';
import { runCrashTest, summaryLine } from '../crash/crashRun';
import { samplePaths } from './helpers';

/**
 * Issue 9, "Crash test kept": a reliability engineer killed Margin's server 220 times at random
 * moments and lost nothing. This is that test, kept: a real process works on a project through
 * the API and is killed with SIGKILL; the next one opens the same folder and finds every
 * acknowledged write, no corrupt file, no temporary file, and the dead process's lock taken over.
 * MARGIN_CRASH_SEED and MARGIN_CRASH_KILLS run other seeds or more kills.
 */
const SEED = Number(process.env.MARGIN_CRASH_SEED ?? 42);
const KILLS = Number(process.env.MARGIN_CRASH_KILLS ?? 220);

describe('crash test', () => {
  let root: string;
  let bundle: string;

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'margin-crash-'));
    bundle = await bundleChild(root);
  }, 60_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  // The timeout only stops a hung run: a loaded machine may take minutes, which is no failure.
  it(`loses no acknowledged write over ${KILLS} kills of the process writing (seed ${SEED})`, { timeout: 600_000 }, async () => {
    const texts = samplePaths()
      .slice(0, 3)
      .map((file) => ({ title: path.basename(file, '.txt'), text: readFileSync(file, 'utf8') }));
    const figures = await runCrashTest({
      bundle,
      projectDir: path.join(root, 'project'),
      userData: path.join(root, 'user-data'),
      kills: KILLS,
      seed: SEED,
      texts,
    });
    console.log(summaryLine(figures, SEED));
    console.log(
      `[crash] ${figures.killsMidWrite} kills cut a write off, ${figures.killsWhileOpening} came while the project was being opened; ` +
        `slowest reopen ${(figures.slowestReopenMs / 1000).toFixed(1)} s`,
    );

    expect(figures.failedRestarts).toEqual([]);
    expect(figures.lost).toEqual([]);
    expect(figures.corruptFiles).toEqual([]);
    expect(figures.tempFilesAfterReopen).toEqual([]);
    expect(figures.unexpected).toEqual([]);
    expect(figures.failedCalls).toEqual([]);
    expect(figures.kills).toBe(KILLS);
    expect(figures.acknowledgedWrites).toBeGreaterThan(KILLS);
    // Most kills must land while a write is under way, or the test proves little.
    expect(figures.killsMidWrite).toBeGreaterThan(KILLS / 2);
  });
});
