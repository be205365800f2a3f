import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectDocuments, writeExport } from '../../electron/services/datasets/datasetExport';
import { packAnnotations, unpackAnnotations } from '../../shared/annotationPack';
import { ProjectStore } from '../../electron/services/store/projectStore';
import { Workspace } from '../../electron/services/workspace';
import { parseJsonl } from '../../shared/formats/jsonlImport';
import type { ImportFormat } from '../../shared/formats/dataset';
import { formatEntry } from '../../shared/formats/registry';
import { mergeLayer } from '../../shared/layerMerge';
import { FORMAT_VERSION, LayerFile, type Annotation } from '../../shared/model';
import { layerOnDisk, listFilesRecursive, openWorkspace, spanOf, TempDirs } from './helpers';

/**
 * `origin: "suggested"` marks an annotation that came from Margin's suggestions: the store, its
 * journal, undo and Margin's JSONL keep it, and layers written before it existed read as before.
 */

const temps = new TempDirs();
afterEach(() => temps.cleanup());

/** A sample article in alice's layer: one span of her own and one accepted suggestion (as undo or `suggest --into` writes it). */
async function sampleWithSuggestion(projectDir = path.join(temps.make(), 'project')) {
  const ws = await openWorkspace(temps, projectDir);
  const h = ws.handlers;
  await h.setAnnotator({ name: 'alice' });
  await h.loadSamples({});
  const doc = await h.getDocument({ docId: (await h.listDocuments({}))[0]!.id });
  const own = await h.createAnnotation({ docId: doc.id, label: 'source', ...spanOf(doc.text, 'Antony Blinken') });
  const made = await h.createAnnotation({ docId: doc.id, label: 'quote', ...spanOf(doc.text, 'Blinken') });
  const suggested: Annotation = { ...made, origin: 'suggested' };
  await h.restoreAnnotations({ annotations: [suggested], relations: [] });
  return { ws, h, doc, own, suggested, projectDir };
}

/** The project exported in a format, as files by name (one file for single-file formats). */
async function exportAs(dir: string, format: ImportFormat | 'csv'): Promise<Record<string, string>> {
  const store = await ProjectStore.open(dir, { lock: false });
  try {
    const exporter = formatEntry(format)!.createExporter();
    const out = path.join(temps.make(), 'out');
    const target = exporter.kind === 'single' ? `${out}${exporter.extension.startsWith('.') ? '' : '.'}${exporter.extension}` : out;
    await writeExport({ exporter, source: projectDocuments(store), target, schema: store.project.schema });
    if (exporter.kind === 'single') return { [path.basename(target)]: readFileSync(target, 'utf8') };
    return Object.fromEntries(listFilesRecursive(target).map((f) => [f, readFileSync(path.join(target, f), 'utf8')]));
  } finally {
    await store.close();
  }
}

