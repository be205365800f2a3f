import type { Annotation, AttributeValue } from '../model';

/**
 * brat lines Margin has no field for (comments other than the one AnnotatorNotes an annotation
 * shows as its note, an attribute or normalization on a relation, a second attribute of the same
 * name), kept as they are so that an export writes them back and import → export loses no line.
 *
 * A kept line rides on the annotation it is about (a relation's line on the annotation the
 * relation starts at), in the bookkeeping attribute `brat:lines`: one JSON text per line, the
 * line's id letter, its space-separated fields with every id replaced by what it names, and the
 * rest of the line (from its second tab) verbatim. Ids are replaced because an export numbers
 * annotations afresh: the carrier itself is "self" (so it survives re-anchoring), another
 * annotation is named by its UTF-16 span and label, a relation by its type and ends. A line
 * whose annotations cannot be found in the export (deleted, moved) is left out of it.
 */

export const KEPT_LINES = 'brat:lines';

/** An annotation a kept line names: the one carrying the line, or another by span and label. */
export type KeptRef = 'self' | [start: number, end: number, label: string];

/** A field of a kept line: text as it is, or the id of a text-bound annotation, an event or a relation. */
export type KeptField = string | { T: KeptRef } | { E: KeptRef } | { R: [type: string, from: KeptRef, to: KeptRef] };

export interface KeptLine {
  /** The id's letter as the file had it: #, A, M or N. */
  kind: string;
  fields: KeptField[];
  /** The rest of the line from its second tab (a note's text), verbatim; '' when there is none. */
  tail: string;
}

/** Adds a kept line to the attributes of the annotation it rides on. */
export function keepLine(attributes: Record<string, AttributeValue>, line: KeptLine): void {
  const kept = attributes[KEPT_LINES];
  attributes[KEPT_LINES] = [...(Array.isArray(kept) ? kept : []), JSON.stringify(line)];
}

const isRef = (v: unknown): v is KeptRef =>
  v === 'self' || (Array.isArray(v) && v.length === 3 && Number.isInteger(v[0]) && Number.isInteger(v[1]) && typeof v[2] === 'string');

function isField(v: unknown): v is KeptField {
  if (typeof v === 'string') return true;
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  if ('T' in o) return isRef(o.T);
  if ('E' in o) return isRef(o.E);
  if ('R' in o) return Array.isArray(o.R) && o.R.length === 3 && typeof o.R[0] === 'string' && isRef(o.R[1]) && isRef(o.R[2]);
  return false;
}

/** The kept lines an annotation carries (any entry that does not read as one is skipped). */
export function keptLinesOf(attributes: Readonly<Record<string, AttributeValue>>): KeptLine[] {
  const kept = attributes[KEPT_LINES];
  if (!Array.isArray(kept)) return [];
  const out: KeptLine[] = [];
  for (const entry of kept) {
    try {
      const line = JSON.parse(entry) as Partial<KeptLine>;
      if (typeof line.kind === 'string' && /^[#AMN]$/.test(line.kind) && Array.isArray(line.fields) && line.fields.every(isField) && typeof line.tail === 'string') {
        out.push(line as KeptLine);
      }
    } catch {
      // Not one of ours: skipped, never written out half-read.
    }
  }
  return out;
}

/** The ids an export gave: each annotation's T (and E, for an event), each relation's R. */
export interface ExportIds {
  t(annotationId: string): string | undefined;
  e(annotationId: string): string | undefined;
  r(fromId: string, type: string, toId: string): string | undefined;
}

/**
 * A kept line as it is written in this export: its fields with ids resolved, under a fresh id
 * from `nextId`; null when an annotation it names is not in the export.
 */
export function writeKeptLine(line: KeptLine, carrier: Annotation, annotations: readonly Annotation[], ids: ExportIds, nextId: (kind: string) => string): string | null {
  const sameLabel = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
  const find = (ref: KeptRef): Annotation | undefined => (ref === 'self' ? carrier : annotations.find((a) => a.start === ref[0] && a.end === ref[1] && sameLabel(a.label, ref[2])));
  const parts: string[] = [];
  for (const field of line.fields) {
    let id: string | undefined;
    if (typeof field === 'string') id = field;
    else if ('T' in field) id = ((a) => a && ids.t(a.id))(find(field.T));
    else if ('E' in field) id = ((a) => a && ids.e(a.id))(find(field.E));
    else {
      const [type, from, to] = field.R;
      const a = find(from);
      const b = find(to);
      id = a && b ? ids.r(a.id, type, b.id) : undefined;
    }
    if (id === undefined) return null;
    parts.push(id);
  }
  return `${nextId(line.kind)}\t${parts.join(' ')}${line.tail}`;
}
