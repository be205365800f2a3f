import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type DocumentSource, exportTargetPath, projectDocuments, READ_AHEAD, writeExport } from '../../electron/services/datasets/datasetExport';
import { ProjectStore } from '../../electron/services/store/projectStore';
import type { ExportContext, ExportDocument, Exporter } from '../../shared/formats/dataset';
import { createJsonlExporter } from '../../shared/formats/registry';
import { buildRichProject, RICH_SCHEMA } from './exportFixtures';
import { listFilesRecursive, openWorkspace, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

interface Line {
  id: string;
  annotations: { id: string; label: string; annotator: string }[];
  relations: { from: string; to: string; annotator: string }[];
  status: Record<string, string>;
}

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);

async function richWorkspace() {
  const ws = await openWorkspace(temps);
  const ids = await buildRichProject(ws);
  return { ws, ids };
}

describe('dataset export jobs', () => {
  it('writes into <project>/exports/<stamp>-<format>.<ext> in the background, with progress, and filters', async () => {
    const { ws, ids } = await richWorkspace();
    const h = ws.handlers;
    const started = await h.startExport({ format: 'jsonl', documents: 'all' });
    expect(started.finished).toBe(false);
    let progress = await h.exportProgress({ jobId: started.jobId });
    for (let i = 0; i < 200 && !progress.finished; i++) {
      await new Promise((r) => setTimeout(r, 10));
      progress = await h.exportProgress({ jobId: started.jobId });
    }
    expect(progress).toMatchObject({ finished: true, cancelled: false, done: ids.length, total: ids.length });
    const out = progress.result!.path;
    expect(path.relative(path.join(ws.projectDir, 'exports'), out)).toMatch(/^\d{4}-\d{2}-\d{2}-\d{6}-jsonl\.jsonl$/);
    expect(lines(out)).toHaveLength(ids.length);
    expect(progress.result!.annotations).toBe(ids.length * 6);

    // Filters: one annotator, one label; relations only when both ends are exported.
    const alice = await h.startExport({ format: 'jsonl', annotators: ['alice'], documents: 'all' });
    const aliceDone = await waitFor(ws, alice.jobId);
    const aliceLines = lines(aliceDone.result!.path);
    expect(aliceDone.result!.path).not.toBe(out);
    for (const l of aliceLines) {
      expect(new Set(l.annotations.map((a) => a.annotator))).toEqual(new Set(['alice']));
      expect(l.relations).toHaveLength(2);
      expect(Object.keys(l.status)).toEqual(['alice']);
    }
    const claims = await waitFor(ws, (await h.startExport({ format: 'jsonl', labels: ['claim', 'source'], documents: 'all' })).jobId);
    for (const l of lines(claims.result!.path)) {
      expect(new Set(l.annotations.map((a) => a.label))).toEqual(new Set(['claim', 'source']));
      // attributed-to (claim → source) survives; mentions (quote → entity) loses both ends and goes.
      expect(l.relations).toHaveLength(1);
      const ids2 = new Set(l.annotations.map((a) => a.id));
      for (const r of l.relations) expect(ids2.has(r.from) && ids2.has(r.to)).toBe(true);
    }
    // documents: 'done' = done by some selected annotator (bob marked every other one done).
    const done = await waitFor(ws, (await h.startExport({ format: 'jsonl', documents: 'done' })).jobId);
    expect(lines(done.result!.path)).toHaveLength(Math.ceil(ids.length / 2));
    const aliceOnlyDone = await waitFor(ws, (await h.startExport({ format: 'jsonl', documents: 'done', annotators: ['alice'] })).jobId);
    expect(lines(aliceOnlyDone.result!.path)).toHaveLength(0);
    await expect(h.exportProgress({ jobId: 'nope' })).rejects.toThrow(/no export job/);
    await ws.close();
  });

  it('a cancelled export leaves nothing behind', async () => {
    const { ws } = await richWorkspace();
    const started = await ws.handlers.startExport({ format: 'jsonl', documents: 'all' });
    const cancelled = await ws.handlers.cancelExport({ jobId: started.jobId });
    expect(cancelled).toMatchObject({ finished: true, cancelled: true });
    expect(cancelled.result).toBeUndefined();
    const exportsDir = path.join(ws.projectDir, 'exports');
    expect(existsSync(exportsDir) ? readdirSync(exportsDir) : []).toEqual([]);
    await ws.close();
  });

  it('a cancel in the middle of writing (single file and folder) removes the temporary output', async () => {
    const dir = temps.make();
    for (const kind of ['single', 'folder'] as const) {
      const controller = new AbortController();
      const docs = Array.from({ length: 5 }, (_, i) => fakeDoc(i));
      const source: DocumentSource = {
        ids: async () => docs.map((d) => d.id),
        read: async (id) => {
          if (id === docs[3]!.id) controller.abort();
          return docs.find((d) => d.id === id)!;
        },
      };
      const exporter =
        kind === 'single'
          ? createJsonlExporter()
          : { kind: 'folder' as const, document: (d: ExportDocument) => [{ path: `${d.id}.txt`, content: d.text }], end: () => [{ path: 'x.conf', content: '' }] };
      const target = path.join(dir, kind === 'single' ? 'out.jsonl' : 'out');
      await expect(writeExport({ exporter, source, target, schema: RICH_SCHEMA, signal: controller.signal })).rejects.toThrow(/cancelled/);
      expect(listFilesRecursive(dir)).toEqual([]);
    }
  });

  it('refuses to reveal paths outside the project\'s exports folder', async () => {
    const { ws } = await richWorkspace();
    const revealed: string[] = [];
    expect(await ws.handlers.revealExport({ path: ws.projectDir })).toEqual({ revealed: false }); // no file manager here
    ws.reveal = (p) => revealed.push(p);
    const done = await waitFor(ws, (await ws.handlers.startExport({ format: 'jsonl', documents: 'all' })).jobId);
    expect(await ws.handlers.revealExport({ path: done.result!.path })).toEqual({ revealed: true });
    expect(revealed).toEqual([done.result!.path]);
    await expect(ws.handlers.revealExport({ path: path.join(ws.projectDir, 'margin.json') })).rejects.toThrow(/Only exports/);
    await expect(ws.handlers.revealExport({ path: path.join(ws.projectDir, 'exports', '..', 'margin.json') })).rejects.toThrow(/Only exports/);
    await ws.close();
  });

  it('names exports by time and never reuses a name', async () => {
    const dir = temps.make();
    const date = new Date(2024, 7, 19, 9, 5, 7);
    const first = await exportTargetPath(dir, 'jsonl', createJsonlExporter(), date);
    expect(path.basename(first)).toBe('2024-08-19-090507-jsonl.jsonl');
    const second = await exportTargetPath(dir, 'jsonl', createJsonlExporter(), date, new Set([first]));
    expect(path.basename(second)).toBe('2024-08-19-090507-jsonl-2.jsonl');
  });
});

