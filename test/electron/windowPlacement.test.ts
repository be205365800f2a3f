import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeBrowserWindow, screen } from './fakeElectron';

vi.mock('electron', () => import('./fakeElectron').then((m) => m.electronModule));

const { createMainWindow } = await import('../../electron/window');
const { placeWindow } = await import('../../electron/windowPlacement');

/**
 * The desktop window comes back where the user left it (issue 11, item 19): size, position and
 * maximised state, kept in the user's app-data folder; never off every screen.
 */

const LAPTOP = { x: 0, y: 0, width: 1440, height: 875 };
const MONITOR = { x: 1440, y: -200, width: 2560, height: 1400 };
const SIZE = { width: 1280, height: 860 };

let userData: string;
beforeEach(() => {
  userData = mkdtempSync(path.join(os.tmpdir(), 'margin-window-'));
  FakeBrowserWindow.instances = [];
  screen.displays = [LAPTOP, MONITOR];
});
afterEach(() => rmSync(userData, { recursive: true, force: true }));

const open = () => {
  createMainWindow({ preload: '/p/preload.cjs', page: { kind: 'url', url: 'http://localhost:5173/' }, stateDir: userData });
  return FakeBrowserWindow.instances.at(-1)!;
};

describe('placeWindow', () => {
  it('keeps a window that is on a screen, on the second monitor too', () => {
    const bounds = { x: 1600, y: 0, width: 1200, height: 900 };
    expect(placeWindow({ bounds, maximized: false }, [LAPTOP, MONITOR], SIZE)).toEqual({ bounds, maximized: false });
  });

  it('centres a window left on a monitor that is gone on the primary screen, at its size', () => {
    const placed = placeWindow({ bounds: { x: 2000, y: 100, width: 1200, height: 800 }, maximized: true }, [LAPTOP], SIZE);
    expect(placed).toEqual({ bounds: { x: 120, y: 38, width: 1200, height: 800 }, maximized: true });
  });

  it('shrinks a window larger than the screen it is on, and one that barely shows is centred', () => {
    expect(placeWindow({ bounds: { x: 0, y: 0, width: 3000, height: 2000 }, maximized: false }, [LAPTOP], SIZE).bounds).toEqual(LAPTOP);
    // Only a 20-pixel sliver of the title bar on screen: the user could not grab it.
    expect(placeWindow({ bounds: { x: 1420, y: 300, width: 800, height: 600 }, maximized: false }, [LAPTOP], SIZE).bounds).toEqual({
      x: 320,
      y: 138,
      width: 800,
      height: 600,
    });
  });

  it('gives the default size, centred by the system, with nothing saved', () => {
    expect(placeWindow(null, [LAPTOP], SIZE)).toEqual({ bounds: SIZE, maximized: false });
  });
});

describe('the desktop window', () => {
  it('opens where it was closed, maximised again if it was', () => {
    const first = open();
    expect(first.options).toMatchObject({ width: 1280, height: 860 });
    expect(first.options.x).toBeUndefined();
    first.setBounds({ x: 1700, y: -100, width: 1500, height: 1000 });
    first.maximize();
    first.emit('close');

    const second = open();
    // The size and place it returns to when un-maximised, on the monitor it was on.
    expect(second.options).toMatchObject({ x: 1700, y: -100, width: 1500, height: 1000 });
    expect(second.isMaximized()).toBe(true);
  });

  it('comes back on the laptop screen when the monitor it was on is unplugged', () => {
    const first = open();
    first.setBounds({ x: 1700, y: 0, width: 1000, height: 700 });
    first.emit('close');
    screen.displays = [LAPTOP];
    expect(open().options).toMatchObject({ x: 220, y: 88, width: 1000, height: 700 });
  });

  it('starts at the default size from a saved state that is not readable, and writes a good one on close', () => {
    const file = path.join(userData, 'window-state.json');
    for (const content of ['{"bounds": ', '{"bounds": {"x": "left"}, "maximized": 3}', '[]']) {
      writeFileSync(file, content);
      const win = open();
      expect(win.options).toMatchObject({ width: 1280, height: 860 });
      expect(win.options.x).toBeUndefined();
    }
    const win = FakeBrowserWindow.instances.at(-1)!;
    win.setBounds({ x: 10, y: 20, width: 900, height: 600 });
    win.emit('close');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ bounds: { x: 10, y: 20, width: 900, height: 600 }, maximized: false });
  });
});
