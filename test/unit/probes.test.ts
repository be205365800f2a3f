import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDEX_FILE } from '../../electron/services/store/projectIndex';
import type { Workspace } from '../../electron/services/workspace';
import { startWebServer, type WebServer } from '../../electron/web';
import { recordSecurityRows } from '../securityReport';
import { openWorkspace, REPO_ROOT, samplePaths, TempDirs } from './helpers';
import { connects, type RawRequest, type RawResponse, rawHttp, snapshot, snapshotChanges } from './probeHttp';

/**
 * The browser-mode probes of the security review, kept as a suite: the real server on a temp
 * project, each probe sent over real HTTP. A probe holds when the answer is the refusal it must
 * be, the answer leaks nothing (no file outside the served folder, no project text without the
 * token, no internals), and no file changed: not in the project, not beside it, not in the
 * settings folder. The count goes into the security summary `npm test` prints.
 */

const temps = new TempDirs();
let ws: Workspace;
let server: WebServer;
let root: string;
let projectDir: string;
let userData: string;
let staticDir: string;
let docId: string;
let articleLine: string;

const SECRET = 'TOP-SECRET-OUTSIDE-THE-SERVED-FOLDER';
const INDEX = '<!doctype html><html><body>Margin probe page</body></html>';

/** What an answer must never carry: errno codes, Node error codes, stack frames, the word internal, where the app's code lives. */
const INTERNALS = [/\bE(NOENT|ACCES|PERM|ISDIR|NOTDIR|MFILE|NFILE|NOSPC|EXIST|INVAL|LOOP|NAMETOOLONG|CONNRESET|PIPE)\b/, /\bERR_[A-Z_]+\b/, /\n\s+at .+:\d+:\d+/, /internal/i];

beforeAll(async () => {
  root = temps.make('margin-probes-');
  projectDir = path.join(root, 'project');
  ws = await openWorkspace(temps, projectDir);
  userData = process.env.MARGIN_USER_DATA!;
  staticDir = path.join(root, 'renderer');
  mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  writeFileSync(path.join(staticDir, 'index.html'), INDEX);
  writeFileSync(path.join(root, 'secret.txt'), SECRET);
  writeFileSync(path.join(root, 'package.json'), SECRET);
  // A link inside the served folder leading out of it: following it would serve the secret.
  symlinkSync(path.join(root, 'secret.txt'), path.join(staticDir, 'assets', 'link.txt'));
  server = await startWebServer({ handlers: ws.handlers, staticDir, port: 0, projectDir: () => ws.projectDir });

  // A real project: a CNN article (curly quotes, non-breaking spaces) with one annotation.
  const text = readFileSync(samplePaths()[0]!, 'utf8');
  articleLine = 'urged top Israeli officials to “capitalize”';
  expect(text).toContain(articleLine);
  await api('setAnnotator', { name: 'ana' });
  const imported = (await api('importText', { text })) as { imported: Array<{ docId: string }> };
  docId = imported.imported[0]!.docId;
  const start = text.indexOf(articleLine);
  await api('createAnnotation', { docId, label: 'claim', start, end: start + articleLine.length });
});

afterAll(async () => {
  await server?.close();
  await ws?.close();
  temps.cleanup();
});

/** An authorised API call, for the setup. */
async function api(method: string, args: unknown): Promise<unknown> {
  const res = await rawHttp(server.port, { method: 'POST', target: `/api/${method}`, headers: bearer(), body: JSON.stringify(args) });
  const envelope = JSON.parse(res.body) as { ok: boolean; value?: unknown; error?: { message: string } };
  if (!envelope.ok) throw new Error(`${method}: ${envelope.error?.message}`);
  return envelope.value;
}

