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

  /** Where the window is when not maximised: from the options, then as the user moves it. */
  private normalBounds: Rectangle | null = null;
  private maximized = false;
  setBounds(bounds: Rectangle): void {
    this.normalBounds = bounds;
  }
  getNormalBounds(): Rectangle {
    const o = this.options as Partial<Rectangle>;
    return this.normalBounds ?? { x: o.x ?? 0, y: o.y ?? 0, width: o.width ?? 800, height: o.height ?? 600 };
  }
  maximize(): void {
    this.maximized = true;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
}

interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The displays' work areas; the first is the primary one. A test plugs and unplugs monitors. */
export const screen = {
  displays: [{ x: 0, y: 0, width: 1920, height: 1080 }] as Rectangle[],
  getAllDisplays: () => screen.displays.map((workArea, id) => ({ id, workArea, bounds: workArea })),
  getPrimaryDisplay: () => ({ id: 0, workArea: screen.displays[0]!, bounds: screen.displays[0]! }),
};

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
  /** Set once whenReady has been asked: the fake protocol holds main.ts to Electron's ordering rules. */
  ready = false;
  whenReady(): Promise<void> {
    this.ready = true;
    return Promise.resolve();
  }
}

export const app = new FakeApp();

type ProtocolHandler = (request: Request) => Response | Promise<Response>;

/** protocol: the privileged schemes and the handlers, which a test calls with a real Request. */
class FakeProtocol {
  readonly privileged: { scheme: string; privileges?: Record<string, boolean> }[] = [];
  readonly handlers = new Map<string, ProtocolHandler>();
  // As in Electron: schemes are privileged before the app is ready, handlers installed after.
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: Record<string, boolean> }[]): void {
    if (app.ready) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: ProtocolHandler): void {
    if (!app.ready) throw new Error('protocol.handle may only be called after app is ready');
    if (this.handlers.has(scheme)) throw new Error(`The scheme "${scheme}" is already handled`);
    this.handlers.set(scheme, handler);
  }
}
export const protocol = new FakeProtocol();
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

export const electronModule = { app, ipcMain, ipcRenderer, session, contextBridge, dialog, Menu, BrowserWindow, nativeTheme, screen, protocol };

/** The options object of a dialog call, whichever overload (with or without a window) was used. */
export function dialogOptions(call: unknown[]): Record<string, unknown> {
  return call[call.length - 1] as Record<string, unknown>;
}
