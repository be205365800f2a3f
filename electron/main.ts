import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, type BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, session, shell } from 'electron';
import { registerIpc, sendAppEvent } from './ipc';
import { buildMenuTemplate, createMenuActions } from './menu';
import { APP_PAGE_URL, registerAppProtocol, registerAppScheme } from './protocol';
import { type AppPage, appPageMatcher, devServerUrl, installSecurity } from './security';
import { defaultProjectDir, userDataDir } from './services/store/paths';
import { userMessage } from './services/errors';
import { Settings } from './services/store/settings';
import { Workspace } from './services/workspace';
import { followSystemTheme } from './theme';
import { createMainWindow } from './window';
import { openOrTakeOver } from './lockPrompt';

// Bundled to out/main/main.js: the preload and the page are built next to it, packaged or not.
const here = path.dirname(fileURLToPath(import.meta.url));
const preload = path.join(here, '../preload/preload.cjs');
const devUrl = devServerUrl(process.env, app.isPackaged);
const rendererDir = path.join(here, '../renderer');
const page: AppPage = devUrl ? { kind: 'url', url: devUrl } : { kind: 'app', url: APP_PAGE_URL };
const isAppUrl = appPageMatcher(page);

app.setName('Margin');
// Same folder as browser mode and the CLI, so they share settings and the default project;
// set before the single-instance lock, which is keyed on it.
app.setPath('userData', userDataDir());
app.enableSandbox();
// The page's own scheme must be privileged before the app is ready; it is served once ready.
registerAppScheme(protocol);
// Packaged, the sample articles travel as extra resources beside the app, not in the repo layout.
if (app.isPackaged) process.env.MARGIN_SAMPLES_DIR ??= path.join(process.resourcesPath, 'samples');

let win: BrowserWindow | null = null;
let workspace: Workspace | null = null;
let closing: Promise<void> | null = null;
let released = false;

followSystemTheme(nativeTheme, () => win);


function currentWorkspace(): Workspace {
  if (!workspace) throw new Error('No project is open.');
  return workspace;
}

/**
 * The last project if it still opens, else the default project (after telling the user why).
 * A project another Margin holds is opened only if the user chooses to take it over; null
 * when they decline even for the default project.
 */
async function openWorkspace(): Promise<Workspace | null> {
  const userData = app.getPath('userData');
  const openAt = (projectDir: string) =>
    openOrTakeOver({ dialog, window: null }, (takeOverLock) => Workspace.open({ userData, projectDir, mode: 'electron', takeOverLock }));
  const fallback = defaultProjectDir(userData);
  const last = await Settings.open(userData).then(
    (s) => s.value.lastProject,
    () => null, // Workspace.open below reports an unreadable settings file.
  );
  if (last && path.resolve(last) !== path.resolve(fallback)) {
    try {
      const opened = await openAt(last);
      if (opened) return opened;
    } catch (error) {
      await dialog.showMessageBox({
        type: 'error',
        title: 'Margin',
        message: `Could not open the last project, ${last}`,
        detail: `${userMessage(error, 'open it')}\n\nMargin opens the default project instead.`,
      });
    }
  }
  return openAt(fallback);
}

function showWindow(): void {
  if (win && !win.isDestroyed()) {
    if (win.isMinimized()) win.restore();
    win.focus();
    return;
  }
  win = createMainWindow({ preload, page, stateDir: app.getPath('userData') });
  win.on('closed', () => {
    win = null;
  });
}

async function start(): Promise<void> {
  await app.whenReady();
  installSecurity(app, session.defaultSession, isAppUrl);
  registerAppProtocol(protocol, rendererDir);
  try {
    const opened = await openWorkspace();
    if (!opened) {
      // The user would not take over the project another Margin holds: nothing to show.
      app.quit();
      return;
    }
    workspace = opened;
    workspace.reveal = (target) => shell.showItemInFolder(target);
    // Whoever started Margin from a terminal (npm start) sees which folder holds the work.
    console.log(`Margin: project folder ${workspace.projectDir}`);
  } catch (error) {
    dialog.showErrorBox('Margin could not start', userMessage(error, 'start'));
    app.exit(1);
    return;
  }
  registerIpc(ipcMain, { getHandlers: () => currentWorkspace().handlers, getWindow: () => win, isAppUrl });
  const actions = createMenuActions({
    dialog,
    getWindow: () => win,
    getWorkspace: currentWorkspace,
    send: (event) => sendAppEvent(win, event),
    version: app.getVersion(),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(actions, { isPackaged: app.isPackaged, platform: process.platform })));
  showWindow();
}

if (!app.requestSingleInstanceLock()) {
  // Another Margin owns this user's data and project lock: it focuses its window instead.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (workspace) showWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (workspace && !win) showWindow();
  });
  // Release the project lock before exiting; will-quit comes after every window has closed,
  // so no call from the page can arrive any more.
  app.on('will-quit', (event) => {
    if (released || !workspace) return;
    event.preventDefault();
    // A second quit while the project is closing must wait for it too.
    closing ??= workspace
      .close()
      .catch((error: unknown) => console.error('[margin] could not close the project cleanly:', error))
      .finally(() => {
        released = true;
        app.quit();
      });
  });
  start().catch((error: unknown) => {
    console.error('[margin] startup failed:', error);
    dialog.showErrorBox('Margin could not start', userMessage(error, 'start'));
    app.exit(1);
  });
}
