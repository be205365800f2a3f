import { existsSync, readFileSync, statSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/services/dispatch';
import type { Workspace } from '../../electron/services/workspace';
import type { Annotation, LayerFile, Relation } from '../../shared/model';
import { layerOnDisk as layerInFolder, layerPath, openWorkspace, spanOf, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const TEXT = 'Talks in Doha\nBlinken said the talks were productive, an official told Reuters. Hamas denied it.\n';
const OTHER = 'Another article\nThe minister said nothing at all.\n';

async function setUp() {
  const ws = await openWorkspace(temps);
  const h = ws.handlers;
  const { imported } = await h.importFiles({
    files: [TEXT, OTHER].map((t, i) => ({ name: `${i}.txt`, data: Buffer.from(t).toString('base64') })),
  });
  const [docId, otherDocId] = imported.map((d) => d.docId) as [string, string];
  await h.setAnnotator({ name: 'ana' });
  const [quote, claim, source, source2] = await h.createAnnotations({
    docId,
    spans: [
      { label: 'quote', ...spanOf(TEXT, 'the talks were productive') },
      { label: 'claim', ...spanOf(TEXT, 'Hamas denied it') },
      { label: 'source', ...spanOf(TEXT, 'Blinken') },
      { label: 'source', ...spanOf(TEXT, 'an official') },
    ],
  });
  const otherSource = await h.createAnnotation({ docId: otherDocId, label: 'source', ...spanOf(OTHER, 'The minister') });
  return { ws, h, docId, otherDocId, quote: quote!, claim: claim!, source: source!, source2: source2!, otherSource };
}

async function withSetUp(run: (ctx: Awaited<ReturnType<typeof setUp>>) => Promise<void>): Promise<void> {
  const ctx = await setUp();
  try {
    await run(ctx);
  } finally {
    await ctx.ws.close();
  }
}

const layerOnDisk = (ws: Workspace, annotator: string, docId: string): LayerFile => layerInFolder(ws.projectDir, annotator, docId);
const byId = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => a.id.localeCompare(b.id));

describe('creating links', () => {
  it('links a quote or claim to a source, stored in the annotator\'s layer', () =>
    withSetUp(async ({ ws, h, docId, quote, claim, source }) => {
      const r1 = await h.createRelation({ docId, type: 'attributed-to', from: quote.id, to: source.id });
      const r2 = await h.createRelation({ docId, type: 'attributed-to', from: claim.id, to: source.id });
      expect(r1).toMatchObject({ type: 'attributed-to', from: quote.id, to: source.id, annotator: 'ana' });
      expect(byId(await h.listRelations({ docId }))).toEqual(byId([r1, r2]));
      expect(byId(layerOnDisk(ws, 'ana', docId).relations)).toEqual(byId([r1, r2]));
    }));

  it('refuses what the schema does not allow, self-links, duplicates, unknown types and ends', () =>
    withSetUp(async ({ ws, h, docId, quote, claim, source, source2, otherSource }) => {
      await h.createRelation({ docId, type: 'attributed-to', from: quote.id, to: source.id });
      const file = layerPath(ws.projectDir, 'ana', docId);
      const before = { bytes: readFileSync(file, 'utf8'), mtimeMs: statSync(file).mtimeMs };
      const refuse = async (args: { type?: string; from: string; to: string }, code: string, pattern: RegExp) => {
        const env = await dispatch(h, 'createRelation', { docId, type: 'attributed-to', ...args });
        expect(env.ok, JSON.stringify(args)).toBe(false);
        if (!env.ok) {
          expect(env.error.code, env.error.message).toBe(code);
          expect(env.error.message).toMatch(pattern);
        }
      };
      await refuse({ from: source.id, to: source2.id }, 'bad-input', /^from: a source cannot start an attributed-to link \(only claim, quote\)/);
      await refuse({ from: quote.id, to: claim.id }, 'bad-input', /^to: a claim cannot end an attributed-to link \(only source\)/);
      await refuse({ from: quote.id, to: quote.id }, 'bad-input', /^to: .*itself/);
      await refuse({ from: quote.id, to: source.id }, 'conflict', /already exists/);
      await refuse({ type: 'quotes', from: quote.id, to: source.id }, 'bad-input', /^type: "quotes"/);
      await refuse({ from: 'nope', to: source.id }, 'not-found', /^from: there is no annotation nope/);
      // An annotation of another document is not in this one.
      await refuse({ from: quote.id, to: otherSource.id }, 'not-found', /^to: there is no annotation/);
      expect({ bytes: readFileSync(file, 'utf8'), mtimeMs: statSync(file).mtimeMs }).toEqual(before);
    }));

  it('starts only at your own annotation but may end at a colleague\'s; deletes only your own', () =>
    withSetUp(async ({ ws, h, docId, quote, source }) => {
      await h.setAnnotator({ name: 'ben' });
      const env = await dispatch(h, 'createRelation', { docId, type: 'attributed-to', from: quote.id, to: source.id });
      expect(!env.ok && env.error.message).toMatch(/^from: that annotation is ana's/);
      const benQuote = await h.createAnnotation({ docId, label: 'quote', ...spanOf(TEXT, 'Talks in Doha') });
      const link = await h.createRelation({ docId, type: 'attributed-to', from: benQuote.id, to: source.id });
      expect(layerOnDisk(ws, 'ben', docId).relations).toEqual([link]);
      await h.setAnnotator({ name: 'ana' });
      const del = await dispatch(h, 'deleteRelation', { docId, relationId: link.id });
      expect(!del.ok && del.error.message).toMatch(/ben's layer/);
      const missing = await dispatch(h, 'deleteRelation', { docId, relationId: 'nope' });
      expect(!missing.ok && missing.error.code).toBe('not-found');
      await h.setAnnotator({ name: 'ben' });
      expect(await h.deleteRelation({ docId, relationId: link.id })).toEqual({ deleted: link });
      expect(await h.listRelations({ docId })).toEqual([]);
    }));
});

describe('no dangling links', () => {
  it('deleting either end deletes the link; restoring brings both back exactly', () =>
    withSetUp(async ({ ws, h, docId, quote, claim, source, source2 }) => {
      const r1 = await h.createRelation({ docId, type: 'attributed-to', from: quote.id, to: source.id });
      const r2 = await h.createRelation({ docId, type: 'attributed-to', from: claim.id, to: source.id });
      const r3 = await h.createRelation({ docId, type: 'attributed-to', from: quote.id, to: source2.id });
      const before = { annotations: await h.listAnnotations({ docId }), relations: byId(await h.listRelations({ docId })) };

      // The target end: both links to it go.
      const gone = await h.deleteAnnotations({ docId, annotationIds: [source.id] });
      expect(gone.deleted).toEqual([source]);
      expect(byId(gone.relations)).toEqual(byId([r1, r2]));
      expect(await h.listRelations({ docId })).toEqual([r3]);
      expect(layerOnDisk(ws, 'ana', docId).relations).toEqual([r3]);

      // The source end: its link goes.
      const gone2 = await h.deleteAnnotations({ docId, annotationIds: [quote.id] });
      expect(gone2.relations).toEqual([r3]);
      expect(layerOnDisk(ws, 'ana', docId).relations).toEqual([]);

      // Undo in reverse order.
      await h.restoreAnnotations({ annotations: gone2.deleted, relations: gone2.relations });
      await h.restoreAnnotations({ annotations: gone.deleted, relations: gone.relations });
      expect(await h.listAnnotations({ docId })).toEqual(before.annotations);
      expect(byId(await h.listRelations({ docId }))).toEqual(before.relations);
      expect(byId(layerOnDisk(ws, 'ana', docId).relations)).toEqual(before.relations);
    }));

  it('refuses to restore a link whose end is not there, writing nothing', () =>
    withSetUp(async ({ h, docId, quote, source }) => {
      const link = await h.createRelation({ docId, type: 'attributed-to', from: quote.id, to: source.id });
      const gone = await h.deleteAnnotations({ docId, annotationIds: [source.id] });
      // The link alone, without its target, would dangle.
      const env = await dispatch(h, 'restoreAnnotations', { annotations: [], relations: [link] });
      expect(!env.ok && env.error.message).toMatch(/^relations\.0\.to: there is no annotation/);
      expect(await h.listRelations({ docId })).toEqual([]);
      await h.restoreAnnotations({ annotations: gone.deleted, relations: gone.relations });
      expect(await h.listRelations({ docId })).toEqual([link]);
    }));

  it('a relabel removes the links the new label no longer allows, and its undo puts them back', () =>
    withSetUp(async ({ h, docId, quote, claim, source }) => {
      const r1 = await h.createRelation({ docId, type: 'attributed-to', from: quote.id, to: source.id });
      const r2 = await h.createRelation({ docId, type: 'attributed-to', from: claim.id, to: source.id });
      // quote -> claim still may start a link: nothing removed.
      const kept = await h.updateAnnotation({ docId, annotationId: quote.id, changes: { label: 'claim' } });
      expect(kept.removedRelations).toEqual([]);
      await h.restoreAnnotations({ annotations: [kept.before], relations: [] });
      // source -> event: neither link to it holds.
      const relabel = await h.updateAnnotation({ docId, annotationId: source.id, changes: { label: 'event' } });
      expect(byId(relabel.removedRelations)).toEqual(byId([r1, r2]));
      expect(await h.listRelations({ docId })).toEqual([]);
      await h.restoreAnnotations({ annotations: [relabel.before], relations: relabel.removedRelations });
      expect(byId(await h.listRelations({ docId }))).toEqual(byId([r1, r2]));
      expect((await h.listAnnotations({ docId })).find((a) => a.id === source.id)).toEqual(source);
    }));

  it("a colleague's link to a span you delete is left in their file but not shown, and comes back with your undo", () =>
    withSetUp(async ({ ws, h, docId, source }) => {
      await h.setAnnotator({ name: 'ben' });
      const benQuote = await h.createAnnotation({ docId, label: 'quote', ...spanOf(TEXT, 'Talks in Doha') });
      const link = await h.createRelation({ docId, type: 'attributed-to', from: benQuote.id, to: source.id });
      const benFile = layerPath(ws.projectDir, 'ben', docId);
      const benBefore = readFileSync(benFile, 'utf8');
      await h.setAnnotator({ name: 'ana' });
      const gone = await h.deleteAnnotations({ docId, annotationIds: [source.id] });
      expect(gone.relations).toEqual([]);
      // Each annotator writes only their own files.
      expect(readFileSync(benFile, 'utf8')).toBe(benBefore);
      expect(await h.listRelations({ docId })).toEqual([]);
      await h.restoreAnnotations({ annotations: gone.deleted, relations: gone.relations });
      expect(await h.listRelations({ docId })).toEqual([link]);
    }));
});

/** Operations a user can make on one document, and the undo each one gets. */
type Op =
  | { kind: 'create'; label: number; at: number; length: number }
  | { kind: 'delete'; pick: number[] }
  | { kind: 'relabel'; pick: number; label: number }
  | { kind: 'move'; pick: number; by: number }
  | { kind: 'link'; from: number; to: number; fitting: boolean }
  | { kind: 'unlink'; pick: number }
  | { kind: 'undo' };

const LABELS = ['claim', 'quote', 'event', 'source'];
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('create' as const), label: fc.nat(3), at: fc.nat(TEXT.length - 2), length: fc.integer({ min: 1, max: 20 }) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.array(fc.nat(50), { minLength: 1, maxLength: 3 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('relabel' as const), pick: fc.nat(50), label: fc.nat(3) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('move' as const), pick: fc.nat(50), by: fc.integer({ min: -5, max: 5 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('link' as const), from: fc.nat(50), to: fc.nat(50), fitting: fc.boolean() }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('unlink' as const), pick: fc.nat(50) }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'undo' as const }), weight: 3 },
);

interface State {
  annotations: Annotation[];
  relations: Relation[];
}

describe('property: any sequence of changes and undos', () => {
  it('never leaves a link without both ends, in the API or on disk, and every undo restores the state before its change', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 4, maxLength: 24 }), async (ops) => {
        const ws = await openWorkspace(temps);
        try {
          const h = ws.handlers;
          await h.setAnnotator({ name: 'ana' });
          const docId = (await h.importFiles({ files: [{ name: 't.txt', data: Buffer.from(TEXT).toString('base64') }] })).imported[0]!.docId;
          // A few spans to start from, so that links have ends to join from the first operation.
          await h.createAnnotations({
            docId,
            spans: [
              { label: 'quote', ...spanOf(TEXT, 'the talks were productive') },
              { label: 'claim', ...spanOf(TEXT, 'Hamas denied it') },
              { label: 'source', ...spanOf(TEXT, 'Blinken') },
              { label: 'source', ...spanOf(TEXT, 'an official') },
              { label: 'event', ...spanOf(TEXT, 'Talks in Doha') },
            ],
          });
          const state = async (): Promise<State> => ({ annotations: await h.listAnnotations({ docId }), relations: byId(await h.listRelations({ docId })) });
          const initial = await state();
          /** Each entry: the state before a change, and how to undo it. */
          const undos: { before: State; undo: () => Promise<unknown> }[] = [];
          const pick = <T>(items: T[], n: number): T | undefined => (items.length ? items[n % items.length] : undefined);

          for (const op of ops) {
            const before = await state();
            const { annotations, relations } = before;
            // Refusals (a link the schema forbids, a whitespace span) are part of the game: they must change nothing.
            const attempt = async (run: () => Promise<() => Promise<unknown>>) => {
              try {
                undos.push({ before, undo: await run() });
              } catch {
                expect(await state()).toEqual(before);
              }
            };
            if (op.kind === 'create') {
              await attempt(async () => {
                const a = await h.createAnnotation({ docId, label: LABELS[op.label]!, start: op.at, end: Math.min(TEXT.length, op.at + op.length) });
                return () => h.deleteAnnotations({ docId, annotationIds: [a.id] });
              });
            } else if (op.kind === 'delete') {
              const ids = [...new Set(op.pick.map((n) => pick(annotations, n)?.id).filter((id): id is string => !!id))];
              if (ids.length) {
                await attempt(async () => {
                  const gone = await h.deleteAnnotations({ docId, annotationIds: ids });
                  return () => h.restoreAnnotations({ annotations: gone.deleted, relations: gone.relations });
                });
              }
            } else if (op.kind === 'relabel' || op.kind === 'move') {
              const a = pick(annotations, op.pick);
              if (a) {
                const changes = op.kind === 'relabel' ? { label: LABELS[op.label]! } : { start: Math.max(0, a.start + op.by) };
                await attempt(async () => {
                  const r = await h.updateAnnotation({ docId, annotationId: a.id, changes });
                  return () => h.restoreAnnotations({ annotations: [r.before], relations: r.removedRelations });
                });
              }
            } else if (op.kind === 'link') {
              // Mostly ends the schema allows (else nearly every link would be refused); sometimes any two.
              const starts = op.fitting ? annotations.filter((a) => a.label === 'claim' || a.label === 'quote') : annotations;
              const from = pick(starts, op.from);
              const to = pick(op.fitting ? annotations.filter((a) => a.label === 'source') : annotations, op.to);
              if (from && to) {
                await attempt(async () => {
                  const r = await h.createRelation({ docId, type: 'attributed-to', from: from.id, to: to.id });
                  return () => h.deleteRelation({ docId, relationId: r.id });
                });
              }
            } else if (op.kind === 'unlink') {
              const r = pick(relations, op.pick);
              if (r) {
                await attempt(async () => {
                  const { deleted } = await h.deleteRelation({ docId, relationId: r.id });
                  return () => h.restoreAnnotations({ annotations: [], relations: [deleted] });
                });
              }
            } else {
              const last = undos.pop();
              if (last) {
                await last.undo();
                expect(await state()).toEqual(last.before);
              }
            }

            // The invariant, on disk (what a colleague or the export reads) and through the API.
            const layer = existsSync(layerPath(ws.projectDir, 'ana', docId)) ? layerOnDisk(ws, 'ana', docId) : { annotations: [], relations: [] };
            const ids = new Map(layer.annotations.map((a) => [a.id, a]));
            for (const r of layer.relations) {
              expect(ids.has(r.from), `link ${r.id} from a missing annotation`).toBe(true);
              expect(ids.has(r.to), `link ${r.id} to a missing annotation`).toBe(true);
              expect(['claim', 'quote']).toContain(ids.get(r.from)!.label);
              expect(ids.get(r.to)!.label).toBe('source');
            }
            expect(byId(layer.relations)).toEqual((await state()).relations);
          }
          // Undo everything: back to where it started.
          for (const { before, undo } of undos.reverse()) {
            await undo();
            expect(await state()).toEqual(before);
          }
          expect(await state()).toEqual(initial);
        } finally {
          await ws.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
