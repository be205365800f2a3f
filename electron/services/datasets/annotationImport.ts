import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { type AnnotationImportReport, MAX_IMPORT_BYTES } from '../../../shared/api';
import { anchorQuote, quoteAt } from '../../../shared/anchoring';
import { BRAT_TYPE } from '../../../shared/formats/brat';
import type { ImportFormat, ImportSource, ParsedAnnotation, ParsedDocument, ParseResult } from '../../../shared/formats/dataset';
import { formatEntry } from '../../../shared/formats/registry';
import { oneLine } from '../../../shared/formats/shownValue';
import { type Annotation, AnnotatorName, type AttributeDef, type AttributeValue, type LabelDef, type LayerFile, type Orphan, type Relation, type TagSchema } from '../../../shared/model';
import { attributeProblem, isFormatAttribute, isReadableColor, labelNameProblem } from '../../../shared/schemaRules';
import { TAKEN_KEYS } from '../../../shared/shortcuts';
import { normalizeText, titleFromText } from '../../../shared/text';
import { MarginError } from '../errors';
import { importText } from '../intake/importer';
import { documentIdOf } from '../intake/importText';
import type { ProjectStore } from '../store/projectStore';
import { relationProblem } from '../editing/relationRules';
import { LayerRecords } from './layerRecords';

/**
 * Importing a colleague's annotations. Everything is read, matched to the project's documents,
 * anchored and checked first; only then is anything written (the schema additions, the
 * documents the project lacks, then each layer once). A dry run stops before writing; a file
 * that cannot be parsed at all contributes nothing. Annotations whose text cannot be found are
 * kept as orphans in the layer file, never dropped. Records the layer already holds are counted
 * as already present and not added again, so importing the same file twice changes nothing.
 */

export interface AnnotationImportFile {
  name: string;
  content: string;
}

export interface AnnotationImportOptions {
  format: ImportFormat;
  files: readonly AnnotationImportFile[];
  annotator?: string;
  addToSchema?: boolean;
  dryRun?: boolean;
  /** Writes a new tag schema (Workspace: updateSchema through the write queue). */
  applySchema: (schema: TagSchema) => Promise<void>;
}

