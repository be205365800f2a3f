import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../electron/services/workspace';
import { openWorkspace, runMargin, samplePaths, spanOf, TempDirs } from './helpers';

/**
 * "Done" belongs to one annotator's layer: exporting only documents marked done must not carry
 * the other annotators' unfinished layers of those documents along.
 */

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const tab = (windowId: string) => ({ windowId });
const CNN = /urged top Israeli officials to “capitalize”/;
const REUTERS = /^Top US diplomat Antony Blinken/;

interface Line {
  title: string;
  annotations: { annotator: string; label: string; text: string }[];
  status: Record<string, string>;
}

const parse = (jsonl: string) =>
  jsonl
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);

/**
 * The CNN sample (non-breaking spaces, curly quotes) with alice's layer marked done and bob's
 * and carol's in progress; the Reuters sample with bob's layer done. Returns the workspace, closed
 * by the caller.
 */
async function teamProject(): Promise<{ ws: Workspace; cnnTitle: RegExp }> {
  const ws = await openWorkspace(temps);
  const h = ws.handlers;
  await ws.importPaths(samplePaths());
  const docs = await h.listDocuments({});
  const cnn = docs.find((d) => CNN.test(d.title))!;
  const reuters = docs.find((d) => REUTERS.test(d.title))!;
  const cnnText = (await h.getDocument({ docId: cnn.id })).text;
  const reutersText = (await h.getDocument({ docId: reuters.id })).text;
  for (const [name, windowId] of [['alice', 'a'], ['bob', 'b'], ['carol', 'c']] as const) await h.setAnnotator({ name }, tab(windowId));

  await h.createAnnotations({ docId: cnn.id, spans: [{ label: 'quote', ...spanOf(cnnText, '“capitalize”') }, { label: 'source', ...spanOf(cnnText, 'Antony Blinken') }] }, tab('a'));
  await h.setDocumentStatus({ docId: cnn.id, status: 'done' }, tab('a'));
  // bob and carol have only started on the CNN article (its text keeps the page's non-breaking spaces).
  await h.createAnnotation({ docId: cnn.id, label: 'event', ...spanOf(cnnText, 'the killing of\u00a0Hamas leader\u00a0Yahya Sinwar’s death') }, tab('b'));
  await h.createAnnotation({ docId: cnn.id, label: 'claim', ...spanOf(cnnText, 'there is little evidence') }, tab('c'));
  // bob finished the Reuters article; alice is still on it.
  await h.createAnnotation({ docId: reuters.id, label: 'source', ...spanOf(reutersText, 'Antony Blinken') }, tab('b'));
  await h.setDocumentStatus({ docId: reuters.id, status: 'done' }, tab('b'));
  await h.createAnnotation({ docId: reuters.id, label: 'quote', ...spanOf(reutersText, '"last opportunity"') }, tab('a'));
  return { ws, cnnTitle: CNN };
}

function expectOnlyDoneLayers(lines: Line[], cnnTitle: RegExp): void {
  expect(lines).toHaveLength(2);
  const cnn = lines.find((l) => cnnTitle.test(l.title))!;
  expect(cnn.annotations.map((a) => [a.annotator, a.label, a.text])).toEqual([
    ['alice', 'source', 'Antony Blinken'],
    ['alice', 'quote', '“capitalize”'],
  ]);
  expect(cnn.status).toEqual({ alice: 'done' });
  const reuters = lines.find((l) => l !== cnn)!;
  expect(reuters.annotations.map((a) => [a.annotator, a.text])).toEqual([['bob', 'Antony Blinken']]);
  expect(reuters.status).toEqual({ bob: 'done' });
}

describe('exporting only documents marked done', () => {
  it('margin export --documents done writes only the layers whose annotator marked the document done', async () => {
    const { ws, cnnTitle } = await teamProject();
    const projectDir = ws.projectDir;
    await ws.close();
    const run = await runMargin(['export', '--project', projectDir, '--format', 'jsonl', '--documents', 'done'], temps.make('margin-cli-ud-'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expectOnlyDoneLayers(parse(run.stdout), cnnTitle);

    // Naming an annotator narrows further: only bob's finished layer, on the one document he finished.
    const bob = await runMargin(['export', '--project', projectDir, '--format', 'jsonl', '--documents', 'done', '--annotator', 'bob'], temps.make('margin-cli-ud-'));
    expect(bob.code).toBe(0);
    expect(parse(bob.stdout).map((l) => l.annotations.map((a) => a.annotator))).toEqual([['bob']]);
  });

  it("the export dialog's 'Only documents marked done' does the same", async () => {
    const { ws, cnnTitle } = await teamProject();
    try {
      const started = await ws.handlers.startExport({ format: 'jsonl', documents: 'done' });
      let progress = started;
      while (!progress.finished) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        progress = await ws.handlers.exportProgress({ jobId: started.jobId });
      }
      expect(progress.error).toBeUndefined();
      expect(path.dirname(progress.result!.path)).toBe(path.join(ws.projectDir, 'exports'));
      expectOnlyDoneLayers(parse(readFileSync(progress.result!.path, 'utf8')), cnnTitle);
      expect(progress.result!.annotations).toBe(3);
    } finally {
      await ws.close();
    }
  });

  it('every layer of every document still comes out with --documents all', async () => {
    const { ws } = await teamProject();
    const projectDir = ws.projectDir;
    await ws.close();
    const run = await runMargin(['export', '--project', projectDir, '--format', 'jsonl'], temps.make('margin-cli-ud-'));
    expect(run.code).toBe(0);
    expect(parse(run.stdout).flatMap((l) => l.annotations).length).toBe(6);
  });
});
