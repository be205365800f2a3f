import { open, readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { Annotation, DocStatus, type LayerFile, Orphan, Relation, ReviewRecord } from '../../../shared/model';
import { byTextOrder } from '../../../shared/spanOrder';
import { MarginError, savingFailed } from '../errors';
import { fsyncDir, plainReason, stableLine, stampOf } from './jsonFile';

/**
 * Writes whose cost follows the size of the change, not of the layer: a change to a layer whose
 * file exists is appended (one JSON line, fsync'd) to a journal beside it,
 * `annotations/<annotator>/.<docId>.json.journal`, and acknowledged then. The layer file stays the
 * store of record (a lowdb file like every other); the journal is folded into it in the
 * background once it grows (compaction), before every Sync, and when the project closes.
 *
 * Every entry is idempotent (put these records, delete these ids, set these fields), so a crash
 * between writing the folded layer file and removing the journal replays to the same state; a
 * torn last line (a crash mid-append) was never acknowledged and is ignored. Replaying our
 * entries over a layer file that another writer replaced (a git pull of our own work from
 * another computer) is a record-level merge in which our acknowledged changes win.
 */

const Entry = z.object({
  put: z.array(Annotation).optional(),
  del: z.array(z.string()).optional(),
  putRelations: z.array(Relation).optional(),
  delRelations: z.array(z.string()).optional(),
  /** Small fields, replaced whole when they change; null clears. */
  status: DocStatus.nullable().optional(),
  orphans: z.array(Orphan).nullable().optional(),
  reviews: z.array(ReviewRecord).nullable().optional(),
  rejected: z.array(z.string()).nullable().optional(),
});
export type JournalEntry = z.infer<typeof Entry>;

export const journalOf = (layerFile: string) => path.join(path.dirname(layerFile), `.${path.basename(layerFile)}.journal`);

/** What `ours` changed against `base`, record by record (records are never changed in place, so identity tells). */
export function diffLayer(base: LayerFile, ours: LayerFile): JournalEntry | null {
  const entry: JournalEntry = {};
  const records = <T extends { id: string }>(before: readonly T[], after: readonly T[]) => {
    const old = new Map(before.map((r) => [r.id, r]));
    const now = new Set(after.map((r) => r.id));
    return { put: after.filter((r) => old.get(r.id) !== r), del: before.filter((r) => !now.has(r.id)).map((r) => r.id) };
  };
  const a = records(base.annotations, ours.annotations);
  if (a.put.length) entry.put = a.put;
  if (a.del.length) entry.del = a.del;
  const r = records(base.relations, ours.relations);
  if (r.put.length) entry.putRelations = r.put;
  if (r.del.length) entry.delRelations = r.del;
  if (base.status !== ours.status) entry.status = ours.status ?? null;
  for (const field of ['orphans', 'reviews', 'rejected'] as const) {
    if (JSON.stringify(base[field]) !== JSON.stringify(ours[field])) (entry as Record<string, unknown>)[field] = ours[field] ?? null;
  }
  return Object.keys(entry).length === 0 ? null : entry;
}

/** The layer with one entry applied. */
export function applyEntry(layer: LayerFile, entry: JournalEntry): LayerFile {
  const next: LayerFile = { ...layer };
  if (entry.put || entry.del) {
    const gone = new Set([...(entry.del ?? []), ...(entry.put ?? []).map((a) => a.id)]);
    next.annotations = [...layer.annotations.filter((a) => !gone.has(a.id)), ...(entry.put ?? [])].sort(byTextOrder);
  }
  if (entry.putRelations || entry.delRelations) {
    const gone = new Set([...(entry.delRelations ?? []), ...(entry.putRelations ?? []).map((r) => r.id)]);
    next.relations = [...layer.relations.filter((r) => !gone.has(r.id)), ...(entry.putRelations ?? [])];
  }
  if (entry.status !== undefined) {
    if (entry.status === null) delete next.status;
    else next.status = entry.status;
  }
  for (const field of ['orphans', 'reviews', 'rejected'] as const) {
    const value = entry[field];
    if (value === undefined) continue;
    if (value === null) delete next[field];
    else (next as Record<string, unknown>)[field] = value;
  }
  return next;
}

/** The journal's entries, in order; [] when there is none. A damaged line other than the last names the file. */
export async function readJournalEntries(file: string): Promise<JournalEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new MarginError('store', `Cannot read ${file}: ${plainReason(error as Error)}.`);
  }
  return parseJournal(file, text);
}

/** A journal's text as entries: every acknowledged entry ends with its newline, so the last piece is '' or a torn, unacknowledged append. */
export function parseJournal(file: string, text: string): JournalEntry[] {
  const complete = text.split('\n').slice(0, -1);
  const entries: JournalEntry[] = [];
  complete.forEach((line, i) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new MarginError('store', `${file} line ${i + 1} is damaged (not JSON). Margin has left it untouched; remove the file to go back to the layer as last compacted.`);
    }
    const checked = Entry.safeParse(parsed);
    if (!checked.success) throw new MarginError('store', `${file} line ${i + 1} does not have the expected shape. Margin has left it untouched.`);
    entries.push(checked.data);
  });
  return entries;
}

/**
 * Appends one entry and flushes it to the disk before resolving: then it is acknowledged.
 * Returns the journal's size after it and the size of the entry, so the caller can tell whether
 * anything else was appended in between.
 */
export async function appendEntry(file: string, entry: JournalEntry): Promise<{ size: number; bytes: number }> {
  const line = Buffer.from(`${stableLine(entry)}\n`, 'utf8');
  const created = (await stampOfJournal(file)) === null;
  // A failed append (too many open files, a full disk) leaves at most a torn last line, which readers ignore.
  const handle = await open(file, 'a').catch((error: unknown) => Promise.reject(savingFailed(file, error)));
  try {
    await handle.write(line);
    await handle.sync();
    const size = (await handle.stat()).size;
    return { size, bytes: line.length };
  } catch (error) {
    throw savingFailed(file, error);
  } finally {
    await handle.close();
    // A new journal's name must survive a crash too.
    if (created) await fsyncDir(path.dirname(file));
  }
}

async function stampOfJournal(file: string): Promise<number | null> {
  return (await stampOf(file))?.size ?? null;
}

export async function removeJournalFile(file: string): Promise<void> {
  await unlink(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}
