import { MAX_IMPORT_BYTES } from '../api';
import { AnnotationOrigin, AttributeValue } from '../model';
import { quoteAt } from '../anchoring';
import type { ImportSource, ParsedAnnotation, ParsedDocument, ParsedRelation, ParseProblem, ParseResult } from './dataset';
import { jsonProblem } from './jsonProblem';

/**
 * Reads Margin's own jsonl (see jsonl.ts): one document per line; offsets in code points,
 * converted here to UTF-16; links name annotations by id; each annotation names its annotator.
 * A line that cannot be read is a problem (line, reason) and the other lines go on; within a
 * good line, an annotation or a link that cannot be read is a problem of its own.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** utf16[i] is where code point i starts (utf16[count] = text.length). */
function codePointTable(text: string): number[] {
  const table: number[] = [];
  let i = 0;
  for (const ch of text) {
    table.push(i);
    i += ch.length;
  }
  table.push(i);
  return table;
}

function parseAnnotation(raw: unknown, at: string, text: string, table: number[], line: number, problems: ParseProblem[]): ParsedAnnotation | null {
  const fail = (reason: string) => {
    problems.push({ line, reason: `${at}: ${reason}` });
    return null;
  };
  if (!isObject(raw)) return fail('not an object');
  const { label, start, end } = raw;
  if (typeof label !== 'string' || label === '') return fail('label: missing');
  if (!Number.isInteger(start) || !Number.isInteger(end)) return fail('start and end must be whole numbers');
  const points = table.length - 1;
  if ((start as number) < 0 || (end as number) > points) return fail(`offsets ${String(start)}-${String(end)} are outside the text (0..${points} code points)`);
  if ((end as number) <= (start as number)) return fail(`end ${String(end)} is not after start ${String(start)}`);
  const attributes: Record<string, AttributeValue> = {};
  if (raw.attributes !== undefined && raw.attributes !== null) {
    if (!isObject(raw.attributes)) return fail('attributes: not an object');
    for (const [name, value] of Object.entries(raw.attributes)) {
      if (!AttributeValue.safeParse(value).success) return fail(`attributes.${name}: not text, a number, true/false or a list of text`);
      attributes[name] = value as AttributeValue;
    }
  }
  if (raw.note !== undefined && raw.note !== null && typeof raw.note !== 'string') return fail('note: not text');
  if (raw.annotator !== undefined && raw.annotator !== null && typeof raw.annotator !== 'string') return fail('annotator: not text');
  const origin = raw.origin === undefined || raw.origin === null ? undefined : AnnotationOrigin.safeParse(raw.origin);
  if (origin && !origin.success) return fail(`origin: ${JSON.stringify(raw.origin)} is not an origin Margin knows (only "suggested", or none)`);
  const s = table[start as number]!;
  const e = table[end as number]!;
  // The file's own text around the span: its context, for re-anchoring when the project's text differs.
  const context = quoteAt(text, s, e);
  const exact = typeof raw.text === 'string' ? raw.text : context.exact;
  const annotation: ParsedAnnotation = {
    sourceId: typeof raw.id === 'string' && raw.id !== '' ? raw.id : at,
    label,
    start: s,
    end: e,
    quote: { exact, prefix: context.prefix, suffix: context.suffix },
    attributes,
    line,
  };
  if (typeof raw.note === 'string') annotation.note = raw.note;
  if (typeof raw.annotator === 'string') annotation.annotator = raw.annotator;
  if (origin?.success) annotation.origin = origin.data;
  if (typeof raw.createdAt === 'string') annotation.createdAt = raw.createdAt;
  if (typeof raw.updatedAt === 'string') annotation.updatedAt = raw.updatedAt;
  return annotation;
}

function parseRelation(raw: unknown, at: string, line: number, problems: ParseProblem[]): ParsedRelation | null {
  if (!isObject(raw) || typeof raw.type !== 'string' || typeof raw.from !== 'string' || typeof raw.to !== 'string' || raw.type === '') {
    problems.push({ line, reason: `${at}: a link needs type, from and to` });
    return null;
  }
  // The link's own id rides along (ParsedRelation has no field for it yet): the importer keeps it when it can.
  const relation: ParsedRelation & { id?: string } = { type: raw.type, from: raw.from, to: raw.to, line };
  if (typeof raw.id === 'string') relation.id = raw.id;
  if (typeof raw.annotator === 'string') relation.annotator = raw.annotator;
  return relation;
}

function parseLine(content: string, line: number, problems: ParseProblem[]): ParsedDocument | null {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    problems.push({ line, reason: jsonProblem(error, content).reason });
    return null;
  }
  if (!isObject(value)) {
    problems.push({ line, reason: 'not a JSON object (Margin jsonl has one document object per line)' });
    return null;
  }
  if (typeof value.text !== 'string') {
    problems.push({ line, reason: 'text: missing (every line carries its document text)' });
    return null;
  }
  const text = value.text;
  // A text no project takes (20 MB at most) is refused before its code-point table (8 bytes a
  // character) is built: a 50 MB line would need 400 MB for nothing.
  if (text.length > MAX_IMPORT_BYTES) {
    const count = Array.isArray(value.annotations) ? value.annotations.length : 0;
    problems.push({ line, reason: `a document larger than 20 MB (${(text.length / 1024 / 1024).toFixed(1)} million characters; ${count} annotation(s) not imported)` });
    return null;
  }
  const table = codePointTable(text);
  const meta = isObject(value.meta) ? value.meta : {};
  const title = typeof meta.title === 'string' ? meta.title : typeof value.title === 'string' ? value.title : undefined;
  // Each annotator's status rides along (ParsedDocument has no field for it yet): "done" is imported.
  const doc: ParsedDocument & { status?: Record<string, string> } = { text, annotations: [], relations: [], line };
  if (isObject(value.status)) {
    doc.status = Object.fromEntries(Object.entries(value.status).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }
  if (typeof value.id === 'string') doc.id = value.id;
  if (title !== undefined) doc.title = title;
  const annotations = Array.isArray(value.annotations) ? value.annotations : [];
  if (value.annotations !== undefined && !Array.isArray(value.annotations)) problems.push({ line, reason: 'annotations: not a list' });
  annotations.forEach((raw, i) => {
    const a = parseAnnotation(raw, `annotation ${i + 1}`, text, table, line, problems);
    if (a) doc.annotations.push(a);
  });
  const relations = Array.isArray(value.relations) ? value.relations : [];
  if (value.relations !== undefined && !Array.isArray(value.relations)) problems.push({ line, reason: 'relations: not a list' });
  relations.forEach((raw, i) => {
    const r = parseRelation(raw, `link ${i + 1}`, line, problems);
    if (r) doc.relations.push(r);
  });
  return doc;
}

export function parseJsonl(source: ImportSource): ParseResult {
  const problems: ParseProblem[] = [];
  const documents: ParsedDocument[] = [];
  // Lines as an editor counts them: \r\n, \n or a lone \r ends one (JSON text holds none of them raw).
  const lines = source.content.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((content, i) => {
    if (content.trim() === '') return;
    const doc = parseLine(content, i + 1, problems);
    if (doc) documents.push(doc);
  });
  if (documents.length === 0 && problems.length === 0) problems.push({ reason: 'no documents in it (an empty file)' });
  return { documents, problems };
}
