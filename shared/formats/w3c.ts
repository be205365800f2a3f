import { AttributeValue, type Annotation, type Relation } from '../model';
import { codePointToUtf16, utf16ToCodePointMany } from '../offsets';
import type { ExportDocument, Exporter, ImportSource, ParsedAnnotation, ParsedDocument, ParsedRelation, ParseProblem, ParseResult } from './dataset';
import { jsonProblem } from './jsonProblem';
import { shownValue } from './shownValue';

/**
 * W3C Web Annotation (JSON-LD) export and import.
 *
 * The export is ONE `AnnotationCollection` whose `first` is an embedded `AnnotationPage`:
 *
 *   { "@context": W3C_CONTEXT, "id", "type": "AnnotationCollection", "label",
 *     "first": { "type": "AnnotationPage", "startIndex": 0, "items": [ …Annotation… ] },
 *     "total": N }
 *
 * `total` is written last (JSON objects are unordered) so the file streams document by document.
 * Every item is a complete Annotation, `@context` included, valid against every assertion of the
 * W3C test suite's annotationMusts.test:
 *
 * Span annotation
 *   id        urn:margin:<docId>:<annotationId>   (annotation id percent-encoded)
 *   motivation "tagging"; created / modified (createdAt / updatedAt); creator {type Person, name}
 *   body      [ {TextualBody, purpose tagging, value label},
 *               {TextualBody, purpose describing, value "name=value"} per attribute (readable),
 *               {TextualBody, purpose commenting, value note} when there is a note ]
 *   target    { source: urn:margin:doc:<docId>, selector: [TextQuoteSelector {exact,prefix,suffix},
 *               TextPositionSelector {start,end} in Unicode CODE POINTS] }
 *   margin:attributes  the attributes as typed JSON (strings, numbers, booleans, string arrays):
 *                      the lossless copy the importer reads; the describing bodies are for people
 *   margin:norms       brat-style normalizations, when there are any
 *   margin:origin      "suggested" on an accepted or pre-annotated suggestion (creator stays the
 *                      analyst who accepted it: `generator` names the software that wrote the file)
 *   margin:document    {id, title, text, meta?} on the FIRST item of each document, so an import
 *                      into an empty project can create the document
 * Relation
 *   id        urn:margin:<docId>:relation:<relationId>; motivation "linking"; creator
 *   body      {TextualBody, purpose tagging, value type}
 *   target    [ IRI of `from`, IRI of `to` ]   (in that order)
 *
 * The `margin:` prefix and the JSON-literal type of the extension properties are declared in the
 * second entry of `@context`.
 */

export const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';
export const MARGIN_VOCAB = 'urn:margin:vocab:';
export const W3C_CONTEXT = [
  ANNO_CONTEXT,
  {
    margin: MARGIN_VOCAB,
    'margin:attributes': { '@type': '@json' },
    'margin:norms': { '@type': '@json' },
    'margin:document': { '@type': '@json' },
  },
] as const;

const DOC_PREFIX = 'urn:margin:doc:';

