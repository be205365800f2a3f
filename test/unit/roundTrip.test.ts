import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectDocuments, writeExport } from '../../electron/services/datasets/datasetExport';
import { ProjectStore } from '../../electron/services/store/projectStore';
import type { Workspace } from '../../electron/services/workspace';
import type { ImportFormat } from '../../shared/formats/dataset';
import { availableImportFormats, formatEntry } from '../../shared/formats/registry';
import { buildRichProject, RICH_SCHEMA } from './exportFixtures';
import { listFilesRecursive, openWorkspace, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

/**
 * What must differ between two exports of the same annotations, and nothing else:
 * - `fileName` and `importedAt` of each document (jsonl meta, w3c source metadata): the second
 *   project created its documents from the file's text at import time (named after the annotation file, at a new
 *   moment), since no format carries the original document record.
 */
function normalise(format: ImportFormat, content: string): string {
  return content.replace(/"fileName":(null|"(?:[^"\\]|\\.)*")/g, '"fileName":"-"').replace(/"importedAt":(null|"[^"]*")/g, '"importedAt":"-"');
}

async function exportAll(dir: string, format: ImportFormat, out: string, raw = false): Promise<Record<string, string>> {
  const norm = (c: string) => (raw ? c : normalise(format, c));
  const store = await ProjectStore.open(dir, { lock: false });
  const entry = formatEntry(format)!;
  const exporter = entry.createExporter();
  const target = exporter.kind === 'single' ? `${out}.${exporter.extension.replace(/^\./, '')}` : out;
  await writeExport({ exporter, source: projectDocuments(store), target, schema: store.project.schema });
  if (exporter.kind === 'single') return { file: norm(readFileSync(target, 'utf8')) };
  return Object.fromEntries(listFilesRecursive(target).map((f) => [f, norm(readFileSync(path.join(target, f), 'utf8'))]));
}

async function importInto(ws: Workspace, format: ImportFormat, files: Record<string, string>) {
  return ws.handlers.importAnnotations({
    format,
    files: Object.entries(files).map(([name, content]) => ({ name, data: Buffer.from(content, 'utf8').toString('base64') })),
    addToSchema: false,
    dryRun: false,
  });
}

describe('round trips: export → import into a fresh project → export gives the same bytes', () => {
  const formats = availableImportFormats();
  it('covers every format with an importer', () => {
    expect(formats).toContain('jsonl');
  });

  for (const format of formats) {
    it(`${format}`, async () => {
      const a = await openWorkspace(temps);
      const ids = await buildRichProject(a);
      const outA = path.join(temps.make(), 'a');
      const first = await exportAll(a.projectDir, format, outA);
      await a.close();

      // The colleague's project shares the tag schema (schema inference is annotationImport's test).
      const b = await openWorkspace(temps);
      await b.handlers.updateSchema({ schema: RICH_SCHEMA, renameLabels: [], renameAttributes: [], deleteLabels: [], baseRevision: (await b.handlers.getSession({})).revision });
      // Raw files as written (not normalised) are what is imported.
      const raw = await exportAll(a.projectDir, format, path.join(temps.make(), 'raw'), true);
      const report = await importInto(b, format, raw);
      for (const f of report.files) {
        expect(f.rejected, `${f.name}: ${JSON.stringify(f.rejected)}`).toEqual([]);
        expect(f.orphaned).toBe(0);
        expect(f.reanchored).toBe(0);
      }
      expect(report.createdDocuments).toHaveLength(ids.length);
      const outB = path.join(temps.make(), 'b');
      mkdirSync(path.dirname(outB), { recursive: true });
      const second = await exportAll(b.projectDir, format, outB);
      await b.close();
      expect(Object.keys(second).sort()).toEqual(Object.keys(first).sort());
      for (const name of Object.keys(first)) {
        const x = first[name]!;
        const y = second[name]!;
        let at = 0;
        while (at < x.length && x[at] === y[at]) at++;
        // On a difference, show where (the files are long).
        expect(y.slice(Math.max(0, at - 150), at + 150), `${name} differs at ${at}`).toBe(x.slice(Math.max(0, at - 150), at + 150));
        expect(y).toBe(x);
      }
    });
  }
});
