import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { importAnnotations } from '../../electron/services/datasets/annotationImport';
import { dispatch } from '../../electron/services/dispatch';
import { updateSchema } from '../../electron/services/editing/schemaMigration';
import { LIMITS } from '../../electron/services/intake/extract';
import { ProjectStore } from '../../electron/services/store/projectStore';
import type { Workspace } from '../../electron/services/workspace';
import type { AnnotationImportReport, ImportReport } from '../../shared/api';
import { zipOf } from '../fuzz/bytes';
import { checkMessage } from '../fuzz/messages';
import { snapshotProject } from '../fuzz/projectSnapshot';
import { recordSecurityRows } from '../securityReport';
import { openWorkspace, REPO_ROOT, samplePaths, TempDirs } from './helpers';

/**
 * Issue 12, item 4: the inputs that once took the server down or hung it, as fixed cases, each
 * made here (nothing big is committed) and sent the way a user sends it: an upload through the
 * API (read on a reader thread under its time and memory limits), a folder import from disk, an
 * annotation import. Each must be refused or imported by its file's name, leave the project as it
 * was when refused, and the API must answer the next call. extractPool.test.ts already shows the
 * time and memory limits stopping a page of 90,000 tags and a Markdown list 1,000 deep (and the
 * API answering meanwhile); extractBadInput.test.ts shows the readers' own reasons for bombs.
 */

const temps = new TempDirs();
afterEach(() => temps.cleanup());

/** Hostile cases tried and handled, for the security summary's fuzz rows. */
const cases = { tried: 0, handled: 0 };
afterAll(() => recordSecurityRows('fuzz-hostile', [{ check: 'fuzz: named hostile inputs', passed: cases.handled, total: cases.tried, failures: cases.tried - cases.handled, detail: 'zip bomb, truncated zips, PDFs that are not PDFs, 40,000 inline tags, lists 3,000 deep, 50 MB lines, JSON a million deep' }]));

const fixture = (name: string) => readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', name));
const b64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');

/** A Word file beside `size` bytes of zeros, deflated to almost nothing. */
const zipBomb = (size: number) =>
  zipOf([
    { name: 'word/document.xml', data: Buffer.from('<w:document/>'), deflate: true },
    { name: 'word/media/zeros.bin', data: Buffer.alloc(size), deflate: true },
  ]);

/** Runs `body` on a workspace over a new temporary project (its folder is `dir`), closed afterwards. */
async function inProject(body: (ws: Workspace, dir: string) => Promise<void>): Promise<void> {
  const dir = path.join(temps.make(), 'project');
  const ws = await openWorkspace(temps, dir);
  try {
    await body(ws, dir);
  } finally {
    await ws.close();
  }
}

/** The API answers: the session and the document list come back. */
async function expectAnswering(ws: Workspace): Promise<void> {
  expect((await dispatch(ws.handlers, 'getSession', {})).ok).toBe(true);
  expect((await dispatch(ws.handlers, 'listDocuments', {})).ok).toBe(true);
}

async function uploaded(ws: Workspace, name: string, bytes: Uint8Array): Promise<ImportReport> {
  const answer = await dispatch(ws.handlers, 'importFiles', { files: [{ name, data: b64(bytes) }] });
  if (!answer.ok) throw new Error(`the upload of ${name} failed: ${answer.error.message}`);
  return answer.value as ImportReport;
}

