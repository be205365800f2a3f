import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/services/dispatch';
import { cleanMeta, MetadataFile } from '../../electron/services/store/documentMeta';
import { openWorkspace, spanOf, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const PAGE = [
  'Council approves new harbour bridge',
  '',
  'The city council on Tuesday approved the construction of a new bridge over the harbour, ending a decade of debate about how to connect the two halves of the old town.',
  '',
  'Work is due to start next spring and should take three years, the mayor told reporters after the vote.',
].join('\n');

async function withDocument(run: (ctx: { ws: Awaited<ReturnType<typeof openWorkspace>>; docId: string; docFile: string }) => Promise<void>) {
  const ws = await openWorkspace(temps);
  try {
    await ws.handlers.setAnnotator({ name: 'Ana' });
    const report = await ws.handlers.importFiles({ files: [{ name: 'bridge.txt', data: Buffer.from(PAGE).toString('base64') }] });
    const docId = report.imported[0]!.docId;
    await run({ ws, docId, docFile: path.join(ws.projectDir, 'documents', `${docId}.json`) });
  } finally {
    await ws.close();
  }
}

describe('editing a document’s metadata', () => {
  it('stores the edits beside the document and shows them merged over the extracted values', async () => {
    await withDocument(async ({ ws, docId, docFile }) => {
      const h = ws.handlers;
      const before = await h.getDocument({ docId });
      expect(before.meta.title).toBe(before.title);
      expect(before.fileName).toBe('bridge.txt');
      expect(before.nearDuplicates).toEqual([]);
      const docBytes = readFileSync(docFile);

      const view = await h.updateDocumentMeta({ docId, meta: { title: 'Harbour bridge approved', outlet: 'City Gazette', author: 'J. Doe', published: '2025-03-04', url: 'https://example.org/bridge', language: 'en' } });
      expect(view.title).toBe('Harbour bridge approved');
      expect(view.meta).toEqual({ ...before.meta, title: 'Harbour bridge approved', outlet: 'City Gazette', author: 'J. Doe', published: '2025-03-04', url: 'https://example.org/bridge', language: 'en' });
      expect(view.text).toBe(before.text);

      // The document file is byte for byte what import wrote; the edits are the annotator's own small file.
      expect(readFileSync(docFile)).toEqual(docBytes);
      const metaFile = path.join(ws.projectDir, 'metadata', 'Ana', `${docId}.json`);
      const stored = MetadataFile.parse(JSON.parse(readFileSync(metaFile, 'utf8')));
      expect(stored).toMatchObject({ version: 1, docId, annotator: 'Ana', fields: { title: { value: 'Harbour bridge approved' }, outlet: { value: 'City Gazette' } } });

      const [summary] = await h.listDocuments({});
      expect(summary).toMatchObject({ title: 'Harbour bridge approved', outlet: 'City Gazette', nearDuplicates: [] });
      expect((await h.listDocuments({ query: 'gazette' })).map((d) => d.id)).toEqual([docId]);
    });
  });

  it('merges: fields left out stay; an empty string removes the user’s value so the extracted one shows again', async () => {
    await withDocument(async ({ ws, docId }) => {
      const h = ws.handlers;
      const original = await h.getDocument({ docId });
      await h.updateDocumentMeta({ docId, meta: { title: 'Edited', author: 'A. Writer' } });
      const partly = await h.updateDocumentMeta({ docId, meta: { outlet: '  The   Courier ' } });
      expect(partly.meta).toMatchObject({ title: 'Edited', author: 'A. Writer', outlet: 'The Courier' });

      const cleared = await h.updateDocumentMeta({ docId, meta: { title: '', author: '   ' } });
      expect(cleared.title).toBe(original.title);
      expect(cleared.meta.title).toBe(original.title);
      expect(cleared.meta.author).toBeUndefined();
      expect(cleared.meta.outlet).toBe('The Courier');

      // A value equal to the extracted one is stored as "the extracted value" (so it also overrides a colleague's older edit).
      const back = await h.updateDocumentMeta({ docId, meta: { title: original.title } });
      expect(back.title).toBe(original.title);
      const stored = MetadataFile.parse(JSON.parse(readFileSync(path.join(ws.projectDir, 'metadata', 'Ana', `${docId}.json`), 'utf8')));
      expect(stored.fields.title!.value).toBe('');
      expect(stored.fields.outlet!.value).toBe('The Courier');
    });
  });

  it('keeps edits across a restart and never moves annotations', async () => {
    const ws = await openWorkspace(temps);
    const projectDir = ws.projectDir;
    let docId: string;
    let span: { start: number; end: number };
    try {
      const h = ws.handlers;
      await h.setAnnotator({ name: 'ana' });
      docId = (await h.importFiles({ files: [{ name: 'bridge.txt', data: Buffer.from(PAGE).toString('base64') }] })).imported[0]!.docId;
      const { text } = await h.getDocument({ docId });
      span = spanOf(text, 'approved the construction');
      await h.createAnnotation({ docId, label: 'claim', ...span });
      await h.updateDocumentMeta({ docId, meta: { title: 'A much longer title than the first line of the article was', author: 'Someone' } });
    } finally {
      await ws.close();
    }
    const again = await openWorkspace(temps, projectDir);
    try {
      const view = await again.handlers.getDocument({ docId });
      expect(view.meta).toMatchObject({ title: 'A much longer title than the first line of the article was', author: 'Someone' });
      const [annotation] = await again.handlers.listAnnotations({ docId });
      expect(view.text.slice(annotation!.start, annotation!.end)).toBe('approved the construction');
      expect(annotation).toMatchObject(span);
    } finally {
      await again.close();
    }
  });

  it('refuses a link that is not a web address, and an unknown document', async () => {
    await withDocument(async ({ ws, docId }) => {
      await expect(ws.handlers.updateDocumentMeta({ docId, meta: { url: 'javascript:alert(1)' } })).rejects.toThrow(/not a web address/);
      expect(existsSync(path.join(ws.projectDir, 'metadata', 'Ana', `${docId}.json`))).toBe(false);
      await expect(ws.handlers.updateDocumentMeta({ docId: '0123456789abcdef', meta: { title: 'x' } })).rejects.toThrow(/no document 0123456789abcdef/);
      // Through the contract: too long a field is a validation error.
      const result = await dispatch(ws.handlers, 'updateDocumentMeta', { docId, meta: { language: 'x'.repeat(100) } });
      expect(result).toMatchObject({ ok: false, error: { code: 'validation' } });
    });
  });

  it('reports a corrupt metadata file by name, leaves it untouched, and still opens the document', async () => {
    await withDocument(async ({ ws, docId }) => {
      const h = ws.handlers;
      await h.updateDocumentMeta({ docId, meta: { outlet: 'Gazette' } });
      const metaFile = path.join(ws.projectDir, 'metadata', 'Ana', `${docId}.json`);
      const broken = '{"version": 1, "docId": "' + docId + '", "fields": {"title": 42}';
      writeFileSync(metaFile, broken);

      const [summary] = await h.listDocuments({});
      expect(summary!.problem).toContain(metaFile);
      const view = await h.getDocument({ docId });
      expect(view.meta.outlet).toBeUndefined(); // the extracted values stand in
      expect(view.text).toBe(PAGE);

      await expect(h.updateDocumentMeta({ docId, meta: { outlet: 'Other' } })).rejects.toThrow(metaFile);
      expect(readFileSync(metaFile, 'utf8')).toBe(broken);

      // Valid JSON of the wrong shape: the same.
      const wrongShape = JSON.stringify({ version: 1, docId, annotator: 'Ana', fields: { title: 42 } });
      writeFileSync(metaFile, wrongShape);
      await expect(h.updateDocumentMeta({ docId, meta: { outlet: 'Other' } })).rejects.toThrow(/does not have the expected shape/);
      expect(readFileSync(metaFile, 'utf8')).toBe(wrongShape);
    });
  });

  it("picks up a colleague's edit synced in, and files from before (one shared file) still count", async () => {
    await withDocument(async ({ ws, docId }) => {
      await ws.handlers.updateDocumentMeta({ docId, meta: { author: 'Ana' } });
      const bruno = path.join(ws.projectDir, 'metadata', 'Bruno', `${docId}.json`);
      mkdirSync(path.dirname(bruno), { recursive: true });
      const later = new Date(Date.now() + 60_000).toISOString();
      writeFileSync(bruno, JSON.stringify({ version: 1, docId, annotator: 'Bruno', fields: { author: { value: 'Bruno, who synced', at: later } } }));
      expect((await ws.handlers.getDocument({ docId })).meta.author).toBe('Bruno, who synced');
      // The shared file of earlier versions is read as one more edit, by its time.
      const legacy = path.join(ws.projectDir, 'metadata', `${docId}.json`);
      writeFileSync(legacy, JSON.stringify({ version: 1, docId, meta: { outlet: 'Old Gazette' }, updatedAt: '2020-01-01T00:00:00.000Z' }));
      expect((await ws.handlers.getDocument({ docId })).meta).toMatchObject({ outlet: 'Old Gazette', author: 'Bruno, who synced' });
    });
  });

  it('two analysts editing the same document: each writes only their own file, and the latest edit of each field wins', async () => {
    await withDocument(async ({ ws, docId }) => {
      const h = ws.handlers;
      await h.updateDocumentMeta({ docId, meta: { title: 'Ana’s title', outlet: 'Ana’s outlet' } });
      await h.setAnnotator({ name: 'Ben' });
      const view = await h.updateDocumentMeta({ docId, meta: { title: 'Ben’s title', published: '2025-03-04' } });
      expect(view.meta).toMatchObject({ title: 'Ben’s title', outlet: 'Ana’s outlet', published: '2025-03-04' });
      const ana = MetadataFile.parse(JSON.parse(readFileSync(path.join(ws.projectDir, 'metadata', 'Ana', `${docId}.json`), 'utf8')));
      const ben = MetadataFile.parse(JSON.parse(readFileSync(path.join(ws.projectDir, 'metadata', 'Ben', `${docId}.json`), 'utf8')));
      expect(Object.keys(ana.fields).sort()).toEqual(['outlet', 'title']);
      expect(Object.keys(ben.fields).sort()).toEqual(['published', 'title']);
      // Ana clears the title: her later "back to extracted" wins over Ben's.
      await h.setAnnotator({ name: 'Ana' });
      const cleared = await h.updateDocumentMeta({ docId, meta: { title: '' } });
      expect(cleared.title).toBe(PAGE.split('\n')[0]);
    });
  });
});

describe('cleaning extracted metadata', () => {
  it('trims, composes, drops empty fields and unsafe links, and keeps within the limits', () => {
    expect(cleanMeta({ title: '  Cafe\u0301\n news ', outlet: '', author: undefined, url: 'javascript:alert(1)', language: 'en' })).toEqual({ title: 'Café news', language: 'en' });
    expect(cleanMeta({ url: ' https://example.org/a b ' })).toEqual({ url: 'https://example.org/a%20b' });
    expect(cleanMeta({ title: 'x'.repeat(5000) }).title!.length).toBe(1000);
  });
});
