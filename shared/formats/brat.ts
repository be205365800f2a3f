import type { Annotation, AttributeValue, Relation, TagSchema } from '../model';
import { utf16ToCodePointMany } from '../offsets';
import { type KeptField, keepLine, keptLinesOf, writeKeptLine } from './bratKept';
import type { ExportDocument, ExportFile, Exporter, ImportSource, ParsedAnnotation, ParsedDocument, ParsedRelation, ParseProblem, ParseResult } from './dataset';

/**
 * brat standoff: `<doc>.txt` (the text) + `<doc>.ann` (one annotation per line), offsets in Unicode
 * code points (brat is Python), converted to and from Margin's UTF-16 offsets.
 *
 * How brat's constructs live in Margin's model (and come back out):
 * - `T` text-bound annotation → an Annotation. A span containing newlines is written as fragments
 *   split at the newlines (`T1 Type 0 5;6 12`), as brat requires. On import a discontinuous span
 *   becomes its covering span (first start → last end); when its fragments are not just that
 *   covering span split at newlines, they are kept in the attribute `brat:fragments` as UTF-16
 *   offsets relative to the annotation's start (`"0 5;10 15"`), so they survive re-anchoring and
 *   are written back.
 * - `E` event → the trigger's annotation, labelled with the event type and marked with the
 *   attribute `brat:event` = true; each `Role:Arg` is a Relation of type Role from the trigger
 *   annotation to the argument (an argument that is itself an event points to that event's
 *   trigger annotation and is written back as its `E` id). A trigger `T` shared by several `E`s
 *   gives one annotation per extra event (same span). If the trigger's `T` type differs from the
 *   event type it is kept in `brat:trigger-type`; attributes and notes put on the trigger `T`
 *   itself (rather than on the `E`) are kept as `brat:trigger:<Name>` and `brat:trigger-note`.
 *   Outgoing relations of an event annotation are its roles, except equivalences (below) and the
 *   relation types listed in its `brat:relations` (string[]; `R` lines whose Arg1 is the event).
 * - `R` relation → a Relation from Arg1 to Arg2. Other role names than Arg1/Arg2 are kept on the
 *   source annotation in `brat:args:<type>` = `"Role1 Role2"`. A `#` note on a relation is kept on
 *   its source annotation in `brat:note:<type>` (or `brat:note:<type>@<start>-<end>` with the
 *   target's UTF-16 offsets, when that annotation has several relations of that type).
 * - `*` equivalence set → Relations of the set's type between consecutive members; every member
 *   gets the type in `brat:equiv` (string[]). On export the relations of such a type between
 *   members are gathered into connected sets, one `*` line each.
 * - `A`/`M` attribute → attributes[name]. Values (brat values cannot contain spaces) are written so
 *   that every Margin value comes back exactly:
 *     true → binary `A1 Name T1`; false → `false`; a number → its decimal form (`3`, `-2.5`);
 *     a string → percent-encoded (`%`, whitespace, `|` and control characters; a string that would
 *     read as a number, `true` or `false` gets its first character encoded too, `"3"` → `%33`;
 *     the empty string → `%`); a string[] → its elements so encoded, joined by `|`, with a
 *     trailing `|` when it has fewer than two elements (`a|b`, `a|`, `|`).
 *   Names of labels, attributes, relation types and roles are percent-encoded the same way
 *   (plus `:`), so names with spaces survive; brat-style names are written unchanged.
 * - `N` normalization → annotation.norms ({resource, id, text}); `#` AnnotatorNotes → note (the
 *   first one on an annotation; brat shows and edits that one). Note and norm texts escape `\`
 *   `\n` `\r` `\t` with a backslash (brat lines cannot hold them).
 * - Lines Margin has no field for are kept verbatim and written back (bratKept.ts): comments of
 *   any other type (`#2 Lemma T3 bank`) and further notes on one annotation, an attribute or a
 *   normalization on a relation, a second attribute of one name on one annotation.
 * - A label the project spells differently (`Quote` for its `quote`) is imported as the project's
 *   label with the file's spelling in `brat:type`, written back as the type while the label stays
 *   the same but for case.
 * - brat has no annotators: the importer leaves `annotator` unset (the caller chooses it).
 *
 * Attributes whose names start with `brat:` are this module's bookkeeping (see
 * `isBratInternalAttribute`): callers should not add them to the tag schema or show them as
 * ordinary attributes, but must keep them on the annotation for a faithful export.
 *
 * Export layout: `layout: 'flat'` writes `<docId>.txt` + `<docId>.ann` with every exported
 * annotator's layer in one `.ann`; `'per-annotator'` writes `<annotator>/<docId>.txt|.ann` per
 * annotator; `'auto'` (the default) decides per document: per-annotator folders when the
 * document's annotations come from more than one annotator, else flat. `annotation.conf` (from
 * the schema and what the export actually used) is written at the top by `end`; brat looks for it
 * in parent folders too.
 */

