import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../electron/services/store/projectStore';
import { Workspace } from '../../electron/services/workspace';
import type { Annotation } from '../../shared/model';
import { keysSortedEverywhere, layerOnDisk, layerPath, listFilesRecursive, openWorkspace, spanOf, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

/** The file as the next reader finds it: bytes on disk, nothing cached. */
function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** A layer as the next reader finds it on disk: its file and the journal of changes acknowledged since it was compacted. */
function readLayer(file: string): { annotations: Annotation[] } {
  const [annotator, name] = file.split(path.sep).slice(-2);
  return layerOnDisk(path.dirname(path.dirname(path.dirname(file))), annotator!, name!.replace(/\.json$/, ''));
}

function expectPrettySortedJson(file: string): void {
  const raw = readFileSync(file, 'utf8');
  const parsed = JSON.parse(raw) as unknown;
  expect(keysSortedEverywhere(parsed), `${file} has unsorted keys`).toBe(true);
  // Exactly 2-space pretty printing with a final newline: stable diffs in git.
  expect(raw).toBe(`${JSON.stringify(parsed, null, 2)}\n`);
  expect((parsed as { version?: unknown }).version, `${file} has no version`).toBe(1);
}

describe('a project survives close and reopen', () => {
  it('reopens with exactly the same documents and annotations, in readable files', async () => {
    const root = temps.make();
    const projectDir = path.join(root, 'news project');
    const ws = await openWorkspace(temps, projectDir);
    const h = ws.handlers;
    await h.setAnnotator({ name: 'alice' });

    const report = await h.loadSamples({});
    expect(report.imported).toHaveLength(4);
    expect(report.failed).toEqual([]);

    const docs = await h.listDocuments({});
    expect(docs).toHaveLength(4);
    const first = await h.getDocument({ docId: docs[0]!.id });
    const second = await h.getDocument({ docId: docs[1]!.id });

    const created: Annotation[] = [];
    const blinken = spanOf(first.text, 'Antony Blinken');
    created.push(await h.createAnnotation({ docId: first.id, label: 'quote', ...blinken }));
    created.push(await h.createAnnotation({ docId: first.id, label: 'claim', start: blinken.start, end: blinken.end + 20 }));
    created.push(await h.createAnnotation({ docId: first.id, label: 'event', start: 0, end: 4 }));
    created.push(await h.createAnnotation({ docId: second.id, label: 'claim', start: 0, end: 10 }));

    const { deleted } = await h.deleteAnnotations({ docId: first.id, annotationIds: [created[2]!.id] });
    expect(deleted.map((d) => d.id)).toEqual([created[2]!.id]);

    const before = {
      docs: await h.listDocuments({}),
      texts: await Promise.all(docs.map((d) => h.getDocument({ docId: d.id }))),
      annotations: await Promise.all(docs.map((d) => h.listAnnotations({ docId: d.id }))),
    };
    expect(before.annotations.flat()).toHaveLength(3);
    expect(before.annotations.flat().map((a) => a.id)).not.toContain(created[2]!.id);
    await ws.close();

    // A brand-new workspace on the same folder: everything comes from disk.
    const reopened = await Workspace.open({ userData: temps.userData(), projectDir, mode: 'browser' });
    try {
      const r = reopened.handlers;
      // A fresh user-data folder: the same name again, since each summary carries its status for the current annotator.
      await r.setAnnotator({ name: 'alice' });
      expect(await r.listDocuments({})).toEqual(before.docs);
      expect(await Promise.all(docs.map((d) => r.getDocument({ docId: d.id })))).toEqual(before.texts);
      expect(await Promise.all(docs.map((d) => r.listAnnotations({ docId: d.id })))).toEqual(before.annotations);
    } finally {
      await reopened.close();
    }

    // And a plain ProjectStore agrees.
    const store = await ProjectStore.open(projectDir);
    try {
      expect(store.listDocuments().map((d) => d.id)).toEqual(before.docs.map((d) => d.id));
      const layer = await store.readLayer('alice', first.id);
      expect(layer.annotations.map((a) => a.id).sort()).toEqual([created[0]!.id, created[1]!.id].sort());
    } finally {
      await store.close();
    }

    // The files a colleague would see in git.
    expectPrettySortedJson(path.join(projectDir, 'margin.json'));
    const docFiles = readdirSync(path.join(projectDir, 'documents'));
    expect(docFiles.sort()).toEqual(docs.map((d) => `${d.id}.json`).sort());
    for (const name of docFiles) {
      const file = path.join(projectDir, 'documents', name);
      expectPrettySortedJson(file);
      expect(readJson(file).id).toBe(name.replace(/\.json$/, ''));
    }
    for (const docId of [first.id, second.id]) {
      const file = layerPath(projectDir, 'alice', docId);
      expectPrettySortedJson(file);
      expect(readJson(file)).toMatchObject({ docId, annotator: 'alice' });
    }
    expect(readLayer(layerPath(projectDir, 'alice', first.id)).annotations).toHaveLength(2);
    // Nothing else lingers: no temp files, and the lock is released on close.
    const files = listFilesRecursive(projectDir);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files).not.toContain('.margin.lock');
  });

  it('switching to the project already open is harmless', async () => {
    const ws = await openWorkspace(temps);
    try {
      await ws.switchProject(ws.projectDir);
      expect((await ws.handlers.getSession({})).project.dir).toBe(ws.projectDir);
    } finally {
      await ws.close();
    }
  });
});

