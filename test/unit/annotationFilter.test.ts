import { describe, expect, it } from 'vitest';
import type { Annotation } from '../../shared/model';
import {
  annotatorsOf,
  EMPTY_FILTER,
  filterAnnotations,
  isFiltering,
  labelCounts,
  searchTerms,
  toggleLabel,
  type AnnotationFilter,
} from '../../renderer/src/components/annotationFilter';

let n = 0;
function ann(label: string, exact: string, extra: Partial<Annotation> = {}): Annotation {
  n += 1;
  return {
    id: `a${n}`,
    docId: '0123456789abcdef',
    annotator: 'Ana',
    label,
    start: n * 10,
    end: n * 10 + exact.length,
    quote: { exact, prefix: '', suffix: '' },
    attributes: {},
    createdAt: '2024-10-22T10:00:00.000Z',
    updatedAt: '2024-10-22T10:00:00.000Z',
    ...extra,
  };
}

const quote = ann('quote', 'a series of big, productive conversations', { attributes: { speaker: 'A US senior administration official', kind: 'direct' } });
const claim = ann('claim', 'Hamas has lost most of its capacity', { attributes: { claimant: 'Blinken', 'check-worthy': true }, note: 'Verify against IDF figures' });
const event = ann('event', 'met with Netanyahu on Tuesday', { annotator: 'Ben', attributes: { type: 'meeting', date: '2024-10-22', place: ['Jerusalem', 'Tel Aviv'] } });
const source = ann('source', 'Antony Blinken', { annotator: 'Ben' });
const straße = ann('source', 'Straßenbahn officials', { attributes: { count: 42, 'check-worthy': false } });
const all = [quote, claim, event, source, straße];

const filter = (f: Partial<AnnotationFilter>) => filterAnnotations(all, { ...EMPTY_FILTER, ...f });

describe('annotation filter', () => {
  it('shows everything with the empty filter, in the original order', () => {
    expect(filter({})).toEqual(all);
    expect(isFiltering(EMPTY_FILTER)).toBe(false);
    expect(isFiltering({ ...EMPTY_FILTER, text: '   ' })).toBe(false);
    expect(isFiltering({ ...EMPTY_FILTER, text: 'x' })).toBe(true);
    expect(isFiltering({ ...EMPTY_FILTER, labels: ['quote'] })).toBe(true);
    expect(isFiltering({ ...EMPTY_FILTER, annotator: 'Ben' })).toBe(true);
  });

  it('searches span text, notes and attribute values, case-insensitively', () => {
    expect(filter({ text: 'PRODUCTIVE' })).toEqual([quote]);
    expect(filter({ text: 'idf figures' })).toEqual([claim]);
    expect(filter({ text: 'senior administration' })).toEqual([quote]);
    expect(filter({ text: 'blinken' })).toEqual([claim, source]);
    // Choice, date, number and multiple-choice values.
    expect(filter({ text: 'meeting' })).toEqual([event]);
    expect(filter({ text: '2024-10-22' })).toEqual([event]);
    expect(filter({ text: 'tel aviv' })).toEqual([event]);
    expect(filter({ text: '42' })).toEqual([straße]);
    // A yes/no attribute that is set is found by its name; one that is not set is not.
    expect(filter({ text: 'check-worthy' })).toEqual([claim]);
    // Attribute names are not values.
    expect(filter({ text: 'speaker' })).toEqual([]);
  });

  it('needs every word of the search, in any field', () => {
    expect(filter({ text: 'productive direct' })).toEqual([quote]);
    expect(filter({ text: 'productive indirect' })).toEqual([]);
    expect(filter({ text: '  blinken   capacity ' })).toEqual([claim]);
    expect(searchTerms('  Big  DEAL ')).toEqual(['big', 'deal']);
  });

  it('folds case the Unicode way', () => {
    expect(filter({ text: 'STRASSENBAHN' })).toEqual([straße]);
    expect(filter({ text: 'straßenbahn' })).toEqual([straße]);
  });

  it('filters by labels (any of them) and by annotator, combined with the search', () => {
    expect(filter({ labels: ['source'] })).toEqual([source, straße]);
    expect(filter({ labels: ['quote', 'event'] })).toEqual([quote, event]);
    expect(filter({ annotator: 'Ben' })).toEqual([event, source]);
    expect(filter({ annotator: 'Ben', labels: ['source'] })).toEqual([source]);
    expect(filter({ annotator: 'Ana', labels: ['source'], text: 'blinken' })).toEqual([]);
    expect(filter({ labels: ['nothing'] })).toEqual([]);
  });

  it('counts per label among the annotations passing the other filters', () => {
    const schema = ['claim', 'quote', 'event', 'source'];
    expect(labelCounts(all, EMPTY_FILTER, schema)).toEqual([
      { label: 'claim', count: 1 },
      { label: 'quote', count: 1 },
      { label: 'event', count: 1 },
      { label: 'source', count: 2 },
    ]);
    // The label filter itself does not change the counts: a chip says what it would show.
    expect(labelCounts(all, { ...EMPTY_FILTER, labels: ['quote'] }, schema)).toEqual(labelCounts(all, EMPTY_FILTER, schema));
    expect(labelCounts(all, { ...EMPTY_FILTER, annotator: 'Ben' }, schema).map((c) => c.count)).toEqual([0, 0, 1, 1]);
    expect(labelCounts(all, { ...EMPTY_FILTER, text: 'blinken' }, schema).map((c) => c.count)).toEqual([1, 0, 0, 1]);
  });

  it('lists labels outside the schema after the schema ones', () => {
    const orphan = ann('person', 'Netanyahu');
    const counts = labelCounts([...all, orphan], { ...EMPTY_FILTER, labels: ['gone'] }, ['claim', 'quote', 'event', 'source']);
    expect(counts.map((c) => c.label)).toEqual(['claim', 'quote', 'event', 'source', 'gone', 'person']);
    expect(counts.at(-1)).toEqual({ label: 'person', count: 1 });
    expect(counts.at(-2)).toEqual({ label: 'gone', count: 0 });
  });

  it('lists annotators and toggles labels', () => {
    expect(annotatorsOf(all)).toEqual(['Ana', 'Ben']);
    expect(annotatorsOf([])).toEqual([]);
    const once = toggleLabel(EMPTY_FILTER, 'quote');
    expect(once.labels).toEqual(['quote']);
    expect(toggleLabel(toggleLabel(once, 'claim'), 'quote').labels).toEqual(['claim']);
    expect(EMPTY_FILTER.labels).toEqual([]);
  });

  it('sees an edited annotation (edits replace the object)', () => {
    const edited = { ...quote, note: 'follow up with the embassy' };
    expect(filterAnnotations([quote, edited], { ...EMPTY_FILTER, text: 'embassy' })).toEqual([edited]);
  });

  // Speed is measured in benchmarks, not asserted here; this checks the results on a large list.
  it('filters thousands of annotations', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => ann(i % 2 ? 'quote' : 'claim', `span number ${i} about Blinken`, { note: i % 7 === 0 ? 'seven' : undefined }));
    expect(filterAnnotations(many, { ...EMPTY_FILTER, text: 'seven' }).length).toBe(Math.ceil(20_000 / 7));
    expect(filterAnnotations(many, { ...EMPTY_FILTER, text: 'blinken 1999' }).length).toBeGreaterThan(0);
  });
});
