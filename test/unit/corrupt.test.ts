import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/services/dispatch';
import { MarginError } from '../../electron/services/errors';
import { ProjectStore } from '../../electron/services/store/projectStore';
import { Workspace } from '../../electron/services/workspace';
import { layerPath, listFilesRecursive, openWorkspace, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

/** Bytes and mtime of a file, to prove Margin never wrote to it. */
function fingerprint(file: string): { bytes: Buffer; mtimeMs: number } {
  return { bytes: readFileSync(file), mtimeMs: statSync(file).mtimeMs };
}

/** Writes `content` and backdates the file, so any rewrite would show in its mtime. */
function plant(file: string, content: string | Buffer): void {
  writeFileSync(file, content);
  const past = new Date(Date.now() - 3600_000);
  utimesSync(file, past, past);
}

/** A project with the samples imported and one annotation by alice; closed again. */
async function seededProject(): Promise<{ projectDir: string; docIds: string[] }> {
  const ws = await openWorkspace(temps);
  await ws.handlers.setAnnotator({ name: 'alice' });
  const docIds = (await ws.handlers.loadSamples({})).imported.map((d) => d.docId);
  await ws.handlers.createAnnotation({ docId: docIds[0]!, label: 'claim', start: 0, end: 10 });
  const projectDir = ws.projectDir;
  await ws.close();
  return { projectDir, docIds };
}

async function openError(projectDir: string): Promise<MarginError> {
  const error = await Workspace.open({ userData: temps.userData(), projectDir, mode: 'browser' }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MarginError);
  return error as MarginError;
}

describe('a corrupt file is reported and never overwritten', () => {
  it('margin.json that is not JSON: the project does not open, the error names the file', async () => {
    const { projectDir } = await seededProject();
    const file = path.join(projectDir, 'margin.json');
    plant(file, '{ "version": 1, "name": "half a file');
    const before = fingerprint(file);

    const error = await openError(projectDir);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/not valid JSON/);
    expect(error.message).toMatch(/left it untouched/);
    // A second attempt neither "repairs" it nor leaves a lock behind.
    await openError(projectDir);
    expect(fingerprint(file)).toEqual(before);
    expect(listFilesRecursive(projectDir)).not.toContain('.margin.lock');
  });

  it('a corrupt document file: the error names it and it stays byte for byte the same', async () => {
    const { projectDir, docIds } = await seededProject();
    const file = path.join(projectDir, 'documents', `${docIds[1]}.json`);
    plant(file, Buffer.from([0x7b, 0x0a, 0x00, 0xff, 0xfe, 0x22]));
    const before = fingerprint(file);

    const error = await openError(projectDir);
    expect(error.message).toContain(file);
    await openError(projectDir);
    expect(fingerprint(file)).toEqual(before);
  });

  it('a corrupt layer file: reads and writes on that document fail naming it; the file is untouched', async () => {
    const { projectDir, docIds } = await seededProject();
    const docId = docIds[0]!;
    const file = layerPath(projectDir, 'alice', docId);
    plant(file, '{"version":1,"docId":"');
    const before = fingerprint(file);

    const ws = await Workspace.open({ userData: temps.userData(), projectDir, mode: 'browser' });
    try {
      const h = ws.handlers;
      await h.setAnnotator({ name: 'alice' });

      const listed = await dispatch(h, 'listAnnotations', { docId });
      expect(listed.ok).toBe(false);
      if (!listed.ok) {
        expect(listed.error.code).toBe('store');
        expect(listed.error.message).toContain(file);
      }
      // Tagging on that document must fail, not start a fresh layer over the old one.
      for (let attempt = 0; attempt < 2; attempt++) {
        const created = await dispatch(h, 'createAnnotation', { docId, label: 'claim', start: 0, end: 10 });
        expect(created.ok).toBe(false);
        if (!created.ok) expect(created.error.message).toContain(file);
      }
      const deleted = await dispatch(h, 'deleteAnnotations', { docId, annotationIds: ['anything'] });
      expect(deleted.ok).toBe(false);
      expect(fingerprint(file)).toEqual(before);

      // The document list still shows every document, flagging only the one with the bad file.
      const documents = await h.listDocuments({});
      expect(documents).toHaveLength(docIds.length);
      expect(documents.find((d) => d.id === docId)?.problem).toContain(file);
      expect(documents.filter((d) => d.problem)).toHaveLength(1);

      // Other documents keep working.
      const other = await dispatch(h, 'createAnnotation', { docId: docIds[1]!, label: 'claim', start: 0, end: 10 });
      expect(other.ok).toBe(true);
    } finally {
      await ws.close();
    }
    expect(fingerprint(file)).toEqual(before);
    expect(listFilesRecursive(projectDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('valid JSON of the wrong shape names the file and the field', async () => {
    const { projectDir, docIds } = await seededProject();
    const file = layerPath(projectDir, 'alice', docIds[0]!);
    const layer = JSON.parse(readFileSync(file, 'utf8')) as { annotations: Array<Record<string, unknown>> };
    layer.annotations[0]!.start = 'zero';
    plant(file, JSON.stringify(layer));
    const before = fingerprint(file);

    const store = await ProjectStore.open(projectDir);
    try {
      const error = await store.readLayer('alice', docIds[0]!).then(
        () => null,
        (e: unknown) => e as MarginError,
      );
      expect(error).toBeInstanceOf(MarginError);
      expect(error!.message).toContain(file);
      expect(error!.message).toContain('annotations.0.start');
      expect(error!.issues?.some((i) => i.startsWith('annotations.0.start'))).toBe(true);
    } finally {
      await store.close();
    }
    expect(fingerprint(file)).toEqual(before);
  });

  it('margin.json with a wrong field names that field', async () => {
    const { projectDir } = await seededProject();
    const file = path.join(projectDir, 'margin.json');
    const project = JSON.parse(readFileSync(file, 'utf8')) as { schema: { labels: unknown[] } };
    project.schema.labels = [];
    plant(file, JSON.stringify(project));
    const before = fingerprint(file);
    const error = await openError(projectDir);
    expect(error.message).toContain(file);
    expect(error.message).toContain('schema.labels');
    expect(fingerprint(file)).toEqual(before);
  });

  it('ignores hidden files in documents/ (macOS "._" resource forks on shared drives)', async () => {
    const { projectDir, docIds } = await seededProject();
    plant(path.join(projectDir, 'documents', `._${docIds[0]}.json`), Buffer.from([0x00, 0x05, 0x16, 0x07, 0x00]));
    const store = await ProjectStore.open(projectDir);
    try {
      expect(store.listDocuments()).toHaveLength(4);
    } finally {
      await store.close();
    }
  });
});
