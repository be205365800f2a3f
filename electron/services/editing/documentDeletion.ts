import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DocumentFootprint } from '../../../shared/api';
import { plural } from '../../../shared/plural';
import { MarginError } from '../errors';
import { forgetNearDuplicate } from '../intake/nearDuplicateIndex';
import { mergedMeta, METADATA_DIR, metadataEditsOf } from '../store/documentMeta';
import { plainReason } from '../store/jsonFile';
import { journalOf } from '../store/layerJournal';
import { ensureIgnored, type ProjectStore } from '../store/projectStore';
import { layerFilePath } from '../store/schemaJournal';
import { moveToTrash, purgeTrash, restoreFromTrash, TRASH_DIR, trashEntryDir, trashedFiles } from '../store/trash';

/**
 * Deleting a document, the one operation that removes colleagues' files: the article, every
 * annotator's layer of it and every metadata edit. So it is made only against the counts the
 * user confirmed (as for deleting a label), and the files go to the project's trash (store/
 * trash.ts), from where Undo puts them back. Not sent by Sync: colleagues keep their copies.
 */

const exists = (file: string) => stat(file).then(() => true, () => false);

/** What deleting `docId` would remove now. */
export async function documentFootprint(store: ProjectStore, docId: string): Promise<DocumentFootprint> {
  const header = store.documentHeader(docId);
  const meta = mergedMeta(header, await metadataEditsOf(store).editsOrNone(docId));
  const layers = (await store.layersOf(docId)).map((l) => ({
    annotator: l.annotator,
    annotations: l.annotations.length + (l.orphans?.length ?? 0),
    relations: l.relations.length,
  }));
  const metadataEdits: string[] = [];
  if (await exists(path.join(store.dir, METADATA_DIR, `${docId}.json`))) metadataEdits.push('');
  for (const annotator of await metadataAnnotators(store.dir)) {
    if (await exists(path.join(store.dir, METADATA_DIR, annotator, `${docId}.json`))) metadataEdits.push(annotator);
  }
  return { docId, title: meta.title ?? header.title, layers, metadataEdits };
}

async function metadataAnnotators(projectDir: string): Promise<string[]> {
  const entries = await readdir(path.join(projectDir, METADATA_DIR), { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
}

const totalOf = (footprint: DocumentFootprint) => footprint.layers.reduce((n, l) => n + l.annotations, 0);

/** The files of a document, relative to the project: its record, each layer (and journal), each metadata edit. */
async function filesOf(store: ProjectStore, footprint: DocumentFootprint): Promise<string[]> {
  const { docId } = footprint;
  const files = [`documents/${docId}.json`];
  for (const annotator of await store.annotators()) {
    const layer = layerFilePath(store.dir, annotator, docId);
    for (const file of [layer, journalOf(layer)]) if (await exists(file)) files.push(path.relative(store.dir, file).split(path.sep).join('/'));
  }
  for (const annotator of footprint.metadataEdits) files.push(annotator === '' ? `${METADATA_DIR}/${docId}.json` : `${METADATA_DIR}/${annotator}/${docId}.json`);
  return files;
}

/** A name for the trash entry: when it was deleted (sortable), and what. */
function trashIdFor(docId: string, now: Date): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${docId}`;
}

/**
 * Moves the document and everything on it into the trash, provided it still holds what the user
 * confirmed; otherwise refuses (a colleague's layer may have synced in since the question).
 */
export async function deleteDocument(
  store: ProjectStore,
  docId: string,
  confirmed: { layers: number; annotations: number },
  now = new Date(),
): Promise<{ trashId: string; footprint: DocumentFootprint }> {
  const footprint = await documentFootprint(store, docId);
  const total = totalOf(footprint);
  if (footprint.layers.length !== confirmed.layers || total !== confirmed.annotations) {
    const each = footprint.layers.map((l) => `${l.annotator}: ${l.annotations}`).join(', ');
    throw new MarginError(
      'conflict',
      `The document changed since you confirmed: it now holds ${plural(total, 'annotation')} in ${plural(footprint.layers.length, 'layer')}${each ? ` (${each})` : ''}, not ${confirmed.annotations} in ${confirmed.layers}. Nothing was deleted; look at the counts and confirm again.`,
    );
  }
  if (store.hasPendingEdit) throw new MarginError('conflict', 'A tag schema change is still being finished; nothing was deleted. Try again in a moment.');
  // Journals folded in first: a background compaction must not write a layer back after it moved.
  for (const layer of footprint.layers) await store.compact(layer.annotator, docId);
  const files = await filesOf(store, footprint);
  const trashId = trashIdFor(docId, now);
  await purgeTrash(store.dir, now.getTime());
  await ensureIgnored(store.dir, `${TRASH_DIR}/`);
  await moveToTrash(store.dir, trashId, files).catch((error: Error) => {
    throw new MarginError('store', `The document could not be deleted (${plainReason(error)}); nothing was removed.`);
  });
  store.forgetDocument(docId, await store.annotators());
  forgetNearDuplicate(store, docId);
  return { trashId, footprint };
}

/**
 * Undo of deleteDocument. A re-import of the same article since is fine (the document file is
 * the same article: it stays); any layer or metadata edit made on it since would be overwritten,
 * so then nothing is restored and the user is told where the deleted files are.
 */
export async function restoreDocument(store: ProjectStore, trashId: string): Promise<{ docId: string }> {
  const files = await trashedFiles(store.dir, trashId);
  if (!files) throw new MarginError('not-found', 'There is no deleted document to restore (it was restored already, or purged from the trash).');
  const docId = trashId.slice(-16);
  const documentFile = `documents/${docId}.json`;
  const inTheWay: string[] = [];
  for (const file of files) if (file !== documentFile && (await exists(path.join(store.dir, file)))) inTheWay.push(file);
  if (inTheWay.length > 0) {
    throw new MarginError(
      'conflict',
      `The article was imported again and has new work since it was deleted (${inTheWay.slice(0, 3).join(', ')}${inTheWay.length > 3 ? ', …' : ''}). Nothing was restored; the deleted files are kept in ${trashEntryDir(store.dir, trashId)}.`,
    );
  }
  const skip = new Set((await exists(path.join(store.dir, documentFile))) ? [documentFile] : []);
  await restoreFromTrash(store.dir, trashId, files, skip).catch((error: Error) => {
    throw new MarginError('store', `The document could not be restored (${plainReason(error)}); what is left of it is in ${trashEntryDir(store.dir, trashId)}.`);
  });
  // The layers' folders changed: the index checks them again; the document file is read as new.
  for (const file of files) {
    const [top, annotator] = file.split('/');
    if (top === 'annotations' && annotator) store.layerChangedOnDisk(annotator, docId);
  }
  await store.refresh();
  return { docId };
}
