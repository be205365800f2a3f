import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { z } from 'zod';
import { DocId, DocumentMeta, FORMAT_VERSION, type DocumentRecord } from '../../../shared/model';
import { MarginError } from '../errors';
import { DurableJsonFile } from './jsonFile';
import type { ProjectStore } from './projectStore';

/**
 * A document's metadata: what was extracted at import (in documents/<docId>.json, which never
 * changes) plus the user's edits (in metadata/<docId>.json, one small lowdb file per document,
 * so an edit never rewrites the document and offsets into its text stay valid).
 *
 * Editing rules (updateDocumentMeta): a field left out is unchanged; a field given a value
 * stores that value as the user's; a field given an empty string (or only spaces) removes the
 * user's value, so the extracted one shows again (or none, when nothing was extracted). A value
 * equal to the extracted one is not stored: there is nothing to override.
 */

export const METADATA_DIR = 'metadata';

export const MetadataFile = z.object({
  version: z.literal(FORMAT_VERSION),
  docId: DocId,
  /** The user's values only; the extracted ones stay in the document file. */
  meta: DocumentMeta,
  updatedAt: z.string(),
});
export type MetadataFile = z.infer<typeof MetadataFile>;

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
export function displayTitle(doc: DocumentRecord, edits: DocumentMeta): string {
  return edits.title ?? doc.title;
}

/** Extracted metadata with the user's edits applied; `title` is always the title shown. */
export function mergedMeta(doc: DocumentRecord, edits: DocumentMeta): DocumentMeta {
  return { ...doc.meta, ...edits, title: displayTitle(doc, edits) };
}

interface Cached {
  mtimeMs: number;
  size: number;
  meta: DocumentMeta;
}

/** The user's metadata edits of one project, read fresh when a file changed on disk (a colleague's sync). */
export class MetadataEdits {
  private readonly cache = new Map<string, Cached>();
  private readonly dbs = new Map<string, Low<MetadataFile | null>>();

  constructor(readonly projectDir: string) {}

  fileOf(docId: string): string {
    return path.join(this.projectDir, METADATA_DIR, `${docId}.json`);
  }

  private db(docId: string): Low<MetadataFile | null> {
    let db = this.dbs.get(docId);
    if (!db) {
      db = new Low<MetadataFile | null>(new DurableJsonFile<MetadataFile | null>(this.fileOf(docId), MetadataFile as z.ZodType<MetadataFile | null>), null);
      this.dbs.set(docId, db);
    }
    return db;
  }

  /** The user's values for one document ({} when none). A corrupt file raises an error naming it. */
  async editsOf(docId: string): Promise<DocumentMeta> {
    const file = this.fileOf(docId);
    const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw new MarginError('store', `Cannot read ${file}: ${error.message}`);
    });
    if (!info) {
      this.cache.delete(docId);
      return {};
    }
    const cached = this.cache.get(docId);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached.meta;
    const db = this.db(docId);
    await db.read(); // throws a MarginError naming the file when it does not parse or validate
    const data = db.data;
    if (data && data.docId !== docId) {
      throw new MarginError('store', `${file} holds the metadata of document ${data.docId}, not ${docId}. Margin has left it untouched.`);
    }
    const meta = data?.meta ?? {};
    this.cache.set(docId, { mtimeMs: info.mtimeMs, size: info.size, meta });
    return meta;
  }

  /** Every document's edits, and the files that could not be read (by document id, with the reason). */
  async all(): Promise<{ edits: Map<string, DocumentMeta>; problems: Map<string, string> }> {
    const edits = new Map<string, DocumentMeta>();
    const problems = new Map<string, string>();
    const names = await readdir(path.join(this.projectDir, METADATA_DIR)).catch(() => [] as string[]);
    for (const name of names) {
      if (!/^[0-9a-f]{16}\.json$/.test(name)) continue;
      const docId = name.slice(0, -'.json'.length);
      try {
        edits.set(docId, await this.editsOf(docId));
      } catch (error) {
        problems.set(docId, (error as Error).message);
      }
    }
    return { edits, problems };
  }

  /** Edits that never fail: the extracted values stand in for an unreadable file (reported elsewhere). */
  async editsOrNone(docId: string): Promise<DocumentMeta> {
    return this.editsOf(docId).catch(() => ({}));
  }

  /**
   * Applies `patch` to the document's edits (rules at the top of this file) and resolves once the
   * file is on disk. A corrupt file is reported and never overwritten.
   */
  async update(doc: DocumentRecord, patch: DocumentMeta): Promise<DocumentMeta> {
    const current = await this.editsOf(doc.id);
    const extracted: DocumentMeta = { ...doc.meta, title: doc.title };
    const next: DocumentMeta = { ...current };
    for (const field of META_FIELDS) {
      const given = patch[field];
      if (given === undefined) continue;
      const value = cleanField(field, given);
      if (field === 'url' && value !== '' && !isSafeUrl(value)) {
        throw new MarginError('bad-input', `url: "${value.slice(0, 80)}" is not a web address (http:// or https://)`, ['meta.url: not a web address']);
      }
      if (value === '' || value === extracted[field]) delete next[field];
      else next[field] = value;
    }
    const db = this.db(doc.id);
    await mkdir(path.join(this.projectDir, METADATA_DIR), { recursive: true });
    const before = db.data;
    db.data = { version: FORMAT_VERSION, docId: doc.id, meta: next, updatedAt: new Date().toISOString() };
    try {
      await db.write();
    } catch (error) {
      db.data = before;
      throw error;
    }
    this.cache.delete(doc.id);
    return next;
  }
}

const perStore = new WeakMap<ProjectStore, MetadataEdits>();

/** The metadata edits of a project, one instance per open store. */
export function metadataEditsOf(store: ProjectStore): MetadataEdits {
  let edits = perStore.get(store);
  if (!edits) perStore.set(store, (edits = new MetadataEdits(store.dir)));
  return edits;
}
