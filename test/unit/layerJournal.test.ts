import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { journalOf } from '../../electron/services/store/layerJournal';
import { ProjectStore } from '../../electron/services/store/projectStore';
import type { LayerFile } from '../../shared/model';
import { layerOnDisk, layerPath, openWorkspace, spanOf, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const TEXT = 'Talks in Doha\nBlinken said the talks were productive, an official said. Hamas said nothing at all today.\n';

async function seeded() {
  const ws = await openWorkspace(temps);
  const h = ws.handlers;
  await h.setAnnotator({ name: 'Ana' });
  const { docId } = (await h.importText({ text: TEXT, title: 'Doha' })).imported[0]!;
  const [first] = await h.createAnnotations({ docId, spans: [{ label: 'claim', ...spanOf(TEXT, 'Talks in Doha') }] });
  return { ws, h, docId, first: first!, file: layerPath(ws.projectDir, 'Ana', docId) };
}

describe('a change to a layer costs the change, not the layer', () => {
  it('appends one line to the layer journal and leaves the layer file as it was; a reopened store reads both', async () => {
    const { ws, h, docId, first, file } = await seeded();
    const projectDir = ws.projectDir;
    try {
      const before = { bytes: readFileSync(file, 'utf8'), mtimeMs: statSync(file).mtimeMs };
      const [quote] = await h.createAnnotations({ docId, spans: [{ label: 'quote', ...spanOf(TEXT, 'the talks were productive') }] });
      await h.setDocumentStatus({ docId, status: 'done' });
      await h.deleteAnnotations({ docId, annotationIds: [first.id] });
      expect({ bytes: readFileSync(file, 'utf8'), mtimeMs: statSync(file).mtimeMs }).toEqual(before);
      expect(readFileSync(journalOf(file), 'utf8').trim().split('\n')).toHaveLength(3);
      expect(layerOnDisk(projectDir, 'Ana', docId)).toMatchObject({ status: 'done', annotations: [{ id: quote!.id }] });
    } finally {
      await ws.close();
    }
    // Closing folds the journal into the file: git and colleagues see a whole layer.
    expect(existsSync(journalOf(file))).toBe(false);
    const layer = JSON.parse(readFileSync(file, 'utf8')) as LayerFile;
    expect(layer.status).toBe('done');
    expect(layer.annotations.map((a) => a.label)).toEqual(['quote']);
  });

  it('ignores a torn last line (a crash mid-append: never acknowledged) and reports a damaged line before it by name', async () => {
    const { ws, h, docId, file } = await seeded();
    const projectDir = ws.projectDir;
    const [quote] = await h.createAnnotations({ docId, spans: [{ label: 'quote', ...spanOf(TEXT, 'the talks were productive') }] });
    // Simulate a crash: the journal stays (no close), the lock is left behind as a killed process leaves it.
    const journal = readFileSync(journalOf(file), 'utf8');
    await ws.close();
    writeFileSync(journalOf(file), `${journal}{"put":[{"id":"half`);
    const store = await ProjectStore.open(projectDir, { lock: false });
    const layer = await store.readLayer('Ana', docId);
    expect(layer.annotations.map((a) => a.id)).toContain(quote!.id);
    expect(layer.annotations.map((a) => a.id)).not.toContain('half');
    await store.close();

    writeFileSync(journalOf(file), `not json\n${journal}`);
    const again = await ProjectStore.open(projectDir, { lock: false });
    await expect(again.readLayer('Ana', docId)).rejects.toThrow(/line 1 is damaged/);
    await again.close();
  });

  it('replaying after a crash between folding and removing the journal gives the same layer (every entry is idempotent)', async () => {
    const { ws, h, docId, file } = await seeded();
    const projectDir = ws.projectDir;
    await h.createAnnotations({ docId, spans: [{ label: 'quote', ...spanOf(TEXT, 'the talks were productive') }] });
    await h.setDocumentStatus({ docId, status: 'done' });
    const journal = readFileSync(journalOf(file), 'utf8');
    const expected = layerOnDisk(projectDir, 'Ana', docId);
    await ws.close(); // folds and removes the journal
    appendFileSync(journalOf(file), journal); // as if the removal had not happened
    const store = await ProjectStore.open(projectDir);
    try {
      expect(await store.readLayer('Ana', docId)).toEqual(expected);
    } finally {
      await store.close();
    }
  });
});
