import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AnnotatorName, DocId, DocumentMeta, FORMAT_VERSION, type DocumentHeader, type DocumentRecord } from '../../../shared/model';
import { MarginError } from '../errors';
import { DurableJsonFile, type FileStamp, sameStamp, stableStringify, stampOf, writeFileDurably } from './jsonFile';
import type { ProjectStore } from './projectStore';

/**
 * A document's metadata: what was extracted at import (in documents/<docId>.json, which never
 * changes) plus the users' edits, one small file per annotator and document:
 * metadata/<annotator>/<docId>.json. Each file has one writer, so two analysts editing a title
 * never conflict in git; each field carries the time it was set, and the latest edit of a field
 * wins, whoever made it (per field, so one analyst's outlet and another's date both survive).
 * Files from before (metadata/<docId>.json, one for everyone) are still read, never written.
 *
 * Editing rules (updateDocumentMeta): a field left out is unchanged; a field given a value
 * stores that value; a field given an empty string (or only spaces), or the extracted value,
 * is stored as "back to the extracted value" with its time, so it also overrides an older edit
 * by a colleague.
 */

export const METADATA_DIR = 'metadata';

/** One field as an annotator last set it: '' means "the extracted value". */
const FieldEdit = z.object({ value: z.string(), at: z.string() });

export const MetadataFile = z.object({
  version: z.literal(FORMAT_VERSION),
  docId: DocId,
  annotator: AnnotatorName,
  fields: z.record(z.string(), FieldEdit),
});
export type MetadataFile = z.infer<typeof MetadataFile>;

/** The shared file of earlier versions. */
const LegacyMetadataFile = z.object({
  version: z.literal(FORMAT_VERSION),
  docId: DocId,
  meta: DocumentMeta,
  updatedAt: z.string(),
});

export const META_FIELDS = ['title', 'outlet', 'author', 'published', 'url', 'language'] as const satisfies readonly (keyof DocumentMeta)[];
type MetaField = (typeof META_FIELDS)[number];

const MAX_LENGTH: Record<MetaField, number> = { title: 1000, outlet: 500, author: 1000, published: 100, url: 4000, language: 35 };

/** A URL with a scheme other than http(s) (javascript:, data:, file:) is never kept: the UI may show it as a link. */
function isSafeUrl(value: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  return scheme === undefined || scheme === 'http' || scheme === 'https';
}

/** One field as stored: NFC, trimmed, inner whitespace collapsed, cut to the model's limit; '' when nothing is left. */
export function cleanField(field: MetaField, value: string): string {
  let v = value.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (field === 'url') v = v.replace(/ /g, '%20');
  const max = MAX_LENGTH[field];
  if (v.length > max) v = `${v.slice(0, max - 1).trimEnd()}…`;
  return v;
}

/** Metadata as it comes from an extractor, made fit to store: clean fields, no empty ones, no unsafe URL. */
export function cleanMeta(meta: Partial<Record<MetaField, string | null | undefined>> | undefined): DocumentMeta {
  const out: DocumentMeta = {};
  for (const field of META_FIELDS) {
    const raw = meta?.[field];
    if (typeof raw !== 'string') continue;
    const v = cleanField(field, raw);
    if (v === '' || (field === 'url' && !isSafeUrl(v))) continue;
    out[field] = v;
  }
  return out;
}

/** The title a document shows: the user's, else the one from import (extracted, or the first line). */
export function displayTitle(doc: Pick<DocumentHeader, 'title'>, edits: DocumentMeta): string {
  return edits.title ?? doc.title;
}

/** Extracted metadata with the user's edits applied; `title` is always the title shown. */
export function mergedMeta(doc: Pick<DocumentHeader, 'title' | 'meta'>, edits: DocumentMeta): DocumentMeta {
  return { ...doc.meta, ...edits, title: displayTitle(doc, edits) };
}

type Edits = Map<MetaField, { value: string; at: string; by: string }>;

/** Edits made one after another in this process never share a timestamp (the later must win). */
let lastEdit = 0;
function editTime(): string {
  lastEdit = Math.max(Date.now(), lastEdit + 1);
  return new Date(lastEdit).toISOString();
}

interface Cached {
  stamp: FileStamp;
  edits: Edits;
}

/** The later of two edits of one field; a tie goes to the annotator first in name order, so every reader agrees. */
function later(a: { at: string; by: string } | undefined, b: { at: string; by: string }): boolean {
  return !a || b.at > a.at || (b.at === a.at && b.by < a.by);
}

/** The users' metadata edits of one project, read fresh when a file changed on disk (a colleague's sync). */
export class MetadataEdits {
  private readonly cache = new Map<string, Cached>();

  constructor(readonly projectDir: string) {}

  fileOf(docId: string, annotator: string): string {
    return path.join(this.projectDir, METADATA_DIR, annotator, `${docId}.json`);
  }

  private legacyFileOf(docId: string): string {
    return path.join(this.projectDir, METADATA_DIR, `${docId}.json`);
  }

