import type { Annotation, DocStatus, Relation } from '../model';
import { utf16ToCodePointMany } from '../offsets';

export interface ExportDocument {
  id: string;
  title: string;
  text: string;
  annotations: readonly Annotation[];
  /** Links between the annotations above (callers pass only those whose ends are exported). */
  relations?: readonly Relation[];
  /** Each annotator's status on the document, by annotator name. */
  status?: Readonly<Record<string, DocStatus>>;
}

/**
 * Margin's own dataset format: one JSON object per document per line. Offsets are Unicode code
 * points, so Python's text[start:end] is the span's text. Links name annotations by id.
 */
export function documentToJsonl(doc: ExportDocument): string {
  const offsets = utf16ToCodePointMany(doc.text, doc.annotations.flatMap((a) => [a.start, a.end]));
  return JSON.stringify({
    id: doc.id,
    title: doc.title,
    text: doc.text,
    annotations: doc.annotations.map((a, i) => ({
      id: a.id,
      label: a.label,
      start: offsets[2 * i],
      end: offsets[2 * i + 1],
      text: doc.text.slice(a.start, a.end),
      annotator: a.annotator,
      attributes: a.attributes,
      note: a.note ?? null,
    })),
    relations: (doc.relations ?? []).map((r) => ({ id: r.id, type: r.type, from: r.from, to: r.to, annotator: r.annotator })),
    status: doc.status ?? {},
  });
}

export function toJsonl(docs: Iterable<ExportDocument>): string {
  let out = '';
  for (const doc of docs) out += `${documentToJsonl(doc)}\n`;
  return out;
}
