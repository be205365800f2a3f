import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../electron/services/workspace';
import { layerOnDisk, openWorkspace, SAMPLES_DIR, spanOf, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

/** The CNN sample as it is on disk: curly quotes, an en dash, non-breaking spaces. */
const CNN = readFileSync(path.join(SAMPLES_DIR, '000_0a5fdd5987a87f4f.txt'));
const QUOTE = 'discussed in detail';
const SOURCE = 'A US senior administration official';
const annotators = ['ana', 'bo'];

/**
 * ana and bo tag the same quote and source in the CNN article; only ana links the quote to its
 * source. They agree the quote is partial and differ on who said it.
 */
async function setUp(boLinks = false) {
  const ws = await openWorkspace(temps);
  const h = ws.handlers;
  const docId = (await h.importFiles({ files: [{ name: 'cnn.txt', data: CNN.toString('base64') }] })).imported[0]!.docId;
  const { text } = await h.getDocument({ docId });
  const tag = async (name: string, speaker: string, link: boolean) => {
    await h.setAnnotator({ name });
    const [quote, source] = await h.createAnnotations({ docId, spans: [{ label: 'quote', ...spanOf(text, QUOTE) }, { label: 'source', ...spanOf(text, SOURCE) }] });
    await h.updateAnnotation({ docId, annotationId: quote!.id, changes: { attributes: { kind: 'partial', speaker } } });
    if (link) await h.createRelation({ docId, type: 'attributed-to', from: quote!.id, to: source!.id });
    return { quote: quote!, source: source! };
  };
  const ana = await tag('ana', SOURCE, true);
  const bo = await tag('bo', 'senior official', boLinks);
  await h.setAnnotator({ name: 'reviewer' });
  return { ws, h, docId, ana, bo };
}
type Ctx = Awaited<ReturnType<typeof setUp>>;
async function withSetUp(run: (ctx: Ctx) => Promise<void>, boLinks = false) {
  const ctx = await setUp(boLinks);
  try {
    await run(ctx);
  } finally {
    await ctx.ws.close();
  }
}
const gold = (ws: Workspace, docId: string) => layerOnDisk(ws.projectDir, 'gold', docId);

describe('links in the comparison and in adjudication', () => {
  it('a link only one annotator made is a difference, not copied by Accept all agreed; it is accepted or rejected on its own', () =>
    withSetUp(async ({ ws, h, docId }) => {
      let c = await h.compareLayers({ docId, annotators, gold: 'gold' });
      const quoteItem = c.items.find((i) => i.byAnnotator.ana?.label === 'quote')!;
      const sourceItem = c.items.find((i) => i.byAnnotator.ana?.label === 'source')!;
      expect(c.links).toEqual([
        expect.objectContaining({ type: 'attributed-to', from: quoteItem.id, to: sourceItem.id, status: 'only-one', gold: null, resolved: false }),
      ]);
      const link = c.links[0]!;
      expect(Object.keys(link.byAnnotator)).toEqual(['ana']);

      // Accepting a link before its ends are in gold says what to do first.
      await expect(h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'accept-link', linkId: link.id } })).rejects.toThrow(
        /accept the quote “discussed in detail” and the source “A US senior administration official” into gold first/,
      );

      const agreed = await h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'accept-agreed' } });
      expect(agreed.after.map((a) => a.label)).toEqual(['source', 'quote']);
      expect(agreed.afterRelations).toEqual([]);
      c = await h.compareLayers({ docId, annotators, gold: 'gold' });
      expect(c.links.map((l) => [l.id, l.resolved])).toEqual([[link.id, false]]);

      const accepted = await h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'accept-link', linkId: link.id } });
      const [goldSource, goldQuote] = accepted.after;
      expect(accepted.afterRelations).toEqual([expect.objectContaining({ type: 'attributed-to', from: goldQuote!.id, to: goldSource!.id, annotator: 'gold' })]);
      expect(gold(ws, docId).relations).toHaveLength(1);
      c = await h.compareLayers({ docId, annotators, gold: 'gold' });
      expect(c.links[0]).toMatchObject({ resolved: true, gold: { id: accepted.afterRelations[0]!.id } });

      // Rejected instead: gold keeps no link there, and the decision is recorded.
      const rejected = await h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'reject', itemId: link.id } });
      expect(rejected.afterRelations).toEqual([]);
      expect(rejected.afterRejected).toEqual([link.id]);
      expect(rejected.after).toEqual(accepted.after);
      c = await h.compareLayers({ docId, annotators, gold: 'gold' });
      expect(c.links[0]).toMatchObject({ resolved: true, gold: null });

      // Undo puts the accepted link back exactly.
      await h.restoreLayer({ docId, annotator: 'gold', annotations: rejected.before, relations: rejected.beforeRelations, rejected: rejected.beforeRejected });
      expect(gold(ws, docId).relations).toEqual(accepted.afterRelations);
    }));

  it('a link both annotators made is agreed and comes along with Accept all agreed', () =>
    withSetUp(async ({ h, docId }) => {
      const c = await h.compareLayers({ docId, annotators, gold: 'gold' });
      expect(c.links.map((l) => [l.status, Object.keys(l.byAnnotator).sort()])).toEqual([['agreed', ['ana', 'bo']]]);
      const r = await h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'accept-agreed' } });
      expect(r.afterRelations).toEqual([expect.objectContaining({ type: 'attributed-to', from: r.after[1]!.id, to: r.after[0]!.id })]);
    }, true));

  it('accepting both versions of a span brings no link only one of them made', () =>
    withSetUp(async ({ h, docId, ana, bo }) => {
      const r = await h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'accept', annotationIds: [ana.quote.id, bo.quote.id, ana.source.id, bo.source.id] } });
      expect(r.after.map((a) => a.label)).toEqual(['source', 'quote']);
      expect(r.afterRelations).toEqual([]);
      // Accepting ana's versions alone is taking her link too.
      const own = await h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'accept', annotationIds: [ana.quote.id, ana.source.id] } });
      expect(own.afterRelations).toHaveLength(1);
    }));
});