/** IRI of the document a target points at. */
export function documentIri(docId: string): string {
  return `${DOC_PREFIX}${encodeURIComponent(docId)}`;
}
/** IRI of an annotation in an export. */
export function annotationIri(docId: string, annotationId: string): string {
  return `urn:margin:${encodeURIComponent(docId)}:${encodeURIComponent(annotationId)}`;
}
/** IRI of a relation (a linking annotation) in an export. */
export function relationIri(docId: string, relationId: string): string {
  return `urn:margin:${encodeURIComponent(docId)}:relation:${encodeURIComponent(relationId)}`;
}
/** Margin's ids back from an annotation IRI of our own export, or undefined for anything else. */
export function parseAnnotationIri(iri: string): { docId: string; annotationId: string } | undefined {
  const m = /^urn:margin:([^:]+):([^:]+)$/.exec(iri);
  if (!m || m[1] === 'doc' || m[1] === 'vocab') return undefined;
  try {
    return { docId: decodeURIComponent(m[1]!), annotationId: decodeURIComponent(m[2]!) };
  } catch {
    return undefined;
  }
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
function isDateTime(value: string | undefined): value is string {
  return typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

function readable(value: AttributeValue): string {
  return Array.isArray(value) ? value.join(', ') : String(value);
}

export interface W3cExportOptions {
  /** The collection's IRI (default urn:margin:export); pass something stable so re-exports are identical. */
  id?: string;
  /** The collection's label (default "Margin export"). */
  label?: string;
}

/** The JSON object of one span annotation. */
export function annotationToW3c(doc: ExportDocument, a: Annotation, start: number, end: number, withDocument: boolean): Record<string, unknown> {
  const body: Record<string, unknown>[] = [{ type: 'TextualBody', purpose: 'tagging', value: a.label }];
  const names = Object.keys(a.attributes);
  for (const name of names) body.push({ type: 'TextualBody', purpose: 'describing', value: `${name}=${readable(a.attributes[name]!)}` });
  if (a.note !== undefined) body.push({ type: 'TextualBody', purpose: 'commenting', value: a.note });
  const item: Record<string, unknown> = {
    '@context': W3C_CONTEXT,
    id: annotationIri(doc.id, a.id),
    type: 'Annotation',
    motivation: 'tagging',
  };
  if (isDateTime(a.createdAt)) item.created = a.createdAt;
  if (isDateTime(a.updatedAt)) item.modified = a.updatedAt;
  item.creator = { type: 'Person', name: a.annotator };
  item.body = body;
  item.target = {
    source: documentIri(doc.id),
    selector: [
      { type: 'TextQuoteSelector', exact: doc.text.slice(a.start, a.end), prefix: a.quote.prefix, suffix: a.quote.suffix },
      { type: 'TextPositionSelector', start, end },
    ],
  };
  if (names.length > 0) item['margin:attributes'] = a.attributes;
  if (a.norms && a.norms.length > 0) item['margin:norms'] = a.norms;
  if (a.origin) item['margin:origin'] = a.origin;
  if (withDocument) {
    const document: Record<string, unknown> = { id: doc.id, title: doc.title, text: doc.text };
    if (doc.meta) document.meta = doc.meta;
    item['margin:document'] = document;
  }
  return item;
}

/** The JSON object of one relation: a linking annotation between two annotation IRIs. */
export function relationToW3c(docId: string, r: Relation): Record<string, unknown> {
  return {
    '@context': W3C_CONTEXT,
    id: relationIri(docId, r.id),
    type: 'Annotation',
    motivation: 'linking',
    creator: { type: 'Person', name: r.annotator },
    body: { type: 'TextualBody', purpose: 'tagging', value: r.type },
    target: [annotationIri(docId, r.from), annotationIri(docId, r.to)],
  };
}

/** Every item of one document: its annotations, then its relations. */
export function documentToW3cItems(doc: ExportDocument): Record<string, unknown>[] {
  const offsets = utf16ToCodePointMany(doc.text, doc.annotations.flatMap((a) => [a.start, a.end]));
  const items = doc.annotations.map((a, i) => annotationToW3c(doc, a, offsets[2 * i]!, offsets[2 * i + 1]!, i === 0));
  for (const r of doc.relations ?? []) items.push(relationToW3c(doc.id, r));
  return items;
}

/**
 * A fresh streaming exporter. It keeps a little state (whether an item was written, how many)
 * between calls, reset by `begin`: use one exporter per export at a time.
 */
export function createW3cExporter(options: W3cExportOptions = {}): Exporter {
  const state = { written: 0 };
  return {
    kind: 'single',
    extension: '.jsonld',
    begin() {
      state.written = 0;
      const head = JSON.stringify({
        '@context': W3C_CONTEXT,
        id: options.id ?? 'urn:margin:export',
        type: 'AnnotationCollection',
        label: options.label ?? 'Margin export',
      });
      // Leave the object open: the page and its items follow, `total` comes in `end`.
      return `${head.slice(0, -1)},\n"first":{"type":"AnnotationPage","startIndex":0,"items":[\n`;
    },
    document(doc) {
      const items = documentToW3cItems(doc);
      if (items.length === 0) return '';
      const chunk = items.map((item) => JSON.stringify(item)).join(',\n');
      const out = (state.written > 0 ? ',\n' : '') + chunk;
      state.written += items.length;
      return out;
    },
    end() {
      return `\n]},\n"total":${state.written}}\n`;
    },
  };
}

/**
 * The shared exporter instance, for the export registry. It resets on `begin`, so sequential
 * exports are fine; exports running at the same time must each use `createW3cExporter()`.
 */
export const w3cExporter: Exporter = createW3cExporter();

// ---------------------------------------------------------------------------------------------
// Import

type Json = unknown;
type Obj = Record<string, Json>;

function isObj(v: Json): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function asArray(v: Json): Json[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}
function types(v: Obj): string[] {
  return asArray(v.type ?? v['@type'])
    .filter((t): t is string => typeof t === 'string')
    .map((t) => t.replace(/^(oa|as):/, ''));
}
function hasType(v: Json, type: string): boolean {
  return isObj(v) && types(v).includes(type);
}
function str(v: Json): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return undefined;
}
function idOf(v: Obj): string | undefined {
  return str(v.id) ?? str(v['@id']);
}

/** Flattens a collection / page / array / single annotation into its annotations, in order. */
function collectItems(root: Json, problems: ParseProblem[]): Json[] {
  const out: Json[] = [];
  const seenPages = new Set<Json>();
  const page = (p: Json) => {
    let current: Json = p;
    while (isObj(current) && !seenPages.has(current)) {
      seenPages.add(current);
      out.push(...asArray(current.items ?? current['as:items']));
      const next: Json = current.next;
      if (typeof next === 'string') {
        problems.push({ reason: `the page ${next} is given by reference only and cannot be followed; its annotations are not in this file` });
        break;
      }
      current = next;
    }
  };
  const visit = (node: Json) => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n);
    } else if (hasType(node, 'AnnotationCollection')) {
      const first = (node as Obj).first;
      if (typeof first === 'string') problems.push({ reason: `the collection's first page ${first} is given by reference only and cannot be followed` });
      else page(first);
    } else if (hasType(node, 'AnnotationPage')) {
      page(node);
    } else {
      out.push(node);
    }
  };
  visit(root);
  return out;
}

