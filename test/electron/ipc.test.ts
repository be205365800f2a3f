import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, IpcMain } from 'electron';
import type { ApiHandlers, Envelope } from '../../shared/api';
import { API_METHODS, channelOf, EVENT_CHANNEL } from '../../shared/apiMethods';
import { FakeBrowserWindow, type FakeFrame, FakeWebContents, ipcMain } from './fakeElectron';

vi.mock('electron', () => import('./fakeElectron').then((m) => m.electronModule));

const { registerIpc, sendAppEvent } = await import('../../electron/ipc');
const { appPageMatcher } = await import('../../electron/security');
const { Workspace } = await import('../../electron/services/workspace');

const { APP_PAGE_URL } = await import('../../electron/protocol');

const isAppUrl = appPageMatcher({ kind: 'app', url: APP_PAGE_URL });

/** Handlers that record their calls; any call proves a message got through. */
function spyHandlers(): ApiHandlers {
  return Object.fromEntries(API_METHODS.map((m) => [m, vi.fn(async (args: unknown) => ({ method: m, args }))])) as unknown as ApiHandlers;
}

let win: FakeBrowserWindow;
let handlers: ApiHandlers;
let unregister: () => void;

beforeEach(async () => {
  win = new FakeBrowserWindow({});
  await win.loadURL(APP_PAGE_URL);
  handlers = spyHandlers();
  unregister = registerIpc(ipcMain as unknown as IpcMain, {
    getHandlers: () => handlers,
    getWindow: () => win as unknown as BrowserWindow,
    isAppUrl,
    log: () => undefined,
  });
});

afterEach(() => unregister());

/** Calls a registered handler as Electron would, with the given sender and frame. */
function invoke(method: string, args: unknown, sender: FakeWebContents = win.webContents, frame: FakeFrame | null = win.webContents.mainFrame) {
  const handler = ipcMain.handlers.get(`margin:${method}`);
  if (!handler) throw new Error(`no handler for ${method}`);
  return handler({ sender, senderFrame: frame }, args) as Promise<Envelope<unknown>>;
}

function expectNoHandlerCalled() {
  for (const m of API_METHODS) expect(handlers[m], m).not.toHaveBeenCalled();
}

describe('registerIpc', () => {
  it('registers exactly one handler per API method on its channel, and nothing else', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual(API_METHODS.map(channelOf).sort());
  });

  it('removes every handler when unregistered', () => {
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
    unregister = () => undefined;
  });
});

