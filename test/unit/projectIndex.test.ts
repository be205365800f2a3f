import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProjectIndex } from '../../electron/services/store/projectIndex';
import { quoteAt } from '../../shared/anchoring';
import type { Workspace } from '../../electron/services/workspace';
import type { DocumentSummary, LayerFile } from '../../shared/model';
import { layerPath, openWorkspace, samplePaths, spanOf, TempDirs } from './helpers';

/**
 * The project index (.margin-index.json): listing a project comes from it, and it follows the
 * disk whatever writes there — a pull that replaces layer files, a sync drive that rewrites one
 * in place, a document copied in, a deleted layer, a damaged index.
 */

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const INDEX = '.margin-index.json';

/** Ana has tagged two spans of the first sample and marked it done; Ben one span. */
async function twoAnnotators(): Promise<{ ws: Workspace; projectDir: string; docId: string; text: string }> {
  const ws = await openWorkspace(temps);
  const report = await ws.importPaths(samplePaths());
  const docId = report.imported[0]!.docId;
  const { text } = await ws.handlers.getDocument({ docId });
  await ws.handlers.setAnnotator({ name: 'ana' });
  const words = text.match(/\p{L}{6,}/gu)!;
  await ws.handlers.createAnnotation({ docId, label: 'claim', ...spanOf(text, words[0]!) });
  await ws.handlers.createAnnotation({ docId, label: 'quote', ...spanOf(text, words[1]!) });
  await ws.handlers.setDocumentStatus({ docId, status: 'done' });
  await ws.handlers.setAnnotator({ name: 'ben' });
  await ws.handlers.createAnnotation({ docId, label: 'claim', ...spanOf(text, words[2]!) });
  return { ws, projectDir: ws.projectDir, docId, text };
}

async function listed(ws: Workspace, docId: string): Promise<DocumentSummary> {
  const found = (await ws.handlers.listDocuments({})).find((d) => d.id === docId);
  if (!found) throw new Error(`${docId} is not listed`);
  return found;
}

/** What git does on a pull: the file replaced by a new one (a new inode, the folder changes). */
function pulled(file: string, change: (layer: LayerFile) => void): void {
  const layer = JSON.parse(readFileSync(file, 'utf8')) as LayerFile;
  change(layer);
  writeFileSync(`${file}.incoming`, `${JSON.stringify(layer, null, 2)}\n`);
  renameSync(`${file}.incoming`, file);
}

/** What some sync drives do: the same file rewritten in place (the folder does not change). */
function rewrittenInPlace(file: string, change: (layer: LayerFile) => void): void {
  const layer = JSON.parse(readFileSync(file, 'utf8')) as LayerFile;
  change(layer);
  writeFileSync(file, `${JSON.stringify(layer, null, 2)}\n`);
}