interface SelectorInfo {
  source: string;
  position?: { start: number; end: number };
  quote?: { exact: string; prefix?: string; suffix?: string };
}

function readTarget(target: Json): SelectorInfo | string {
  const targets = asArray(target);
  if (targets.length === 0) return 'no target';
  let fallback: string | undefined;
  for (const t of targets) {
    if (typeof t === 'string') {
      fallback ??= `its target ${t} is a whole resource, not a span of text (no selector)`;
      continue;
    }
    if (!isObj(t)) continue;
    const source = str(t.source) ?? (isObj(t.source) ? idOf(t.source) : undefined);
    if (!source) {
      fallback ??= 'its target has no source';
      continue;
    }
    const info: SelectorInfo = { source };
    const selectors = [...asArray(t.selector)];
    for (let i = 0; i < selectors.length; i++) {
      const s = selectors[i];
      if (!isObj(s)) continue;
      if (s.refinedBy !== undefined) selectors.push(...asArray(s.refinedBy));
      if (hasType(s, 'TextPositionSelector') && !info.position) {
        const start = s.start;
        const end = s.end;
        if (typeof start !== 'number' || typeof end !== 'number' || !Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start) {
          return `its TextPositionSelector has start ${shownValue(start)} and end ${shownValue(end)}: they must be whole numbers with 0 <= start <= end`;
        }
        info.position = { start, end };
      } else if (hasType(s, 'TextQuoteSelector') && !info.quote) {
        if (typeof s.exact !== 'string') return 'its TextQuoteSelector has no exact text';
        info.quote = { exact: s.exact };
        if (typeof s.prefix === 'string') info.quote.prefix = s.prefix;
        if (typeof s.suffix === 'string') info.quote.suffix = s.suffix;
      }
    }
    if (!info.position && !info.quote) {
      fallback ??= `its target on ${source} has neither a TextPositionSelector nor a TextQuoteSelector`;
      continue;
    }
    return info;
  }
  return fallback ?? 'its target is not a resource with a text selector';
}

