import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import type { ApiHandlers, AppEvent, Envelope } from '../shared/api';
import { API_METHODS, channelOf, EVENT_CHANNEL } from '../shared/apiMethods';
import { dispatch } from './services/dispatch';

export interface IpcOptions {
  /** A function, not a value: the menu can swap the project behind the handlers. */
  getHandlers: () => ApiHandlers;
  getWindow: () => BrowserWindow | null;
  /** Whether a URL is our own page (see appPageMatcher). */
  isAppUrl: (url: string) => boolean;
  log?: (message: string) => void;
}

/**
 * Only the main frame of our window, showing our own page, may call the API. Anything else
 * (a subframe, a page the window was somehow navigated to, another webContents) is refused,
 * because the handlers read and write the user's files.
 */
export function isTrustedSender(event: IpcMainInvokeEvent, win: BrowserWindow | null, isAppUrl: (url: string) => boolean): boolean {
  if (!win || win.isDestroyed()) return false;
  const frame = event.senderFrame;
  if (!frame || event.sender.id !== win.webContents.id) return false;
  // Compared by ids: WebFrameMain objects are not guaranteed to be the same instance.
  const main = win.webContents.mainFrame;
  if (frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
  return isAppUrl(frame.url);
}

/** The caller's window id of a desktop window (see Caller in shared/api.ts). */
export const ipcWindowId = (webContentsId: number): string => `ipc:${webContentsId}`;

/** Registers exactly one handler per API method; returns a function that removes them all. */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, options: IpcOptions): () => void {
  const log = options.log ?? console.warn;
  for (const method of API_METHODS) {
    ipcMain.handle(channelOf(method), async (event, args: unknown): Promise<Envelope<unknown>> => {
      if (!isTrustedSender(event, options.getWindow(), options.isAppUrl)) {
        log(`[margin] refused ${method} from an unknown sender (${event.senderFrame?.url ?? 'no frame'})`);
        return { ok: false, error: { code: 'unauthorized', message: `${method} may only be called by the Margin window.` } };
      }
      // Each window has its own annotator name; a reload keeps the webContents, so keeps the name.
      return dispatch(options.getHandlers(), method, args, { windowId: ipcWindowId(event.sender.id) });
    });
  }
  return () => {
    for (const method of API_METHODS) ipcMain.removeHandler(channelOf(method));
  };
}

/** Pushes an event to the window; false when there is no window to receive it. */
export function sendAppEvent(win: BrowserWindow | null, event: AppEvent): boolean {
  if (!win || win.isDestroyed()) return false;
  win.webContents.send(EVENT_CHANNEL, event);
  return true;
}
