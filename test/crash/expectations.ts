import type { Annotation, DocumentMeta } from '../../shared/model';

/**
 * What the crash test knows the project holds: every acknowledged write, and the writes that were
 * sent but not acknowledged when the process died (they may or may not have landed). After each
 * restart the project on disk is checked against it, then what is on disk is adopted.
 */

/** One value the test writes (a status, a metadata field, a label's name). */
export class Item<V> {
  private pending: { token: number; value: V }[] = [];

  constructor(
    readonly name: string,
    private known: V,
  ) {}

  get value(): V {
    return this.known;
  }

  /** A write was sent: until acknowledged, it may or may not land. */
  send(value: V, token: number): void {
    this.pending.push({ token, value });
  }

  /** Writes to one item are queued in order: this one and every earlier one are done. */
  ack(token: number): void {
    const at = this.pending.findIndex((p) => p.token === token);
    if (at < 0) return;
    this.known = this.pending[at]!.value;
    this.pending.splice(0, at + 1);
  }

  /** What the disk may hold: the last acknowledged value, or any later unacknowledged write. */
  possible(): V[] {
    return [this.known, ...this.pending.map((p) => p.value)];
  }

  adopt(value: V): void {
    this.known = value;
    this.pending = [];
  }
}

export interface TrackedAnnotation {
  id: string;
  docId: string;
  /** Which label, by its place in the schema (renames change the name, never the place). */
  slot: number;
  start: number;
  end: number;
  /** A delete was sent and not acknowledged. */
  deleting: boolean;
}

export interface PendingCreate {
  token: number;
  docId: string;
  slot: number;
  start: number;
  end: number;
}

/** The project as the restarted process reads it, through the API. */
export interface DiskState {
  labels: string[];
  /** The test annotator's annotations, every document. */
  annotations: Annotation[];
  done: Map<string, boolean>;
  meta: Map<string, DocumentMeta>;
}

export type MetaField = 'title' | 'outlet' | 'author';
export const META_FIELDS: readonly MetaField[] = ['title', 'outlet', 'author'];

export interface Finding {
  kind: 'lost' | 'unexpected';
  message: string;
}

const show = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));

export class Expectations {
  readonly labels: Item<string>[];
  readonly done = new Map<string, Item<boolean>>();
  /** The user's value of a field; null: none, the extracted value shows. */
  readonly meta = new Map<string, Item<string | null>>();
  readonly annotations = new Map<string, TrackedAnnotation>();
  /** Ids whose deletion was acknowledged: they must never come back. */
  readonly deleted = new Set<string>();
  pendingCreates: PendingCreate[] = [];

  constructor(
    labelNames: readonly string[],
    readonly docIds: readonly string[],
    /** Each document's metadata before any edit: what a cleared field shows. */
    private readonly extracted: ReadonlyMap<string, DocumentMeta>,
  ) {
    this.labels = labelNames.map((name, slot) => new Item(`label ${slot}`, name));
    for (const docId of docIds) {
      this.done.set(docId, new Item(`status of ${docId}`, false));
      for (const field of META_FIELDS) this.meta.set(metaKey(docId, field), new Item(`${field} of ${docId}`, null));
    }
  }

  /** Annotations that exist for sure and have no delete under way: what a delete may pick. */
  deletable(): TrackedAnnotation[] {
    return [...this.annotations.values()].filter((a) => !a.deleting);
  }

  private shown(docId: string, field: MetaField, value: string | null): string | undefined {
    return value ?? this.extracted.get(docId)?.[field];
  }

  /** Checks the disk against every acknowledged write, then adopts the disk. */
  reconcile(disk: DiskState): Finding[] {
    const findings: Finding[] = [];
    const lost = (message: string) => findings.push({ kind: 'lost', message });

    if (disk.labels.length !== this.labels.length) {
      lost(`the schema has ${disk.labels.length} labels, ${this.labels.length} expected`);
    }
    this.labels.forEach((item, slot) => {
      const onDisk = disk.labels[slot];
      if (onDisk === undefined) return;
      if (!item.possible().includes(onDisk)) lost(`${item.name} is ${show(onDisk)}, expected one of ${item.possible().map(show).join(', ')}`);
      item.adopt(onDisk);
    });

    for (const [docId, item] of this.done) {
      const onDisk = disk.done.get(docId) ?? false;
      if (!item.possible().includes(onDisk)) lost(`${item.name}: done is ${onDisk}, expected ${item.possible().join(' or ')}`);
      item.adopt(onDisk);
    }

    for (const docId of this.docIds) {
      for (const field of META_FIELDS) {
        const item = this.meta.get(metaKey(docId, field))!;
        const onDisk = disk.meta.get(docId)?.[field];
        const expected = item.possible().map((v) => this.shown(docId, field, v));
        if (!expected.includes(onDisk)) lost(`${item.name} is ${show(onDisk)}, expected one of ${expected.map(show).join(', ')}`);
        item.adopt(onDisk === undefined || onDisk === this.extracted.get(docId)?.[field] ? null : onDisk);
      }
    }

    const onDisk = new Map(disk.annotations.map((a) => [a.id, a]));
    for (const tracked of [...this.annotations.values()]) {
      const found = onDisk.get(tracked.id);
      onDisk.delete(tracked.id);
      if (!found) {
        if (!tracked.deleting) lost(`annotation ${tracked.id} (${tracked.docId} ${tracked.start}-${tracked.end}) was acknowledged and is gone`);
        this.annotations.delete(tracked.id);
        continue;
      }
      tracked.deleting = false;
      const label = this.labels[tracked.slot]?.value;
      if (found.label !== label || found.start !== tracked.start || found.end !== tracked.end || found.docId !== tracked.docId) {
        lost(`annotation ${tracked.id} is ${found.label} ${found.start}-${found.end}, expected ${label} ${tracked.start}-${tracked.end}`);
      }
    }
    // What is left on disk: creates whose acknowledgement the kill cut off, or writes nobody made.
    for (const found of onDisk.values()) {
      if (this.deleted.has(found.id)) {
        lost(`annotation ${found.id} came back after its deletion was acknowledged`);
        continue;
      }
      const slot = this.labels.findIndex((l) => l.value === found.label);
      const from = this.pendingCreates.findIndex(
        (p) => p.docId === found.docId && p.slot === slot && found.start >= p.start && found.end <= p.end,
      );
      if (from < 0) {
        findings.push({ kind: 'unexpected', message: `annotation ${found.id} (${found.label} ${found.start}-${found.end}) matches no write that was sent` });
        continue;
      }
      this.pendingCreates.splice(from, 1);
      this.annotations.set(found.id, { id: found.id, docId: found.docId, slot, start: found.start, end: found.end, deleting: false });
    }
    this.pendingCreates = [];
    return findings;
  }
}

export const metaKey = (docId: string, field: MetaField) => `${docId}/${field}`;
