import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { MAX_IMPORT_BYTES, type ImportReport } from '../../../shared/api';
import type { DocumentMeta } from '../../../shared/model';
import { normalizeText, titleFromText } from '../../../shared/text';
import { explain, MarginError } from '../errors';
import { cleanField, cleanMeta, displayTitle, metadataEditsOf } from '../store/documentMeta';
import { ARTICLE_EXTENSIONS, type Extracted } from './extract';
import { extractPlainText } from './extract/text';
import { type ExtractPool, extractPool } from './extractPool';
import { documentIdOf } from './importText';
import { nearDuplicateIndexOf } from './nearDuplicateIndex';
import type { ProjectStore } from '../store/projectStore';
import { emptyReport } from '../../../shared/importReport';

/**
 * Article intake: bytes → extracted text and metadata → a document, written in one atomic file.
 * A bad file never throws: it lands in the report with a one-line reason naming it, and the
 * other files go on. Identical normalized text is the same document (a duplicate, nothing is
 * written); a text that nearly repeats one already in the project (or earlier in the batch) is
 * imported and reported under `nearDuplicates` too.
 */

export interface ImportProgress {
  /** Files finished (imported, duplicate or failed). */
  done: number;
  total: number;
  /** The file being imported ('' once the run is over). */
  current: string;
}

export interface ImportOptions {
  /** Called before each file and once at the end; done counts up from 0 to the files handled. */
  onProgress?: (progress: ImportProgress) => void;
  /** Aborting stops the run after the file at hand: every document written is complete. */
  signal?: AbortSignal;
  /** The reader threads to read files with (the process's own unless given; tests give stricter limits). */
  reader?: ExtractPool;
}

/** Why a file could not be read, in words, from a Node error (its code); never repeats the file's name. */
export function readErrorReason(error: unknown): string {
  const { code } = (error ?? {}) as NodeJS.ErrnoException;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read (permission denied)';
    case 'ENOENT':
      return 'no longer exists';
    case 'ENOTDIR':
      return 'no longer exists (a folder on its path is now a file)';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'ELOOP':
      return 'is a link that leads back to itself';
    case 'EMFILE':
    case 'ENFILE':
      return 'cannot be opened now (too many open files); try again';
    case 'EBUSY':
    case 'ETXTBSY':
      return 'is in use by another program';
    case 'EIO':
      return 'cannot be read (input/output error: the disk or network drive failed)';
    case 'ENAMETOOLONG':
      return 'has a path too long for this system';
    case 'ETIMEDOUT':
    case 'EHOSTDOWN':
    case 'ESTALE':
      return 'cannot be read (the network drive did not answer)';
    default:
      // An error this list does not know is told in general terms: its code and text mean nothing to the user.
      return 'cannot be read (the system refused to read it); try again, or copy it to another folder and import the copy';
  }
}

const tooLarge = (bytes: number) => `larger than 20 MB (${(bytes / 1024 / 1024).toFixed(1)} MB)`;

/** The extensions a folder walk picks up (without the dot, lower case): the formats Margin reads. */
export function articleExtensions(): string[] {
  return [...new Set(ARTICLE_EXTENSIONS.map((e) => e.replace(/^\./, '').toLowerCase()))];
}

type Outcome = 'imported' | 'duplicate' | 'failed' | 'cancelled';

/** The displayed title of a document already in the project (the user's edit when there is one). */
async function titleOf(store: ProjectStore, docId: string): Promise<string> {
  const doc = await store.getDocument(docId);
  return displayTitle(doc, await metadataEditsOf(store).editsOrNone(docId));
}

/**
 * Stores one extracted article. `rawText` is normalized here (NFC, \n, no BOM), so the id and
 * the offsets of every later annotation refer to the same text everywhere.
 */
async function addArticle(
  store: ProjectStore,
  fileName: string,
  where: string,
  rawText: string,
  extracted: DocumentMeta,
  report: ImportReport,
  givenTitle?: string,
): Promise<Outcome> {
  const text = normalizeText(rawText);
  if (text.trim() === '') {
    report.failed.push({ fileName, reason: `${where}: empty: there is no text in it` });
    return 'failed';
  }
  const docId = documentIdOf(text);
  if (store.hasDocument(docId)) {
    report.duplicates.push({ fileName, docId, title: await titleOf(store, docId) });
    return 'duplicate';
  }
  const meta = cleanMeta(extracted);
  const chosen = givenTitle === undefined ? '' : cleanField('title', givenTitle);
  if (chosen !== '') meta.title = chosen;
  const title = meta.title ?? titleFromText(text);
  // Brought up to date before the write, so only the new document is added to it afterwards.
  const index = await nearDuplicateIndexOf(store);
  try {
    await store.addDocument({ version: 1, id: docId, title, text, fileName, importedAt: new Date().toISOString(), meta });
  } catch (error) {
    report.failed.push({ fileName, reason: `${where}: could not be saved in the project: ${error instanceof MarginError ? error.message : explain(error)}` });
    return 'failed';
  }
  report.imported.push({ fileName, docId, title });
  const matches = index.add(docId, text);
  if (matches.length > 0) {
    const of = [];
    for (const m of matches) of.push({ docId: m.id, title: await titleOf(store, m.id) });
    report.nearDuplicates.push({ fileName, docId, title, of });
  }
  return 'imported';
}

