/**
 * The desktop app meeting a project another Margin holds: a dialog names the holder and offers
 * "Take over" or "Cancel", at start-up (main.ts) and from File → Open Project (menu.ts).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Dialog } from 'electron';
import type { AppEvent } from '../../shared/api';
import type * as FakeModule from './fakeElectron';

type Fake = typeof FakeModule;

const TAKE_OVER = 0;
const CANCEL = 1;
const LOCK = '.margin.lock';

let userData: string;
const savedUserData = process.env.MARGIN_USER_DATA;

beforeEach(async () => {
  // A fresh fake electron and fresh modules for every test (main.ts starts on import).
  vi.resetModules();
  userData = await mkdtemp(path.join(os.tmpdir(), 'margin-lock-dialog-'));
  process.env.MARGIN_USER_DATA = userData;
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(async () => {
  if (savedUserData === undefined) delete process.env.MARGIN_USER_DATA;
  else process.env.MARGIN_USER_DATA = savedUserData;
  vi.restoreAllMocks();
  await rm(userData, { recursive: true, force: true });
});

/** A project whose lock names a Margin on another computer (say it came with a git pull). */
async function lockedProject(name: string): Promise<{ dir: string; lock: string }> {
  const { ProjectStore } = await import('../../electron/services/store/projectStore');
  const dir = path.join(userData, name);
  await (await ProjectStore.open(dir)).close();
  const lock = JSON.stringify({ host: 'ana-laptop', pid: 4242, since: '2026-01-02T03:04:05.000Z' });
  writeFileSync(path.join(dir, LOCK), lock);
  return { dir, lock };
}

const lockText = (dir: string) => readFileSync(path.join(dir, LOCK), 'utf8');

/** The take-over question, checked for its buttons and for naming the holder; returns its options. */
function takeOverQuestion(fake: Fake): Record<string, unknown> {
  const questions = fake.dialog.showMessageBox.mock.calls.map(fake.dialogOptions).filter((o) => Array.isArray(o.buttons));
  expect(questions).toHaveLength(1);
  const question = questions[0]!;
  expect(question).toMatchObject({ type: 'warning', buttons: ['Take over', 'Cancel'], cancelId: CANCEL, defaultId: CANCEL });
  expect(String(question.message)).toMatch(/open in another Margin process \(pid 4242 on ana-laptop, since 2026-01-02T03:04:05\.000Z\)/);
  return question;
}

async function launch(answer: number): Promise<Fake> {
  const fake = await import('./fakeElectron');
  vi.doMock('electron', () => fake.electronModule);
  fake.dialog.showMessageBox.mockResolvedValue({ response: answer, checkboxChecked: false });
  await import('../../electron/main');
  return fake;
}

async function quit(fake: Fake): Promise<void> {
  fake.app.emit('will-quit', { preventDefault: () => undefined });
  await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalled());
}

describe('starting on a project another Margin holds', () => {
  it('"Take over" opens the last project, the lock now naming this process', async () => {
    const { dir } = await lockedProject('Elections');
    await writeFile(path.join(userData, 'settings.json'), JSON.stringify({ version: 1, annotator: 'ana', lastProject: dir }));
    const fake = await launch(TAKE_OVER);
    await vi.waitFor(() => expect(fake.FakeBrowserWindow.instances).toHaveLength(1));
    takeOverQuestion(fake);
    expect(JSON.parse(lockText(dir))).toMatchObject({ pid: process.pid, host: os.hostname() });
    await quit(fake);
    expect(existsSync(path.join(dir, LOCK))).toBe(false);
  });

  it('"Cancel" leaves that project alone and opens the default project instead', async () => {
    const { dir, lock } = await lockedProject('Elections');
    await writeFile(path.join(userData, 'settings.json'), JSON.stringify({ version: 1, annotator: 'ana', lastProject: dir }));
    const fake = await launch(CANCEL);
    await vi.waitFor(() => expect(fake.FakeBrowserWindow.instances).toHaveLength(1));
    takeOverQuestion(fake);
    expect(lockText(dir)).toBe(lock);
    expect(existsSync(path.join(userData, 'Default Project', LOCK))).toBe(true);
    await quit(fake);
  });

  it('"Cancel" on the default project quits without an error', async () => {
    const { dir, lock } = await lockedProject('Default Project');
    const fake = await launch(CANCEL);
    await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalled());
    takeOverQuestion(fake);
    expect(fake.FakeBrowserWindow.instances).toHaveLength(0);
    expect(fake.dialog.showErrorBox).not.toHaveBeenCalled();
    expect(lockText(dir)).toBe(lock);
  });
});

describe('File → Open Project on a project another Margin holds', () => {
  async function menuOver(answer: number) {
    const fake = await import('./fakeElectron');
    fake.dialog.showMessageBox.mockClear();
    fake.dialog.showMessageBox.mockResolvedValue({ response: answer, checkboxChecked: false });
    const { createMenuActions } = await import('../../electron/menu');
    const { Workspace } = await import('../../electron/services/workspace');
    const workspace = await Workspace.open({ userData, projectDir: path.join(userData, 'Default Project'), mode: 'electron' });
    const target = await lockedProject('Elections');
    fake.dialog.openResults = [{ canceled: false, filePaths: [target.dir] }];
    const sent: AppEvent[] = [];
    const actions = createMenuActions({
      dialog: fake.dialog as unknown as Dialog,
      getWindow: () => null,
      getWorkspace: () => workspace,
      send: (event) => sent.push(event),
      version: '1.2.3',
      log: () => undefined,
    });
    await actions.openProject();
    const errors = fake.dialog.showMessageBox.mock.calls.map(fake.dialogOptions).filter((o) => o.type === 'error');
    return { fake, workspace, target, sent, errors };
  }

  it('"Take over" switches to it', async () => {
    const { fake, workspace, target, sent, errors } = await menuOver(TAKE_OVER);
    try {
      takeOverQuestion(fake);
      expect(errors).toEqual([]);
      expect(sent).toEqual([{ type: 'project-changed' }]);
      expect(workspace.projectDir).toBe(target.dir);
      expect(JSON.parse(lockText(target.dir))).toMatchObject({ pid: process.pid });
    } finally {
      await workspace.close();
    }
  });

  it('"Cancel" stays on the current project, with no error and the lock untouched', async () => {
    const { fake, workspace, target, sent, errors } = await menuOver(CANCEL);
    try {
      takeOverQuestion(fake);
      expect(errors).toEqual([]);
      expect(sent).toEqual([]);
      expect(workspace.projectDir).toBe(path.join(userData, 'Default Project'));
      expect(lockText(target.dir)).toBe(target.lock);
    } finally {
      await workspace.close();
    }
  });
});
