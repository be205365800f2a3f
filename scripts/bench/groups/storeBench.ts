/**
 * The store through the Workspace API in Node (what `margin serve` and the desktop app run):
 * listDocuments on the big project, and createAnnotation acknowledged on disk in three projects.
 */
import path from 'node:path';
import { Workspace } from '../../../electron/services/workspace';
import { percentile } from '../results';
import { collect, emptyResults, repeat, type GroupResults, type RunSettings } from '../repeat';
import { importReadingProject, ANNOTATOR, type ReadingWorkload } from '../workloads/readingView';
import { writeStoreProject, type StoreProject } from '../workloads/storeProject';

export interface StoreContext extends RunSettings {
  workDir: string;
  storeDir: string;
  store: StoreProject;
  workload: ReadingWorkload;
  env: NodeJS.ProcessEnv;
}

const ADDS_PER_RUN = 40;
const WARM_UP = 5;

/** Opens a project the way `margin serve` does, as `annotator`. */
async function open(workDir: string, projectDir: string, annotator: string): Promise<Workspace> {
  const ws = await Workspace.open({ userData: path.join(workDir, 'user-data-node'), projectDir, mode: 'browser' });
  await ws.handlers.setAnnotator({ name: annotator }, undefined);
  return ws;
}

/**
 * p95 of ADDS_PER_RUN createAnnotation calls per run, each timed until it resolves (on disk),
 * spread over `documents` (a 12-character span at a different place each time).
 */
async function adds(ws: Workspace, name: string, documents: readonly { id: string; length: number }[], ctx: StoreContext) {
  let n = 0;
  const addOne = async () => {
    const doc = documents[n % documents.length]!;
    const start = (n * 7919) % (doc.length - 20);
    n++;
    const t = performance.now();
    await ws.handlers.createAnnotation({ docId: doc.id, label: 'claim', start, end: start + 12 }, undefined);
    return performance.now() - t;
  };
  for (let i = 0; i < WARM_UP; i++) await addOne();
  return repeat({ runs: ctx.runs, budgetMs: 90_000, primary: name, target: 25, log: ctx.log, label: name }, async () => {
    const times: number[] = [];
    for (let i = 0; i < ADDS_PER_RUN; i++) times.push(await addOne());
    return { [name]: percentile(times, 95) } as Record<string, number>;
  });
}

export async function storeBench(ctx: StoreContext): Promise<GroupResults> {
  const out = emptyResults();

  // A 10-annotation layer in a 10-document project: the reference for the other two.
  const smallDir = path.join(ctx.workDir, 'small');
  const small = await writeStoreProject(smallDir, { documents: 10, perLayer: 10, annotators: ['alice', 'bob'] });
  let ws = await open(ctx.workDir, smallDir, 'alice');
  try {
    collect(out, await adds(ws, 'store.add.small', small.documents, ctx), ['store.add.small']);
  } finally {
    await ws.close();
  }

  // One annotator's layer of 10,000 annotations: the reading-view article, imported by the CLI.
  const layerDir = path.join(ctx.workDir, 'layer10k');
  importReadingProject(ctx.workload, layerDir, true, ctx.env);
  ws = await open(ctx.workDir, layerDir, ANNOTATOR);
  try {
    const [doc] = await ws.handlers.listDocuments({}, undefined);
    if (!doc) throw new Error(`${layerDir}: the imported article is missing`);
    collect(out, await adds(ws, 'store.add.layer10k', [{ id: doc.id, length: doc.length }], ctx), ['store.add.layer10k']);
  } finally {
    await ws.close();
  }

  // The big project: adds to alice's layers across documents, then listDocuments.
  ws = await open(ctx.workDir, ctx.storeDir, 'alice');
  try {
    collect(out, await adds(ws, 'store.add.project', ctx.store.documents, ctx), ['store.add.project']);
    const t = performance.now();
    const list = await ws.handlers.listDocuments({}, undefined);
    const first = performance.now() - t;
    if (list.length !== ctx.store.documents.length) throw new Error(`listDocuments gave ${list.length} documents, not ${ctx.store.documents.length}`);
    ctx.log(`  first listDocuments after opening: ${first.toFixed(0)} ms`);
    const listed = await repeat({ runs: ctx.runs, budgetMs: 30_000, primary: 'store.list', target: 50, log: ctx.log, label: 'store.list' }, async () => {
      const start = performance.now();
      await ws.handlers.listDocuments({}, undefined);
      return { 'store.list': performance.now() - start };
    });
    collect(out, listed, ['store.list']);
    out.notes['store.list'] = [out.notes['store.list'], `the first listDocuments after opening took ${Math.round(first).toLocaleString('en')} ms`].filter(Boolean).join('; ');
  } finally {
    await ws.close();
  }
  return out;
}
