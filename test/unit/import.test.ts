import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES } from '../../shared/api';
import { normalizeText, titleFromText } from '../../shared/text';
import { decodeArticle, documentIdOf } from '../../electron/services/intake/importText';
import { importPaths, summarizeReport } from '../../electron/services/intake/importer';
import { ProjectStore } from '../../electron/services/store/projectStore';
import { openWorkspace, samplePaths, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const ARTICLE = 'Blinken urges Israel to “capitalize” on Sinwar’s death\n\nUS Secretary of State Antony Blinken on Tuesday urged officials.\n';
const b64 = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64');
const PNG_HEADER = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x01, 0x00]);

describe('text normalization at import', () => {
  it('removes the BOM, turns CRLF and lone CR into LF, and composes to NFC', () => {
    const decomposed = 'Cafe\u0301 Zu\u0308rich'; // e + combining acute, u + combining diaeresis
    const raw = `\uFEFFTitle line\r\nsecond\rthird\n${decomposed}`;
    const text = normalizeText(raw);
    expect(text).toBe('Title line\nsecond\nthird\nCafé Zürich');
    expect(text).not.toMatch(/[\r\uFEFF]/);
    expect(text.endsWith('Caf\u00e9 Z\u00fcrich')).toBe(true);
  });

  it('decodes UTF-8 with a BOM and UTF-16 (either order) to the same document', () => {
    const plain = decodeArticle('a.txt', Buffer.from(ARTICLE, 'utf8'));
    const bom = decodeArticle('b.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ARTICLE.replace(/\n/g, '\r\n'), 'utf8')]));
    const utf16le = decodeArticle('c.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ARTICLE, 'utf16le')]));
    const be = Buffer.from(ARTICLE, 'utf16le').swap16();
    const utf16be = decodeArticle('d.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    expect(plain.ok && plain.text).toBe(ARTICLE);
    for (const d of [bom, utf16le, utf16be]) {
      expect(d).toEqual(plain);
    }
  });

  it('takes the title from the first non-empty line', () => {
    expect(titleFromText('\n\n   \n  Headline here  \nbody')).toBe('Headline here');
    const decoded = decodeArticle('x.txt', Buffer.from('\r\n\r\n  First real line\r\nrest'));
    expect(decoded.ok && decoded.title).toBe('First real line');
    expect(titleFromText('x'.repeat(500)).length).toBeLessThanOrEqual(200);
  });

  it('derives the document id from the normalized text', () => {
    const d = decodeArticle('a.txt', Buffer.from(`\uFEFF${ARTICLE.replace(/\n/g, '\r')}`));
    expect(d.ok && d.docId).toBe(documentIdOf(ARTICLE));
    expect(documentIdOf(ARTICLE)).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('importing files', () => {
  it('imports the same article once, whatever its line ends, BOM or Unicode form', async () => {
    const ws = await openWorkspace(temps);
    try {
      const nfd = ARTICLE.normalize('NFD').replace('Blinken', 'Blinkén').normalize('NFD');
      const nfc = nfd.normalize('NFC');
      const report = await ws.handlers.importFiles({
        files: [
          { name: 'lf.txt', data: b64(ARTICLE) },
          { name: 'crlf.txt', data: b64(ARTICLE.replace(/\n/g, '\r\n')) },
          { name: 'bom.txt', data: b64(`\uFEFF${ARTICLE}`) },
          { name: 'cr.txt', data: b64(ARTICLE.replace(/\n/g, '\r')) },
          { name: 'nfd.txt', data: b64(nfd) },
          { name: 'nfc.txt', data: b64(nfc) },
        ],
      });
      expect(report.imported.map((i) => i.fileName)).toEqual(['lf.txt', 'nfd.txt']);
      expect(report.duplicates.map((i) => i.fileName)).toEqual(['crlf.txt', 'bom.txt', 'cr.txt', 'nfc.txt']);
      expect(report.duplicates[0]).toMatchObject({ docId: report.imported[0]!.docId, title: 'Blinken urges Israel to “capitalize” on Sinwar’s death' });
      expect(report.failed).toEqual([]);

      const docs = await ws.handlers.listDocuments({});
      expect(docs).toHaveLength(2);
      const stored = await ws.handlers.getDocument({ docId: report.imported[1]!.docId });
      expect(stored.text).toBe(nfc);
      expect(stored.text).toContain('Blink\u00e9n');
      expect(readdirSync(path.join(ws.projectDir, 'documents'))).toHaveLength(2);

      // Importing again later: all duplicates, nothing new on disk.
      const again = await ws.handlers.importFiles({ files: [{ name: 'later.txt', data: b64(`\uFEFF${ARTICLE.replace(/\n/g, '\r\n')}`) }] });
      expect(again).toEqual({ imported: [], duplicates: [expect.objectContaining({ fileName: 'later.txt' })], nearDuplicates: [], failed: [] });
      expect(readdirSync(path.join(ws.projectDir, 'documents'))).toHaveLength(2);
    } finally {
      await ws.close();
    }
  });

  it('rejects binary, empty, whitespace-only, broken and unsupported files by name, and imports the rest of the batch', async () => {
    const ws = await openWorkspace(temps);
    try {
      const report = await ws.handlers.importFiles({
        files: [
          { name: 'before.txt', data: b64('An article before the bad ones\nbody') },
          { name: 'picture.txt', data: b64(PNG_HEADER) },
          { name: 'empty.txt', data: '' },
          { name: 'blank.txt', data: b64(' \n\t\r\n  \u00a0\n') },
          { name: 'report.docx', data: b64('PK\u0003\u0004 word document') },
          { name: 'notes.rtf', data: b64('{\\rtf1 RTF is not imported}') },
          { name: 'after.txt', data: b64('An article after the bad ones\nbody') },
        ],
      });
      expect(report.imported.map((i) => i.fileName)).toEqual(['before.txt', 'after.txt']);
      expect(report.failed.map((f) => f.fileName)).toEqual(['picture.txt', 'empty.txt', 'blank.txt', 'report.docx', 'notes.rtf']);
      for (const f of report.failed) expect(f.reason).toContain(f.fileName);
      const reason = (name: string) => report.failed.find((f) => f.fileName === name)!.reason;
      expect(reason('picture.txt')).toMatch(/binary/);
      expect(reason('empty.txt')).toMatch(/empty/);
      expect(reason('blank.txt')).toMatch(/empty/);
      expect(reason('report.docx')).toMatch(/^report\.docx: ./);
      expect(reason('notes.rtf')).toMatch(/\.rtf.*\.txt/);
      expect((await ws.handlers.listDocuments({})).map((d) => d.title).sort()).toEqual([
        'An article after the bad ones',
        'An article before the bad ones',
      ]);
      expect(readdirSync(path.join(ws.projectDir, 'documents'))).toHaveLength(2);
    } finally {
      await ws.close();
    }
  });

  it('rejects a file over 20 MB, from the API and from disk, and still imports the rest of the batch', async () => {
    // Straight to the handler: the size check in the services, not only the contract's.
    const ws = await openWorkspace(temps);
    try {
      const big = Buffer.alloc(MAX_IMPORT_BYTES + 1, 0x61);
      const report = await ws.handlers.importFiles({
        files: [
          { name: 'huge.txt', data: big.toString('base64') },
          { name: 'small.txt', data: b64('Small article\nbody') },
        ],
      });
      expect(report.imported.map((i) => i.fileName)).toEqual(['small.txt']);
      expect(report.failed).toEqual([{ fileName: 'huge.txt', reason: expect.stringMatching(/^huge\.txt: larger than 20 MB/) }]);
    } finally {
      await ws.close();
    }

    // From disk (the CLI and the desktop's drag and drop): the size is checked before reading.
    const dir = temps.make();
    const huge = path.join(dir, 'huge.txt');
    const fd = openSync(huge, 'w');
    ftruncateSync(fd, MAX_IMPORT_BYTES + 1); // sparse: fast, takes no disk
    closeSync(fd);
    const store = await ProjectStore.open(path.join(dir, 'project'));
    try {
      const [sample] = samplePaths();
      const report = await importPaths(store, [huge, sample!]);
      expect(report.failed).toEqual([{ fileName: 'huge.txt', reason: expect.stringContaining(`${huge}: larger than 20 MB`) }]);
      expect(report.imported.map((i) => i.fileName)).toEqual([path.basename(sample!)]);
      expect(store.listDocuments()).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('imports the four sample articles from disk with titles, walks folders, and reports missing files by name', async () => {
    const dir = temps.make();
    const folder = path.join(dir, 'a folder');
    mkdirSync(folder);
    const store = await ProjectStore.open(path.join(dir, 'project'));
    try {
      const report = await importPaths(store, [...samplePaths(), folder, path.join(dir, 'missing.txt')]);
      expect(report.imported).toHaveLength(4);
      for (const item of report.imported) {
        const text = normalizeText(readFileSync(samplePaths().find((p) => path.basename(p) === item.fileName)!, 'utf8'));
        // The extracted headline when the copy has one, else the first line.
        expect(item.title).toBe((await store.getDocument(item.docId)).meta?.title ?? titleFromText(text));
        expect(item.title.length).toBeGreaterThan(0);
        expect((await store.getDocument(item.docId)).text).toBe(text);
      }
      // An empty folder holds nothing to import; a missing file is named.
      expect(report.failed.map((f) => f.fileName)).toEqual(['missing.txt']);
      expect(report.failed[0]!.reason).toContain('missing.txt');
      expect(summarizeReport(report)).toBe('Imported 4 articles (1 near-duplicate of another article); 1 failed.');
    } finally {
      await store.close();
    }
  });

  it('does not mistake a text file with a stray control character for binary, nor a file with many for text', () => {
    const long = `${'A real article line.\n'.repeat(200)}\u0007`;
    expect(decodeArticle('bell.txt', Buffer.from(long)).ok).toBe(true);
    const noisy = decodeArticle('noisy.txt', Buffer.from('ab\u0001\u0002\u0003cd'));
    expect(noisy).toEqual({ ok: false, reason: expect.stringMatching(/binary/) });
  });
});
