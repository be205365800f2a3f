/**
 * Runs sandboxed before the page: it may only require('electron'), so it imports nothing but
 * the method names (shared/api.ts would pull zod into the bundle).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AppEvent, MarginBridge } from '../shared/api';
import { API_METHODS, channelOf, EVENT_CHANNEL } from '../shared/apiMethods';

// One function per method and nothing else: the page never gets ipcRenderer, so it can reach
// only the channels the main process checks and validates.
const methods = Object.fromEntries(
  API_METHODS.map((method) => [method, (args: unknown) => ipcRenderer.invoke(channelOf(method), args)]),
);

function onEvent(listener: (event: AppEvent) => void): () => void {
  if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
  // The IpcRendererEvent is withheld: its `sender` is ipcRenderer itself.
  const forward = (_event: IpcRendererEvent, payload: AppEvent) => listener(payload);
  ipcRenderer.on(EVENT_CHANNEL, forward);
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, forward);
  };
}

const bridge = { ...methods, onEvent } as MarginBridge;

contextBridge.exposeInMainWorld('margin', bridge);
