import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../electron/services/workspace';
import { layerOnDisk, layerPath, openWorkspace, runMargin, spanOf, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const TEXT = 'Talks in Doha\nBlinken said the talks were productive, an official told Reuters. Hamas denied it on Monday.\n';

/** Two layers: ana and bo, with one item of each status. */
async function setUp() {
  const ws = await openWorkspace(temps);
  const h = ws.handlers;
  const { imported } = await h.importFiles({ files: [{ name: 'doha.txt', data: Buffer.from(TEXT).toString('base64') }] });
  const docId = imported[0]!.docId;
  await h.setAnnotator({ name: 'ana' });
  const [aSource, aQuote, aClaim, aEvent] = await h.createAnnotations({
    docId,
    spans: [
      { label: 'source', ...spanOf(TEXT, 'Blinken') },
      { label: 'quote', ...spanOf(TEXT, 'the talks were productive') },
      { label: 'claim', ...spanOf(TEXT, 'Hamas denied it') },
      { label: 'event', ...spanOf(TEXT, 'Monday') },
    ],
  });
  await h.updateAnnotation({ docId, annotationId: aQuote!.id, changes: { attributes: { speaker: 'Blinken' } } });
  const aLink = await h.createRelation({ docId, type: 'attributed-to', from: aQuote!.id, to: aSource!.id });
  await h.setAnnotator({ name: 'bo' });
  const [bSource, bQuote, bClaim] = await h.createAnnotations({
    docId,
    spans: [
      { label: 'source', ...spanOf(TEXT, 'Blinken') },
      { label: 'quote', ...spanOf(TEXT, 'the talks were productive') },
      { label: 'claim', ...spanOf(TEXT, 'Hamas denied it on Monday') },
    ],
  });
  await h.updateAnnotation({ docId, annotationId: bQuote!.id, changes: { attributes: { speaker: 'an official' } } });
  // A label conflict: ana says claim, bo says quote on "an official told Reuters".
  await h.setAnnotator({ name: 'ana' });
  const [aOfficial] = await h.createAnnotations({ docId, spans: [{ label: 'claim', ...spanOf(TEXT, 'an official told Reuters') }] });
  await h.setAnnotator({ name: 'bo' });
  const [bOfficial] = await h.createAnnotations({ docId, spans: [{ label: 'quote', ...spanOf(TEXT, 'an official told Reuters') }] });
  return { ws, h, docId, aSource: aSource!, aQuote: aQuote!, aClaim: aClaim!, aEvent: aEvent!, aLink, bSource: bSource!, bQuote: bQuote!, bClaim: bClaim!, aOfficial: aOfficial!, bOfficial: bOfficial! };
}
type Ctx = Awaited<ReturnType<typeof setUp>>;
async function withSetUp(run: (ctx: Ctx) => Promise<void>) {
  const ctx = await setUp();
  try {
    await run(ctx);
  } finally {
    await ctx.ws.close();
  }
}
const onDisk = (ws: Workspace, annotator: string, docId: string) => layerOnDisk(ws.projectDir, annotator, docId);
const annotators = ['ana', 'bo'];

describe('compareLayers on a project', () => {
  it('shows each status and attribute differences', () =>
    withSetUp(async ({ h, docId }) => {
      const c = await h.compareLayers({ docId, annotators, gold: 'gold' });
      expect(c.items.map((i) => [i.status, TEXT.slice(i.start, i.end), i.attributeDifferences])).toEqual([
        ['agreed', 'Blinken', []],
        ['agreed', 'the talks were productive', ['speaker']],
        ['label-conflict', 'an official told Reuters', []],
        ['boundary-conflict', 'Hamas denied it on Monday', []],
        ['only-one', 'Monday', []],
      ]);
      expect(c.unplaced).toEqual([]);
    }));

  it('leaves a corrupt layer file out, names it, and never writes it', () =>
    withSetUp(async ({ ws: first, docId }) => {
      // Corrupted while the project is closed (a bad sync), then opened again.
      const file = layerPath(first.projectDir, 'bo', docId);
      await first.close();
      writeFileSync(file, '{ not json');
      const ws = await openWorkspace(temps, first.projectDir);
      const h = ws.handlers;
      const c = await h.compareLayers({ docId, annotators, gold: 'gold' });
      expect(c.items.every((i) => Object.keys(i.byAnnotator).join() === 'ana')).toBe(true);
      expect(c.unplaced).toEqual([expect.objectContaining({ annotator: 'bo', label: '' })]);
      expect(c.unplaced[0]!.reason).toContain(file);
      expect(c.items.some((i) => i.status === 'agreed')).toBe(false);
      const r = await h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'accept-agreed' } });
      expect(r.after).toEqual([]);
      expect(readFileSync(file, 'utf8')).toBe('{ not json');
      await ws.close();
    }));
});

