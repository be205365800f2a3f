import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Dialog, MenuItemConstructorOptions } from 'electron';
import type { AppEvent, ImportReport } from '../../shared/api';
import { ACTIONS, accelerator } from '../../shared/shortcuts';
import type { Workspace as WorkspaceType } from '../../electron/services/workspace';
import { dialog, dialogOptions } from './fakeElectron';

vi.mock('electron', () => import('./fakeElectron').then((m) => m.electronModule));

const { buildMenuTemplate, createMenuActions, isSystemAccelerator } = await import('../../electron/menu');
const { Workspace } = await import('../../electron/services/workspace');

type Item = MenuItemConstructorOptions;

function submenu(template: Item[], label: string): Item[] {
  const menu = template.find((m) => m.label?.replace('&', '') === label);
  if (!menu || !Array.isArray(menu.submenu)) throw new Error(`no ${label} menu`);
  return menu.submenu;
}

function item(template: Item[], menu: string, label: string): Item {
  const found = submenu(template, menu).find((i) => i.label === label);
  if (!found) throw new Error(`no ${menu} → ${label}`);
  return found;
}

function click(entry: Item): void {
  (entry.click as () => void)();
}

let tmp: string;
let workspace: WorkspaceType;
let sent: AppEvent[];
let template: Item[];

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'margin-menu-'));
  workspace = await Workspace.open({ userData: tmp, projectDir: path.join(tmp, 'Default Project'), mode: 'electron' });
  sent = [];
  dialog.openResults = [];
  dialog.showOpenDialog.mockClear();
  dialog.showMessageBox.mockClear();
  const actions = createMenuActions({
    dialog: dialog as unknown as Dialog,
    getWindow: () => null,
    getWorkspace: () => workspace,
    send: (event) => sent.push(event),
    version: '1.2.3',
    log: () => undefined,
  });
  template = buildMenuTemplate(actions, { isPackaged: false, platform: 'linux' });
});

afterEach(async () => {
  await workspace.close();
  await rm(tmp, { recursive: true, force: true });
});

const errorDialogs = () => dialog.showMessageBox.mock.calls.map(dialogOptions).filter((o) => o.type === 'error');

describe('the menu template', () => {
  it('has File → New Project, Open Project, Import Articles (Ctrl/Cmd+O), then Quit', () => {
    const file = submenu(template, 'File');
    expect(file.map((i) => i.label ?? i.role ?? i.type)).toEqual(['New Project…', 'Open Project…', 'Import Articles…', 'separator', 'quit']);
    expect(item(template, 'File', 'Import Articles…').accelerator).toBe('CmdOrCtrl+O');
  });

  it('has Edit → Undo / Redo with their accelerators, then the clipboard roles', () => {
    expect(item(template, 'Edit', 'Undo').accelerator).toBe('CmdOrCtrl+Z');
    expect(item(template, 'Edit', 'Redo').accelerator).toBe('CmdOrCtrl+Shift+Z');
    expect(submenu(template, 'Edit').map((i) => i.role).filter(Boolean)).toEqual(['cut', 'copy', 'paste', 'selectAll']);
  });

  it('offers developer tools only when not packaged', () => {
    const roles = (t: Item[]) => submenu(t, 'View').map((i) => i.role);
    expect(roles(template)).toContain('toggleDevTools');
    const actions = createMenuActions({ dialog: dialog as unknown as Dialog, getWindow: () => null, getWorkspace: () => workspace, send: () => undefined, version: '1' });
    expect(roles(buildMenuTemplate(actions, { isPackaged: true, platform: 'linux' }))).not.toContain('toggleDevTools');
    expect(roles(template)).toEqual(expect.arrayContaining(['reload', 'zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen']));
  });

  it('puts the app menu first on macOS only', () => {
    const actions = createMenuActions({ dialog: dialog as unknown as Dialog, getWindow: () => null, getWorkspace: () => workspace, send: () => undefined, version: '1' });
    expect(buildMenuTemplate(actions, { isPackaged: true, platform: 'darwin' })[0]?.role).toBe('appMenu');
    expect(template[0]?.role).not.toBe('appMenu');
  });
});

