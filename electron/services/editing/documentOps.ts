import type { DocumentView } from '../../../shared/api';
import type { DocStatus, DocumentHeader, DocumentMeta, DocumentSummary, LayerFile } from '../../../shared/model';
import { mergedMeta, metadataEditsOf } from '../store/documentMeta';
import { nearDuplicateMatches, nearDuplicatesOf } from '../intake/nearDuplicateIndex';
import type { NearMatch } from '../../../shared/nearDuplicates';
import type { NamedLayerSummary, ProjectStore } from '../store/projectStore';
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

/** What one document's summary was built from: the same inputs give back the same summary. */
interface SummaryInputs {
  doc: DocumentHeader;
  edits: string;
  nearDuplicates: readonly NearMatch[];
  problem: string;
  annotator: string | null;
  countsAll: boolean;
  /** Per annotator, the same object for as long as their layer's summary is the same (ProjectStore.layerSummaries). */
  layers: (Readonly<NamedLayerSummary> | null)[];
}

interface MemoEntry {
  inputs: SummaryInputs;
  summary: DocumentSummary;
}

/**
 * Summaries as last listed, per store and document. Building 10,000 summaries afresh took most of
 * a listing's 60-85 ms; after a change, one document's inputs differ and only its summary is built
 * again. The summaries are shared between listings: callers send them on and never change them.
 */
const memoOf = new WeakMap<ProjectStore, Memo>();

interface Memo {
  annotators: string;
  byDoc: Map<string, MemoEntry>;
  /** What the whole listing was built from, bar blind annotation's say (asked again per document). */
  fixed: string;
  /** The whole listing, in order. */
  listing: MemoEntry[];
}

/** The last listing again when nothing it was built from has changed; null when something has. */
function unchangedListing(memo: Memo | undefined, fixed: string, annotator: string | null, annotators: readonly string[], seesColleagues: (docId: string, ownLayerDone: boolean) => boolean): DocumentSummary[] | null {
  if (!memo || memo.fixed !== fixed) return null;
  const own = annotator === null ? -1 : annotators.indexOf(annotator);
  const summaries: DocumentSummary[] = [];
  for (const { inputs, summary } of memo.listing) {
    if (seesColleagues(inputs.doc.id, own >= 0 && inputs.layers[own]?.done === true) !== inputs.countsAll) return null;
    summaries.push(summary);
  }
  return summaries;
}

function sameInputs(a: SummaryInputs, b: SummaryInputs): boolean {
  if (a.doc !== b.doc || a.edits !== b.edits || a.problem !== b.problem || a.annotator !== b.annotator || a.countsAll !== b.countsAll) return false;
  if (a.nearDuplicates !== b.nearDuplicates && a.nearDuplicates.map((m) => m.id).join(' ') !== b.nearDuplicates.map((m) => m.id).join(' ')) return false;
  return a.layers.length === b.layers.length && a.layers.every((layer, i) => layer === b.layers[i]);
}

function buildSummary(doc: DocumentHeader, meta: DocumentMeta, inputs: SummaryInputs, annotators: readonly string[]): DocumentSummary {
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
    nearDuplicates: inputs.nearDuplicates.map((m) => m.id),
  };
  // A metadata or layer file that cannot be read flags its document alone (the extracted values stand in).
  if (inputs.problem) summary.problem = inputs.problem;
  annotators.forEach((name, i) => {
    const layer = inputs.layers[i];
    if (!layer) return;
    summary.statuses[name] = layer.done ? 'done' : layer.count > 0 ? 'in-progress' : 'not-started';
    if (!inputs.countsAll && name !== inputs.annotator) return;
    summary.annotationCount += layer.count;
    for (const [label, n] of Object.entries(layer.labels)) summary.labelCounts[label] = (summary.labelCounts[label] ?? 0) + n;
  });
  if (inputs.annotator) summary.status = summary.statuses[inputs.annotator] ?? 'not-started';
  return summary;
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
  const annotators = layers.annotators.join('\n');
  const last = memoOf.get(store);
  const fixed = [store.listingRevision, annotators, annotator ?? '', JSON.stringify([...problems]), JSON.stringify([...layers.problems]), JSON.stringify([...edits])].join('\0');
  if (!wanted) {
    const unchanged = unchangedListing(last, fixed, annotator, layers.annotators, seesColleagues);
    if (unchanged) return unchanged;
  }
  const memo = last?.annotators === annotators ? last.byDoc : new Map<string, MemoEntry>();
  // Every listing of the whole project builds the map anew, so documents deleted since drop out of it.
  const next = wanted ? memo : new Map<string, MemoEntry>();
  const listing: MemoEntry[] = [];
  for (const doc of store.listDocuments()) {
    const docEdits = edits.get(doc.id);
    const meta = wanted || !memo.has(doc.id) ? mergedMeta(doc, docEdits ?? {}) : null;
    if (wanted && !(await matches(store, doc, meta!, wanted))) continue;
    const inputs: SummaryInputs = {
      doc,
      edits: docEdits ? JSON.stringify(docEdits) : '',
      nearDuplicates: nearDuplicates(doc.id),
      problem: [problems.get(doc.id), layers.problems.get(doc.id)].filter(Boolean).join('; '),
      annotator,
      countsAll: seesColleagues(doc.id, annotator !== null && layers.summaryOf(annotator, doc.id)?.done === true),
      layers: layers.annotators.map((name) => layers.summaryOf(name, doc.id)),
    };
    const known = memo.get(doc.id);
    const entry = known && sameInputs(known.inputs, inputs) ? known : { inputs, summary: buildSummary(doc, meta ?? mergedMeta(doc, docEdits ?? {}), inputs, layers.annotators) };
    next.set(doc.id, entry);
    listing.push(entry);
    summaries.push(entry.summary);
  }
  if (!wanted) memoOf.set(store, { annotators, byDoc: next, fixed, listing });
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
