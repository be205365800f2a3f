import type { DocStatus, DocumentSummary } from '../../../shared/model';
import type { DOCUMENT_SORT_KEYS } from '../../../shared/viewMemory';

export type DocumentSortKey = (typeof DOCUMENT_SORT_KEYS)[number];

export const DOCUMENT_SORTS: readonly { key: DocumentSortKey; label: string }[] = [
  { key: 'imported', label: 'Imported' },
  { key: 'title', label: 'Title' },
  { key: 'annotations', label: 'Most annotations' },
  { key: 'status', label: 'Status' },
];

export function isDocumentSortKey(value: unknown): value is DocumentSortKey {
  return DOCUMENT_SORTS.some((s) => s.key === value);
}

/** Work still to do comes first: what was started, then what was not, then what is done. */
const STATUS_ORDER: Record<DocStatus, number> = { 'in-progress': 0, 'not-started': 1, done: 2 };

export const STATUS_TEXT: Record<DocStatus, string> = { 'not-started': 'Not started', 'in-progress': 'In progress', done: 'Done' };

const titleCollator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

type Summary = Pick<DocumentSummary, 'id' | 'title' | 'importedAt' | 'annotationCount' | 'status'>;

/** The order the project lists documents in: oldest import first, as the store does. */
function byImported(a: Summary, b: Summary): number {
  return a.importedAt.localeCompare(b.importedAt) || a.title.localeCompare(b.title) || a.id.localeCompare(b.id);
}

const comparators: Record<DocumentSortKey, (a: Summary, b: Summary) => number> = {
  imported: byImported,
  title: (a, b) => titleCollator.compare(a.title, b.title) || byImported(a, b),
  annotations: (a, b) => b.annotationCount - a.annotationCount || byImported(a, b),
  status: (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || byImported(a, b),
};

/** A sorted copy; ties always fall back to import order, so the list never shuffles. */
export function sortDocuments<T extends Summary>(documents: readonly T[], key: DocumentSortKey): T[] {
  return [...documents].sort(comparators[key]);
}

/** "Ana: done · Ben: in progress", for a tooltip when several annotators have layers. */
export function statusesText(statuses: Readonly<Record<string, DocStatus>>): string {
  return Object.entries(statuses)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, status]) => `${name}: ${STATUS_TEXT[status].toLowerCase()}`)
    .join(' · ');
}