describe('File → Import Articles…', () => {
  it('imports the chosen files and tells the window', async () => {
    const a = path.join(tmp, 'a.txt');
    const b = path.join(tmp, 'b.txt');
    await writeFile(a, 'Minister says the bridge will reopen in May.\n\nOfficials confirmed the date.');
    await writeFile(b, 'Storm closes port for two days, harbour master says.');
    dialog.openResults.push({ canceled: false, filePaths: [a, b] });
    const importPaths = vi.spyOn(workspace, 'importPaths');

    click(item(template, 'File', 'Import Articles…'));
    await vi.waitFor(() => expect(sent).toHaveLength(1));

    expect(importPaths).toHaveBeenCalledExactlyOnceWith([a, b]);
    const options = dialogOptions(dialog.showOpenDialog.mock.calls[0]!);
    expect(options.properties).toEqual(expect.arrayContaining(['openFile', 'multiSelections']));
    expect(options.filters).toEqual([
      { name: 'Text articles', extensions: ['txt', 'text'] },
      { name: 'All files', extensions: ['*'] },
    ]);
    const event = sent[0] as { type: string; report: ImportReport };
    expect(event.type).toBe('imported');
    expect(event.report.imported.map((d) => d.fileName).sort()).toEqual(['a.txt', 'b.txt']);
    expect((await workspace.handlers.listDocuments({})).length).toBe(2);
  });

  it('does nothing when the dialog is cancelled', async () => {
    const importPaths = vi.spyOn(workspace, 'importPaths');
    click(item(template, 'File', 'Import Articles…'));
    await vi.waitFor(() => expect(dialog.showOpenDialog).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 20));
    expect(importPaths).not.toHaveBeenCalled();
    expect(sent).toEqual([]);
  });

  it('shows a failure in a dialog', async () => {
    dialog.openResults.push({ canceled: false, filePaths: ['/x.txt'] });
    vi.spyOn(workspace, 'importPaths').mockRejectedValue(new Error('disk full'));
    click(item(template, 'File', 'Import Articles…'));
    await vi.waitFor(() => expect(errorDialogs()).toHaveLength(1));
    expect(errorDialogs()[0]?.detail).toBe('disk full');
    expect(sent).toEqual([]);
  });
});

describe('File → New Project… / Open Project…', () => {
  it('New Project creates a project in an empty folder and switches to it', async () => {
    const dir = path.join(tmp, 'Elections 2026');
    await mkdir(dir);
    dialog.openResults.push({ canceled: false, filePaths: [dir] });
    click(item(template, 'File', 'New Project…'));
    await vi.waitFor(() => expect(sent).toEqual([{ type: 'project-changed' }]));
    expect(workspace.projectDir).toBe(dir);
    await access(path.join(dir, 'margin.json'));
    expect(dialogOptions(dialog.showOpenDialog.mock.calls[0]!).properties).toEqual(['openDirectory', 'createDirectory']);
  });

  it('Open Project refuses a folder that is not a project, naming it', async () => {
    const dir = path.join(tmp, 'holiday photos');
    await mkdir(dir);
    await writeFile(path.join(dir, 'beach.jpg'), 'x');
    const before = workspace.projectDir;
    dialog.openResults.push({ canceled: false, filePaths: [dir] });
    click(item(template, 'File', 'Open Project…'));
    await vi.waitFor(() => expect(errorDialogs()).toHaveLength(1));
    expect(String(errorDialogs()[0]?.message)).toContain(dir);
    expect(workspace.projectDir).toBe(before);
    expect(sent).toEqual([]);
  });

  it('New Project reports a non-empty folder with the folder named', async () => {
    const dir = path.join(tmp, 'notes');
    await mkdir(dir);
    await writeFile(path.join(dir, 'todo.md'), 'x');
    dialog.openResults.push({ canceled: false, filePaths: [dir] });
    click(item(template, 'File', 'New Project…'));
    await vi.waitFor(() => expect(errorDialogs()).toHaveLength(1));
    expect(String(errorDialogs()[0]?.message)).toContain(dir);
    expect(sent).toEqual([]);
  });

  it('Open Project opens an existing project', async () => {
    const other = path.join(tmp, 'Other');
    const second = await Workspace.open({ userData: path.join(tmp, 'u2'), projectDir: other, mode: 'electron' });
    await second.close();
    dialog.openResults.push({ canceled: false, filePaths: [other] });
    click(item(template, 'File', 'Open Project…'));
    await vi.waitFor(() => expect(sent).toEqual([{ type: 'project-changed' }]));
    expect(workspace.projectDir).toBe(other);
  });
});

