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
  dismissedSuggestions: z.array(z.string()).nullable().optional(),
});
export type JournalEntry = z.infer<typeof Entry>;

/** The layer's fields an entry replaces whole when they change. */
const SMALL_FIELDS = ['orphans', 'reviews', 'rejected', 'dismissedSuggestions'] as const;

export const journalOf = (layerFile: string) => path.join(path.dirname(layerFile), `.${path.basename(layerFile)}.journal`);

/**
 * The stretch of two record lists that differs: what lies between their longest common start and
 * end, compared by identity. Ids are unique within a layer, so every record outside that stretch
 * is the same object in both lists and no id enters or leaves it: diffing the stretch alone gives
 * what diffing the whole lists gives, and a change to one record of 10,000 costs a scan of
 * pointers rather than a map of every id (which was most of the time an add took in a big layer).
 */
function changedStretch<T>(before: readonly T[], after: readonly T[]): { before: readonly T[]; after: readonly T[] } {
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  return { before: before.slice(start, endBefore), after: after.slice(start, endAfter) };
}

/** Records put (new or replaced), ids deleted, and the records they replaced or deleted. */
function recordChanges<T extends { id: string }>(beforeAll: readonly T[], afterAll: readonly T[]) {
  const { before, after } = changedStretch(beforeAll, afterAll);
  const old = new Map(before.map((r) => [r.id, r]));
  const now = new Set(after.map((r) => r.id));
  const put = after.filter((r) => old.get(r.id) !== r);
  const gone = before.filter((r) => !now.has(r.id));
  const replaced = put.flatMap((r) => old.get(r.id) ?? []);
  return { put, del: gone.map((r) => r.id), dropped: [...replaced, ...gone] };
}

/** What `ours` changed against `base`, record by record (records are never changed in place, so identity tells). */
export function diffLayer(base: LayerFile, ours: LayerFile): JournalEntry | null {
  return layerChange(base, ours)?.entry ?? null;
}

/** The journal entry of a change, and the annotations it replaced or deleted (the layer's summary is updated from both). */
export function layerChange(base: LayerFile, ours: LayerFile): { entry: JournalEntry; dropped: Annotation[] } | null {
  const entry: JournalEntry = {};
  const a = recordChanges(base.annotations, ours.annotations);
  if (a.put.length) entry.put = a.put;
  if (a.del.length) entry.del = a.del;
  const r = recordChanges(base.relations, ours.relations);
  if (r.put.length) entry.putRelations = r.put;
  if (r.del.length) entry.delRelations = r.del;
  if (base.status !== ours.status) entry.status = ours.status ?? null;
  for (const field of SMALL_FIELDS) {
    // Unchanged arrays are usually the very same array: no need to serialise them to compare.
    if (base[field] !== ours[field] && JSON.stringify(base[field]) !== JSON.stringify(ours[field])) (entry as Record<string, unknown>)[field] = ours[field] ?? null;
  }
  return Object.keys(entry).length === 0 ? null : { entry, dropped: a.dropped };
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
  for (const field of SMALL_FIELDS) {
    const value = entry[field];
    if (value === undefined) continue;
    if (value === null) delete next[field];
    else (next as Record<string, unknown>)[field] = value;
  }
  return next;
}

/**
 * The layer with every entry applied in order, as applyEntry one after another would give, but
 * sorted once at the end rather than after each entry: replaying 256 entries on a layer of
 * 10,000 annotations sorted it 256 times. (The sort is stable and records keep the order in which
 * they were last put, so ties come out as they would step by step.)
 */
export function applyEntries(layer: LayerFile, entries: readonly JournalEntry[]): LayerFile {
  if (entries.length <= 1) return entries.reduce(applyEntry, layer);
  const annotations = new Map(layer.annotations.map((a) => [a.id, a]));
  const relations = new Map(layer.relations.map((r) => [r.id, r]));
  // A file with an id twice (hand-edited) is replayed step by step, exactly as before.
  if (annotations.size !== layer.annotations.length || relations.size !== layer.relations.length) return entries.reduce(applyEntry, layer);
  let annotationsTouched = false;
  let relationsTouched = false;
  let next: LayerFile = { ...layer };
  for (const entry of entries) {
    if (entry.put || entry.del) annotationsTouched = true;
    if (entry.putRelations || entry.delRelations) relationsTouched = true;
    for (const id of entry.del ?? []) annotations.delete(id);
    for (const id of entry.delRelations ?? []) relations.delete(id);
    // A record put goes last, as applyEntry appends it.
    for (const a of entry.put ?? []) {
      annotations.delete(a.id);
      annotations.set(a.id, a);
    }
    for (const r of entry.putRelations ?? []) {
      relations.delete(r.id);
      relations.set(r.id, r);
    }
    // The small fields, replaced whole: as applyEntry does them.
    next = applyEntry(next, { status: entry.status, orphans: entry.orphans, reviews: entry.reviews, rejected: entry.rejected, dismissedSuggestions: entry.dismissedSuggestions });
  }
  if (annotationsTouched) next.annotations = [...annotations.values()].sort(byTextOrder);
  if (relationsTouched) next.relations = [...relations.values()];
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