export const BRAT_INTERNAL_PREFIX = 'brat:';

/** Attributes that are this format's bookkeeping, not user attributes. */
export function isBratInternalAttribute(name: string): boolean {
  return name.startsWith(BRAT_INTERNAL_PREFIX);
}

const EVENT = 'brat:event';
const EQUIV = 'brat:equiv';
const FRAGMENTS = 'brat:fragments';
const EVENT_RELATIONS = 'brat:relations';
const TRIGGER_TYPE = 'brat:trigger-type';
const TRIGGER_NOTE = 'brat:trigger-note';
const TRIGGER_ATTR = 'brat:trigger:';
const REL_NOTE = 'brat:note:';
const REL_ARGS = 'brat:args:';
/** The type as the file spelled it, when the project's label differs from it only in case. */
export const BRAT_TYPE = 'brat:type';

/** The type an annotation is written with: the file's spelling while the label is still that type. */
function typeOf(a: Annotation): string {
  const spelled = a.attributes[BRAT_TYPE];
  return typeof spelled === 'string' && spelled.trim().toLowerCase() === a.label.trim().toLowerCase() ? spelled : a.label;
}

// ---------------------------------------------------------------------------------------------
// Encodings

function pctChar(ch: string): string {
  return Array.from(new TextEncoder().encode(ch), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

function pctDecode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

const NAME_SPECIAL = /[%\s:|,;=\p{Cc}]/gu;

/** A label, attribute, relation type or role as brat writes it: no spaces, no `:`. */
export function encodeBratName(name: string): string {
  return name.replace(NAME_SPECIAL, pctChar);
}
export function decodeBratName(raw: string): string {
  return raw.includes('%') ? pctDecode(raw) : raw;
}

const VALUE_SPECIAL = /[%\s|\p{Cc}]/gu;

function looksTyped(raw: string): boolean {
  return raw === 'true' || raw === 'false' || isNumberRaw(raw);
}
function isNumberRaw(raw: string): boolean {
  return /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw) && String(Number(raw)) === raw;
}

function encodeString(s: string): string {
  if (s === '') return '%';
  const enc = s.replace(VALUE_SPECIAL, pctChar);
  if (looksTyped(enc)) return pctChar(enc[0]!) + enc.slice(1);
  return enc;
}
function decodeString(raw: string): string {
  if (raw === '%') return '';
  return raw.includes('%') ? pctDecode(raw) : raw;
}

/** The value part of an `A` line, or undefined for a binary (true) attribute. */
export function encodeBratValue(value: AttributeValue): string | undefined {
  if (value === true) return undefined;
  if (value === false) return 'false';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    const joined = value.map(encodeString).join('|');
    return value.length < 2 ? `${joined}|` : joined;
  }
  return encodeString(value);
}

export function decodeBratValue(raw: string | undefined): AttributeValue {
  if (raw === undefined || raw === '' || raw === 'true') return true;
  if (raw === 'false') return false;
  if (isNumberRaw(raw)) return Number(raw);
  if (raw.includes('|')) {
    return raw
      .split('|')
      .filter((p) => p !== '')
      .map(decodeString);
  }
  return decodeString(raw);
}

/** Note and normalization texts: one line, backslash escapes. */
function escapeText(s: string): string {
  return s.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
}
function unescapeText(s: string): string {
  return s.replace(/\\([\\nrt])/g, (_, c: string) => (c === '\\' ? '\\' : c === 'n' ? '\n' : c === 'r' ? '\r' : '\t'));
}

// ---------------------------------------------------------------------------------------------
// Fragments

/** The pieces of [start, end) between line breaks (brat spans cannot cross them), empty ones dropped. */
function splitAtNewlines(text: string, start: number, end: number): [number, number][] {
  const out: [number, number][] = [];
  let s = start;
  for (let i = start; i <= end; i++) {
    if (i === end || text[i] === '\n' || text[i] === '\r') {
      if (i > s) out.push([s, i]);
      s = i + 1;
    }
  }
  return out;
}

function sameFragments(a: [number, number][], b: [number, number][]): boolean {
  return a.length === b.length && a.every((f, i) => f[0] === b[i]![0] && f[1] === b[i]![1]);
}

// ---------------------------------------------------------------------------------------------
// Export

export type BratLayout = 'auto' | 'flat' | 'per-annotator';

export interface BratExportOptions {
  layout?: BratLayout;
}

