import type { AnnotationOrigin, AttributeValue, Quote, TagSchema } from '../model';
import type { ExportDocument } from './jsonl';

/**
 * The shapes every dataset format shares. Exporters turn ExportDocuments (UTF-16 offsets, as
 * stored) into text; importers turn text back into ParsedDocuments (UTF-16 offsets, converted from
 * whatever the format counts). Both are pure: no fs; the services stream them to and from disk.
 */

export type { ExportDocument } from './jsonl';

export const EXPORT_FORMATS = ['jsonl', 'w3c', 'brat', 'doccano', 'label-studio', 'csv', 'conll'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const IMPORT_FORMATS = ['jsonl', 'w3c', 'brat', 'doccano', 'label-studio'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ExportContext {
  schema: TagSchema;
  /** Index of the document being written (0-based) and how many there are in all. */
  index: number;
  total: number;
  options: ExportOptions;
}

export interface ExportOptions {
  /** conll: which label a token gets when spans overlap. */
  conllOverlap?: 'outermost' | 'innermost' | 'first' | 'longest';
}

/** A file an exporter writes: a path relative to the export target, and its content. */
export interface ExportFile {
  path: string;
  content: string;
}

/**
 * An exporter is called once per document, in order, so the caller can stream to disk without
 * holding the project in memory. `single` formats write one file: begin + every chunk + end.
 * `folder` formats write files per document, plus `end`'s files (brat's annotation.conf).
 */
export type Exporter =
  | {
      kind: 'single';
      extension: string;
      begin(ctx: Omit<ExportContext, 'index'>): string;
      document(doc: ExportDocument, ctx: ExportContext): string;
      end(ctx: Omit<ExportContext, 'index'>): string;
      /**
       * Files another tool needs beside the file (Label Studio's labeling config), asked for once
       * every document is written. Each `path` is a suffix that replaces the file's extension:
       * "tasks.json" with ".labeling-config.xml" gives "tasks.labeling-config.xml".
       */
      beside?: { describe: string; files(ctx: Omit<ExportContext, 'index'>): ExportFile[] };
    }
  | {
      kind: 'folder';
      document(doc: ExportDocument, ctx: ExportContext): ExportFile[];
      end(ctx: Omit<ExportContext, 'index'>): ExportFile[];
    };

/** An annotation as a file gives it; offsets already converted to UTF-16 of `ParsedDocument.text`. */
export interface ParsedAnnotation {
  /** The id in the file (brat T3, W3C IRI, Label Studio region id…): relations refer to it. */
  sourceId: string;
  label: string;
  start: number;
  end: number;
  /** The text the file says the span covers, when it says so; used to check and re-anchor. */
  quote?: Partial<Quote>;
  attributes: Record<string, AttributeValue>;
  note?: string;
  annotator?: string;
  norms?: { resource: string; id: string; text?: string }[];
  /** "suggested" when the file says the span came from Margin's suggestions. */
  origin?: AnnotationOrigin;
  createdAt?: string;
  updatedAt?: string;
  /** 1-based line in the file, for reports. */
  line?: number;
}

export interface ParsedRelation {
  /** The link's own id, when the file keeps one (kept on import when it is free). */
  id?: string;
  type: string;
  /** sourceIds of the annotations it links. */
  from: string;
  to: string;
  annotator?: string;
  line?: number;
}

export interface ParsedDocument {
  /** The id the file gives the document, if any (Margin's docId in jsonl/w3c exports). */
  id?: string;
  title?: string;
  /** The document's text as the file carries it; importers may give it even when the project has the document. */
  text: string;
  annotator?: string;
  annotations: ParsedAnnotation[];
  relations: ParsedRelation[];
  /** 1-based line the document starts on in its file, for reports. */
  line?: number;
}

export interface ParseProblem {
  /** 1-based line, when the problem is on one. */
  line?: number;
  reason: string;
}

export interface ParseResult {
  documents: ParsedDocument[];
  /** Every record that could not be read, with why; the valid ones are still in `documents`. */
  problems: ParseProblem[];
}

/** Importers read one file (or a brat .txt/.ann pair) at a time. */
export interface ImportSource {
  /** The file's name, for messages. */
  name: string;
  content: string;
  /** brat: the text of the matching .txt file. */
  text?: string;
}
