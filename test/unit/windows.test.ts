import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiHandlers } from '../../shared/api';
import type { Workspace } from '../../electron/services/workspace';
import { startWebServer, type WebServer } from '../../electron/web';
import { layerPath, openWorkspace, TempDirs } from './helpers';

const TEXT = 'The minister said the bridge would open in May. Critics doubt it.';
const tab = (windowId: string) => ({ windowId });

describe('the annotator name is per window', () => {
  const temps = new TempDirs();
  let ws: Workspace;
  let docId: string;
  beforeEach(async () => {
    ws = await openWorkspace(temps);
    docId = (await ws.handlers.importText({ text: TEXT, title: 'Bridge' })).imported[0]!.docId;
  });
  afterEach(async () => {
    await ws.close();
    temps.cleanup();
  });

  it("each window's tags, links, statuses and reviews carry its own name, whatever another window set since", async () => {
    const { handlers } = ws;
    await handlers.setAnnotator({ name: 'Ana' }, tab('a'));
    await handlers.setAnnotator({ name: 'Ben' }, tab('b'));
    expect((await handlers.getSession({}, tab('a'))).annotator).toBe('Ana');
    expect((await handlers.getSession({}, tab('b'))).annotator).toBe('Ben');

    const claim = await handlers.createAnnotation({ docId, label: 'claim', start: 0, end: 47 }, tab('a'));
    const doubt = await handlers.createAnnotation({ docId, label: 'claim', start: 48, end: 65 }, tab('b'));
    expect([claim.annotator, doubt.annotator]).toEqual(['Ana', 'Ben']);
    await handlers.setDocumentStatus({ docId, status: 'done' }, tab('b'));
    await handlers.setReview({ docId, annotationId: claim.id, verdict: 'approved', comment: '' }, tab('b'));

    const [summaryA] = await handlers.listDocuments({}, tab('a'));
    const [summaryB] = await handlers.listDocuments({}, tab('b'));
    expect(summaryA!.status).toBe('in-progress');
    expect(summaryB!.status).toBe('done');
    expect(await handlers.listReviews({ docId }, tab('a'))).toEqual([expect.objectContaining({ annotationId: claim.id, reviewer: 'Ben', annotator: 'Ana' })]);
    // Each name landed in its own layer file.
    expect(JSON.parse(readFileSync(layerPath(ws.projectDir, 'Ana', docId), 'utf8')).annotations).toHaveLength(1);
    expect(JSON.parse(readFileSync(layerPath(ws.projectDir, 'Ben', docId), 'utf8')).annotations).toHaveLength(1);
  });

  it('a new window starts from the last name set; a window keeps its name when another renames', async () => {
    const { handlers } = ws;
    expect((await handlers.getSession({}, tab('first'))).annotator).toBeNull();
    await handlers.setAnnotator({ name: 'Ana' }, tab('first'));
    expect((await handlers.getSession({}, tab('second'))).annotator).toBe('Ana');
    await handlers.setAnnotator({ name: 'Ben' }, tab('first'));
    // The second window took "Ana" when it first came, and keeps it.
    expect((await handlers.getSession({}, tab('second'))).annotator).toBe('Ana');
    expect((await handlers.getSession({}, tab('third'))).annotator).toBe('Ben');
  });

  it('a window that has no name is asked for one before tagging, even while another window has one', async () => {
    const { handlers } = ws;
    expect((await handlers.getSession({}, tab('b'))).annotator).toBeNull();
    await handlers.setAnnotator({ name: 'Ana' }, tab('a'));
    await expect(handlers.createAnnotation({ docId, label: 'claim', start: 0, end: 3 }, tab('b'))).rejects.toThrow(/Set your annotator name/);
  });
});