interface BodyInfo {
  tags: string[];
  describing: string[];
  comments: string[];
}

function readBodies(item: Obj): BodyInfo {
  const info: BodyInfo = { tags: [], describing: [], comments: [] };
  const motivations = asArray(item.motivation).filter((m): m is string => typeof m === 'string').map((m) => m.replace(/^oa:/, ''));
  const bodyValue = str(item.bodyValue);
  if (bodyValue !== undefined) (motivations[0] === 'tagging' ? info.tags : info.comments).push(bodyValue);
  for (const b of asArray(item.body)) {
    if (!isObj(b)) continue;
    // TextualBody, or an untyped object with a value (the model's default for `value`).
    const value = str(b.value) ?? str(b['rdf:value']) ?? str(b.chars);
    if (value === undefined) continue;
    const purpose = (str(b.purpose) ?? motivations[0] ?? '').replace(/^oa:/, '');
    if (purpose === 'tagging' || purpose === 'classifying' || purpose === 'identifying') info.tags.push(value);
    else if (purpose === 'describing') info.describing.push(value);
    else info.comments.push(value);
  }
  return info;
}

function readCreator(item: Obj): string | undefined {
  for (const c of asArray(item.creator)) {
    if (typeof c === 'string') return c;
    if (isObj(c)) {
      const name = str(c.name) ?? str(c.nickname) ?? idOf(c);
      if (name) return name;
    }
  }
  return undefined;
}

function readAttributes(item: Obj, bodies: BodyInfo): Record<string, AttributeValue> | string {
  const typed = item['margin:attributes'] ?? item[`${MARGIN_VOCAB}attributes`];
  if (typed !== undefined) {
    if (!isObj(typed)) return 'margin:attributes is not an object';
    const out: Record<string, AttributeValue> = {};
    for (const [name, value] of Object.entries(typed)) {
      const parsed = AttributeValue.safeParse(value);
      if (!parsed.success) return `margin:attributes.${name} is not a string, number, boolean or list of strings`;
      out[name] = parsed.data;
    }
    return out;
  }
  // Another tool's describing bodies: "name=value" as text.
  const out: Record<string, AttributeValue> = {};
  for (const d of bodies.describing) {
    const eq = d.indexOf('=');
    if (eq > 0) out[d.slice(0, eq).trim()] = d.slice(eq + 1).trim();
  }
  return out;
}

function readNorms(item: Obj): ParsedAnnotation['norms'] | string | undefined {
  const norms = item['margin:norms'];
  if (norms === undefined) return undefined;
  if (!Array.isArray(norms) || !norms.every((n) => isObj(n) && typeof n.resource === 'string' && typeof n.id === 'string' && (n.text === undefined || typeof n.text === 'string'))) {
    return 'margin:norms is not a list of {resource, id, text?}';
  }
  return norms.map((n: Obj) => {
    const norm: { resource: string; id: string; text?: string } = { resource: n.resource as string, id: n.id as string };
    if (typeof n.text === 'string') norm.text = n.text;
    return norm;
  });
}

