import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { extractArticle } from '../../electron/services/intake/extract';
import { ExtractPool, extractPool, readerEntry } from '../../electron/services/intake/extractPool';
import { importPaths } from '../../electron/services/intake/importer';
import { ProjectStore } from '../../electron/services/store/projectStore';
import { openWorkspace, REPO_ROOT, samplePaths, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const pools: ExtractPool[] = [];
/** A pool of its own for a test, with stricter limits; closed at the end. */
function poolWith(limits: ConstructorParameters<typeof ExtractPool>[0] = {}): ExtractPool {
  const pool = new ExtractPool(limits);
  pools.push(pool);
  return pool;
}
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

/**
 * A page of tens of thousands of inline tags (under the 100,000-tag guard, so it is parsed):
 * jsdom needs seconds and hundreds of MB for it.
 */
const hostilePage = (tags: number) =>
  `<!doctype html><html><head><title>Hostile</title></head><body><article><p>${'<b>word</b> <i>more</i> '.repeat(tags / 2)}</p></article></body></html>`;
/** Markdown list items nested a thousand levels deep: marked takes seconds over it. */
const deepMarkdown = Array.from({ length: 1000 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n');

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
const NORMAL = [...['news-page.html', 'article.md', 'article.docx', 'article.pdf', 'windows-1252.txt'].map((f) => path.join(FIXTURES, f)), samplePaths()[0]!];

function write(file: string, content: string | Uint8Array): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

describe('files are read on reader threads', () => {
  it('a normal article reads exactly as it does on this thread, in every format', async () => {
    const pool = poolWith();
    for (const file of NORMAL) {
      const bytes = readFileSync(file);
      const inWorker = await pool.extract(path.basename(file), bytes);
      expect(inWorker.ok, `${path.basename(file)}: ${inWorker.ok ? '' : inWorker.reason}`).toBe(true);
      expect(inWorker).toEqual(await extractArticle(path.basename(file), bytes));
    }
  });

  it('a file that takes longer than the time limit is refused by name with the reason; the next file still reads', async () => {
    const dir = temps.make();
    const slowPage = write(path.join(dir, 'in', 'a-hostile.html'), hostilePage(90_000));
    const deep = write(path.join(dir, 'in', 'b-deep.md'), deepMarkdown);
    const normal = write(path.join(dir, 'in', 'c-normal.txt'), readFileSync(samplePaths()[0]!));
    const store = await ProjectStore.open(path.join(dir, 'project'));
    try {
      const reader = poolWith({ limits: { timeMs: 500 } });
      const report = await importPaths(store, [path.join(dir, 'in')], { reader });
      expect(report.failed).toEqual([
        { fileName: 'a-hostile.html', reason: `${slowPage}: took longer than 0.5 s to read; it was stopped` },
        { fileName: 'b-deep.md', reason: `${deep}: took longer than 0.5 s to read; it was stopped` },
      ]);
      expect(report.imported.map((i) => i.fileName)).toEqual([path.basename(normal)]);
      expect(store.listDocuments()).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('a file that needs more memory than the limit is refused by name with the reason; the next file still reads', async () => {
    const dir = temps.make();
    const hungry = write(path.join(dir, 'in', 'a-hungry.html'), hostilePage(90_000));
    write(path.join(dir, 'in', 'b-normal.txt'), readFileSync(samplePaths()[1]!));
    const store = await ProjectStore.open(path.join(dir, 'project'));
    try {
      // Time enough that only memory can stop it: the page needs several hundred MB.
      const reader = poolWith({ limits: { memoryMb: 128, timeMs: 600_000 } });
      const report = await importPaths(store, [path.join(dir, 'in')], { reader });
      expect(report.failed).toEqual([{ fileName: 'a-hungry.html', reason: `${hungry}: needed more than 128 MB of memory to read; it was stopped` }]);
      expect(report.imported.map((i) => i.fileName)).toEqual(['b-normal.txt']);
    } finally {
      await store.close();
    }
  });

  it('the API answers while a slow file is read: session, document list and a paste all come back first', async () => {
    const ws = await openWorkspace(temps);
    try {
      const events: string[] = [];
      const started = new Promise<void>((resolve) => {
        const onStart = (fileName: string) => {
          if (fileName !== 'slow.html') return;
          extractPool().off('started', onStart);
          resolve();
        };
        extractPool().on('started', onStart);
      });
      const data = Buffer.from(hostilePage(90_000)).toString('base64');
      const upload = ws.handlers.importFiles({ files: [{ name: 'slow.html', data }] }).then((report) => {
        events.push('slow.html read');
        return report;
      });
      await started;
      events.push('slow.html started');
      await ws.handlers.getSession({}).then(() => events.push('getSession'));
      await ws.handlers.listDocuments({}).then(() => events.push('listDocuments'));
      await ws.handlers.importText({ text: 'Ferry service resumes\n\nThe harbour ferry ran again on Monday.' }).then((r) => events.push(`pasted ${r.imported.length}`));
      const report = await upload;
      expect(events).toEqual(['slow.html started', 'getSession', 'listDocuments', 'pasted 1', 'slow.html read']);
      expect([...report.imported, ...report.failed].map((f) => f.fileName)).toEqual(['slow.html']);
    } finally {
      await ws.close();
    }
  });

  it('a cancel stops the file being read at once; the next import reads normally', async () => {
    const dir = temps.make();
    write(path.join(dir, 'batch', 'a-slow.html'), hostilePage(90_000));
    write(path.join(dir, 'batch', 'b-normal.txt'), readFileSync(samplePaths()[2]!));
    const ws = await openWorkspace(temps);
    try {
      const onStart = (fileName: string) => {
        if (fileName === 'a-slow.html') ws.cancelImport();
      };
      extractPool().on('started', onStart);
      const report = await ws.importPathsWithProgress([path.join(dir, 'batch')]).finally(() => extractPool().off('started', onStart));
      expect(report).toMatchObject({ cancelled: true, imported: [], failed: [] });
      const again = await ws.importPaths([path.join(dir, 'batch', 'b-normal.txt')]);
      expect(again.imported.map((i) => i.fileName)).toEqual(['b-normal.txt']);
    } finally {
      await ws.close();
    }
  });
});

const out = path.join(REPO_ROOT, 'out', 'main');
const built = existsSync(path.join(out, 'main.js'));
if (!built) console.log('built reader checks skipped: run `npm run build` first (npm test does)');

describe.skipIf(!built)('the built app finds and runs its reader', () => {
  it('finds out/main/extractWorker.js from main.js and from a chunk below it', () => {
    const entry = path.join(out, 'extractWorker.js');
    expect(readerEntry(pathToFileURL(path.join(out, 'main.js')).href)).toEqual(pathToFileURL(entry));
    expect(readerEntry(pathToFileURL(path.join(out, 'chunks', 'any.js')).href)).toEqual(pathToFileURL(entry));
  });

  it('the built reader reads articles as the sources do', async () => {
    const pool = poolWith({ entry: readerEntry(pathToFileURL(path.join(out, 'main.js')).href) });
    for (const file of NORMAL) {
      const bytes = readFileSync(file);
      expect(await pool.extract(path.basename(file), bytes)).toEqual(await extractArticle(path.basename(file), bytes));
    }
  });
});