interface ConfUsage {
  entities: Set<string>;
  events: Map<string, Map<string, Set<string>>>;
  relations: Map<string, { from: Set<string>; to: Set<string>; equiv: boolean }>;
  attributes: Map<string, { targets: Set<string>; values: Set<string>; binary: boolean }>;
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function asStringArray(v: AttributeValue | undefined): string[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [v];
  return [];
}

/** One `.ann` file for these annotations and relations. Records what it used in `usage`. */
export function annotationsToBrat(text: string, annotations: readonly Annotation[], relations: readonly Relation[], usage?: ConfUsage): string {
  const byId = new Map(annotations.map((a) => [a.id, a]));
  const isEvent = (a: Annotation): boolean => a.attributes[EVENT] === true;

  // Fragments (UTF-16) per annotation, then every offset converted in one pass.
  const fragments = annotations.map((a) => {
    const stored = a.attributes[FRAGMENTS];
    if (typeof stored === 'string' && stored.trim() !== '') {
      const parsed = stored.split(';').map((f) => f.trim().split(/\s+/).map(Number) as [number, number]);
      if (parsed.every((f) => f.length === 2 && f.every((n) => Number.isInteger(n)) && a.start + f[0] >= 0 && a.start + f[1] <= text.length && f[0] <= f[1])) {
        return parsed.map(([s, e]) => [a.start + s, a.start + e] as [number, number]);
      }
    }
    const split = splitAtNewlines(text, a.start, a.end);
    return split.length > 0 ? split : [[a.start, a.end] as [number, number]];
  });
  const flat = fragments.flatMap((fs) => fs.flat());
  const points = utf16ToCodePointMany(text, flat);

  const tIds = new Map<string, string>();
  const eIds = new Map<string, string>();
  annotations.forEach((a, i) => {
    tIds.set(a.id, `T${i + 1}`);
  });
  let eCount = 0;
  for (const a of annotations) if (isEvent(a)) eIds.set(a.id, `E${++eCount}`);
  const ref = (id: string): string => eIds.get(id) ?? tIds.get(id)!;

  const tLines: string[] = [];
  let p = 0;
  annotations.forEach((a, i) => {
    const fs = fragments[i]!;
    const offs = fs.map(() => `${points[p++]} ${points[p++]}`).join(';');
    const spanText = fs.map(([s, e]) => text.slice(s, e).replace(/[\n\r]/g, ' ')).join(' ');
    const triggerType = isEvent(a) && typeof a.attributes[TRIGGER_TYPE] === 'string' ? (a.attributes[TRIGGER_TYPE] as string) : typeOf(a);
    tLines.push(`${tIds.get(a.id)}\t${encodeBratName(triggerType)} ${offs}\t${spanText}`);
    if (usage && !isEvent(a)) usage.entities.add(typeOf(a));
  });

  // Classify relations.
  const outgoing = new Map<string, Relation[]>();
  for (const r of relations) {
    if (!byId.has(r.from) || !byId.has(r.to)) continue;
    const list = outgoing.get(r.from);
    if (list) list.push(r);
    else outgoing.set(r.from, [r]);
  }
  const equivOf = (a: Annotation): string[] => asStringArray(a.attributes[EQUIV]);
  const roles = new Map<string, Relation[]>();
  const plain: Relation[] = [];
  const equivEdges = new Map<string, Relation[]>();
  for (const r of relations) {
    const from = byId.get(r.from);
    const to = byId.get(r.to);
    if (!from || !to) continue;
    if (equivOf(from).includes(r.type) && equivOf(to).includes(r.type)) {
      const list = equivEdges.get(r.type);
      if (list) list.push(r);
      else equivEdges.set(r.type, [r]);
    } else if (isEvent(from) && !asStringArray(from.attributes[EVENT_RELATIONS]).includes(r.type)) {
      const list = roles.get(from.id);
      if (list) list.push(r);
      else roles.set(from.id, [r]);
    } else {
      plain.push(r);
    }
  }

  const eLines: string[] = [];
  for (const a of annotations) {
    if (!isEvent(a)) continue;
    const args = (roles.get(a.id) ?? []).map((r) => ` ${encodeBratName(r.type)}:${ref(r.to)}`).join('');
    eLines.push(`${eIds.get(a.id)}\t${encodeBratName(typeOf(a))}:${tIds.get(a.id)}${args}`);
    if (usage) {
      let roleMap = usage.events.get(typeOf(a));
      if (!roleMap) usage.events.set(typeOf(a), (roleMap = new Map()));
      for (const r of roles.get(a.id) ?? []) addTo(roleMap, r.type, isEvent(byId.get(r.to)!) ? '<EVENT>' : typeOf(byId.get(r.to)!));
    }
  }

  const rLines: string[] = [];
  const noteLines: string[] = [];
  let noteCount = 0;
  /** Each written relation's R id by its ends and type, for the kept lines that name it. */
  const rByEnds = new Map<string, string>();
  const endsKey = (from: string, type: string, to: string) => `${from}\u0000${type}\u0000${to}`;
  const sameType = (r: Relation): number => (outgoing.get(r.from) ?? []).filter((o) => o.type === r.type && plain.includes(o)).length;
  plain.forEach((r, i) => {
    const from = byId.get(r.from)!;
    const to = byId.get(r.to)!;
    const rid = `R${i + 1}`;
    const argNames = typeof from.attributes[`${REL_ARGS}${r.type}`] === 'string' ? (from.attributes[`${REL_ARGS}${r.type}`] as string).split(' ') : [];
    const [n1, n2] = argNames.length === 2 ? argNames : ['Arg1', 'Arg2'];
    rLines.push(`${rid}\t${encodeBratName(r.type)} ${n1}:${ref(r.from)} ${n2}:${ref(r.to)}\t`);
    if (!rByEnds.has(endsKey(r.from, r.type, r.to))) rByEnds.set(endsKey(r.from, r.type, r.to), rid);
    const key = sameType(r) > 1 ? `${REL_NOTE}${r.type}@${to.start}-${to.end}` : `${REL_NOTE}${r.type}`;
    const note = from.attributes[key];
    if (typeof note === 'string') noteLines.push(`#${++noteCount}\tAnnotatorNotes ${rid}\t${escapeText(note)}`);
    if (usage) {
      let u = usage.relations.get(r.type);
      if (!u) usage.relations.set(r.type, (u = { from: new Set(), to: new Set(), equiv: false }));
      u.from.add(isEvent(from) ? '<EVENT>' : typeOf(from));
      u.to.add(isEvent(to) ? '<EVENT>' : typeOf(to));
    }
  });

  const starLines: string[] = [];
  for (const [type, edges] of equivEdges) {
    // Connected sets, members in annotation order.
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      let root = x;
      while (parent.get(root) !== root) root = parent.get(root)!;
      parent.set(x, root);
      return root;
    };
    for (const r of edges) {
      if (!parent.has(r.from)) parent.set(r.from, r.from);
      if (!parent.has(r.to)) parent.set(r.to, r.to);
      parent.set(find(r.from), find(r.to));
    }
    const groups = new Map<string, string[]>();
    for (const a of annotations) {
      if (!parent.has(a.id)) continue;
      const root = find(a.id);
      const g = groups.get(root);
      if (g) g.push(a.id);
      else groups.set(root, [a.id]);
    }
    for (const members of groups.values()) starLines.push(`*\t${encodeBratName(type)} ${members.map(ref).join(' ')}`);
    if (usage) {
      let u = usage.relations.get(type);
      if (!u) usage.relations.set(type, (u = { from: new Set(), to: new Set(), equiv: true }));
      u.equiv = true;
      for (const r of edges) {
        u.from.add(typeOf(byId.get(r.from)!));
        u.to.add(typeOf(byId.get(r.to)!));
      }
    }
  }

