import type { Annotation } from '../model';
import { utf16ToCodePointMany } from '../offsets';

export interface ExportDocument {
  id: string;
  title: string;
  text: string;
  annotations: readonly Annotation[];
}

/**
 * Margin's own dataset format: one JSON object per document per line. Offsets are Unicode code
 * points, so Python's text[start:end] is the span's text.
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
  });
}

export function toJsonl(docs: Iterable<ExportDocument>): string {
  let out = '';
  for (const doc of docs) out += `${documentToJsonl(doc)}\n`;
  return out;
}