describe('adjudication', () => {
  it('accepts one side with its links, accepts everything agreed, rejects, and undoes exactly', () =>
    withSetUp(async ({ ws, h, docId, aQuote, aSource, bOfficial }) => {
      const r1 = await h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'accept', annotationIds: [aQuote.id, aSource.id] } });
      expect(r1.before).toEqual([]);
      expect(r1.after.map((a) => [a.label, a.quote.exact, a.annotator])).toEqual([
        ['source', 'Blinken', 'gold'],
        ['quote', 'the talks were productive', 'gold'],
      ]);
      expect(r1.after.find((a) => a.label === 'quote')!.attributes).toEqual({ speaker: 'Blinken' });
      expect(r1.after.every((a) => a.id !== aQuote.id && a.id !== aSource.id)).toBe(true);
      expect(r1.afterRelations).toEqual([
        expect.objectContaining({ type: 'attributed-to', from: r1.after[1]!.id, to: r1.after[0]!.id, annotator: 'gold' }),
      ]);

      const goldBeforeReject = onDisk(ws, 'gold', docId);
      const r2 = await h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'accept', annotationIds: [bOfficial.id] } });
      expect(r2.after).toHaveLength(3);
      let c = await h.compareLayers({ docId, annotators, gold: 'gold' });
      expect(c.items.filter((i) => i.resolved).map((i) => TEXT.slice(i.start, i.end))).toEqual(['Blinken', 'the talks were productive', 'an official told Reuters']);

      const boundary = c.items.find((i) => i.status === 'boundary-conflict')!;
      const rejection = await h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'reject', itemId: boundary.id } });
      c = await h.compareLayers({ docId, annotators, gold: 'gold' });
      expect(c.items.find((i) => i.id === boundary.id)!.resolved).toBe(true);
      expect(onDisk(ws, 'gold', docId).rejected).toEqual([boundary.id]);
      expect([rejection.beforeRejected, rejection.afterRejected]).toEqual([[], [boundary.id]]);

      // Undoing the reject un-rejects the item; redoing it rejects it again.
      const restore = (r: typeof rejection, side: 'before' | 'after') =>
        h.restoreLayer({
          docId,
          annotator: 'gold',
          annotations: side === 'before' ? r.before : r.after,
          relations: side === 'before' ? r.beforeRelations : r.afterRelations,
          rejected: side === 'before' ? r.beforeRejected : r.afterRejected,
        });
      await restore(rejection, 'before');
      c = await h.compareLayers({ docId, annotators, gold: 'gold' });
      expect(c.items.find((i) => i.id === boundary.id)!.resolved).toBe(false);
      await restore(rejection, 'after');
      c = await h.compareLayers({ docId, annotators, gold: 'gold' });
      expect(c.items.find((i) => i.id === boundary.id)!.resolved).toBe(true);

      // Undo of r2: the gold layer's annotations and links are exactly as before it.
      const undone = await h.restoreLayer({ docId, annotator: 'gold', annotations: r2.before, relations: r2.beforeRelations });
      expect(undone.annotations).toEqual(goldBeforeReject.annotations);
      const after = onDisk(ws, 'gold', docId);
      expect(after.annotations).toEqual(goldBeforeReject.annotations);
      expect(after.relations).toEqual(goldBeforeReject.relations);
    }));

  it('accept-agreed takes every unresolved agreed item, with only the attributes all agree on', () =>
    withSetUp(async ({ h, docId }) => {
      const r = await h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'accept-agreed' } });
      expect(r.after.map((a) => [a.label, a.quote.exact, a.attributes])).toEqual([
        ['source', 'Blinken', {}],
        ['quote', 'the talks were productive', {}],
      ]);
      // Only ana linked the quote to its source: a link for the adjudicator to decide, not agreed.
      expect(r.afterRelations).toEqual([]);
      const again = await h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'accept-agreed' } });
      expect(again.after).toEqual(r.after);
    }));

  it('margin export --annotator gold holds exactly the adjudicated spans', () =>
    withSetUp(async ({ ws, h, docId, bClaim, aEvent }) => {
      await h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'accept-agreed' } });
      await h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'accept', annotationIds: [bClaim.id, aEvent.id] } });
      const gold = onDisk(ws, 'gold', docId).annotations;
      const dir = ws.projectDir;
      await ws.close();
      const out = await runMargin(['export', '--project', dir, '--annotator', 'gold', '--format', 'jsonl'], temps.make('margin-cli-ud-'));
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      const lines = out.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; annotations: { start: number; end: number; label: string; annotator: string }[] });
      const spans = lines.flatMap((l) => l.annotations.map((a) => [a.annotator, a.label, a.start, a.end]));
      expect(spans.sort()).toEqual(gold.map((a) => ['gold', a.label, a.start, a.end]).sort());
      expect(spans).toHaveLength(4);
    }));
});