type ReadOptions = Pick<ImportOptions, 'signal' | 'reader'>;

async function importBytesAs(store: ProjectStore, fileName: string, where: string, bytes: Uint8Array, report: ImportReport, options: ReadOptions): Promise<Outcome> {
  const { signal } = options;
  if (bytes.length > MAX_IMPORT_BYTES) {
    report.failed.push({ fileName, reason: `${where}: ${tooLarge(bytes.length)}` });
    return 'failed';
  }
  // Read on a reader thread, under its time and memory limits: this thread keeps answering.
  const result: Extracted = await (options.reader ?? extractPool()).extract(fileName, bytes, { signal });
  if (!result.ok) {
    // Stopped half way by a cancel: not a failure of the file, and nothing was written.
    if (signal?.aborted) return 'cancelled';
    report.failed.push({ fileName, reason: `${where}: ${result.reason}` });
    return 'failed';
  }
  return addArticle(store, fileName, where, result.text, result.meta, report);
}

/** Imports one file's bytes (an upload from the window). */
export async function importBytes(store: ProjectStore, fileName: string, bytes: Uint8Array, report: ImportReport, options: ReadOptions = {}): Promise<void> {
  await importBytesAs(store, fileName, fileName, bytes, report, options);
}

export const PASTED_TEXT = 'Pasted text';

/**
 * A document from text: pasted, or carried by an annotation file (then `fileName` names that file).
 * The same checks as a file; a title given wins over the extracted one and the first line.
 */
export async function importText(store: ProjectStore, text: string, title?: string, fileName = PASTED_TEXT): Promise<ImportReport> {
  const report = emptyReport();
  const bytes = Buffer.from(text, 'utf8');
  // Named as the caller names the text: "Pasted text", or the annotation file that carries it.
  if (bytes.length > MAX_IMPORT_BYTES) {
    report.failed.push({ fileName, reason: `${fileName}: ${tooLarge(bytes.length)}` });
    return report;
  }
  if (text.trim() === '') {
    report.failed.push({ fileName, reason: `${fileName}: empty: there is no text in it` });
    return report;
  }
  // As a .txt file: the same decoding checks and the same news-copy heuristics (dateline, outlet).
  // Plain text is read in one linear pass, so it needs no reader thread (nor its start-up).
  const result = extractPlainText(bytes);
  if (!result.ok) {
    report.failed.push({ fileName, reason: `${fileName}: ${result.reason}` });
    return report;
  }
  await addArticle(store, fileName, fileName, result.text, result.meta, report, title);
  return report;
}

/** A file found for import: where it is, its name, and how progress names it. */
export interface FoundFile {
  file: string;
  name: string;
  /** "folder/sub/name.html" for a file found in a folder, the bare name for a file named directly. */
  label: string;
}

const isHidden = (name: string) => name.startsWith('.');
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * The files to import: named files as they are (whatever their extension, so a wrong one gets
 * a reason), folders walked recursively and in name order for files with an article extension.
 * Hidden files and folders are skipped; a link inside a folder is followed only when it points
 * inside that folder (one pointing out is reported, not read); each file is listed once.
 */
