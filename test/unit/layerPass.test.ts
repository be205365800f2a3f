import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectDocuments } from '../../electron/services/datasets/datasetExport';
import { agreementReport } from '../../electron/services/review/agreement';
import { journalOf } from '../../electron/services/store/layerJournal';
import { INDEX_FILE } from '../../electron/services/store/projectIndex';
import { ProjectStore } from '../../electron/services/store/projectStore';
import { layerPath, openWorkspace, SAMPLES_DIR, spanOf, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

// A real wire story (curly quotes, non-breaking spaces as pasted from the page).
const TEXT = readFileSync(path.join(SAMPLES_DIR, '000_0a5fdd5987a87f4f.txt'), 'utf8');
const words = TEXT.match(/\p{L}{6,}/gu)!;

/** An app session on a project: Ana tags three spans; the later two wait in her layer's journal. */
async function session() {
  const ws = await openWorkspace(temps);
  const h = ws.handlers;
  await h.setAnnotator({ name: 'Ana' });
  const { docId } = (await h.importText({ text: TEXT, title: 'Wire story' })).imported[0]!;
  await h.createAnnotations({ docId, spans: [{ label: 'claim', ...spanOf(TEXT, words[0]!) }] });
  await h.createAnnotations({ docId, spans: [{ label: 'quote', ...spanOf(TEXT, words[1]!) }] });
  await h.setDocumentStatus({ docId, status: 'done' });
  const file = layerPath(ws.projectDir, 'Ana', docId);
  return { ws, h, docId, file };
}

describe('one pass over the layers (export, agreement) reads the disk as it is', () => {
  it('an export made beside the running app has the changes still in the journal, and the same after they are folded in', async () => {
    const { ws, docId, file } = await session();
    expect(existsSync(journalOf(file))).toBe(true);
    const reader = await ProjectStore.open(ws.projectDir, { lock: false });
    try {
      const source = projectDocuments(reader, { documents: 'done' });
      expect(await source.ids()).toEqual([docId]);
      const before = await source.read(docId);
      expect(before.annotations.map((a) => a.label).sort()).toEqual(['claim', 'quote']);
      expect(before.status).toEqual({ Ana: 'done' });
      // The app closes: the journal is folded into the layer file and removed.
      await ws.close();
      expect(existsSync(journalOf(file))).toBe(false);
      expect(await projectDocuments(reader).read(docId)).toEqual(before);
    } finally {
      await reader.close();
    }
  });

  it('a journal folded into its layer file after the pass listed it is not lost', async () => {
    const { ws, docId } = await session();
    const reader = await ProjectStore.open(ws.projectDir, { lock: false });
    try {
      const pass = await reader.layerPass();
      await ws.close(); // folds the journal the pass saw listed
      expect((await pass.layer('Ana', docId))?.annotations.map((a) => a.label).sort()).toEqual(['claim', 'quote']);
      expect((await pass.layer('Ana', docId))?.status).toBe('done');
      expect(await pass.layer('Bea', docId)).toBeNull();
    } finally {
      await reader.close();
    }
  });

  it('a damaged layer stops the export and the agreement report names it, and the file is left as it was', async () => {
    const { ws, docId, file } = await session();
    await ws.close();
    writeFileSync(file, '{"version": 1, "docId": "');
    const reader = await ProjectStore.open(ws.projectDir, { lock: false });
    try {
      await expect(projectDocuments(reader).read(docId)).rejects.toThrow(`${file} is not valid JSON`);
      const report = await agreementReport(reader, { annotators: ['Ana', 'Bea'] });
      expect(report.problems.join('\n')).toContain(`${file} is not valid JSON`);
      expect(readFileSync(file, 'utf8')).toBe('{"version": 1, "docId": "');
    } finally {
      await reader.close();
    }
  });
});

describe('a reader of the project (margin export, margin agree) and the project index', () => {
  it('writes the index it rebuilt once, when it closes, not while it works beside the app', async () => {
    const { ws } = await session();
    await ws.close();
    const index = path.join(ws.projectDir, INDEX_FILE);
    rmSync(index);
    const reader = await ProjectStore.open(ws.projectDir, { lock: false });
    expect(reader.listDocuments().map((d) => d.title)).toEqual(['Wire story']);
    expect(existsSync(index)).toBe(false);
    await reader.close();
    expect(JSON.parse(readFileSync(index, 'utf8'))).toMatchObject({ documents: [{ title: 'Wire story' }] });
  });
});
