import type { Annotation, LayerFile, Orphan, Quote, Relation } from '../../../shared/model';

/** A placed annotation as an import would write it: what makes it the same one again. */
export interface SpanRecord {
  label: string;
  start: number;
  end: number;
  /** The annotated text. */
  exact: string;
}

const spanKey = (s: SpanRecord) => JSON.stringify([s.label, s.start, s.end, s.exact]);
const orphanKey = (label: string, quote: Quote) => JSON.stringify([label, quote.exact, quote.prefix, quote.suffix]);
const linkKey = (type: string, from: string, to: string) => JSON.stringify([type, from, to]);

/**
 * What one annotator's layer of a document already holds, so that importing the same records
 * again adds nothing. Every record of a layer is that annotator's, so "by the same annotator"
 * is the layer itself. An annotation is already there when the layer has its id, or one with
 * the same label, span and text; an orphan when it has its id, or one with the same label and
 * quote; a link when it has its id, or one of the same type between the same two annotations.
 * What an import adds is recorded too, so a record given twice in one import is added once.
 * Within one document of a file, though, two records are two annotations even when they mark
 * the same span with the same label (brat: two events on one trigger): a record matches only an
 * annotation no other record of that document has matched, so importing the file again matches
 * each to its own.
 */
export class LayerRecords {
  private readonly annotationsById = new Map<string, Annotation>();
  private readonly annotationsBySpan = new Map<string, Annotation[]>();
  private readonly orphanIds = new Set<string>();
  private readonly orphanQuotes = new Set<string>();
  private readonly relationIds = new Set<string>();
  private readonly links = new Set<string>();

  constructor(layer?: Pick<LayerFile, 'annotations' | 'relations' | 'orphans'>) {
    for (const a of layer?.annotations ?? []) this.addAnnotation(a);
    for (const o of layer?.orphans ?? []) this.addOrphan(o);
    for (const r of layer?.relations ?? []) this.addRelation(r);
  }

  addAnnotation(a: Annotation): void {
    this.annotationsById.set(a.id, a);
    const key = spanKey({ label: a.label, start: a.start, end: a.end, exact: a.quote.exact });
    const same = this.annotationsBySpan.get(key);
    if (same) same.push(a);
    else this.annotationsBySpan.set(key, [a]);
  }

  addOrphan(o: Orphan): void {
    this.orphanIds.add(o.id);
    this.orphanQuotes.add(orphanKey(o.label, o.quote));
  }

  addRelation(r: Relation): void {
    this.relationIds.add(r.id);
    this.links.add(linkKey(r.type, r.from, r.to));
  }

  /** The annotation already in the layer that this record is, if any; `taken`: ids other records of its document matched. */
  annotation(id: string | null, span: SpanRecord, taken: ReadonlySet<string> = new Set()): Annotation | undefined {
    const byId = id !== null ? this.annotationsById.get(id) : undefined;
    if (byId && !taken.has(byId.id)) return byId;
    return this.annotationsBySpan.get(spanKey(span))?.find((a) => !taken.has(a.id));
  }

  hasOrphan(id: string | null, label: string, quote: Quote): boolean {
    return (id !== null && this.orphanIds.has(id)) || this.orphanQuotes.has(orphanKey(label, quote));
  }

  hasRelation(id: string | null, type: string, from: string, to: string): boolean {
    return (id !== null && this.relationIds.has(id)) || this.links.has(linkKey(type, from, to));
  }
}
