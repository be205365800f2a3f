import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../electron/services/workspace';
import { CONNECTION_LIMIT, startWebServer, type WebServer } from '../../electron/web';
import { recordSecurityRows } from '../securityReport';
import { openWorkspace, TempDirs } from './helpers';
import { rawHttp } from './probeHttp';

/** Browser mode's limits: a token cookie per port, and idle connections that cannot lock the window out. */

const temps = new TempDirs();
let ws: Workspace;
let staticDir: string;
const servers: WebServer[] = [];

beforeAll(async () => {
  ws = await openWorkspace(temps);
  staticDir = path.join(temps.make(), 'renderer');
  mkdirSync(staticDir);
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Margin</title>');
});

/** Checks of this file that ran to the end, for the security summary (a part of the "probes" producer). */
const limits = { passed: 0, total: 4 };

afterAll(async () => {
  recordSecurityRows('probes-limits', [
    { check: 'browser-mode limits', passed: limits.passed, total: limits.total, failures: limits.total - limits.passed, detail: 'token cookie per port; 300 idle connections; long poll kept' },
  ]);
  for (const server of servers) await server.close();
  await ws.close();
  temps.cleanup();
});

async function serve(token?: string): Promise<WebServer> {
  const server = await startWebServer({ handlers: ws.handlers, staticDir, port: 0, ...(token ? { token } : {}) });
  servers.push(server);
  return server;
}

/** Opens the printed URL as a browser would, and returns the cookie the page set (name=value). */
async function openPage(server: WebServer): Promise<string> {
  const page = await rawHttp(server.port, { target: new URL(server.url).pathname + new URL(server.url).search });
  expect(page.status).toBe(200);
  expect(page.cookies).toHaveLength(1);
  return page.cookies[0]!.split(';')[0]!;
}

const session = (server: WebServer, cookie: string) =>
  rawHttp(server.port, { method: 'POST', target: '/api/getSession', headers: { Cookie: cookie, 'Content-Type': 'application/json' }, body: '{}' });

describe('the token cookie', () => {
  it('is named with its port, so two servers on one host never take each other’s cookie, even with the same token', async () => {
    // Cookies ignore ports: a browser sends both servers every cookie set for 127.0.0.1.
    const token = 'one-token-for-both-servers-000000';
    const a = await serve(token);
    const b = await serve(token);
    const cookieA = await openPage(a);
    const cookieB = await openPage(b);
    expect(cookieA.split('=')[0]).toBe(`margin_token_${a.port}`);
    expect(cookieB.split('=')[0]).toBe(`margin_token_${b.port}`);

    expect((await session(a, cookieA)).status).toBe(200);
    expect((await session(b, cookieA)).status).toBe(401);
    expect((await session(a, cookieB)).status).toBe(401);
    // The jar of a browser holding both: each server takes its own.
    expect((await session(b, `${cookieA}; ${cookieB}`)).status).toBe(200);
    limits.passed++;
  });

  it('of one run opens nothing on the next run at the same port', async () => {
    const first = await serve();
    const cookie = await openPage(first);
    const port = first.port;
    await first.close();
    servers.splice(servers.indexOf(first), 1);
    const next = await startWebServer({ handlers: ws.handlers, staticDir, port }).catch(() => null);
    if (!next) {
      limits.total--;
      return console.log('cookie across runs not checked: the port was taken again before the second server started');
    }
    servers.push(next);
    expect((await session(next, cookie)).status).toBe(401);
    limits.passed++;
  });
});

/** Opens a socket that connects and then asks nothing (or only begins a request) and holds on. */
function idleSocket(port: number, partial: boolean): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      socket.on('error', () => undefined); // closed by the server: expected
      if (partial) socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`);
      resolve(socket);
    });
  });
}

describe('connections', () => {
  it('300 idle connections do not lock out the window: an API call still answers, and the oldest idle ones are closed', async () => {
    const server = await serve();
    const sockets: net.Socket[] = [];
    const closed = new Set<net.Socket>();
    for (let i = 0; i < 300; i++) {
      const socket = await idleSocket(server.port, i % 2 === 1);
      socket.once('close', () => closed.add(socket));
      sockets.push(socket);
    }

    const answer = await rawHttp(server.port, { method: 'POST', target: '/api/listDocuments', headers: { Authorization: `Bearer ${server.token}` }, body: '{}' });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ ok: true, value: [] });

    // The server closed the idle ones beyond its limit, oldest first; it never waits for a timeout to do so.
    const mustClose = 300 + 1 - CONNECTION_LIMIT;
    await new Promise<void>((resolve) => {
      const check = () => (closed.size >= mustClose ? resolve() : setImmediate(check));
      check();
    });
    expect(closed.has(sockets[0]!)).toBe(true);
    expect(closed.has(sockets[299]!)).toBe(false);
    for (const socket of sockets) socket.destroy();
    limits.passed++;
  });

  it('a long poll under way is never closed to make room', async () => {
    const server = await serve();
    const call = (body: unknown) => rawHttp(server.port, { method: 'POST', target: '/api/waitForChanges', headers: { Authorization: `Bearer ${server.token}` }, body: JSON.stringify(body) });
    const { cursor } = (JSON.parse((await call({ since: 0 })).body) as { value: { cursor: number } }).value;
    const poll = call({ since: cursor });
    const sockets: net.Socket[] = [];
    for (let i = 0; i < CONNECTION_LIMIT * 2; i++) sockets.push(await idleSocket(server.port, false));
    // A change wakes the poll: it answers, so its connection was kept.
    const change = await rawHttp(server.port, {
      method: 'POST',
      target: '/api/importText',
      headers: { Authorization: `Bearer ${server.token}`, 'X-Margin-Window': 'another-tab' },
      body: JSON.stringify({ text: 'Long poll kept\n\nA change that wakes the poll.' }),
    });
    expect(change.status).toBe(200);
    const answer = await poll;
    expect(answer.status).toBe(200);
    for (const socket of sockets) socket.destroy();
    limits.passed++;
  });
});