describe('attribute values in the comparison and in adjudication', () => {
  it('a gold quote keeps the attributes its annotators agree on, and takes the value chosen for the others', () =>
    withSetUp(async ({ h, docId, ana, bo }) => {
      const c = await h.compareLayers({ docId, annotators, gold: 'gold' });
      const quoteItem = c.items.find((i) => i.byAnnotator.ana?.label === 'quote')!;
      expect(quoteItem.attributeDifferences).toEqual(['speaker']);

      // Accepting both versions is keeping what they agree on, not the last one's values.
      const both = await h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'accept', annotationIds: [ana.quote.id, bo.quote.id] } });
      const goldQuote = both.after.find((a) => a.label === 'quote')!;
      expect(goldQuote.attributes).toEqual({ kind: 'partial' });

      // The adjudicator takes ana's speaker.
      const chosen = await h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'edit', goldId: goldQuote.id, attributes: { speaker: SOURCE } } });
      expect(chosen.after.find((a) => a.id === goldQuote.id)!.attributes).toEqual({ kind: 'partial', speaker: SOURCE });
      const again = await h.compareLayers({ docId, annotators, gold: 'gold' });
      expect(again.items.find((i) => i.id === quoteItem.id)!.gold!.attributes).toEqual({ kind: 'partial', speaker: SOURCE });

      // A value the schema does not allow is refused, naming the attribute; null removes a value.
      await expect(h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'edit', goldId: goldQuote.id, attributes: { kind: 'shouted' } } })).rejects.toThrow(/kind/);
      const removed = await h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'edit', goldId: goldQuote.id, attributes: { kind: null } } });
      expect(removed.after.find((a) => a.id === goldQuote.id)!.attributes).toEqual({ speaker: SOURCE });
    }));

  it('Accept all agreed keeps the agreed attributes of the gold quote', () =>
    withSetUp(async ({ h, docId }) => {
      const r = await h.adjudicate({ docId, gold: 'gold', annotators, action: { kind: 'accept-agreed' } });
      expect(r.after.find((a) => a.label === 'quote')!.attributes).toEqual({ kind: 'partial' });
    }));
});
