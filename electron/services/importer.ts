import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { MAX_IMPORT_BYTES, type ImportReport } from '../../shared/api';
import { decodeArticle } from './importText';
import type { ProjectStore } from './projectStore';

export function emptyReport(): ImportReport {
  return { imported: [], duplicates: [], failed: [] };
}

/** Imports one file's bytes. A bad file never throws: it lands in the report with its reason. */
export async function importBytes(store: ProjectStore, fileName: string, bytes: Uint8Array, report: ImportReport): Promise<void> {
  const decoded = decodeArticle(fileName, bytes);
  if (!decoded.ok) {
    report.failed.push({ fileName, reason: `${fileName}: ${decoded.reason}` });
    return;
  }
  if (store.hasDocument(decoded.docId)) {
    report.duplicates.push({ fileName, docId: decoded.docId, title: store.getDocument(decoded.docId).title });
    return;
  }
  await store.addDocument({
    version: 1,
    id: decoded.docId,
    title: decoded.title,
    text: decoded.text,
    fileName,
    importedAt: new Date().toISOString(),
  });
  report.imported.push({ fileName, docId: decoded.docId, title: decoded.title });
}

/** Imports files from disk, one by one; the size is checked before anything is read. */
export async function importPaths(store: ProjectStore, paths: readonly string[], report = emptyReport()): Promise<ImportReport> {
  for (const file of paths) {
    const name = path.basename(file);
    try {
      const info = await stat(file);
      if (info.isDirectory()) {
        report.failed.push({ fileName: name, reason: `${file}: is a folder; choose the files inside it` });
      } else if (info.size > MAX_IMPORT_BYTES) {
        report.failed.push({ fileName: name, reason: `${file}: larger than 20 MB (${(info.size / 1024 / 1024).toFixed(1)} MB)` });
      } else {
        await importBytes(store, name, await readFile(file), report);
      }
    } catch (error) {
      report.failed.push({ fileName: name, reason: `${file}: ${(error as Error).message}` });
    }
  }
  return report;
}

/** One line a person can read: "Imported 3 articles; 1 already in the project; 1 failed." */
export function summarizeReport(report: ImportReport): string {
  const parts = [`Imported ${report.imported.length} article${report.imported.length === 1 ? '' : 's'}`];
  if (report.duplicates.length) parts.push(`${report.duplicates.length} already in the project`);
  if (report.failed.length) parts.push(`${report.failed.length} failed`);
  return `${parts.join('; ')}.`;
}
