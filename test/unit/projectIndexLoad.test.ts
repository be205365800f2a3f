import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INDEX_FILE, isLayerSummary, LayerSummary } from '../../electron/services/store/projectIndex';
import { openWorkspace, samplePaths, spanOf, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

/** Ana tags two spans in each of the first two samples (real news text). */
async function project() {
  const ws = await openWorkspace(temps);
  const report = await ws.importPaths(samplePaths().slice(0, 2));
  await ws.handlers.setAnnotator({ name: 'ana' });
  const docIds = report.imported.map((d) => d.docId);
  for (const docId of docIds) {
    const { text } = await ws.handlers.getDocument({ docId });
    const words = text.match(/\p{L}{6,}/gu)!;
    await ws.handlers.createAnnotation({ docId, label: 'claim', ...spanOf(text, words[0]!) });
    await ws.handlers.createAnnotation({ docId, label: 'quote', ...spanOf(text, words[1]!) });
  }
  await ws.close();
  return { projectDir: ws.projectDir, docIds };
}

describe('loading the project index', () => {
  it('takes every summary it saved as zod would, and refuses damaged ones', async () => {
    const { projectDir } = await project();
    const saved = JSON.parse(readFileSync(path.join(projectDir, INDEX_FILE), 'utf8')) as { layers: Record<string, unknown> };
    const summaries = Object.values(saved.layers);
    expect(summaries).toHaveLength(2);
    for (const s of summaries) expect([isLayerSummary(s), LayerSummary.safeParse(s).success]).toEqual([true, true]);
    const good = summaries[0] as LayerSummary;
    const damaged: unknown[] = [
      null,
      [],
      { ...good, count: -1 },
      { ...good, count: 1.5 },
      { ...good, journalSize: '0' },
      { ...good, labels: { claim: 'one' } },
      { ...good, labels: [1] },
      { ...good, done: 'yes' },
      { ...good, stamp: { size: 1, mtimeMs: 2 } },
      { stamp: null, journalSize: 0, count: 1, labels: {} },
    ];
    for (const d of damaged) expect([isLayerSummary(d), LayerSummary.safeParse(d).success]).toEqual([false, false]);
  });

  it('lists a layer whose saved summary is damaged from its file, and the others from the index', async () => {
    const { projectDir, docIds } = await project();
    const file = path.join(projectDir, INDEX_FILE);
    const index = JSON.parse(readFileSync(file, 'utf8')) as { layers: Record<string, { count: unknown }> };
    index.layers[`ana/${docIds[0]}`]!.count = 'two';
    // Proof that the other summary is taken from the index: a count changed there alone shows.
    index.layers[`ana/${docIds[1]}`]!.count = 40;
    writeFileSync(file, JSON.stringify(index));
    const ws = await openWorkspace(temps, projectDir);
    try {
      const listed = await ws.handlers.listDocuments({});
      expect(Object.fromEntries(listed.map((d) => [d.id, d.annotationCount]))).toEqual({ [docIds[0]!]: 2, [docIds[1]!]: 40 });
    } finally {
      await ws.close();
    }
  });
});
