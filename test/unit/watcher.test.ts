import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectChange } from '../../shared/api';
import { isOwnWrite, writeFileDurably } from '../../electron/services/store/jsonFile';
import { RELOAD_ALL } from '../../electron/services/team/changeFeed';
import { classifyPath, isIgnoredPath, ProjectWatcher } from '../../electron/services/team/watcher';
import type { Workspace } from '../../electron/services/workspace';
import { layerPath, openWorkspace, TempDirs } from './helpers';

const DOC = '0123456789abcdef';
const TEXT = 'The minister said the bridge would open in May. Critics doubt it.';

describe('which files mean what', () => {
  const dir = path.resolve('/projects/news');
  const at = (...parts: string[]) => path.join(dir, ...parts);

  it('names the change each data file stands for', () => {
    expect(classifyPath(dir, at('margin.json'))).toEqual({ kind: 'schema' });
    expect(classifyPath(dir, at('documents', `${DOC}.json`))).toEqual({ kind: 'documents' });
    expect(classifyPath(dir, at('annotations', 'Ben', `${DOC}.json`))).toEqual({ kind: 'layer', docId: DOC, annotator: 'Ben' });
    expect(classifyPath(dir, at('annotations', 'Ana María', `${DOC}.json`))).toEqual({ kind: 'layer', docId: DOC, annotator: 'Ana María' });
    expect(classifyPath(dir, at('metadata', `${DOC}.json`))).toEqual({ kind: 'metadata', docId: DOC });
    expect(classifyPath(dir, at('metadata', 'Ben', `${DOC}.json`))).toEqual({ kind: 'metadata', docId: DOC });
  });

  it('ignores git, exports, the lock, the schema journal, temporary files and stray files', () => {
    const ignored = [
      at('.git', 'objects', 'ab', 'cdef'),
      at('.git', 'index'),
      at('exports', 'dataset.jsonl'),
      at('.margin.lock'),
      at('.margin-schema-change.json'),
      at('annotations', 'Ben', `.${DOC}.json.4242.7.tmp`),
      at(`.margin.json.4242.1.tmp`),
      at('documents', 'notes.txt'),
      at('documents', 'nothex0123456789.json'),
      at('annotations', `${DOC}.json`),
      at('annotations', ' Ben', `${DOC}.json`),
      at('README.md'),
      path.resolve('/projects/other/margin.json'),
    ];
    for (const file of ignored) expect(classifyPath(dir, file), file).toBeNull();
    // Whole folders are skipped, so the watcher never descends into them.
    expect(isIgnoredPath(dir, at('.git'))).toBe(true);
    expect(isIgnoredPath(dir, at('exports'))).toBe(true);
    expect(isIgnoredPath(dir, at('annotations'))).toBe(false);
    expect(isIgnoredPath(dir, dir)).toBe(false);
  });
});

describe('own writes', () => {
  const temps = new TempDirs();
  afterEach(() => temps.cleanup());

  it('are recognised by their stat; a rewrite by another tool is not, even with the same bytes', async () => {
    const file = path.join(temps.make(), 'layer.json');
    const content = '{"annotations": []}\n';
    await writeFileDurably(file, content);
    expect(isOwnWrite(file, statSync(file))).toBe(true);
    // Another tool writes the same content as a new file (as git does) and moves it in place.
    writeFileSync(`${file}.new`, content);
    renameSync(`${file}.new`, file);
    expect(isOwnWrite(file, statSync(file))).toBe(false);
  });
});

/** Records every batch the watcher reports; `until` waits for a batch that satisfies a check. */
function recorder() {
  const batches: ProjectChange[][] = [];
  let wake = () => undefined as void;
  return {
    batches,
    all: () => batches.flat(),
    onChanges: (changes: ProjectChange[]) => {
      batches.push(changes);
      wake();
    },
    async until(check: (changes: ProjectChange[]) => boolean): Promise<void> {
      while (!check(batches.flat())) await new Promise<void>((resolve) => (wake = resolve));
    },
  };
}

const isLayerOf = (annotator: string) => (c: ProjectChange) => c.kind === 'layer' && c.annotator === annotator;

