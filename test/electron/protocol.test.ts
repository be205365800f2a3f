/**
 * app://margin/: the desktop window's page is served from the built renderer folder only, with
 * the CSP as a response header. Requests are real fetch Requests, as protocol.handle gets them.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APP_PAGE_URL, serveAppFile } from '../../electron/protocol';
import { CONTENT_SECURITY_POLICY } from '../../electron/pageHeaders';
import { REPO_ROOT, TempDirs } from '../unit/helpers';

const temps = new TempDirs();
let rendererDir: string;

beforeEach(() => {
  // A built renderer folder, with a secret beside it that no app:// URL may reach.
  const root = temps.make('margin-protocol-');
  rendererDir = path.join(root, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(path.join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(path.join(rendererDir, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(path.join(rendererDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(path.join(root, 'secret.txt'), 'SECRET');
  mkdirSync(path.join(root, 'renderer-evil'));
  writeFileSync(path.join(root, 'renderer-evil', 'index.html'), 'SECRET');
});
afterEach(() => temps.cleanup());

const get = (url: string, method = 'GET') => serveAppFile(new Request(url, { method }), rendererDir);

describe('app://margin/', () => {
  it('serves the page and its files with their MIME types and the CSP header', async () => {
    const cases: [string, string, string][] = [
      [APP_PAGE_URL, 'text/html; charset=utf-8', 'id="root"'],
      ['app://margin/', 'text/html; charset=utf-8', 'id="root"'],
      ['app://margin/index.html?doc=3#p', 'text/html; charset=utf-8', 'id="root"'],
      ['app://margin/assets/index-abc.js', 'text/javascript; charset=utf-8', 'console.log(1)'],
      ['app://margin/assets/index-abc.css', 'text/css; charset=utf-8', 'body{}'],
      ['app://margin/favicon.svg', 'image/svg+xml', '<svg'],
    ];
    for (const [url, type, text] of cases) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toBe(type);
      expect(res.headers.get('content-security-policy'), url).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(await res.text(), url).toContain(text);
    }
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });

  it('refuses every way out of the renderer folder, encoded or not', async () => {
    const escapes = [
      'app://margin/../secret.txt',
      'app://margin/%2e%2e/secret.txt',
      'app://margin/%2E%2E/secret.txt',
      'app://margin/..%2fsecret.txt',
      'app://margin/..%2Fsecret.txt',
      'app://margin/%2e%2e%2fsecret.txt',
      'app://margin/assets/..%2f..%2fsecret.txt',
      'app://margin/..%5csecret.txt',
      'app://margin/assets%5c..%5c..%5csecret.txt',
      'app://margin/%252e%252e%252fsecret.txt',
      'app://margin/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
      `app://margin/${encodeURIComponent(path.join(rendererDir, '..', 'secret.txt'))}`,
      'app://margin/..%2frenderer-evil%2findex.html',
      'app://margin/index.html%00.js',
      'app://margin/%2e%2e',
    ];
    for (const url of escapes) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      const body = await res.text();
      expect(body, url).not.toContain('SECRET');
      expect(body, url).not.toContain(rendererDir);
      expect(res.headers.get('content-security-policy'), url).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('answers 404 for missing files, folders and other hosts, 400 for a malformed path, 405 for other methods', async () => {
    expect((await get('app://margin/nope.js')).status).toBe(404);
    expect((await get('app://margin/assets')).status).toBe(404);
    expect((await get('app://margin/assets/')).status).toBe(404);
    expect((await get('app://evil/index.html')).status).toBe(404);
    expect((await get('app://margin.evil/index.html')).status).toBe(404);
    expect((await get('app://margin/%E0%A4%A')).status).toBe(400);
    expect((await get(APP_PAGE_URL, 'POST')).status).toBe(405);
    const head = await get(APP_PAGE_URL, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  const built = path.join(REPO_ROOT, 'out', 'renderer');
  const isBuilt = existsSync(path.join(built, 'index.html'));
  if (!isBuilt) console.log('app:// over the build output skipped: run `npm run build` first (npm test does)');
  it.skipIf(!isBuilt)('serves every file of the real build, scripts as JavaScript and styles as CSS', async () => {
    const files = readdirSync(built, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files.length).toBeGreaterThan(2);
    for (const entry of files) {
      const relative = path.relative(built, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
      const res = await serveAppFile(new Request(`app://margin/${relative}`), built);
      expect(res.status, relative).toBe(200);
      if (relative.endsWith('.js')) expect(res.headers.get('content-type'), relative).toBe('text/javascript; charset=utf-8');
      if (relative.endsWith('.css')) expect(res.headers.get('content-type'), relative).toBe('text/css; charset=utf-8');
    }
  });
});