type FileReport = AnnotationImportReport['files'][number];

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The file's id when it is (or ends in) a UUID, Margin's own id form; otherwise none. */
function idFromSource(sourceId: string): string | null {
  const m = UUID.exec(sourceId);
  if (!m) return null;
  const before = sourceId.slice(0, m.index);
  return before === '' || /[:/#]$/.test(before) ? m[0].toLowerCase() : null;
}

/** An annotator name made from a file name: "anna_reviews.jsonl" → "anna_reviews". */
export function annotatorFromFileName(name: string): string {
  const base = path.basename(name).replace(/\.[^.]*$/, '');
  const cleaned = base
    .replace(/[^\p{L}\p{N} ._-]+/gu, '-')
    .replace(/^[^\p{L}\p{N}]+/u, '')
    .slice(0, 64)
    .trim();
  return AnnotatorName.safeParse(cleaned).success ? cleaned : 'imported';
}

/** Colours white text reads on (checked with isReadableColor), in an order that keeps neighbours apart. */
const PALETTE = ['#8e44ad', '#d35400', '#16a085', '#2c3e50', '#a93226', '#1f618d', '#117a65', '#6c3483', '#935116', '#b03a2e', '#1a5276', '#7d3c98', '#5d6d7e', '#0e6655', '#873600'];
const KEY_POOL = [...'abcefghimnopqrstuvwxyz0123456789'];

function freeKeys(schema: TagSchema): string[] {
  const used = new Set(schema.labels.map((l) => l.key.toLowerCase()));
  return KEY_POOL.filter((k) => !used.has(k) && !TAKEN_KEYS.includes(k));
}

function freeKey(schema: TagSchema): string {
  const key = freeKeys(schema)[0];
  if (!key) throw new MarginError('bad-input', 'Every shortcut key is taken, so no more labels can be added to the tag schema.');
  return key;
}

/** Names compare as the schema's duplicate rule does: "Quote" and "quote " are the same name there. */
const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function freeColor(schema: TagSchema): string {
  const used = new Set(schema.labels.map((l) => l.color.toLowerCase()));
  return PALETTE.find((c) => !used.has(c) && isReadableColor(c)) ?? PALETTE[schema.labels.length % PALETTE.length]!;
}

/** An attribute's type from the values seen: all yes/no → boolean, all numbers → number, any list → multi, else text. */
function typedAttribute(name: string, values: readonly AttributeValue[]): AttributeDef {
  if (values.length > 0 && values.every((v) => typeof v === 'boolean')) return { name, type: 'boolean' };
  if (values.length > 0 && values.every((v) => typeof v === 'number')) return { name, type: 'number' };
  if (values.some((v) => Array.isArray(v))) {
    const choices = new Set<string>();
    for (const v of values) for (const c of Array.isArray(v) ? v : [String(v)]) choices.add(c);
    return { name, type: 'multi', values: [...choices].sort() };
  }
  return { name, type: 'text' };
}

/** What the files need that the schema lacks, with the values seen (to type new attributes). */
class Additions {
  labels = new Map<string, Map<string, AttributeValue[]>>();
  attributes = new Map<string, Map<string, AttributeValue[]>>();
  relations = new Map<string, { from: Set<string>; to: Set<string> }>();
  /** Existing relation types that need more labels at an end. */
  relationEnds = new Map<string, { from: Set<string>; to: Set<string> }>();

  isEmpty(): boolean {
    return this.labels.size === 0 && this.attributes.size === 0 && this.relations.size === 0 && this.relationEnds.size === 0;
  }

  /** Why a label the schema lacks cannot be added, or null: a name the schema rule refuses, or no shortcut key left for it. */
  labelProblem(schema: TagSchema, name: string): string | null {
    const ruled = labelNameProblem(name);
    if (ruled) return `"${name}" cannot be a label name (${ruled})`;
    if (!this.labels.has(name) && this.labels.size >= freeKeys(schema).length) return `label "${name}" cannot be added: every shortcut key is taken`;
    return null;
  }

  /** Why an attribute the label lacks cannot be added to it, or null. */
  attributeProblem(schema: TagSchema, label: string, name: string): string | null {
    if (name.trim() === '') return 'an attribute needs a name';
    const names = [...(schema.labels.find((l) => l.name === label)?.attributes.map((a) => a.name) ?? []), ...(this.labels.get(label)?.keys() ?? []), ...(this.attributes.get(label)?.keys() ?? [])];
    const twin = names.find((other) => other !== name && sameName(other, name));
    return twin === undefined ? null : `${label} has an attribute "${twin}"; the names differ only in case or spaces`;
  }

  /** Notes a value for an attribute to add (when its name can be added), so its type can be chosen from the values seen. */
  addAttribute(schema: TagSchema, into: Map<string, Map<string, AttributeValue[]>>, label: string, name: string, value: AttributeValue): void {
    if (isFormatAttribute(name) || this.attributeProblem(schema, label, name)) return;
    let attrs = into.get(label);
    if (!attrs) into.set(label, (attrs = new Map()));
    attrs.set(name, [...(attrs.get(name) ?? []), value]);
  }

  report(): AnnotationImportReport['schemaAdditions'] {
    const attributes: { label: string; name: string }[] = [];
    for (const [label, attrs] of [...this.labels, ...this.attributes]) for (const name of attrs.keys()) attributes.push({ label, name });
    return { labels: [...this.labels.keys()], attributes, relationTypes: [...this.relations.keys()] };
  }

  /** The schema with every addition: new labels (a readable colour, a free key), typed attributes, relation types. */
  apply(schema: TagSchema): TagSchema {
    const next: TagSchema = structuredClone(schema);
    for (const [label, attrs] of this.attributes) {
      const def = next.labels.find((l) => l.name === label);
      if (def) for (const [name, values] of attrs) def.attributes.push(typedAttribute(name, values));
    }
    for (const [label, attrs] of this.labels) {
      const def: LabelDef = { name: label, color: freeColor(next), key: freeKey(next), attributes: [...attrs].map(([n, v]) => typedAttribute(n, v)) };
      next.labels.push(def);
    }
    for (const [type, ends] of this.relations) next.relations.push({ type, from: [...ends.from], to: [...ends.to] });
    for (const [type, ends] of this.relationEnds) {
      const def = next.relations.find((r) => r.type === type);
      if (!def) continue;
      for (const l of ends.from) if (!def.from.includes(l)) def.from.push(l);
      for (const l of ends.to) if (!def.to.includes(l)) def.to.push(l);
    }
    return next;
  }
}

/** One parsed document matched to the project: its text there, and whether the project must create it. */
interface Target {
  docId: string;
  text: string;
  create?: { text: string; title: string; fileIndex: number };
}

interface PlannedAnnotation {
  fileIndex: number;
  parsed: ParsedAnnotation;
  annotator: string;
  /** Set when placed; absent for an orphan. */
  placed?: { start: number; end: number; moved: boolean };
  orphanReason?: string;
  rejected?: string;
  /** The label as the file spelled it, when the schema's differs only in case or spaces. */
  spelled?: string;
}

const ENTITY = 'the record';

/**
 * Parses one source with the format's parser; a parser that throws fails the whole file, said in
 * words (the engine's message, "Maximum call stack size exceeded" and the like, means nothing to a reader).
 */
function parseSource(parse: (s: ImportSource) => ParseResult, source: ImportSource, format: ImportFormat): ParseResult {
  try {
    return parse(source);
  } catch (error) {
    const why = error instanceof RangeError ? ': it is too large or too deeply nested to read' : '';
    return { documents: [], problems: [{ reason: `could not be read as ${format}${why}` }] };
  }
}

/** A file's rejections and notes in file order (by line; those of the whole file first), as an editor would walk them. */
function inFileOrder(report: FileReport): void {
  const byLine = (a: { line?: number }, b: { line?: number }) => (a.line ?? 0) - (b.line ?? 0);
  report.rejected.sort(byLine);
  report.notes.sort(byLine);
}

/** The sources of a batch: every file, except that brat's .ann files take their .txt (same base name). */
function sourcesOf(format: ImportFormat, files: readonly AnnotationImportFile[]): { source: ImportSource | null; name: string; problem?: string }[] {
  if (format !== 'brat') return files.map((f) => ({ source: { name: f.name, content: f.content }, name: f.name }));
  const stem = (n: string) => n.replace(/\.[^./\\]*$/, '');
  const texts = new Map(files.filter((f) => /\.txt$/i.test(f.name)).map((f) => [stem(f.name), f.content]));
  const out: { source: ImportSource | null; name: string; problem?: string }[] = [];
  for (const f of files) {
    if (!/\.ann$/i.test(f.name)) continue;
    const text = texts.get(stem(f.name));
    if (text === undefined) out.push({ source: null, name: f.name, problem: `no ${path.basename(stem(f.name))}.txt beside it: brat annotations need their text` });
    else out.push({ source: { name: f.name, content: f.content, text }, name: f.name });
  }
  if (out.length === 0) out.push({ source: null, name: files[0]?.name ?? 'brat', problem: 'no .ann files among the files given' });
  return out;
}

export async function importAnnotations(store: ProjectStore, options: AnnotationImportOptions): Promise<AnnotationImportReport> {
  const entry = formatEntry(options.format);
  if (!entry?.parse) throw new MarginError('bad-input', `Importing ${options.format} is not available in this version of Margin.`);
  const parse = entry.parse;
  const schema = store.project.schema;
  const addToSchema = options.addToSchema ?? false;
  const dryRun = options.dryRun ?? false;

  // 1. Parse every file.
  const sources = sourcesOf(options.format, options.files);
  const files: FileReport[] = [];
  const parsedFiles: { name: string; documents: ParsedDocument[] }[] = [];
  for (const s of sources) {
    const report: FileReport = { name: s.name, documents: 0, imported: 0, alreadyPresent: 0, reanchored: 0, orphaned: 0, rejected: [], notes: [] };
    files.push(report);
    if (!s.source) {
      report.rejected.push({ reason: oneLine(s.problem ?? 'cannot be read') });
      parsedFiles.push({ name: s.name, documents: [] });
      continue;
    }
    const result = parseSource(parse, s.source, options.format);
    for (const p of result.problems) report.rejected.push(p.line === undefined ? { reason: oneLine(p.reason) } : { line: p.line, reason: oneLine(p.reason) });
    parsedFiles.push({ name: s.name, documents: result.documents });
  }

  // 2. Match each parsed document to a project document (or one to create), then place its annotations.
  const additions = new Additions();
  const labelsOf = new Map(schema.labels.map((l) => [l.name, l]));
  const creations = new Map<string, Target>();
  const existingLayers = new Map<string, LayerFile[]>();
  const layersIn = async (docId: string): Promise<LayerFile[]> => {
    let found = existingLayers.get(docId);
    if (!found) existingLayers.set(docId, (found = store.hasDocument(docId) ? await store.layersOf(docId) : []));
    return found;
  };
  const usedIds = new Map<string, Set<string>>();
  const idsIn = async (docId: string): Promise<Set<string>> => {
    let ids = usedIds.get(docId);
    if (!ids) usedIds.set(docId, (ids = new Set((await layersIn(docId)).flatMap((l) => l.annotations.map((a) => a.id)))));
    return ids;
  };
  // Per layer (annotator, document): what it holds already, and what this import adds to it.
  const records = new Map<string, LayerRecords>();
  const recordsOf = async (annotator: string, docId: string): Promise<LayerRecords> => {
    const key = `${annotator}\u0000${docId}`;
    let found = records.get(key);
    if (!found) records.set(key, (found = new LayerRecords((await layersIn(docId)).find((l) => l.annotator === annotator))));
    return found;
  };

  interface PlannedDoc {
    fileIndex: number;
    target: Target;
    doc: ParsedDocument;
    annotations: PlannedAnnotation[];
  }
  const plannedDocs: PlannedDoc[] = [];
  const reject = (fileIndex: number, line: number | undefined, why: string) => {
    const reason = oneLine(why);
    files[fileIndex]!.rejected.push(line === undefined ? { reason } : { line, reason });
  };

  for (const [fileIndex, file] of parsedFiles.entries()) {
    // brat exports put each annotator's files in a folder of their name: that folder names them.
    const folder = path.basename(path.dirname(file.name));
    const fallbackAnnotator = options.format === 'brat' && folder !== '.' && folder !== '' ? annotatorFromFileName(`${folder}.x`) : annotatorFromFileName(file.name);
    for (const doc of file.documents) {
      let target: Target;
      if (doc.id && store.hasDocument(doc.id)) {
        target = { docId: doc.id, text: (await store.getDocument(doc.id)).text };
      } else {
        // Refused here, with the file's line, rather than when the document is written: by then
        // the schema additions would be written already.
        const bytes = Buffer.byteLength(doc.text, 'utf8');
        if (bytes > MAX_IMPORT_BYTES) {
          reject(fileIndex, doc.line ?? doc.annotations[0]?.line, `a document larger than 20 MB (${(bytes / 1024 / 1024).toFixed(1)} MB; ${doc.annotations.length} annotation(s) not imported)`);
          continue;
        }
        const text = normalizeText(doc.text);
        if (text.trim() === '') {
          reject(fileIndex, doc.line ?? doc.annotations[0]?.line, `a document without text (${doc.annotations.length} annotation(s) not imported)`);
          continue;
        }
        const docId = documentIdOf(text);
        if (store.hasDocument(docId)) target = { docId, text: (await store.getDocument(docId)).text };
        else {
          const existing = creations.get(docId);
          target = existing ?? { docId, text, create: { text, title: doc.title?.trim() || titleFromText(text), fileIndex } };
          creations.set(docId, target);
        }
      }
      files[fileIndex]!.documents++;
      const sameText = target.text === doc.text;
      const planned: PlannedAnnotation[] = [];
      for (const original of doc.annotations) {
        const annotator = options.annotator ?? original.annotator ?? doc.annotator ?? fallbackAnnotator;
        // A label the schema spells differently ("Quote" for its "quote") is that label, said in a
        // note; brat keeps the file's spelling to write it back.
        const twin = labelsOf.has(original.label) ? undefined : [...labelsOf.keys(), ...additions.labels.keys()].find((n) => sameName(n, original.label));
        const a = twin === undefined ? original : { ...original, label: twin, attributes: options.format === 'brat' ? { ...original.attributes, [BRAT_TYPE]: original.label } : original.attributes };
        const item: PlannedAnnotation = { fileIndex, parsed: a, annotator, ...(twin === undefined ? {} : { spelled: original.label }) };
        planned.push(item);
        if (!AnnotatorName.safeParse(annotator).success) {
          item.rejected = `annotator "${annotator}" is not a valid name (letters, digits, spaces, dots, dashes, underscores)`;
          continue;
        }
        // The schema: what is missing is collected; it is rejected below unless it is added. A label
        // the schema could not take costs this record alone, never the whole import.
        const label = labelsOf.get(a.label);
        if (!label) {
          const problem = additions.labelProblem(schema, a.label);
          if (problem) {
            item.rejected = problem;
            continue;
          }
          if (!additions.labels.has(a.label)) additions.labels.set(a.label, new Map());
          for (const [name, value] of Object.entries(a.attributes)) additions.addAttribute(schema, additions.labels, a.label, name, value);
        } else {
          for (const [name, value] of Object.entries(a.attributes)) {
            if (!label.attributes.some((d) => d.name === name)) additions.addAttribute(schema, additions.attributes, a.label, name, value);
          }
        }
        if (a.end <= a.start) {
          item.rejected = `an empty span (${a.start}-${a.end}): there is no text to annotate`;
          continue;
        }
        // Placement: the offsets as they are when the text is the same (and the quote agrees); else by the quote.
        const inText = a.start >= 0 && a.end <= target.text.length && a.end > a.start;
        const fileExact = a.start >= 0 && a.end <= doc.text.length && a.end > a.start ? doc.text.slice(a.start, a.end) : undefined;
        if (sameText && inText && (a.quote?.exact === undefined || target.text.slice(a.start, a.end) === a.quote.exact)) {
          item.placed = { start: a.start, end: a.end, moved: false };
          continue;
        }
        const fileQuote = fileExact !== undefined ? quoteAt(doc.text, a.start, a.end) : undefined;
        const exact = a.quote?.exact ?? fileExact;
        if (exact === undefined || exact === '') {
          item.rejected = `offsets ${a.start}-${a.end} are outside the text and there is no quote to find it by`;
          continue;
        }
        const anchor = anchorQuote(target.text, { exact, prefix: a.quote?.prefix ?? fileQuote?.prefix, suffix: a.quote?.suffix ?? fileQuote?.suffix }, { start: a.start, end: a.end });
        if (anchor) item.placed = { start: anchor.start, end: anchor.end, moved: anchor.start !== a.start || anchor.end !== a.end || anchor.how !== 'exact-position' };
        else item.orphanReason = `"${exact.length > 60 ? `${exact.slice(0, 59)}…` : exact}" was not found in the document's text`;
      }
      plannedDocs.push({ fileIndex, target, doc, annotations: planned });
    }
  }

  // Relation types and ends the schema lacks (only between annotations that will exist).
  for (const pd of plannedDocs) {
    const bySource = new Map(pd.annotations.filter((p) => !p.rejected && p.placed).map((p) => [p.parsed.sourceId, p]));
    for (const r of pd.doc.relations) {
      const from = bySource.get(r.from);
      const to = bySource.get(r.to);
      if (!from || !to) continue;
      const def = schema.relations.find((d) => d.type === r.type);
      if (!def) {
        const ends = additions.relations.get(r.type) ?? { from: new Set<string>(), to: new Set<string>() };
        additions.relations.set(r.type, ends);
        ends.from.add(from.parsed.label);
        ends.to.add(to.parsed.label);
      } else if (!def.from.includes(from.parsed.label) || !def.to.includes(to.parsed.label)) {
        const ends = additions.relationEnds.get(r.type) ?? { from: new Set<string>(), to: new Set<string>() };
        additions.relationEnds.set(r.type, ends);
        if (!def.from.includes(from.parsed.label)) ends.from.add(from.parsed.label);
        if (!def.to.includes(to.parsed.label)) ends.to.add(to.parsed.label);
      }
    }
  }

  // 3. The schema the records are checked against: with the additions when they are to be added.
  const finalSchema = addToSchema && !additions.isEmpty() ? additions.apply(schema) : schema;
  const finalLabels = new Map(finalSchema.labels.map((l) => [l.name, l]));

  interface LayerPlan {
    annotator: string;
    docId: string;
    annotations: Annotation[];
    relations: Relation[];
    orphans: Orphan[];
    done?: boolean;
  }
  const layers = new Map<string, LayerPlan>();
  const layerOf = (annotator: string, docId: string): LayerPlan => {
    const key = `${annotator}\u0000${docId}`;
    let plan = layers.get(key);
    if (!plan) layers.set(key, (plan = { annotator, docId, annotations: [], relations: [], orphans: [] }));
    return plan;
  };
  const now = new Date().toISOString();
  const annotatorsUsed = new Set<string>();

  for (const pd of plannedDocs) {
    const report = files[pd.fileIndex]!;
    const ids = await idsIn(pd.target.docId);
    const newIdOf = new Map<string, Annotation>();
    /** Annotations records of this document matched or added: no other record of it is the same one. */
    const taken = new Set<string>();
    const matched = (sourceId: string, annotation: Annotation) => {
      newIdOf.set(sourceId, annotation);
      taken.add(annotation.id);
    };
    for (const item of pd.annotations) {
      const a = item.parsed;
      const where = (reason: string) => reject(pd.fileIndex, a.line, reason);
      if (item.rejected) {
        where(`${ENTITY} ${a.sourceId}: ${item.rejected}`);
        continue;
      }
      const kept = idFromSource(a.sourceId);
      const held = await recordsOf(item.annotator, pd.target.docId);
      const orphanQuote = { exact: a.quote?.exact ?? '', prefix: a.quote?.prefix ?? '', suffix: a.quote?.suffix ?? '' };
      const present = item.placed
        ? held.annotation(kept, { label: a.label, start: item.placed.start, end: item.placed.end, exact: pd.target.text.slice(item.placed.start, item.placed.end) }, taken)
        : undefined;
      if (present || (!item.placed && held.hasOrphan(kept, a.label, orphanQuote))) {
        // Links of this file may still start or end at it.
        if (present) matched(a.sourceId, present);
        annotatorsUsed.add(item.annotator);
        report.alreadyPresent++;
        continue;
      }
      const label = finalLabels.get(a.label);
      if (!label) {
        where(`${ENTITY} ${a.sourceId}: label "${a.label}" is not in the tag schema (import with the schema additions to take it)`);
        continue;
      }
      // An attribute the label lacks (not added to the schema) is left out, and said; a value that
      // does not fit its attribute rejects the record.
      const attributes: Record<string, AttributeValue> = {};
      const attrProblems: string[] = [];
      const changes: string[] = [];
      for (const [name, value] of Object.entries(a.attributes)) {
        const def = label.attributes.find((d) => d.name === name);
        if (isFormatAttribute(name)) attributes[name] = value;
        else if (!def) changes.push(`imported without attribute "${name}" (${additions.attributeProblem(schema, a.label, name) ?? `${a.label} has no attribute "${name}" in the tag schema`})`);
        else {
          const problem = attributeProblem(def, value);
          if (problem) attrProblems.push(`attribute ${name}: ${problem}`);
          else attributes[name] = value;
        }
      }
      if (attrProblems.length > 0) {
        where(`${ENTITY} ${a.sourceId}: ${attrProblems.join('; ')}`);
        continue;
      }
      if (item.spelled !== undefined) changes.unshift(`labelled "${a.label}" (the file says "${item.spelled}"; the names differ only in case or spaces)`);
      for (const what of changes) {
        const reason = oneLine(`${ENTITY} ${a.sourceId}: ${what}`);
        report.notes.push(a.line === undefined ? { reason } : { line: a.line, reason });
      }
      const id = kept && !ids.has(kept) ? kept : randomUUID();
      ids.add(id);
      annotatorsUsed.add(item.annotator);
      const layer = layerOf(item.annotator, pd.target.docId);
      if (!item.placed) {
        const orphan: Orphan = {
          id,
          label: a.label,
          quote: orphanQuote,
          attributes,
          source: a.line === undefined ? report.name : `${report.name}:${a.line}`,
          reason: item.orphanReason ?? 'could not be placed',
        };
        if (a.note !== undefined) orphan.note = a.note;
        layer.orphans.push(orphan);
        held.addOrphan(orphan);
        report.orphaned++;
        continue;
      }
      const { start, end, moved } = item.placed;
      const annotation: Annotation = {
        id,
        docId: pd.target.docId,
        annotator: item.annotator,
        label: a.label,
        start,
        end,
        quote: quoteAt(pd.target.text, start, end),
        attributes,
        createdAt: a.createdAt ?? now,
        updatedAt: a.updatedAt ?? a.createdAt ?? now,
      };
      if (a.note !== undefined && a.note !== '') annotation.note = a.note;
      if (a.norms && a.norms.length > 0) annotation.norms = a.norms;
      if (a.origin) annotation.origin = a.origin;
      layer.annotations.push(annotation);
      held.addAnnotation(annotation);
      matched(a.sourceId, annotation);
      report.imported++;
      if (moved) report.reanchored++;
    }
    // "done" as the file gives it, per annotator (Margin's jsonl carries each annotator's status).
    const statuses = (pd.doc as { status?: unknown }).status;
    if (statuses && typeof statuses === 'object') {
      for (const [who, status] of Object.entries(statuses as Record<string, unknown>)) {
        const annotator = options.annotator ?? who;
        if (status === 'done' && AnnotatorName.safeParse(annotator).success && layers.has(`${annotator}\u0000${pd.target.docId}`)) layerOf(annotator, pd.target.docId).done = true;
      }
    }
    // Links: between annotations of this import, in the layer of the annotation they start at.
    const byId = new Map([...newIdOf.values()].map((a) => [a.id, a]));
    for (const r of pd.doc.relations) {
      const from = newIdOf.get(r.from);
      const to = newIdOf.get(r.to);
      if (!from || !to) {
        reject(pd.fileIndex, r.line, `link ${r.type} ${r.from} → ${r.to}: ${!from ? r.from : r.to} was not imported (missing, rejected or orphaned)`);
        continue;
      }
      const relation: Relation = { id: '', type: r.type, from: from.id, to: to.id, annotator: from.annotator };
      const keptId = r.id !== undefined ? idFromSource(r.id) : null;
      const held = await recordsOf(from.annotator, pd.target.docId);
      if (held.hasRelation(keptId, r.type, from.id, to.id)) continue;
      relation.id = keptId && !ids.has(keptId) ? keptId : randomUUID();
      const problem = relationProblem(finalSchema, relation, byId);
      if (problem) {
        reject(pd.fileIndex, r.line, `link ${r.type} ${r.from} → ${r.to}: ${problem}${finalSchema === schema && !additions.isEmpty() ? ' (import with the schema additions to take it)' : ''}`);
        continue;
      }
      ids.add(relation.id);
      held.addRelation(relation);
      layerOf(from.annotator, pd.target.docId).relations.push(relation);
    }
  }

  for (const f of files) inFileOrder(f);
  // A file whose every record is refused or already there changes nothing, the schema included:
  // additions serve the records written, and there are none. A check (dry run) still lists them:
  // its records that need a new label are refused until the user agrees to add it.
  const writes = [...layers.values()].some((l) => l.annotations.length > 0 || l.relations.length > 0 || l.orphans.length > 0);
  const result: AnnotationImportReport = {
    annotator: options.annotator ?? ([...annotatorsUsed].sort().join(', ') || ''),
    files,
    createdDocuments: [...creations.values()].filter((t) => layersFor(t.docId)).map((t) => ({ docId: t.docId, title: t.create!.title })),
    schemaAdditions: writes || dryRun ? additions.report() : new Additions().report(),
    dryRun,
  };
  function layersFor(docId: string): boolean {
    return [...layers.values()].some((l) => l.docId === docId);
  }
  if (dryRun) return result;

  // 4. Write: the schema, the documents the project lacks, then each layer once.
  if (!writes) return result;
  if (finalSchema !== schema) await options.applySchema(finalSchema);
  let lastCreated = 0;
  for (const target of creations.values()) {
    if (!layersFor(target.docId)) continue;
    // Documents are listed by import time: one millisecond apart keeps them in the file's order.
    while (Date.now() <= lastCreated) await new Promise((r) => setTimeout(r, 1));
    lastCreated = Date.now();
    const created = await importText(store, target.create!.text, target.create!.title, files[target.create!.fileIndex]!.name);
    const ok = created.imported.some((d) => d.docId === target.docId) || created.duplicates.some((d) => d.docId === target.docId);
    if (!ok) {
      const reason = created.failed[0]?.reason ?? 'could not be created';
      throw new MarginError('store', `The document "${target.create!.title}" could not be added to the project (${reason}); no annotations were written.`);
    }
  }
  for (const plan of layers.values()) {
    if (plan.annotations.length === 0 && plan.relations.length === 0 && plan.orphans.length === 0) continue;
    await store.updateLayer(plan.annotator, plan.docId, (layer) => {
      layer.annotations.push(...plan.annotations);
      layer.relations.push(...plan.relations);
      if (plan.orphans.length > 0) layer.orphans = [...(layer.orphans ?? []), ...plan.orphans];
      if (plan.done) layer.status = 'done';
    });
  }
  return result;
}
