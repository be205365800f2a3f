import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppEvent, MarginBridge } from '../../shared/api';
import { API_METHODS, channelOf, EVENT_CHANNEL } from '../../shared/apiMethods';
import { contextBridge, ipcRenderer } from './fakeElectron';

vi.mock('electron', () => import('./fakeElectron').then((m) => m.electronModule));

let bridge: MarginBridge;

beforeAll(async () => {
  await import('../../electron/preload');
  expect(contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
  const [key, api] = contextBridge.exposeInMainWorld.mock.calls[0]!;
  expect(key).toBe('margin');
  bridge = api as MarginBridge;
});

describe('the preload', () => {
  it('exposes exactly the API methods and onEvent, all functions', () => {
    expect(Object.keys(bridge).sort()).toEqual([...API_METHODS, 'onEvent'].sort());
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
  });

  it('exposes nothing that leads to ipcRenderer', () => {
    const names = Object.keys(bridge).join(' ');
    expect(names).not.toMatch(/ipcRenderer|invoke|send/i);
    expect(Object.values(bridge)).not.toContain(ipcRenderer);
    expect(Object.values(bridge)).not.toContain(ipcRenderer.invoke);
  });

  it('each method invokes its own channel with the arguments and returns the reply', async () => {
    for (const method of API_METHODS) {
      ipcRenderer.invoke.mockClear();
      const args = { probe: method };
      const call = bridge[method] as (a: unknown) => Promise<unknown>;
      const reply = await call(args);
      expect(ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith(channelOf(method), args);
      expect(reply).toEqual({ ok: true, value: { channel: channelOf(method), args } });
    }
  });

  it('onEvent hands listeners the payload only, and unsubscribing stops them', () => {
    const listener = vi.fn<(event: AppEvent) => void>();
    const unsubscribe = bridge.onEvent(listener);
    const payload: AppEvent = { type: 'command', command: 'undo' };
    const ipcEvent = { sender: ipcRenderer, senderId: 0 };
    ipcRenderer.emit(EVENT_CHANNEL, ipcEvent, payload);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]).toEqual([payload]);

    unsubscribe();
    expect(ipcRenderer.count(EVENT_CHANNEL)).toBe(0);
    ipcRenderer.emit(EVENT_CHANNEL, ipcEvent, { type: 'project-changed' });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('unsubscribing one listener leaves the others', () => {
    const a = vi.fn();
    const b = vi.fn();
    const offA = bridge.onEvent(a);
    const offB = bridge.onEvent(b);
    offA();
    ipcRenderer.emit(EVENT_CHANNEL, {}, { type: 'project-changed' });
    expect(a).not.toHaveBeenCalled();
    expect(b).toHaveBeenCalledWith({ type: 'project-changed' });
    offB();
  });
});
