import type { AttributeValue, Relation, TagSchema } from '../model';
import { utf16ToCodePointMany } from '../offsets';
import type { ExportDocument, Exporter } from './dataset';

/**
 * CSV for spreadsheets: one row per annotation.
 *
 * - UTF-8 with a byte-order mark, so LibreOffice and Excel detect UTF-8 without asking.
 * - Columns: document_id, annotation_id, title, label, start, end, text, annotator, then one
 *   column per distinct attribute name across the schema (labels in schema order, attributes in
 *   their order; a name shared by two labels is one column), then note, then the annotation's
 *   links: linked_to (the annotation_id of each annotation it links to) and link_type (each
 *   link's type, in the same order), several joined by "; " — a quote's row names its source —
 *   then origin ("suggested" on an accepted or pre-annotated suggestion, empty on the analyst's own).
 *   An attribute whose name is already a fixed column ("label", "note"…) gets the column
 *   "attribute:NAME". Attributes not in the schema are not written (the header is written
 *   before the first document is seen).
 * - start/end are Unicode code points, like the other formats, so Python's text[start:end] is `text`.
 * - RFC 4180: fields with a comma, quote, CR or LF are quoted, quotes doubled; rows end in CRLF.
 * - Values: arrays joined with "; ", booleans as true/false, numbers as written by JavaScript,
 *   missing values empty.
 * - Formula injection: a cell that begins with =, +, -, @, tab or CR would be run as a formula by
 *   a spreadsheet; it is written with a single quote in front ('=SUM(A1)). Spreadsheets show such
 *   a cell as text; the original is the cell without its first character. This applies to every
 *   text cell, a negative number attribute included ('-3).
 */

export const CSV_FIXED_COLUMNS = ['document_id', 'annotation_id', 'title', 'label', 'start', 'end', 'text', 'annotator'] as const;
/** The columns after the attributes: the note, the links, where the span came from. */
export const CSV_TRAILING_COLUMNS = ['note', 'linked_to', 'link_type', 'origin'] as const;

/** The attribute columns of an export with this schema: [column header, attribute name]. */
export function csvAttributeColumns(schema: TagSchema): [string, string][] {
  const seen = new Set<string>();
  const columns: [string, string][] = [];
  const reserved = new Set<string>([...CSV_FIXED_COLUMNS, ...CSV_TRAILING_COLUMNS]);
  for (const label of schema.labels) {
    for (const attribute of label.attributes) {
      if (seen.has(attribute.name)) continue;
      seen.add(attribute.name);
      columns.push([reserved.has(attribute.name) ? `attribute:${attribute.name}` : attribute.name, attribute.name]);
    }
  }
  return columns;
}

/** Prefixes a formula-looking cell with "'" so spreadsheets keep it as text. */
export function escapeFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** RFC 4180 quoting. */
export function quoteCsv(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function cell(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  return quoteCsv(escapeFormula(value));
}

function attributeCell(value: AttributeValue | undefined): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return cell(value.join('; '));
  return cell(String(value));
}

export function createCsvExporter(): Exporter {
  let columns: [string, string][] = [];
  return {
    kind: 'single',
    extension: '.csv',
    begin(ctx) {
      columns = csvAttributeColumns(ctx.schema);
      const header = [...CSV_FIXED_COLUMNS, ...columns.map(([header]) => header), ...CSV_TRAILING_COLUMNS];
      return `\uFEFF${header.map((h) => cell(h)).join(',')}\r\n`;
    },
    document(doc: ExportDocument) {
      const offsets = utf16ToCodePointMany(doc.text, doc.annotations.flatMap((a) => [a.start, a.end]));
      const linksFrom = new Map<string, Relation[]>();
      for (const r of doc.relations ?? []) linksFrom.set(r.from, [...(linksFrom.get(r.from) ?? []), r]);
      let out = '';
      doc.annotations.forEach((a, i) => {
        const links = linksFrom.get(a.id) ?? [];
        const row = [
          cell(doc.id),
          cell(a.id),
          cell(doc.title),
          cell(a.label),
          cell(offsets[2 * i]),
          cell(offsets[2 * i + 1]),
          cell(doc.text.slice(a.start, a.end)),
          cell(a.annotator),
          ...columns.map(([, name]) => attributeCell(a.attributes[name])),
          cell(a.note),
          cell(links.length > 0 ? links.map((r) => r.to).join('; ') : undefined),
          cell(links.length > 0 ? links.map((r) => r.type).join('; ') : undefined),
          cell(a.origin),
        ];
        out += `${row.join(',')}\r\n`;
      });
      return out;
    },
    end() {
      return '';
    },
  };
}