const bearer = () => ({ Authorization: `Bearer ${server.token}` });
const post = (method: string, body: unknown, headers: Record<string, string | null> = bearer()): RawRequest => ({
  method: 'POST',
  target: `/api/${method}`,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const get = (target: string, headers: Record<string, string | null> = bearer()): RawRequest => ({ target, headers });

interface Probe {
  group: string;
  /** What is sent, in words. */
  name: string;
  request: () => RawRequest;
  /** The refusal that must come back (a list: any of them). */
  status: number | number[];
  /** Connect to this address instead of 127.0.0.1. */
  via?: string;
  /** Node itself answers (a request it cannot parse): no headers of ours to check. */
  nodeAnswers?: boolean;
  /** Accepted probes that may add to the project (a hostile file name is only a name): nothing outside it may change. */
  mayChangeProject?: boolean;
  /** Paths that must not exist afterwards (where an escape would have written). */
  mustNotExist?: () => string[];
  /** Whether the answer may show the article (the token was given and the call is a read). */
  mayShowArticle?: boolean;
}

const refusedPath = [400, 404];
const escapeTarget = () => path.join(os.tmpdir(), `margin-probe-escape-${server.port}`);

function probes(): Probe[] {
  const list: Probe[] = [];
  const add = (group: string, entries: Array<Omit<Probe, 'group'>>) => list.push(...entries.map((p) => ({ group, ...p })));

  add('token', [
    { name: 'GET / without a token', request: () => get('/', {}), status: 401 },
    { name: 'GET /index.html without a token', request: () => get('/index.html', {}), status: 401 },
    { name: 'POST /api/listDocuments without a token', request: () => post('listDocuments', {}, {}), status: 401 },
    { name: 'POST /api/getDocument without a token', request: () => post('getDocument', { docId }, {}), status: 401 },
    { name: 'POST /api/createAnnotation without a token', request: () => post('createAnnotation', { docId, label: 'claim', start: 0, end: 4 }, {}), status: 401 },
    { name: 'POST /api/setAnnotator without a token', request: () => post('setAnnotator', { name: 'mallory' }, {}), status: 401 },
    { name: 'GET /download/x without a token', request: () => get('/download/x', {}), status: 401 },
    { name: 'a wrong bearer token', request: () => post('listDocuments', {}, { Authorization: 'Bearer wrong' }), status: 401 },
    { name: 'the token less its last character', request: () => post('listDocuments', {}, { Authorization: `Bearer ${server.token.slice(0, -1)}` }), status: 401 },
    { name: 'the token and one more character', request: () => post('listDocuments', {}, { Authorization: `Bearer ${server.token}x` }), status: 401 },
    { name: 'the token with one letter in the other case', request: () => post('listDocuments', {}, { Authorization: `Bearer ${otherCase(server.token)}` }), status: 401 },
    { name: 'an empty token in the query', request: () => get('/?token=', {}), status: 401 },
    { name: 'the token under another query name', request: () => get(`/?t=${server.token}`, {}), status: 401 },
    { name: 'the token as Basic credentials', request: () => post('listDocuments', {}, { Authorization: `Basic ${Buffer.from(`x:${server.token}`).toString('base64')}` }), status: 401 },
    { name: 'the token in a cookie without the port in its name', request: () => post('listDocuments', {}, { Cookie: `margin_token=${server.token}` }), status: 401 },
    { name: "the token in another port's cookie", request: () => post('listDocuments', {}, { Cookie: `margin_token_${server.port + 1}=${server.token}` }), status: 401 },
    { name: 'a wrong value in the right cookie', request: () => post('listDocuments', {}, { Cookie: `margin_token_${server.port}=wrong` }), status: 401 },
  ]);

  add('Host (DNS rebinding)', [
    ...['evil.com', 'evil.com:{port}', '127.0.0.1:1', '127.0.0.1.evil.com:{port}', 'localhost.evil.com:{port}', '0.0.0.0:{port}', '[::1]:{port}', '127.0.0.1.:{port}', 'LOCALHOST:{port}', '127.0.0.1', ''].map(
      (h): Omit<Probe, 'group'> => ({ name: `Host: "${h}" with the token`, request: () => post('listDocuments', {}, { ...bearer(), Host: fill(h) }), status: 403 }),
    ),
    { name: 'no Host header at all, with the token', request: () => post('listDocuments', {}, { ...bearer(), Host: null }), status: [400, 403], nodeAnswers: true },
    { name: 'the page with the token through Host: evil.com (no cookie may be set)', request: () => get(`/?token=${server.token}`, { Host: `evil.com:${server.port}` }), status: 403 },
  ]);

  add('Origin (cross-site requests)', [
    ...['https://evil.example', 'null', 'http://127.0.0.1:{port+1}', 'https://127.0.0.1:{port}', 'http://127.0.0.1:{port}.evil.com', 'http://localhost.evil.com:{port}', 'file://', 'chrome-extension://abcdefghijklmnop'].map(
      (o): Omit<Probe, 'group'> => ({ name: `Origin: "${o}" with the token`, request: () => post('listDocuments', {}, { ...bearer(), Origin: fill(o) }), status: 403 }),
    ),
  ]);

  add('cross-site POST', [
    { name: 'a form POST (text/plain) from another site carrying the cookie', request: () => ({ ...post('setAnnotator', '{"name":"mallory"}', { Cookie: cookie(), Origin: 'https://evil.example' }), headers: { Cookie: cookie(), Origin: 'https://evil.example', 'Content-Type': 'text/plain' } }), status: 403 },
    { name: 'a urlencoded form POST from another site carrying the cookie', request: () => ({ method: 'POST', target: '/api/setAnnotator', headers: { Cookie: cookie(), Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'name=mallory' }), status: 403 },
    { name: 'a POST marked Sec-Fetch-Site: cross-site carrying the cookie, no Origin', request: () => post('setAnnotator', { name: 'mallory' }, { Cookie: cookie(), 'Sec-Fetch-Site': 'cross-site' }), status: 403 },
    { name: 'a POST from another port of this host (same-site) carrying the cookie, no Origin', request: () => post('setAnnotator', { name: 'mallory' }, { Cookie: cookie(), 'Sec-Fetch-Site': 'same-site' }), status: 403 },
    { name: 'a POST from another site carrying the cookie in a Referer-only request', request: () => post('setAnnotator', { name: 'mallory' }, { Cookie: cookie(), Origin: 'https://evil.example', Referer: 'https://evil.example/page' }), status: 403 },
  ]);

  add('methods', [
    { name: 'GET /api/listDocuments', request: () => get('/api/listDocuments'), status: 405 },
    { name: 'PUT /api/setAnnotator', request: () => ({ ...post('setAnnotator', { name: 'mallory' }), method: 'PUT' }), status: 405 },
    { name: 'DELETE /api/deleteDocument', request: () => ({ ...post('deleteDocument', { docId, confirmed: { layers: 1, annotations: 1 } }), method: 'DELETE' }), status: 405 },
    { name: 'OPTIONS /api/listDocuments (a CORS preflight gets no answer that allows it)', request: () => ({ method: 'OPTIONS', target: '/api/listDocuments', headers: { ...bearer(), Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } }), status: 403 },
    { name: 'POST /index.html', request: () => ({ ...post('x', {}), target: '/index.html' }), status: 405 },
    { name: 'POST /download/x', request: () => ({ ...post('x', {}), target: '/download/x' }), status: 405 },
  ]);

  // The 17 spellings of the review, and more: none reaches a file outside the served folder.
  add('path traversal (static files)', [
    ...[
      '/../secret.txt',
      '/../../../../../../etc/passwd',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/..%2fsecret.txt',
      '/.%2e/secret.txt',
      '/%2e./secret.txt',
      '/%252e%252e/secret.txt',
      '/%252e%252e%252fsecret.txt',
      '/..\\secret.txt',
      '/..%5csecret.txt',
      '/%5c..%5csecret.txt',
      '/assets/../../secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      `/${'..%2f'.repeat(12)}etc/passwd`,
      '//etc/passwd',
      '/%2fetc%2fpasswd',
      '/{root-encoded}%2fsecret.txt',
      '/{root}/secret.txt',
      '/C:%5cWindows%5cwin.ini',
      '/index.html%00.txt',
      '/%00../secret.txt',
      '/%c0%ae%c0%ae/secret.txt',
      '/%ef%bc%8e%ef%bc%8e/secret.txt',
      '/%e2%80%a6/secret.txt',
      '/....//secret.txt',
      '/%E0%A4%A',
      '/assets/link.txt',
    ].map((p): Omit<Probe, 'group'> => ({ name: `GET ${p}`, request: () => get(fill(p)), status: refusedPath })),
  ]);

  add('path traversal (export downloads)', [
    ...['/download/..%2fmargin.json', '/download/%2e%2e%2fmargin.json', '/download/..%2fdocuments%2f{docId}.json', '/download/..%5cmargin.json', '/download/.hidden', '/download/%00', '/download/', '/download/{project-encoded}%2fmargin.json', '/download/%252e%252e%252fmargin.json'].map(
      (p): Omit<Probe, 'group'> => ({ name: `GET ${p}`, request: () => get(fill(p)), status: refusedPath }),
    ),
  ]);

  add('hostile ids', [
    { name: 'getDocument docId "../margin.json"', request: () => post('getDocument', { docId: '../margin.json' }), status: 400 },
    { name: 'getDocument docId "../../secret.txt"', request: () => post('getDocument', { docId: '../../secret.txt' }), status: 400 },
    { name: 'getDocument docId "/etc/passwd"', request: () => post('getDocument', { docId: '/etc/passwd' }), status: 400 },
    { name: 'getDocument docId with a null byte', request: () => post('getDocument', { docId: `${'a'.repeat(15)}\u0000` }), status: 400 },
    { name: 'getDocument docId in capitals', request: () => post('getDocument', { docId: docId.toUpperCase().replace(/^[0-9]/, 'A') }), status: 400 },
    { name: 'getDocument docId 100,000 characters long', request: () => post('getDocument', { docId: 'a'.repeat(100_000) }), status: 400 },
    { name: 'listAnnotations docId "..%2f..%2fsecret"', request: () => post('listAnnotations', { docId: '..%2f..%2fsecret' }), status: 400 },
    { name: 'createAnnotation docId "../../escape"', request: () => post('createAnnotation', { docId: '../../escape', label: 'claim', start: 0, end: 4 }), status: 400 },
    { name: 'deleteDocument docId "../"', request: () => post('deleteDocument', { docId: '../', confirmed: { layers: 0, annotations: 0 } }), status: 400 },
    { name: 'restoreDocument trashId "../../secret"', request: () => post('restoreDocument', { trashId: '../../secret' }), status: 400 },
    { name: 'exportProgress jobId "../../etc/passwd"', request: () => post('exportProgress', { jobId: '../../etc/passwd' }), status: 422 },
    { name: 'revealExport path outside the project', request: () => post('revealExport', { path: path.join(root, 'secret.txt') }), status: [200, 422] },
    { name: 'an unknown method named __proto__', request: () => post('__proto__', {}), status: 404 },
    { name: 'an unknown method named constructor', request: () => post('constructor', {}), status: 404 },
    { name: 'a method name with a null byte', request: () => ({ ...post('listDocuments', {}), target: '/api/listDocuments%00' }), status: 404 },
    { name: 'a window id "../../x"', request: () => post('listDocuments', {}, { ...bearer(), 'X-Margin-Window': '../../x' }), status: 400 },
    { name: 'a window id 10,000 characters long', request: () => post('listDocuments', {}, { ...bearer(), 'X-Margin-Window': 'w'.repeat(10_000) }), status: 400 },
  ]);

  add('hostile annotator names', [
    ...[
      '../x',
      '../../../../../..{escape}',
      'a/b',
      'a\\b',
      '.',
      '..',
      '.hidden',
      'name\u0000',
      'name\nsecond line',
      'name\u0007',
      '\u202eevil',
      'x'.repeat(65),
      'x'.repeat(100_000),
      '',
      '   ',
      'a:b',
      'a*b',
      'con/../..',
    ].map(
      (n): Omit<Probe, 'group'> => ({
        name: `setAnnotator ${JSON.stringify(n.length > 80 ? `${n.slice(0, 8)}… (${n.length} characters)` : n)}`,
        request: () => post('setAnnotator', { name: fill(n) }),
        status: 400,
        mustNotExist: () => [escapeTarget()],
      }),
    ),
    {
      name: 'importAnnotations whose records name the annotator "../../escape"',
      request: () => post('importAnnotations', { format: 'jsonl', files: [{ name: 'x.jsonl', data: Buffer.from(`${JSON.stringify({ docId, annotator: `../../../../../..${escapeTarget()}`, label: 'claim', start: 0, end: 4 })}\n`).toString('base64') }] }),
      status: [200, 422],
      mustNotExist: () => [escapeTarget()],
      mayChangeProject: true,
    },
    {
      name: 'importFiles of a file named "../../../escape.txt"',
      request: () => post('importFiles', { files: [{ name: `../../../../../..${escapeTarget()}.txt`, data: Buffer.from('A hostile name\n\nOnly a name.').toString('base64') }] }),
      status: 200,
      mustNotExist: () => [`${escapeTarget()}.txt`, escapeTarget()],
      mayChangeProject: true,
    },
  ]);

  add('oversized and malformed bodies', [
    { name: 'a 41 MB body', request: () => post('importText', `{"text":"${'a'.repeat(41 * 1024 * 1024)}"}`), status: 413 },
    { name: 'Content-Length of a terabyte, a small body', request: () => ({ ...post('importText', '{"text":"x"}'), headers: { ...bearer(), 'Content-Length': String(2 ** 40) } }), status: 413 },
    { name: 'importFiles with a file over 20 MB', request: () => post('importFiles', { files: [{ name: 'big.txt', data: 'QUFB'.repeat(7_000_000) }] }), status: 400 },
    { name: 'JSON nested 100,000 deep', request: () => post('getSession', `${'['.repeat(100_000)}${']'.repeat(100_000)}`), status: 400 },
    { name: 'a body that is not JSON', request: () => post('getDocument', '{docId:'), status: 400 },
    { name: 'a body that is JSON but not an object', request: () => post('getDocument', '"just a string"'), status: 400 },
    { name: 'a body of invalid UTF-8', request: () => ({ ...post('getDocument', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) as unknown as string) }), status: 400 },
    { name: 'a __proto__ key (prototype pollution)', request: () => post('getSession', '{"__proto__":{"polluted":true}}'), status: 400 },
    { name: 'a constructor.prototype key (prototype pollution)', request: () => post('getSession', '{"constructor":{"prototype":{"polluted":true}}}'), status: 400 },
    { name: 'a 100 KB header', request: () => post('getSession', {}, { ...bearer(), 'X-Padding': 'p'.repeat(100_000) }), status: 431, nodeAnswers: true },
    { name: 'a 100 KB URL', request: () => get(`/${'a'.repeat(100_000)}`), status: 431, nodeAnswers: true },
  ]);

  add('loopback only', [
    { name: 'a connection to 127.0.0.2 (loopback, not the address served)', request: () => get('/'), via: '127.0.0.2', status: 0 },
    { name: 'a connection over IPv6 (::1)', request: () => get('/'), via: '::1', status: 0 },
    ...externalAddresses().map((address): Omit<Probe, 'group'> => ({ name: `a connection to this machine's network address ${address}`, request: () => get('/'), via: address, status: 0 })),
  ]);
  return list;
}

/** A probe's text with this run's port, folders and document id put in. */
function fill(text: string): string {
  return text
    .replaceAll('{port+1}', String(server.port + 1))
    .replaceAll('{port}', String(server.port))
    .replaceAll('{root-encoded}', encodeURIComponent(root))
    .replaceAll('{root}', root)
    .replaceAll('{project-encoded}', encodeURIComponent(projectDir))
    .replaceAll('{docId}', docId)
    .replaceAll('{escape}', escapeTarget());
}

function otherCase(token: string): string {
  const at = token.search(/[a-zA-Z]/);
  const c = token[at]!;
  return token.slice(0, at) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + token.slice(at + 1);
}

const cookie = () => `margin_token_${server.port}=${server.token}`;

function externalAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((i) => i && !i.internal && i.family === 'IPv4')
    .map((i) => i!.address);
}

const PROBES = probes();
const outcomes = { passed: 0, total: PROBES.length };

afterAll(() => {
  recordSecurityRows('probes', [
    { check: 'browser-mode probes', passed: outcomes.passed, total: outcomes.total, failures: outcomes.total - outcomes.passed, detail: `${PROBES.length} probes over HTTP against a temp project` },
  ]);
});

describe('browser-mode probes', () => {
  it('sends at least the 80 probes of the security review', () => {
    expect(PROBES.length).toBeGreaterThanOrEqual(80);
  });

  it.each(PROBES.map((p) => [`${p.group}: ${p.name}`, p] as const))('%s', async (_title, probe) => {
    const dirs = [root, userData];
    const before = snapshot(dirs);
    const expected = Array.isArray(probe.status) ? probe.status : [probe.status];

    if (probe.via) {
      // Loopback only: another address must not even accept the connection.
      expect(await connects(probe.via, server.port)).toBe(false);
    } else {
      const res: RawResponse = await rawHttp(server.port, probe.request());
      expect(expected, `status ${res.status}: ${res.body.slice(0, 200)}`).toContain(res.status);
      expect(res.body).not.toContain(SECRET);
      expect(res.body).not.toContain('root:x:');
      if (!probe.mayShowArticle) expect(res.body).not.toContain(articleLine);
      for (const pattern of INTERNALS) expect(res.body, `the answer shows internals (${pattern})`).not.toMatch(pattern);
      expect(res.body).not.toContain(REPO_ROOT);
      if (res.status !== 200) expect(res.cookies, 'a refused request sets no cookie').toEqual([]);
      if (!probe.nodeAnswers) {
        expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['access-control-allow-origin']).toBeUndefined();
      }
    }

    // The project index (and its temporary file) is a cache the store rewrites on a timer after the setup's writes, not project data.
    const changes = snapshotChanges(before, snapshot(dirs)).filter((c) => path.dirname(c.split(' ')[1]!) !== projectDir || !c.includes(INDEX_FILE));
    const allowed = probe.mayChangeProject ? changes.filter((c) => !c.split(' ')[1]!.startsWith(projectDir + path.sep)) : changes;
    expect(allowed, 'files changed by a refused probe').toEqual([]);
    for (const target of probe.mustNotExist?.() ?? []) expect(() => readFileSync(target), `${target} was written`).toThrow();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    outcomes.passed++;
  });
});
