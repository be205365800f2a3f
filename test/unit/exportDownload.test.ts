import { mkdirSync, readdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../electron/services/workspace';
import { startWebServer, type WebServer } from '../../electron/web';
import { openWorkspace, samplePaths, TempDirs } from './helpers';

/**
 * Browser mode's download of a finished export (issue 11, item 10): GET /download/<name> serves
 * what is inside <project>/exports/ and nothing else, a folder export as a zip.
 */

const temps = new TempDirs();
let ws: Workspace;
let server: WebServer;
let exportsDir: string;
let jsonlName: string;
let bratName: string;
const SECRET = 'TOP-SECRET-OUTSIDE-EXPORTS';

async function exported(format: 'jsonl' | 'brat'): Promise<string> {
  const started = await ws.handlers.startExport({ format, documents: 'all' });
  for (let i = 0; i < 1000; i++) {
    const progress = await ws.handlers.exportProgress({ jobId: started.jobId });
    if (progress.finished) {
      if (progress.error || !progress.result) throw new Error(`export failed: ${progress.error}`);
      return path.basename(progress.result.path);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the export did not finish');
}

beforeAll(async () => {
  ws = await openWorkspace(temps);
  await ws.importPaths(samplePaths());
  jsonlName = await exported('jsonl');
  bratName = await exported('brat');
  exportsDir = path.join(ws.projectDir, 'exports');
  // Things a download must never reach: the project's own files, and a file outside the project
  // reached through a link planted in exports/.
  const outside = path.join(temps.make(), 'secret.txt');
  writeFileSync(outside, SECRET);
  symlinkSync(outside, path.join(exportsDir, 'planted-link.txt'));
  symlinkSync(path.dirname(outside), path.join(exportsDir, 'planted-folder'));
  // What an export in progress writes first: a hidden temporary name.
  writeFileSync(path.join(exportsDir, '.2030-01-01-jsonl.jsonl.123.1.tmp'), 'half an export');
  const staticDir = path.join(temps.make(), 'renderer');
  mkdirSync(staticDir);
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Margin</title>');
  server = await startWebServer({ handlers: ws.handlers, staticDir, port: 0, projectDir: () => ws.projectDir });
});

afterAll(async () => {
  await server?.close();
  await ws?.close();
  temps.cleanup();
});

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A raw request: fetch would normalise /../ away before the server ever saw it. */
function raw(requestPath: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: requestPath, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const withToken = () => ({ Authorization: `Bearer ${server.token}` });

describe('downloading an export in browser mode', () => {
  it('serves a finished file export as an attachment, byte for byte', async () => {
    const res = await raw(`/download/${encodeURIComponent(jsonlName)}`, { headers: withToken() });
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${jsonlName}"; filename*=UTF-8''${encodeURIComponent(jsonlName)}`);
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body.equals(readFileSync(path.join(exportsDir, jsonlName)))).toBe(true);
    // Every sample article is in it.
    expect(res.body.toString('utf8').trim().split('\n')).toHaveLength(samplePaths().length);
  });

  it('serves a folder export (brat) as a zip holding the same files under the folder name', async () => {
    const res = await raw(`/download/${encodeURIComponent(bratName)}`, { headers: withToken() });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="${bratName}\\.zip"`));
    const zip = await JSZip.loadAsync(res.body);
    const files = Object.values(zip.files).filter((f) => !f.dir);
    const onDisk = readdirSync(path.join(exportsDir, bratName)).sort();
    expect(files.map((f) => f.name).sort()).toEqual(onDisk.map((n) => `${bratName}/${n}`));
    expect(onDisk.filter((n) => n.endsWith('.ann'))).toHaveLength(samplePaths().length);
    for (const file of files) {
      const content = await file.async('nodebuffer');
      expect(content.equals(readFileSync(path.join(exportsDir, file.name))), file.name).toBe(true);
    }
  });

  it('answers HEAD with the headers alone', async () => {
    const res = await raw(`/download/${encodeURIComponent(jsonlName)}`, { method: 'HEAD', headers: withToken() });
    expect(res.status).toBe(200);
    expect(Number(res.headers['content-length'])).toBe(readFileSync(path.join(exportsDir, jsonlName)).length);
    expect(res.body.length).toBe(0);
  });

  it('refuses a download without the token, or from a foreign site', async () => {
    expect((await raw(`/download/${encodeURIComponent(jsonlName)}`)).status).toBe(401);
    expect((await raw(`/download/${encodeURIComponent(jsonlName)}`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    const foreign = await raw(`/download/${encodeURIComponent(jsonlName)}`, { headers: { ...withToken(), Origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    const cookie = await raw(`/download/${encodeURIComponent(jsonlName)}?token=${server.token}`);
    expect(cookie.status).toBe(200);
  });

  it('refuses anything that is not an export, however the path is spelled', async () => {
    // ("/download/.." is no attempt at all: URL parsing makes it "/", the app's page.)
    const attempts = [
      '/download/../margin.json',
      '/download/..%2fmargin.json',
      '/download/..%2Fmargin.json',
      '/download/%2e%2e%2fmargin.json',
      '/download/..%5cmargin.json',
      '/download/.',
      '/download/',
      '/download',
      `/download/${encodeURIComponent(path.join(ws.projectDir, 'margin.json'))}`,
      `/download/${encodeURIComponent(bratName)}%2F..%2F..%2Fmargin.json`,
      '/download/planted-link.txt',
      '/download/planted-folder',
      `/download/${encodeURIComponent('.2030-01-01-jsonl.jsonl.123.1.tmp')}`,
      '/download/no-such-export.jsonl',
      '/download/%00',
      '/download/%E0%A4%A',
    ];
    for (const attempt of attempts) {
      const res = await raw(attempt, { headers: withToken() });
      expect(res.status, attempt).toBeGreaterThanOrEqual(400);
      expect(res.status, attempt).toBeLessThan(500);
      expect(res.headers['content-disposition'], attempt).toBeUndefined();
      const body = res.body.toString('utf8');
      expect(body, attempt).not.toContain(SECRET);
      expect(body, attempt).not.toContain('"schema"');
      expect(body, attempt).not.toContain('half an export');
    }
    const missing = await raw('/download/no-such-export.jsonl', { headers: withToken() });
    expect(missing.status).toBe(404);
    expect(missing.body.toString('utf8')).toBe('There is no export named no-such-export.jsonl in this project.');
  });

  it('refuses other methods', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      expect((await raw(`/download/${encodeURIComponent(jsonlName)}`, { method, headers: withToken() })).status, method).toBe(405);
    }
  });

  it('serves no downloads when it was started without a project (nothing to serve from)', async () => {
    const staticDir = path.join(temps.make(), 'renderer');
    mkdirSync(staticDir);
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html>');
    const bare = await startWebServer({ handlers: ws.handlers, staticDir, port: 0 });
    try {
      const res = await fetch(`http://127.0.0.1:${bare.port}/download/${encodeURIComponent(jsonlName)}`, { headers: { Authorization: `Bearer ${bare.token}` } });
      expect(res.status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});

describe('a folder export as a zip', () => {
  it('holds nested folders, UTF-8 names and empty files, and leaves out links', async () => {
    const dir = path.join(temps.make(), 'corpus');
    mkdirSync(path.join(dir, 'nested', 'deeper'), { recursive: true });
    writeFileSync(path.join(dir, 'Sinwar’s “deal”.txt'), 'Curly quotes\u00a0and a non-breaking space.\n'.repeat(50));
    writeFileSync(path.join(dir, 'empty.ann'), '');
    writeFileSync(path.join(dir, 'nested', 'deeper', 'doc.ann'), 'T1\tquote 0 4\tSome\n');
    symlinkSync(path.join(ws.projectDir, 'margin.json'), path.join(dir, 'link.json'));
    const { zipFolder } = await import('../../electron/services/datasets/zipFolder');
    const chunks: Buffer[] = [];
    for await (const chunk of await zipFolder(dir, 'corpus')) chunks.push(chunk as Buffer);
    const zip = await JSZip.loadAsync(Buffer.concat(chunks));
    const names = Object.values(zip.files).filter((f) => !f.dir).map((f) => f.name).sort();
    expect(names).toEqual(['corpus/empty.ann', 'corpus/nested/deeper/doc.ann', 'corpus/Sinwar’s “deal”.txt'].sort());
    expect(await zip.file('corpus/Sinwar’s “deal”.txt')!.async('string')).toBe('Curly quotes\u00a0and a non-breaking space.\n'.repeat(50));
    expect(await zip.file('corpus/empty.ann')!.async('string')).toBe('');
  });

  it('refuses, before sending anything, a folder too big for a classic zip', async () => {
    const dir = path.join(temps.make(), 'huge');
    mkdirSync(dir);
    // A sparse file: 5 GiB long, nothing written.
    writeFileSync(path.join(dir, 'big.txt'), '');
    truncateSync(path.join(dir, 'big.txt'), 5 * 1024 ** 3);
    const { zipFolder } = await import('../../electron/services/datasets/zipFolder');
    await expect(zipFolder(dir, 'huge')).rejects.toThrow("huge is too big to download as one zip (1 file); it is in the project's exports folder.");
  });
});
