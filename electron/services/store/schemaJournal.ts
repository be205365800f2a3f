import { mkdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { FORMAT_VERSION, LayerFile, TagSchema } from '../../../shared/model';
import { schemaProblems } from '../../../shared/schemaRules';
import { MarginError } from '../errors';
import { DurableJsonFile, stableStringify, writeFileDurably } from './jsonFile';

/**
 * A schema edit rewrites margin.json and any number of layer files; no file system renames
 * several files at once. So the whole change is first written to this one file (atomically):
 * once it is on disk the edit is decided, and whatever happens next, the files are brought to
 * exactly that state: right away, or by the next open if the process dies half way.
 */
export const JOURNAL_FILE = '.margin-schema-change.json';

export const SchemaJournal = z.object({
  version: z.literal(FORMAT_VERSION),
  schema: TagSchema,
  /** Every layer file the edit changes, in full, as it must end up. */
  layers: z.array(LayerFile),
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

/** Writes the journal's layer files; margin.json is the caller's (it holds that database). */
export async function writeJournalLayers(projectDir: string, journal: SchemaJournal): Promise<void> {
  for (const layer of journal.layers) {
    const file = layerFilePath(projectDir, layer.annotator, layer.docId);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFileDurably(file, stableStringify(layer));
  }
}
