import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/services/workspace';
import { AgreementReport } from '../../shared/api';
import { runMargin, SAMPLES_DIR, spanOf, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

/** The CNN sample as it is on disk: curly quotes, an en dash, non-breaking spaces. */
const CNN = readFileSync(path.join(SAMPLES_DIR, '000_0a5fdd5987a87f4f.txt'));

/**
 * Three analysts tag the CNN article (ana and bo alike but for the source's extent, cy only the
 * quote); then a reviewer adjudicates a gold layer: the agreed quote, and ana's source.
 */
async function project(): Promise<{ dir: string; before: AgreementReport }> {
  const dir = path.join(temps.make(), 'project');
  const ws = await Workspace.open({ userData: temps.userData(), projectDir: dir, mode: 'browser' });
  try {
    const h = ws.handlers;
    const docId = (await h.importFiles({ files: [{ name: 'cnn.txt', data: CNN.toString('base64') }] })).imported[0]!.docId;
    const { text } = await h.getDocument({ docId });
    const tag = async (name: string, spans: [string, string][]) => {
      await h.setAnnotator({ name });
      return h.createAnnotations({ docId, spans: spans.map(([label, needle]) => ({ label, ...spanOf(text, needle) })) });
    };
    const [, anaSource] = await tag('ana', [['quote', 'discussed in detail'], ['source', 'A US senior administration official']]);
    await tag('bo', [['quote', 'discussed in detail'], ['source', 'senior administration official']]);
    await tag('cy', [['quote', 'discussed in detail']]);
    const before = AgreementReport.parse(await h.agreement({}));
    await h.setAnnotator({ name: 'reviewer' });
    await h.adjudicate({ docId, gold: 'gold', annotators: ['ana', 'bo', 'cy'], action: { kind: 'accept-agreed' } });
    await h.adjudicate({ docId, gold: 'gold', annotators: ['ana', 'bo', 'cy'], action: { kind: 'accept', annotationIds: [anaSource!.id] } });
    return { dir, before };
  } finally {
    await ws.close();
  }
}

async function report(dir: string, args: Parameters<Workspace['handlers']['agreement']>[0] = {}): Promise<AgreementReport> {
  const ws = await Workspace.open({ userData: temps.userData(), projectDir: dir, mode: 'browser' });
  try {
    return AgreementReport.parse(await ws.handlers.agreement(args));
  } finally {
    await ws.close();
  }
}

const overall = (pairs: AgreementReport['pairs'], a: string, b: string) => pairs.find((p) => p.a === a && p.b === b && p.label === null);
const margin = (args: string[]) => runMargin(args, temps.make('margin-cli-ud-'));

describe('agreement and the gold layer', () => {
  it('leaves gold out of the matrix, the per-document table and Fleiss’ kappa by default', async () => {
    const { dir, before } = await project();
    const r = await report(dir);
    expect(r.annotators).toEqual(['ana', 'bo', 'cy']);
    expect(r.adjudicationLayers).toEqual(['gold']);
    expect(r.against).toBeNull();
    const names = (pairs: AgreementReport['pairs']) => [...new Set(pairs.flatMap((p) => [p.a, p.b]))].sort();
    expect(names(r.pairs)).toEqual(['ana', 'bo', 'cy']);
    expect(r.documents.flatMap((d) => names(d.pairs))).not.toContain('gold');
    // Adjudicating changes nothing about how much the annotators agree.
    expect(r.pairs).toEqual(before.pairs);
    expect(r.fleissKappa).toEqual(before.fleissKappa);
    expect(r.documents).toEqual(before.documents);
  });

  it('scores each annotator against gold when asked', async () => {
    const { dir } = await project();
    const r = await report(dir, { against: 'gold' });
    expect(r.against).toBe('gold');
    expect(r.annotators).toEqual(['ana', 'bo', 'cy']);
    expect(r.pairs.filter((p) => p.label === null).map((p) => [p.a, p.b])).toEqual([
      ['ana', 'gold'],
      ['bo', 'gold'],
      ['cy', 'gold'],
    ]);
    // gold holds the quote and ana's source: ana matches both, bo one of 2 + 2, cy one of 1 + 2.
    expect(overall(r.pairs, 'ana', 'gold')!.exactF1.value).toBe(1);
    expect(overall(r.pairs, 'bo', 'gold')!.exactF1.value).toBeCloseTo(0.5, 10);
    expect(overall(r.pairs, 'cy', 'gold')!.exactF1.value).toBeCloseTo(2 / 3, 10);
    expect(overall(r.documents[0]!.pairs, 'bo', 'gold')!.exactF1.value).toBeCloseTo(0.5, 10);
    // Fleiss' kappa stays a measure of the annotators among themselves.
    expect(r.fleissKappa).toEqual((await report(dir)).fleissKappa);
    await expect(report(dir, { against: 'nobody' })).rejects.toThrow(/against: "nobody" has no layer in this project/);
  });

  it('margin agree leaves gold out and says so', async () => {
    const { dir } = await project();
    const plain = await margin(['agree', '--project', dir]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('between ana, bo, cy');
    expect(plain.stdout).not.toMatch(/– gold/);
    expect(plain.stdout).toContain('fleissKappa (all 3 annotators, tokens, overall)');
    expect(plain.stdout).toContain('Left out: gold (adjudication layer; margin agree --against gold scores the annotators against it)');
  });

  it('margin agree --against gold scores the annotators against it', async () => {
    const { dir } = await project();
    const table = await margin(['agree', '--project', dir, '--against', 'gold']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('Agreement of ana, bo, cy with gold over 1 document');
    expect(table.stdout).toMatch(/bo – gold\s+\(all\)\s+0\.5000/);
    expect(table.stdout).not.toMatch(/ana – bo/);
  });

  it('margin agree --against a layer the project lacks exits 2 naming it', async () => {
    const { dir } = await project();
    const unknown = await margin(['agree', '--project', dir, '--against', 'nobody']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"nobody" has no layer in this project');
  });
});
