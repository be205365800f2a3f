import type { Annotation, AttributeValue, TagSchema } from '../model';
import { codePointToUtf16, utf16ToCodePointMany } from '../offsets';
import type { ExportDocument, Exporter, ImportSource, ParsedAnnotation, ParsedDocument, ParsedRelation, ParseProblem, ParseResult } from './dataset';
import { jsonProblem } from './jsonProblem';
import { shownValue } from './shownValue';

/**
 * doccano JSONL, one document per line, offsets in Unicode code points (doccano is Python: they
 * are `text[start:end]`).
 *
 * Two variants; one is chosen per export, for the whole file, from the schema the export is
 * given (a file mixing both would not load in doccano, and the choice has to be made before the
 * first line is streamed):
 * - sequence labeling, when the schema has no relation types:
 *   `{"id","text","label":[[start,end,"LABEL"],…]}`
 * - entities/relations, when it has any:
 *   `{"id","text","entities":[{"id","label","start_offset","end_offset"}],"relations":[{"id","from_id","to_id","type"}]}`
 *   Entity and relation ids are integers unique within the file, as doccano writes them.
 * A caller that knows no relation is exported can pass a schema with `relations: []` to get the
 * simpler variant.
 *
 * doccano has no field for attributes, notes, annotators or Margin's ids; they go in an extra
 * `margin` key (doccano ignores unknown keys) so Margin's own round trip loses nothing:
 * `"margin": {"docId","title","annotations":[{"index","id","annotator","attributes","note","createdAt","updatedAt","norms","origin"}],"relations":[{"index","id","annotator"}]}`,
 * where `index` is the position in `label`/`entities`/`relations`. In the sequence-labeling
 * variant relations (if any slip through) are kept only in `margin.relations` with from/to/type.
 */

export type DoccanoVariant = 'labels' | 'entities-relations';

/** The variant an export with this schema writes. */
export function doccanoVariant(schema: TagSchema): DoccanoVariant {
  return schema.relations.length > 0 ? 'entities-relations' : 'labels';
}

interface MarginAnnotationExtra {
  index: number;
  id: string;
  annotator: string;
  attributes: Record<string, AttributeValue>;
  note: string | null;
  createdAt: string;
  updatedAt: string;
  norms?: Annotation['norms'];
  origin?: Annotation['origin'];
}

