/**
 * The entry's wiring, run against the fake electron module: which project opens, what the
 * window gets, that the API answers, and that quitting releases the project lock.
 */
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Envelope, Session } from '../../shared/api';
import type * as FakeModule from './fakeElectron';

type Fake = typeof FakeModule;

let userData: string;
const savedEnv = { MARGIN_USER_DATA: process.env.MARGIN_USER_DATA, ELECTRON_RENDERER_URL: process.env.ELECTRON_RENDERER_URL };

function restoreEnv(): void {
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

beforeEach(async () => {
  // A fresh fake electron and a fresh main.ts for every test (main.ts starts on import).
  vi.resetModules();
  userData = await mkdtemp(path.join(os.tmpdir(), 'margin-main-'));
  process.env.MARGIN_USER_DATA = userData;
  delete process.env.ELECTRON_RENDERER_URL;
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(async () => {
  restoreEnv();
  vi.restoreAllMocks();
  await rm(userData, { recursive: true, force: true });
});

async function launch(prepare: (fake: Fake) => void = () => undefined): Promise<Fake> {
  const fake = await import('./fakeElectron');
  vi.doMock('electron', () => fake.electronModule);
  prepare(fake);
  await import('../../electron/main');
  return fake;
}

const exists = (file: string) => access(file).then(() => true, () => false);

describe('electron/main.ts', () => {
  it('falls back to the default project when the last one cannot open, and says why', async () => {
    const broken = path.join(userData, 'not a project');
    await mkdir(broken);
    await writeFile(path.join(broken, 'notes.txt'), 'x');
    await writeFile(path.join(userData, 'settings.json'), JSON.stringify({ version: 1, annotator: null, lastProject: broken }));

    const fake = await launch();
    await vi.waitFor(() => expect(fake.FakeBrowserWindow.instances).toHaveLength(1));

    expect(fake.app.setName).toHaveBeenCalledWith('Margin');
    expect(fake.app.setPath).toHaveBeenCalledWith('userData', userData);
    expect(fake.app.requestSingleInstanceLock).toHaveBeenCalled();
    const [dialogCall] = fake.dialog.showMessageBox.mock.calls;
    expect(String(fake.dialogOptions(dialogCall!).message)).toContain(broken);

    // The window: locked down, and loading the built page.
    const win = fake.FakeBrowserWindow.instances[0]!;
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(String(win.options.webPreferences?.preload)).toMatch(/preload[/\\]preload\.cjs$/);
    // ...through app://margin, privileged before the app was ready (the fake throws otherwise).
    expect(win.loaded).toEqual({ url: 'app://margin/index.html' });
    expect(fake.protocol.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    const serve = fake.protocol.handlers.get('app')!;
    const pageResponse = await serve(new Request('app://margin/index.html'));
    expect(pageResponse.status).toBe(200);
    expect(pageResponse.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await pageResponse.text()).toContain('<div id="root">');
    expect((await serve(new Request('app://margin/..%2f..%2fpackage.json'))).status).toBe(404);

    // Security installed before the window existed, so it covers the window's webContents.
    const nav = { url: 'https://evil.example/', preventDefault: vi.fn() };
    win.webContents.emit('will-navigate', nav);
    expect(nav.preventDefault).toHaveBeenCalled();
    const callback = vi.fn();
    fake.session.defaultSession.permissionRequestHandler?.({}, 'media', callback, {});
    expect(callback).toHaveBeenCalledWith(false);

    // The API answers the window's own page, from the default project.
    const getSession = fake.ipcMain.handlers.get('margin:getSession')!;
    const reply = (await getSession({ sender: win.webContents, senderFrame: win.webContents.mainFrame }, {})) as Envelope<Session>;
    expect(reply).toMatchObject({ ok: true, value: { mode: 'electron', project: { dir: path.join(userData, 'Default Project') } } });

    // The menu is installed.
    const template = fake.Menu.applied?.template as { label?: string }[];
    expect(template.map((m) => m.label)).toContain('&File');

    // Quitting waits for the project to be closed, which removes its lock file.
    const lock = path.join(userData, 'Default Project', '.margin.lock');
    expect(await exists(lock)).toBe(true);
    const quitEvent = { preventDefault: vi.fn() };
    fake.app.emit('will-quit', quitEvent);
    expect(quitEvent.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalled());
    expect(await exists(lock)).toBe(false);
    // The second will-quit (from that app.quit) lets the app go.
    const again = { preventDefault: vi.fn() };
    fake.app.emit('will-quit', again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });

  it('opens the last project when it still opens', async () => {
    const last = path.join(userData, 'Elections');
    await writeFile(path.join(userData, 'settings.json'), JSON.stringify({ version: 1, annotator: 'ana', lastProject: last }));
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const fake = await launch();
    await vi.waitFor(() => expect(fake.FakeBrowserWindow.instances).toHaveLength(1));
    expect(fake.dialog.showMessageBox).not.toHaveBeenCalled();
    // npm start runs the app from a terminal: it says there which project folder it opened.
    expect(log).toHaveBeenCalledWith(`Margin: project folder ${last}`);
    expect(await exists(path.join(last, '.margin.lock'))).toBe(true);
    fake.app.emit('will-quit', { preventDefault: () => undefined });
    await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalled());
  });

  it('follows the system appearance: the window opens in its colours and repaints when it changes', async () => {
    const fake = await launch((f) => {
      // As a user whose system is set to dark would start it; the page follows through prefers-color-scheme.
      f.nativeTheme.themeSource = 'light';
      f.nativeTheme.shouldUseDarkColors = true;
    });
    await vi.waitFor(() => expect(fake.FakeBrowserWindow.instances).toHaveLength(1));
    expect(fake.nativeTheme.themeSource).toBe('system');
    const win = fake.FakeBrowserWindow.instances[0]!;
    expect(win.options.backgroundColor).toBe('#1a1b1e');

    fake.nativeTheme.shouldUseDarkColors = false;
    fake.nativeTheme.emit('updated');
    expect(win.backgroundColor).toBe('#f7f6f2');
    fake.nativeTheme.shouldUseDarkColors = true;
    fake.nativeTheme.emit('updated');
    expect(win.backgroundColor).toBe('#1a1b1e');

    fake.app.emit('will-quit', { preventDefault: () => undefined });
    await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalled());
  });

  it('a second instance quits at once, without opening a project', async () => {
    const fake = await launch((f) => {
      f.app.singleInstance = false;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.app.quit).toHaveBeenCalled();
    expect(fake.FakeBrowserWindow.instances).toHaveLength(0);
    expect(fake.ipcMain.handlers.size).toBe(0);
    expect(await exists(path.join(userData, 'Default Project'))).toBe(false);
  });

  it('the first instance focuses its window when a second one starts', async () => {
    const fake = await launch();
    await vi.waitFor(() => expect(fake.FakeBrowserWindow.instances).toHaveLength(1));
    fake.app.emit('second-instance');
    expect(fake.FakeBrowserWindow.instances).toHaveLength(1);
    expect(fake.FakeBrowserWindow.instances[0]!.focused).toBe(true);
    fake.app.emit('will-quit', { preventDefault: () => undefined });
    await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalled());
  });
});
