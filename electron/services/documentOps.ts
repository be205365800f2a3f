import type { DocStatus, DocumentRecord, DocumentSummary, LayerFile } from '../../shared/model';
import type { ProjectStore } from './projectStore';

/** The document list (search, counts, statuses), each annotator's status, and label usage over the project. */

/** An annotator's status on a document: set to "done" by hand, otherwise derived from their layer. */
export function statusOf(layer: LayerFile | null | undefined): DocStatus {
  if (!layer) return 'not-started';
  if (layer.status) return layer.status;
  return layer.annotations.length > 0 ? 'in-progress' : 'not-started';
}

/** Case-insensitive and blind to Unicode composition: "Cafe\u0301" finds "Café". */
const fold = (s: string) => s.normalize('NFC').toLowerCase();
const foldedText = new WeakMap<DocumentRecord, string>();

function matches(doc: DocumentRecord, query: string): boolean {
  let text = foldedText.get(doc);
  if (text === undefined) foldedText.set(doc, (text = fold(doc.text)));
  return fold(doc.title).includes(query) || text.includes(query);
}

export async function listDocuments(store: ProjectStore, annotator: string | null, query?: string): Promise<DocumentSummary[]> {
  const wanted = fold(query?.trim() ?? '');
  const summaries: DocumentSummary[] = [];
  for (const doc of store.listDocuments()) {
    if (wanted && !matches(doc, wanted)) continue;
    const summary: DocumentSummary = {
      id: doc.id,
      title: doc.title,
      length: doc.text.length,
      importedAt: doc.importedAt,
      annotationCount: 0,
      labelCounts: {},
      status: 'not-started',
      statuses: {},
    };
    try {
      for (const layer of await store.layersOf(doc.id)) {
        summary.annotationCount += layer.annotations.length;
        for (const a of layer.annotations) summary.labelCounts[a.label] = (summary.labelCounts[a.label] ?? 0) + 1;
        summary.statuses[layer.annotator] = statusOf(layer);
      }
      if (annotator) summary.status = summary.statuses[annotator] ?? 'not-started';
    } catch (error) {
      // One unreadable layer file must not hide the whole project: flag that document alone.
      summary.problem = (error as Error).message;
    }
    summaries.push(summary);
  }
  return summaries;
}

/** Only "done" is stored; anything else clears it back to the derived status, which is returned. */
export async function setDocumentStatus(store: ProjectStore, annotator: string, docId: string, status: DocStatus): Promise<{ status: DocStatus }> {
  store.getDocument(docId);
  const layer = await store.updateLayer(annotator, docId, (l) => {
    if (status === 'done') l.status = 'done';
    else delete l.status;
  });
  return { status: statusOf(layer) };
}

/** Annotations per label, and per "label/attribute" with a value, over every layer of the project. */
export async function labelUsage(store: ProjectStore): Promise<{ labels: Record<string, number>; attributes: Record<string, number> }> {
  const labels: Record<string, number> = {};
  const attributes: Record<string, number> = {};
  for (const label of store.project.schema.labels) {
    labels[label.name] = 0;
    for (const attr of label.attributes) attributes[`${label.name}/${attr.name}`] = 0;
  }
  for (const layer of await store.allLayers()) {
    for (const a of layer.annotations) {
      labels[a.label] = (labels[a.label] ?? 0) + 1;
      for (const [name, value] of Object.entries(a.attributes)) {
        if (value === '' || (Array.isArray(value) && value.length === 0)) continue;
        const key = `${a.label}/${name}`;
        attributes[key] = (attributes[key] ?? 0) + 1;
      }
    }
  }
  return { labels, attributes };
}
