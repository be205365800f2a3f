import { BrowserWindow, nativeTheme } from 'electron';
import type { AppPage } from './security';
import { windowBackground } from './theme';

export interface MainWindowOptions {
  /** Absolute path of the bundled preload (out/preload/preload.cjs). */
  preload: string;
  page: AppPage;
}

/**
 * The one window. Its webPreferences are Electron's security checklist; never weaken them: the
 * window shows untrusted article text, and the preload's typed API is all it may reach.
 */
export function createMainWindow({ preload, page }: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    title: 'Margin',
    width: 1280,
    height: 860,
    minWidth: 720,
    minHeight: 480,
    // Shown once painted, so the user never sees an empty white frame.
    show: false,
    backgroundColor: windowBackground(nativeTheme),
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  const loading = page.kind === 'file' ? win.loadFile(page.path) : win.loadURL(page.url);
  loading.catch((error: unknown) => console.error('[margin] could not load the window page:', error));
  return win;
}