describe('the project index', () => {
  it('lists counts, labels and every annotator status, and is kept out of git', async () => {
    const { ws, projectDir, docId } = await twoAnnotators();
    try {
      const doc = await listed(ws, docId);
      expect(doc.annotationCount).toBe(3);
      expect(doc.labelCounts).toEqual({ claim: 2, quote: 1 });
      expect(doc.statuses).toEqual({ ana: 'done', ben: 'in-progress' });
      expect(doc.status).toBe('in-progress'); // ben's
      expect((await ws.handlers.listDocuments({})).map((d) => d.length)).toEqual(
        await Promise.all((await ws.handlers.listDocuments({})).map(async (d) => (await ws.handlers.getDocument({ docId: d.id })).text.length)),
      );
    } finally {
      await ws.close();
    }
    expect(existsSync(path.join(projectDir, INDEX))).toBe(true);
    expect(readFileSync(path.join(projectDir, '.gitignore'), 'utf8').split('\n')).toContain(INDEX);
  });

  it('a layer whose file has not changed is not read again on the next open: the index answers', async () => {
    const { ws, projectDir, docId } = await twoAnnotators();
    await ws.close();
    // Proof that listing reads the index, not the layer: a count changed in the index alone shows.
    const file = path.join(projectDir, INDEX);
    const index = JSON.parse(readFileSync(file, 'utf8')) as { layers: Record<string, { count: number }> };
    index.layers[`ben/${docId}`]!.count = 41;
    writeFileSync(file, JSON.stringify(index));
    const again = await openWorkspace(temps, projectDir);
    try {
      expect((await listed(again, docId)).annotationCount).toBe(2 + 41);
    } finally {
      await again.close();
    }
  });

  it('follows a pull that replaces a colleague\'s layer while the project is open, without reopening', async () => {
    const { ws, projectDir, docId, text } = await twoAnnotators();
    try {
      expect((await listed(ws, docId)).statuses.ben).toBe('in-progress');
      const quote = spanOf(text, text.match(/\p{L}{7,}/gu)![3]!);
      pulled(layerPath(projectDir, 'ben', docId), (layer) => {
        layer.annotations.push({ ...layer.annotations[0]!, id: '3f1b2c4d-0000-4000-8000-00000000000a', ...quote, quote: quoteAt(text, quote.start, quote.end) });
        layer.status = 'done';
      });
      const doc = await listed(ws, docId);
      expect(doc.problem).toBeUndefined();
      expect(doc.annotationCount).toBe(4);
      expect(doc.statuses).toEqual({ ana: 'done', ben: 'done' });
    } finally {
      await ws.close();
    }
  });

  it('follows a layer rewritten in place while the project was closed, and a layer deleted', async () => {
    const { ws, projectDir, docId } = await twoAnnotators();
    await ws.close();
    rewrittenInPlace(layerPath(projectDir, 'ana', docId), (layer) => {
      layer.annotations = layer.annotations.slice(0, 1);
    });
    rmSync(layerPath(projectDir, 'ben', docId));
    const again = await openWorkspace(temps, projectDir);
    try {
      const doc = await listed(again, docId);
      expect(doc.annotationCount).toBe(1);
      expect(doc.statuses).toEqual({ ana: 'done' });
    } finally {
      await again.close();
    }
  });

  it('shows a label renamed in the tag schema under its new name, counts unchanged', async () => {
    const { ws, docId } = await twoAnnotators();
    try {
      await listed(ws, docId);
      const { schema, revision } = await ws.handlers.getSession({});
      const rename = (name: string) => (name === 'claim' ? 'assertion' : name);
      const renamed = {
        labels: schema.labels.map((l) => ({ ...l, name: rename(l.name) })),
        relations: schema.relations.map((r) => ({ ...r, from: r.from.map(rename), to: r.to.map(rename) })),
      };
      await ws.handlers.updateSchema({ schema: renamed, renameLabels: [{ from: 'claim', to: 'assertion' }], renameAttributes: [], deleteLabels: [], baseRevision: revision });
      expect((await listed(ws, docId)).labelCounts).toEqual({ assertion: 2, quote: 1 });
    } finally {
      await ws.close();
    }
  });

  it('picks up a document copied into the folder by a sync, and forgets one removed', async () => {
    const { ws, projectDir, docId } = await twoAnnotators();
    const other = (await ws.handlers.listDocuments({})).find((d) => d.id !== docId)!;
    const otherFile = path.join(projectDir, 'documents', `${other.id}.json`);
    const content = readFileSync(otherFile);
    await ws.close();
    rmSync(otherFile);
    let again = await openWorkspace(temps, projectDir);
    try {
      expect((await again.handlers.listDocuments({})).map((d) => d.id)).not.toContain(other.id);
      writeFileSync(otherFile, content);
      expect((await again.handlers.listDocuments({})).map((d) => d.id)).toContain(other.id);
    } finally {
      await again.close();
    }
    again = await openWorkspace(temps, projectDir);
    try {
      expect((await again.handlers.getDocument({ docId: other.id })).title).toBe(other.title);
    } finally {
      await again.close();
    }
  });

  it('a damaged or missing index is rebuilt from the files, silently and correctly', async () => {
    const { ws, projectDir, docId } = await twoAnnotators();
    const before = await ws.handlers.listDocuments({});
    await ws.close();
    for (const damage of ['{"version":1,"documents":[{"id":', '']) {
      if (damage === '') rmSync(path.join(projectDir, INDEX));
      else writeFileSync(path.join(projectDir, INDEX), damage);
      const again = await openWorkspace(temps, projectDir);
      try {
        await again.handlers.setAnnotator({ name: 'ben' });
        expect(await again.handlers.listDocuments({})).toEqual(before);
        expect((await listed(again, docId)).annotationCount).toBe(3);
      } finally {
        await again.close();
      }
    }
  });
});

describe('saving the project index', () => {
  // Writing 20,000 summaries holds the thread for tens of milliseconds: a burst of tags must not wait behind it.
  it('waits for changes to pause, and saves at the latest 30 s after the first unsaved one', async () => {
    const dir = temps.make();
    const file = path.join(dir, INDEX);
    const summary = (count: number) => ({ stamp: null, journalSize: 0, count, labels: { claim: count }, done: false });
    const index = await ProjectIndex.load(dir);
    const savedCount = async () => {
      // The save runs on real I/O once its timer fires: give it a moment of real time.
      vi.useRealTimers();
      await new Promise((resolve) => setTimeout(resolve, 200));
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { layers: Record<string, { count: number }> }).layers['ana/doc']?.count : undefined;
    };
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      // A change every second for 10 s: nothing is written meanwhile.
      for (let i = 1; i <= 10; i++) {
        index.noteLayer('ana', 'doc', summary(i));
        vi.advanceTimersByTime(1000);
      }
      expect(existsSync(file)).toBe(false);
      // A pause: written.
      vi.advanceTimersByTime(3000);
      expect(await savedCount()).toBe(10);
      // Changes that never pause are written 30 s after the first of them.
      for (let i = 11; i <= 40; i++) {
        index.noteLayer('ana', 'doc', summary(i));
        vi.advanceTimersByTime(1000);
        if (i === 39) expect(JSON.parse(readFileSync(file, 'utf8')).layers['ana/doc'].count).toBe(10);
      }
      expect(await savedCount()).toBe(40);
    } finally {
      vi.useRealTimers();
    }
  });
});
