import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../electron/services/workspace';
import { documentToJsonl } from '../../shared/formats/jsonl';
import { parseJsonl } from '../../shared/formats/jsonlImport';
import { LayerFile } from '../../shared/model';
import { schemaProblems } from '../../shared/schemaRules';
import { snapshot } from './exportFixtures';
import { listFilesRecursive, openWorkspace, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const ORIGINAL = [
  'Blinken 👍🏽 urged Israel and Hamas not to derail the talks.',
  'Officials in Paris were less certain about the outcome of the negotiations.',
  '"We will see," one diplomat said on Tuesday evening in Doha.',
].join('\n\n');

/** The same article as the colleague had it: an editor's note on top, one sentence reworded, one cut. */
const EDITED = [
  'Editor\'s note: this story was updated.',
  'Blinken 👍🏽 urged Israel and Hamas not to derail the talks.',
  'Officials in Paris were much less certain about the outcome of the negotiations.',
].join('\n\n');

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const file = (name: string, content: string) => ({ name, data: b64(content) });

function span(text: string, phrase: string) {
  const start = text.indexOf(phrase);
  if (start < 0) throw new Error(`no ${phrase}`);
  return { start, end: start + phrase.length };
}

/** A Margin jsonl line for `text` (offsets converted to code points by the real exporter). */
function jsonlLine(id: string, text: string, spans: { id?: string; label: string; phrase: string; attributes?: Record<string, unknown>; annotator?: string }[], relations: { type: string; from: string; to: string }[] = []) {
  return documentToJsonl({
    id,
    title: 'Colleague copy',
    text,
    annotations: spans.map((s, i) => ({
      id: s.id ?? `x${i}`,
      docId: id,
      annotator: s.annotator ?? 'carol',
      label: s.label,
      ...span(text, s.phrase),
      quote: { exact: s.phrase, prefix: '', suffix: '' },
      attributes: (s.attributes ?? {}) as never,
      createdAt: '2024-01-01T00:00:00.000Z',
      updatedAt: '2024-01-01T00:00:00.000Z',
    })),
    relations: relations.map((r, i) => ({ id: `r${i}`, annotator: 'carol', ...r })),
  });
}

async function projectWithArticle(): Promise<{ ws: Workspace; docId: string }> {
  const ws = await openWorkspace(temps);
  const report = await ws.handlers.importText({ text: ORIGINAL, title: 'Original' });
  return { ws, docId: report.imported[0]!.docId };
}

function layerOf(ws: Workspace, annotator: string, docId: string): LayerFile {
  return LayerFile.parse(JSON.parse(readFileSync(path.join(ws.projectDir, 'annotations', annotator, `${docId}.json`), 'utf8')));
}

describe('importAnnotations', () => {
  it('re-anchors moved and edited spans by their quote, keeps what cannot be placed as orphans, and reports both', async () => {
    const { ws, docId } = await projectWithArticle();
    // The colleague's file names our document by id but carries the older text: offsets no longer match.
    const content = jsonlLine(docId, ORIGINAL, [
      { label: 'claim', phrase: 'Blinken 👍🏽 urged Israel and Hamas' },
      { label: 'claim', phrase: 'Officials in Paris were less certain' },
      { label: 'quote', phrase: '"We will see," one diplomat said' },
    ]);
    const report = await ws.handlers.importAnnotations({ format: 'jsonl', files: [file('carol.jsonl', content)], addToSchema: false, dryRun: false });
    // Same text in the project: offsets taken as they are.
    expect(report.files[0]).toMatchObject({ documents: 1, imported: 3, reanchored: 0, orphaned: 0, rejected: [] });

    // A project that has the edited article: the same annotations must be found again by their quotes.
    const ws2 = await openWorkspace(temps);
    const edited = (await ws2.handlers.importText({ text: EDITED, title: 'Edited' })).imported[0]!.docId;
    const report2 = await ws2.handlers.importAnnotations({
      format: 'jsonl',
      files: [file('carol.jsonl', jsonlLine(edited, ORIGINAL, [
        { label: 'claim', phrase: 'Blinken 👍🏽 urged Israel and Hamas' },
        { label: 'claim', phrase: 'Officials in Paris were less certain' },
        { label: 'quote', phrase: '"We will see," one diplomat said' },
      ]))],
      addToSchema: false,
      dryRun: false,
    });
    expect(report2.files[0]).toMatchObject({ name: 'carol.jsonl', documents: 1, imported: 2, reanchored: 2, orphaned: 1, rejected: [] });
    expect(report2.annotator).toBe('carol');
    const layer = layerOf(ws2, 'carol', edited);
    const texts = layer.annotations.map((a) => EDITED.slice(a.start, a.end));
    expect(texts[0]).toBe('Blinken 👍🏽 urged Israel and Hamas');
    expect(texts[1]).toMatch(/^Officials in Paris were (much )?less certain/);
    expect(layer.orphans).toHaveLength(1);
    expect(layer.orphans![0]).toMatchObject({ label: 'quote', quote: { exact: '"We will see," one diplomat said' }, source: 'carol.jsonl:1' });
    expect(layer.orphans![0]!.reason).toMatch(/not found/);
    await ws.close();
    await ws2.close();
  });

  it('finds the document by its text when the id is unknown, and creates it when the project lacks it', async () => {
    const { ws, docId } = await projectWithArticle();
    const content = [
      jsonlLine('0000000000000000', ORIGINAL, [{ label: 'claim', phrase: 'Officials in Paris' }]),
      jsonlLine('1111111111111111', 'A brand new article about 🇫🇷 talks.', [{ label: 'event', phrase: 'talks' }]),
    ].join('\n');
    const report = await ws.handlers.importAnnotations({ format: 'jsonl', files: [file('x.jsonl', content)], annotator: 'dave', addToSchema: false, dryRun: false });
    expect(report.files[0]).toMatchObject({ documents: 2, imported: 2, rejected: [] });
    expect(report.createdDocuments).toHaveLength(1);
    expect(report.createdDocuments[0]!.title).toBe('Colleague copy');
    expect(layerOf(ws, 'dave', docId).annotations).toHaveLength(1);
    const created = report.createdDocuments[0]!.docId;
    expect((await ws.handlers.getDocument({ docId: created })).text).toBe('A brand new article about 🇫🇷 talks.');
    expect(layerOf(ws, 'dave', created).annotations[0]!.label).toBe('event');
    await ws.close();
  });

  it('reports schema additions on a dry run (writing nothing) and adds them with addToSchema', async () => {
    const { ws, docId } = await projectWithArticle();
    const content = jsonlLine(
      docId,
      ORIGINAL,
      [
        { id: 'p1', label: 'person', phrase: 'Blinken', attributes: { age: 42, ok: true, tags: ['x', 'y'], name: 'Antony' } },
        { id: 'p2', label: 'person', phrase: 'one diplomat', attributes: { age: 7, ok: false, tags: ['z'], name: 'anon' } },
        { id: 'c1', label: 'claim', phrase: 'Officials in Paris were less certain', attributes: { confidence: 0.5 } },
      ],
      [{ type: 'knows', from: 'p1', to: 'p2' }],
    );
    const files = [file('carol.jsonl', content)];
    const before = snapshot(ws.projectDir);
    const dry = await ws.handlers.importAnnotations({ format: 'jsonl', files, addToSchema: false, dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.schemaAdditions).toEqual({
      labels: ['person'],
      attributes: [
        { label: 'person', name: 'age' },
        { label: 'person', name: 'ok' },
        { label: 'person', name: 'tags' },
        { label: 'person', name: 'name' },
        { label: 'claim', name: 'confidence' },
      ],
      relationTypes: ['knows'],
    });
    // Without the additions the records of a missing label are rejected, with why; a record of a
    // known label is imported without the attribute its label lacks, and the report says so.
    expect(dry.files[0]!.imported).toBe(1);
    expect(dry.files[0]!.rejected.map((r) => r.reason).join('\n')).toMatch(/label "person" is not in the tag schema/);
    expect(dry.files[0]!.notes).toEqual([{ line: 1, reason: 'the record c1: imported without attribute "confidence" (claim has no attribute "confidence" in the tag schema)' }]);
    expect(snapshot(ws.projectDir)).toEqual(before);
    // A dry run with addToSchema says what would be added and would import, still writing nothing.
    const dryAdd = await ws.handlers.importAnnotations({ format: 'jsonl', files, addToSchema: true, dryRun: true });
    expect(dryAdd.files[0]).toMatchObject({ imported: 3, rejected: [] });
    expect(snapshot(ws.projectDir)).toEqual(before);

    const real = await ws.handlers.importAnnotations({ format: 'jsonl', files, addToSchema: true, dryRun: false });
    expect(real.files[0]).toMatchObject({ imported: 3, rejected: [] });
    const { schema } = await ws.handlers.getSession({});
    expect(schemaProblems(schema)).toEqual([]);
    const person = schema.labels.find((l) => l.name === 'person')!;
    expect(person.key).toMatch(/^.$/);
    // Stable ids are the store's business (any id will do); the types are what the import decides.
    const withoutIds = (defs: typeof person.attributes) => defs.map(({ id: _id, ...def }) => def);
    expect(withoutIds(person.attributes)).toEqual([
      { name: 'age', type: 'number' },
      { name: 'ok', type: 'boolean' },
      { name: 'tags', type: 'multi', values: ['x', 'y', 'z'] },
      { name: 'name', type: 'text' },
    ]);
    expect(withoutIds(schema.labels.find((l) => l.name === 'claim')!.attributes).find((a) => a.name === 'confidence')).toEqual({ name: 'confidence', type: 'number' });
    expect(schema.relations.find((r) => r.type === 'knows')).toEqual({ type: 'knows', from: ['person'], to: ['person'] });
    const layer = layerOf(ws, 'carol', docId);
    expect(layer.annotations).toHaveLength(3);
    expect(layer.relations).toHaveLength(1);
    await ws.close();
  });

  it('rejects bad records with file, line and reason and still imports every valid one', async () => {
    const { ws, docId } = await projectWithArticle();
    const good = jsonlLine(docId, ORIGINAL, [
      { label: 'claim', phrase: 'Officials in Paris' },
      { label: 'nonsense', phrase: 'Blinken' },
    ]);
    const badOffsets = JSON.stringify({ id: docId, text: ORIGINAL, annotations: [{ id: 'z', label: 'claim', start: 5, end: 9999 }] });
    const content = [good, '{not json', badOffsets, '[1,2]'].join('\n');
    const report = await ws.handlers.importAnnotations({ format: 'jsonl', files: [file('mixed.jsonl', content)], addToSchema: false, dryRun: false });
    const f = report.files[0]!;
    expect(f.name).toBe('mixed.jsonl');
    expect(f.imported).toBe(1);
    expect(f.rejected).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 1, reason: expect.stringMatching(/label "nonsense" is not in the tag schema/) }),
        expect.objectContaining({ line: 2, reason: expect.stringMatching(/not valid JSON/) }),
        expect.objectContaining({ line: 3, reason: expect.stringMatching(/outside the text/) }),
        expect.objectContaining({ line: 4, reason: expect.stringMatching(/not a JSON object/) }),
      ]),
    );
    expect(layerOf(ws, 'carol', docId).annotations.map((a) => a.label)).toEqual(['claim']);
    await ws.close();
  });

  it('a file that fails to parse changes nothing in the project (byte for byte)', async () => {
    const { ws } = await projectWithArticle();
    const before = snapshot(ws.projectDir);
    const report = await ws.handlers.importAnnotations({
      format: 'jsonl',
      files: [file('broken.jsonl', '{"truncated": '), file('empty.jsonl', '')],
      addToSchema: true,
      dryRun: false,
    });
    expect(report.files.map((f) => f.imported)).toEqual([0, 0]);
    expect(report.files[0]!.rejected[0]).toMatchObject({ line: 1 });
    expect(report.files[1]!.rejected[0]!.reason).toMatch(/empty/);
    expect(snapshot(ws.projectDir)).toEqual(before);
    await ws.close();
  });

  it('brat: pairs each .ann with its .txt by name; an .ann alone is rejected', async () => {
    const ws = await openWorkspace(temps);
    const text = 'Blinken 👍🏽 met Netanyahu in Jerusalem.';
    const ann = 'T1\tclaim 0 7\tBlinken\nT2\tsource 10 19\tNetanyahu\nR1\tattributed-to Arg1:T1 Arg2:T2\n';
    const report = await ws.handlers.importAnnotations({
      format: 'brat',
      files: [file('eve/story.ann', ann), file('eve/story.txt', text), file('eve/lonely.ann', ann)],
      addToSchema: false,
      dryRun: false,
    });
    expect(report.annotator).toBe('eve');
    const story = report.files.find((f) => f.name === 'eve/story.ann')!;
    expect(story).toMatchObject({ documents: 1, imported: 2, rejected: [] });
    const lonely = report.files.find((f) => f.name === 'eve/lonely.ann')!;
    expect(lonely.rejected[0]!.reason).toMatch(/lonely\.txt/);
    const docId = report.createdDocuments[0]!.docId;
    const layer = layerOf(ws, 'eve', docId);
    expect(layer.annotations.map((a) => text.slice(a.start, a.end))).toEqual(['Blinken', 'Netanyahu']);
    expect(layer.relations).toHaveLength(1);
    await ws.close();
  });
});

