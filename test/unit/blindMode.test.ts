import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../shared/api';
import { NEW_PROJECT_SETTINGS } from '../../shared/model';
import { Workspace } from '../../electron/services/workspace';
import { openWorkspace, samplePaths, spanOf, TempDirs } from './helpers';

/**
 * Blind annotation (issue 11, item 8): a second annotator must not see the first one's work on a
 * document before finishing their own, whatever the window shows: the API itself keeps the
 * colleagues' layers back.
 */

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const tab = (windowId: string): Caller => ({ windowId });
const ANA = tab('ana');
const BEN = tab('ben');
const RITA = tab('rita');
const CNN = /urged top Israeli officials to “capitalize”/;

/** The CNN sample, Ana's quote and its source linked, Ben's one event: each in their own window. */
async function twoAnnotators(ws: Workspace) {
  const h = ws.handlers;
  await ws.importPaths([samplePaths()[0]!]);
  const doc = (await h.listDocuments({})).find((d) => CNN.test(d.title))!;
  const text = (await h.getDocument({ docId: doc.id })).text;
  await h.setAnnotator({ name: 'Ana' }, ANA);
  await h.setAnnotator({ name: 'Ben' }, BEN);
  await h.setAnnotator({ name: 'Rita' }, RITA);
  const [quote, source] = await h.createAnnotations(
    { docId: doc.id, spans: [{ label: 'quote', ...spanOf(text, '“capitalize”') }, { label: 'source', ...spanOf(text, 'Antony Blinken') }] },
    ANA,
  );
  await h.createRelation({ docId: doc.id, type: 'attributed-to', from: quote!.id, to: source!.id }, ANA);
  // The page's non-breaking spaces are part of the text tagged.
  const event = await h.createAnnotation({ docId: doc.id, label: 'event', ...spanOf(text, 'the killing of\u00a0Hamas leader\u00a0Yahya Sinwar’s death') }, BEN);
  return { docId: doc.id, ana: [quote!.id, source!.id], ben: [event.id] };
}

/** A new project as the app makes one: blind annotation on. */
const blindProject = (projectDir?: string) => openWorkspace(temps, projectDir, NEW_PROJECT_SETTINGS);

/** Runs `steps` on the workspace being opened, and closes it whatever happens. */
async function using(opening: Promise<Workspace>, steps: (ws: Workspace) => Promise<void>): Promise<void> {
  const ws = await opening;
  try {
    await steps(ws);
  } finally {
    await ws.close();
  }
}

const ids = async (ws: Workspace, docId: string, caller: Caller) => (await ws.handlers.listAnnotations({ docId }, caller)).map((a) => a.id).sort();