describe('acknowledged writes are on disk', () => {
  it('shows an annotation in the layer file as soon as createAnnotation resolves', async () => {
    const ws = await openWorkspace(temps);
    try {
      const h = ws.handlers;
      await h.setAnnotator({ name: 'bob' });
      const [doc] = (await h.loadSamples({})).imported;
      const file = layerPath(ws.projectDir, 'bob', doc!.docId);
      expect(existsSync(file)).toBe(false);

      const a = await h.createAnnotation({ docId: doc!.docId, label: 'claim', start: 0, end: 20 });
      const onDisk = readLayer(file);
      expect(onDisk.annotations).toEqual([a]);

      await h.deleteAnnotations({ docId: doc!.docId, annotationIds: [a.id] });
      expect(readLayer(file).annotations).toEqual([]);

      await h.restoreAnnotations({ annotations: [a], relations: [] });
      expect(readLayer(file).annotations).toEqual([a]);

      expect(listFilesRecursive(ws.projectDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      await ws.close();
    }
  });

  it('keeps every one of many concurrent creates on one layer (fresh layer and existing one)', async () => {
    const ws = await openWorkspace(temps);
    try {
      const h = ws.handlers;
      await h.setAnnotator({ name: 'carol' });
      const imported = (await h.loadSamples({})).imported;
      const docId = imported[0]!.docId;
      const file = layerPath(ws.projectDir, 'carol', docId);

      // The layer file does not exist yet: all of these race to create it.
      const firstWave = await Promise.all(
        Array.from({ length: 12 }, (_, i) => h.createAnnotation({ docId, label: 'claim', start: i * 10, end: i * 10 + 5 })),
      );
      const secondWave = await Promise.all(
        Array.from({ length: 12 }, (_, i) => h.createAnnotation({ docId, label: 'quote', start: i * 10 + 1, end: i * 10 + 7 })),
      );
      const expected = [...firstWave, ...secondWave].map((a) => a.id).sort();
      const onDisk = readLayer(file).annotations.map((a) => a.id).sort();
      expect(onDisk).toEqual(expected);
      expect((await h.listAnnotations({ docId })).map((a) => a.id).sort()).toEqual(expected);
      expect(listFilesRecursive(ws.projectDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      await ws.close();
    }
  });

  it('writes each annotator to their own folder, and lists everyone', async () => {
    const ws = await openWorkspace(temps);
    try {
      const h = ws.handlers;
      const docId = (await h.loadSamples({})).imported[0]!.docId;
      await h.setAnnotator({ name: 'alice' });
      const a = await h.createAnnotation({ docId, label: 'claim', start: 0, end: 10 });
      await h.setAnnotator({ name: 'bob' });
      const b = await h.createAnnotation({ docId, label: 'claim', start: 0, end: 10 });
      expect((readJson(layerPath(ws.projectDir, 'alice', docId)) as { annotations: Annotation[] }).annotations).toEqual([a]);
      expect((readJson(layerPath(ws.projectDir, 'bob', docId)) as { annotations: Annotation[] }).annotations).toEqual([b]);
      // Bob cannot delete Alice's tag.
      await expect(h.deleteAnnotations({ docId, annotationIds: [a.id] })).rejects.toThrow(/alice's layer/);
      expect((await h.listDocuments({})).find((d) => d.id === docId)?.annotationCount).toBe(2);
    } finally {
      await ws.close();
    }
  });
});
