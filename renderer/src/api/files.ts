import type { ImportReport } from '../../../shared/api';
import { MAX_IMPORT_BYTES } from '../../../shared/api';
import { api } from './client';

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/**
 * Sends picked or dropped files to the services, which decide what is an article. Files over
 * the limit are refused here already, so 20 MB never crosses the transport for nothing.
 */
export async function importBrowserFiles(files: readonly File[]): Promise<ImportReport> {
  const tooLarge: ImportReport['failed'] = [];
  const payload: { name: string; data: string }[] = [];
  for (const file of files) {
    if (file.size > MAX_IMPORT_BYTES) {
      tooLarge.push({ fileName: file.name, reason: `${file.name}: larger than 20 MB (${(file.size / 1024 / 1024).toFixed(1)} MB)` });
    } else {
      payload.push({ name: file.name, data: toBase64(new Uint8Array(await file.arrayBuffer())) });
    }
  }
  const report: ImportReport = payload.length > 0 ? await api.importFiles({ files: payload }) : { imported: [], duplicates: [], failed: [] };
  return { ...report, failed: [...tooLarge, ...report.failed] };
}
