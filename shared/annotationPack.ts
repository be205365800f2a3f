import { z } from 'zod';
import { quoteAt } from './anchoring';
import { Annotation, Quote } from './model';

/**
 * Annotations as the reading view receives them: a document's 10,000 annotations as objects
 * are 4 MB of JSON, most of it quotes the text already holds and names and timestamps repeated
 * on every line; sending, parsing and collecting that was most of the time a document took to
 * open. Packed, each annotation is its id and six numbers; what it has beyond the usual (a quote
 * the text does not give back, attribute values, a note, norms, an origin) travels beside, by position.
 */

/** Per annotation, in `numbers`: annotator, label, createdAt, updatedAt (indexes into `strings`), start, end. */
const FIELDS = 6;

const Extra = z
  .object({
    docId: z.string(),
    quote: Quote,
    attributes: Annotation.shape.attributes,
    note: z.string(),
    norms: Annotation.shape.norms.unwrap(),
    origin: Annotation.shape.origin.unwrap(),
  })
  .partial();
type Extra = z.infer<typeof Extra>;

export const PackedAnnotations = z.object({
  docId: z.string(),
  /** Names, labels and timestamps, each once. */
  strings: z.array(z.string()),
  ids: z.array(z.string()),
  numbers: z.array(z.number().int().nonnegative()),
  /** Keyed by the annotation's position in `ids`. */
  extras: z.record(z.string(), Extra),
});
export type PackedAnnotations = z.infer<typeof PackedAnnotations>;

function sameQuote(a: Quote, b: Quote): boolean {
  return a.exact === b.exact && a.prefix === b.prefix && a.suffix === b.suffix;
}

/** Packs annotations of document `docId`, whose text is `text`; unpack(result, text) gives them back, field for field. */
export function packAnnotations(docId: string, text: string, annotations: readonly Annotation[]): PackedAnnotations {
  const strings: string[] = [];
  const indexOf = new Map<string, number>();
  const intern = (s: string) => {
    let i = indexOf.get(s);
    if (i === undefined) {
      i = strings.push(s) - 1;
      indexOf.set(s, i);
    }
    return i;
  };
  const ids: string[] = [];
  const numbers: number[] = [];
  const extras: Record<string, Extra> = {};
  annotations.forEach((a, i) => {
    ids.push(a.id);
    numbers.push(intern(a.annotator), intern(a.label), intern(a.createdAt), intern(a.updatedAt), a.start, a.end);
    const extra: Extra = {};
    if (a.docId !== docId) extra.docId = a.docId;
    // A quote differs from the text only when an import kept the one it was given.
    if (!sameQuote(a.quote, quoteAt(text, a.start, a.end))) extra.quote = a.quote;
    if (Object.keys(a.attributes).length > 0) extra.attributes = a.attributes;
    if (a.note !== undefined) extra.note = a.note;
    if (a.norms !== undefined) extra.norms = a.norms;
    if (a.origin !== undefined) extra.origin = a.origin;
    if (Object.keys(extra).length > 0) extras[i] = extra;
  });
  return { docId, strings, ids, numbers, extras };
}

/** The annotations packed by packAnnotations, given the same text; a pack that does not fit together throws, naming the field. */
export function unpackAnnotations(packed: PackedAnnotations, text: string): Annotation[] {
  const { docId, strings, ids, numbers, extras } = packed;
  if (numbers.length !== ids.length * FIELDS) throw new Error(`packed annotations: numbers holds ${numbers.length} values, not ${FIELDS} for each of ${ids.length} ids`);
  const string = (at: number, field: string) => {
    const s = strings[numbers[at]!];
    if (s === undefined) throw new Error(`packed annotations: the ${field} of ${ids[at / FIELDS]} points at no string`);
    return s;
  };
  return ids.map((id, i) => {
    const at = i * FIELDS;
    const start = numbers[at + 4]!;
    const end = numbers[at + 5]!;
    const extra = extras[i];
    const a: Annotation = {
      id,
      docId: extra?.docId ?? docId,
      annotator: string(at, 'annotator'),
      label: string(at + 1, 'label'),
      start,
      end,
      quote: extra?.quote ?? quoteAt(text, start, end),
      attributes: extra?.attributes ?? {},
      createdAt: string(at + 2, 'createdAt'),
      updatedAt: string(at + 3, 'updatedAt'),
    };
    if (extra?.note !== undefined) a.note = extra.note;
    if (extra?.norms !== undefined) a.norms = extra.norms;
    if (extra?.origin !== undefined) a.origin = extra.origin;
    return a;
  });
}
