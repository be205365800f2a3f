import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { documentToJsonl } from '../../shared/formats/jsonl';
import type { Annotation } from '../../shared/model';
import { layerOnDisk, openWorkspace, runMargin, samplePaths, spanOf, TempDirs } from './helpers';

/**
 * A record with something the project cannot take costs that record alone (or only the part it
 * cannot take), never the records around it, and the report says which, with file and line.
 */

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const STAMP = '2024-10-22T09:00:00.000Z';

const cnnText = () => readFileSync(samplePaths().find((p) => readFileSync(p, 'utf8').includes('Sinwar'))!, 'utf8');

/** A colleague's Margin jsonl line for `text`, written by the real exporter. */
function jsonlLine(docId: string, text: string, spans: { label: string; start: number; end: number; attributes?: Annotation['attributes']; id?: string }[]): string {
  return documentToJsonl({
    id: docId,
    title: 'Colleague copy',
    text,
    annotations: spans.map((s, i) => ({
      id: s.id ?? `rec-${i + 1}`,
      docId,
      annotator: 'carol',
      label: s.label,
      start: s.start,
      end: s.end,
      quote: { exact: text.slice(s.start, s.end), prefix: '', suffix: '' },
      attributes: s.attributes ?? {},
      createdAt: STAMP,
      updatedAt: STAMP,
    })),
    relations: [],
  });
}

describe('an attribute the label lacks ("Import without them")', () => {
  it('imports the annotation without that attribute and says so, with file and line', async () => {
    const ws = await openWorkspace(temps);
    const text = cnnText();
    const docId = (await ws.handlers.importText({ text })).imported[0]!.docId;
    const { text: stored } = await ws.handlers.getDocument({ docId });
    const content = jsonlLine(docId, stored, [
      { label: 'source', ...spanOf(stored, 'Antony Blinken') },
      // quote has speaker and kind; "tone" is the colleague's own.
      { label: 'quote', ...spanOf(stored, '“capitalize”'), attributes: { speaker: 'Antony Blinken', kind: 'partial', tone: 'urgent' } },
    ]);
    const files = [{ name: 'carol.jsonl', data: b64(`${content}\n`) }];

    const dry = await ws.handlers.importAnnotations({ format: 'jsonl', files, addToSchema: false, dryRun: true });
    expect(dry.schemaAdditions.attributes).toEqual([{ label: 'quote', name: 'tone' }]);
    expect(dry.files[0]).toMatchObject({ imported: 2, rejected: [] });

    // The choice the dialog offers: "Import without them".
    const report = await ws.handlers.importAnnotations({ format: 'jsonl', files, addToSchema: false, dryRun: false });
    expect(report.files[0]).toMatchObject({ imported: 2, rejected: [] });
    expect(report.files[0]!.notes).toEqual([{ line: 1, reason: 'the record rec-2: imported without attribute "tone" (quote has no attribute "tone" in the tag schema)' }]);
    const quote = layerOnDisk(ws.projectDir, 'carol', docId).annotations.find((a) => a.label === 'quote')!;
    expect(quote.attributes).toEqual({ speaker: 'Antony Blinken', kind: 'partial' });
    const { schema } = await ws.handlers.getSession({});
    expect(schema.labels.find((l) => l.name === 'quote')!.attributes.map((a) => a.name)).toEqual(['speaker', 'kind']);
    await ws.close();
  });
});