describe('hostile article files, uploaded through the API', () => {
  it('a zip bomb, a truncated Word file and PDFs that are not PDFs are refused by name; the project is unchanged and the API answers', async () => {
    await inProject(async (ws, dir) => {
      const docx = fixture('article.docx');
      const pdf = fixture('article.pdf');
      const bomb = zipBomb(LIMITS.zipUncompressedBytes + 1024 * 1024);
      expect(bomb.length).toBeLessThan(LIMITS.bytes);
      const hostile: [string, Uint8Array, RegExp][] = [
        ['bomb.docx', bomb, /^bomb\.docx: looks like a zip bomb/],
        ['cut.docx', docx.subarray(0, docx.length >> 1), /^cut\.docx: is not a Word document or it is damaged \(/],
        ['letter.pdf', Buffer.from('Dear editor, this is a letter saved with the wrong name.'), /^letter\.pdf: is not a PDF \(it looks like plain text\)$/],
        ['junk.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(5000, 0x41), Buffer.from('\n%%EOF\n')]), /^junk\.pdf: is damaged or not a PDF/],
        ['cut.pdf', pdf.subarray(0, pdf.length >> 1), /^cut\.pdf: is damaged or not a PDF/],
      ];
      for (const [name, bytes, reason] of hostile) {
        cases.tried++;
        const before = snapshotProject(dir);
        const report = await uploaded(ws, name, bytes);
        expect(report.imported).toEqual([]);
        expect(report.failed).toHaveLength(1);
        expect(report.failed[0]!.fileName).toBe(name);
        expect(report.failed[0]!.reason).toMatch(reason);
        checkMessage(report.failed[0]!.reason, name, name);
        expect(snapshotProject(dir)).toEqual(before);
        await expectAnswering(ws);
        cases.handled++;
      }
    });
  }, 180_000);

  it('tens of thousands of inline tags in one page, and a Markdown list nested thousands deep, are read or refused by name while the API answers', async () => {
    await inProject(async (ws) => {
      const page = `<!doctype html><html><head><title>Tags</title></head><body><article><p>${'<b>word</b> <i>more</i> '.repeat(20_000)}</p></article></body></html>`;
      const list = Array.from({ length: 3000 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n');
      for (const [name, content] of [['tags.html', page], ['nested.md', list]] as const) {
        cases.tried++;
        const pending = uploaded(ws, name, Buffer.from(content));
        await expectAnswering(ws); // while the file is read on its reader thread
        const report = await pending;
        const listed = [...report.imported, ...report.failed];
        expect(listed.map((f) => f.fileName)).toEqual([name]);
        for (const f of report.failed) checkMessage(f.reason, name, name);
        await expectAnswering(ws);
        cases.handled++;
      }
    });
  }, 180_000);

  it('a 50 MB line, in a text or Markdown file imported from disk, is refused by name for its size before it is read', async () => {
    await inProject(async (ws, dir) => {
      const folder = temps.make();
      const line = Buffer.alloc(50 * 1024 * 1024, 'Blinken said the deal is close. ');
      for (const name of ['line.txt', 'line.md']) writeFileSync(path.join(folder, name), line);
      cases.tried += 2;
      const before = snapshotProject(dir);
      const report = await ws.importPaths([folder]); // what the window's Import folder… runs
      expect(report.failed).toEqual([
        { fileName: 'line.md', reason: `${path.join(folder, 'line.md')}: larger than 20 MB (50.0 MB)` },
        { fileName: 'line.txt', reason: `${path.join(folder, 'line.txt')}: larger than 20 MB (50.0 MB)` },
      ]);
      expect(snapshotProject(dir)).toEqual(before);
      await expectAnswering(ws);
      cases.handled += 2;
    });
  }, 180_000);
});

describe('hostile annotation files', () => {
  const deep = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;
  const deepObject = `${'{"a":'.repeat(1_000_000)}1${'}'.repeat(1_000_000)}`;

  it('JSON nested a million deep, in every JSON format, is refused by file and line; the project is unchanged and the API answers', async () => {
    await inProject(async (ws, dir) => {
      const deepFiles = [
        ['jsonl', 'deep.jsonl', `${deep}\n${deepObject}`],
        ['doccano', 'deep.jsonl', `${deepObject}\n${deep}`],
        ['w3c', 'deep.json', deep],
        ['label-studio', 'deep.json', deepObject],
      ] as const;
      for (const [format, name, content] of deepFiles) {
        cases.tried++;
        const before = snapshotProject(dir);
        const answer = await dispatch(ws.handlers, 'importAnnotations', { format, files: [{ name, data: b64(content) }], addToSchema: true, dryRun: false });
        if (!answer.ok) throw new Error(`${format}: ${answer.error.message}`);
        const [file] = (answer.value as AnnotationImportReport).files;
        expect(file!.name).toBe(name);
        expect(file!.imported, format).toBe(0);
        expect(file!.rejected.length, format).toBeGreaterThan(0);
        for (const r of file!.rejected) checkMessage(r.reason, `${format} ${name}`);
        expect(snapshotProject(dir)).toEqual(before);
        await expectAnswering(ws);
        cases.handled++;
      }
    });
  }, 180_000);

  it('a 50 MB line in a jsonl file (as the command line reads it, without the upload limit) is refused by file and line, before anything is written', async () => {
    const dir = path.join(temps.make(), 'project');
    const store = await ProjectStore.open(dir);
    try {
      const article = readFileSync(samplePaths()[0]!, 'utf8');
      const text = article.repeat(Math.ceil((50 * 1024 * 1024) / article.length) + 1);
      // A label the schema lacks: its addition must not be written for a document that is refused.
      const line = JSON.stringify({ text, annotations: [{ label: 'verdict', start: 0, end: 20 }] });
      expect(line.length).toBeGreaterThan(50 * 1024 * 1024);
      cases.tried++;
      const before = snapshotProject(dir);
      const report = await importAnnotations(store, {
        format: 'jsonl',
        files: [{ name: 'huge.jsonl', content: line }],
        addToSchema: true,
        applySchema: async (schema) => {
          await updateSchema(store, { schema, renameLabels: [], renameAttributes: [] });
        },
      });
      expect(report.files).toEqual([expect.objectContaining({ name: 'huge.jsonl', imported: 0, rejected: [{ line: 1, reason: expect.stringMatching(/^a document larger than 20 MB \(5\d\.\d million characters; 1 annotation\(s\) not imported\)$/) }] })]);
      expect(report.schemaAdditions).toEqual({ labels: [], attributes: [], relationTypes: [] });
      expect(snapshotProject(dir)).toEqual(before);
      cases.handled++;
    } finally {
      await store.close();
    }
  }, 180_000);
});