describe('streaming', () => {
  it('holds a few documents at a time, however many it exports: reads run at most READ_AHEAD ahead of the writer', async () => {
    const dir = temps.make();
    const target = path.join(dir, 'big.jsonl');
    const count = 300;
    let inFlight = 0;
    let maxInFlight = 0;
    let written = 0;
    const exporter = createJsonlExporter();
    if (exporter.kind !== 'single') throw new Error('jsonl is a single-file format');
    const spyExporter: Exporter = {
      ...exporter,
      document: (d: ExportDocument, ctx: ExportContext) => {
        const chunk = exporter.document(d, ctx);
        // The exporter is done with this document: it is let go.
        inFlight--;
        written++;
        return chunk;
      },
    };
    const source: DocumentSource = {
      ids: async () => Array.from({ length: count }, (_, i) => fakeDoc(i).id),
      read: async (id) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        return fakeDoc(Number.parseInt(id, 16));
      },
    };
    const result = await writeExport({ exporter: spyExporter, source, target, schema: RICH_SCHEMA });
    expect(result.documents).toBe(count);
    expect(written).toBe(count);
    // Read ahead (the disk is slow, the reads overlap), yet bounded: never the whole export in memory.
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(READ_AHEAD + 1);
    expect(readFileSync(target, 'utf8').split('\n').filter(Boolean)).toHaveLength(count);
  });

  it('reads project documents lazily (a spy on the reader)', async () => {
    const { ws, ids } = await richWorkspace();
    const store = await ProjectStore.open(ws.projectDir, { lock: false });
    const real = projectDocuments(store);
    const reads: string[] = [];
    const source: DocumentSource = { ids: () => real.ids(), read: (id) => (reads.push(id), real.read(id)) };
    const target = path.join(temps.make(), 'p.jsonl');
    let readsWhenProgressed: number[] = [];
    await writeExport({ exporter: createJsonlExporter(), source, target, schema: store.project.schema, onProgress: ({ done }) => readsWhenProgressed.push(reads.length - done) });
    readsWhenProgressed = readsWhenProgressed.slice(0, -1);
    expect(reads).toHaveLength(ids.length);
    // At every step at least the document being written has been read, and never more than READ_AHEAD past it.
    expect(Math.min(...readsWhenProgressed)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...readsWhenProgressed)).toBeLessThanOrEqual(READ_AHEAD);
    await ws.close();
  });
});

function fakeDoc(i: number): ExportDocument {
  const id = i.toString(16).padStart(16, '0');
  const text = `Document ${i} 👍🏽 says something quotable.`;
  return {
    id,
    title: `Doc ${i}`,
    text,
    annotations: [
      { id: `a${i}`, docId: id, annotator: 'alice', label: 'claim', start: 0, end: 8, quote: { exact: text.slice(0, 8), prefix: '', suffix: '' }, attributes: {}, createdAt: '', updatedAt: '' },
    ],
    relations: [],
    status: {},
  };
}

async function waitFor(ws: Awaited<ReturnType<typeof openWorkspace>>, jobId: string) {
  for (let i = 0; i < 500; i++) {
    const p = await ws.handlers.exportProgress({ jobId });
    if (p.finished) {
      if (p.error) throw new Error(p.error);
      return p;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('export did not finish');
}
