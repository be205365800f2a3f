import type { ImportReport } from '../../../shared/api';
import { MAX_IMPORT_BYTES } from '../../../shared/api';
import { emptyReport } from '../../../shared/importReport';
import { api } from './client';

export interface ImportProgress {
  done: number;
  total: number;
  current: string;
}

function merge(into: ImportReport, more: ImportReport): void {
  into.imported.push(...more.imported);
  into.duplicates.push(...more.duplicates);
  into.nearDuplicates.push(...more.nearDuplicates);
  into.failed.push(...more.failed);
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

export async function readBase64(file: File): Promise<string> {
  return toBase64(new Uint8Array(await file.arrayBuffer()));
}

/** A picked or dropped file with the path it had inside a dropped or chosen folder. */
export interface SourceFile {
  file: File;
  path: string;
}

/**
 * Sends files to the services one at a time, so the user sees progress and can cancel between
 * two files; each file is one atomic write, so a cancel never leaves a half-imported project.
 * Files over the limit are refused here already, so 20 MB never crosses the transport for nothing.
 */
export async function importBrowserFiles(
  files: readonly SourceFile[],
  onProgress: (progress: ImportProgress) => void = () => undefined,
  signal?: AbortSignal,
): Promise<ImportReport> {
  const report = emptyReport();
  for (const [i, { file, path }] of files.entries()) {
    if (signal?.aborted) {
      report.cancelled = true;
      break;
    }
    onProgress({ done: i, total: files.length, current: path });
    if (file.size > MAX_IMPORT_BYTES) {
      report.failed.push({ fileName: file.name, reason: `${path}: larger than 20 MB (${(file.size / 1024 / 1024).toFixed(1)} MB)` });
      continue;
    }
    let data: string;
    try {
      data = toBase64(new Uint8Array(await file.arrayBuffer()));
    } catch (error) {
      report.failed.push({ fileName: file.name, reason: `${path}: cannot be read (${(error as Error).message})` });
      continue;
    }
    merge(report, await api.importFiles({ files: [{ name: file.name, data }] }));
  }
  if (!report.cancelled) onProgress({ done: files.length, total: files.length, current: '' });
  return report;
}

const hidden = (name: string) => name.startsWith('.');

/** Every file under the dropped items, folders walked recursively, hidden files skipped. */
export async function filesFromDrop(items: DataTransferItemList): Promise<SourceFile[]> {
  const entries = Array.from(items)
    .map((item) => item.webkitGetAsEntry?.())
    .filter((e): e is FileSystemEntry => Boolean(e));
  const out: SourceFile[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (hidden(entry.name)) return;
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      out.push({ file, path });
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries hands out a folder in batches until it returns an empty one.
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      for (const child of batch.sort((a, b) => a.name.localeCompare(b.name))) await walk(child, path);
    }
  };
  for (const entry of entries) await walk(entry, '');
  return out;
}

/** Files from an <input type=file> (with webkitdirectory, each knows its path in the folder). */
export function filesFromInput(files: FileList | null): SourceFile[] {
  return Array.from(files ?? [])
    .map((file) => ({ file, path: file.webkitRelativePath || file.name }))
    .filter(({ path }) => !path.split('/').some(hidden))
    .sort((a, b) => a.path.localeCompare(b.path));
}
