import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type DocumentSource, writeExport } from '../../electron/services/datasets/datasetExport';
import { FolderWriter } from '../../electron/services/datasets/folderWriter';
import type { ExportDocument } from '../../shared/formats/dataset';
import { createBratExporter } from '../../shared/formats/brat';
import { listFilesRecursive, SAMPLES_DIR, TempDirs } from './helpers';
import { RICH_SCHEMA } from './exportFixtures';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

// Real news text: non-breaking spaces and curly quotes as the page had them.
const TEXT = readFileSync(path.join(SAMPLES_DIR, '001_679d1c303f080e9a.txt'), 'utf8');

function story(i: number): ExportDocument {
  const id = (0x1000 + i).toString(16).padStart(16, '0');
  const first = TEXT.match(/\p{L}{5,}/u)!;
  const span = { start: first.index!, end: first.index! + first[0].length };
  return {
    id,
    title: `Story ${i}`,
    text: TEXT,
    annotations: ['alice', 'bob'].map((annotator) => ({
      id: `${annotator}-${i}`,
      docId: id,
      annotator,
      label: 'claim',
      ...span,
      quote: { exact: first[0], prefix: '', suffix: '' },
      attributes: {},
      createdAt: '2024-06-01T00:00:00.000Z',
      updatedAt: '2024-06-01T00:00:00.000Z',
    })),
    relations: [],
    status: { alice: 'done', bob: 'in-progress' },
  };
}

const sourceOf = (docs: ExportDocument[]): DocumentSource => ({ ids: async () => docs.map((d) => d.id), read: async (id) => docs.find((d) => d.id === id)! });

describe('a folder export of many documents', () => {
  it('writes every file of every document, with its content, many at a time', async () => {
    const docs = Array.from({ length: 150 }, (_, i) => story(i));
    const target = path.join(temps.make(), 'brat');
    const result = await writeExport({ exporter: createBratExporter(), source: sourceOf(docs), target, schema: RICH_SCHEMA });
    expect(result.documents).toBe(150);
    // Two annotators: a .txt and an .ann per document in each one's folder, and annotation.conf.
    expect(readdirSync(path.join(target, 'alice'))).toHaveLength(300);
    expect(readdirSync(path.join(target, 'bob'))).toHaveLength(300);
    expect(readFileSync(path.join(target, 'bob', `${docs[149]!.id}.txt`), 'utf8')).toBe(TEXT);
    expect(readFileSync(path.join(target, 'alice', `${docs[0]!.id}.ann`), 'utf8')).toMatch(/^T1\tclaim \d+ \d+\t/);
    expect(listFilesRecursive(path.dirname(target)).filter((f) => !f.startsWith('brat'))).toEqual([]);
  });

  it('a file that cannot be written fails the export and leaves no folder behind', async () => {
    const dir = temps.make();
    const docs = Array.from({ length: 60 }, (_, i) => story(i));
    // Two documents claiming one file name: the second write is refused.
    docs[40] = { ...docs[40]!, id: docs[7]!.id };
    const target = path.join(dir, 'brat');
    await expect(writeExport({ exporter: createBratExporter(), source: sourceOf(docs), target, schema: RICH_SCHEMA })).rejects.toThrow(/already exists|EEXIST/);
    expect(listFilesRecursive(dir)).toEqual([]);
  });

  it('raises a failed write at the next write or at the end, after every write has settled', async () => {
    const dir = temps.make();
    const writer = new FolderWriter();
    await writer.write(path.join(dir, 'a.txt'), TEXT);
    await writer.write(path.join(dir, 'no-such-folder', 'b.txt'), TEXT);
    await expect(writer.finish(dir)).rejects.toThrow(/no-such-folder/);
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe(TEXT);
  });
});
