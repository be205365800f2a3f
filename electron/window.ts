import { BrowserWindow, nativeTheme, screen } from 'electron';
import type { AppPage } from './security';
import { windowBackground } from './theme';
import { placeWindow, readWindowState, writeWindowState } from './windowPlacement';

export interface MainWindowOptions {
  /** Absolute path of the bundled preload (out/preload/preload.cjs). */
  preload: string;
  page: AppPage;
  /** Where the window's size and place are remembered between runs (the user's app-data folder); none, none remembered. */
  stateDir?: string;
}

const DEFAULT_SIZE = { width: 1280, height: 860 };

/**
 * The one window. Its webPreferences are Electron's security checklist; never weaken them: the
 * window shows untrusted article text, and the preload's typed API is all it may reach.
 */
export function createMainWindow({ preload, page, stateDir }: MainWindowOptions): BrowserWindow {
  // Back where the user left it, on a screen that is still there (windowPlacement.ts).
  const placement = placeWindow(
    stateDir ? readWindowState(stateDir) : null,
    [screen.getPrimaryDisplay(), ...screen.getAllDisplays()].map((d) => d.workArea),
    DEFAULT_SIZE,
  );
  const win = new BrowserWindow({
    title: 'Margin',
    ...placement.bounds,
    minWidth: 720,
    minHeight: 480,
    // Shown once painted, so the user never sees an empty white frame.
    show: false,
    backgroundColor: windowBackground(nativeTheme),
    webPreferences: {
      // electronegativity-allow PRELOAD_JS_CHECK: reviewed; the sandboxed preload exposes only window.margin, one typed function per API method, never ipcRenderer (test/electron/preload.test.ts)
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // A middle click on a link would otherwise try to open it in a new window (denied, but never asked).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win.show());
  // app://margin/index.html (protocol.ts) or, unpackaged in dev, the dev server.
  win.loadURL(page.url).catch((error: unknown) => console.error('[margin] could not load the window page:', error));
  if (placement.maximized) win.maximize();
  // The size and place it returns to when not maximised, saved as it closes.
  if (stateDir) win.on('close', () => writeWindowState(stateDir, { bounds: win.getNormalBounds(), maximized: win.isMaximized() }));
  return win;
}
