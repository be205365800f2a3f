import { access } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserWindow, Dialog, MenuItemConstructorOptions, OpenDialogOptions } from 'electron';
import type { AppEvent } from '../shared/api';
import { openOrTakeOver } from './lockPrompt';
import { ACTIONS, type ActionId, accelerator, displayKey } from '../shared/shortcuts';
import { articleExtensions, type ImportProgress, summarizeReport } from './services/intake/importer';
import { userMessage } from './services/errors';
import { PROJECT_FILE } from './services/store/projectStore';
import type { Workspace } from './services/workspace';

/** What the menu items do. Each action reports its own failures, so a click never rejects. */
export interface MenuActions {
  newProject(): Promise<void>;
  openProject(): Promise<void>;
  importArticles(): Promise<void>;
  importFolder(): Promise<void>;
  /** A command of the reading view (shared/shortcuts ACTIONS): the window carries it out. */
  command(id: ActionId): void;
  about(): Promise<void>;
}

export interface MenuOptions {
  /** Developer tools appear only in an unpackaged (development) build. */
  isPackaged: boolean;
  platform: NodeJS.Platform;
}

export interface MenuDeps {
  dialog: Pick<Dialog, 'showOpenDialog' | 'showMessageBox'>;
  getWindow: () => BrowserWindow | null;
  getWorkspace: () => Pick<Workspace, 'switchProject' | 'importPathsWithProgress'>;
  send: (event: AppEvent) => void;
  version: string;
  log?: (message: string) => void;
}

/** The window hears about an import's progress at most this often (plus the last word). */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * Passes progress on at most every `intervalMs`: the first at once, later ones when the interval
 * has passed (the latest wins; a timer sends it if nothing newer comes), and flush() sends the
 * one still waiting, so the last progress always arrives.
 */
export function throttleProgress(send: (progress: ImportProgress) => void, intervalMs = PROGRESS_INTERVAL_MS, now: () => number = Date.now) {
  let last = -Infinity;
  let pending: ImportProgress | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const emit = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!pending) return;
    const progress = pending;
    pending = null;
    last = now();
    send(progress);
  };
  return {
    push(progress: ImportProgress): void {
      pending = progress;
      const wait = last + intervalMs - now();
      if (wait <= 0) emit();
      else timer ??= setTimeout(emit, wait);
    },
    flush: emit,
  };
}

async function isProject(dir: string): Promise<boolean> {
  return access(path.join(dir, PROJECT_FILE)).then(
    () => true,
    () => false,
  );
}

export function createMenuActions(deps: MenuDeps): MenuActions {
  const log = deps.log ?? console.log;

  // Dialogs are parented to the window when there is one, so they stay on top of it.
  const chooseOpen = async (options: OpenDialogOptions): Promise<string[]> => {
    const win = deps.getWindow();
    const result = win ? await deps.dialog.showOpenDialog(win, options) : await deps.dialog.showOpenDialog(options);
    return result.canceled ? [] : result.filePaths;
  };

  const showError = async (message: string, detail: string): Promise<void> => {
    const options = { type: 'error' as const, title: 'Margin', message, detail };
    const win = deps.getWindow();
    await (win ? deps.dialog.showMessageBox(win, options) : deps.dialog.showMessageBox(options));
  };

  /** Opens dir as the current project; `check` may refuse it first with a reason. */
  const switchTo = async (dir: string, check: (dir: string) => Promise<string | null>): Promise<void> => {
    try {
      const refusal = await check(dir);
      if (refusal) return await showError(`Could not open ${dir}`, refusal);
      const switched = await openOrTakeOver({ dialog: deps.dialog, window: deps.getWindow() }, (takeOverLock) =>
        deps.getWorkspace().switchProject(dir, { takeOverLock }).then(() => true),
      );
      if (switched) deps.send({ type: 'project-changed' });
    } catch (error) {
      await showError(`Could not open ${dir} as a Margin project`, userMessage(error, 'open the project'));
    }
  };

  /** The import job: progress events while it runs (throttled), then the report; cancelImport stops it. */
  const runImport = async (paths: string[]): Promise<void> => {
    const progress = throttleProgress((p) => deps.send({ type: 'import-progress', ...p }));
    try {
      const report = await deps.getWorkspace().importPathsWithProgress(paths, progress.push);
      progress.flush();
      log(`[margin] ${summarizeReport(report)}`);
      // The window shows the report (including per-file failures) itself.
      deps.send({ type: 'imported', report });
    } catch (error) {
      progress.flush();
      await showError('The articles could not be imported', userMessage(error, 'import the articles'));
    }
  };

  return {
    async newProject() {
      const [dir] = await chooseOpen({
        title: 'New Project: choose or create an empty folder',
        buttonLabel: 'Create Project',
        properties: ['openDirectory', 'createDirectory'],
      });
      if (!dir) return;
      // Opening an existing project from "New" would surprise; the services refuse non-empty folders.
      await switchTo(dir, async (d) => ((await isProject(d)) ? `${d} already holds a Margin project. Use File → Open Project… to open it.` : null));
    },

    async openProject() {
      const [dir] = await chooseOpen({ title: 'Open Project', buttonLabel: 'Open Project', properties: ['openDirectory'] });
      if (!dir) return;
      // Without this check an empty folder would silently become a new project.
      await switchTo(dir, async (d) => ((await isProject(d)) ? null : `${d} is not a Margin project (it has no ${PROJECT_FILE}).`));
    },

    async importArticles() {
      const files = await chooseOpen({
        title: 'Import Articles',
        buttonLabel: 'Import',
        properties: ['openFile', 'multiSelections'],
        filters: [
          { name: 'Articles', extensions: articleExtensions() },
          { name: 'All files', extensions: ['*'] },
        ],
      });
      if (files.length === 0) return;
      await runImport(files);
    },

    async importFolder() {
      const folders = await chooseOpen({ title: 'Import Folder', buttonLabel: 'Import Folder', properties: ['openDirectory', 'multiSelections'] });
      if (folders.length === 0) return;
      await runImport(folders);
    },

    // The window keeps the undo stack, the selection and the rest of the reading view's state,
    // so every command of the reading view is sent to it.
    command: (id) => deps.send({ type: 'command', command: id }),

    async about() {
      const win = deps.getWindow();
      const options = {
        type: 'info' as const,
        title: 'About Margin',
        message: `Margin ${deps.version}`,
        detail: `Tag claims, quotes and events in the news you read.\nElectron ${process.versions.electron ?? '?'} · Chromium ${process.versions.chrome ?? '?'} · Node ${process.versions.node}`,
      };
      await (win ? deps.dialog.showMessageBox(win, options) : deps.dialog.showMessageBox(options));
    },
  };
}