describe('margin import-annotations / export (CLI)', () => {
  it('exports a folder format, imports it back from the folder, and exits 1 only when records are rejected', async () => {
    const { runCli } = await import('../../electron/cli');
    const { ws, docId } = await projectWithArticle();
    await ws.handlers.setAnnotator({ name: 'alice' });
    await ws.handlers.createAnnotation({ docId, label: 'claim', ...span(ORIGINAL, 'Officials in Paris') });
    const projectDir = ws.projectDir;
    await ws.close();
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    const folder = path.join(temps.make(), 'brat-out');
    expect(await runCli(['export', '--project', projectDir, '--format', 'brat', '--out', folder], io), err.join('\n')).toBe(0);
    const fresh = path.join(temps.make(), 'fresh');
    expect(await runCli(['import-annotations', '--project', fresh, '--format', 'brat', folder], io), err.join('\n')).toBe(0);
    expect(out.join('\n')).toMatch(/1 imported, 0 already present, 0 orphaned, 0 rejected/);

    const bad = path.join(temps.make(), 'bad.jsonl');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, `${jsonlLine(docId, ORIGINAL, [{ label: 'claim', phrase: 'Blinken' }])}\n{oops\n`);
    err.length = 0;
    expect(await runCli(['import-annotations', '--project', fresh, '--format', 'jsonl', bad], io)).toBe(1);
    expect(err.join('\n')).toMatch(/rejected {2}bad\.jsonl:2: not valid JSON/);
  });
});

