import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../shared/api';
import { NEW_PROJECT_SETTINGS } from '../../shared/model';
import { Workspace } from '../../electron/services/workspace';
import { samplePaths, spanOf, TempDirs } from './helpers';

/**
 * Blind annotation (issue 11, item 8) across restarts: a reviewer who opened the compare view on
 * a document has seen their colleagues' layers; a restart of the app or of `margin serve` does
 * not hide them again (their own work on it is no longer blind either way), as marking it done
 * is not forgotten. Another project's documents stay hidden.
 */

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const ANA: Caller = { windowId: 'ana' };
const RITA: Caller = { windowId: 'rita' };

async function session<T>(userData: string, projectDir: string, use: (ws: Workspace) => Promise<T>): Promise<T> {
  const ws = await Workspace.open({ userData, projectDir, mode: 'browser', newProjectSettings: NEW_PROJECT_SETTINGS });
  try {
    return await use(ws);
  } finally {
    await ws.close();
  }
}

/** The CNN sample with Ana's quote on it, in a blind project; Rita is the reviewer. */
async function anaTagged(ws: Workspace): Promise<string> {
  const h = ws.handlers;
  await ws.importPaths([samplePaths()[0]!]);
  const [doc] = await h.listDocuments({});
  const text = (await h.getDocument({ docId: doc!.id })).text;
  await h.setAnnotator({ name: 'Ana' }, ANA);
  await h.setAnnotator({ name: 'Rita' }, RITA);
  await h.createAnnotation({ docId: doc!.id, label: 'quote', ...spanOf(text, '“capitalize”') }, ANA);
  await h.createAnnotation({ docId: doc!.id, label: 'event', ...spanOf(text, 'the killing of\u00a0Hamas leader') }, RITA);
  return doc!.id;
}

const labelsSeen = async (ws: Workspace, docId: string) => (await ws.handlers.listAnnotations({ docId }, RITA)).map((a) => `${a.annotator}:${a.label}`).sort();

describe('a reveal by the compare view', () => {
  it('survives a restart: the reviewer still sees the layers they compared', async () => {
    const userData = temps.make();
    const projectDir = path.join(temps.make(), 'project');
    const docId = await session(userData, projectDir, async (ws) => {
      const id = await anaTagged(ws);
      expect(await labelsSeen(ws, id)).toEqual(['Rita:event']);
      await ws.handlers.compareLayers({ docId: id, annotators: ['Ana', 'Rita'], gold: 'gold' }, RITA);
      expect(await labelsSeen(ws, id)).toEqual(['Ana:quote', 'Rita:event']);
      return id;
    });

    await session(userData, projectDir, async (ws) => {
      await ws.handlers.setAnnotator({ name: 'Rita' }, RITA);
      expect(await labelsSeen(ws, docId)).toEqual(['Ana:quote', 'Rita:event']);
      // The document list counts what the window may see: Ana's quote is counted for Rita again.
      const [summary] = await ws.handlers.listDocuments({}, RITA);
      expect(summary!.annotationCount).toBe(2);
    });
  });

  it('is the reviewer’s alone, and the project’s alone', async () => {
    const userData = temps.make();
    const first = path.join(temps.make(), 'first');
    const second = path.join(temps.make(), 'second');
    const firstDoc = await session(userData, first, async (ws) => {
      const id = await anaTagged(ws);
      await ws.handlers.compareLayers({ docId: id, annotators: ['Ana', 'Rita'], gold: 'gold' }, RITA);
      return id;
    });
    // The same article in another project: the compare view was never opened there.
    await session(userData, second, async (ws) => {
      const id = await anaTagged(ws);
      expect(id).toBe(firstDoc);
      expect(await labelsSeen(ws, id)).toEqual(['Rita:event']);
    });
    await session(userData, first, async (ws) => {
      const BEN: Caller = { windowId: 'ben' };
      await ws.handlers.setAnnotator({ name: 'Ben' }, BEN);
      expect((await ws.handlers.listAnnotations({ docId: firstDoc }, BEN)).map((a) => a.annotator)).toEqual([]);
    });
  });
});
