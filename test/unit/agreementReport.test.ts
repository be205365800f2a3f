import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AgreementReport } from '../../shared/api';
import type { LayerFile } from '../../shared/model';
import { Workspace } from '../../electron/services/workspace';
import { layerPath, spanOf, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const DOC1 = 'Budget row\n\nThe minister said prices will fall next year. Critics disagreed with the minister at once.';
const DOC2 = 'Port strike\n\nDock workers walked out on Monday. "We want fair pay," a union leader said.';

async function tag(ws: Workspace, annotator: string, docId: string, text: string, spans: [string, string][]) {
  await ws.handlers.setAnnotator({ name: annotator });
  await ws.handlers.createAnnotations({ docId, spans: spans.map(([label, needle]) => ({ label, ...spanOf(text, needle) })) });
}

/**
 * alice and bob on both documents, carol on the first (and a broken layer on the second);
 * bob's claim on the first has stale offsets (re-anchored) and one span whose quote is gone.
 */
async function buildProject(): Promise<{ dir: string; doc1: string; doc2: string }> {
  const dir = path.join(temps.make(), 'project');
  const userData = temps.userData();
  const ws = await Workspace.open({ userData, projectDir: dir, mode: 'browser' });
  const doc1 = (await ws.handlers.importText({ text: DOC1 })).imported[0]!.docId;
  const doc2 = (await ws.handlers.importText({ text: DOC2 })).imported[0]!.docId;
  await tag(ws, 'alice', doc1, DOC1, [['claim', 'prices will fall'], ['event', 'Critics disagreed']]);
  await tag(ws, 'bob', doc1, DOC1, [['claim', 'prices will fall'], ['event', 'Critics disagreed with the minister'], ['event', 'at once']]);
  await tag(ws, 'carol', doc1, DOC1, [['claim', 'prices will fall'], ['event', 'Critics disagreed']]);
  await tag(ws, 'alice', doc2, DOC2, [['quote', 'We want fair pay']]);
  await tag(ws, 'bob', doc2, DOC2, [['quote', 'We want fair pay']]);
  await ws.close();

  // bob's layer as it might come from a colleague's copy made against another version of the text.
  const bobFile = layerPath(dir, 'bob', doc1);
  const layer = JSON.parse(readFileSync(bobFile, 'utf8')) as LayerFile;
  const claim = layer.annotations.find((a) => a.label === 'claim')!;
  claim.start += 3;
  claim.end += 3;
  const gone = layer.annotations.find((a) => a.quote.exact === 'at once')!;
  gone.quote = { exact: 'the finance ministry will be dissolved by parliament', prefix: 'zzzz', suffix: 'qqqq' };
  writeFileSync(bobFile, JSON.stringify(layer, null, 2));
  writeFileSync(layerPath(dir, 'carol', doc2), '{ "version": 1, "annotations": [ broken');
  return { dir, doc1, doc2 };
}

async function report(dir: string, args: Parameters<Workspace['handlers']['agreement']>[0] = {}) {
  const ws = await Workspace.open({ userData: temps.userData(), projectDir: dir, mode: 'browser' });
  try {
    const result = await ws.handlers.agreement(args);
    return AgreementReport.parse(result);
  } finally {
    await ws.close();
  }
}

const find = (pairs: AgreementReport['pairs'], a: string, b: string, label: string | null) => pairs.find((p) => p.a === a && p.b === b && p.label === label)!;

describe('agreement report', () => {
  it('measures every pair over the project and per document, overall and per label', async () => {
    const { dir, doc1, doc2 } = await buildProject();
    const brokenBefore = readFileSync(layerPath(dir, 'carol', doc2), 'utf8');
    const r = await report(dir);

    expect(r.annotators).toEqual(['alice', 'bob', 'carol']);
    // The schema's labels, in its order (the default schema has four).
    expect(r.labels.slice(0, 3)).toEqual(['claim', 'quote', 'event']);
    // Three pairs, each overall plus every label.
    expect(r.pairs).toHaveLength(3 * (1 + r.labels.length));

    // alice–bob pooled: doc1 has 1 exact match of 2+2 (bob's stale claim re-anchored, the lost span left out), doc2 1 of 1+1.
    const ab = find(r.pairs, 'alice', 'bob', null);
    expect(ab.exactF1.value).toBeCloseTo((2 * 2) / 6, 10);
    expect(ab.overlapF1.value).toBe(1);
    expect(ab.cohenKappa.value).toBeGreaterThan(0.5);
    expect(ab.cohenKappa.value).toBeLessThan(1);
    expect(ab.alphaNominal.value).toBeGreaterThan(0.5);
    expect(ab.alphaUnitizing.value).toBeGreaterThan(0.5);
    expect(ab.alphaUnitizing.value).toBeLessThan(1);

    const abClaim = find(r.pairs, 'alice', 'bob', 'claim');
    for (const m of ['exactF1', 'overlapF1', 'cohenKappa', 'alphaNominal', 'alphaUnitizing'] as const) expect(abClaim[m].value).toBeCloseTo(1, 10);
    const abQuote = find(r.pairs, 'alice', 'bob', 'quote');
    expect(abQuote.exactF1.value).toBe(1);

    // alice and carol agree perfectly on doc1, the only document both have a readable layer for.
    const ac = find(r.pairs, 'alice', 'carol', null);
    expect(ac.exactF1.value).toBe(1);
    expect(ac.cohenKappa.value).toBeCloseTo(1, 10);
    const acQuote = find(r.pairs, 'alice', 'carol', 'quote');
    expect(acQuote.exactF1).toEqual({ value: null, reason: 'neither annotator tagged anything as quote' });
    expect(acQuote.cohenKappa.value).toBeNull();

    // Per document.
    const d1 = r.documents.find((d) => d.docId === doc1)!;
    const d2 = r.documents.find((d) => d.docId === doc2)!;
    expect(d1.title).toBe('Budget row');
    expect(find(d1.pairs, 'alice', 'bob', null).exactF1.value).toBeCloseTo(0.5, 10);
    expect(find(d2.pairs, 'alice', 'bob', null).exactF1.value).toBe(1);
    expect(find(d2.pairs, 'alice', 'carol', null).exactF1).toMatchObject({ value: null, reason: expect.stringContaining('carol') });
    expect(d1.fleissKappa?.value).toBeGreaterThan(0);
    expect(d2.fleissKappa).toMatchObject({ value: null, reason: expect.any(String) });
    expect(r.fleissKappa?.value).toBeCloseTo(d1.fleissKappa!.value!, 10);

    // Problems: the broken layer named (and left as it was), the span that could not be placed.
    expect(r.problems.some((p) => p.includes(layerPath(dir, 'carol', doc2)))).toBe(true);
    expect(r.problems).toContain('bob: “the finance ministry will be dissolved by parliament” could not be placed in Budget row; left out');
    expect(readFileSync(layerPath(dir, 'carol', doc2), 'utf8')).toBe(brokenBefore);

    // Nothing NaN anywhere: every null has a reason.
    const json = JSON.stringify(r);
    expect(json).not.toContain('NaN');
    for (const p of [...r.pairs, ...r.documents.flatMap((d) => d.pairs)]) {
      for (const m of [p.exactF1, p.overlapF1, p.cohenKappa, p.alphaNominal, p.alphaUnitizing]) {
        if (m.value === null) expect(m.reason).toBeTruthy();
        else expect(Number.isFinite(m.value)).toBe(true);
      }
    }
  });

  it('takes the annotators, labels and documents asked for', async () => {
    const { dir, doc2 } = await buildProject();
    const r = await report(dir, { annotators: ['alice', 'bob'], labels: ['quote'], docIds: [doc2] });
    expect(r.annotators).toEqual(['alice', 'bob']);
    expect(r.labels).toEqual(['quote']);
    expect(r.pairs.map((p) => p.label)).toEqual([null, 'quote']);
    expect(r.documents.map((d) => d.docId)).toEqual([doc2]);
    expect(r.fleissKappa).toBeNull();
    expect(r.problems).toEqual([]);
    expect(find(r.pairs, 'alice', 'bob', null).exactF1.value).toBe(1);
  });

  it('an empty project gives nulls with reasons, not errors', async () => {
    const dir = path.join(temps.make(), 'empty');
    const r = await report(dir);
    expect(r.pairs).toEqual([]);
    expect(r.problems).toContain('Agreement needs at least two annotators.');
  });
});