  /** One file's edits (by field), or null when there is none; a corrupt file raises an error naming it. */
  private async read(file: string, docId: string, legacy: boolean): Promise<Edits | null> {
    const stamp = await stampOf(file);
    if (!stamp) {
      this.cache.delete(file);
      return null;
    }
    const cached = this.cache.get(file);
    if (cached && sameStamp(cached.stamp, stamp)) return cached.edits;
    const edits: Edits = new Map();
    if (legacy) {
      const data = await new DurableJsonFile(file, LegacyMetadataFile).read();
      if (data && data.docId !== docId) throw new MarginError('store', `${file} holds the metadata of document ${data.docId}, not ${docId}. Margin has left it untouched.`);
      for (const field of META_FIELDS) {
        const value = data?.meta[field];
        if (value !== undefined) edits.set(field, { value, at: data!.updatedAt, by: '' });
      }
    } else {
      const data = await new DurableJsonFile(file, MetadataFile).read();
      if (data && data.docId !== docId) throw new MarginError('store', `${file} holds the metadata of document ${data.docId}, not ${docId}. Margin has left it untouched.`);
      for (const field of META_FIELDS) {
        const edit = data?.fields[field];
        if (edit) edits.set(field, { ...edit, by: data!.annotator });
      }
    }
    this.cache.set(file, { stamp, edits });
    return edits;
  }

  private async annotators(): Promise<string[]> {
    const entries = await readdir(path.join(this.projectDir, METADATA_DIR), { withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  }

  /** Every edit of a field a document has, merged: the latest per field wins. */
  private merge(all: readonly Edits[]): DocumentMeta {
    const winners: Edits = new Map();
    for (const edits of all) {
      for (const [field, edit] of edits) if (later(winners.get(field), edit)) winners.set(field, edit);
    }
    const meta: DocumentMeta = {};
    for (const [field, edit] of winners) if (edit.value !== '') meta[field] = edit.value;
    return meta;
  }

  /** The users' values for one document ({} when none). A corrupt file raises an error naming it. */
  async editsOf(docId: string): Promise<DocumentMeta> {
    const all: Edits[] = [];
    const legacy = await this.read(this.legacyFileOf(docId), docId, true);
    if (legacy) all.push(legacy);
    for (const annotator of await this.annotators()) {
      const edits = await this.read(this.fileOf(docId, annotator), docId, false);
      if (edits) all.push(edits);
    }
    return this.merge(all);
  }

  /** Every document's edits, and the files that could not be read (by document id, with the reason). */
  async all(): Promise<{ edits: Map<string, DocumentMeta>; problems: Map<string, string> }> {
    const byDoc = new Map<string, Edits[]>();
    const problems = new Map<string, string>();
    const collect = async (dir: string, legacy: boolean) => {
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names) {
        if (!/^[0-9a-f]{16}\.json$/.test(name)) continue;
        const docId = name.slice(0, -'.json'.length);
        try {
          const edits = await this.read(path.join(dir, name), docId, legacy);
          if (edits) (byDoc.get(docId) ?? byDoc.set(docId, []).get(docId)!).push(edits);
        } catch (error) {
          problems.set(docId, (error as Error).message);
        }
      }
    };
    await collect(path.join(this.projectDir, METADATA_DIR), true);
    for (const annotator of await this.annotators()) await collect(path.join(this.projectDir, METADATA_DIR, annotator), false);
    return { edits: new Map([...byDoc].map(([docId, all]) => [docId, this.merge(all)])), problems };
  }

  /** Edits that never fail: the extracted values stand in for an unreadable file (reported elsewhere). */
  async editsOrNone(docId: string): Promise<DocumentMeta> {
    return this.editsOf(docId).catch(() => ({}));
  }

  /**
   * Applies `patch` as `annotator`'s edit (rules at the top of this file), in their own file, and
   * resolves once it is on disk with the document's merged edits. A corrupt file is reported and
   * never overwritten.
   */
  async update(doc: DocumentRecord, annotator: string, patch: DocumentMeta): Promise<DocumentMeta> {
    const extracted: DocumentMeta = { ...doc.meta, title: doc.title };
    const file = this.fileOf(doc.id, annotator);
    const own = (await this.read(file, doc.id, false)) ?? new Map();
    const now = editTime();
    const fields: MetadataFile['fields'] = {};
    for (const [field, edit] of own) fields[field] = { value: edit.value, at: edit.at };
    let changed = false;
    for (const field of META_FIELDS) {
      const given = patch[field];
      if (given === undefined) continue;
      const value = cleanField(field, given);
      if (field === 'url' && value !== '' && !isSafeUrl(value)) {
        throw new MarginError('bad-input', `url: "${value.slice(0, 80)}" is not a web address (http:// or https://)`, ['meta.url: not a web address']);
      }
      fields[field] = { value: value === extracted[field] ? '' : value, at: now };
      changed = true;
    }
    if (changed) {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFileDurably(file, stableStringify({ version: FORMAT_VERSION, docId: doc.id, annotator, fields } satisfies MetadataFile));
    }
    return this.editsOf(doc.id);
  }
}

const perStore = new WeakMap<ProjectStore, MetadataEdits>();

/** The metadata edits of a project, one instance per open store. */
export function metadataEditsOf(store: ProjectStore): MetadataEdits {
  let edits = perStore.get(store);
  if (!edits) perStore.set(store, (edits = new MetadataEdits(store.dir)));
  return edits;
}
