import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/services/workspace';
import { ProjectMemory } from '../../electron/services/store/projectMemory';
import { dispatch } from '../../electron/services/dispatch';
import { INITIAL_VIEW, parseViewMemory, type ViewMemory } from '../../shared/viewMemory';

const viewMemoryIn = (dir: string) => new ProjectMemory(path.join(dir, 'view-memory.json'), parseViewMemory);
import { listFilesRecursive, samplePaths, TempDirs } from './helpers';

/**
 * Remembering a project's view (issue 11, item 19): what a user left open, hidden, sorted and
 * filtered comes back when they open the same project again, from their own app-data folder.
 */

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const ANA_VIEW: ViewMemory = {
  openDocId: null,
  hiddenLayers: ['Ben'],
  panelWidths: { list: 340, side: 420 },
  documentSort: 'title',
  documentQuery: 'Blinken',
  annotationFilter: { text: 'capitalize', labels: ['quote'], annotator: 'Ben' },
};

/** A project with the samples and a layer each for Ana and Ben on the first one; closed again. */
async function projectWithLayers(userData: string, projectDir: string): Promise<{ docIds: string[] }> {
  const ws = await Workspace.open({ userData, projectDir, mode: 'browser', newProjectSettings: { blindAnnotation: false } });
  try {
    await ws.importPaths(samplePaths());
    const docIds = (await ws.handlers.listDocuments({})).map((d) => d.id);
    for (const name of ['Ana', 'Ben']) {
      await ws.handlers.setAnnotator({ name });
      await ws.handlers.createAnnotation({ docId: docIds[0]!, label: 'quote', start: 0, end: 3 });
    }
    return { docIds };
  } finally {
    await ws.close();
  }
}

async function reopened<T>(userData: string, projectDir: string, use: (ws: Workspace) => Promise<T>): Promise<T> {
  const ws = await Workspace.open({ userData, projectDir, mode: 'browser' });
  try {
    return await use(ws);
  } finally {
    await ws.close();
  }
}

describe('parseViewMemory', () => {
  it('keeps a stored view that is valid', () => {
    expect(parseViewMemory({ ...ANA_VIEW, openDocId: '0123456789abcdef' })).toEqual({ ...ANA_VIEW, openDocId: '0123456789abcdef' });
  });

  it('gives the initial view for nothing, nonsense or another type', () => {
    for (const stored of [undefined, null, 42, 'view', [], {}]) expect(parseViewMemory(stored)).toEqual(INITIAL_VIEW);
  });

  it('replaces only the fields that are wrong, and a width out of range by the initial width', () => {
    const stored = {
      ...ANA_VIEW,
      openDocId: '../../etc/passwd',
      hiddenLayers: 'Ben',
      panelWidths: { list: 5, side: 420 },
      documentSort: 'random',
      annotationFilter: { text: 'x', labels: [1], annotator: null },
    };
    expect(parseViewMemory(stored)).toEqual({
      ...ANA_VIEW,
      openDocId: null,
      hiddenLayers: [],
      panelWidths: { list: INITIAL_VIEW.panelWidths.list, side: 420 },
      documentSort: 'imported',
      annotationFilter: INITIAL_VIEW.annotationFilter,
    });
  });
});

describe('the view memory file', () => {
  it('starts afresh from a file that is not JSON, and then writes a good one', async () => {
    const userData = temps.make();
    const file = path.join(userData, 'view-memory.json');
    writeFileSync(file, '{"projects": {"/p": ');
    const memory = viewMemoryIn(userData);
    expect(await memory.load('/p')).toEqual(INITIAL_VIEW);
    await memory.save('/p', ANA_VIEW);
    expect(await viewMemoryIn(userData).load('/p')).toEqual(ANA_VIEW);
    expect(JSON.parse(readFileSync(file, 'utf8')).projects['/p'].value).toEqual(ANA_VIEW);
    // Written atomically: no temporary file is left beside it.
    expect(readdirSync(userData)).toEqual(['view-memory.json']);
  });

  it('keeps each project apart, and the 100 last ones used', async () => {
    const memory = viewMemoryIn(temps.make());
    const start = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 102; i++) await memory.save(`/projects/${i}`, { ...INITIAL_VIEW, documentQuery: `project ${i}` }, new Date(start + i * 1000));
    expect((await memory.load('/projects/101')).documentQuery).toBe('project 101');
    expect((await memory.load('/projects/2')).documentQuery).toBe('project 2');
    expect(await memory.load('/projects/1')).toEqual(INITIAL_VIEW);
  });
});

describe('getViewMemory and saveViewMemory', () => {
  it('bring the view back when the same project is opened again, not in another project, and write nothing into the project', async () => {
    const userData = temps.make();
    const first = path.join(temps.make(), 'first');
    const second = path.join(temps.make(), 'second');
    const { docIds } = await projectWithLayers(userData, first);
    await projectWithLayers(userData, second);
    const filesBefore = listFilesRecursive(first);

    await reopened(userData, first, (ws) => ws.handlers.saveViewMemory({ view: { ...ANA_VIEW, openDocId: docIds[1]! } }));

    expect(await reopened(userData, first, (ws) => ws.handlers.getViewMemory({}))).toEqual({ ...ANA_VIEW, openDocId: docIds[1] });
    expect(await reopened(userData, second, (ws) => ws.handlers.getViewMemory({}))).toEqual(INITIAL_VIEW);
    // The view is the user's, not the team's: the project folder colleagues sync has no trace of it.
    expect(listFilesRecursive(first).filter((f) => !f.startsWith('.margin'))).toEqual(filesBefore.filter((f) => !f.startsWith('.margin')));
    expect(existsSync(path.join(userData, 'view-memory.json'))).toBe(true);
  });

  it('leaves out a document deleted since, a layer and a label that are gone', async () => {
    const userData = temps.make();
    const projectDir = path.join(temps.make(), 'project');
    const { docIds } = await projectWithLayers(userData, projectDir);
    const view: ViewMemory = {
      ...ANA_VIEW,
      openDocId: docIds[1]!,
      hiddenLayers: ['Ben', 'Zoe'],
      annotationFilter: { text: 'capitalize', labels: ['quote', 'opinion'], annotator: 'Zoe' },
    };
    await reopened(userData, projectDir, async (ws) => {
      await ws.handlers.saveViewMemory({ view });
      await ws.handlers.deleteDocument({ docId: docIds[1]!, confirmed: { layers: 0, annotations: 0 } });
    });
    expect(await reopened(userData, projectDir, (ws) => ws.handlers.getViewMemory({}))).toEqual({
      ...ANA_VIEW,
      openDocId: null,
      hiddenLayers: ['Ben'],
      annotationFilter: { text: 'capitalize', labels: ['quote'], annotator: null },
    });
  });

  it('refuses to save a view with a width out of range, naming the field', async () => {
    const userData = temps.make();
    const projectDir = path.join(temps.make(), 'project');
    await reopened(userData, projectDir, async (ws) => {
      const answer = await dispatch(ws.handlers, 'saveViewMemory', { view: { ...ANA_VIEW, panelWidths: { list: 9000, side: 420 } } });
      expect(answer.ok).toBe(false);
      expect(JSON.stringify(answer)).toContain('panelWidths.list');
    });
  });
});
