import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { MarginError } from '../errors';
import { EXPORTS_DIR, isInsideExports } from './datasetExport';
import { zipFolder } from './zipFolder';

/**
 * A finished export handed to a browser (browser mode writes exports on the server's side, so
 * the user gets them as a download). Only an entry directly inside <project>/exports/ is ever
 * served, named by its own name: no path, no hidden entry (an export being written has a hidden
 * temporary name), no link leading out of the folder. A folder export comes as a zip.
 */

export interface ExportDownload {
  /** The name the browser saves it under. */
  fileName: string;
  type: string;
  /** Known for a file; a zip is made as it is sent. */
  size?: number;
  open(): Promise<Readable>;
}

/** Why `name` cannot name an export, or null when it can. */
function nameProblem(name: string): string | null {
  if (name === '') return 'Name the export to download.';
  if (name.length > 255 || /[/\\\0]/.test(name) || name.startsWith('.')) return `"${name.slice(0, 80)}" is not the name of an export.`;
  return null;
}

/** The export called `name` in `projectDir`'s exports folder, ready to send; a MarginError when there is none. */
export async function findExportDownload(projectDir: string, name: string): Promise<ExportDownload> {
  const problem = nameProblem(name);
  if (problem) throw new MarginError('bad-input', problem);
  const target = path.join(projectDir, EXPORTS_DIR, name);
  const info = await stat(target).catch(() => null);
  // A link out of the folder reads as no export at all: its target is none of the user's business here.
  if (!info || !(await isInsideExports(projectDir, target)) || !(info.isFile() || info.isDirectory())) {
    throw new MarginError('not-found', `There is no export named ${name} in this project.`);
  }
  if (info.isFile()) return { fileName: name, type: 'application/octet-stream', size: info.size, open: async () => createReadStream(target) };
  const gone = () => new MarginError('not-found', `The export ${name} could not be read: it was moved or removed meanwhile.`);
  return { fileName: `${name}.zip`, type: 'application/zip', open: () => zipFolder(target, name).catch((error: unknown) => Promise.reject(error instanceof MarginError ? error : gone())) };
}
