import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { Annotation, FORMAT_VERSION, type LayerFile, Relation, TagSchema } from '../../../shared/model';
import { byTextOrder } from '../../../shared/spanOrder';
import { schemaProblems } from '../../../shared/schemaRules';
import { MarginError } from '../errors';
import { DurableJsonFile, stableStringify, writeFileDurably } from './jsonFile';

/**
 * The one schema edit that writes layer files is the confirmed "delete label and its N
 * annotations" (and its undo, which puts them back). No file system renames several files at
 * once, so the edit is first written to this one file (atomically): once it is on disk the edit is
 * decided, and it is finished right away or by the next open.
 *
 * The journal holds record-level operations, never whole files: remove these ids, put back these
 * records. Replaying it on the current files is idempotent and cannot erase anything written after
 * it (a replay of whole files did: a tag acknowledged between a failed edit and the next open was
 * lost). Records are stored as on disk (label ids), so a replay needs no schema to translate.
 */
export const JOURNAL_FILE = '.margin-schema-change.json';

const LayerOps = z.object({
  annotator: z.string(),
  docId: z.string(),
  removeAnnotations: z.array(z.string()),
  removeRelations: z.array(z.string()),
  putAnnotations: z.array(Annotation),
  putRelations: z.array(Relation),
});
export type LayerOps = z.infer<typeof LayerOps>;

export const SchemaJournal = z.object({
  version: z.literal(FORMAT_VERSION),
  /** margin.json's schema and revision once the edit is done. */
  schema: TagSchema,
  revision: z.number().int().nonnegative(),
  layers: z.array(LayerOps),
});
export type SchemaJournal = z.infer<typeof SchemaJournal>;

export const journalPath = (projectDir: string) => path.join(projectDir, JOURNAL_FILE);
export const layerFilePath = (projectDir: string, annotator: string, docId: string) =>
  path.join(projectDir, 'annotations', annotator, `${docId}.json`);

export async function writeJournal(projectDir: string, journal: SchemaJournal): Promise<void> {
  await writeFileDurably(journalPath(projectDir), stableStringify(journal));
}

/** The journal of an edit that did not finish, or null. A journal that does not read is reported, not guessed at. */
export async function readJournal(projectDir: string): Promise<SchemaJournal | null> {
  const journal = await new DurableJsonFile(journalPath(projectDir), SchemaJournal).read();
  if (!journal) return null;
  const problems = schemaProblems(journal.schema);
  if (problems.length > 0) {
    const issues = problems.map((p) => `schema.${p.path}: ${p.message}`);
    throw new MarginError('store', `${journalPath(projectDir)}: ${issues.join('; ')}. Margin has left it untouched.`, issues);
  }
  return journal;
}

export async function removeJournal(projectDir: string): Promise<void> {
  await unlink(journalPath(projectDir)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

/** One layer (as stored on disk) with the journal's operations for it applied. */
export function applyLayerOps(layer: LayerFile, ops: LayerOps): LayerFile {
  const removeA = new Set([...ops.removeAnnotations, ...ops.putAnnotations.map((a) => a.id)]);
  const removeR = new Set([...ops.removeRelations, ...ops.putRelations.map((r) => r.id)]);
  return {
    ...layer,
    annotations: [...layer.annotations.filter((a) => !removeA.has(a.id)), ...ops.putAnnotations].sort(byTextOrder),
    relations: [...layer.relations.filter((r) => !removeR.has(r.id)), ...ops.putRelations],
  };
}

export function emptyLayer(annotator: string, docId: string): LayerFile {
  return { version: FORMAT_VERSION, docId, annotator, annotations: [], relations: [] };
}

/** The operations for one layer file, if the journal touches it. */
export function opsFor(journal: SchemaJournal | null, annotator: string, docId: string): LayerOps | undefined {
  return journal?.layers.find((l) => l.annotator === annotator && l.docId === docId);
}