describe('browser mode: windows and the change feed over HTTP', () => {
  const temps = new TempDirs();
  let ws: Workspace;
  let server: WebServer;
  let base: string;
  /** The page the server would serve: not needed here, only API calls are made. */
  const staticDir = () => {
    const dir = path.join(temps.make(), 'renderer');
    mkdirSync(dir);
    return dir;
  };
  beforeEach(async () => {
    ws = await openWorkspace(temps);
    server = await startWebServer({ handlers: ws.handlers, staticDir: staticDir(), port: 0 });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterEach(async () => {
    await server.close();
    await ws.close();
    temps.cleanup();
  });

  const call = async (method: string, args: unknown, windowId?: string) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' };
    if (windowId !== undefined) headers['X-Margin-Window'] = windowId;
    const response = await fetch(`${base}/api/${method}`, { method: 'POST', headers, body: JSON.stringify(args) });
    return { status: response.status, body: (await response.json()) as { ok: boolean; value?: Record<string, unknown>; error?: { code: string; message: string } } };
  };

  it('keeps each tab (X-Margin-Window) apart; calls without the header share one default window', async () => {
    await call('setAnnotator', { name: 'Ana' }, 'tab-A_1');
    await call('setAnnotator', { name: 'Ben' }, 'tab-B_2');
    expect((await call('getSession', {}, 'tab-A_1')).body.value!.annotator).toBe('Ana');
    expect((await call('getSession', {}, 'tab-B_2')).body.value!.annotator).toBe('Ben');
    await call('setAnnotator', { name: 'Cleo' }, undefined);
    expect((await call('getSession', {}, undefined)).body.value!.annotator).toBe('Cleo');
    expect((await call('getSession', {}, 'tab-A_1')).body.value!.annotator).toBe('Ana');
  });

  it('refuses a malformed window header with 400, naming the header', async () => {
    for (const bad of ['', 'a'.repeat(65), 'tab one', 'tab/1', 'täb', 'ipc:1']) {
      const { status, body } = await call('getSession', {}, bad);
      expect(status, JSON.stringify(bad)).toBe(400);
      expect(body).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringContaining('X-Margin-Window') } });
    }
    expect((await call('getSession', {}, 'a'.repeat(64))).status).toBe(200);
  });

  it("answers a long poll with a colleague's layer written to disk", async () => {
    await call('setAnnotator', { name: 'Ana' }, 'tab');
    const docId = (await ws.handlers.importText({ text: TEXT, title: 'Bridge' })).imported[0]!.docId;
    const start = (await call('waitForChanges', { since: 0 }, 'tab')).body.value as { cursor: number };
    const poll = call('waitForChanges', { since: start.cursor }, 'tab');
    const ana = (await call('createAnnotation', { docId, label: 'claim', start: 0, end: 47 }, 'tab')).body.value!;
    const benFile = layerPath(ws.projectDir, 'Ben', docId);
    mkdirSync(path.dirname(benFile), { recursive: true });
    writeFileSync(benFile, readFileSync(layerPath(ws.projectDir, 'Ana', docId), 'utf8').replaceAll('"Ana"', '"Ben"').replaceAll(ana.id as string, 'ben-1'));
    const { status, body } = await poll;
    expect(status).toBe(200);
    // The tab's own tag is not news to it; the colleague's layer is.
    expect(body.value).toMatchObject({ changes: [{ kind: 'layer', docId, annotator: 'Ben' }] });
  });

  it("tells a tab of another tab's tag, and never a tab of its own", async () => {
    await call('setAnnotator', { name: 'Ana' }, 'tab-a');
    await call('setAnnotator', { name: 'Ben' }, 'tab-b');
    const docId = (await ws.handlers.importText({ text: TEXT, title: 'Bridge' })).imported[0]!.docId;
    const start = (await call('waitForChanges', { since: 0 }, 'tab-a')).body.value as { cursor: number };
    const pollA = call('waitForChanges', { since: start.cursor }, 'tab-a');
    const pollB = call('waitForChanges', { since: start.cursor }, 'tab-b');
    const ben = (await call('createAnnotation', { docId, label: 'claim', start: 0, end: 47 }, 'tab-b')).body.value!;
    const answerA = (await pollA).body.value as { cursor: number; changes: unknown[] };
    expect(answerA.changes).toEqual([{ kind: 'layer', docId, annotator: 'Ben' }]);
    // Tab B's own tag is not news to it: its poll answers only when a colleague's file arrives.
    const carlFile = layerPath(ws.projectDir, 'Carl', docId);
    mkdirSync(path.dirname(carlFile), { recursive: true });
    writeFileSync(carlFile, readFileSync(layerPath(ws.projectDir, 'Ben', docId), 'utf8').replaceAll('"Ben"', '"Carl"').replaceAll(ben.id as string, 'carl-1'));
    expect(((await pollB).body.value as { changes: unknown[] }).changes).toEqual([{ kind: 'layer', docId, annotator: 'Carl' }]);
  });

  it('ends a pending long poll when the server closes, so closing never waits for it', async () => {
    // A second server whose feed handler hands the test the poll it is serving.
    // (Wrapped: a promise resolved with a promise would wait for it.)
    let serving!: (poll: { answer: Promise<unknown> }) => void;
    const served = new Promise<{ answer: Promise<unknown> }>((resolve) => (serving = resolve));
    const handlers: ApiHandlers = {
      ...ws.handlers,
      waitForChanges: (args, caller) => {
        const answer = ws.handlers.waitForChanges(args, caller);
        serving({ answer });
        return answer;
      },
    };
    const second = await startWebServer({ handlers, staticDir: staticDir(), port: 0 });
    const docId = (await ws.handlers.importText({ text: TEXT, title: 'Bridge' })).imported[0]!.docId;
    const { cursor } = await ws.handlers.waitForChanges({ since: 0 });
    const poll = fetch(`http://127.0.0.1:${second.port}/api/waitForChanges`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${second.token}` },
      body: JSON.stringify({ since: cursor }),
    }).then(
      () => 'answered',
      () => 'connection closed',
    );
    const { answer } = await served;
    await second.close();
    expect(await poll).toBe('connection closed');
    // A change now would answer a poll still waiting; the ended one answered with nothing.
    const benFile = layerPath(ws.projectDir, 'Ben', docId);
    mkdirSync(path.dirname(benFile), { recursive: true });
    writeFileSync(benFile, '{}');
    expect(await answer).toEqual({ cursor, changes: [] });
  });
});
