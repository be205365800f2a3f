import type { ApiArgs, ApiErrorBody, Session } from '../../shared/api';
import type { CrashChild } from './childProcess';
import { type Expectations, META_FIELDS, type MetaField, metaKey } from './expectations';
import type { Random } from './random';

/** How a write ended: acknowledged, refused (with the reason), or cut off by the kill. */
export type WriteOutcome = { kind: 'ack' } | { kind: 'fail'; error: ApiErrorBody } | { kind: 'gone' };

/** The schema with one label renamed, everywhere the schema names it, made against the revision it was read at. */
export function renameArgs(session: Session, from: string, to: string): ApiArgs<'updateSchema'> {
  const rename = (name: string) => (name === from ? to : name);
  return {
    schema: {
      ...session.schema,
      labels: session.schema.labels.map((l) => (l.name === from ? { ...l, name: to } : l)),
      relations: session.schema.relations.map((r) => ({ ...r, from: r.from.map(rename), to: r.to.map(rename) })),
    },
    renameLabels: [{ from, to }],
    baseRevision: session.revision,
  };
}

/**
 * The writes a process is asked to make, each recorded in the expectations before it is sent
 * (it may land, acknowledged or not) and settled when its answer comes.
 */
export class Writes {
  private tokens = 0;
  private renames = 0;
  private readonly baseNames: string[];

  constructor(
    private readonly expectations: Expectations,
    /** Each document's text, by id: spans are chosen in it. */
    private readonly texts: ReadonlyMap<string, string>,
    /** The schema as last read or written: a rename is made against its revision. */
    public session: Session,
  ) {
    this.baseNames = session.schema.labels.map((l) => l.name);
  }

  /** Renames a label (alone: spans sent behind it would name a label the schema no longer has). */
  async rename(child: CrashChild, random: Random): Promise<WriteOutcome> {
    const token = ++this.tokens;
    const slot = random.int(0, this.expectations.labels.length - 1);
    const item = this.expectations.labels[slot]!;
    const to = `${this.baseNames[slot]}-${++this.renames}`;
    item.send(to, token);
    const reply = await child.call('updateSchema', renameArgs(this.session, item.value, to));
    if (reply.kind === 'ack') {
      item.ack(token);
      this.session = reply.value.session;
    }
    return reply;
  }

  /** One of the other writes, chosen by `random`: add, delete, status or metadata. */
  async other(child: CrashChild, random: Random): Promise<WriteOutcome> {
    const exp = this.expectations;
    const token = ++this.tokens;
    const roll = random.next();
    const deletable = exp.deletable();
    if (roll < 0.25 && deletable.length > 0) {
      const target = random.pick(deletable);
      target.deleting = true;
      const reply = await child.call('deleteAnnotations', { docId: target.docId, annotationIds: [target.id] });
      if (reply.kind === 'ack') {
        exp.annotations.delete(target.id);
        exp.deleted.add(target.id);
      }
      return reply;
    }
    if (roll < 0.4) {
      const docId = random.pick(exp.docIds);
      const done = random.next() < 0.5;
      const item = exp.done.get(docId)!;
      item.send(done, token);
      const reply = await child.call('setDocumentStatus', { docId, status: done ? 'done' : 'in-progress' });
      if (reply.kind === 'ack') item.ack(token);
      return reply;
    }
    if (roll < 0.6) {
      const docId = random.pick(exp.docIds);
      const field: MetaField = random.pick(META_FIELDS);
      // Now and then a field is cleared (the extracted value shows again).
      const value = random.next() < 0.2 ? null : `${field} ${token}`;
      const item = exp.meta.get(metaKey(docId, field))!;
      item.send(value, token);
      const reply = await child.call('updateDocumentMeta', { docId, meta: { [field]: value ?? '' } });
      if (reply.kind === 'ack') item.ack(token);
      return reply;
    }
    const docId = random.pick(exp.docIds);
    const slot = random.int(0, exp.labels.length - 1);
    const text = this.texts.get(docId)!;
    // Starting on a letter: a span of spaces only is refused (rightly), which is not what is tested here.
    let start = random.int(0, text.length - 41);
    while (/\s/u.test(text[start]!)) start++;
    const end = start + random.int(1, 40);
    exp.pendingCreates.push({ token, docId, slot, start, end });
    const reply = await child.call('createAnnotation', { docId, label: exp.labels[slot]!.value, start, end });
    if (reply.kind === 'ack') {
      exp.pendingCreates = exp.pendingCreates.filter((p) => p.token !== token);
      const a = reply.value;
      exp.annotations.set(a.id, { id: a.id, docId, slot, start: a.start, end: a.end, deleting: false });
    }
    return reply;
  }
}
