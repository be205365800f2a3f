import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { App, Session, WebContents } from 'electron';
import { app, FakeBrowserWindow, FakeWebContents, session } from './fakeElectron';

vi.mock('electron', () => import('./fakeElectron').then((m) => m.electronModule));

const { appPageMatcher, denyAllPermissions, devServerUrl, hardenWebContents, installSecurity } = await import('../../electron/security');
const { createMainWindow } = await import('../../electron/window');
const { APP_PAGE_URL } = await import('../../electron/protocol');

const ownUrl = APP_PAGE_URL;
const page = { kind: 'app', url: APP_PAGE_URL } as const;
const isAppUrl = appPageMatcher(page);

function navigation(url: string, extra: Record<string, unknown> = {}) {
  return { url, preventDefault: vi.fn(), ...extra };
}

beforeEach(() => {
  FakeBrowserWindow.instances = [];
  app.listeners.clear();
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the main window', () => {
  it('is created sandboxed, isolated, without Node, with the bundled CommonJS preload', () => {
    const preload = path.resolve('/opt/Margin/out/preload/preload.cjs');
    createMainWindow({ preload, page });
    const [win] = FakeBrowserWindow.instances;
    const prefs = win?.options.webPreferences;
    // Auxclick off: a middle click cannot even ask for a new window.
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, disableBlinkFeatures: 'Auxclick' });
    expect(String(prefs?.preload)).toMatch(/preload\.cjs$/);
    expect(win?.options.title).toBe('Margin');
    expect(win?.loaded).toEqual({ url: 'app://margin/index.html' });
  });

  it('stays hidden until its page is ready to show', () => {
    createMainWindow({ preload: '/p/preload.cjs', page });
    const win = FakeBrowserWindow.instances[0]!;
    expect(win.shown).toBe(false);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });
});

describe('hardenWebContents', () => {
  const harden = () => {
    const contents = new FakeWebContents();
    hardenWebContents(contents as unknown as WebContents, isAppUrl, () => undefined);
    return contents;
  };

  it('prevents navigation and redirects to any other URL', () => {
    const contents = harden();
    const foreign = [
      'https://evil.example/',
      'file:///etc/passwd',
      // The built page itself as a file: Margin's page lives at app://margin only.
      'file:///opt/Margin/out/renderer/index.html',
      'app://margin/other.html',
      'app://margin/assets/index.js',
      'app://evil/index.html',
      'app://margin.evil.example/index.html',
      'apps://margin/index.html',
      'http://margin/index.html',
    ];
    for (const url of foreign) {
      const nav = navigation(url);
      contents.emit('will-navigate', nav);
      expect(nav.preventDefault, url).toHaveBeenCalled();
      const redirect = navigation(url);
      contents.emit('will-redirect', redirect);
      expect(redirect.preventDefault, url).toHaveBeenCalled();
      const sub = navigation(url, { isMainFrame: false });
      contents.emit('will-frame-navigate', sub);
      expect(sub.preventDefault, url).toHaveBeenCalled();
    }
  });

  it('lets the app reload its own page (query and hash may differ)', () => {
    const contents = harden();
    const nav = navigation(`${ownUrl}?x=1#doc-3`);
    contents.emit('will-navigate', nav);
    expect(nav.preventDefault).not.toHaveBeenCalled();
  });

  it('denies every window.open', () => {
    const contents = harden();
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: ownUrl })).toEqual({ action: 'deny' });
  });

  it('refuses <webview>', () => {
    const contents = harden();
    const event = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('is applied to every webContents once installed on the app', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    installSecurity(app as unknown as App, session.defaultSession as unknown as Session, isAppUrl);
    const contents = new FakeWebContents();
    app.emit('web-contents-created', {}, contents);
    const nav = navigation('https://evil.example/');
    contents.emit('will-navigate', nav);
    expect(nav.preventDefault).toHaveBeenCalled();
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });
});

describe('permissions', () => {
  it('every permission request is denied and every check fails', () => {
    denyAllPermissions(session.defaultSession as unknown as Session);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      session.defaultSession.permissionRequestHandler?.({}, permission, callback, {});
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
      expect(session.defaultSession.permissionCheckHandler?.({}, permission, 'file://', {})).toBe(false);
    }
  });
});

describe('page URLs', () => {
  it('the dev-server origin is ours, other origins are not', () => {
    const dev = appPageMatcher({ kind: 'url', url: 'http://localhost:5173/' });
    expect(dev('http://localhost:5173/src/main.tsx')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(dev('https://localhost:5173/')).toBe(false);
    expect(dev('not a url')).toBe(false);
  });

  it('ELECTRON_RENDERER_URL is ignored when packaged or not on loopback', () => {
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, false)).toBe('http://localhost:5173');
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, true)).toBeNull();
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'https://evil.example' }, false)).toBeNull();
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'file:///tmp/x.html' }, false)).toBeNull();
    expect(devServerUrl({}, false)).toBeNull();
  });
});