/**
 * Whether the system may act on `combo` as a menu accelerator. Only combos with Ctrl/Cmd: a
 * single letter, `?`, Delete, Escape or Alt+arrow registered with the system would fire while
 * the user types in a text field (a note, an attribute, the find bar). The menu still shows
 * those keys, and the window's own keydown handler carries them out.
 */
export function isSystemAccelerator(combo: string): boolean {
  return combo.split('+').includes('Mod');
}

type Action = (typeof ACTIONS)[number];

/** A click handler that reports a failure instead of throwing into Electron's menu code. */
const run = (action: () => unknown) => () => {
  const report = (error: unknown) => console.error('[margin] menu action failed:', error);
  try {
    Promise.resolve(action()).catch(report);
  } catch (error) {
    report(error);
  }
};

/** A menu item for a reading-view command: the first of its keys as accelerator, a click sends it to the window. */
function actionItem(action: Action, actions: MenuActions, platform: NodeJS.Platform): MenuItemConstructorOptions {
  const item: MenuItemConstructorOptions = { id: action.id, label: action.title, click: run(() => actions.command(action.id)) };
  const key = action.keys[0] as string | undefined;
  if (!key) return item;
  if (isSystemAccelerator(key)) return { ...item, accelerator: accelerator(key) };
  // macOS ignores registerAccelerator: false (electron/electron#18295), so there the key is only
  // named in the label, never made an accelerator.
  if (platform === 'darwin') return { ...item, label: `${action.title} (${displayKey(key, true)})` };
  return { ...item, accelerator: accelerator(key), registerAccelerator: false };
}

/** Commands a menu draws a line above, to keep related commands together. */
const SEPARATE_BEFORE: ReadonlySet<string> = new Set(['find', 'next-annotation', 'start-left', 'edit-schema', 'toggle-done']);

function actionItems(list: readonly Action[], actions: MenuActions, platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  return list.flatMap((action, i) => [
    ...(i > 0 && SEPARATE_BEFORE.has(action.id) ? [{ type: 'separator' } as MenuItemConstructorOptions] : []),
    actionItem(action, actions, platform),
  ]);
}

/** Pure: the template for Menu.buildFromTemplate, so tests can walk it and click its items. */
export function buildMenuTemplate(actions: MenuActions, options: MenuOptions): MenuItemConstructorOptions[] {
  const separator: MenuItemConstructorOptions = { type: 'separator' };
  const inMenu = (menu: string | null) => ACTIONS.filter((a) => a.menu === menu);
  const items = (list: readonly Action[]) => actionItems(list, actions, options.platform);
  const isUndoRedo = (a: Action) => a.id === 'undo' || a.id === 'redo';
  const undoRedo = inMenu('Edit').filter(isUndoRedo);
  const editRest = inMenu('Edit').filter((a) => !isUndoRedo(a));
  // Every action has a menu entry; those the action list files under no menu go to Edit.
  const unfiled = inMenu(null);
  const known = new Set<string | null>(['File', 'Edit', 'Annotate', 'Go', 'Help', null]);
  const otherMenus = [...new Set(ACTIONS.map((a) => a.menu))].filter((m): m is NonNullable<typeof m> => !known.has(m));
  return [
    ...(options.platform === 'darwin' ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    {
      label: '&File',
      submenu: [
        { label: 'New Project…', click: run(actions.newProject) },
        { label: 'Open Project…', click: run(actions.openProject) },
        { label: 'Import Articles…', accelerator: 'CmdOrCtrl+O', click: run(actions.importArticles) },
        { label: 'Import Folder…', click: run(actions.importFolder) },
        ...items(inMenu('File')),
        separator,
        { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        ...items(undoRedo),
        separator,
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
        separator,
        ...items([...editRest, ...unfiled]),
      ],
    },
    {
      label: '&View',
      submenu: [
        { role: 'reload' },
        ...(options.isPackaged ? [] : [{ role: 'toggleDevTools' } as MenuItemConstructorOptions]),
        separator,
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        separator,
        { role: 'togglefullscreen' },
      ],
    },
    { label: '&Annotate', submenu: items(inMenu('Annotate')) },
    { label: '&Go', submenu: items(inMenu('Go')) },
    ...otherMenus.map((menu) => ({ label: menu, submenu: items(inMenu(menu)) })),
    {
      role: 'help',
      label: '&Help',
      submenu: [...items(inMenu('Help')), separator, { label: 'About Margin', click: run(actions.about) }],
    },
  ];
}
