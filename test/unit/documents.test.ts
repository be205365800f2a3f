import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/services/workspace';
import { layerOnDisk, layerPath, openWorkspace, spanOf, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const ARTICLES = {
  doha: 'Talks in Doha\nBlinken said the talks were productive. Officials met on Monday.\n',
  cafe: 'Café diplomacy in Paris\nThe French minister met envoys over coffee.\n',
  gaza: 'Cease-fire near, officials say\nNegotiators in CAIRO worked through the night on a Gaza truce.\n',
};

async function setUp() {
  const ws = await openWorkspace(temps);
  const h = ws.handlers;
  const { imported } = await h.importFiles({
    files: Object.entries(ARTICLES).map(([name, text]) => ({ name: `${name}.txt`, data: Buffer.from(text).toString('base64') })),
  });
  const ids = Object.fromEntries(imported.map((d) => [d.fileName.replace('.txt', ''), d.docId])) as Record<keyof typeof ARTICLES, string>;
  return { ws, h, ids };
}

const titles = (docs: { title: string }[]) => docs.map((d) => d.title).sort();

describe('listDocuments with a query', () => {
  it('finds by title and by text, whatever the case and Unicode composition', async () => {
    const { ws, h, ids } = await setUp();
    try {
      expect(await h.listDocuments({})).toHaveLength(3);
      expect(await h.listDocuments({ query: '' })).toHaveLength(3);
      expect(await h.listDocuments({ query: '   ' })).toHaveLength(3);
      // Title.
      expect(titles(await h.listDocuments({ query: 'talks in' }))).toEqual(['Talks in Doha']);
      // Text only (not in any title), in another case.
      expect((await h.listDocuments({ query: 'cairo' })).map((d) => d.id)).toEqual([ids.gaza]);
      expect((await h.listDocuments({ query: 'PRODUCTIVE' })).map((d) => d.id)).toEqual([ids.doha]);
      // "CAFE" + combining acute accent is the same text as "Café".
      expect((await h.listDocuments({ query: 'CAFE\u0301' })).map((d) => d.id)).toEqual([ids.cafe]);
      expect((await h.listDocuments({ query: 'café' })).map((d) => d.id)).toEqual([ids.cafe]);
      // In several documents; in none.
      expect(titles(await h.listDocuments({ query: 'officials' }))).toEqual(['Cease-fire near, officials say', 'Talks in Doha']);
      expect(await h.listDocuments({ query: 'Sinwar' })).toEqual([]);
    } finally {
      await ws.close();
    }
  });
});

describe('document summaries', () => {
  it('count annotations per label over every annotator\'s layer', async () => {
    const { ws, h, ids } = await setUp();
    try {
      const text = ARTICLES.doha;
      await h.setAnnotator({ name: 'ana' });
      await h.createAnnotations({
        docId: ids.doha,
        spans: [
          { label: 'quote', ...spanOf(text, 'the talks were productive') },
          { label: 'source', ...spanOf(text, 'Blinken') },
          { label: 'event', ...spanOf(text, 'Officials met on Monday') },
        ],
      });
      await h.setAnnotator({ name: 'ben' });
      await h.createAnnotations({
        docId: ids.doha,
        spans: [
          { label: 'quote', ...spanOf(text, 'Blinken said the talks were productive') },
          { label: 'claim', ...spanOf(text, 'the talks were productive') },
        ],
      });
      const docs = await h.listDocuments({});
      const doha = docs.find((d) => d.id === ids.doha)!;
      expect(doha.labelCounts).toEqual({ quote: 2, source: 1, event: 1, claim: 1 });
      expect(doha.annotationCount).toBe(5);
      expect(docs.find((d) => d.id === ids.cafe)!.labelCounts).toEqual({});
    } finally {
      await ws.close();
    }
  });

  it('derive each annotator\'s status, and keep "done" when it is set', async () => {
    const { ws, h, ids } = await setUp();
    const projectDir = ws.projectDir;
    try {
      const summary = async (docId: string) => (await h.listDocuments({})).find((d) => d.id === docId)!;
      // Before anyone has a name or a layer.
      expect(await summary(ids.doha)).toMatchObject({ status: 'not-started', statuses: {} });

      await h.setAnnotator({ name: 'ana' });
      await h.createAnnotation({ docId: ids.doha, label: 'claim', ...spanOf(ARTICLES.doha, 'the talks were productive') });
      expect(await summary(ids.doha)).toMatchObject({ status: 'in-progress', statuses: { ana: 'in-progress' } });

      await h.setAnnotator({ name: 'ben' });
      // Ben sees his own status (no layer yet) beside Ana's.
      expect(await summary(ids.doha)).toMatchObject({ status: 'not-started', statuses: { ana: 'in-progress' } });
      const own = await h.createAnnotation({ docId: ids.doha, label: 'quote', ...spanOf(ARTICLES.doha, 'Blinken said') });
      await h.deleteAnnotations({ docId: ids.doha, annotationIds: [own.id] });
      // An empty layer file: not started.
      expect((await summary(ids.doha)).statuses).toEqual({ ana: 'in-progress', ben: 'not-started' });

      // Done, set by hand, on a document Ben has not tagged at all: the layer file is made for it.
      expect(existsSync(layerPath(projectDir, 'ben', ids.gaza))).toBe(false);
      expect(await h.setDocumentStatus({ docId: ids.gaza, status: 'done' })).toEqual({ status: 'done' });
      expect(layerOnDisk(projectDir, 'ben', ids.gaza)).toMatchObject({ status: 'done', annotations: [] });
      expect(await summary(ids.gaza)).toMatchObject({ status: 'done', statuses: { ben: 'done' } });

      // Ana marks hers done; tagging more does not undo it.
      await h.setAnnotator({ name: 'ana' });
      await h.setDocumentStatus({ docId: ids.doha, status: 'done' });
      await h.createAnnotation({ docId: ids.doha, label: 'source', ...spanOf(ARTICLES.doha, 'Blinken') });
      expect(await summary(ids.doha)).toMatchObject({ status: 'done', statuses: { ana: 'done', ben: 'not-started' } });
      expect(await summary(ids.gaza)).toMatchObject({ status: 'not-started', statuses: { ben: 'done' } });

      // Un-marking goes back to the derived status.
      expect(await h.setDocumentStatus({ docId: ids.doha, status: 'not-started' })).toEqual({ status: 'in-progress' });
      expect((await summary(ids.doha)).statuses.ana).toBe('in-progress');
      await h.deleteAnnotations({ docId: ids.doha, annotationIds: (await h.listAnnotations({ docId: ids.doha })).filter((a) => a.annotator === 'ana').map((a) => a.id) });
      expect((await summary(ids.doha)).status).toBe('not-started');

      await h.setDocumentStatus({ docId: ids.cafe, status: 'done' });
    } finally {
      await ws.close();
    }

    // Statuses are in the project folder, not in anyone's settings: they survive a restart.
    const reopened = await Workspace.open({ userData: temps.userData(), projectDir, mode: 'browser' });
    try {
      await reopened.handlers.setAnnotator({ name: 'ana' });
      const docs = await reopened.handlers.listDocuments({});
      expect(docs.find((d) => d.id === ids.cafe)).toMatchObject({ status: 'done', statuses: { ana: 'done' } });
      expect(docs.find((d) => d.id === ids.gaza)).toMatchObject({ status: 'not-started', statuses: { ben: 'done' } });
    } finally {
      await reopened.close();
    }
  });

  it('refuses a status on a document that does not exist, and before the annotator has a name', async () => {
    const { ws, h, ids } = await setUp();
    try {
      await expect(h.setDocumentStatus({ docId: ids.doha, status: 'done' })).rejects.toThrow(/annotator name/);
      await h.setAnnotator({ name: 'ana' });
      await expect(h.setDocumentStatus({ docId: 'ffffffffffffffff', status: 'done' })).rejects.toThrow(/no document ffffffffffffffff/);
    } finally {
      await ws.close();
    }
  });
});

describe('the document list, listed again', () => {
  // Listing again reuses the summaries of documents whose inputs did not change (documentOps.ts):
  // each change must still show in the very next listing, whatever listed just before it.
  it('shows every change at once: an add, a delete, a status, a title, a renamed label', async () => {
    const { ws, h, ids } = await setUp();
    try {
      const row = async (id: string) => {
        await h.listDocuments({});
        return (await h.listDocuments({})).find((d) => d.id === id)!;
      };
      await h.setAnnotator({ name: 'ana' });
      expect((await row(ids.doha)).annotationCount).toBe(0);

      const annotations = await h.createAnnotations({ docId: ids.doha, spans: [{ label: 'claim', ...spanOf(ARTICLES.doha, 'the talks were productive') }] });
      expect(await row(ids.doha)).toMatchObject({ annotationCount: 1, labelCounts: { claim: 1 }, status: 'in-progress' });
      // The other documents are listed as before.
      expect((await row(ids.cafe)).annotationCount).toBe(0);

      await h.setDocumentStatus({ docId: ids.doha, status: 'done' });
      expect((await row(ids.doha)).statuses).toEqual({ ana: 'done' });

      await h.updateDocumentMeta({ docId: ids.doha, meta: { title: 'Doha talks, day two' } });
      expect((await row(ids.doha)).title).toBe('Doha talks, day two');

      const { schema, revision } = await h.getSession({});
      const rename = (name: string) => (name === 'claim' ? 'assertion' : name);
      const renamed = {
        ...schema,
        labels: schema.labels.map((l) => ({ ...l, name: rename(l.name) })),
        relations: schema.relations.map((r) => ({ ...r, from: r.from.map(rename), to: r.to.map(rename) })),
      };
      await h.updateSchema({ schema: renamed, renameLabels: [{ from: 'claim', to: 'assertion' }], renameAttributes: [], deleteLabels: [], baseRevision: revision });
      expect((await row(ids.doha)).labelCounts).toEqual({ assertion: 1 });

      await h.deleteAnnotations({ docId: ids.doha, annotationIds: annotations.map((a) => a.id) });
      expect(await row(ids.doha)).toMatchObject({ annotationCount: 0, labelCounts: {} });

      // A search between two listings leaves the next full listing whole.
      expect(await h.listDocuments({ query: 'cairo' })).toHaveLength(1);
      expect(await h.listDocuments({})).toHaveLength(3);
    } finally {
      await ws.close();
    }
  });
});

describe('labelUsage', () => {
  it('counts every label and every attribute with a value, over all documents and annotators', async () => {
    const { ws, h, ids } = await setUp();
    try {
      await h.setAnnotator({ name: 'ana' });
      const [q1] = await h.createAnnotations({ docId: ids.doha, spans: [{ label: 'quote', ...spanOf(ARTICLES.doha, 'the talks were productive') }] });
      await h.updateAnnotation({ docId: ids.doha, annotationId: q1!.id, changes: { attributes: { speaker: 'Blinken', kind: '' } } });
      await h.setAnnotator({ name: 'ben' });
      const q2 = await h.createAnnotation({ docId: ids.gaza, label: 'quote', ...spanOf(ARTICLES.gaza, 'Gaza truce') });
      await h.updateAnnotation({ docId: ids.gaza, annotationId: q2.id, changes: { attributes: { speaker: 'negotiators', kind: 'indirect' } } });
      await h.createAnnotation({ docId: ids.cafe, label: 'event', ...spanOf(ARTICLES.cafe, 'met envoys') });
      const usage = await h.labelUsage({});
      expect(usage.labels).toEqual({ claim: 0, quote: 2, event: 1, source: 0 });
      expect(usage.attributes).toMatchObject({ 'quote/speaker': 2, 'quote/kind': 1, 'event/date': 0, 'claim/claimant': 0 });
    } finally {
      await ws.close();
    }
  });
});