function annotationExtra(a: Annotation, index: number): MarginAnnotationExtra {
  const extra: MarginAnnotationExtra = {
    index,
    id: a.id,
    annotator: a.annotator,
    attributes: a.attributes,
    note: a.note ?? null,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
  if (a.norms && a.norms.length > 0) extra.norms = a.norms;
  if (a.origin) extra.origin = a.origin;
  return extra;
}

export function createDoccanoExporter(): Exporter {
  let variant: DoccanoVariant | undefined;
  let nextEntityId = 1;
  let nextRelationId = 1;
  return {
    kind: 'single',
    extension: '.jsonl',
    begin(ctx) {
      variant = doccanoVariant(ctx.schema);
      nextEntityId = 1;
      nextRelationId = 1;
      return '';
    },
    document(doc: ExportDocument, ctx) {
      variant ??= doccanoVariant(ctx.schema);
      const offsets = utf16ToCodePointMany(doc.text, doc.annotations.flatMap((a) => [a.start, a.end]));
      const relations = doc.relations ?? [];
      const margin = {
        docId: doc.id,
        title: doc.title,
        annotations: doc.annotations.map(annotationExtra),
        relations: [] as Record<string, unknown>[],
      };
      if (variant === 'labels') {
        margin.relations = relations.map((r, index) => ({ index, id: r.id, annotator: r.annotator, type: r.type, from: r.from, to: r.to }));
        return `${JSON.stringify({
          id: doc.id,
          text: doc.text,
          label: doc.annotations.map((a, i) => [offsets[2 * i], offsets[2 * i + 1], a.label]),
          margin,
        })}\n`;
      }
      const entityIds = new Map<string, number>();
      const entities = doc.annotations.map((a, i) => {
        const id = nextEntityId++;
        entityIds.set(a.id, id);
        return { id, label: a.label, start_offset: offsets[2 * i], end_offset: offsets[2 * i + 1] };
      });
      const exported: Record<string, unknown>[] = [];
      for (const r of relations) {
        const from = entityIds.get(r.from);
        const to = entityIds.get(r.to);
        if (from === undefined || to === undefined) continue;
        const id = nextRelationId++;
        margin.relations.push({ index: exported.length, id: r.id, annotator: r.annotator });
        exported.push({ id, from_id: from, to_id: to, type: r.type });
      }
      return `${JSON.stringify({ id: doc.id, text: doc.text, entities, relations: exported, margin })}\n`;
    },
    end() {
      return '';
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Import

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isAttributeValue(v: unknown): v is AttributeValue {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
}

function readAttributes(v: unknown): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  if (!isRecord(v)) return out;
  for (const [k, val] of Object.entries(v)) if (isAttributeValue(val)) out[k] = val;
  return out;
}

function readNorms(v: unknown): ParsedAnnotation['norms'] {
  if (!Array.isArray(v)) return undefined;
  const norms = v.filter((n): n is { resource: string; id: string; text?: string } => isRecord(n) && typeof n.resource === 'string' && typeof n.id === 'string');
  return norms.length > 0 ? norms.map((n) => (typeof n.text === 'string' ? { resource: n.resource, id: n.id, text: n.text } : { resource: n.resource, id: n.id })) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Code-point offsets → UTF-16, or why they cannot be. */
export function spanFromCodePoints(text: string, start: unknown, end: unknown): { start: number; end: number } | string {
  if (typeof start !== 'number' || typeof end !== 'number' || !Number.isInteger(start) || !Number.isInteger(end)) return 'start and end must be whole numbers';
  if (start < 0 || end < start) return `offsets ${start}..${end} are not a span`;
  try {
    return { start: codePointToUtf16(text, start), end: codePointToUtf16(text, end) };
  } catch {
    return `offsets ${start}..${end} are outside the text`;
  }
}

interface RawSpan {
  sourceId: string;
  label: unknown;
  start: unknown;
  end: unknown;
  annotator?: string;
  /** Why the item cannot be read, reported in order with the others. */
  problem?: string;
}

/** One line of a doccano file; pushes problems and returns the document, or undefined when the line is unusable. */
function parseLine(value: unknown, line: number, problems: ParseProblem[]): ParsedDocument | undefined {
  if (!isRecord(value)) {
    problems.push({ line, reason: 'not a JSON object' });
    return undefined;
  }
  const text = typeof value.text === 'string' ? value.text : typeof value.data === 'string' ? value.data : undefined;
  if (text === undefined) {
    problems.push({ line, reason: 'no "text" (or "data") string' });
    return undefined;
  }
  const margin = isRecord(value.margin) ? value.margin : {};
  const extras = new Map<number, Record<string, unknown>>();
  if (Array.isArray(margin.annotations)) for (const e of margin.annotations) if (isRecord(e) && typeof e.index === 'number') extras.set(e.index, e);
  const relationExtras = new Map<number, Record<string, unknown>>();
  if (Array.isArray(margin.relations)) for (const e of margin.relations) if (isRecord(e) && typeof e.index === 'number') relationExtras.set(e.index, e);

  const raw: RawSpan[] = [];
  const relationsRaw: { index: number; from: unknown; to: unknown; type: unknown; annotator?: string }[] = [];
  let entityShape = false;
  const spans = Array.isArray(value.label) ? value.label : Array.isArray(value.labels) ? value.labels : undefined;
  if (Array.isArray(value.entities)) {
    entityShape = true;
    value.entities.forEach((e, i) => {
      if (!isRecord(e)) {
        raw.push({ sourceId: `entity-${i}`, label: undefined, start: undefined, end: undefined, problem: `entity ${i + 1} is not an object` });
        return;
      }
      const id = typeof e.id === 'number' || typeof e.id === 'string' ? String(e.id) : `entity-${i}`;
      raw.push({ sourceId: id, label: e.label, start: e.start_offset, end: e.end_offset });
    });
    if (Array.isArray(value.relations)) {
      value.relations.forEach((r, index) => {
        if (!isRecord(r)) {
          problems.push({ line, reason: `relation ${index + 1} is not an object` });
          return;
        }
        relationsRaw.push({ index, from: r.from_id, to: r.to_id, type: r.type ?? r.label });
      });
    }
  } else if (spans) {
    spans.forEach((s, i) => {
      if (Array.isArray(s) && s.length >= 3) raw.push({ sourceId: String(i), label: s[2], start: s[0], end: s[1] });
      else raw.push({ sourceId: String(i), label: undefined, start: undefined, end: undefined, problem: `label ${i + 1} is not [start, end, "LABEL"]` });
    });
  } else if (Array.isArray(value.annotations)) {
    // doccano 1.x: {"annotations":[{"label","start_offset","end_offset","user"}]}
    value.annotations.forEach((a, i) => {
      if (!isRecord(a)) {
        raw.push({ sourceId: String(i), label: undefined, start: undefined, end: undefined, problem: `annotation ${i + 1} is not an object` });
        return;
      }
      raw.push({ sourceId: String(i), label: a.label, start: a.start_offset, end: a.end_offset, annotator: a.user === undefined ? undefined : `user ${String(a.user)}` });
    });
  } else if (value.label !== undefined && value.label !== null) {
    problems.push({ line, reason: '"label" is not a list of spans' });
  }

  const annotations: ParsedAnnotation[] = [];
  const ids = new Map<string, string>();
  raw.forEach((r, index) => {
    if (r.problem !== undefined) {
      problems.push({ line, reason: r.problem });
      return;
    }
    const which = entityShape ? `entity ${r.sourceId}` : `span ${index + 1}`;
    if (typeof r.label !== 'string' || r.label === '') {
      problems.push({ line, reason: `${which}: the label must be a non-empty string` });
      return;
    }
    const span = spanFromCodePoints(text, r.start, r.end);
    if (typeof span === 'string') {
      problems.push({ line, reason: `${which}: ${span}` });
      return;
    }
    const extra = extras.get(index);
    const sourceId = str(extra?.id) ?? r.sourceId;
    ids.set(r.sourceId, sourceId);
    const parsed: ParsedAnnotation = {
      sourceId,
      label: r.label,
      start: span.start,
      end: span.end,
      quote: { exact: text.slice(span.start, span.end) },
      attributes: readAttributes(extra?.attributes),
      line,
    };
    const annotator = str(extra?.annotator) ?? r.annotator;
    if (annotator !== undefined) parsed.annotator = annotator;
    const note = str(extra?.note);
    if (note !== undefined) parsed.note = note;
    const createdAt = str(extra?.createdAt);
    if (createdAt !== undefined) parsed.createdAt = createdAt;
    const updatedAt = str(extra?.updatedAt);
    if (updatedAt !== undefined) parsed.updatedAt = updatedAt;
    const norms = readNorms(extra?.norms);
    if (norms) parsed.norms = norms;
    if (extra?.origin === 'suggested') parsed.origin = 'suggested';
    annotations.push(parsed);
  });

  const relations: ParsedRelation[] = [];
  if (entityShape) {
    for (const r of relationsRaw) {
      const from = ids.get(String(r.from));
      const to = ids.get(String(r.to));
      if (typeof r.type !== 'string' || r.type === '') {
        problems.push({ line, reason: `relation ${r.index + 1}: the type must be a non-empty string` });
        continue;
      }
      if (from === undefined || to === undefined) {
        problems.push({ line, reason: `relation ${r.index + 1}: links an entity that is not in this line (${shownValue(r.from)} → ${shownValue(r.to)})` });
        continue;
      }
      const rel: ParsedRelation = { type: r.type, from, to, line };
      const relationId = str(relationExtras.get(r.index)?.id);
      if (relationId !== undefined) rel.id = relationId;
      const annotator = str(relationExtras.get(r.index)?.annotator);
      if (annotator !== undefined) rel.annotator = annotator;
      relations.push(rel);
    }
  } else {
    // Sequence-labeling variant: relations only in Margin's extra key, naming annotations by id.
    const known = new Set(annotations.map((a) => a.sourceId));
    for (const e of relationExtras.values()) {
      const type = str(e.type);
      const from = str(e.from);
      const to = str(e.to);
      if (!type || !from || !to) continue;
      if (!known.has(from) || !known.has(to)) {
        problems.push({ line, reason: `relation ${type}: links an annotation that is not in this line` });
        continue;
      }
      const rel: ParsedRelation = { type, from, to, line };
      const relationId = str(e.id);
      if (relationId !== undefined) rel.id = relationId;
      const annotator = str(e.annotator);
      if (annotator !== undefined) rel.annotator = annotator;
      relations.push(rel);
    }
  }

  const doc: ParsedDocument = { text, annotations, relations, line };
  const id = str(margin.docId) ?? (typeof value.id === 'string' || typeof value.id === 'number' ? String(value.id) : undefined);
  if (id !== undefined) doc.id = id;
  const title = str(margin.title) ?? str(value.title);
  if (title !== undefined) doc.title = title;
  const annotators = new Set(annotations.map((a) => a.annotator).filter((a): a is string => a !== undefined));
  if (annotators.size === 1) doc.annotator = [...annotators][0];
  return doc;
}

/**
 * Reads a doccano JSONL file (both variants, and the older "labels" / "data" spellings). Every
 * line that cannot be read is reported with its line number; the others are imported. Never throws.
 */
export function parseDoccano(source: ImportSource): ParseResult {
  const documents: ParsedDocument[] = [];
  const problems: ParseProblem[] = [];
  const content = source.content.replace(/^\uFEFF/, '');
  // Lines as an editor counts them: \r\n, \n or a lone \r ends one (JSON text holds none of them raw).
  const lines = content.split(/\r\n|\n|\r/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      problems.push({ line, reason: jsonProblem(e, raw).reason });
      return;
    }
    try {
      const doc = parseLine(value, line, problems);
      if (doc) documents.push(doc);
    } catch {
      // A shape no branch above foresaw: said in words, never with the engine's message.
      problems.push({ line, reason: 'could not be read as a doccano line' });
    }
  });
  if (documents.length === 0 && problems.length === 0) problems.push({ reason: `${source.name} holds no documents` });
  return { documents, problems };
}
