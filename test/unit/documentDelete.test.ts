import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../shared/api';
import { dispatch } from '../../electron/services/dispatch';
import type { Workspace } from '../../electron/services/workspace';
import { listFilesRecursive, openWorkspace, samplePaths, TempDirs } from './helpers';

/**
 * Deleting a document (issue 11, item 17): with every annotator's layer and metadata edits,
 * against the counts the user confirmed, into a trash folder inside the project, and back by Undo.
 */

const temps = new TempDirs();
let ws: Workspace;
const ana: Caller = { windowId: 'ana' };
const ben: Caller = { windowId: 'ben' };
let cnn: string;
let others: string[];

/** The project's data files (what git would see), relative, with their bytes. */
function dataFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const top of ['documents', 'annotations', 'metadata']) {
    const dir = path.join(ws.projectDir, top);
    if (!existsSync(dir)) continue;
    for (const file of listFilesRecursive(dir)) files.set(`${top}/${file}`, readFileSync(path.join(dir, file), 'utf8'));
  }
  return files;
}

beforeEach(async () => {
  ws = await openWorkspace(temps);
  await ws.importPaths(samplePaths());
  const h = ws.handlers;
  await h.setAnnotator({ name: 'Ana' }, ana);
  await h.setAnnotator({ name: 'Ben' }, ben);
  const docs = await h.listDocuments({});
  cnn = docs.find((d) => d.title.includes('capitalize'))!.id;
  others = docs.map((d) => d.id).filter((id) => id !== cnn);
  const text = (await h.getDocument({ docId: cnn })).text;
  const span = (phrase: string) => ({ start: text.indexOf(phrase), end: text.indexOf(phrase) + phrase.length });
  // Ana: a quote and its source, linked, and the document marked done (a journaled layer).
  const quote = await h.createAnnotation({ docId: cnn, label: 'quote', ...span('a series of big, productive conversations') }, ana);
  const source = await h.createAnnotation({ docId: cnn, label: 'source', ...span('Blinken') }, ana);
  await h.createRelation({ docId: cnn, type: 'attributed-to', from: quote.id, to: source.id }, ana);
  await h.setDocumentStatus({ docId: cnn, status: 'done' }, ana);
  // Ben, a colleague: three spans and a title edit.
  await h.createAnnotations({ docId: cnn, spans: [{ label: 'source', ...span('Benjamin Netanyahu') }, { label: 'event', ...span('urged top Israeli officials') }, { label: 'claim', ...span('Hamas') }] }, ben);
  await h.updateDocumentMeta({ docId: cnn, meta: { outlet: 'CNN (checked by Ben)' } }, ben);
  // Another document's layer, which must not be touched.
  const other = (await h.getDocument({ docId: others[0]! })).text;
  await h.createAnnotation({ docId: others[0]!, label: 'claim', start: 0, end: other.indexOf(' ') }, ben);
});

afterEach(async () => {
  await ws.close();
  temps.cleanup();
});