describe('a label name the tag schema cannot take', () => {
  it('a label or attribute spelled differently only in case is the schema\'s, said in a note; never the end of the import (schema additions on)', async () => {
    const ws = await openWorkspace(temps);
    const text = cnnText();
    const docId = (await ws.handlers.importText({ text })).imported[0]!.docId;
    const { text: stored } = await ws.handlers.getDocument({ docId });
    const content = jsonlLine(docId, stored, [
      { label: 'Quote', ...spanOf(stored, '“capitalize”') },
      { label: 'quote', ...spanOf(stored, '“capitalize” on'), attributes: { Speaker: 'Blinken', speaker: 'Antony Blinken', mood: 'firm' } },
      { label: 'person', ...spanOf(stored, 'Antony Blinken'), attributes: { role: 'Secretary of State', Role: 'diplomat' } },
      { label: 'Person', ...spanOf(stored, 'Yahya Sinwar') },
    ]);
    const report = await ws.handlers.importAnnotations({ format: 'jsonl', files: [{ name: 'carol.jsonl', data: b64(content) }], addToSchema: true, dryRun: false });
    const f = report.files[0]!;
    expect(f.imported).toBe(4);
    expect(f.rejected).toEqual([]);
    expect(f.notes).toEqual([
      { line: 1, reason: 'the record rec-1: labelled "quote" (the file says "Quote"; the names differ only in case or spaces)' },
      { line: 1, reason: 'the record rec-2: imported without attribute "Speaker" (quote has an attribute "speaker"; the names differ only in case or spaces)' },
      { line: 1, reason: 'the record rec-3: imported without attribute "Role" (person has an attribute "role"; the names differ only in case or spaces)' },
      { line: 1, reason: 'the record rec-4: labelled "person" (the file says "Person"; the names differ only in case or spaces)' },
    ]);
    const { schema } = await ws.handlers.getSession({});
    expect(schema.labels.map((l) => l.name)).toEqual(['claim', 'quote', 'event', 'source', 'person']);
    expect(schema.labels.find((l) => l.name === 'quote')!.attributes.map((a) => a.name)).toEqual(['speaker', 'kind', 'mood']);
    expect(layerOnDisk(ws.projectDir, 'carol', docId).annotations.map((a) => a.label).sort()).toEqual(['person', 'person', 'quote', 'quote']);
    await ws.close();
  });

  it('rejects that record with its file and line and imports the 31 others (margin import-annotations)', async () => {
    const root = temps.make();
    const projectDir = path.join(root, 'project');
    const userData = temps.make('margin-cli-ud-');
    const imported = await runMargin(['import', '--project', projectDir, ...samplePaths()], userData);
    expect(imported.code, imported.stderr).toBe(0);

    // The colleague's file: 8 records per article, in text order; the 20th is labelled "a/b".
    const ws = await openWorkspace(temps, projectDir);
    const docs = await ws.handlers.listDocuments({});
    const lines: string[] = [];
    const texts = new Map<string, string>();
    let n = 0;
    for (const d of docs) {
      const { text } = await ws.handlers.getDocument({ docId: d.id });
      texts.set(d.id, text);
      const names = [...text.matchAll(/\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)+/gu)].slice(0, 8);
      expect(names).toHaveLength(8);
      lines.push(
        jsonlLine(
          d.id,
          text,
          names.map((m) => {
            n++;
            return { label: n === 20 ? 'a/b' : ['claim', 'quote', 'event', 'source'][n % 4]!, start: m.index, end: m.index + m[0].length, id: `rec-${n}` };
          }),
        ),
      );
    }
    await ws.close();
    const file = path.join(root, 'carol.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);

    const run = await runMargin(['import-annotations', '--project', projectDir, '--format', 'jsonl', file], userData);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('carol.jsonl: 4 documents, 31 imported, 0 already present, 0 orphaned, 1 rejected');
    expect(run.stderr).toContain('rejected  carol.jsonl:3: the record rec-20: "a/b" cannot be a label name (a label name is letters, digits, spaces, - and _)');
    expect(run.stderr).not.toMatch(/schema: added labels/);

    const layers = [...texts.keys()].map((id) => layerOnDisk(projectDir, 'carol', id));
    expect(layers.reduce((sum, l) => sum + l.annotations.length, 0)).toBe(31);
    expect(layers.flatMap((l) => l.annotations.map((a) => a.label))).not.toContain('a/b');
    const project = JSON.parse(readFileSync(path.join(projectDir, 'margin.json'), 'utf8')) as { schema: { labels: { name: string }[] } };
    expect(project.schema.labels.map((l) => l.name)).toEqual(['claim', 'quote', 'event', 'source']);
  }, 120_000);
});
