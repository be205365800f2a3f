import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyEntries, applyEntry, diffLayer, type JournalEntry } from '../../electron/services/store/layerJournal';
import { quoteAt } from '../../shared/anchoring';
import type { Annotation, LayerFile } from '../../shared/model';
import { Random } from '../crash/random';
import { openWorkspace, SAMPLES_DIR, spanOf, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

// A real wire story: non-breaking spaces and curly quotes as the page had them.
const TEXT = readFileSync(path.join(SAMPLES_DIR, '002_e7f105aa316f8cda.txt'), 'utf8');
const LABELS = ['claim', 'quote', 'event'];

function annotation(rnd: Random, n: number): Annotation {
  const start = rnd.int(0, TEXT.length - 40);
  const end = start + rnd.int(1, 30);
  return { id: `a${n}`, docId: '0123456789abcdef', annotator: 'ana', label: rnd.pick(LABELS), start, end, quote: quoteAt(TEXT, start, end), attributes: {}, createdAt: 'c', updatedAt: `u${n}` };
}

/** What diffLayer gave before it looked only at the changed stretch: every id mapped. */
function fullDiff(base: LayerFile, ours: LayerFile) {
  const old = new Map(base.annotations.map((a) => [a.id, a]));
  const now = new Set(ours.annotations.map((a) => a.id));
  return { put: ours.annotations.filter((a) => old.get(a.id) !== a), del: base.annotations.filter((a) => !now.has(a.id)).map((a) => a.id) };
}

const layerOf = (annotations: Annotation[]): LayerFile => ({ version: 1, docId: '0123456789abcdef', annotator: 'ana', annotations, relations: [] });

describe('a change to a big layer, recorded by what changed', () => {
  it('diffs one add, relabel or delete among 2,000 annotations exactly as mapping every id does', () => {
    const rnd = new Random(7);
    let n = 0;
    let base = layerOf(Array.from({ length: 2000 }, () => annotation(rnd, n++)));
    for (let step = 0; step < 300; step++) {
      const ours = { ...base, annotations: [...base.annotations] };
      const at = rnd.int(0, ours.annotations.length - 1);
      const kind = rnd.int(0, 3);
      if (kind === 0) ours.annotations.splice(at, 0, annotation(rnd, n++));
      else if (kind === 1) ours.annotations[at] = { ...ours.annotations[at]!, label: rnd.pick(LABELS) };
      else if (kind === 2) ours.annotations.splice(at, 1);
      else ours.annotations.sort((a, b) => a.start - b.start || a.id.localeCompare(b.id)); // a re-sort moves records
      const expected = fullDiff(base, ours);
      const entry = diffLayer(base, ours);
      expect({ put: entry?.put ?? [], del: entry?.del ?? [] }).toEqual(expected);
      base = ours;
    }
  });

  it('replays a journal to the same layer as entry after entry, sorting once', () => {
    const rnd = new Random(11);
    let n = 0;
    const base = layerOf(Array.from({ length: 300 }, () => annotation(rnd, n++)));
    const entries: JournalEntry[] = [];
    const ids = base.annotations.map((a) => a.id);
    for (let i = 0; i < 120; i++) {
      const kind = rnd.int(0, 4);
      if (kind === 0) entries.push({ put: [annotation(rnd, n++)] });
      else if (kind === 1) entries.push({ put: [{ ...annotation(rnd, n), id: rnd.pick(ids) }] }); // a record replaced
      else if (kind === 2) entries.push({ del: [rnd.pick(ids)] });
      else if (kind === 3) entries.push({ status: rnd.pick(['done', 'in-progress', null] as const) });
      else entries.push({ putRelations: [{ id: `r${i}`, type: 'attributed-to', from: rnd.pick(ids), to: rnd.pick(ids), annotator: 'ana' }], delRelations: i > 10 ? [`r${i - 10}`] : [] });
    }
    expect(applyEntries(base, entries)).toEqual(entries.reduce(applyEntry, base));
  });
});

describe('the document list after many changes to one layer', () => {
  it('counts every label as a fresh count of the file does, after adds, relabels and deletes', async () => {
    const ws = await openWorkspace(temps);
    const h = ws.handlers;
    await h.setAnnotator({ name: 'Ana' });
    const { docId } = (await h.importText({ text: TEXT, title: 'Wire story' })).imported[0]!;
    const words = [...TEXT.matchAll(/\p{L}{4,}/gu)].slice(0, 40);
    const made = [];
    for (const [i, w] of words.entries()) made.push(...(await h.createAnnotations({ docId, spans: [{ label: LABELS[i % 3]!, ...spanOf(TEXT, w[0], w.index) }] })));
    await h.updateAnnotation({ docId, annotationId: made[0]!.id, changes: { label: 'event' } });
    await h.updateAnnotation({ docId, annotationId: made[4]!.id, changes: { label: 'claim' } });
    await h.deleteAnnotations({ docId, annotationIds: [made[1]!.id, made[2]!.id] });
    const listed = (await h.listDocuments({})).find((d) => d.id === docId)!;
    const layer = (await h.listAnnotations({ docId })).filter((a) => a.annotator === 'Ana');
    const counted: Record<string, number> = {};
    for (const a of layer) counted[a.label] = (counted[a.label] ?? 0) + 1;
    expect(listed.annotationCount).toBe(38);
    expect(listed.labelCounts).toEqual(counted);
    await ws.close();
  });
});