describe('watching a project', () => {
  const temps = new TempDirs();
  let ws: Workspace;
  let docId: string;
  let watcher: ProjectWatcher | null = null;

  beforeEach(async () => {
    ws = await openWorkspace(temps);
    await ws.handlers.setAnnotator({ name: 'Ana' });
    docId = (await ws.handlers.importText({ text: TEXT, title: 'Bridge' })).imported[0]!.docId;
    // Ana's layer exists before watching starts, so her next write is a change to a watched file.
    await ws.handlers.createAnnotation({ docId, label: 'claim', start: 0, end: 47 });
  });
  afterEach(async () => {
    await watcher?.close();
    watcher = null;
    await ws.close();
    temps.cleanup();
  });

  it("reports a colleague's layer, a schema edit and a new document written by another tool", async () => {
    const seen = recorder();
    watcher = await ProjectWatcher.start(ws.projectDir, { onChanges: seen.onChanges });
    const benFile = layerPath(ws.projectDir, 'Ben', docId);
    mkdirSync(path.dirname(benFile), { recursive: true });
    // A git pull writes each file whole, as a new file.
    writeFileSync(benFile, readFileSync(layerPath(ws.projectDir, 'Ana', docId), 'utf8').replaceAll('"Ana"', '"Ben"'));
    await seen.until((all) => all.some(isLayerOf('Ben')));
    expect(seen.all()).toContainEqual({ kind: 'layer', docId, annotator: 'Ben' });

    const projectFile = path.join(ws.projectDir, 'margin.json');
    writeFileSync(projectFile, readFileSync(projectFile, 'utf8').replace(/"name": "[^"]*"/, '"name": "Renamed elsewhere"'));
    await seen.until((all) => all.some((c) => c.kind === 'schema'));

    const otherDoc = path.join(ws.projectDir, 'documents', 'fedcba9876543210.json');
    writeFileSync(otherDoc, readFileSync(path.join(ws.projectDir, 'documents', `${docId}.json`), 'utf8'));
    await seen.until((all) => all.some((c) => c.kind === 'documents'));
  });

  it("does not report the app's own writes, nor git's, exports' and temporary files", async () => {
    const seen = recorder();
    watcher = await ProjectWatcher.start(ws.projectDir, { onChanges: seen.onChanges });
    // Our own: a tag (Ana's layer rewritten), a status, a metadata edit; then files nobody reads.
    await ws.handlers.createAnnotation({ docId, label: 'claim', start: 48, end: 65 });
    await ws.handlers.setDocumentStatus({ docId, status: 'done' });
    await ws.handlers.updateDocumentMeta({ docId, meta: { outlet: 'Daily Bridge' } });
    mkdirSync(path.join(ws.projectDir, '.git'), { recursive: true });
    writeFileSync(path.join(ws.projectDir, '.git', 'index'), 'git index');
    mkdirSync(path.join(ws.projectDir, 'exports'), { recursive: true });
    writeFileSync(path.join(ws.projectDir, 'exports', 'data.jsonl'), '{}\n');
    writeFileSync(path.join(ws.projectDir, 'annotations', 'Ana', `.${docId}.json.1.1.tmp`), '{');
    // Then one foreign change: once it is reported, everything written before it has been seen.
    const benFile = layerPath(ws.projectDir, 'Ben', docId);
    mkdirSync(path.dirname(benFile), { recursive: true });
    writeFileSync(benFile, readFileSync(layerPath(ws.projectDir, 'Ana', docId), 'utf8').replaceAll('"Ana"', '"Ben"'));
    await seen.until((all) => all.some(isLayerOf('Ben')));
    expect(seen.all()).toEqual([{ kind: 'layer', docId, annotator: 'Ben' }]);
  });

  it('reports our own layer when another tool replaced it (a pull of our work from another machine)', async () => {
    const seen = recorder();
    watcher = await ProjectWatcher.start(ws.projectDir, { onChanges: seen.onChanges });
    const anaFile = layerPath(ws.projectDir, 'Ana', docId);
    const replacement = `${anaFile}.incoming`;
    const layer = JSON.parse(readFileSync(anaFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(replacement, JSON.stringify({ ...layer, status: 'done' }, null, 2));
    renameSync(replacement, anaFile);
    await seen.until((all) => all.some(isLayerOf('Ana')));
    expect(seen.all()).toEqual([{ kind: 'layer', docId, annotator: 'Ana' }]);
  });
});

describe('the change feed of a workspace (waitForChanges)', () => {
  const temps = new TempDirs();
  afterEach(() => temps.cleanup());

  it('starts at the current cursor, answers with a foreign change, and ends a pending poll when the project closes', async () => {
    const ws = await openWorkspace(temps);
    let closed = false;
    try {
      await ws.handlers.setAnnotator({ name: 'Ana' });
      const docId = (await ws.handlers.importText({ text: TEXT, title: 'Bridge' })).imported[0]!.docId;
      const start = await ws.handlers.waitForChanges({ since: 0 });
      expect(start.changes).toEqual([]);

      const polled = ws.handlers.waitForChanges({ since: start.cursor });
      const benFile = layerPath(ws.projectDir, 'Ben', docId);
      mkdirSync(path.dirname(benFile), { recursive: true });
      await ws.handlers.createAnnotation({ docId, label: 'quote', start: 0, end: 12 });
      writeFileSync(benFile, readFileSync(layerPath(ws.projectDir, 'Ana', docId), 'utf8').replaceAll('"Ana"', '"Ben"'));
      const answer = await polled;
      expect(answer.cursor).toBeGreaterThan(start.cursor);
      expect(answer.changes).toEqual([{ kind: 'layer', docId, annotator: 'Ben' }]);

      const pending = ws.handlers.waitForChanges({ since: answer.cursor });
      await ws.close();
      closed = true;
      expect(await pending).toEqual({ cursor: answer.cursor, changes: [] });
    } finally {
      if (!closed) await ws.close();
    }
  });

  it('follows the project the workspace switches to, and tells waiting windows to reload everything', async () => {
    const ws = await openWorkspace(temps);
    try {
      const before = await ws.handlers.waitForChanges({ since: 0 });
      const polled = ws.handlers.waitForChanges({ since: before.cursor });
      await ws.switchProject(path.join(temps.make(), 'second'));
      expect((await polled).changes).toEqual(RELOAD_ALL);

      const { cursor } = await ws.handlers.waitForChanges({ since: 0 });
      const next = ws.handlers.waitForChanges({ since: cursor });
      const docId = (await ws.handlers.importText({ text: TEXT, title: 'Bridge' })).imported[0]!.docId;
      mkdirSync(path.join(ws.projectDir, 'metadata'), { recursive: true });
      writeFileSync(path.join(ws.projectDir, 'metadata', `${docId}.json`), '{}');
      expect((await next).changes).toEqual([{ kind: 'metadata', docId }]);
    } finally {
      await ws.close();
    }
  });
});
