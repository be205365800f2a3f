import type { Annotation, AttributeDef, AttributeValue, Relation, TagSchema } from '../model';
import { utf16ToCodePointMany } from '../offsets';
import { spanFromCodePoints } from './doccano';
import type { ExportDocument, Exporter, ImportSource, ParsedAnnotation, ParsedDocument, ParsedRelation, ParseProblem, ParseResult } from './dataset';
import { jsonProblem } from './jsonProblem';
import { attributeNameOf, ControlNames, LS_FROM_LABEL, LS_FROM_NOTE, LS_TO_NAME } from './labelStudioConfig';
import { isFormatAttribute } from '../schemaRules';
import { shownValue } from './shownValue';

/**
 * Label Studio JSON: an array of tasks, streamed as "[", tasks separated by commas, "]".
 *
 * Offsets are Unicode code points. Label Studio's editor converts the browser's UTF-16 selection
 * to code points before it stores a region (label-studio-frontend PR #308 "text with emoji breaks
 * region offsets", Label Studio PR #1559 "Store code points instead of js length"), and its own
 * test web/libs/editor/tests/integration/e2e/ner/emoji.cy.ts ("Should calculate offsets by code
 * points in text") expects "test" in "🐱 Warning: This is a test text" at 21..25 — code points
 * (UTF-16 would say 22..26).
 *
 * Each task: `{"id","data":{"text","title","docId","margin"},"annotations":[…]}` with one
 * annotation per annotator `{"id","completed_by":null,"result":[…]}` (Label Studio's documented
 * import form for an annotator who is not one of its users: the user who imports). Results:
 * - a span: `{"id":REGION,"from_name":"label","to_name":"text","type":"labels","value":{"start","end","text","labels":[LABEL]}}`;
 *   the region id is Margin's annotation id;
 * - per attribute, a per-region result with the same id and `from_name` the attribute's control
 *   (labelStudioConfig.ts: its name; "attribute:NAME" when the name is "label", "note" or
 *   "text"; "NAME (label)" when labels give one name different kinds): text → `textarea` {text:[v]},
 *   choice/multi/boolean → `choices` {choices:[…]} (booleans as "true"/"false"), number →
 *   `number` {number}, date → `datetime` {datetime};
 * - the note as a per-region `textarea` from "note";
 * - relations `{"type":"relation","from_id","to_id","direction":"right","labels":[TYPE]}`.
 * `data.margin` keeps what Label Studio has no place for: the attribute value types that a
 * choices result cannot tell apart (a boolean, a multi with one value), and each region's
 * annotator, createdAt/updatedAt/norms and other formats' bookkeeping attributes. Label Studio
 * keeps `data` as it is, so this survives a trip through it.
 *
 * Beside the tasks (`beside`), the labeling config to create the Label Studio project with.
 */

interface RegionExtra {
  createdAt?: string;
  updatedAt?: string;
  /** Attribute name → the value's type, when the result alone cannot say. */
  types?: Record<string, 'boolean' | 'multi'>;
  norms?: Annotation['norms'];
  /** The Margin annotator: Label Studio's completed_by names only its own users (see below). */
  annotator?: string;
  /** Bookkeeping attributes of other formats (brat's), which are not for a Label Studio control. */
  formatAttributes?: Record<string, AttributeValue>;
  /** "suggested" on an accepted suggestion: Label Studio's own prediction fields are for model output nobody accepted yet. */
  origin?: Annotation['origin'];
}

function attributeResult(regionId: string, fromName: string, value: AttributeValue, def: AttributeDef | undefined): Record<string, unknown> {
  const base = { id: regionId, from_name: fromName, to_name: LS_TO_NAME };
  if (typeof value === 'number') return { ...base, type: 'number', value: { number: value } };
  if (typeof value === 'boolean') return { ...base, type: 'choices', value: { choices: [String(value)] } };
  if (Array.isArray(value)) return { ...base, type: 'choices', value: { choices: value } };
  if (def?.type === 'date') return { ...base, type: 'datetime', value: { datetime: value } };
  if (def?.type === 'choice') return { ...base, type: 'choices', value: { choices: [value] } };
  return { ...base, type: 'textarea', value: { text: [value] } };
}

