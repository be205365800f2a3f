import type { Annotation, DocStatus, Relation } from '../model';
import { utf16ToCodePointMany } from '../offsets';

/** What a document line says about the article besides its text (the user's edits applied). */
export interface ExportMeta {
  title?: string;
  outlet?: string;
  author?: string;
  published?: string;
  url?: string;
  language?: string;
  /** The original file's name ("Pasted text" for a paste). */
  fileName?: string;
  importedAt?: string;
  /** Ids of the documents that carry nearly the same text. */
  nearDuplicates?: readonly string[];
}

/** The keys of `meta` on every line, in this order; an unknown value is null, never left out. */
export const JSONL_META_KEYS = ['title', 'outlet', 'author', 'published', 'url', 'language', 'fileName', 'importedAt', 'nearDuplicates'] as const;

export interface ExportDocument {
  id: string;
  title: string;
  text: string;
  meta?: ExportMeta;
  annotations: readonly Annotation[];
  /** Links between the annotations above (callers pass only those whose ends are exported). */
  relations?: readonly Relation[];
  /** Each annotator's status on the document, by annotator name. */
  status?: Readonly<Record<string, DocStatus>>;
}

/** Every key present (null when unknown), so a line loads into a table with the same columns each time. */
export function metaToJsonl(meta: ExportMeta | undefined, title: string): Record<(typeof JSONL_META_KEYS)[number], string | string[] | null> {
  const m = meta ?? {};
  return {
    title: m.title ?? title,
    outlet: m.outlet ?? null,
    author: m.author ?? null,
    published: m.published ?? null,
    url: m.url ?? null,
    language: m.language ?? null,
    fileName: m.fileName ?? null,
    importedAt: m.importedAt ?? null,
    nearDuplicates: [...(m.nearDuplicates ?? [])],
  };
}

/**
 * Margin's own dataset format: one JSON object per document per line. Offsets are Unicode code
 * points, so Python's text[start:end] is the span's text. Links name annotations by id. `meta`
 * holds every key of JSONL_META_KEYS, null when unknown (nearDuplicates: [] when none).
 */
export function documentToJsonl(doc: ExportDocument): string {
  const offsets = utf16ToCodePointMany(doc.text, doc.annotations.flatMap((a) => [a.start, a.end]));
  return JSON.stringify({
    id: doc.id,
    title: doc.title,
    meta: metaToJsonl(doc.meta, doc.title),
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
      // Only on accepted or pre-annotated suggestions: the analyst's own work carries no origin.
      ...(a.origin ? { origin: a.origin } : {}),
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
