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

const { buildMenuTemplate, createMenuActions, isSystemAccelerator, throttleProgress } = await import('../../electron/menu');
const { ARTICLE_EXTENSIONS } = await import('../../electron/services/intake/extract');
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


/** The shortcuts with Ctrl/Cmd: the only ones the desktop menu registers with the system. */
const SYSTEM_ACCELERATORS = [
  'CmdOrCtrl+,',
  'CmdOrCtrl+Alt+N',
  'CmdOrCtrl+Delete',
  'CmdOrCtrl+E',
  'CmdOrCtrl+F',
  'CmdOrCtrl+Shift+A',
  'CmdOrCtrl+Shift+O',
  'CmdOrCtrl+Shift+S',
  'CmdOrCtrl+Shift+Y',
  'CmdOrCtrl+Shift+Z',
  'CmdOrCtrl+Z',
];
describe('the menu template', () => {
  it('has File → New Project, Open Project, Import Articles (Ctrl/Cmd+O), Import Folder, the file actions, then Quit', () => {
    const file = submenu(template, 'File');
    expect(file.map((i) => i.label ?? i.role ?? i.type)).toEqual([
      'New Project…',
      'Open Project…',
      'Import Articles…',
      'Import Folder…',
      'New document from text…',
      'Import annotations…',
      'Export dataset…',
      'Sync with the team (git)',
      'Delete this document…',
      'Project settings…',
      'separator',
      'quit',
    ]);
    expect(item(template, 'File', 'Import Articles…').accelerator).toBe('CmdOrCtrl+O');
    // Reachable by the keyboard like the rest (issue 11, items 8 and 17).
    expect(item(template, 'File', 'Project settings…').accelerator).toBe('CmdOrCtrl+,');
    expect(item(template, 'File', 'Delete this document…').accelerator).toBe('CmdOrCtrl+Delete');
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

type Progress = Extract<AppEvent, { type: 'import-progress' }>;
const progressEvents = () => sent.filter((e): e is Progress => e.type === 'import-progress');
const importedEvent = () => sent.find((e) => e.type === 'imported') as { type: 'imported'; report: ImportReport } | undefined;

/** Progress events only ever count up, and the last one says every file is done. */
function expectProgressThenReport(total: number): void {
  const progress = progressEvents();
  expect(progress.length).toBeGreaterThanOrEqual(2);
  expect(progress[0]).toMatchObject({ done: 0, total });
  for (let i = 1; i < progress.length; i++) expect(progress[i]!.done).toBeGreaterThanOrEqual(progress[i - 1]!.done);
  expect(progress.at(-1)).toEqual({ type: 'import-progress', done: total, total, current: '' });
  // The report comes last, after every progress event.
  expect(sent.at(-1)?.type).toBe('imported');
}

/** Files are read on a reader thread that starts on first use (loading its TypeScript on a cold cache takes seconds on a busy machine): wait for the report, not a moment. */
const IMPORT_WAIT = { timeout: 30_000, interval: 50 };

describe('File → Import Articles…', () => {
  it('imports the chosen files through the import job, sends progress, then the report', async () => {
    const a = path.join(tmp, 'a.txt');
    const b = path.join(tmp, 'b.txt');
    await writeFile(a, 'Minister says the bridge will reopen in May.\n\nOfficials confirmed the date.');
    await writeFile(b, 'Storm closes port for two days, harbour master says.');
    dialog.openResults.push({ canceled: false, filePaths: [a, b] });
    const importJob = vi.spyOn(workspace, 'importPathsWithProgress');

    click(item(template, 'File', 'Import Articles…'));
    await vi.waitFor(() => expect(importedEvent()).toBeDefined(), IMPORT_WAIT);

    expect(importJob).toHaveBeenCalledExactlyOnceWith([a, b], expect.any(Function));
    const options = dialogOptions(dialog.showOpenDialog.mock.calls[0]!);
    expect(options.properties).toEqual(expect.arrayContaining(['openFile', 'multiSelections']));
    // Every format Margin reads is offered, without the dot.
    expect(options.filters).toEqual([
      { name: 'Articles', extensions: ARTICLE_EXTENSIONS.map((e) => e.slice(1)) },
      { name: 'All files', extensions: ['*'] },
    ]);
    expect((options.filters as { extensions: string[] }[])[0]!.extensions).toEqual(expect.arrayContaining(['txt', 'md', 'html', 'htm', 'docx', 'pdf']));
    expectProgressThenReport(2);
    expect(importedEvent()!.report.imported.map((d) => d.fileName).sort()).toEqual(['a.txt', 'b.txt']);
    expect((await workspace.handlers.listDocuments({})).length).toBe(2);
  });

  it('does nothing when the dialog is cancelled', async () => {
    const importPaths = vi.spyOn(workspace, 'importPathsWithProgress');
    click(item(template, 'File', 'Import Articles…'));
    await vi.waitFor(() => expect(dialog.showOpenDialog).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 20));
    expect(importPaths).not.toHaveBeenCalled();
    expect(sent).toEqual([]);
  });

  it('shows a failure in a dialog', async () => {
    dialog.openResults.push({ canceled: false, filePaths: ['/x.txt'] });
    vi.spyOn(workspace, 'importPathsWithProgress').mockRejectedValue(new Error('disk full'));
    click(item(template, 'File', 'Import Articles…'));
    await vi.waitFor(() => expect(errorDialogs()).toHaveLength(1));
    expect(errorDialogs()[0]?.detail).toMatch(/^Could not import the articles: something went wrong that Margin did not expect\. Try again/);
    expect(errorDialogs()[0]?.detail).not.toContain('disk full');
    expect(sent).toEqual([]);
  });

  it('says a file system failure in words, without its errno code or syscall', async () => {
    dialog.openResults.push({ canceled: false, filePaths: ['/x.txt'] });
    const enospc = Object.assign(new Error("ENOSPC: no space left on device, write '/p/annotations/ana/doc.json'"), {
      code: 'ENOSPC',
      syscall: 'write',
      path: '/p/annotations/ana/doc.json',
    });
    vi.spyOn(workspace, 'importPathsWithProgress').mockRejectedValue(enospc);
    click(item(template, 'File', 'Import Articles…'));
    await vi.waitFor(() => expect(errorDialogs()).toHaveLength(1));
    const detail = errorDialogs()[0]?.detail ?? '';
    expect(detail).toContain('/p/annotations/ana/doc.json');
    expect(detail).not.toMatch(/ENOSPC|syscall|write '/);
  });
});

describe('File → Import Folder…', () => {
  it('imports a chosen folder recursively, with progress events, then the report', async () => {
    const folder = path.join(tmp, 'clippings');
    await mkdir(path.join(folder, 'monday'), { recursive: true });
    await writeFile(path.join(folder, 'monday', 'a.txt'), 'Minister says the bridge will reopen in May.');
    await writeFile(path.join(folder, 'b.md'), '# Storm closes port\n\nThe harbour master said the port stays shut for two days.');
    await writeFile(path.join(folder, 'c.txt'), 'Council votes to extend the tram line to the airport.');
    await writeFile(path.join(folder, '.DS_Store'), 'x');
    dialog.openResults.push({ canceled: false, filePaths: [folder] });

    click(item(template, 'File', 'Import Folder…'));
    await vi.waitFor(() => expect(importedEvent()).toBeDefined(), IMPORT_WAIT);

    expect(dialogOptions(dialog.showOpenDialog.mock.calls[0]!).properties).toEqual(expect.arrayContaining(['openDirectory']));
    expectProgressThenReport(3);
    expect(progressEvents()[0]).toEqual({ type: 'import-progress', done: 0, total: 3, current: 'clippings/b.md' });
    expect(importedEvent()!.report.imported.map((d) => d.fileName)).toEqual(['b.md', 'c.txt', 'a.txt']);
    expect(errorDialogs()).toEqual([]);
  });

  it('a cancel from the window stops the job; the report says so', async () => {
    const folder = path.join(tmp, 'many');
    await mkdir(folder);
    for (let i = 0; i < 5; i++) await writeFile(path.join(folder, `${i}.txt`), `Story number ${i} about something else entirely, ${'word '.repeat(i)}`);
    dialog.openResults.push({ canceled: false, filePaths: [folder] });
    const real = workspace.importPathsWithProgress.bind(workspace);
    vi.spyOn(workspace, 'importPathsWithProgress').mockImplementation((paths, onProgress) =>
      real(paths, (p) => {
        onProgress?.(p);
        if (p.done === 1 && p.current) void workspace.handlers.cancelImport({});
      }),
    );
    click(item(template, 'File', 'Import Folder…'));
    await vi.waitFor(() => expect(importedEvent()).toBeDefined(), IMPORT_WAIT);
    const { report } = importedEvent()!;
    expect(report.cancelled).toBe(true);
    expect(report.imported).toHaveLength(1);
    expect(progressEvents().at(-1)).toEqual({ type: 'import-progress', done: 1, total: 5, current: '' });
  });

  it('does nothing when the dialog is cancelled', async () => {
    click(item(template, 'File', 'Import Folder…'));
    await vi.waitFor(() => expect(dialog.showOpenDialog).toHaveBeenCalled());
    await new Promise((r) => setTimeout(r, 20));
    expect(sent).toEqual([]);
  });
});

describe('progress throttling', () => {
  afterEach(() => vi.useRealTimers());

  it('passes the first at once, at most one per 100 ms after, the latest winning, and always the last', () => {
    vi.useFakeTimers({ now: 0 });
    const out: number[] = [];
    const t = throttleProgress((p) => out.push(p.done), 100); // Date.now is the fake clock
    t.push({ done: 0, total: 9, current: 'a' });
    expect(out).toEqual([0]);
    vi.advanceTimersByTime(30);
    t.push({ done: 1, total: 9, current: 'b' });
    vi.advanceTimersByTime(30);
    t.push({ done: 2, total: 9, current: 'c' });
    expect(out).toEqual([0]);
    // A file that takes long: the waiting progress goes out when the interval is up (at 100 ms).
    vi.advanceTimersByTime(39);
    expect(out).toEqual([0]);
    vi.advanceTimersByTime(1);
    expect(out).toEqual([0, 2]);
    vi.advanceTimersByTime(50);
    t.push({ done: 3, total: 9, current: 'd' });
    expect(out).toEqual([0, 2]);
    t.flush();
    expect(out).toEqual([0, 2, 3]);
    t.flush();
    vi.advanceTimersByTime(1000);
    expect(out).toEqual([0, 2, 3]);
    // After a quiet spell the next one goes out at once again.
    t.push({ done: 4, total: 9, current: 'e' });
    expect(out).toEqual([0, 2, 3, 4]);
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
    expect(registered.sort()).toEqual(SYSTEM_ACCELERATORS);
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
    expect(commands.filter((e) => e.item.accelerator !== undefined).map((e) => e.item.accelerator).sort()).toEqual(SYSTEM_ACCELERATORS);
    click(next);
    expect(sent).toEqual([{ type: 'command', command: 'next-annotation' }]);
  });

  it('Help lists the shortcuts before About', () => {
    expect(submenu(template, 'Help').map((i) => i.label ?? i.type)).toEqual(['Show keyboard shortcuts', 'separator', 'About Margin']);
    expect(item(template, 'Help', 'Show keyboard shortcuts').accelerator).toBe('?');
  });
});
