/**
 * A hand-written stand-in for the 'electron' module: the real one cannot be loaded outside an
 * Electron process (and from plain Node it tries to download its binary). Every fake records
 * what the code under test did to it. Use with:
 *   vi.mock('electron', () => import('./fakeElectron').then((m) => m.electronModule));
 */
import { pathToFileURL } from 'node:url';
import { vi } from 'vitest';

type Listener = (...args: never[]) => unknown;

export class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();

  on(name: string, listener: Listener): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return this;
  }

  once(name: string, listener: Listener): this {
    const wrapper = ((...args: never[]) => {
      this.removeListener(name, wrapper);
      return listener(...args);
    }) as Listener;
    return this.on(name, wrapper);
  }

  removeListener(name: string, listener: Listener): this {
    this.listeners.set(
      name,
      (this.listeners.get(name) ?? []).filter((l) => l !== listener),
    );
    return this;
  }

  count(name: string): number {
    return this.listeners.get(name)?.length ?? 0;
  }

  emit(name: string, ...args: unknown[]): void {
    for (const listener of [...(this.listeners.get(name) ?? [])]) (listener as (...a: unknown[]) => unknown)(...args);
  }
}

let nextId = 1;

export class FakeFrame {
  constructor(
    public url: string,
    readonly processId: number,
    readonly routingId: number,
    readonly parent: FakeFrame | null = null,
  ) {}
}

export class FakeWebContents extends FakeEmitter {
  readonly id = nextId++;
  readonly mainFrame = new FakeFrame('about:blank', 100 + this.id, 1);
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;

  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  /** A subframe of this page, for tests of the IPC sender check. */
  subframe(url: string): FakeFrame {
    return new FakeFrame(url, this.mainFrame.processId, 99, this.mainFrame);
  }
}

export class FakeBrowserWindow extends FakeEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  shown = false;
  focused = false;
  destroyed = false;
  loaded: { file?: string; url?: string } = {};
  backgroundColor: string | null = null;

  constructor(readonly options: Record<string, unknown> & { webPreferences?: Record<string, unknown> }) {
    super();
    FakeBrowserWindow.instances.push(this);
    // As in Electron: every new webContents is announced on the app.
    app.emit('web-contents-created', {}, this.webContents);
  }

  loadFile(file: string): Promise<void> {
    this.loaded = { file };
    this.webContents.mainFrame.url = pathToFileURL(file).href;
    return Promise.resolve();
  }

  loadURL(url: string): Promise<void> {
    this.loaded = { url };
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }

  show(): void {
    this.shown = true;
  }
  setBackgroundColor(color: string): void {
    this.backgroundColor = color;
  }
  focus(): void {
    this.focused = true;
  }
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('closed');
  }
}

type Handler = (event: unknown, args: unknown) => unknown;

class FakeIpcMain {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, handler: Handler): void {
    // Electron throws on a second handler for one channel; so does the fake.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

class FakeIpcRenderer extends FakeEmitter {
  readonly invoke = vi.fn((channel: string, args: unknown) => Promise.resolve({ ok: true, value: { channel, args } }));
}

class FakeSession {
  permissionRequestHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void) | null = null;
  permissionCheckHandler: ((contents: unknown, permission: string, origin: string, details: unknown) => boolean) | null = null;
  setPermissionRequestHandler(handler: FakeSession['permissionRequestHandler']): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheckHandler']): void {
    this.permissionCheckHandler = handler;
  }
}

class FakeApp extends FakeEmitter {
  isPackaged = false;
  singleInstance = true;
  readonly paths = new Map<string, string>();
  readonly setName = vi.fn();
  readonly enableSandbox = vi.fn();
  readonly quit = vi.fn();
  readonly exit = vi.fn();
  readonly requestSingleInstanceLock = vi.fn(() => this.singleInstance);
  setPath = vi.fn((name: string, value: string) => {
    this.paths.set(name, value);
  });
  getPath(name: string): string {
    const value = this.paths.get(name);
    if (!value) throw new Error(`fake app has no path ${name}`);
    return value;
  }
  getVersion(): string {
    return '9.8.7';
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
}

export const app = new FakeApp();
export const ipcMain = new FakeIpcMain();
export const ipcRenderer = new FakeIpcRenderer();
export const session = { defaultSession: new FakeSession() };
export const contextBridge = { exposeInMainWorld: vi.fn((_key: string, _api: unknown) => undefined) };

export const dialog = {
  /** Results the next showOpenDialog calls resolve with, in order. */
  openResults: [] as { canceled: boolean; filePaths: string[] }[],
  showOpenDialog: vi.fn((...args: unknown[]) => {
    void args;
    return Promise.resolve(dialog.openResults.shift() ?? { canceled: true, filePaths: [] });
  }),
  showMessageBox: vi.fn((...args: unknown[]) => {
    void args;
    return Promise.resolve({ response: 0, checkboxChecked: false });
  }),
  showErrorBox: vi.fn((_title: string, _content: string) => undefined),
};

export const Menu = {
  applied: null as { template: unknown[] } | null,
  buildFromTemplate: vi.fn((template: unknown[]) => ({ template })),
  setApplicationMenu: vi.fn((menu: { template: unknown[] } | null) => {
    Menu.applied = menu;
  }),
};

export const BrowserWindow = FakeBrowserWindow;

/** The OS appearance: a test flips shouldUseDarkColors and emits 'updated', as Electron does. */
class FakeNativeTheme extends FakeEmitter {
  themeSource: 'system' | 'light' | 'dark' = 'system';
  shouldUseDarkColors = false;
}
export const nativeTheme = new FakeNativeTheme();

export const electronModule = { app, ipcMain, ipcRenderer, session, contextBridge, dialog, Menu, BrowserWindow, nativeTheme };

/** The options object of a dialog call, whichever overload (with or without a window) was used. */
export function dialogOptions(call: unknown[]): Record<string, unknown> {
  return call[call.length - 1] as Record<string, unknown>;
}
