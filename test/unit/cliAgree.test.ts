import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/services/workspace';
import { AgreementReport } from '../../shared/api';
import { layerPath, runMargin, spanOf, TempDirs, type CliRun } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const margin = (args: string[]): Promise<CliRun> => runMargin(args, temps.make('margin-cli-ud-'));

const TEXT = 'Budget row\n\nThe minister said prices will fall next year. Critics disagreed with the minister at once.';

async function project(): Promise<{ dir: string; docId: string }> {
  const dir = path.join(temps.make(), 'project');
  const ws = await Workspace.open({ userData: temps.userData(), projectDir: dir, mode: 'browser' });
  const docId = (await ws.handlers.importText({ text: TEXT })).imported[0]!.docId;
  const tag = async (name: string, spans: [string, string][]) => {
    await ws.handlers.setAnnotator({ name });
    await ws.handlers.createAnnotations({ docId, spans: spans.map(([label, needle]) => ({ label, ...spanOf(TEXT, needle) })) });
  };
  await tag('alice', [['claim', 'prices will fall'], ['event', 'Critics disagreed']]);
  await tag('bob', [['claim', 'prices will fall'], ['event', 'Critics disagreed with the minister']]);
  await tag('carol', [['claim', 'prices will fall next year']]);
  await ws.close();
  return { dir, docId };
}

describe('margin agree', () => {
  it('--json prints the AgreementReport', async () => {
    const { dir, docId } = await project();
    const run = await margin(['agree', '--project', dir, '--annotators', 'alice,bob', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = AgreementReport.parse(JSON.parse(run.stdout));
    expect(report.annotators).toEqual(['alice', 'bob']);
    expect(report.documents.map((d) => d.docId)).toEqual([docId]);
    const overall = report.pairs.find((p) => p.label === null)!;
    expect(overall.exactF1.value).toBeCloseTo(0.5, 10);
    expect(overall.overlapF1.value).toBe(1);
    expect(report.pairs.find((p) => p.label === 'quote')!.cohenKappa).toEqual({ value: null, reason: 'neither annotator tagged anything as quote' });
    expect(run.stdout).not.toContain('NaN');
  });

  it('prints a table with n/a (reason), only the labels asked for, and fleissKappa for three annotators', async () => {
    const { dir } = await project();
    const run = await margin(['agree', '--project', dir, '--label', 'claim', '--label', 'quote']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    const header = lines.find((l) => l.startsWith('pair'))!;
    for (const m of ['exactF1', 'overlapF1', 'cohenKappa', 'alphaNominal', 'alphaUnitizing']) expect(header).toContain(m);
    expect(lines.filter((l) => l.startsWith('alice – bob'))).toHaveLength(3);
    expect(run.stdout).toMatch(/alice – bob\s+claim\s+1\.0000\s+1\.0000/);
    expect(run.stdout).toContain('n/a (neither annotator tagged anything as quote)');
    expect(run.stdout).not.toMatch(/alice – bob\s+event/);
    expect(run.stdout).toMatch(/fleissKappa \(all 3 annotators, tokens, overall\): -?\d\.\d{4}/);
    expect(run.stdout).not.toContain('NaN');
  });

  it('names a layer that does not parse on stderr and leaves it out', async () => {
    const { dir, docId } = await project();
    writeFileSync(layerPath(dir, 'carol', docId), 'not json');
    const run = await margin(['agree', '--project', dir, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(layerPath(dir, 'carol', docId));
    const report = AgreementReport.parse(JSON.parse(run.stdout));
    expect(report.problems.some((p) => p.includes(layerPath(dir, 'carol', docId)))).toBe(true);
    expect(report.pairs.find((p) => p.a === 'alice' && p.b === 'carol' && p.label === null)!.exactF1.value).toBeNull();
  });

  it('refuses a folder that is not a project, and bad annotator names', async () => {
    const missing = await margin(['agree', '--project', path.join(temps.make(), 'nothing')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('not a Margin project');
    const { dir } = await project();
    const bad = await margin(['agree', '--project', dir, '--annotators', 'alice,../x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--annotators');
  });

  it('is in the usage text', async () => {
    const run = await margin(['help']);
    expect(run.stdout).toContain('margin agree --project DIR [--annotators a,b,...] [--label NAME]... [--json]');
  });
});
