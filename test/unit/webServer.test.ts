import { writeFileSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../electron/services/workspace';
import { startWebServer, type WebServer } from '../../electron/web';
import { openWorkspace, TempDirs } from './helpers';

const temps = new TempDirs();
let ws: Workspace;
let server: WebServer;
let base: string;

const SECRET = 'TOP-SECRET-FILE-CONTENT';
const INDEX = '<!doctype html><html><body>Margin test page</body></html>';

beforeAll(async () => {
  ws = await openWorkspace(temps);
  const root = temps.make();
  const staticDir = path.join(root, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(path.join(staticDir, 'index.html'), INDEX);
  // Files just outside the static folder must never be served.
  writeFileSync(path.join(root, 'secret.txt'), SECRET);
  writeFileSync(path.join(root, 'package.json'), SECRET);
  server = await startWebServer({ handlers: ws.handlers, staticDir, port: 0 });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
  await ws.close();
  temps.cleanup();
});

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request: fetch cannot forge Host, and normalizes paths like /../. */
function raw(options: { path: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path: options.path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const bearer = () => ({ Authorization: `Bearer ${server.token}` });

describe('browser mode server', () => {
  it('prints a loopback URL carrying a random token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(24);
  });

  it('refuses every request without the token', async () => {
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/index.html`)).status).toBe(401);
    const api = await fetch(`${base}/api/listDocuments`, { method: 'POST', body: '{}' });
    expect(api.status).toBe(401);
    expect((await fetch(`${base}/api/listDocuments`, { method: 'POST', headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${base}/?token=${server.token.slice(0, -1)}x`)).status).toBe(401);
  });

  it('serves the page with the token in the URL and sets a cookie that works afterwards', async () => {
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(INDEX);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const cookie = page.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const withCookie = await fetch(`${base}/api/getSession`, { method: 'POST', headers: { Cookie: cookie.split(';')[0]! } });
    expect(withCookie.status).toBe(200);
  });

  it('runs the API with a bearer token', async () => {
    const list = await fetch(`${base}/api/listDocuments`, { method: 'POST', headers: bearer(), body: '{}' });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ ok: true, value: [] });

    const data = Buffer.from('Served article\r\nBody text here.').toString('base64');
    const imported = await fetch(`${base}/api/importFiles`, {
      method: 'POST',
      headers: { ...bearer(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ files: [{ name: 'served.txt', data }] }),
    });
    expect(imported.status).toBe(200);
    const report = (await imported.json()) as { ok: true; value: { imported: Array<{ docId: string; title: string }> } };
    expect(report.value.imported).toEqual([expect.objectContaining({ title: 'Served article' })]);

    const after = (await (await fetch(`${base}/api/listDocuments`, { method: 'POST', headers: bearer() })).json()) as {
      value: Array<{ id: string }>;
    };
    expect(after.value.map((d) => d.id)).toEqual([report.value.imported[0]!.docId]);
    // A service error keeps its code and message across HTTP.
    const noName = await fetch(`${base}/api/createAnnotation`, {
      method: 'POST',
      headers: bearer(),
      body: JSON.stringify({ docId: after.value[0]!.id, label: 'claim', start: 0, end: 6 }),
    });
    expect(noName.status).toBe(422);
    expect(await noName.json()).toMatchObject({ ok: false, error: { code: 'bad-input' } });
  });

  it('refuses a foreign Host header even with the token (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, '127.0.0.1:1', `127.0.0.1.evil.example:${server.port}`]) {
      const res = await raw({ path: '/api/listDocuments', method: 'POST', headers: { ...bearer(), Host: host }, body: '{}' });
      expect(res.status, host).toBe(403);
      expect(res.body).not.toContain('"ok"');
    }
    const page = await raw({ path: `/?token=${server.token}`, headers: { Host: 'attacker.test' } });
    expect(page.status).toBe(403);
    expect(page.body).not.toContain('Margin test page');
    // localhost by name is fine.
    const local = await raw({ path: '/api/getSession', method: 'POST', headers: { ...bearer(), Host: `localhost:${server.port}` } });
    expect(local.status).toBe(200);
  });

  it('refuses a foreign Origin header even with the token (cross-site requests)', async () => {
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${server.port + 1}`, `https://127.0.0.1:${server.port}`]) {
      const res = await raw({ path: '/api/listDocuments', method: 'POST', headers: { ...bearer(), Origin: origin }, body: '{}' });
      expect(res.status, origin).toBe(403);
    }
    const same = await raw({ path: '/api/listDocuments', method: 'POST', headers: { ...bearer(), Origin: base }, body: '{}' });
    expect(same.status).toBe(200);
  });

  it('answers bad JSON and bad arguments with 400 and a validation envelope', async () => {
    const notJson = await fetch(`${base}/api/getDocument`, { method: 'POST', headers: bearer(), body: '{docId:' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringMatching(/not valid JSON/) } });

    const badArgs = await fetch(`${base}/api/getDocument`, { method: 'POST', headers: bearer(), body: JSON.stringify({ docId: 42 }) });
    expect(badArgs.status).toBe(400);
    expect(await badArgs.json()).toMatchObject({ ok: false, error: { code: 'validation', message: expect.stringMatching(/docId/) } });

    expect((await fetch(`${base}/api/notAMethod`, { method: 'POST', headers: bearer() })).status).toBe(404);
    expect((await fetch(`${base}/api/listDocuments`, { headers: bearer() })).status).toBe(405);
  });

  it('never serves files outside its folder, however the path is spelled', async () => {
    const attempts = [
      '/../package.json',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/..%2Fpackage.json',
      '/%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/../../secret.txt',
      `/${'..%2f'.repeat(8)}etc/passwd`,
      '/%E0%A4%A', // malformed escape
      '/%00',
    ];
    for (const p of attempts) {
      const res = await raw({ path: p, headers: bearer() });
      expect(res.status, p).toBeGreaterThanOrEqual(400);
      expect(res.status, p).toBeLessThan(500);
      expect(res.body, p).not.toContain(SECRET);
      expect(res.body, p).not.toContain('root:');
    }
  });
});