describe('reviews', () => {
  it('a reviewer\'s verdicts are stored in their own layer and seen by the annotator', () =>
    withSetUp(async ({ ws, h, docId, aClaim }) => {
      // Current annotator is bo: bo reviews ana's claim.
      const set = await h.setReview({ docId, annotationId: aClaim.id, verdict: 'needs-change', comment: 'extend to "on Monday"' });
      expect(set.reviews).toEqual([expect.objectContaining({ annotationId: aClaim.id, annotator: 'ana', reviewer: 'bo', verdict: 'needs-change' })]);
      expect(onDisk(ws, 'bo', docId).reviews).toHaveLength(1);
      expect(onDisk(ws, 'ana', docId).reviews).toBeUndefined();
      await h.setAnnotator({ name: 'ana' });
      expect(await h.listReviews({ docId })).toEqual(set.reviews);
      await expect(h.setReview({ docId, annotationId: aClaim.id, verdict: 'approved', comment: '' })).rejects.toThrow(/your own/);
      await h.setAnnotator({ name: 'bo' });
      const removed = await h.setReview({ docId, annotationId: aClaim.id, verdict: null, comment: '' });
      expect(removed.reviews).toEqual([]);
      expect(await h.listReviews({ docId })).toEqual([]);
    }));
});

describe('an edited version in gold', () => {
  it('changes an accepted gold annotation’s label and boundaries, and restoreLayer undoes it exactly', () =>
    withSetUp(async ({ ws, h, docId, aQuote }) => {
      const accepted = await h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'accept', annotationIds: [aQuote.id] } });
      const goldQuote = accepted.after.find((a) => a.label === 'quote')!;
      const before = onDisk(ws, 'gold', docId);
      const start = TEXT.indexOf('talks were productive');
      const edited = await h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'edit', goldId: goldQuote.id, label: 'claim', start } });
      const now = edited.after.find((a) => a.id === goldQuote.id)!;
      expect([now.label, now.quote.exact]).toEqual(['claim', 'talks were productive']);
      expect(onDisk(ws, 'gold', docId).annotations.find((a) => a.id === goldQuote.id)!.label).toBe('claim');
      await expect(h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'edit', goldId: goldQuote.id, label: 'nonsense' } })).rejects.toThrow(/label/);
      await h.restoreLayer({ docId, annotator: 'gold', annotations: edited.before, relations: edited.beforeRelations, rejected: edited.beforeRejected });
      expect(onDisk(ws, 'gold', docId).annotations).toEqual(before.annotations);
    }));
});

describe('restoreLayer writes only the caller’s own layer or gold', () => {
  it('refuses Ben putting back Ana’s layer (she keeps her 4 annotations), and still undoes gold', () =>
    withSetUp(async ({ ws, h, docId, aQuote, aOfficial }) => {
      // Ana's layer with exactly 4 annotations.
      await h.setAnnotator({ name: 'ana' });
      await h.deleteAnnotations({ docId, annotationIds: [aOfficial.id] });
      const ana = onDisk(ws, 'ana', docId);
      expect(ana.annotations).toHaveLength(4);
      const bytes = readFileSync(layerPath(ws.projectDir, 'ana', docId), 'utf8');

      await h.setAnnotator({ name: 'ben' });
      await expect(h.restoreLayer({ docId, annotator: 'ana', annotations: [], relations: [] })).rejects.toThrow(
        /ana's layer.*only your own layer \(ben\) or an adjudication layer \(gold\)/,
      );
      expect(readFileSync(layerPath(ws.projectDir, 'ana', docId), 'utf8')).toBe(bytes);
      expect((await h.listAnnotations({ docId })).filter((a) => a.annotator === 'ana')).toHaveLength(4);

      // Ben adjudicates, then undoes it: gold is written by whoever adjudicates.
      const accepted = await h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'accept', annotationIds: [aQuote.id] } });
      expect(onDisk(ws, 'gold', docId).annotations).toHaveLength(1);
      await h.restoreLayer({ docId, annotator: 'gold', annotations: accepted.before, relations: accepted.beforeRelations, rejected: accepted.beforeRejected });
      expect(onDisk(ws, 'gold', docId).annotations).toEqual([]);
      expect(onDisk(ws, 'ana', docId).annotations).toHaveLength(4);

      // Nor can adjudication be pointed at a colleague's layer.
      await expect(h.adjudicate({ docId, gold: 'cleo', annotators, action: { kind: 'accept', annotationIds: [aQuote.id] } })).rejects.toThrow(
        /would be an annotator's own layer/,
      );
    }));
});