describe('the sender check', () => {
  it('rejects a frame showing another URL', async () => {
    win.webContents.mainFrame.url = 'https://evil.example/';
    const reply = await invoke('listDocuments', {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expectNoHandlerCalled();
  });

  it('rejects another file next to our page, another app:// host, and the built page opened as a file', async () => {
    for (const url of ['app://margin/evil.html', 'app://evil/index.html', 'file:///opt/Margin/out/renderer/index.html']) {
      win.webContents.mainFrame.url = url;
      expect(await invoke('getSession', {}), url).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
    expectNoHandlerCalled();
  });

  it('accepts our page at app://margin, with a query or hash', async () => {
    win.webContents.mainFrame.url = `${APP_PAGE_URL}?doc=3#p-2`;
    expect(await invoke('getSession', {})).toMatchObject({ ok: true });
  });

  it('rejects a subframe, even one showing our page', async () => {
    const reply = await invoke('listDocuments', {}, win.webContents, win.webContents.subframe(win.webContents.mainFrame.url));
    expect(reply).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expectNoHandlerCalled();
  });

  it('rejects another webContents and a missing frame', async () => {
    const other = new FakeWebContents();
    other.mainFrame.url = win.webContents.mainFrame.url;
    expect(await invoke('getSession', {}, other, other.mainFrame)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await invoke('getSession', {}, win.webContents, null)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expectNoHandlerCalled();
  });

  it('rejects everything once the window is gone', async () => {
    win.destroyed = true;
    expect(await invoke('getSession', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expectNoHandlerCalled();
  });

  it('logs a refusal', async () => {
    unregister();
    const log = vi.fn();
    unregister = registerIpc(ipcMain as unknown as IpcMain, { getHandlers: () => handlers, getWindow: () => null, isAppUrl, log });
    await invoke('getSession', {});
    expect(log).toHaveBeenCalledWith(expect.stringContaining('refused getSession'));
  });
});

describe('calls from our own page', () => {
  it('bad arguments come back as a validation error and never reach the handler', async () => {
    const reply = await invoke('getDocument', { docId: 42, extra: true });
    expect(reply).toMatchObject({ ok: false, error: { code: 'validation' } });
    expectNoHandlerCalled();
  });

  it('valid arguments reach the handler and its result comes back', async () => {
    const reply = await invoke('setAnnotator', { name: 'ana' });
    // The caller is the window the call came from: its annotator name is its own.
    expect(handlers.setAnnotator).toHaveBeenCalledExactlyOnceWith({ name: 'ana' }, { windowId: `ipc:${win.webContents.id}` });
    expect(reply).toEqual({ ok: true, value: { method: 'setAnnotator', args: { name: 'ana' } } });
  });

  it('reaches the handlers current at call time (the menu can switch project)', async () => {
    const before = handlers;
    handlers = spyHandlers();
    await invoke('listDocuments', {});
    expect(handlers.listDocuments).toHaveBeenCalled();
    expect(before.listDocuments).not.toHaveBeenCalled();
  });

  it('works end to end with a real Workspace', async () => {
    const userData = await mkdtemp(path.join(os.tmpdir(), 'margin-ipc-'));
    const workspace = await Workspace.open({ userData, projectDir: path.join(userData, 'Default Project'), mode: 'electron' });
    try {
      handlers = workspace.handlers;
      const session = await invoke('getSession', {});
      expect(session).toMatchObject({ ok: true, value: { mode: 'electron', project: { dir: path.join(userData, 'Default Project') } } });
      expect(await invoke('getDocument', { docId: 'nope' })).toMatchObject({ ok: false });
    } finally {
      await workspace.close();
      await rm(userData, { recursive: true, force: true });
    }
  });
});

describe('the annotator is per window', () => {
  it("a desktop window's name is its own: tags made through IPC carry it, not the name another window set since", async () => {
    const userData = await mkdtemp(path.join(os.tmpdir(), 'margin-ipc-'));
    const workspace = await Workspace.open({ userData, projectDir: path.join(userData, 'Default Project'), mode: 'electron' });
    try {
      handlers = workspace.handlers;
      const text = 'Ana wrote this line. Ben wrote that one.';
      const imported = await invoke('importText', { text, title: 'Two writers' });
      const docId = (imported as { ok: true; value: { imported: { docId: string }[] } }).value.imported[0]!.docId;
      expect(await invoke('setAnnotator', { name: 'Ana' })).toMatchObject({ ok: true, value: { annotator: 'Ana' } });
      // Another window sets another name afterwards.
      await workspace.handlers.setAnnotator({ name: 'Ben' }, { windowId: 'ipc:999' });
      expect(await invoke('getSession', {})).toMatchObject({ ok: true, value: { annotator: 'Ana' } });
      const tag = await invoke('createAnnotation', { docId, label: 'claim', start: 0, end: 20 });
      expect(tag).toMatchObject({ ok: true, value: { annotator: 'Ana' } });
      // A window seen for the first time starts from the last name set.
      expect((await workspace.handlers.getSession({}, { windowId: 'ipc:1000' })).annotator).toBe('Ben');
    } finally {
      await workspace.close();
      await rm(userData, { recursive: true, force: true });
    }
  });
});

describe('sendAppEvent', () => {
  it('sends the event on the event channel', () => {
    expect(sendAppEvent(win as unknown as BrowserWindow, { type: 'project-changed' })).toBe(true);
    expect(win.webContents.sent).toEqual([{ channel: EVENT_CHANNEL, payload: { type: 'project-changed' } }]);
  });

  it('does nothing without a live window', () => {
    expect(sendAppEvent(null, { type: 'project-changed' })).toBe(false);
    win.destroyed = true;
    expect(sendAppEvent(win as unknown as BrowserWindow, { type: 'project-changed' })).toBe(false);
    expect(win.webContents.sent).toEqual([]);
  });
});