describe('deleting a document', () => {
  it("names what will go: each annotator's annotations and links, and whose metadata edits", async () => {
    const footprint = await ws.handlers.documentFootprint({ docId: cnn });
    expect(footprint).toEqual({
      docId: cnn,
      title: expect.stringContaining('capitalize'),
      layers: [
        { annotator: 'Ana', annotations: 2, relations: 1 },
        { annotator: 'Ben', annotations: 3, relations: 0 },
      ],
      metadataEdits: ['Ben'],
    });
  });

  it('is refused when the document holds other counts than the ones confirmed, and then nothing is removed', async () => {
    const before = dataFiles();
    const stale = await dispatch(ws.handlers, 'deleteDocument', { docId: cnn, confirmed: { layers: 1, annotations: 2 } }, ana);
    expect(stale).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message:
          'The document changed since you confirmed: it now holds 5 annotations in 2 layers (Ana: 2, Ben: 3), not 2 in 1. Nothing was deleted; look at the counts and confirm again.',
      },
    });
    expect(dataFiles()).toEqual(before);
    expect((await ws.handlers.listDocuments({})).map((d) => d.id)).toContain(cnn);
  });

  it("moves the document, every layer and every metadata edit into the project's trash; the rest stays as it was", async () => {
    const before = dataFiles();
    const { trashId, footprint } = await ws.handlers.deleteDocument({ docId: cnn, confirmed: { layers: 2, annotations: 5 } }, ana);
    expect(footprint.layers.map((l) => l.annotator)).toEqual(['Ana', 'Ben']);

    const after = dataFiles();
    // Ana's layer had a journal: folded into her layer file before it moved.
    expect([...before.keys()]).toContain(`annotations/Ana/.${cnn}.json.journal`);
    const gone = [...before.keys()].filter((f) => !after.has(f) && !f.endsWith('.journal')).sort();
    expect(gone).toEqual([`annotations/Ana/${cnn}.json`, `annotations/Ben/${cnn}.json`, `documents/${cnn}.json`, `metadata/Ben/${cnn}.json`]);
    // Nothing else changed, nothing came.
    for (const [file, content] of after) expect(before.get(file), file).toBe(content);
    // Not even a journal is left behind.
    expect(listFilesRecursive(path.join(ws.projectDir, 'annotations')).filter((f) => f.includes(cnn))).toEqual([]);

    const trash = path.join(ws.projectDir, '.margin-trash', trashId);
    expect(listFilesRecursive(trash)).toEqual(gone);
    const anaLayer = JSON.parse(readFileSync(path.join(trash, `annotations/Ana/${cnn}.json`), 'utf8')) as { annotations: unknown[]; relations: unknown[]; status?: string };
    expect([anaLayer.annotations.length, anaLayer.relations.length, anaLayer.status]).toEqual([2, 1, 'done']);
    expect(readFileSync(path.join(ws.projectDir, '.gitignore'), 'utf8').split('\n')).toContain('.margin-trash/');

    expect((await ws.handlers.listDocuments({})).map((d) => d.id)).toEqual(expect.not.arrayContaining([cnn]));
    await expect(ws.handlers.getDocument({ docId: cnn })).rejects.toThrow(`There is no document ${cnn} in this project.`);
    await expect(ws.handlers.listAnnotations({ docId: cnn })).rejects.toThrow(/There is no document/);
  });

  it('Undo puts every file back byte for byte, and the document reads as before', async () => {
    const h = ws.handlers;
    const before = dataFiles();
    const annotations = await h.listAnnotations({ docId: cnn });
    const relations = await h.listRelations({ docId: cnn });
    const view = await h.getDocument({ docId: cnn });
    const { trashId } = await h.deleteDocument({ docId: cnn, confirmed: { layers: 2, annotations: 5 } }, ana);

    expect(await h.restoreDocument({ trashId }, ana)).toEqual({ docId: cnn });
    const after = dataFiles();
    // The layers were compacted before they moved: the same records, in whole files now.
    expect([...after.keys()].sort()).toEqual([...before.keys()].filter((f) => !f.endsWith('.journal')).sort());
    expect(after.get(`documents/${cnn}.json`)).toBe(before.get(`documents/${cnn}.json`));
    expect(await h.listAnnotations({ docId: cnn })).toEqual(annotations);
    expect(await h.listRelations({ docId: cnn })).toEqual(relations);
    expect(await h.getDocument({ docId: cnn })).toEqual(view);
    const listed = (await h.listDocuments({}, ana)).find((d) => d.id === cnn)!;
    expect(listed).toMatchObject({ annotationCount: 5, status: 'done', outlet: 'CNN (checked by Ben)' });
    expect(existsSync(path.join(ws.projectDir, '.margin-trash', trashId))).toBe(false);

    // Once restored, there is nothing left to restore.
    const again = await dispatch(h, 'restoreDocument', { trashId }, ana);
    expect(again).toMatchObject({ ok: false, error: { code: 'not-found', message: 'There is no deleted document to restore (it was restored already, or purged from the trash).' } });
  });

  it('Undo refuses to overwrite work done on the same article since (re-imported and tagged), and changes nothing', async () => {
    const h = ws.handlers;
    const { trashId } = await h.deleteDocument({ docId: cnn, confirmed: { layers: 2, annotations: 5 } }, ana);
    await ws.importPaths(samplePaths());
    await h.createAnnotation({ docId: cnn, label: 'claim', start: 0, end: 5 }, ana);
    const before = dataFiles();
    const refused = await dispatch(h, 'restoreDocument', { trashId }, ana);
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message: `The article was imported again and has new work since it was deleted (annotations/Ana/${cnn}.json). Nothing was restored; the deleted files are kept in ${path.join(ws.projectDir, '.margin-trash', trashId)}.`,
      },
    });
    expect(dataFiles()).toEqual(before);
  });

  it("takes a deleted article's near-duplicate out of the other's list, and Undo brings it back", async () => {
    const h = ws.handlers;
    const withCopies = (await h.listDocuments({})).find((d) => d.nearDuplicates.length > 0)!;
    const copy = withCopies.nearDuplicates[0]!;
    const footprint = await h.documentFootprint({ docId: copy });
    const total = footprint.layers.reduce((n, l) => n + l.annotations, 0);
    const { trashId } = await h.deleteDocument({ docId: copy, confirmed: { layers: footprint.layers.length, annotations: total } }, ana);
    expect((await h.listDocuments({})).find((d) => d.id === withCopies.id)!.nearDuplicates).toEqual([]);
    expect((await h.getDocument({ docId: withCopies.id })).nearDuplicates).toEqual([]);
    await h.restoreDocument({ trashId }, ana);
    expect((await h.listDocuments({})).find((d) => d.id === withCopies.id)!.nearDuplicates).toEqual([copy]);
  });

  it('purges deleted documents kept in the trash for more than 30 days when another is deleted', async () => {
    const h = ws.handlers;
    const old = path.join(ws.projectDir, '.margin-trash', '20200101T000000000Z-0123456789abcdef');
    mkdirSync(path.join(old, 'documents'), { recursive: true });
    writeFileSync(path.join(old, 'documents', '0123456789abcdef.json'), '{}');
    const longAgo = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    utimesSync(old, longAgo, longAgo);
    const recent = path.join(ws.projectDir, '.margin-trash', '20200101T000000000Z-fedcba9876543210');
    mkdirSync(recent);
    const footprint = await h.documentFootprint({ docId: others[1]! });
    await h.deleteDocument({ docId: others[1]!, confirmed: { layers: footprint.layers.length, annotations: 0 } }, ana);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    expect(readdirSync(path.join(ws.projectDir, '.margin-trash'))).toHaveLength(2);
  });

  it('refuses a trash id that is not one, naming the field', async () => {
    const bad = await dispatch(ws.handlers, 'restoreDocument', { trashId: '../../etc' }, ana);
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringMatching(/trashId/) } });
    const unknown = await dispatch(ws.handlers, 'deleteDocument', { docId: '0123456789abcdef', confirmed: { layers: 0, annotations: 0 } }, ana);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found', message: 'There is no document 0123456789abcdef in this project.' } });
  });
});