export function createLabelStudioExporter(): Exporter {
  let controls: ControlNames | null = null;
  let nextAnnotationId = 1;
  // Counted here rather than read from ctx.index, so a skipped document never leaves a stray comma.
  let written = 0;
  const controlsFor = (schema: TagSchema) => (controls ??= new ControlNames(schema));
  return {
    kind: 'single',
    extension: '.json',
    begin(ctx) {
      controls = new ControlNames(ctx.schema);
      nextAnnotationId = 1;
      written = 0;
      return '[\n';
    },
    document(doc: ExportDocument, ctx) {
      const names = controlsFor(ctx.schema);
      const defs = new Map(ctx.schema.labels.map((l) => [l.name, new Map(l.attributes.map((a) => [a.name, a]))]));
      const offsets = utf16ToCodePointMany(doc.text, doc.annotations.flatMap((a) => [a.start, a.end]));
      const byAnnotator = new Map<string, { results: Record<string, unknown>[]; relations: Relation[] }>();
      const entry = (name: string) => {
        let e = byAnnotator.get(name);
        if (!e) byAnnotator.set(name, (e = { results: [], relations: [] }));
        return e;
      };
      const regions: Record<string, RegionExtra> = {};
      doc.annotations.forEach((a, i) => {
        const results = entry(a.annotator).results;
        results.push({
          id: a.id,
          from_name: LS_FROM_LABEL,
          to_name: LS_TO_NAME,
          type: 'labels',
          value: { start: offsets[2 * i], end: offsets[2 * i + 1], text: doc.text.slice(a.start, a.end), labels: [a.label] },
        });
        const extra: RegionExtra = { createdAt: a.createdAt, updatedAt: a.updatedAt, annotator: a.annotator };
        for (const [name, value] of Object.entries(a.attributes)) {
          if (isFormatAttribute(name)) {
            (extra.formatAttributes ??= {})[name] = value;
            continue;
          }
          const result = attributeResult(a.id, names.fromName(a.label, name), value, defs.get(a.label)?.get(name));
          names.noteResult(a.label, result.from_name as string, result.type as string, value);
          results.push(result);
          if (typeof value === 'boolean') (extra.types ??= {})[name] = 'boolean';
          else if (Array.isArray(value)) (extra.types ??= {})[name] = 'multi';
        }
        if (a.note !== undefined) results.push({ id: a.id, from_name: LS_FROM_NOTE, to_name: LS_TO_NAME, type: 'textarea', value: { text: [a.note] } });
        if (a.norms && a.norms.length > 0) extra.norms = a.norms;
        if (a.origin) extra.origin = a.origin;
        regions[a.id] = extra;
      });
      for (const r of doc.relations ?? []) entry(r.annotator).relations.push(r);
      const annotations = [...byAnnotator.values()].map((e) => ({
        id: nextAnnotationId++,
        // As Label Studio documents it for import: one of its users (email or id), or null for the
        // user who imports. Margin's annotators are neither: null, and each region's annotator is
        // kept in data.margin so Margin reads it back.
        completed_by: null,
        was_cancelled: false,
        ground_truth: false,
        result: [...e.results, ...e.relations.map((r) => ({ type: 'relation', from_id: r.from, to_id: r.to, direction: 'right', labels: [r.type] }))],
      }));
      const task = { id: doc.id, data: { text: doc.text, title: doc.title, docId: doc.id, margin: { regions } }, annotations };
      return `${written++ > 0 ? ',\n' : ''}${JSON.stringify(task)}`;
    },
    end() {
      return '\n]\n';
    },
    beside: {
      describe: 'the Label Studio labeling config',
      files: (ctx) => [{ path: '.labeling-config.xml', content: controlsFor(ctx.schema).config() }],
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Import

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * Splits a top-level JSON array into its elements' source text and starting lines without parsing
 * them, so one malformed task does not hide the others. Undefined when the content is not an array.
 */
function splitArray(content: string): { text: string; line: number; offset: number }[] | undefined {
  let i = 0;
  let line = 1;
  while (i < content.length && /\s/.test(content[i]!)) {
    if (content[i] === '\n') line++;
    i++;
  }
  if (content[i] !== '[') return undefined;
  i++;
  const elements: { text: string; line: number; offset: number }[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  let startLine = line;
  const close = (at: number) => {
    if (start >= 0) elements.push({ text: content.slice(start, at), line: startLine, offset: start });
    start = -1;
  };
  for (; i < content.length; i++) {
    const c = content[i]!;
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (depth === 0 && (c === ',' || c === ']')) {
      close(i);
      if (c === ']') return elements;
      continue;
    }
    if (start < 0 && !/\s/.test(c)) {
      start = i;
      startLine = line;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
  }
  close(content.length);
  return elements;
}

function annotatorOf(completedBy: unknown): string | undefined {
  if (typeof completedBy === 'string' && completedBy.trim() !== '') return completedBy.trim();
  if (typeof completedBy === 'number') return `user ${completedBy}`;
  if (!isRecord(completedBy)) return undefined;
  const full = [str(completedBy.first_name), str(completedBy.last_name)].filter((s) => s && s.trim() !== '').join(' ').trim();
  if (full) return full;
  for (const key of ['username', 'email', 'name']) {
    const v = str(completedBy[key]);
    if (v && v.trim() !== '') return v.trim();
  }
  if (typeof completedBy.id === 'number' || typeof completedBy.id === 'string') return `user ${String(completedBy.id)}`;
  return undefined;
}

function attributeValue(result: Record<string, unknown>, hint: 'boolean' | 'multi' | undefined): AttributeValue | undefined {
  const value = isRecord(result.value) ? result.value : {};
  switch (result.type) {
    case 'number':
    case 'rating':
      return typeof value.number === 'number' ? value.number : typeof value.rating === 'number' ? value.rating : undefined;
    case 'datetime':
      return str(value.datetime);
    case 'textarea': {
      const text = value.text;
      if (typeof text === 'string') return text;
      return Array.isArray(text) && text.every((t) => typeof t === 'string') ? text.join('\n') : undefined;
    }
    case 'choices':
    case 'taxonomy': {
      let choices = value.choices ?? value.taxonomy;
      if (!Array.isArray(choices)) return undefined;
      // taxonomy values are paths ([["a","b"]]); keep the leaf.
      choices = choices.map((c: unknown) => (Array.isArray(c) ? c[c.length - 1] : c));
      const list = (choices as unknown[]).filter((c): c is string => typeof c === 'string');
      if (hint === 'boolean' && list.length === 1 && (list[0] === 'true' || list[0] === 'false')) return list[0] === 'true';
      if (hint === 'multi' || list.length !== 1) return list;
      return list[0];
    }
    default:
      return undefined;
  }
}

function parseTask(task: unknown, line: number | undefined, problems: ParseProblem[]): ParsedDocument | undefined {
  const at = (reason: string): ParseProblem => (line === undefined ? { reason } : { line, reason });
  if (!isRecord(task)) {
    problems.push(at('the task is not a JSON object'));
    return undefined;
  }
  const data = isRecord(task.data) ? task.data : undefined;
  if (!data) {
    problems.push(at('the task has no "data" object'));
    return undefined;
  }
  const entries = Array.isArray(task.annotations) ? task.annotations : Array.isArray(task.completions) ? task.completions : [];
  let text = str(data.text);
  if (text === undefined) {
    // The Text tag may read another data key; results name it in to_name.
    const toName = entries.flatMap((e) => (isRecord(e) && Array.isArray(e.result) ? e.result : [])).map((r) => (isRecord(r) ? str(r.to_name) : undefined)).find((n) => n && typeof data[n] === 'string');
    text = toName ? (data[toName] as string) : undefined;
    if (text === undefined) {
      const strings = Object.values(data).filter((v): v is string => typeof v === 'string');
      if (strings.length === 1) text = strings[0];
    }
  }
  if (text === undefined) {
    problems.push(at('the task has no text (data.text)'));
    return undefined;
  }
  const margin = isRecord(data.margin) ? data.margin : {};
  const regionExtras = isRecord(margin.regions) ? margin.regions : {};

  const annotations: ParsedAnnotation[] = [];
  const relations: ParsedRelation[] = [];
  const used = new Set<string>();
  entries.forEach((entry, entryIndex) => {
    if (!isRecord(entry)) {
      problems.push(at(`annotation ${entryIndex + 1} is not an object`));
      return;
    }
    if (entry.was_cancelled === true) return;
    const annotator = annotatorOf(entry.completed_by);
    const results = Array.isArray(entry.result) ? entry.result : [];
    const regions = new Map<string, ParsedAnnotation>();
    const idFor = (regionId: string) => (used.has(regionId) ? `${entryIndex + 1}:${regionId}` : regionId);
    // Spans first, so per-region results can attach to them whatever their order.
    for (const r of results) {
      if (!isRecord(r) || (r.type !== 'labels' && r.type !== 'hypertextlabels')) continue;
      const regionId = typeof r.id === 'string' || typeof r.id === 'number' ? String(r.id) : undefined;
      const value = isRecord(r.value) ? r.value : {};
      const labels = Array.isArray(value.labels) ? value.labels.filter((l): l is string => typeof l === 'string' && l !== '') : [];
      const where = `region ${regionId ?? '?'}`;
      if (!regionId) {
        problems.push(at(`${where}: no id`));
        continue;
      }
      if (labels.length === 0) {
        problems.push(at(`${where}: no label`));
        continue;
      }
      const span = spanFromCodePoints(text, value.start, value.end);
      if (typeof span === 'string') {
        problems.push(at(`${where}: ${span}`));
        continue;
      }
      const extra = isRecord(regionExtras[regionId]) ? (regionExtras[regionId] as Record<string, unknown>) : {};
      // A region with several labels becomes one annotation per label.
      labels.forEach((label, k) => {
        const sourceId = idFor(k === 0 ? regionId : `${regionId}#${k}`);
        used.add(sourceId);
        const formatAttributes = isRecord(extra.formatAttributes) ? extra.formatAttributes : {};
        const parsed: ParsedAnnotation = { sourceId, label, start: span.start, end: span.end, attributes: Object.fromEntries(Object.entries(formatAttributes).filter(([n]) => isFormatAttribute(n))) as Record<string, AttributeValue> };
        if (line !== undefined) parsed.line = line;
        const quote = str(value.text);
        if (quote !== undefined) parsed.quote = { exact: quote };
        // Margin's own annotator, when the region is one Margin wrote; else the Label Studio user.
        const who = str(extra.annotator) ?? annotator;
        if (who !== undefined) parsed.annotator = who;
        const createdAt = str(extra.createdAt);
        if (createdAt !== undefined) parsed.createdAt = createdAt;
        const updatedAt = str(extra.updatedAt);
        if (updatedAt !== undefined) parsed.updatedAt = updatedAt;
        if (Array.isArray(extra.norms)) {
          const norms = extra.norms.filter((n): n is { resource: string; id: string; text?: string } => isRecord(n) && typeof n.resource === 'string' && typeof n.id === 'string');
          if (norms.length > 0) parsed.norms = norms;
        }
        if (extra.origin === 'suggested') parsed.origin = 'suggested';
        annotations.push(parsed);
        if (k === 0) regions.set(regionId, parsed);
      });
    }
    for (const r of results) {
      if (!isRecord(r) || r.type === 'labels' || r.type === 'hypertextlabels') continue;
      if (r.type === 'relation') {
        const from = regions.get(String(r.from_id));
        const to = regions.get(String(r.to_id));
        const types = Array.isArray(r.labels) ? r.labels.filter((l): l is string => typeof l === 'string' && l !== '') : [];
        if (!from || !to) {
          problems.push(at(`relation ${shownValue(r.from_id)} → ${shownValue(r.to_id)}: links a region that is not in this annotation`));
          continue;
        }
        if (types.length === 0) types.push('related');
        const [a, b] = r.direction === 'left' ? [to, from] : [from, to];
        for (const type of types) {
          const rel: ParsedRelation = { type, from: a.sourceId, to: b.sourceId };
          const who = a.annotator ?? annotator;
          if (who !== undefined) rel.annotator = who;
          if (line !== undefined) rel.line = line;
          relations.push(rel);
        }
        continue;
      }
      const regionId = typeof r.id === 'string' || typeof r.id === 'number' ? String(r.id) : undefined;
      const region = regionId ? regions.get(regionId) : undefined;
      const fromName = str(r.from_name);
      if (!region || !fromName) continue; // task-level classifications have no region to attach to
      if (fromName === LS_FROM_NOTE && r.type === 'textarea') {
        const note = attributeValue(r, undefined);
        if (typeof note === 'string') region.note = note;
        continue;
      }
      const name = attributeNameOf(fromName, region.label);
      const extra = isRecord(regionExtras[regionId!]) ? (regionExtras[regionId!] as Record<string, unknown>) : {};
      const hints = isRecord(extra.types) ? extra.types : {};
      const hint = hints[name] === 'boolean' || hints[name] === 'multi' ? hints[name] : undefined;
      const value = attributeValue(r, hint);
      if (value === undefined) problems.push(at(`region ${regionId}: attribute ${name} could not be read (its type is ${shownValue(r.type)})`));
      else region.attributes[name] = value;
    }
  });

  const doc: ParsedDocument = { text, annotations, relations };
  const id = str(data.docId) ?? (typeof task.id === 'string' || typeof task.id === 'number' ? String(task.id) : undefined);
  if (id !== undefined) doc.id = id;
  const title = str(data.title);
  if (title !== undefined) doc.title = title;
  const annotators = new Set(annotations.map((a) => a.annotator).filter((a): a is string => a !== undefined));
  if (annotators.size === 1) doc.annotator = [...annotators][0];
  return doc;
}

/**
 * Parses each element on its own. An element that is not valid JSON may have swallowed the tasks
 * after it (an unclosed bracket); splitting resumes at the next line that starts a task with the
 * same indentation as the broken one.
 */
function readArray(
  content: string,
  elements: { text: string; line: number; offset: number }[],
  lineBase: number,
  problems: ParseProblem[],
  read: (task: unknown, line: number) => void,
): void {
  for (const element of elements) {
    let task: unknown;
    try {
      task = JSON.parse(element.text);
    } catch (e) {
      const problem = jsonProblem(e, element.text);
      problems.push({ line: lineBase + element.line + problem.line - 1, reason: problem.reason });
      const lineStart = content.lastIndexOf('\n', element.offset - 1) + 1;
      const indent = content.slice(lineStart, element.offset);
      if (!/^[^\S\n]*$/.test(indent)) return;
      const resync = new RegExp(`\\n${indent}\\{`, 'g');
      resync.lastIndex = element.offset;
      const m = resync.exec(content);
      if (!m) return;
      const at = m.index + 1 + indent.length;
      const skipped = content.slice(0, at).split('\n').length - 1;
      const rest = splitArray(`[${content.slice(at)}`) ?? [];
      readArray(content.slice(at), rest.map((r) => ({ ...r, offset: r.offset - 1 })), lineBase + skipped, problems, read);
      return;
    }
    read(task, lineBase + element.line);
  }
}

/**
 * Reads a Label Studio export: a JSON array of tasks (or one task, or JSON lines of tasks).
 * Problems carry the line the task starts on; valid tasks are imported. Never throws.
 */
export function parseLabelStudio(source: ImportSource): ParseResult {
  const documents: ParsedDocument[] = [];
  const problems: ParseProblem[] = [];
  const content = source.content.replace(/^\uFEFF/, '');
  const read = (task: unknown, line: number | undefined) => {
    try {
      const doc = parseTask(task, line, problems);
      if (doc) documents.push(doc);
    } catch {
      // A shape no branch foresaw: said in words, never with the engine's message.
      problems.push({ ...(line === undefined ? {} : { line }), reason: 'could not be read as a Label Studio task' });
    }
  };
  const elements = splitArray(content);
  if (elements) {
    readArray(content, elements, 0, problems, read);
  } else {
    let value: unknown;
    let whole = true;
    try {
      value = JSON.parse(content);
    } catch {
      whole = false;
    }
    if (whole && isRecord(value)) read(value, 1);
    else if (whole) problems.push({ line: 1, reason: `${source.name} is not a Label Studio export (expected an array of tasks)` });
    else if (content.trimStart().startsWith('{')) {
      // JSON lines: one task per line.
      content.split(/\r?\n/).forEach((raw, i) => {
        if (raw.trim() === '') return;
        let task: unknown;
        try {
          task = JSON.parse(raw);
        } catch (e) {
          problems.push({ line: i + 1, reason: jsonProblem(e, raw).reason });
          return;
        }
        read(task, i + 1);
      });
    } else {
      problems.push({ line: 1, reason: `${source.name} is not a Label Studio export (expected a JSON array of tasks)` });
    }
  }
  if (documents.length === 0 && problems.length === 0) problems.push({ reason: `${source.name} holds no tasks` });
  return { documents, problems };
}
