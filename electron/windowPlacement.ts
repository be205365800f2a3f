import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Where the desktop window was when it closed (issue 11, item 19): its size and place when not
 * maximised, and whether it was maximised. Kept in the user's app-data folder, beside the
 * settings: it is this computer's screen layout, nothing a project or a colleague shares.
 */
const Rectangle = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().positive(), height: z.number().int().positive() });
export type Rectangle = z.infer<typeof Rectangle>;
export const WindowState = z.object({ bounds: Rectangle, maximized: z.boolean() });
export type WindowState = z.infer<typeof WindowState>;

const FILE = 'window-state.json';
/** How much of a window must be on a screen for the user to see it and grab it. */
const MIN_VISIBLE = { width: 100, height: 50 };

/** The saved state, or null when there is none or it cannot be read: the window then opens at its default size. */
export function readWindowState(dir: string): WindowState | null {
  try {
    const parsed = WindowState.safeParse(JSON.parse(readFileSync(path.join(dir, FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Written whole or not at all (a temporary file renamed over it); a failure only costs the placement. */
export function writeWindowState(dir: string, state: WindowState): void {
  const file = path.join(dir, FILE);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(temp, file);
  } catch (error) {
    console.warn('[margin] the window placement could not be saved:', error instanceof Error ? error.message : error);
  }
}

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

/**
 * The bounds to open the window with. A saved window that shows enough on one of the screens
 * (`workAreas`, the primary first) stays there, made to fit it; one left on a monitor that is
 * gone, or all but off every screen, is centred on the primary screen at its size. With nothing
 * saved, the default size, which the system centres.
 */
export function placeWindow(
  saved: WindowState | null,
  workAreas: readonly Rectangle[],
  size: { width: number; height: number },
): { bounds: Partial<Rectangle> & { width: number; height: number }; maximized: boolean } {
  const primary = workAreas[0];
  if (!saved || !primary) return { bounds: { ...size }, maximized: false };
  const visible = (area: Rectangle) => {
    const o = overlap(saved.bounds, area);
    return o.width >= MIN_VISIBLE.width && o.height >= MIN_VISIBLE.height ? o.width * o.height : 0;
  };
  const best = [...workAreas].sort((a, b) => visible(b) - visible(a))[0]!;
  const onScreen = visible(best) > 0;
  const area = onScreen ? best : primary;
  const width = Math.min(saved.bounds.width, area.width);
  const height = Math.min(saved.bounds.height, area.height);
  const within = (at: number, length: number, start: number, span: number) => Math.min(Math.max(at, start), start + span - length);
  const bounds = onScreen
    ? { x: within(saved.bounds.x, width, area.x, area.width), y: within(saved.bounds.y, height, area.y, area.height), width, height }
    : { x: area.x + Math.round((area.width - width) / 2), y: area.y + Math.round((area.height - height) / 2), width, height };
  return { bounds, maximized: saved.maximized };
}