describe('parseJsonl', () => {
  it('converts code points to UTF-16 and keeps each annotation\'s annotator', () => {
    const text = '👍🏽 Blinken said 𝒳 today';
    const line = jsonlLine('0123456789abcdef', text, [{ label: 'claim', phrase: 'Blinken said 𝒳', annotator: 'zoe' }]);
    const { documents, problems } = parseJsonl({ name: 'x.jsonl', content: `${line}\n` });
    expect(problems).toEqual([]);
    const a = documents[0]!.annotations[0]!;
    expect(text.slice(a.start, a.end)).toBe('Blinken said 𝒳');
    expect(a.annotator).toBe('zoe');
    expect(documents[0]!.title).toBe('Colleague copy');
  });
});

describe("brat's bookkeeping attributes", () => {
  it('the brat news tutorial imports through the pipeline without adding brat: attributes to the schema, and its events stay editable', async () => {
    const conformance = path.resolve(import.meta.dirname, '../../../shared/conformance/brat-news-tutorial');
    const names = ['080-event-annotation', '090-event_structures', '999-complete'];
    const ws = await openWorkspace(temps);
    try {
      await ws.handlers.setAnnotator({ name: 'reviewer' });
      const files = names.flatMap((n) => [
        file(`${n}.txt`, readFileSync(path.join(conformance, `${n}.txt`), 'utf8')),
        file(`${n}.ann`, readFileSync(path.join(conformance, `${n}.ann`), 'utf8')),
      ]);
      const dry = await ws.handlers.importAnnotations({ format: 'brat', files, annotator: 'reviewer', addToSchema: false, dryRun: true });
      expect(dry.schemaAdditions.attributes.filter((a) => a.name.startsWith('brat:'))).toEqual([]);
      const report = await ws.handlers.importAnnotations({ format: 'brat', files, annotator: 'reviewer', addToSchema: true, dryRun: false });
      expect(report.files.every((f) => f.rejected.length === 0)).toBe(true);
      const schema = (await ws.handlers.getSession({})).schema;
      expect(schema.labels.flatMap((l) => l.attributes.map((a) => a.name)).filter((n) => n.startsWith('brat:'))).toEqual([]);
      expect(schemaProblems(schema)).toEqual([]);

      const docs = await ws.handlers.listDocuments({});
      const annotations = (await Promise.all(docs.map((d) => ws.handlers.listAnnotations({ docId: d.id })))).flat();
      const event = annotations.find((a) => a.attributes['brat:event'] === true)!;
      expect(event).toBeDefined();
      // Editing an event's details keeps its brat bookkeeping, so it still exports as an E line.
      const { after } = await ws.handlers.updateAnnotation({ docId: event.docId, annotationId: event.id, changes: { attributes: { ...event.attributes }, note: 'checked' } });
      expect(after.attributes['brat:event']).toBe(true);
    } finally {
      await ws.close();
    }
  });
});