describe('Edit and Help', () => {
  it('Undo and Redo are sent to the window, which keeps the undo stack', () => {
    click(item(template, 'Edit', 'Undo'));
    click(item(template, 'Edit', 'Redo'));
    expect(sent).toEqual([
      { type: 'command', command: 'undo' },
      { type: 'command', command: 'redo' },
    ]);
  });

  it('About shows the version', async () => {
    click(item(template, 'Help', 'About Margin'));
    await vi.waitFor(() => expect(dialog.showMessageBox).toHaveBeenCalled());
    expect(dialogOptions(dialog.showMessageBox.mock.calls[0]!).message).toBe('Margin 1.2.3');
  });
});

/** Every item of the template, menus and submenus flattened, with the menu it is in. */
function allItems(t: Item[]): { menu: string; item: Item }[] {
  return t.flatMap((m) => (Array.isArray(m.submenu) ? m.submenu.map((item) => ({ menu: (m.label ?? m.role ?? '').replace('&', ''), item })) : []));
}

function templateFor(platform: NodeJS.Platform): Item[] {
  const actions = createMenuActions({
    dialog: dialog as unknown as Dialog,
    getWindow: () => null,
    getWorkspace: () => workspace,
    send: (event) => sent.push(event),
    version: '1',
  });
  return buildMenuTemplate(actions, { isPackaged: true, platform });
}

describe('every action of the reading view in the menus', () => {
  it('menus come in the order File, Edit, View, Annotate, Go, Help', () => {
    expect(template.map((m) => m.label?.replace('&', ''))).toEqual(['File', 'Edit', 'View', 'Annotate', 'Go', 'Help']);
  });

  it.each(ACTIONS.map((a) => [a.id, a] as const))('%s has one menu item, in its menu, that sends it to the window', (_id, action) => {
    const found = allItems(template).filter((e) => e.item.id === action.id);
    expect(found).toHaveLength(1);
    const { menu, item: entry } = found[0]!;
    // Actions filed under no menu (Escape: clear) live in Edit.
    expect(menu).toBe(action.menu ?? 'Edit');
    expect(entry.label).toBe(action.title);
    expect(entry.accelerator).toBe(accelerator(action.keys[0]));
    click(entry);
    expect(sent).toEqual([{ type: 'command', command: action.id }]);
  });

  it('registers only Ctrl/Cmd accelerators with the system; single keys are shown but left to the window', () => {
    const commands = allItems(template).filter((e) => ACTIONS.some((a) => a.id === e.item.id));
    expect(commands).toHaveLength(ACTIONS.length);
    const registered = commands.filter((e) => e.item.registerAccelerator !== false).map((e) => e.item.accelerator);
    expect(registered.sort()).toEqual(['CmdOrCtrl+F', 'CmdOrCtrl+Shift+S', 'CmdOrCtrl+Shift+Z', 'CmdOrCtrl+Z']);
    const shownOnly = commands.filter((e) => e.item.registerAccelerator === false).map((e) => e.item.accelerator);
    expect(shownOnly).toEqual(expect.arrayContaining(['L', 'J', 'K', 'D', '?', 'Delete', 'Esc', 'Alt+Left', 'Alt+Shift+Right', 'Alt+Down']));
    for (const accel of shownOnly) expect(accel).not.toMatch(/CmdOrCtrl/);
    expect(isSystemAccelerator('Mod+Shift+Z')).toBe(true);
    expect(isSystemAccelerator('Alt+ArrowLeft')).toBe(false);
    expect(isSystemAccelerator('?')).toBe(false);
  });

  it('on macOS, where registerAccelerator is ignored, single keys are named in the label and never accelerators', () => {
    const commands = allItems(templateFor('darwin')).filter((e) => ACTIONS.some((a) => a.id === e.item.id));
    expect(commands).toHaveLength(ACTIONS.length);
    const next = commands.find((e) => e.item.id === 'next-annotation')!.item;
    expect(next.accelerator).toBeUndefined();
    expect(next.label).toBe('Next annotation (J)');
    expect(commands.filter((e) => e.item.accelerator !== undefined).map((e) => e.item.accelerator).sort()).toEqual([
      'CmdOrCtrl+F',
      'CmdOrCtrl+Shift+S',
      'CmdOrCtrl+Shift+Z',
      'CmdOrCtrl+Z',
    ]);
    click(next);
    expect(sent).toEqual([{ type: 'command', command: 'next-annotation' }]);
  });

  it('Help lists the shortcuts before About', () => {
    expect(submenu(template, 'Help').map((i) => i.label ?? i.type)).toEqual(['Show keyboard shortcuts', 'separator', 'About Margin']);
    expect(item(template, 'Help', 'Show keyboard shortcuts').accelerator).toBe('?');
  });
});
