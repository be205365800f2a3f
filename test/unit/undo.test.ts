import { afterEach, describe, expect, it } from 'vitest';
import type { MarginApi } from '../../shared/api';
import { API_METHODS } from '../../shared/apiMethods';
import type { TagSchema } from '../../shared/model';
import { dispatch } from '../../electron/services/dispatch';
import type { Workspace } from '../../electron/services/workspace';
import { History } from '../../renderer/src/editing/history';
import * as steps from '../../renderer/src/editing/steps';
import { openWorkspace, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

/** The renderer's API, carried in-process through the same validation both transports use. */
function apiOver(ws: Workspace): MarginApi {
  return Object.fromEntries(
    API_METHODS.map((m) => [
      m,
      async (args: unknown) => {
        const envelope = await dispatch(ws.handlers, m, args);
        if (!envelope.ok) throw new Error(envelope.error.message);
        return envelope.value;
      },
    ]),
  ) as unknown as MarginApi;
}

async function setUp() {
  const ws = await openWorkspace(temps);
  await ws.handlers.setAnnotator({ name: 'ana' });
  const { imported } = await ws.handlers.importFiles({
    files: [{ name: 'talks.txt', data: Buffer.from('Talks\nBlinken said the talks were productive, officials said.\n').toString('base64') }],
  });
  const docId = imported[0]!.docId;
  const api = apiOver(ws);
  /** Everything a user could see of the document: spans with their details, and links. */
  const snapshot = async () => ({
    annotations: (await api.listAnnotations({ docId })).map(({ updatedAt: _u, ...a }) => a),
    relations: await api.listRelations({ docId }),
    schema: (await api.getSession({})).schema,
  });
  return { ws, api, docId, snapshot, text: (await api.getDocument({ docId })).text };
}

/** Undo must give back exactly the state before the step, and redo the state after it. */
async function expectUndoable(history: History, docId: string, before: unknown, after: unknown, snapshot: () => Promise<unknown>) {
  expect(await snapshot()).toEqual(after);
  await history.undo(docId);
  expect(await snapshot()).toEqual(before);
  await history.redo(docId);
  expect(await snapshot()).toEqual(after);
}

describe('undo and redo over every kind of change', () => {
  it('tag, tag all matches, relabel, move a boundary, edit details, delete, link, unlink, schema edit', async () => {
    const { ws, api, docId, snapshot, text } = await setUp();
    const history = new History();
    const span = (word: string) => ({ start: text.indexOf(word), end: text.indexOf(word) + word.length });
    try {
      let before = await snapshot();
      const quote = await steps.createSpan(api, docId, 'quote', span('the talks were productive').start, span('the talks were productive').end);
      history.push(docId, quote.step);
      await expectUndoable(history, docId, before, await snapshot(), snapshot);

      before = await snapshot();
      const matches = [...text.matchAll(/said/g)].map((m) => ({ label: 'event', start: m.index!, end: m.index! + 4 }));
      const all = await steps.createSpans(api, docId, matches);
      expect(all.created).toHaveLength(2);
      history.push(docId, all.step);
      await expectUndoable(history, docId, before, await snapshot(), snapshot);

      before = await snapshot();
      const relabel = await steps.updateSpan(api, docId, all.created[0]!.id, { label: 'claim' });
      history.push(docId, relabel.step);
      await expectUndoable(history, docId, before, await snapshot(), snapshot);

      before = await snapshot();
      const moved = await steps.updateSpan(api, docId, quote.created.id, { start: span('talks').start });
      expect(moved.after.quote.exact).toBe('talks were productive');
      history.push(docId, moved.step);
      await expectUndoable(history, docId, before, await snapshot(), snapshot);

      before = await snapshot();
      const details = await steps.updateSpan(api, docId, quote.created.id, { attributes: { speaker: 'Blinken', kind: 'indirect' }, note: 'check wording' });
      history.push(docId, details.step);
      await expectUndoable(history, docId, before, await snapshot(), snapshot);

      before = await snapshot();
      const source = await steps.createLinkedSpan(api, docId, 'attributed-to', quote.created.id, 'source', span('Blinken').start, span('Blinken').end);
      history.push(docId, source.step);
      await expectUndoable(history, docId, before, await snapshot(), snapshot);

      before = await snapshot();
      const unlinked = await steps.unlink(api, docId, source.relation.id);
      history.push(docId, unlinked.step);
      await expectUndoable(history, docId, before, await snapshot(), snapshot);

      before = await snapshot();
      const relinked = await steps.link(api, docId, 'attributed-to', quote.created.id, source.created.id);
      history.push(docId, relinked.step);
      await expectUndoable(history, docId, before, await snapshot(), snapshot);

      // Deleting the source deletes its link; undo brings both back, so no link ever dangles.
      before = await snapshot();
      const deleted = await steps.deleteSpans(api, docId, [source.created.id]);
      expect(deleted.relations).toHaveLength(1);
      expect(await api.listRelations({ docId })).toEqual([]);
      history.push(docId, deleted.step);
      await expectUndoable(history, docId, before, await snapshot(), snapshot);

      before = await snapshot();
      const schema: TagSchema = structuredClone(before.schema);
      const quoteLabel = schema.labels.find((l) => l.name === 'quote')!;
      quoteLabel.name = 'citation';
      quoteLabel.attributes.find((a) => a.name === 'speaker')!.name = 'who';
      schema.relations[0]!.from = ['claim', 'citation'];
      const edit = await steps.editSchema(api, await api.getSession({}), schema, {
        renameLabels: [{ from: 'quote', to: 'citation' }],
        renameAttributes: [{ label: 'citation', from: 'speaker', to: 'who' }],
      });
      history.push(docId, edit.step);
      const after = await snapshot();
      expect(after.annotations.find((a) => a.id === quote.created.id)).toMatchObject({ label: 'citation', attributes: { who: 'Blinken', kind: 'indirect' } });
      await expectUndoable(history, docId, before, after, snapshot);

      // Deleting a label in use (confirmed with its count) removes its annotations and their links; undo restores them all.
      before = await snapshot();
      const withoutCitation: TagSchema = structuredClone(before.schema);
      withoutCitation.labels = withoutCitation.labels.filter((l) => l.name !== 'citation');
      withoutCitation.relations[0]!.from = ['claim'];
      const citations = (await api.labelUsage({})).labels.citation ?? 0;
      expect(citations).toBeGreaterThan(0);
      const removal = await steps.editSchema(api, await api.getSession({}), withoutCitation, { renameLabels: [], renameAttributes: [] }, [
        { label: 'citation', annotations: citations },
      ]);
      history.push(docId, removal.step);
      const removedState = await snapshot();
      expect(removedState.annotations.some((a) => a.label === 'citation')).toBe(false);
      expect(removedState.relations).toEqual([]);
      await expectUndoable(history, docId, before, removedState, snapshot);

      // Status is a change too.
      const status = await steps.setStatus(api, docId, 'in-progress', 'done');
      history.push(docId, status.step);
      expect((await api.listDocuments({}))[0]!.status).toBe('done');
      await history.undo(docId);
      expect((await api.listDocuments({}))[0]!.status).toBe('in-progress');
    } finally {
      await ws.close();
    }
  });
});

describe('undo of an attribute edit', () => {
  it('puts back only that attribute (its old value, or none), keeping another window’s edit of a different one', async () => {
    const { ws, api, docId, text } = await setUp();
    const history = new History();
    const at = text.indexOf('the talks were productive');
    try {
      const quote = await steps.createSpan(api, docId, 'quote', at, at + 'the talks were productive'.length);
      const id = quote.created.id;
      const attributesNow = async () => (await api.listAnnotations({ docId })).find((a) => a.id === id)!.attributes;
      await api.updateAnnotation({ docId, annotationId: id, changes: { attributes: { speaker: 'an official' } } });

      const speaker = await steps.updateSpan(api, docId, id, { attributes: { speaker: 'Blinken' } });
      history.push(docId, speaker.step);
      const kind = await steps.updateSpan(api, docId, id, { attributes: { kind: 'direct' } });
      history.push(docId, kind.step);
      // Meanwhile a second window sets the speaker again (it has its own history).
      await api.updateAnnotation({ docId, annotationId: id, changes: { attributes: { speaker: 'a diplomat' } } });

      // Undoing "kind" removes kind (it had none) and leaves the other window's speaker.
      await history.undo(docId);
      expect(await attributesNow()).toEqual({ speaker: 'a diplomat' });
      // Undoing "speaker" puts back the value it had before that edit.
      await history.undo(docId);
      expect(await attributesNow()).toEqual({ speaker: 'an official' });
      await history.redo(docId);
      await history.redo(docId);
      expect(await attributesNow()).toEqual({ speaker: 'Blinken', kind: 'direct' });
    } finally {
      await ws.close();
    }
  });
});

describe('History', () => {
  const step = (log: string[], name: string) => ({
    title: name,
    undo: async () => void log.push(`undo ${name}`),
    redo: async () => void log.push(`redo ${name}`),
  });

  it('keeps one history per document, so switching away and back keeps it', async () => {
    const history = new History();
    const log: string[] = [];
    history.push('a', step(log, 'a1'));
    history.push('b', step(log, 'b1'));
    history.push('a', step(log, 'a2'));
    await history.undo('a');
    await history.undo('b');
    await history.undo('a');
    expect(log).toEqual(['undo a2', 'undo b1', 'undo a1']);
    expect(history.canUndo('a')).toBe(false);
    await history.redo('a');
    expect(log.at(-1)).toBe('redo a1');
  });

  it('a new step forgets what was undone; a failing undo leaves the step in place', async () => {
    const history = new History();
    const log: string[] = [];
    history.push('a', step(log, 'one'));
    await history.undo('a');
    history.push('a', step(log, 'two'));
    expect(history.canRedo('a')).toBe(false);
    history.push('a', { title: 'broken', undo: () => Promise.reject(new Error('disk full')), redo: async () => undefined });
    await expect(history.undo('a')).rejects.toThrow('disk full');
    expect(history.canUndo('a')).toBe(true);
    expect(await history.undo('b')).toBeNull();
  });
});