describe('documents created by an annotation import', () => {
  it('are named after the annotation file they came from', async () => {
    const ws = await openWorkspace(temps);
    try {
      const text = 'A harbour reopened on Sunday after a week of storms.';
      const line = `${JSON.stringify({ text, label: [[2, 9, 'event']] })}\n`;
      const report = await ws.handlers.importAnnotations({ format: 'doccano', files: [file('colleague.jsonl', line)], annotator: 'carol', addToSchema: false, dryRun: false });
      expect(report.createdDocuments).toHaveLength(1);
      const doc = await ws.handlers.getDocument({ docId: report.createdDocuments[0]!.docId });
      expect(doc.fileName).toBe('colleague.jsonl');
    } finally {
      await ws.close();
    }
  });
});

describe('importing the same export again', () => {
  const ARTICLES = path.resolve(import.meta.dirname, '../../../shared/articles');

  /**
   * Ana's project on the four real articles (non-breaking spaces, curly quotes): 8 annotations
   * each, 32 in all, with attributes (curly quotes and a non-breaking space in them too) and links.
   */
  async function anaProject(): Promise<string> {
    const ws = await openWorkspace(temps);
    const h = ws.handlers;
    await h.setAnnotator({ name: 'ana' });
    const names = readdirSync(ARTICLES).filter((n) => n.endsWith('.txt')).sort();
    const { imported } = await h.importFiles({ files: names.map((n) => file(n, readFileSync(path.join(ARTICLES, n), 'utf8'))) });
    expect(imported).toHaveLength(4);
    for (const { docId } of imported) {
      const { text } = await h.getDocument({ docId });
      // Sentences, trimmed: several hold curly quotes and non-breaking spaces.
      const sentences = [...text.matchAll(/[^.\n]{12,}\./g)].map((m) => ({ start: m.index + (m[0].length - m[0].trimStart().length), end: m.index + m[0].length }));
      const names = [...text.matchAll(/\p{Lu}\p{Ll}{3,}/gu)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
      const [claim, quote, event, ...rest] = await h.createAnnotations({
        docId,
        spans: [
          { label: 'claim', ...sentences[0]! },
          { label: 'quote', ...sentences[1]! },
          { label: 'event', ...sentences[2]! },
          { label: 'claim', ...sentences[3]! },
          { label: 'quote', ...sentences[4]! },
          { label: 'event', ...sentences[5]! },
          { label: 'source', ...names[0]! },
          { label: 'source', ...names[1]! },
        ],
      });
      await h.updateAnnotation({ docId, annotationId: claim!.id, changes: { attributes: { claimant: 'the “minister”', 'check-worthy': true }, note: 'see the minister’s\u00a0statement' } });
      await h.updateAnnotation({ docId, annotationId: quote!.id, changes: { attributes: { speaker: 'Blinken’s aide', kind: 'direct' } } });
      await h.updateAnnotation({ docId, annotationId: event!.id, changes: { attributes: { type: 'meeting', date: '2024-10-22', place: 'Tel\u00a0Aviv' } } });
      await h.createRelation({ docId, type: 'attributed-to', from: claim!.id, to: rest[3]!.id });
      await h.createRelation({ docId, type: 'attributed-to', from: quote!.id, to: rest[4]!.id });
    }
    const dir = ws.projectDir;
    await ws.close();
    return dir;
  }

  async function exportOf(dir: string, format: 'jsonl' | 'w3c' | 'brat'): Promise<{ name: string; content: string }[]> {
    const { runCli } = await import('../../electron/cli');
    const err: string[] = [];
    const out = path.join(temps.make(), format === 'brat' ? 'brat' : `export.${format === 'w3c' ? 'jsonld' : 'jsonl'}`);
    expect(await runCli(['export', '--project', dir, '--format', format, '--out', out], { out: () => undefined, err: (t) => err.push(t) }), err.join('\n')).toBe(0);
    if (format !== 'brat') return [{ name: path.basename(out), content: readFileSync(out, 'utf8') }];
    return listFilesRecursive(out).filter((n) => /\.(ann|txt)$/.test(n)).map((n) => ({ name: n, content: readFileSync(path.join(out, n), 'utf8') }));
  }

  async function everything(ws: Workspace) {
    const docs = await ws.handlers.listDocuments({});
    const annotations = (await Promise.all(docs.map((d) => ws.handlers.listAnnotations({ docId: d.id })))).flat();
    const relations = (await Promise.all(docs.map((d) => ws.handlers.listRelations({ docId: d.id })))).flat();
    return { documents: docs.length, annotations: annotations.length, relations: relations.length };
  }

  for (const format of ['jsonl', 'brat', 'w3c'] as const) {
    it(`${format}: three imports into a fresh project leave 32 annotations, and the later ones report 32 already present`, async () => {
      const exported = await exportOf(await anaProject(), format);
      const ws = await openWorkspace(temps);
      try {
        const files = exported.map((f) => file(f.name, f.content));
        const total = (r: { files: { imported: number; alreadyPresent: number; rejected: unknown[] }[] }) => ({
          imported: r.files.reduce((n, f) => n + f.imported, 0),
          alreadyPresent: r.files.reduce((n, f) => n + f.alreadyPresent, 0),
          rejected: r.files.flatMap((f) => f.rejected),
        });
        const first = await ws.handlers.importAnnotations({ format, files, addToSchema: false, dryRun: false });
        expect(total(first)).toEqual({ imported: 32, alreadyPresent: 0, rejected: [] });
        expect(await everything(ws)).toEqual({ documents: 4, annotations: 32, relations: 8 });
        for (const round of [2, 3]) {
          const again = await ws.handlers.importAnnotations({ format, files, addToSchema: false, dryRun: false });
          expect(total(again), `import number ${round}`).toEqual({ imported: 0, alreadyPresent: 32, rejected: [] });
          expect(again.createdDocuments).toEqual([]);
          expect(await everything(ws), `after import number ${round}`).toEqual({ documents: 4, annotations: 32, relations: 8 });
        }
      } finally {
        await ws.close();
      }
    });
  }

  it('margin import-annotations says "0 imported, 32 already present" the second time', async () => {
    const { runCli } = await import('../../electron/cli');
    const exported = await exportOf(await anaProject(), 'jsonl');
    const jsonl = path.join(temps.make(), 'ana.jsonl');
    writeFileSync(jsonl, exported[0]!.content);
    const fresh = path.join(temps.make(), 'fresh');
    const run = async () => {
      const out: string[] = [];
      const err: string[] = [];
      expect(await runCli(['import-annotations', '--project', fresh, '--format', 'jsonl', jsonl], { out: (t) => out.push(t), err: (t) => err.push(t) }), err.join('\n')).toBe(0);
      return out.join('\n');
    };
    expect(await run()).toMatch(/ana\.jsonl: 4 documents, 32 imported, 0 already present, 0 orphaned, 0 rejected/);
    expect(await run()).toMatch(/ana\.jsonl: 4 documents, 0 imported, 32 already present, 0 orphaned, 0 rejected/);
    expect(await run()).toMatch(/ana\.jsonl: 4 documents, 0 imported, 32 already present, 0 orphaned, 0 rejected/);
  });
});
