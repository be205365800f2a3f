/**
 * Agreement benchmark: two layers of SPANS spans on one article (a third for Fleiss' kappa),
 * every measure timed on its own (token coding included where the measure needs it), then the
 * whole `margin agree` report read from a project on disk (and, apart, the store's share of it:
 * reading the two layers). Each scenario runs RUNS times;
 * prints median, min and max in milliseconds against the 2 s target.
 *
 *   npx tsx scripts/bench/agree.ts [--spans 100000] [--runs 5] [--json]
 *
 * With --json the last line is `{"scenarios": [{name, unit, median, min, max, target?}]}` for
 * the bench runner (`runAgreeBench` gives the same list to a caller that imports it).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { alphaNominal, cohenKappa, exactF1, fleissKappa, labelCodes, overlapF1, tokenCodes, tokenize, unitizingAlpha, type LabeledSpan } from '../../shared/agreement';
import { quoteAt } from '../../shared/anchoring';
import type { Annotation } from '../../shared/model';
import { documentIdOf } from '../../electron/services/intake/importText';
import { agreementReport } from '../../electron/services/review/agreement';
import { ProjectStore } from '../../electron/services/store/projectStore';
import { generateAgreeWorkload } from './agreeWorkload';

const TARGET_MS = 2000;

interface Scenario {
  name: string;
  unit: 'ms';
  median: number;
  min: number;
  max: number;
  /** None for a figure shown for context (the store's share), not held to a target. */
  target?: number;
}

async function timed(name: string, runs: number, work: () => unknown, target: number | undefined): Promise<Scenario> {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return { name, unit: 'ms', median: round(times[Math.floor(times.length / 2)]!), min: round(times[0]!), max: round(times[times.length - 1]!), ...(target === undefined ? {} : { target }) };
}

function unitsOf(a: readonly LabeledSpan[], b: readonly LabeledSpan[]) {
  return [a, b].flatMap((spans, rater) => spans.map((s) => ({ offset: s.start, length: s.end - s.start, rater, category: s.label })));
}

/** A project with the workload's article and two annotators' layers, as `margin agree` reads it. */
async function buildProject(dir: string, text: string, layers: readonly (readonly LabeledSpan[])[]): Promise<void> {
  const store = await ProjectStore.open(dir);
  try {
    const docId = documentIdOf(text);
    await store.addDocument({ version: 1, id: docId, title: 'Agreement workload', text, importedAt: '2024-06-01T00:00:00.000Z' });
    for (const [i, spans] of layers.entries()) {
      const annotator = `annotator${i + 1}`;
      const annotations: Annotation[] = spans.map((s) => ({
        id: randomUUID(),
        docId,
        annotator,
        label: s.label,
        start: s.start,
        end: s.end,
        quote: quoteAt(text, s.start, s.end),
        attributes: {},
        createdAt: '2024-06-01T00:00:00.000Z',
        updatedAt: '2024-06-01T00:00:00.000Z',
      }));
      await store.updateLayer(annotator, docId, (layer) => layer.annotations.push(...annotations));
    }
  } finally {
    await store.close();
  }
}

export async function runAgreeBench(spans = 100_000, runs = 5, log: (line: string) => void = console.log): Promise<Scenario[]> {
  const { text, layers } = generateAgreeWorkload(spans, 3);
  const [a, b, c] = layers as [LabeledSpan[], LabeledSpan[], LabeledSpan[]];
  log(`Workload: ${text.length.toLocaleString('en')} characters, layers of ${a.length.toLocaleString('en')} / ${b.length.toLocaleString('en')} / ${c.length.toLocaleString('en')} spans`);
  const tokens = tokenize(text);
  const scenarios: Scenario[] = [];
  const run = async (name: string, work: () => unknown, target: number | null = TARGET_MS) => {
    const s = await timed(name, runs, work, target ?? undefined);
    scenarios.push(s);
    const verdict = s.target === undefined ? '(no target: context)' : `target ≤ ${s.target}   ${s.median <= s.target ? 'pass' : 'FAIL'}`;
    log(`${s.name.padEnd(24)} median ${String(s.median).padStart(8)} ms   min ${String(s.min).padStart(8)}   max ${String(s.max).padStart(8)}   ${verdict}`);
  };
  await run('agree.tokenize', () => tokenize(text));
  await run('agree.exactF1', () => exactF1(a, b));
  await run('agree.overlapF1', () => overlapF1(a, b));
  await run('agree.cohenKappa', () => cohenKappa(tokenCodes(tokens, a), tokenCodes(tokens, b)));
  await run('agree.alphaNominal', () => alphaNominal(tokenCodes(tokens, a), tokenCodes(tokens, b)));
  await run('agree.cohenKappa.label', () => cohenKappa(labelCodes(tokens, a, 'claim'), labelCodes(tokens, b, 'claim')));
  await run('agree.alphaUnitizing', () => unitizingAlpha({ begin: 0, length: text.length, raters: 2, units: unitsOf(a, b) }));
  await run('agree.fleissKappa', () => fleissKappa([a, b, c].map((l) => tokenCodes(tokens, l))));

  const root = mkdtempSync(path.join(os.tmpdir(), 'margin-bench-agree-'));
  try {
    const dir = path.join(root, 'project');
    await buildProject(dir, text, [a, b]);
    // The store's share of the report: both layers read and checked, nothing measured.
    await run('agree.readLayers', async () => {
      const store = await ProjectStore.open(dir, { lock: false });
      try {
        const docId = store.listDocuments()[0]!.id;
        for (const name of await store.annotators()) await store.layerIfExists(name, docId);
      } finally {
        await store.close();
      }
    }, null);
    // As `margin agree --project DIR`: open without the lock, every pair, every label, per document.
    await run('agree.report', async () => {
      const store = await ProjectStore.open(dir, { lock: false });
      try {
        const report = await agreementReport(store);
        if (report.pairs.length === 0) throw new Error(`no pairs measured: ${report.problems.join('; ')}`);
      } finally {
        await store.close();
      }
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return scenarios;
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  const { values } = parseArgs({ options: { spans: { type: 'string', default: '100000' }, runs: { type: 'string', default: '5' }, json: { type: 'boolean', default: false } } });
  const spans = Number(values.spans);
  const runs = Number(values.runs);
  if (!Number.isInteger(spans) || spans < 10) throw new Error(`--spans: a whole number of at least 10, not "${values.spans}"`);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs: a whole number of at least 1, not "${values.runs}"`);
  const scenarios = await runAgreeBench(spans, runs);
  if (values.json) console.log(JSON.stringify({ scenarios }));
}
