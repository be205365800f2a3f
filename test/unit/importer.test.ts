import { chmodSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DocumentRecord } from '../../shared/model';
import { collectFiles, type ImportProgress, importPaths, readErrorReason, summarizeReport } from '../../electron/services/intake/importer';
import { ProjectStore } from '../../electron/services/store/projectStore';
import { listFilesRecursive, openWorkspace, samplePaths, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const WORDS = 'council budget harbour ferry minister strike court ruling election votes river flood bridge school teachers hospital nurses police report market prices farmers harvest storm port'.split(' ');

/** A distinct little article per name (its words drawn from the name), so no two are near-duplicates. */
function article(name: string): string {
  let seed = [...name].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261);
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
  const body = Array.from({ length: 60 }, () => WORDS[next() % WORDS.length]).join(' ');
  return `${name}: headline\n\nThe ${body}.\n`;
}

function write(file: string, content: string | Buffer): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

/** A folder of articles: nested folders, hidden files and folders, and a file that is not an article. */
function articleTree(): string {
  const root = path.join(temps.make(), 'inbox');
  write(path.join(root, 'b.txt'), article('b'));
  write(path.join(root, 'a.txt'), article('a'));
  write(path.join(root, 'notes.md'), `# Notes\n\n${article('notes')}`);
  write(path.join(root, '2024', 'aug', 'c.txt'), article('c'));
  write(path.join(root, '2024', 'd.TXT'), article('d'));
  write(path.join(root, '.hidden.txt'), article('hidden file'));
  write(path.join(root, '.git', 'e.txt'), article('hidden folder'));
  write(path.join(root, 'photo.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]));
  return root;
}

const isTemp = (name: string) => /\.tmp$/.test(name);

function expectEveryProjectFileValid(projectDir: string): void {
  const files = listFilesRecursive(projectDir);
  expect(files.filter(isTemp)).toEqual([]);
  for (const rel of files.filter((f) => f.endsWith('.json'))) {
    const json: unknown = JSON.parse(readFileSync(path.join(projectDir, rel), 'utf8'));
    if (rel.startsWith('documents')) expect(DocumentRecord.safeParse(json).success, rel).toBe(true);
  }
}

describe('finding the files to import', () => {
  it('walks folders recursively in name order, skipping hidden files and folders and files that are not articles', async () => {
    const root = articleTree();
    const { files, failed } = await collectFiles([root]);
    expect(failed).toEqual([]);
    expect(files.map((f) => f.label)).toEqual(['inbox/2024/aug/c.txt', 'inbox/2024/d.TXT', 'inbox/a.txt', 'inbox/b.txt', 'inbox/notes.md']);
    expect(files.map((f) => f.name)).toEqual(['c.txt', 'd.TXT', 'a.txt', 'b.txt', 'notes.md']);
  });

  it('lists a file once even when named twice or also found in a folder', async () => {
    const root = articleTree();
    const { files } = await collectFiles([path.join(root, 'a.txt'), root, path.join(root, 'a.txt')]);
    expect(files.filter((f) => f.name === 'a.txt')).toHaveLength(1);
    expect(files).toHaveLength(5);
  });

  it('follows links inside the folder but not out of it, and says so', async () => {
    const root = articleTree();
    const outside = write(path.join(path.dirname(root), 'secret.txt'), article('secret'));
    symlinkSync(outside, path.join(root, 'leak.txt'));
    symlinkSync(path.join(root, '2024', 'aug', 'c.txt'), path.join(root, 'z-link-to-c.txt'));
    symlinkSync(path.join(root, 'missing.txt'), path.join(root, 'broken.txt'));
    symlinkSync(path.dirname(root), path.join(root, 'up')); // a folder link out (and a loop): not walked
    const { files, failed } = await collectFiles([root]);
    expect(files.map((f) => f.label)).toEqual(['inbox/2024/aug/c.txt', 'inbox/2024/d.TXT', 'inbox/a.txt', 'inbox/b.txt', 'inbox/notes.md']);
    expect(failed.map((f) => f.fileName).sort()).toEqual(['broken.txt', 'leak.txt']);
    expect(failed.find((f) => f.fileName === 'leak.txt')!.reason).toMatch(/leak\.txt: is a link to .*secret\.txt, outside the folder/);
    expect(failed.find((f) => f.fileName === 'broken.txt')!.reason).toContain(path.join(root, 'broken.txt'));
  });

  it('names a missing path in its reason', async () => {
    const missing = path.join(temps.make(), 'gone', 'x.txt');
    const { files, failed } = await collectFiles([missing]);
    expect(files).toEqual([]);
    expect(failed).toEqual([{ fileName: 'x.txt', reason: `${missing}: no longer exists` }]);
  });
});

describe('why a file cannot be read', () => {
  it.each([
    ['EACCES', 'cannot be read (permission denied)'],
    ['EPERM', 'cannot be read (permission denied)'],
    ['ENOENT', 'no longer exists'],
    ['EISDIR', 'is a folder, not a file'],
    ['ELOOP', 'is a link that leads back to itself'],
    ['EMFILE', 'cannot be opened now (too many open files); try again'],
    ['EIO', 'cannot be read (input/output error: the disk or network drive failed)'],
  ])('%s → %s', (code, reason) => {
    expect(readErrorReason(Object.assign(new Error(`${code}: something, open '/x/y.txt'`), { code }))).toBe(reason);
  });

  it('says anything else in general terms (its code and text are internals), and never names the file itself', () => {
    expect(readErrorReason(Object.assign(new Error("EWEIRD: weird failure, open '/x/y.txt'"), { code: 'EWEIRD' }))).toBe(
      'cannot be read (the system refused to read it); try again, or copy it to another folder and import the copy',
    );
  });

  // Root reads anything, so the permission test runs only where permissions bite; the mapping above covers EACCES everywhere.
  const permissionsBite = process.getuid?.() !== 0 && process.platform !== 'win32';
  if (!permissionsBite) console.log('permission test skipped: running as root (or on Windows), where chmod 000 does not stop reads');
  it.skipIf(!permissionsBite)('reports a file without read permission by name and imports the rest', async () => {
    const root = articleTree();
    const locked = path.join(root, 'a.txt');
    chmodSync(locked, 0o000);
    const store = await ProjectStore.open(path.join(temps.make(), 'project'));
    try {
      const report = await importPaths(store, [root]);
      expect(report.failed).toEqual([{ fileName: 'a.txt', reason: `${locked}: cannot be read (permission denied)` }]);
      expect(report.imported).toHaveLength(4);
    } finally {
      chmodSync(locked, 0o644);
      await store.close();
    }
  });
});

describe('bulk import from disk', () => {
  it('imports a folder recursively with progress in order and the right totals', async () => {
    const root = articleTree();
    const store = await ProjectStore.open(path.join(temps.make(), 'project'));
    try {
      const progress: ImportProgress[] = [];
      const report = await importPaths(store, [root], { onProgress: (p) => progress.push(p) });
      expect(report.imported.map((i) => i.fileName)).toEqual(['c.txt', 'd.TXT', 'a.txt', 'b.txt', 'notes.md']);
      expect(report.failed).toEqual([]);
      expect(report.nearDuplicates).toEqual([]);
      expect(report.cancelled).toBeUndefined();
      expect(progress).toEqual([
        { done: 0, total: 5, current: 'inbox/2024/aug/c.txt' },
        { done: 1, total: 5, current: 'inbox/2024/d.TXT' },
        { done: 2, total: 5, current: 'inbox/a.txt' },
        { done: 3, total: 5, current: 'inbox/b.txt' },
        { done: 4, total: 5, current: 'inbox/notes.md' },
        { done: 5, total: 5, current: '' },
      ]);
      // The original file name and the import time are kept; the title is the first line here.
      const doc = await store.getDocument(report.imported[2]!.docId);
      expect(doc).toMatchObject({ fileName: 'a.txt', title: 'a: headline' });
      expect(Date.parse(doc.importedAt)).not.toBeNaN();
      expect(readdirSync(path.join(store.dir, 'documents'))).toHaveLength(5);
      expectEveryProjectFileValid(store.dir);
    } finally {
      await store.close();
    }
  });

  it('stops after the file at hand when cancelled: exactly N documents, each file whole, and the report says cancelled', async () => {
    const dir = temps.make();
    const files = Array.from({ length: 8 }, (_, i) => write(path.join(dir, 'batch', `${i}.txt`), article(`story ${i}`)));
    const store = await ProjectStore.open(path.join(dir, 'project'));
    try {
      const controller = new AbortController();
      const progress: ImportProgress[] = [];
      const report = await importPaths(store, [path.join(dir, 'batch')], {
        signal: controller.signal,
        onProgress: (p) => {
          progress.push(p);
          if (p.done === 3) controller.abort(); // the cancel arrives while the 4th file is announced
        },
      });
      expect(report.cancelled).toBe(true);
      expect(report.imported.map((i) => i.fileName)).toEqual(['0.txt', '1.txt', '2.txt']);
      expect(report.failed).toEqual([]);
      expect(progress.at(-1)).toEqual({ done: 3, total: 8, current: '' });
      expect(readdirSync(path.join(store.dir, 'documents')).sort()).toEqual(report.imported.map((i) => `${i.docId}.json`).sort());
      expectEveryProjectFileValid(store.dir);
      expect(summarizeReport(report)).toBe('Import cancelled. Imported 3 articles.');
    } finally {
      await store.close();
    }
    // What is on disk is a complete project: it opens with exactly those documents.
    const reopened = await ProjectStore.open(path.join(dir, 'project'));
    try {
      expect(reopened.listDocuments()).toHaveLength(3);
    } finally {
      await reopened.close();
    }
    expect(files).toHaveLength(8);
  });

  it('a cancel before anything starts imports nothing', async () => {
    const root = articleTree();
    const store = await ProjectStore.open(path.join(temps.make(), 'project'));
    try {
      const controller = new AbortController();
      controller.abort();
      const report = await importPaths(store, [root], { signal: controller.signal });
      expect(report).toMatchObject({ imported: [], failed: [], cancelled: true });
      expect(store.listDocuments()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('skips bad files with a reason naming each, imports the rest, and counts everything in the summary', async () => {
    const dir = temps.make();
    const good = write(path.join(dir, 'in', 'good.txt'), article('good'));
    const empty = write(path.join(dir, 'in', 'empty.txt'), '');
    const binary = write(path.join(dir, 'in', 'binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    const wrong = write(path.join(dir, 'wrong.pdf'), article('not a pdf at all'));
    const missing = path.join(dir, 'missing.txt');
    const store = await ProjectStore.open(path.join(dir, 'project'));
    try {
      await importPaths(store, [good]);
      const report = await importPaths(store, [path.join(dir, 'in'), wrong, missing]);
      expect(report.imported).toEqual([]);
      expect(report.duplicates.map((d) => d.fileName)).toEqual(['good.txt']);
      const reasons = Object.fromEntries(report.failed.map((f) => [f.fileName, f.reason]));
      expect(Object.keys(reasons).sort()).toEqual(['binary.txt', 'empty.txt', 'missing.txt', 'wrong.pdf']);
      expect(reasons['missing.txt']).toBe(`${missing}: no longer exists`);
      expect(reasons['empty.txt']).toMatch(new RegExp(`^${empty.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: empty`));
      expect(reasons['binary.txt']).toMatch(/binary/);
      expect(reasons['binary.txt']!.startsWith(binary)).toBe(true);
      expect(reasons['wrong.pdf']!.startsWith(wrong)).toBe(true);
      for (const reason of Object.values(reasons)) expect(reason).not.toMatch(/\n/);
      expect(summarizeReport(report)).toBe('Imported 0 articles; 1 already in the project; 4 failed.');
      expect(store.listDocuments()).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});

describe('near-duplicates at import', () => {
  const TOUR = ['002_e7f105aa316f8cda.txt', '003_6daa1d6b280d8e7e.txt'];

  it('reports the one near-duplicate pair among the samples, in the report and on both documents', async () => {
    const ws = await openWorkspace(temps);
    try {
      const report = await ws.importPaths(samplePaths());
      expect(report.imported).toHaveLength(4);
      expect(report.nearDuplicates).toHaveLength(1);
      const [near] = report.nearDuplicates;
      const id = (name: string) => report.imported.find((i) => i.fileName === name)!.docId;
      expect(near).toMatchObject({ fileName: TOUR[1], docId: id(TOUR[1]!), of: [{ docId: id(TOUR[0]!) }] });
      expect(near!.of[0]!.title).toBe(report.imported.find((i) => i.fileName === TOUR[0])!.title);
      expect(report.imported.map((i) => i.docId)).toContain(near!.docId);
      expect(summarizeReport(report)).toBe('Imported 4 articles (1 near-duplicate of another article).');

      const list = await ws.handlers.listDocuments({});
      const linked = Object.fromEntries(list.map((d) => [d.id, d.nearDuplicates]));
      expect(linked[id(TOUR[0]!)]).toEqual([id(TOUR[1]!)]);
      expect(linked[id(TOUR[1]!)]).toEqual([id(TOUR[0]!)]);
      expect(list.filter((d) => d.nearDuplicates.length === 0)).toHaveLength(2);

      const view = await ws.handlers.getDocument({ docId: id(TOUR[0]!) });
      expect(view.nearDuplicates).toEqual([{ id: id(TOUR[1]!), title: list.find((d) => d.id === id(TOUR[1]!))!.title, similarity: expect.any(Number) }]);
      expect(view.nearDuplicates[0]!.similarity).toBeGreaterThan(0.4);
      expect(view.nearDuplicates[0]!.similarity).toBeLessThanOrEqual(1);
    } finally {
      await ws.close();
    }
  });

  it('finds a near-duplicate against documents imported earlier, and after the project is reopened', async () => {
    const projectDir = path.join(temps.make(), 'project');
    const [a, b] = TOUR.map((name) => samplePaths().find((p) => path.basename(p) === name)!);
    let store = await ProjectStore.open(projectDir);
    try {
      expect((await importPaths(store, [a!])).nearDuplicates).toEqual([]);
    } finally {
      await store.close();
    }
    store = await ProjectStore.open(projectDir);
    try {
      const report = await importPaths(store, [b!, ...samplePaths().slice(0, 2)]);
      expect(report.nearDuplicates.map((n) => [n.fileName, n.of.length])).toEqual([[TOUR[1], 1]]);
    } finally {
      await store.close();
    }
  });
});

describe('pasted text', () => {
  const PASTE = 'Storm closes port for two days\n\nThe harbour master said on Monday that the port would stay closed until the wind dropped, stranding ferries.';

  it('becomes a document named "Pasted text", with the given title winning', async () => {
    const ws = await openWorkspace(temps);
    try {
      const report = await ws.handlers.importText({ text: PASTE, title: '  Port closed  ' });
      expect(report.imported).toEqual([{ fileName: 'Pasted text', docId: expect.any(String), title: 'Port closed' }]);
      const view = await ws.handlers.getDocument({ docId: report.imported[0]!.docId });
      expect(view).toMatchObject({ title: 'Port closed', fileName: 'Pasted text', text: PASTE });
      expect(view.meta.title).toBe('Port closed');

      // Without a title: the extracted one or the first line. The same text again is a duplicate.
      const second = await ws.handlers.importText({ text: `${PASTE}\r\nA second paragraph.` });
      expect(second.imported[0]!.title).toBeTruthy();
      expect(second.imported[0]!.title).not.toBe('Port closed');
      const again = await ws.handlers.importText({ text: PASTE, title: 'Other title' });
      expect(again).toMatchObject({ imported: [], duplicates: [{ fileName: 'Pasted text', title: 'Port closed' }], failed: [] });
    } finally {
      await ws.close();
    }
  });

  it('refuses empty and oversized text with a reason naming it', async () => {
    const ws = await openWorkspace(temps);
    try {
      expect((await ws.handlers.importText({ text: '  \n\t ' })).failed).toEqual([{ fileName: 'Pasted text', reason: 'Pasted text: empty: there is no text in it' }]);
      // Under the contract's character cap but over 20 MB as UTF-8 (3 bytes a character).
      const big = 'é€€'.repeat(3 * 1024 * 1024);
      const report = await ws.handlers.importText({ text: big });
      expect(report.failed).toEqual([{ fileName: 'Pasted text', reason: expect.stringMatching(/^Pasted text: larger than 20 MB/) }]);
      expect(await ws.handlers.listDocuments({})).toEqual([]);
    } finally {
      await ws.close();
    }
  });
});

describe('the desktop import job', () => {
  it('cancelImport stops a running job after the file at hand, and says false when nothing runs', async () => {
    const dir = temps.make();
    for (let i = 0; i < 6; i++) write(path.join(dir, 'batch', `${i}.txt`), article(`job ${i}`));
    const ws = await openWorkspace(temps);
    try {
      expect(await ws.handlers.cancelImport({})).toEqual({ cancelled: false });
      const seen: ImportProgress[] = [];
      const report = await ws.importPathsWithProgress([path.join(dir, 'batch')], (p) => {
        seen.push(p);
        if (p.done === 2 && p.current !== '') void ws.handlers.cancelImport({}).then((r) => expect(r).toEqual({ cancelled: true }));
      });
      expect(report.cancelled).toBe(true);
      expect(report.imported.map((i) => i.fileName)).toEqual(['0.txt', '1.txt']);
      expect(await ws.handlers.listDocuments({})).toHaveLength(report.imported.length);
      expect(seen[0]).toEqual({ done: 0, total: 6, current: 'batch/0.txt' });
      expect(await ws.handlers.cancelImport({})).toEqual({ cancelled: false });
    } finally {
      await ws.close();
    }
  });

  it('refuses a second job while one runs', async () => {
    const dir = temps.make();
    for (let i = 0; i < 3; i++) write(path.join(dir, 'batch', `${i}.txt`), article(`twice ${i}`));
    const ws = await openWorkspace(temps);
    try {
      const first = ws.importPathsWithProgress([path.join(dir, 'batch')]);
      await expect(ws.importPathsWithProgress([path.join(dir, 'batch')])).rejects.toThrow(/already running/);
      expect((await first).imported).toHaveLength(3);
    } finally {
      await ws.close();
    }
  });
});
