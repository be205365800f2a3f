/**
 * What a set of changed project files means to a person: annotations added, changed and deleted
 * per annotator and in how many documents, documents marked done, metadata edited, new documents,
 * the tag schema. Used for the commit message of one's own work ("Ana: 12 annotations added,
 * 3 changed in 2 documents") and for what a Sync brought in ("Ben: 42 new annotations in 3
 * documents"). Files are compared record by record (by annotation id), never line by line.
 */

const LAYER = /^annotations\/([^/]+)\/([0-9a-f]{16})\.json$/;
const METADATA = /^metadata\/([^/]+)\/([0-9a-f]{16})\.json$/;
const DOCUMENT = /^documents\/([0-9a-f]{16})\.json$/;
export const PROJECT_FILE_PATH = 'margin.json';

interface AnnotatorTally {
  added: number;
  changed: number;
  deleted: number;
  /** Documents whose annotations changed. */
  documents: Set<string>;
  markedDone: Set<string>;
  metadata: Set<string>;
}

export class ChangeTally {
  private readonly annotators = new Map<string, AnnotatorTally>();
  private newDocuments = 0;
  private schemaChanged = false;

  private of(annotator: string): AnnotatorTally {
    let tally = this.annotators.get(annotator);
    if (!tally) {
      tally = { added: 0, changed: 0, deleted: 0, documents: new Set(), markedDone: new Set(), metadata: new Set() };
      this.annotators.set(annotator, tally);
    }
    return tally;
  }

  /** Counts one file's change; `before`/`after` are its contents (null: absent on that side). */
  add(path: string, before: Buffer | null, after: Buffer | null): void {
    const layer = LAYER.exec(path);
    if (layer) return this.addLayer(layer[1]!, layer[2]!, before, after);
    const meta = METADATA.exec(path);
    if (meta) {
      this.of(meta[1]!).metadata.add(meta[2]!);
      return;
    }
    if (DOCUMENT.test(path) && before === null && after !== null) this.newDocuments++;
    if (path === PROJECT_FILE_PATH && before !== null) this.schemaChanged = true;
  }

  private addLayer(annotator: string, docId: string, before: Buffer | null, after: Buffer | null): void {
    const old = parseLayer(before);
    const now = parseLayer(after);
    const tally = this.of(annotator);
    const oldById = new Map(old.annotations.map((a) => [a.id, JSON.stringify(a)]));
    const nowIds = new Set<string>();
    let touched = false;
    for (const a of now.annotations) {
      nowIds.add(a.id);
      const was = oldById.get(a.id);
      if (was === undefined) tally.added++;
      else if (was !== JSON.stringify(a)) tally.changed++;
      else continue;
      touched = true;
    }
    for (const id of oldById.keys()) {
      if (nowIds.has(id)) continue;
      tally.deleted++;
      touched = true;
    }
    if (touched) tally.documents.add(docId);
    if (now.status === 'done' && old.status !== 'done') tally.markedDone.add(docId);
  }

  /** The commit message of `annotator`'s own work (and of adjudication layers they wrote). */
  commitMessage(annotator: string): string {
    const parts = this.parts(annotator, 'commit');
    for (const other of [...this.annotators.keys()].sort()) {
      const theirs = other === annotator ? [] : this.parts(other, 'commit');
      if (theirs.length > 0) parts.push(`${other} layer: ${theirs.join(', ')}`);
    }
    if (this.newDocuments > 0) parts.push(`${count(this.newDocuments, 'new document')}`);
    if (this.schemaChanged) parts.push('tag schema edited');
    return `${annotator}: ${parts.length > 0 ? parts.join('; ') : 'project files for git'}`;
  }

  /** One line per colleague whose work came in, then new documents and the schema. */
  incomingLines(self: string): string[] {
    const lines: string[] = [];
    for (const annotator of [...this.annotators.keys()].sort()) {
      if (annotator === self) continue;
      const parts = this.parts(annotator, 'incoming');
      if (parts.length > 0) lines.push(`${annotator}: ${parts.join('; ')}`);
    }
    if (this.newDocuments > 0) lines.push(`${count(this.newDocuments, 'new document')} in the project`);
    if (this.schemaChanged) lines.push('The tag schema changed');
    return lines;
  }

  private parts(annotator: string, style: 'commit' | 'incoming'): string[] {
    const t = this.annotators.get(annotator);
    if (!t) return [];
    const parts: string[] = [];
    const counts: string[] = [];
    if (t.added > 0) counts.push(style === 'commit' ? `${count(t.added, 'annotation')} added` : count(t.added, 'new annotation'));
    if (t.changed > 0) counts.push(counts.length === 0 ? `${count(t.changed, 'annotation')} changed` : `${formatNumber(t.changed)} changed`);
    if (t.deleted > 0) counts.push(counts.length === 0 ? `${count(t.deleted, 'annotation')} deleted` : `${formatNumber(t.deleted)} deleted`);
    if (counts.length > 0) parts.push(`${counts.join(', ')} in ${count(t.documents.size, 'document')}`);
    if (t.markedDone.size > 0) parts.push(`${count(t.markedDone.size, 'document')} marked done`);
    if (t.metadata.size > 0) parts.push(`metadata of ${count(t.metadata.size, 'document')} edited`);
    return parts;
  }
}

interface LayerLike {
  annotations: { id: string }[];
  status?: string;
}

/** Only ids and status are needed here; a file that does not read counts as empty (the store reports it when opened). */
function parseLayer(content: Buffer | null): LayerLike {
  if (content === null) return { annotations: [] };
  try {
    const json = JSON.parse(content.toString('utf8')) as Partial<LayerLike>;
    const annotations = Array.isArray(json.annotations) ? json.annotations.filter((a) => typeof a?.id === 'string') : [];
    return { annotations, status: typeof json.status === 'string' ? json.status : undefined };
  } catch {
    return { annotations: [] };
  }
}

const formatNumber = (n: number) => n.toLocaleString('en-US');

export function count(n: number, noun: string): string {
  return `${formatNumber(n)} ${noun}${n === 1 ? '' : 's'}`;
}
