import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { JSDOM, VirtualConsole } from 'jsdom';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { extractArticle } from '../../electron/services/intake/extract';
import { inertDom } from '../../electron/services/intake/extract/html';
import { HOSTILE_PAGE } from '../../scripts/make-fixtures';
import { REPO_ROOT } from './helpers';

/** A local server that counts every request: anything in the page that fetched would show here. */
let server: Server;
let hits: string[] = [];
let hostile: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('globalThis.__marginCanary = "fetched script ran";');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  hostile = readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'hostile.html'), 'utf8').replaceAll('CANARY_PORT', String(port));
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  hits = [];
  delete (globalThis as { __marginCanary?: unknown }).__marginCanary;
});

describe('a hostile HTML article', () => {
  it('imports as text: no script, handler, link, frame, refresh or stylesheet runs or fetches anything', async () => {
    expect(hostile).not.toContain('CANARY_PORT');
    const result = await extractArticle('hostile.html', Buffer.from(hostile));
    await sleep(750); // anything asynchronous (timers, loads, refresh) would have happened by now
    expect((globalThis as { __marginCanary?: unknown }).__marginCanary).toBeUndefined();
    expect(hits).toEqual([]);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.meta.title).toBe(HOSTILE_PAGE.title);
    for (const p of HOSTILE_PAGE.paragraphs) expect(result.text).toContain(p);
    for (const code of ['__marginCanary', 'fetch(', 'INJECTED', 'document.write', 'javascript:', '127.0.0.1', 'onerror', 'srcdoc', 'parent.', '<script', '@import']) {
      expect(result.text).not.toContain(code);
    }
  });

  it('leaves the DOM it parses inert too: no canary on its window, nothing written into it', async () => {
    const dom = inertDom(hostile);
    try {
      await sleep(300);
      const window = dom.window as unknown as { __marginCanary?: unknown; document: Document };
      expect(window.__marginCanary).toBeUndefined();
      expect(window.document.body.textContent).not.toContain('INJECTED BY DOCUMENT.WRITE');
      expect(window.document.location.href).toBe('about:blank'); // no refresh, no base navigation
      expect(hits).toEqual([]);
    } finally {
      dom.window.close();
    }
  });

  it('(control) the canary and the server do catch a DOM that runs scripts and loads resources', async () => {
    const dom = new JSDOM(hostile, { runScripts: 'dangerously', resources: 'usable', virtualConsole: new VirtualConsole() });
    try {
      const window = dom.window as unknown as { __marginCanary?: unknown };
      await expect.poll(() => window.__marginCanary, { timeout: 5000 }).toBeDefined();
      await expect.poll(() => hits.length, { timeout: 5000 }).toBeGreaterThan(0);
    } finally {
      dom.window.close();
    }
  });
});
