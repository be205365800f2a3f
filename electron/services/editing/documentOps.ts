import type { DocumentView } from '../../../shared/api';
import type { DocStatus, DocumentHeader, DocumentMeta, DocumentSummary, LayerFile } from '../../../shared/model';
import { mergedMeta, metadataEditsOf } from '../store/documentMeta';
import { nearDuplicateMatches, nearDuplicatesOf } from '../intake/nearDuplicateIndex';
import type { ProjectStore } from '../store/projectStore';
import { searchKey } from '../../../shared/textSearch';

/** The document list (search, counts, statuses), each annotator's status, and label usage over the project. */

/** An annotator's status on a document: set to "done" by hand, otherwise derived from their layer. */
export function statusOf(layer: LayerFile | null | undefined): DocStatus {
  if (!layer) return 'not-started';
  if (layer.status) return layer.status;
  return layer.annotations.length > 0 ? 'in-progress' : 'not-started';
}

/**
 * As the reading view's find compares text (shared/textSearch.ts): case, Unicode composition,
 * white space, quotes and dashes folded, so "Sinwar's" finds "Sinwar’s" and "Cafe\u0301" "Café".
 */
const fold = (s: string) => searchKey(s);

/** A query finds a document by its title (as shown), outlet, author or text (the text read only when the rest does not match). */
async function matches(store: ProjectStore, doc: DocumentHeader, meta: DocumentMeta, query: string): Promise<boolean> {
  if ([meta.title, meta.outlet, meta.author].some((v) => v !== undefined && fold(v).includes(query))) return true;
  return fold((await store.getDocument(doc.id)).text).includes(query);
}

/**
 * The document list: from the project index (headers and per-layer summaries), so a project of
 * 10,000 documents is listed without reading its articles or layers; a search reads the texts.
 * `seesColleagues` (blind annotation) says whether colleagues' layers of a document count for
 * `annotator`; when it says no, the counts are of their own layer alone. Statuses always show.
 */
export async function listDocuments(
  store: ProjectStore,
  annotator: string | null,
  query?: string,
  seesColleagues: (docId: string, ownLayerDone: boolean) => boolean = () => true,
): Promise<DocumentSummary[]> {
  const wanted = fold(query?.trim() ?? '');
  const summaries: DocumentSummary[] = [];
  const nearDuplicates = await nearDuplicateMatches(store);
  const { edits, problems } = await metadataEditsOf(store).all();
  const layers = await store.layerSummaries();
  for (const doc of store.listDocuments()) {
    const meta = mergedMeta(doc, edits.get(doc.id) ?? {});
    if (wanted && !(await matches(store, doc, meta, wanted))) continue;
    const summary: DocumentSummary = {
      id: doc.id,
      title: meta.title ?? doc.title,
      length: doc.length,
      importedAt: doc.importedAt,
      annotationCount: 0,
      labelCounts: {},
      status: 'not-started',
      statuses: {},
      ...(meta.outlet ? { outlet: meta.outlet } : {}),
      nearDuplicates: nearDuplicates(doc.id).map((m) => m.id),
    };
    // A metadata or layer file that cannot be read flags its document alone (the extracted values stand in).
    if (problems.has(doc.id) || layers.problems.has(doc.id)) summary.problem = [problems.get(doc.id), layers.problems.get(doc.id)].filter(Boolean).join('; ');
    const countsAll = seesColleagues(doc.id, annotator !== null && layers.summaryOf(annotator, doc.id)?.done === true);
    for (const name of layers.annotators) {
      const layer = layers.summaryOf(name, doc.id);
      if (!layer) continue;
      summary.statuses[name] = layer.done ? 'done' : layer.count > 0 ? 'in-progress' : 'not-started';
      if (!countsAll && name !== annotator) continue;
      summary.annotationCount += layer.count;
      for (const [label, n] of Object.entries(layer.labels)) summary.labelCounts[label] = (summary.labelCounts[label] ?? 0) + n;
    }
    if (annotator) summary.status = summary.statuses[annotator] ?? 'not-started';
    summaries.push(summary);
  }
  return summaries;
}

/**
 * One document as the reading view shows it: the text, the metadata (extracted, with the user's
 * edits applied; `title` is the title shown) and its near-duplicates with their titles and outlets.
 * An unreadable metadata file does not keep the document from opening: the extracted values
 * stand in, the document list flags the file, and an edit is refused naming it.
 */
export async function documentView(store: ProjectStore, docId: string): Promise<DocumentView> {
  const doc = await store.getDocument(docId);
  const metadata = metadataEditsOf(store);
  const meta = mergedMeta(doc, await metadata.editsOrNone(docId));
  const nearDuplicates: DocumentView['nearDuplicates'] = [];
  for (const match of await nearDuplicatesOf(store, docId)) {
    if (!store.hasDocument(match.id)) continue;
    const other = store.documentHeader(match.id);
    const otherMeta = mergedMeta(other, await metadata.editsOrNone(match.id));
    nearDuplicates.push({ id: other.id, title: otherMeta.title ?? other.title, ...(otherMeta.outlet ? { outlet: otherMeta.outlet } : {}), similarity: match.similarity });
  }
  return {
    id: doc.id,
    title: meta.title ?? doc.title,
    text: doc.text,
    ...(doc.fileName !== undefined ? { fileName: doc.fileName } : {}),
    importedAt: doc.importedAt,
    meta,
    nearDuplicates,
  };
}

/** Changes a document's metadata (never its text or its file); rules in documentMeta.ts. */
export async function updateDocumentMeta(store: ProjectStore, annotator: string, docId: string, patch: DocumentMeta): Promise<DocumentView> {
  const doc = await store.getDocument(docId);
  await metadataEditsOf(store).update(doc, annotator, patch);
  return documentView(store, docId);
}

/** Only "done" is stored; anything else clears it back to the derived status, which is returned. */
export async function setDocumentStatus(store: ProjectStore, annotator: string, docId: string, status: DocStatus): Promise<{ status: DocStatus }> {
  store.documentHeader(docId);
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
