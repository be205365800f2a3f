import fc from 'fast-check';
import type { ExportContext, ExportFile, ImportFormat } from '../../shared/formats/dataset';
import { formatEntry } from '../../shared/formats/registry';
import { DOC, DOC2, SCHEMA } from '../unit/formatFixtures';
import { mutated, newsText } from './bytes';

/**
 * Arbitrary annotation files, per import format: Margin's own export of a rich document (emoji
 * before the spans, nested spans, every attribute type, links, two annotators) damaged at the
 * JSON level (a value replaced, removed, repeated or moved, anywhere in the tree), at the byte
 * level (cut, spliced, flipped), or replaced by random JSON and text.
 */

export interface AnnotationFile {
  /** The annotation file (brat: the .ann). */
  name: string;
  content: string;
  /** brat: the text file beside it. */
  text?: string;
}

/** The files an exporter writes for the two fixture documents. */
function exported(format: ImportFormat): ExportFile[] {
  const exporter = formatEntry(format)!.createExporter();
  const docs = [DOC, DOC2];
  const base = { schema: SCHEMA, total: docs.length, options: {} };
  if (exporter.kind === 'single') {
    const body = docs.map((doc, index) => exporter.document(doc, { ...base, index } as ExportContext)).join('');
    return [{ path: `export.${exporter.extension.replace(/^\./, '')}`, content: exporter.begin(base) + body + exporter.end(base) }];
  }
  return [...docs.flatMap((doc, index) => exporter.document(doc, { ...base, index } as ExportContext)), ...exporter.end(base)];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values that break naive readers: wrong types, out-of-range numbers, empty and huge text, lone surrogates. */
const oddValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 1.5, -0.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 53), 1e308, -1e308, '', ' ', '0', '-1', 'NaN', '\ud800', '__proto__', 'constructor', 'T1', 'a1', 'claim', [], {}, [0], [0, 1], [null], { start: 0 }),
  fc.integer({ min: -5, max: 200 }),
  newsText(8),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
);

/** Every place in a JSON tree: the container and the key or index there. */
function places(value: Json, out: { parent: Json[] | Record<string, Json>; key: string | number }[] = []): typeof out {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push({ parent: value, key: i });
      places(v, out);
    });
  }
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push({ parent: value, key: k });
      places(v, out);
    }
  }
  return out;
}

type JsonEdit = (root: Json) => Json;
const jsonEdit: fc.Arbitrary<JsonEdit> = fc.oneof(
  fc.tuple(fc.nat(), oddValue).map(([at, v]) => (root: Json) => {
    const all = places(root);
    if (all.length === 0) return v;
    const p = all[at % all.length]!;
    (p.parent as Record<string, Json>)[p.key] = v;
    return root;
  }),
  fc.nat().map((at) => (root: Json) => {
    const all = places(root);
    if (all.length === 0) return root;
    const p = all[at % all.length]!;
    if (Array.isArray(p.parent)) p.parent.splice(p.key as number, 1);
    else delete p.parent[p.key as string];
    return root;
  }),
  fc.tuple(fc.nat(), fc.nat()).map(([from, to]) => (root: Json) => {
    const all = places(root);
    if (all.length < 2) return root;
    const a = all[from % all.length]!;
    const b = all[to % all.length]!;
    const value = (a.parent as Record<string, Json>)[a.key]!;
    if (Array.isArray(b.parent)) b.parent.push(structuredClone(value));
    else (b.parent as Record<string, Json>)[b.key] = structuredClone(value);
    return root;
  }),
  fc.tuple(fc.nat(), newsText(6)).map(([at, key]) => (root: Json) => {
    const objects = places(root).map((p) => (p.parent as Record<string, Json>)[p.key]).filter((v): v is Record<string, Json> => !!v && typeof v === 'object' && !Array.isArray(v));
    if (objects.length > 0) objects[at % objects.length]![key] = key;
    return root;
  }),
);