  const aLines: string[] = [];
  const nLines: string[] = [];
  let aCount = 0;
  let nCount = 0;
  const writeAttr = (target: string, name: string, value: AttributeValue, label: string): void => {
    const raw = encodeBratValue(value);
    aLines.push(`A${++aCount}\t${encodeBratName(name)} ${target}${raw === undefined ? '' : ` ${raw}`}`);
    if (usage) {
      let u = usage.attributes.get(name);
      if (!u) usage.attributes.set(name, (u = { targets: new Set(), values: new Set(), binary: true }));
      u.targets.add(label);
      if (raw !== undefined) {
        u.binary = false;
        u.values.add(raw);
      }
    }
  };
  for (const a of annotations) {
    const event = isEvent(a);
    const own = ref(a.id);
    for (const [name, value] of Object.entries(a.attributes)) {
      if (event && name.startsWith(TRIGGER_ATTR)) {
        writeAttr(tIds.get(a.id)!, name.slice(TRIGGER_ATTR.length), value, typeOf(a));
        continue;
      }
      if (isBratInternalAttribute(name)) continue;
      writeAttr(own, name, value, event ? '<EVENT>' : typeOf(a));
    }
    for (const n of a.norms ?? []) {
      const text = n.text === undefined ? '' : `\t${escapeText(n.text)}`;
      nLines.push(`N${++nCount}\tReference ${own} ${encodeBratName(n.resource)}:${encodeBratName(n.id)}${text}`);
    }
    if (a.note !== undefined) noteLines.push(`#${++noteCount}\tAnnotatorNotes ${own}\t${escapeText(a.note)}`);
    const triggerNote = a.attributes[TRIGGER_NOTE];
    if (event && typeof triggerNote === 'string') noteLines.push(`#${++noteCount}\tAnnotatorNotes ${tIds.get(a.id)}\t${escapeText(triggerNote)}`);
  }

  // Lines Margin has no field for, as the file had them, under fresh ids after the others.
  const counters: Record<string, number> = { '#': noteCount, A: aCount, N: nCount, M: 0 };
  const nextId = (kind: string) => `${kind}${(counters[kind] = (counters[kind] ?? 0) + 1)}`;
  const ids = { t: (id: string) => tIds.get(id), e: (id: string) => eIds.get(id), r: (from: string, type: string, to: string) => rByEnds.get(endsKey(from, type, to)) };
  const keptLines: string[] = [];
  for (const a of annotations) {
    for (const kept of keptLinesOf(a.attributes)) {
      const written = writeKeptLine(kept, a, annotations, ids, nextId);
      if (written !== null) keptLines.push(written);
    }
  }

