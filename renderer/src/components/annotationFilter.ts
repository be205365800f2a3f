import { foldCase } from '../../../shared/find';
import type { Annotation, AttributeValue } from '../../../shared/model';

/** What the annotation list is narrowed to; the empty filter shows everything. */
export interface AnnotationFilter {
  /** Words to find in the span text, the note and the attribute values; every word must occur. */
  text: string;
  /** Labels to show; empty means every label. */
  labels: readonly string[];
  /** One annotator's annotations, or null for everyone's. */
  annotator: string | null;
}

export const EMPTY_FILTER: AnnotationFilter = { text: '', labels: [], annotator: null };

export function isFiltering(filter: AnnotationFilter): boolean {
  return filter.text.trim() !== '' || filter.labels.length > 0 || filter.annotator !== null;
}

function valueText(name: string, value: AttributeValue): string[] {
  if (Array.isArray(value)) return value;
  // A yes/no attribute that is set reads as its name: "check-worthy" finds the flagged claims.
  if (typeof value === 'boolean') return value ? [name] : [];
  return [String(value)];
}

/** Annotations are replaced, never mutated, when edited: their folded text can be kept per object. */
const searchable = new WeakMap<Annotation, string>();

/** The span text, note and attribute values of an annotation, case-folded, one field per line. */
export function searchableText(a: Annotation): string {
  let text = searchable.get(a);
  if (text === undefined) {
    const fields = [a.quote.exact, a.note ?? '', ...Object.entries(a.attributes).flatMap(([name, value]) => valueText(name, value))];
    text = foldCase(fields.join('\n').normalize('NFC'));
    searchable.set(a, text);
  }
  return text;
}

/** The folded words of a search; empty when there is nothing to search for. */
export function searchTerms(text: string): string[] {
  return foldCase(text.normalize('NFC')).split(/\s+/u).filter((t) => t !== '');
}

function matchesTerms(a: Annotation, terms: readonly string[]): boolean {
  if (terms.length === 0) return true;
  const haystack = searchableText(a);
  return terms.every((t) => haystack.includes(t));
}

/** Annotations passing the filter, in their original order. */
export function filterAnnotations(annotations: readonly Annotation[], filter: AnnotationFilter): Annotation[] {
  const terms = searchTerms(filter.text);
  const labels = filter.labels.length > 0 ? new Set(filter.labels) : null;
  return annotations.filter(
    (a) => (!labels || labels.has(a.label)) && (filter.annotator === null || a.annotator === filter.annotator) && matchesTerms(a, terms),
  );
}

/**
 * How many annotations each label has among those passing the other filters (search and
 * annotator), so a label chip says how many it would show. Schema labels come first, in schema
 * order and with zero counts; labels found only in the annotations follow, by name.
 */
export function labelCounts(
  annotations: readonly Annotation[],
  filter: AnnotationFilter,
  schemaLabels: readonly string[] = [],
): { label: string; count: number }[] {
  const counts = new Map<string, number>(schemaLabels.map((l) => [l, 0]));
  const others = filterAnnotations(annotations, { ...filter, labels: [] });
  const extra = new Set<string>();
  for (const a of others) {
    if (!counts.has(a.label)) extra.add(a.label);
    counts.set(a.label, (counts.get(a.label) ?? 0) + 1);
  }
  // A label selected in the filter stays listed even when nothing carries it any more.
  for (const l of [...filter.labels, ...annotations.map((a) => a.label)]) {
    if (!counts.has(l)) {
      counts.set(l, 0);
      extra.add(l);
    }
  }
  const ordered = [...schemaLabels.filter((l, i) => schemaLabels.indexOf(l) === i), ...[...extra].sort((a, b) => a.localeCompare(b))];
  return ordered.map((label) => ({ label, count: counts.get(label) ?? 0 }));
}

/** Every annotator with an annotation here, sorted by name. */
export function annotatorsOf(annotations: readonly Annotation[]): string[] {
  return [...new Set(annotations.map((a) => a.annotator))].sort((a, b) => a.localeCompare(b));
}

/** Adds a label to the filter, or removes it when it is already there. */
export function toggleLabel(filter: AnnotationFilter, label: string): AnnotationFilter {
  const labels = filter.labels.includes(label) ? filter.labels.filter((l) => l !== label) : [...filter.labels, label];
  return { ...filter, labels };
}
