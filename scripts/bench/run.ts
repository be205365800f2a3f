/**
 * `npm run bench`: generates the workloads in a temporary folder (never committed), runs every
 * scenario of issue 10 in Chromium through browser mode and in Node, Margin and the peer
 * (@recogito/text-annotator 4.1.1) side by side, prints the table and writes bench/results.json
 * and the README's Performance section.
 *
 *   npm run bench [-- --runs 5] [--only view,peer,serve,store,export,import,agree] [--no-build] [--keep-work]
 *
 * A run with --only writes its results.json into the work folder instead, and leaves the README
 * alone. The work folder (about 1 GB) is removed at the end unless --keep-work.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from '@playwright/test';
import { launchChromium } from './browser/chromium';
import { agreeWhat, CATALOG } from './catalog';
import { exportBench } from './groups/exportBench';
import { importBench } from './groups/importBench';
import { serveBench } from './groups/serveBench';
import { storeBench } from './groups/storeBench';
import { machine } from './machine';
import { peerBench, servePeer } from './peer/peerBench';
import { marginEnv, repoRoot, startServe, type Server } from './processes';
import { writeReadme } from './readme';
import { failed, judge, printTable, scenario, type Scenario, type Target } from './results';
import { runAgreeBench } from './agree';
import { marginViewBench } from './view/marginView';
import type { GroupResults } from './repeat';
import { importReadingProject, readingWorkload, ANNOTATOR } from './workloads/readingView';
import { writeStoreProject } from './workloads/storeProject';

const GROUPS = ['view', 'peer', 'serve', 'store', 'export', 'import', 'agree'] as const;
type Group = (typeof GROUPS)[number];

export const benchDir = path.join(repoRoot, 'bench');
const workDir = path.join(os.tmpdir(), 'margin-bench');

const log = (line: string) => console.log(line);

function options() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      only: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      'keep-work': { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: a whole number of at least 1, not "${values.runs}"`);
  const only = values.only?.split(',').map((g) => g.trim());
  for (const g of only ?? []) if (!(GROUPS as readonly string[]).includes(g)) throw new Error(`--only: "${g}" is not one of ${GROUPS.join(', ')}`);
  return { runs, groups: new Set<Group>((only as Group[] | undefined) ?? GROUPS), full: only === undefined, build: !values['no-build'], keepWork: values['keep-work'] };
}

/** A timed step of the run, logged with how long it took. */
async function step<T>(title: string, work: () => Promise<T> | T): Promise<T> {
  log(`\n== ${title}`);
  const started = performance.now();
  const result = await work();
  log(`   (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return result;
}

async function main() {
  const opts = options();
  const started = performance.now();
  const loadAtStart = Math.round(os.loadavg()[0]! * 100) / 100;
  const samples: Record<string, number[]> = {};
  const peerSamples: Record<string, number[]> = {};
  const notes: Record<string, string> = {};
  const errors: Record<string, string> = {};
  const peerErrors: Record<string, string> = {};
  const extra: (Scenario & { targetSpec?: Target })[] = [];
  const merge = (r: GroupResults, into: Record<string, number[]>, errorsInto: Record<string, string>) => {
    Object.assign(into, r.samples);
    for (const [k, v] of Object.entries(r.notes)) notes[k] = notes[k] ? `${notes[k]}; ${v}` : v;
    Object.assign(errorsInto, r.errors);
  };

  if (opts.build) await step('Building the app (npm run build)', () => execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'ignore' }));
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });

  let browser: Browser | null = null;
  let chromiumVersion: string | null = null;
  const servers: Server[] = [];
  const closers: (() => Promise<void>)[] = [];
  try {
    const needsBrowser = ['view', 'peer', 'serve', 'import'].some((g) => opts.groups.has(g as Group));
    if (needsBrowser) {
      browser = await launchChromium();
      chromiumVersion = browser.version();
    }
    const needsReading = opts.groups.has('view') || opts.groups.has('peer') || opts.groups.has('store');
    const workload = needsReading ? await step('Reading-view workload (../shared/bench/workload.mjs)', () => readingWorkload()) : null;
    const env = marginEnv(path.join(workDir, 'user-data'), ANNOTATOR);

    if (opts.groups.has('view') && workload && browser) {
      const viewDir = path.join(workDir, 'view');
      const baselineDir = path.join(workDir, 'baseline');
      await step('Writing the article into two projects (margin import-annotations)', () => {
        importReadingProject(workload, viewDir, true, env);
        importReadingProject(workload, baselineDir, false, env);
      });
      const view = await startServe(viewDir, env);
      servers.push(view);
      const baseline = await startServe(baselineDir, env);
      servers.push(baseline);
      const b = browser;
      merge(await step('Reading view: Margin', () => marginViewBench({ browser: b, workload, viewUrl: view.url, baselineUrl: baseline.url, runs: opts.runs, log })), samples, errors);
      for (const s of servers.splice(0)) await s.stop();
    }

    if (opts.groups.has('peer') && workload && browser) {
      const peerDir = path.join(workDir, 'peer');
      mkdirSync(peerDir, { recursive: true });
      const b = browser;
      try {
        const peer = await servePeer(peerDir, workload);
        closers.push(peer.close);
        merge(await step('Reading view: the peer (@recogito/text-annotator 4.1.1)', () => peerBench({ browser: b, workload, url: peer.url, runs: opts.runs, log })), peerSamples, peerErrors);
      } catch (error) {
        const message = (error as Error).message.split('\n')[0]!;
        log(`   the peer could not be measured: ${message}`);
        for (const e of CATALOG.filter((c) => c.peer)) peerErrors[e.name] = message;
      }
    }

    const needsStore = ['serve', 'store', 'export'].some((g) => opts.groups.has(g as Group));
    const storeDir = path.join(workDir, 'store');
    const store = needsStore
      ? await step('Store workload: 10,000 documents, 1,000,000 annotations, two annotators', () =>
          writeStoreProject(storeDir, { documents: 10_000, perLayer: 50, annotators: ['alice', 'bob'] }, log),
        )
      : null;

    if (opts.groups.has('serve') && store && browser) {
      const b = browser;
      merge(await step('Opening the big project in browser mode', () => serveBench({ browser: b, projectDir: storeDir, env, runs: opts.runs, log })), samples, errors);
    }
    if (opts.groups.has('store') && store && workload) {
      merge(await step('Store in Node: list and add', () => storeBench({ workDir, storeDir, store, workload, env, runs: opts.runs, log })), samples, errors);
    }
    if (opts.groups.has('export') && store) {
      merge(await step('Export of the big project (CLI)', () => exportBench({ workDir, storeDir, env, runs: opts.runs, log })), samples, errors);
    }
    if (opts.groups.has('import') && browser) {
      const b = browser;
      merge(await step('Import of 1,000 pages through the window', () => importBench({ browser: b, workDir, env, runs: opts.runs, log })), samples, errors);
    }
    if (opts.groups.has('agree')) {
      const agree = await step('Agreement (scripts/bench/agree.ts): two layers of 100,000 spans', () => runAgreeBench(100_000, opts.runs, log));
      for (const s of agree) {
        extra.push({ ...s, what: agreeWhat(s.name), runs: opts.runs, ...(s.target === undefined ? {} : { targetSpec: { max: s.target } }) });
      }
    }
  } finally {
    for (const s of servers) await s.stop();
    for (const close of closers) await close();
    await browser?.close();
  }
  if (!opts.keepWork) rmSync(workDir, { recursive: true, force: true, maxRetries: 3 });

  const built: (Scenario & { targetSpec?: Target })[] = [];
  for (const entry of CATALOG) {
    const mine = samples[entry.name];
    const theirs = peerSamples[entry.name];
    if (!mine && !errors[entry.name]) continue;
    const s = mine?.length ? scenario(entry.name, entry.unit, entry.what, mine, entry.target) : failed(entry.name, entry.unit, entry.what, errors[entry.name] ?? 'no figure', entry.target);
    if (entry.peer && theirs?.length) {
      const p = scenario(entry.name, entry.unit, '', theirs);
      Object.assign(s, { peer: p.median, peerMin: p.min, peerMax: p.max });
    } else if (entry.peer && opts.groups.has('peer')) {
      s.peerError = peerErrors[entry.name] ?? 'no figure';
    }
    if (notes[entry.name]) s.note = notes[entry.name];
    built.push(s);
  }
  built.push(...extra);
  const scenarios = judge(built);
  log('');
  printTable(scenarios, log);
  log(`\nWhole run: ${((performance.now() - started) / 60_000).toFixed(1)} minutes`);

  const results = { machine: machine(chromiumVersion, loadAtStart), runs: opts.runs, scenarios };
  const file = opts.full ? path.join(benchDir, 'results.json') : path.join(os.tmpdir(), 'margin-bench-results.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, (_k, v: unknown) => (typeof v === 'number' && Number.isNaN(v) ? null : v), 2)}\n`);
  log(`Wrote ${file}`);
  if (opts.full) {
    writeReadme(results);
    log('Updated the Performance section of README.md');
  }
}

await main();
