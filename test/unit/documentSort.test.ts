import { describe, expect, it } from 'vitest';
import type { DocumentSummary } from '../../shared/model';
import { DOCUMENT_SORTS, isDocumentSortKey, sortDocuments, statusesText } from '../../renderer/src/components/documentSort';

function doc(id: string, title: string, importedAt: string, annotationCount: number, status: DocumentSummary['status']): DocumentSummary {
  return { id: id.padStart(16, '0'), title, length: 100, annotationCount, importedAt, labelCounts: {}, status, statuses: { Ana: status }, nearDuplicates: [] };
}

const docs = [
  doc('1', 'Blinken in Jerusalem on October 22', '2024-10-23T09:00:00.000Z', 4, 'in-progress'),
  doc('2', 'baghdad talks', '2024-10-22T09:00:00.000Z', 0, 'not-started'),
  doc('3', 'Article 10', '2024-10-24T09:00:00.000Z', 12, 'done'),
  doc('4', 'Article 9', '2024-10-24T09:00:00.000Z', 4, 'not-started'),
  doc('5', 'Ceasefire', '2024-10-21T09:00:00.000Z', 1, 'in-progress'),
];
const titles = (list: readonly DocumentSummary[]) => list.map((d) => d.title);

describe('document sort', () => {
  it('offers the four orders', () => {
    expect(DOCUMENT_SORTS.map((s) => s.label)).toEqual(['Imported', 'Title', 'Most annotations', 'Status']);
    expect(isDocumentSortKey('title')).toBe(true);
    expect(isDocumentSortKey('size')).toBe(false);
    expect(isDocumentSortKey(null)).toBe(false);
  });

  it('sorts by import time, oldest first (the store order), ties by title', () => {
    expect(titles(sortDocuments(docs, 'imported'))).toEqual(['Ceasefire', 'baghdad talks', 'Blinken in Jerusalem on October 22', 'Article 10', 'Article 9']);
  });

  it('sorts titles ignoring case and with numbers in numeric order', () => {
    expect(titles(sortDocuments(docs, 'title'))).toEqual(['Article 9', 'Article 10', 'baghdad talks', 'Blinken in Jerusalem on October 22', 'Ceasefire']);
  });

  it('puts the most annotated first, ties in import order', () => {
    expect(titles(sortDocuments(docs, 'annotations'))).toEqual(['Article 10', 'Blinken in Jerusalem on October 22', 'Article 9', 'Ceasefire', 'baghdad talks']);
  });

  it('puts work in progress first, then not started, then done', () => {
    expect(sortDocuments(docs, 'status').map((d) => d.status)).toEqual(['in-progress', 'in-progress', 'not-started', 'not-started', 'done']);
    expect(titles(sortDocuments(docs, 'status'))).toEqual(['Ceasefire', 'Blinken in Jerusalem on October 22', 'baghdad talks', 'Article 9', 'Article 10']);
  });

  it('returns a copy and leaves the input alone', () => {
    const before = titles(docs);
    const sorted = sortDocuments(docs, 'title');
    expect(sorted).not.toBe(docs);
    expect(titles(docs)).toEqual(before);
    expect(sortDocuments([], 'status')).toEqual([]);
  });

  it('describes every annotator’s status for a tooltip', () => {
    expect(statusesText({ Ben: 'in-progress', Ana: 'done', Cy: 'not-started' })).toBe('Ana: done · Ben: in progress · Cy: not started');
  });
});