/** JSON damage for a whole-file JSON format, or line by line for a JSON-lines one. */
function jsonDamaged(content: string, lines: boolean): fc.Arbitrary<string> {
  const edits = fc.array(jsonEdit, { minLength: 1, maxLength: 4 });
  if (!lines) return edits.map((es) => JSON.stringify(es.reduce((v, e) => e(v), JSON.parse(content) as Json)));
  const rows = content.split('\n').filter((l) => l !== '');
  return fc.tuple(fc.nat({ max: rows.length - 1 }), edits, fc.constantFrom('\n', '\r\n')).map(([row, es, eol]) =>
    rows.map((l, i) => (i === row ? (JSON.stringify(es.reduce((v, e) => e(v), JSON.parse(l) as Json)) ?? 'null') : l)).join(eol),
  );
}

const bytesDamaged = (content: string): fc.Arbitrary<string> => mutated(Buffer.from(content, 'utf8')).map((b) => Buffer.from(b).toString('utf8'));

/** brat's standoff lines, damaged by field: ids, types, offsets (also fragments), text, notes, attributes. */
function bratDamaged(ann: string): fc.Arbitrary<string> {
  const rows = ann.split('\n').filter((l) => l !== '');
  const field = fc.oneof(fc.constantFrom('', 'T1', 'T99', 'R1', 'E1', 'A1', '#1', 'N1', '*', 'Arg1:T1', 'Arg2:T404', '0 5', '5 0', '-1 3', '0 3;2 9', '0 999999', 'AnnotatorNotes', 'claim', 'Theme:T1', '1e3 2'), newsText(5));
  const edit = fc.tuple(fc.nat(), fc.nat({ max: 5 }), field, fc.constantFrom('\t', ' ', '')).map(([row, col, value, sep]) => (lines: string[]) => {
    if (lines.length === 0) return [value];
    const at = row % lines.length;
    const cells = lines[at]!.split('\t');
    cells[col % Math.max(1, cells.length)] = value;
    lines[at] = cells.join(sep || '\t');
    return lines;
  });
  const dup = fc.nat().map((row) => (lines: string[]) => (lines.length ? [...lines, lines[row % lines.length]!] : lines));
  return fc.array(fc.oneof(edit, edit, dup), { minLength: 1, maxLength: 4 }).map((edits) => edits.reduce((l, e) => e(l), [...rows]).join('\n'));
}

function inputsOf(format: ImportFormat): fc.Arbitrary<AnnotationFile> {
  const files = exported(format);
  if (format === 'brat') {
    const ann = files.find((f) => f.path.endsWith('.ann') && f.content.trim() !== '')!;
    const txt = files.find((f) => f.path === ann.path.replace(/\.ann$/, '.txt'))!.content;
    const text = fc.oneof({ weight: 4, arbitrary: fc.constant(txt) }, { weight: 1, arbitrary: bytesDamaged(txt) }, { weight: 1, arbitrary: newsText(40) });
    const content = fc.oneof({ weight: 4, arbitrary: bratDamaged(ann.content) }, { weight: 2, arbitrary: bytesDamaged(ann.content) }, { weight: 1, arbitrary: newsText(60) });
    return fc.record({ name: fc.constant('alice/fuzzed.ann'), content, text });
  }
  const { content } = files[0]!;
  const lines = format === 'jsonl' || format === 'doccano';
  const name = `fuzzed.${format === 'jsonl' || format === 'doccano' ? 'jsonl' : 'json'}`;
  const random = fc.oneof(fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? ''), newsText(60), fc.array(fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? ''), { maxLength: 5 }).map((l) => l.join('\n')));
  return fc.record({
    name: fc.constant(name),
    content: fc.oneof({ weight: 5, arbitrary: jsonDamaged(content, lines) }, { weight: 2, arbitrary: bytesDamaged(content) }, { weight: 1, arbitrary: random }),
  });
}

export const ANNOTATION_FORMATS = ['jsonl', 'w3c', 'brat', 'doccano', 'label-studio'] as const satisfies readonly ImportFormat[];
export const ANNOTATION_INPUTS = Object.fromEntries(ANNOTATION_FORMATS.map((f) => [f, inputsOf(f)])) as Record<(typeof ANNOTATION_FORMATS)[number], fc.Arbitrary<AnnotationFile>>;
