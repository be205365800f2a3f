import type { ImportReport } from './api';

/** A report with nothing in it yet; every importer, in the window or the services, starts from one. */
export function emptyReport(): ImportReport {
  return { imported: [], duplicates: [], nearDuplicates: [], failed: [] };
}