describe('blind annotation', () => {
  it('is on in a new project, stored in margin.json', () =>
    // As the app, the CLI and `margin serve` make a project: with the default settings.
    using(Workspace.open({ userData: temps.userData(), projectDir: path.join(temps.make(), 'project'), mode: 'browser' }), async (ws) => {
      expect((await ws.handlers.getSession({})).settings).toEqual({ blindAnnotation: true, suggestions: { enabled: true, labels: ['quote', 'source', 'claim', 'event'] } });
      const file = JSON.parse(readFileSync(path.join(ws.projectDir, 'margin.json'), 'utf8')) as { settings?: unknown };
      expect(file.settings).toEqual({ blindAnnotation: true });
    }));

  it("hides a colleague's annotations, links and counts until the annotator marks the document done", () =>
    using(blindProject(), async (ws) => {
      const h = ws.handlers;
      const { docId, ana, ben } = await twoAnnotators(ws);

      expect(await ids(ws, docId, BEN)).toEqual(ben);
      expect(await ids(ws, docId, ANA)).toEqual([...ana].sort());
      expect(await h.listRelations({ docId }, BEN)).toEqual([]);
      expect(await h.listRelations({ docId }, ANA)).toHaveLength(1);
      const benRow = (await h.listDocuments({}, BEN)).find((d) => d.id === docId)!;
      expect(benRow.annotationCount).toBe(1);
      expect(benRow.labelCounts).toEqual({ event: 1 });

      // Done: Ben now sees Ana's work; Ana, still working, does not see his.
      await h.setDocumentStatus({ docId, status: 'done' }, BEN);
      expect(await ids(ws, docId, BEN)).toEqual([...ana, ...ben].sort());
      expect(await h.listRelations({ docId }, BEN)).toHaveLength(1);
      expect((await h.listDocuments({}, BEN)).find((d) => d.id === docId)!.annotationCount).toBe(3);
      expect(await ids(ws, docId, ANA)).toEqual([...ana].sort());
      expect((await h.listDocuments({}, ANA)).find((d) => d.id === docId)!.annotationCount).toBe(2);

      // Reopened: hidden again until he is done once more.
      await h.setDocumentStatus({ docId, status: 'in-progress' }, BEN);
      expect(await ids(ws, docId, BEN)).toEqual(ben);
    }));

  it('a reviewer who opens the compare view sees every layer from then on; one who has not, sees none', () =>
    using(blindProject(), async (ws) => {
      const h = ws.handlers;
      const { docId, ana, ben } = await twoAnnotators(ws);
      expect(await ids(ws, docId, RITA)).toEqual([]);
      const comparison = await h.compareLayers({ docId, annotators: ['Ana', 'Ben'], gold: 'gold' }, RITA);
      expect(comparison.items.length).toBeGreaterThan(0);
      expect(await ids(ws, docId, RITA)).toEqual([...ana, ...ben].sort());
      expect(await h.listRelations({ docId }, RITA)).toHaveLength(1);
      // Only Rita opened it: Ben is still blind.
      expect(await ids(ws, docId, BEN)).toEqual(ben);
    }));

  it('can be turned off and on for the whole project, against the current margin.json only', () =>
    using(blindProject(), async (ws) => {
      const h = ws.handlers;
      const { docId, ana, ben } = await twoAnnotators(ws);
      const { revision } = await h.getSession({}, ANA);
      const off = await h.updateProjectSettings({ settings: { blindAnnotation: false }, baseRevision: revision }, ANA);
      expect(off.settings).toEqual({ blindAnnotation: false, suggestions: { enabled: true, labels: ['quote', 'source', 'claim', 'event'] } });
      expect(off.revision).toBe(revision + 1);
      expect(await ids(ws, docId, BEN)).toEqual([...ana, ...ben].sort());
      expect(JSON.parse(readFileSync(path.join(ws.projectDir, 'margin.json'), 'utf8')).settings).toEqual({ blindAnnotation: false });

      // A window that loaded the project before that change cannot undo it unknowingly.
      await expect(h.updateProjectSettings({ settings: { blindAnnotation: true }, baseRevision: revision }, BEN)).rejects.toMatchObject({ code: 'conflict' });
      expect((await h.getSession({}, BEN)).settings.blindAnnotation).toBe(false);
      await h.updateProjectSettings({ settings: { blindAnnotation: true }, baseRevision: revision + 1 }, BEN);
      expect(await ids(ws, docId, BEN)).toEqual(ben);
    }));

  it('a project from before the setting keeps showing every layer', async () => {
    const projectDir = path.join(temps.make(), 'project');
    const first = await blindProject(projectDir);
    const { docId, ana, ben } = await twoAnnotators(first);
    await first.close();
    // margin.json as earlier versions of Margin wrote it: no settings.
    const file = path.join(projectDir, 'margin.json');
    const { settings: _settings, ...old } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify(old, null, 2));

    await using(openWorkspace(temps, projectDir), async (ws) => {
      await ws.handlers.setAnnotator({ name: 'Ben' }, BEN);
      expect((await ws.handlers.getSession({}, BEN)).settings).toEqual({ blindAnnotation: false, suggestions: { enabled: true, labels: ['quote', 'source', 'claim', 'event'] } });
      expect(await ids(ws, docId, BEN)).toEqual([...ana, ...ben].sort());
    });
  });
});