  const lines = [...tLines, ...eLines, ...rLines, ...starLines, ...aLines, ...nLines, ...noteLines, ...keptLines];
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function confList(values: Iterable<string>, fallback: string): string {
  const list = [...values].map((v) => (v.startsWith('<') ? v : encodeBratName(v)));
  return list.length > 0 ? list.join('|') : fallback;
}

/** annotation.conf from the schema and what an export used. */
export function bratConf(schema: TagSchema, usage: ConfUsage): string {
  const eventLabels = new Set(usage.events.keys());
  const entities = new Set<string>();
  for (const l of schema.labels) if (!eventLabels.has(l.name) || usage.entities.has(l.name)) entities.add(l.name);
  for (const e of usage.entities) entities.add(e);

  const roleTypes = new Set<string>();
  for (const roles of usage.events.values()) for (const r of roles.keys()) roleTypes.add(r);

  const relations = new Map<string, { from: Set<string>; to: Set<string>; equiv: boolean }>();
  for (const r of schema.relations) {
    if (roleTypes.has(r.type) && !usage.relations.has(r.type)) continue;
    relations.set(r.type, { from: new Set(r.from), to: new Set(r.to), equiv: false });
  }
  for (const [type, u] of usage.relations) {
    const cur = relations.get(type);
    if (!cur) relations.set(type, { from: new Set(u.from), to: new Set(u.to), equiv: u.equiv });
    else {
      for (const f of u.from) cur.from.add(f);
      for (const t of u.to) cur.to.add(t);
      cur.equiv ||= u.equiv;
    }
  }

  const attributes = new Map<string, { targets: Set<string>; values: Set<string>; binary: boolean }>();
  for (const l of schema.labels) {
    for (const def of l.attributes) {
      if (isBratInternalAttribute(def.name)) continue;
      let u = attributes.get(def.name);
      if (!u) attributes.set(def.name, (u = { targets: new Set(), values: new Set(), binary: true }));
      u.targets.add(eventLabels.has(l.name) ? '<EVENT>' : l.name);
      if (def.type !== 'boolean') u.binary = false;
      for (const v of def.values ?? []) {
        const raw = encodeBratValue(v);
        if (raw !== undefined) u.values.add(raw);
      }
    }
  }
  for (const [name, u] of usage.attributes) {
    const cur = attributes.get(name);
    if (!cur) attributes.set(name, { targets: new Set(u.targets), values: new Set(u.values), binary: u.binary });
    else {
      for (const t of u.targets) cur.targets.add(t);
      for (const v of u.values) cur.values.add(v);
      cur.binary &&= u.binary;
    }
  }

  const out: string[] = ['# Generated by Margin from the project tag schema.', '', '[entities]', ''];
  for (const e of entities) out.push(encodeBratName(e));
  out.push('', '[relations]', '');
  for (const [type, r] of relations) {
    const extra = r.equiv ? ', <REL-TYPE>:symmetric-transitive' : '';
    out.push(`${encodeBratName(type)}\tArg1:${confList(r.from, '<ANY>')}, Arg2:${confList(r.to, '<ANY>')}${extra}`);
  }
  out.push('', '[events]', '');
  for (const [label, roles] of usage.events) {
    const args = [...roles].map(([role, targets]) => `${encodeBratName(role)}*:${confList(targets, '<ANY>')}`);
    out.push(args.length > 0 ? `${encodeBratName(label)}\t${args.join(', ')}` : encodeBratName(label));
  }
  out.push('', '[attributes]', '');
  for (const [name, a] of attributes) {
    const values = a.binary || a.values.size === 0 ? '' : `, Value:${[...a.values].join('|')}`;
    out.push(`${encodeBratName(name)}\tArg:${confList(a.targets, '<ANY>')}${values}`);
  }
  return `${out.join('\n')}\n`;
}

export function createBratExporter(options: BratExportOptions = {}): Exporter {
  const layout = options.layout ?? 'auto';
  const usage: ConfUsage = { entities: new Set(), events: new Map(), relations: new Map(), attributes: new Map() };
  return {
    kind: 'folder',
    document(doc: ExportDocument): ExportFile[] {
      const relations = doc.relations ?? [];
      const annotators = [...new Set([...doc.annotations.map((a) => a.annotator), ...relations.map((r) => r.annotator)])];
      const perAnnotator = layout === 'per-annotator' || (layout === 'auto' && annotators.length > 1);
      if (!perAnnotator) {
        return [
          { path: `${doc.id}.txt`, content: doc.text },
          { path: `${doc.id}.ann`, content: annotationsToBrat(doc.text, doc.annotations, relations, usage) },
        ];
      }
      return annotators.flatMap((who) => [
        { path: `${who}/${doc.id}.txt`, content: doc.text },
        {
          path: `${who}/${doc.id}.ann`,
          content: annotationsToBrat(
            doc.text,
            doc.annotations.filter((a) => a.annotator === who),
            relations.filter((r) => r.annotator === who),
            usage,
          ),
        },
      ]);
    },
    end(ctx): ExportFile[] {
      return [{ path: 'annotation.conf', content: bratConf(ctx.schema, usage) }];
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Import

interface TRecord {
  ann: ParsedAnnotation;
  /** The event annotation this trigger was merged into, if any. */
  event?: ParsedAnnotation;
}

function baseName(name: string): string {
  const file = name.split(/[\\/]/).pop() ?? name;
  return file.replace(/\.ann$/i, '');
}

/** Reads a `.ann` file (source.content) against its `.txt` (source.text). */
export function parseBrat(source: ImportSource): ParseResult {
  const problems: ParseProblem[] = [];
  if (source.text === undefined) {
    return { documents: [], problems: [{ reason: `${source.name}: no matching .txt file; a brat .ann needs its text` }] };
  }
  const text = source.text;
  // Code point → UTF-16 table, built once.
  const cpToU16: number[] = [];
  for (let i = 0; i < text.length; ) {
    cpToU16.push(i);
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff;
    i += pair ? 2 : 1;
  }
  cpToU16.push(text.length);
  const maxPoint = cpToU16.length - 1;

  const annotations: ParsedAnnotation[] = [];
  const relations: ParsedRelation[] = [];
  const tById = new Map<string, TRecord>();
  const eById = new Map<string, ParsedAnnotation>();
  const rById = new Map<string, { rel: ParsedRelation; from: ParsedAnnotation; to: ParsedAnnotation }>();
  const seen = new Set<string>();
  const problem = (line: number, reason: string): void => {
    problems.push({ line, reason });
  };

  type Line = { no: number; id: string; fields: string[] };
  const lines: Line[] = [];
  source.content.split(/\r\n|\n|\r/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    const no = i + 1;
    const fields = raw.split('\t');
    if (fields.length < 2) {
      problem(no, `malformed line (expected tab-separated fields): ${JSON.stringify(raw.slice(0, 80))}`);
      return;
    }
    const id = fields[0]!.trim();
    if (!/^[TREAMN#*]/.test(id)) {
      problem(no, `unknown annotation type ${JSON.stringify(id.slice(0, 20))} (expected T, R, E, A, M, N, # or *)`);
      return;
    }
    if (id !== '*') {
      if (seen.has(id)) {
        problem(no, `duplicate id ${id}`);
        return;
      }
      seen.add(id);
    }
    lines.push({ no, id, fields });
  });
  const of = (kind: string): Line[] => lines.filter((l) => l.id[0] === kind);

  // T: text-bound annotations.
  for (const { no, id, fields } of of('T')) {
    const m = /^(\S+) (\d+ \d+(?:;\d+ \d+)*)$/.exec(fields[1]!.trim());
    if (!m) {
      problem(no, `${id}: malformed text-bound annotation (expected "Type start end[;start end…]")`);
      continue;
    }
    const frags = m[2]!.split(';').map((f) => f.split(' ').map(Number) as [number, number]);
    const bad = frags.find(([s, e]) => s > e || e > maxPoint);
    if (bad) {
      problem(no, `${id}: offsets ${bad[0]}-${bad[1]} are outside the text (0..${maxPoint} code points) or reversed`);
      continue;
    }
    const u16 = frags.map(([s, e]) => [cpToU16[s]!, cpToU16[e]!] as [number, number]);
    // A loop, not Math.min(...): a span of many fragments would overflow the call stack.
    let start = u16[0]![0];
    let end = u16[0]![1];
    for (const [s, e] of u16) {
      if (s < start) start = s;
      if (e > end) end = e;
    }
    const spanText = fields.slice(2).join('\t');
    const attributes: Record<string, AttributeValue> = {};
    let exact = spanText;
    if (u16.length > 1) {
      const fragText = u16.map(([s, e]) => text.slice(s, e)).join(' ');
      if (fragText === spanText || fields.length < 3) exact = text.slice(start, end);
      const natural = splitAtNewlines(text, start, end);
      if (!sameFragments(natural, u16)) attributes[FRAGMENTS] = u16.map(([s, e]) => `${s - start} ${e - start}`).join(';');
    } else if (fields.length < 3) {
      exact = text.slice(start, end);
    }
    const ann: ParsedAnnotation = { sourceId: id, label: decodeBratName(m[1]!), start, end, quote: { exact }, attributes, line: no };
    annotations.push(ann);
    tById.set(id, { ann });
  }

  // E: events, merged into their trigger's annotation (first pass: triggers only).
  const eventArgs: { line: Line; ann: ParsedAnnotation; args: string[] }[] = [];
  for (const line of of('E')) {
    const { no, id, fields } = line;
    const parts = fields[1]!.trim().split(/\s+/);
    const trig = /^([^:]+):(\S+)$/.exec(parts[0] ?? '');
    if (!trig) {
      problem(no, `${id}: malformed event (expected "Type:Trigger Role:Arg…")`);
      continue;
    }
    const type = decodeBratName(trig[1]!);
    const t = tById.get(trig[2]!);
    if (!t) {
      problem(no, `${id}: trigger ${trig[2]} is not a text-bound annotation in this file`);
      continue;
    }
    let ann: ParsedAnnotation;
    if (!t.event) {
      ann = t.ann;
      if (ann.label !== type) ann.attributes[TRIGGER_TYPE] = ann.label;
      ann.label = type;
      ann.attributes[EVENT] = true;
      t.event = ann;
    } else {
      ann = { ...t.ann, sourceId: id, label: type, quote: { ...t.ann.quote }, attributes: { [EVENT]: true }, line: no };
      if (t.ann.attributes[FRAGMENTS] !== undefined) ann.attributes[FRAGMENTS] = t.ann.attributes[FRAGMENTS];
      if (t.ann.label !== type) ann.attributes[TRIGGER_TYPE] = t.ann.label;
      const triggerType = t.ann.attributes[TRIGGER_TYPE];
      if (typeof triggerType === 'string' && triggerType !== type) ann.attributes[TRIGGER_TYPE] = triggerType;
      annotations.push(ann);
    }
    eById.set(id, ann);
    eventArgs.push({ line, ann, args: parts.slice(1) });
  }

  /** The annotation an id names: an event's trigger annotation, or a text-bound annotation. */
  const resolve = (ref: string): ParsedAnnotation | undefined => {
    const e = eById.get(ref);
    if (e) return e;
    const t = tById.get(ref);
    return t ? (t.event ?? t.ann) : undefined;
  };
  const unknown = (ref: string): string => (seen.has(ref) ? `${ref} cannot be linked here (or could not be read)` : `${ref} is not defined in this file`);

  for (const { line, ann, args } of eventArgs) {
    for (const arg of args) {
      const m = /^([^:]+):(\S+)$/.exec(arg);
      if (!m) {
        problem(line.no, `${line.id}: malformed event argument ${JSON.stringify(arg)} (expected Role:Id)`);
        continue;
      }
      const target = resolve(m[2]!);
      if (!target) {
        problem(line.no, `${line.id}: argument ${m[1]}: ${unknown(m[2]!)}`);
        continue;
      }
      relations.push({ type: decodeBratName(m[1]!), from: ann.sourceId, to: target.sourceId, line: line.no });
    }
  }

  // R: binary relations.
  const rCount = new Map<string, number>();
  for (const { no, id, fields } of of('R')) {
    const parts = fields[1]!.trim().split(/\s+/);
    const args = parts.slice(1).map((p) => /^([^:]+):(\S+)$/.exec(p));
    if (parts.length !== 3 || args.some((a) => !a)) {
      problem(no, `${id}: malformed relation (expected "Type Arg1:Id Arg2:Id")`);
      continue;
    }
    let [a1, a2] = args as RegExpExecArray[];
    if (a1![1] === 'Arg2' && a2![1] === 'Arg1') [a1, a2] = [a2, a1];
    const from = resolve(a1![2]!);
    const to = resolve(a2![2]!);
    if (!from || !to) {
      problem(no, `${id}: ${!from ? unknown(a1![2]!) : unknown(a2![2]!)}`);
      continue;
    }
    const type = decodeBratName(parts[0]!);
    if (a1![1] !== 'Arg1' || a2![1] !== 'Arg2') from.attributes[`${REL_ARGS}${type}`] = `${a1![1]} ${a2![1]}`;
    if (from.attributes[EVENT] === true) {
      const list = asStringArray(from.attributes[EVENT_RELATIONS]);
      if (!list.includes(type)) from.attributes[EVENT_RELATIONS] = [...list, type];
    }
    const rel: ParsedRelation = { type, from: from.sourceId, to: to.sourceId, line: no };
    relations.push(rel);
    rById.set(id, { rel, from, to });
    const key = `${from.sourceId}\u0000${type}`;
    rCount.set(key, (rCount.get(key) ?? 0) + 1);
  }

  // *: equivalence sets.
  for (const { no, fields } of of('*')) {
    const parts = fields[1]!.trim().split(/\s+/);
    if (parts.length < 3) {
      problem(no, `malformed equivalence (expected "Type Id Id…")`);
      continue;
    }
    const type = decodeBratName(parts[0]!);
    const members: ParsedAnnotation[] = [];
    for (const ref of parts.slice(1)) {
      const a = resolve(ref);
      if (!a) problem(no, `equivalence ${type}: ${unknown(ref)}`);
      else if (!members.includes(a)) members.push(a);
    }
    for (const a of members) {
      const list = asStringArray(a.attributes[EQUIV]);
      if (!list.includes(type)) a.attributes[EQUIV] = [...list, type];
    }
    for (let i = 1; i < members.length; i++) relations.push({ type, from: members[i - 1]!.sourceId, to: members[i]!.sourceId, line: no });
  }

  /** The annotation an A, N or # line targets, and whether the target is a trigger T merged into an event. */
  const target = (ref: string): { ann: ParsedAnnotation; trigger: boolean } | undefined => {
    const e = eById.get(ref);
    if (e) return { ann: e, trigger: false };
    const t = tById.get(ref);
    if (!t) return undefined;
    return t.event ? { ann: t.event, trigger: true } : { ann: t.ann, trigger: false };
  };
  const has = (attributes: Record<string, AttributeValue>, key: string) => Object.prototype.hasOwnProperty.call(attributes, key);

  /**
   * Keeps a line Margin has no field for, verbatim, on the annotation it is about (a relation's
   * line on the annotation the relation starts at); false when `targetId` names nothing kept.
   */
  const keep = ({ id, fields }: Line, targetId: string): boolean => {
    let carrier: ParsedAnnotation;
    let field: KeptField;
    const e = eById.get(targetId);
    const t = tById.get(targetId);
    const r = rById.get(targetId);
    if (e) [carrier, field] = [e, { E: 'self' }];
    else if (t) [carrier, field] = [t.event ?? t.ann, { T: 'self' }];
    else if (r) [carrier, field] = [r.from, { R: [r.rel.type, 'self', r.to === r.from ? 'self' : [r.to.start, r.to.end, r.to.label]] }];
    else return false;
    const tokens = fields[1]!.split(' ');
    const at = tokens.indexOf(targetId, 1);
    if (at < 0) return false;
    keepLine(carrier.attributes, { kind: id[0]!, fields: tokens.map((token, i) => (i === at ? field : token)), tail: fields.length > 2 ? `\t${fields.slice(2).join('\t')}` : '' });
    return true;
  };

  // A / M: attributes. One on a relation, or a second of one name, is kept as it is.
  for (const line of [...of('A'), ...of('M')]) {
    const { no, id, fields } = line;
    const parts = fields[1]!.trim().split(/\s+/);
    if (parts.length < 2 || parts.length > 3) {
      problem(no, `${id}: malformed attribute (expected "Name Id [Value]")`);
      continue;
    }
    const t = target(parts[1]!);
    if (!t) {
      if (!keep(line, parts[1]!)) problem(no, `${id}: ${unknown(parts[1]!)}`);
      continue;
    }
    const name = decodeBratName(parts[0]!);
    const key = t.trigger ? `${TRIGGER_ATTR}${name}` : name;
    if (has(t.ann.attributes, key)) keep(line, parts[1]!);
    else t.ann.attributes[key] = decodeBratValue(parts[2]);
  }

  // N: normalizations. One on a relation is kept as it is.
  for (const line of of('N')) {
    const { no, id, fields } = line;
    const m = /^(\S+) (\S+) ([^:\s]+):(\S+)$/.exec(fields[1]!.trim());
    if (!m) {
      problem(no, `${id}: malformed normalization (expected "Reference Id Resource:Id")`);
      continue;
    }
    const t = target(m[2]!);
    if (!t) {
      if (!keep(line, m[2]!)) problem(no, `${id}: ${unknown(m[2]!)}`);
      continue;
    }
    const norm: { resource: string; id: string; text?: string } = { resource: decodeBratName(m[3]!), id: decodeBratName(m[4]!) };
    if (fields.length > 2) norm.text = unescapeText(fields.slice(2).join('\t'));
    (t.ann.norms ??= []).push(norm);
  }

  // #: comments. The first AnnotatorNotes of an annotation is its note; any other is kept as it is.
  for (const line of of('#')) {
    const { no, id, fields } = line;
    const m = /^(\S+) (\S+)$/.exec(fields[1]!.trim());
    if (!m) {
      problem(no, `${id}: malformed comment (expected "Type Id", e.g. "AnnotatorNotes T1")`);
      continue;
    }
    const isNote = m[1] === 'AnnotatorNotes';
    const note = unescapeText(fields.slice(2).join('\t'));
    const r = rById.get(m[2]!);
    const t = r ? undefined : target(m[2]!);
    if (r) {
      const several = (rCount.get(`${r.from.sourceId}\u0000${r.rel.type}`) ?? 0) > 1;
      const key = several ? `${REL_NOTE}${r.rel.type}@${r.to.start}-${r.to.end}` : `${REL_NOTE}${r.rel.type}`;
      if (isNote && !has(r.from.attributes, key)) r.from.attributes[key] = note;
      else keep(line, m[2]!);
    } else if (!t) {
      problem(no, `${id}: ${unknown(m[2]!)}`);
    } else if (isNote && t.trigger && !has(t.ann.attributes, TRIGGER_NOTE)) {
      t.ann.attributes[TRIGGER_NOTE] = note;
    } else if (isNote && !t.trigger && t.ann.note === undefined) {
      t.ann.note = note;
    } else {
      keep(line, m[2]!);
    }
  }

  const base = baseName(source.name);
  const doc: ParsedDocument = { text, annotations, relations };
  if (/^[0-9a-f]{16}$/.test(base)) doc.id = base;
  else doc.title = base;
  return { documents: [doc], problems };
}
