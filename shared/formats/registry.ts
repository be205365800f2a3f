import { createBratExporter, parseBrat } from './brat';
import { createConllExporter } from './conll';
import { createCsvExporter } from './csv';
import type { ExportFormat, Exporter, ImportFormat, ImportSource, ParseResult } from './dataset';
import { createDoccanoExporter, parseDoccano } from './doccano';
import { documentToJsonl } from './jsonl';
import { parseJsonl } from './jsonlImport';
import { createLabelStudioExporter, parseLabelStudio } from './labelStudio';
import { createW3cExporter, parseW3c } from './w3c';

/**
 * Every dataset format by name: how to make its exporter (a fresh one per export: exporters may
 * keep state between documents, such as brat's annotation.conf), how to parse it, and which file
 * extensions a folder walk picks up for it. A format whose module is not written yet is absent.
 */
export interface FormatEntry {
  name: ExportFormat;
  createExporter: () => Exporter;
  parse?: (source: ImportSource) => ParseResult;
  /** Extensions (no dot, lower case) of the files an import reads; brat: ann (its .txt is paired). */
  extensions: readonly string[];
}

export function createJsonlExporter(): Exporter {
  return {
    kind: 'single',
    extension: 'jsonl',
    begin: () => '',
    document: (doc) => `${documentToJsonl(doc)}\n`,
    end: () => '',
  };
}

const FORMATS: Partial<Record<ExportFormat, FormatEntry>> = {
  jsonl: { name: 'jsonl', createExporter: createJsonlExporter, parse: parseJsonl, extensions: ['jsonl', 'ndjson'] },
  w3c: { name: 'w3c', createExporter: () => createW3cExporter(), parse: parseW3c, extensions: ['json', 'jsonld'] },
  brat: { name: 'brat', createExporter: () => createBratExporter(), parse: parseBrat, extensions: ['ann', 'txt'] },
  doccano: { name: 'doccano', createExporter: createDoccanoExporter, parse: parseDoccano, extensions: ['jsonl', 'json'] },
  'label-studio': { name: 'label-studio', createExporter: createLabelStudioExporter, parse: parseLabelStudio, extensions: ['json'] },
  csv: { name: 'csv', createExporter: createCsvExporter, extensions: ['csv'] },
  conll: { name: 'conll', createExporter: createConllExporter, extensions: ['conll', 'txt'] },
};

export function formatEntry(name: string): FormatEntry | undefined {
  return Object.prototype.hasOwnProperty.call(FORMATS, name) ? FORMATS[name as ExportFormat] : undefined;
}

/** Formats with an exporter available now. */
export function availableExportFormats(): ExportFormat[] {
  return Object.keys(FORMATS) as ExportFormat[];
}

/** Formats with an importer available now. */
export function availableImportFormats(): ImportFormat[] {
  return Object.values(FORMATS)
    .filter((f) => f.parse)
    .map((f) => f.name as ImportFormat);
}