export async function collectFiles(paths: readonly string[], signal?: AbortSignal): Promise<{ files: FoundFile[]; failed: ImportReport['failed'] }> {
  const files: FoundFile[] = [];
  const failed: ImportReport['failed'] = [];
  const seen = new Set<string>();
  const extensions = new Set(articleExtensions());
  const wanted = (name: string) => extensions.has(path.extname(name).slice(1).toLowerCase());
  const add = (key: string, found: FoundFile) => {
    if (seen.has(key)) return;
    seen.add(key);
    files.push(found);
  };

  const walk = async (root: string, rootReal: string, dir: string, label: string): Promise<void> => {
    if (signal?.aborted) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      failed.push({ fileName: path.basename(dir), reason: `${dir}: ${readErrorReason(error)}` });
      return;
    }
    for (const entry of entries.sort(byName)) {
      if (isHidden(entry.name)) continue;
      const full = path.join(dir, entry.name);
      const entryLabel = `${label}/${entry.name}`;
      if (entry.isDirectory()) {
        await walk(root, rootReal, full, entryLabel);
      } else if (entry.isFile()) {
        if (wanted(entry.name)) add(path.join(rootReal, path.relative(root, full)), { file: full, name: entry.name, label: entryLabel });
      } else if (entry.isSymbolicLink()) {
        let target: string;
        try {
          target = await realpath(full);
        } catch (error) {
          if (wanted(entry.name)) failed.push({ fileName: entry.name, reason: `${full}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'is a link to a file that does not exist' : readErrorReason(error)}` });
          continue;
        }
        const info = await stat(target).catch(() => null);
        // Folders linked from inside are walked where they really are; files only by their extension.
        if (!info?.isFile() || !wanted(entry.name)) continue;
        if (!isInside(rootReal, target)) {
          failed.push({ fileName: entry.name, reason: `${full}: is a link to ${target}, outside the folder; links out of an imported folder are not followed` });
          continue;
        }
        add(target, { file: target, name: entry.name, label: entryLabel });
      }
      // Pipes, sockets and devices are not articles: skipped.
    }
  };

  for (const given of paths) {
    if (signal?.aborted) break;
    const name = path.basename(given);
    let info;
    try {
      info = await stat(given);
    } catch (error) {
      failed.push({ fileName: name, reason: `${given}: ${readErrorReason(error)}` });
      continue;
    }
    if (info.isDirectory()) {
      const real = await realpath(given).catch(() => path.resolve(given));
      await walk(given, real, given, path.basename(path.resolve(given)));
    } else if (info.isFile()) {
      const real = await realpath(given).catch(() => path.resolve(given));
      add(real, { file: given, name, label: name });
    } else {
      failed.push({ fileName: name, reason: `${given}: is not a regular file (a device, pipe or socket)` });
    }
  }
  return { files, failed };
}

async function importFile(store: ProjectStore, found: FoundFile, report: ImportReport, options: ReadOptions): Promise<Outcome> {
  const { file, name } = found;
  let bytes: Buffer;
  try {
    // Checked again: the file may have changed since it was counted. The size before reading.
    const info = await lstat(file).then((l) => (l.isSymbolicLink() ? stat(file) : l));
    if (info.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    if (!info.isFile()) {
      report.failed.push({ fileName: name, reason: `${file}: is not a regular file (a device, pipe or socket)` });
      return 'failed';
    }
    if (info.size > MAX_IMPORT_BYTES) {
      report.failed.push({ fileName: name, reason: `${file}: ${tooLarge(info.size)}` });
      return 'failed';
    }
    bytes = await readFile(file);
  } catch (error) {
    report.failed.push({ fileName: name, reason: `${file}: ${readErrorReason(error)}` });
    return 'failed';
  }
  return importBytesAs(store, name, file, bytes, report, options);
}

/**
 * Imports files and folders from disk, one file at a time (each document one atomic write), with
 * progress. The files are counted first, so `total` is known from the first call. On abort the
 * run stops after the file at hand and the report says `cancelled: true`.
 */
export async function importPaths(store: ProjectStore, paths: readonly string[], options: ImportOptions = {}): Promise<ImportReport> {
  const { onProgress, signal } = options;
  const report = emptyReport();
  const { files, failed } = await collectFiles(paths, signal);
  report.failed.push(...failed);
  if (signal?.aborted) {
    // Cancelled while the files were being counted: nothing was imported.
    report.cancelled = true;
    onProgress?.({ done: 0, total: 0, current: '' });
    return report;
  }
  const total = files.length;
  let done = 0;
  for (const found of files) {
    if (signal?.aborted) break;
    onProgress?.({ done, total, current: found.label });
    // A cancel that came in before this file was started leaves it alone.
    if (signal?.aborted) break;
    const outcome = await importFile(store, found, report, { signal, reader: options.reader });
    if (outcome === 'cancelled') break;
    done++;
  }
  if (signal?.aborted && done < total) report.cancelled = true;
  onProgress?.({ done, total, current: '' });
  return report;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** One line a person can read: "Imported 4 articles (1 near-duplicate of another article); 1 already in the project; 2 failed." */
export function summarizeReport(report: ImportReport): string {
  const near = report.nearDuplicates.length;
  const parts = [
    `Imported ${plural(report.imported.length, 'article', 'articles')}${near ? ` (${plural(near, 'near-duplicate of another article', 'near-duplicates of other articles')})` : ''}`,
  ];
  if (report.duplicates.length) parts.push(`${report.duplicates.length} already in the project`);
  if (report.failed.length) parts.push(`${report.failed.length} failed`);
  return `${report.cancelled ? 'Import cancelled. ' : ''}${parts.join('; ')}.`;
}
