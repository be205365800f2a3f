import type { ExportDocument } from '../../../shared/formats/jsonl';
import { suggest, SUGGEST_LABELS, type SuggestLabel } from '../../../shared/suggest';
import { suggestionRecords } from '../../../shared/suggest/records';
import type { DocumentSource } from '../datasets/datasetExport';
import { MarginError } from '../errors';
import type { ProjectStore } from '../store/projectStore';

export interface SuggestRequest {
  /** Labels to suggest (every label the engine knows when empty). */
  labels: readonly string[];
  /** 'all', or the ids of the documents to suggest on. */
  documents: 'all' | readonly string[];
}

/** The labels asked for, each one the engine can suggest; an unknown one is refused by name. */
export function suggestLabels(names: readonly string[]): SuggestLabel[] {
  for (const name of names) {
    if (!(SUGGEST_LABELS as readonly string[]).includes(name)) {
      throw new MarginError('bad-input', `--label: "${name}" is not a label Margin can suggest (it suggests ${SUGGEST_LABELS.join(', ')})`);
    }
  }
  return names.length > 0 ? (names as SuggestLabel[]) : [...SUGGEST_LABELS];
}

/** The documents asked for, in the project's order; an id the project lacks is refused by name. */
function documentIds(store: ProjectStore, documents: SuggestRequest['documents']): string[] {
  const all = store.listDocuments().map((d) => d.id);
  if (documents === 'all') return all;
  const known = new Set(all);
  const unknown = documents.find((id) => !known.has(id));
  if (unknown !== undefined) throw new MarginError('bad-input', `--documents: "${unknown}" is not a document of this project (margin export --format jsonl lists their ids)`);
  const wanted = new Set(documents);
  return all.filter((id) => wanted.has(id));
}

/** "2016-09-12T10:00:00Z" → "2016-09-12"; anything else is not a date the engine can count from. */
export function publishedDay(published: string | undefined): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(published ?? '');
  return m ? m[1] : undefined;
}

/**
 * A project's documents, each with the engine's suggestions in the place of layers, read one at a
 * time: the dataset exporters write them as they write annotations (code points and all).
 */
export function suggestionSource(store: ProjectStore, request: SuggestRequest): DocumentSource {
  const labels = suggestLabels(request.labels);
  const ids = documentIds(store, request.documents);
  const at = new Date().toISOString();
  return {
    ids: async () => ids,
    async read(id): Promise<ExportDocument> {
      const doc = await store.getDocument(id);
      const published = publishedDay(doc.meta?.published);
      const suggestions = suggest(doc.text, { labels, ...(published ? { publishedDate: published } : {}) });
      const { annotations, relations } = suggestionRecords(doc.id, doc.text, suggestions, at);
      return {
        id: doc.id,
        title: doc.title,
        text: doc.text,
        meta: { ...doc.meta, title: doc.title, fileName: doc.fileName, importedAt: doc.importedAt },
        annotations,
        relations,
      };
    },
  };
}