describe('origin on annotations', () => {
  it('is kept through an edit (journal), a reopen, and a delete undone; the analyst\'s own span has none', async () => {
    const { ws, h, doc, own, suggested, projectDir } = await sampleWithSuggestion();
    await h.updateAnnotation({ docId: doc.id, annotationId: suggested.id, changes: { attributes: { speaker: 'Antony Blinken' } } });
    const { deleted } = await h.deleteAnnotations({ docId: doc.id, annotationIds: [suggested.id] });
    expect(deleted[0]!.origin).toBe('suggested');
    await h.restoreAnnotations({ annotations: deleted, relations: [] });
    await ws.close();

    const onDisk = layerOnDisk(projectDir, 'alice', doc.id).annotations;
    expect(onDisk.find((a) => a.id === suggested.id)).toMatchObject({ origin: 'suggested', attributes: { speaker: 'Antony Blinken' } });
    expect(onDisk.find((a) => a.id === own.id)).not.toHaveProperty('origin');

    const reopened = await Workspace.open({ userData: temps.userData(), projectDir, mode: 'browser' });
    try {
      await reopened.handlers.setAnnotator({ name: 'alice' });
      const listed = await reopened.handlers.listAnnotations({ docId: doc.id });
      expect(listed.find((a) => a.id === suggested.id)!.origin).toBe('suggested');
      expect(listed.find((a) => a.id === own.id)!.origin).toBeUndefined();
    } finally {
      await reopened.close();
    }
  });

  it('rides through Margin\'s JSONL: on the suggested span only', async () => {
    const { ws, doc, suggested } = await sampleWithSuggestion();
    await ws.close();
    const jsonl = Object.values(await exportAs(ws.projectDir, 'jsonl'))[0]!;
    const line = jsonl.split('\n').map((l) => (l ? (JSON.parse(l) as { id: string; annotations: { id: string; origin?: string }[] }) : null)).find((d) => d?.id === doc.id)!;
    expect(line.annotations.find((a) => a.id === suggested.id)!.origin).toBe('suggested');
    expect(line.annotations.filter((a) => a.origin !== undefined)).toHaveLength(1);
  });

  // brat has no room for it: an attribute would show up as a tag attribute in brat's editor (see README).
  for (const format of ['jsonl', 'w3c', 'doccano', 'label-studio'] as const) {
    it(`survives ${format} export and import into a fresh project, on the suggested span only`, async () => {
      const { ws, doc, suggested } = await sampleWithSuggestion();
      await ws.close();
      const files = await exportAs(ws.projectDir, format);
      const b = await openWorkspace(temps);
      try {
        await b.handlers.setAnnotator({ name: 'bo' });
        const report = await b.handlers.importAnnotations({
          format,
          files: Object.entries(files).map(([name, content]) => ({ name, data: Buffer.from(content, 'utf8').toString('base64') })),
          addToSchema: true,
          dryRun: false,
        });
        expect(report.files.flatMap((f) => f.rejected)).toEqual([]);
        const docs = await b.handlers.listDocuments({});
        const target = docs.find((d) => d.id === doc.id) ?? docs.find((d) => d.title === doc.title)!;
        const back = await b.handlers.listAnnotations({ docId: target.id });
        const quote = back.find((a) => a.label === 'quote' && a.start === suggested.start && a.end === suggested.end)!;
        expect(quote.origin).toBe('suggested');
        expect(back.filter((a) => a.origin === 'suggested')).toHaveLength(1);
      } finally {
        await b.close();
      }
    });
  }

  it('has its own CSV column, "suggested" on the accepted suggestion and empty on the analyst\'s span', async () => {
    const { ws, suggested, own } = await sampleWithSuggestion();
    await ws.close();
    const rows = Object.values(await exportAs(ws.projectDir, 'csv'))[0]!.replace(/^\uFEFF/, '').split(/\r?\n/);
    const header = rows[0]!.split(',');
    const column = header.indexOf('origin');
    expect(column).toBeGreaterThan(-1);
    const row = (id: string) => rows.find((r) => r.includes(id))!.split(',');
    expect(row(suggested.id)[column]).toBe('suggested');
    expect(row(own.id)[column]).toBe('');
  });

  it('an origin Margin does not know is refused by field, the rest of the line imported', () => {
    const text = 'He said “we will win” on Monday.';
    const content = JSON.stringify({ text, annotations: [{ label: 'quote', start: 8, end: 21, origin: 'model-v2' }, { label: 'source', start: 0, end: 2 }] });
    const result = parseJsonl({ name: 'x.jsonl', content });
    expect(result.problems).toEqual([{ line: 1, reason: 'annotation 1: origin: "model-v2" is not an origin Margin knows (only "suggested", or none)' }]);
    expect(result.documents[0]!.annotations.map((a) => a.label)).toEqual(['source']);
  });
});

describe('origin in the reading view', () => {
  it('travels in the packed annotations the reading view receives, on the suggested span only', async () => {
    const { ws, doc, own, suggested } = await sampleWithSuggestion();
    try {
      const unpacked = unpackAnnotations(packAnnotations(doc.id, doc.text, [own, suggested]), doc.text);
      expect(unpacked).toEqual([own, suggested]);
      expect(unpacked[1]!.origin).toBe('suggested');
      expect(unpacked[0]).not.toHaveProperty('origin');
    } finally {
      await ws.close();
    }
  });
});

describe('origin in layer files', () => {
  it('a layer written before origin existed reads as before; a sync merge keeps the origin of either side', async () => {
    const { ws, own, suggested, doc } = await sampleWithSuggestion();
    await ws.close();
    const old: LayerFile = { version: FORMAT_VERSION, docId: doc.id, annotator: 'alice', annotations: [own], relations: [] };
    const parsed = LayerFile.parse(JSON.parse(JSON.stringify(old)));
    expect(parsed.annotations[0]).toEqual(own);
    expect(parsed.annotations[0]).not.toHaveProperty('origin');

    // Ours accepted a suggestion while theirs (a colleague's pull of the same layer) edited the analyst's own span.
    const ours = { ...old, annotations: [own, suggested] };
    const theirs = { ...old, annotations: [{ ...own, note: 'checked', updatedAt: '2026-01-02T00:00:00.000Z' }] };
    const merged = mergeLayer(old, ours, theirs);
    expect(merged.annotations.find((a) => a.id === suggested.id)!.origin).toBe('suggested');
    expect(merged.annotations.find((a) => a.id === own.id)).toMatchObject({ note: 'checked' });
  });
});