/** Finds a quote in the text: every exact match, the one whose prefix and suffix fit best wins. */
function locateQuote(text: string, quote: { exact: string; prefix?: string; suffix?: string }): number | undefined {
  if (quote.exact === '') return undefined;
  let best: number | undefined;
  let bestScore = -1;
  for (let i = text.indexOf(quote.exact); i >= 0; i = text.indexOf(quote.exact, i + 1)) {
    let score = 0;
    if (quote.prefix && text.slice(Math.max(0, i - quote.prefix.length), i) === quote.prefix) score += 2;
    if (quote.suffix && text.slice(i + quote.exact.length, i + quote.exact.length + quote.suffix.length) === quote.suffix) score += 2;
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}

function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

interface DocState {
  doc: ParsedDocument;
  /** Whether `text` is known (carried by the file or given by the caller). */
  known: boolean;
  length: number;
}

/**
 * Reads a W3C Web Annotation file: our own export (an AnnotationCollection with margin:
 * extensions) or other tools' annotations (a single Annotation, an array, an AnnotationPage, a
 * collection with embedded pages). Annotations are grouped into documents by target source.
 * TextPositionSelector offsets (code points) are converted to UTF-16 against the document text;
 * when the file does not carry the text (and `source.text` is not given), the document's `text`
 * is '' and start/end are the file's code-point offsets unconverted, with the quote for
 * re-anchoring. Never throws: unreadable items are reported as "item N" (1-based) problems.
 */
export function parseW3c(source: ImportSource): ParseResult {
  const problems: ParseProblem[] = [];
  let root: Json;
  const content = source.content.replace(/^\uFEFF/, '');
  try {
    root = JSON.parse(content);
  } catch (err) {
    const problem = jsonProblem(err, content);
    return { documents: [], problems: [{ line: problem.line, reason: `${source.name} is not JSON${problem.reason.replace(/^not valid JSON/, '')}` }] };
  }
  const items = collectItems(root, problems);
  const docs = new Map<string, DocState>();
  const docFor = (iri: string): DocState => {
    let state = docs.get(iri);
    if (!state) {
      const id = iri.startsWith(DOC_PREFIX) ? safeDecode(iri.slice(DOC_PREFIX.length)) : iri;
      const text = source.text ?? '';
      state = { doc: { id, text, annotations: [], relations: [] }, known: source.text !== undefined, length: codePointLength(text) };
      docs.set(iri, state);
    }
    return state;
  };

  // First pass: documents carried by the file, wherever their item is.
  items.forEach((item, i) => {
    if (!isObj(item)) return;
    const carried = item['margin:document'];
    if (carried === undefined) return;
    const target = readTarget(item.target);
    if (typeof target === 'string') return;
    if (!isObj(carried) || typeof carried.text !== 'string') {
      problems.push({ reason: `item ${i + 1}: margin:document has no text; ignored` });
      return;
    }
    const state = docFor(target.source);
    if (state.known && state.doc.text !== carried.text && source.text === undefined) {
      problems.push({ reason: `item ${i + 1}: a second, different text for ${target.source}; the first is kept` });
      return;
    }
    if (source.text === undefined) {
      state.doc.text = carried.text;
      state.known = true;
      state.length = codePointLength(carried.text);
    }
    if (typeof carried.id === 'string') state.doc.id = carried.id;
    if (typeof carried.title === 'string') state.doc.title = carried.title;
  });

  // Second pass: annotations, then links (which may point at annotations of any document).
  const linking: { item: Obj; index: number }[] = [];
  const docOfAnnotation = new Map<string, DocState>();
  items.forEach((item, i) => {
    const where = `item ${i + 1}`;
    if (!isObj(item)) {
      problems.push({ reason: `${where}: not a JSON object` });
      return;
    }
    const id = idOf(item);
    const label = id ? `${where} (${id})` : where;
    if (!types(item).includes('Annotation')) {
      problems.push({ reason: `${label}: not an Annotation (type ${JSON.stringify(item.type ?? null)})` });
      return;
    }
    const motivations = asArray(item.motivation).map((m) => (typeof m === 'string' ? m.replace(/^oa:/, '') : m));
    if (item.target === undefined) {
      problems.push({ reason: `${label}: has no target` });
      return;
    }
    if (motivations.includes('linking') && asArray(item.target).length === 2 && asArray(item.target).every((t) => typeof t === 'string' || (isObj(t) && idOf(t) && t.selector === undefined))) {
      linking.push({ item, index: i });
      return;
    }
    const target = readTarget(item.target);
    if (typeof target === 'string') {
      problems.push({ reason: `${label}: ${target}` });
      return;
    }
    const bodies = readBodies(item);
    const tag = bodies.tags[0] ?? (typeof motivations[0] === 'string' ? motivations[0] : undefined);
    if (!tag) {
      problems.push({ reason: `${label}: no label (no TextualBody with purpose "tagging", no motivation)` });
      return;
    }
    const attributes = readAttributes(item, bodies);
    if (typeof attributes === 'string') {
      problems.push({ reason: `${label}: ${attributes}` });
      return;
    }
    const norms = readNorms(item);
    if (typeof norms === 'string') {
      problems.push({ reason: `${label}: ${norms}` });
      return;
    }
    const origin = item['margin:origin'] ?? item[`${MARGIN_VOCAB}origin`];
    if (origin !== undefined && origin !== 'suggested') {
      problems.push({ reason: `${label}: margin:origin ${JSON.stringify(origin)} is not an origin Margin knows (only "suggested", or none)` });
      return;
    }
    const state = docFor(target.source);
    const text = state.doc.text;
    let start: number;
    let end: number;
    if (target.position) {
      if (state.known) {
        if (target.position.end > state.length) {
          problems.push({
            reason: `${label}: TextPositionSelector ${target.position.start}..${target.position.end} is outside the text of ${target.source} (${state.length} code points)`,
          });
          return;
        }
        start = codePointToUtf16(text, target.position.start);
        end = codePointToUtf16(text, target.position.end);
      } else {
        start = target.position.start;
        end = target.position.end;
      }
    } else {
      // Quote only: place it where it fits best; what is not found is left for re-anchoring.
      const at = state.known && target.quote ? locateQuote(text, target.quote) : undefined;
      start = at ?? 0;
      end = at === undefined ? 0 : at + target.quote!.exact.length;
    }
    const annotation: ParsedAnnotation = { sourceId: id ?? `${source.name}#item-${i + 1}`, label: tag, start, end, attributes };
    if (target.quote) annotation.quote = target.quote;
    if (bodies.comments.length > 0) annotation.note = bodies.comments.join('\n\n');
    const annotator = readCreator(item);
    if (annotator !== undefined) annotation.annotator = annotator;
    if (norms) annotation.norms = norms;
    if (origin === 'suggested') annotation.origin = origin;
    const created = str(item.created);
    const modified = str(item.modified);
    if (created !== undefined) annotation.createdAt = created;
    if (modified !== undefined) annotation.updatedAt = modified;
    state.doc.annotations.push(annotation);
    docOfAnnotation.set(annotation.sourceId, state);
  });

  for (const { item, index } of linking) {
    const id = idOf(item);
    const label = id ? `item ${index + 1} (${id})` : `item ${index + 1}`;
    const [from, to] = asArray(item.target).map((t) => (typeof t === 'string' ? t : idOf(t as Obj)!));
    const bodies = readBodies(item);
    const type = bodies.tags[0] ?? bodies.comments[0];
    if (!type) {
      problems.push({ reason: `${label}: a link without a type (no TextualBody with purpose "tagging")` });
      continue;
    }
    const state = docOfAnnotation.get(from!);
    if (!state || !docOfAnnotation.has(to!)) {
      problems.push({ reason: `${label}: links ${from} and ${to}, but ${!state ? from : to} is not an annotation in this file` });
      continue;
    }
    const relation: ParsedRelation = { type, from: from!, to: to! };
    if (id) relation.id = id;
    const annotator = readCreator(item);
    if (annotator !== undefined) relation.annotator = annotator;
    state.doc.relations.push(relation);
  }

  const documents: ParsedDocument[] = [];
  for (const { doc } of docs.values()) {
    const annotators = new Set(doc.annotations.map((a) => a.annotator));
    if (annotators.size === 1) {
      const only = [...annotators][0];
      if (only !== undefined) doc.annotator = only;
    }
    documents.push(doc);
  }
  return { documents, problems };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
