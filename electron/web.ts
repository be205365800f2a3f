import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type ApiHandlers, DEFAULT_WINDOW, WINDOW_HEADER, WINDOW_ID_PATTERN } from '../shared/api';
import { findExportDownload } from './services/datasets/exportDownload';
import { dispatch, isApiMethod } from './services/dispatch';
import { MarginError } from './services/errors';

/** Same policy as the desktop window: our own scripts and styles only, no remote content. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const MAX_BODY = 40 * 1024 * 1024;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface WebServerOptions {
  handlers: ApiHandlers;
  staticDir: string;
  port?: number;
  token?: string;
  /** The open project, whose finished exports GET /download/<name> serves; no downloads without it. */
  projectDir?: () => string;
}

export interface WebServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function sameSecret(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** Every response carries these: the page's CSP (frame-ancestors works only as a header), no sniffing, no framing, no caching. */
function headers(type: string): http.OutgoingHttpHeaders {
  return {
    'Content-Type': type,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}

function send(res: http.ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, headers(type));
  res.end(body);
}

/** `attachment`, with the name both plain (old browsers) and UTF-8 encoded (RFC 6266). */
function attachment(fileName: string): string {
  const plain = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${plain}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

const DOWNLOAD_PREFIX = '/download/';

/**
 * GET /download/<name>: a finished export of the open project, as a download (browser mode
 * writes exports on the server's side). Only entries of <project>/exports/ (exportDownload.ts).
 */
async function sendExport(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, projectDir: (() => string) | undefined): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Use GET to download an export');
  if (!projectDir) return send(res, 404, 'This server serves no exports');
  let name: string;
  try {
    name = decodeURIComponent(pathname.slice(DOWNLOAD_PREFIX.length));
  } catch {
    return send(res, 400, 'Bad request: malformed export name');
  }
  let download, stream;
  try {
    download = await findExportDownload(projectDir(), name);
    stream = req.method === 'HEAD' ? null : await download.open();
  } catch (error) {
    if (!(error instanceof MarginError)) throw error;
    return send(res, error.code === 'not-found' ? 404 : 400, error.message);
  }
  res.writeHead(200, {
    ...headers(download.type),
    'Content-Disposition': attachment(download.fileName),
    ...(download.size !== undefined ? { 'Content-Length': download.size } : {}),
  });
  if (!stream) return void res.end();
  // A file gone or unreadable halfway: the browser sees the download fail, not a truncated file called complete.
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** The tab a request comes from (its annotator name is its own); null when the header is malformed. */
function windowIdOf(req: http.IncomingMessage): string | null {
  const given = req.headers[WINDOW_HEADER.toLowerCase()];
  if (given === undefined) return DEFAULT_WINDOW;
  return typeof given === 'string' && WINDOW_ID_PATTERN.test(given) ? given : null;
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Browser mode: the same API as the desktop app, as POST /api/<method>, and the same UI, on
 * 127.0.0.1 only. Every request needs the per-run token (query, bearer header, or the cookie
 * set when the page was opened with it); foreign Host and Origin headers are refused, which
 * stops DNS rebinding and cross-site requests.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  let port = 0;
  const cookieName = () => `margin_token_${port}`;
  /** Calls under way; closing the server aborts them, so a pending long poll ends at once. */
  const inFlight = new Set<AbortController>();

  const server = http.createServer((req, res) => {
    void (async () => {
      const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
      if (!allowedHosts.includes(req.headers.host ?? '')) return send(res, 403, 'Forbidden: foreign Host header');
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedHosts.map((h) => `http://${h}`).includes(origin)) {
        return send(res, 403, 'Forbidden: foreign Origin header');
      }
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      const bearer = req.headers.authorization?.replace(/^Bearer\s+/i, '');
      const fromQuery = url.searchParams.get('token') ?? undefined;
      const authorised =
        sameSecret(bearer, token) || sameSecret(fromQuery, token) || sameSecret(cookieValue(req.headers.cookie, cookieName()), token);
      if (!authorised) return send(res, 401, 'Unauthorized: open the URL that `margin serve` printed (it carries the token)');
      if (sameSecret(fromQuery, token)) {
        res.setHeader('Set-Cookie', `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      }

      if (url.pathname.startsWith('/api/')) {
        if (req.method !== 'POST') return send(res, 405, 'Use POST for API calls');
        const method = url.pathname.slice('/api/'.length);
        if (!isApiMethod(method)) return send(res, 404, `Unknown API method ${method}`);
        const windowId = windowIdOf(req);
        if (windowId === null) {
          const message = `${WINDOW_HEADER} must be 1 to 64 letters, digits, "-" or "_"`;
          return send(res, 400, JSON.stringify({ ok: false, error: { code: 'validation', message } }), 'application/json');
        }
        let args: unknown;
        try {
          const body = await readBody(req);
          args = body === '' ? {} : JSON.parse(body);
        } catch (error) {
          const envelope = { ok: false, error: { code: 'validation', message: `Request body is not valid JSON: ${(error as Error).message}` } };
          return send(res, 400, JSON.stringify(envelope), 'application/json');
        }
        const controller = new AbortController();
        inFlight.add(controller);
        // A tab closed or reloaded mid-call: its long poll need not wait any longer.
        res.once('close', () => controller.abort());
        let envelope;
        try {
          envelope = await dispatch(options.handlers, method, args, { windowId, signal: controller.signal });
        } finally {
          inFlight.delete(controller);
        }
        const status = envelope.ok ? 200 : envelope.error.code === 'validation' ? 400 : envelope.error.code === 'internal' ? 500 : 422;
        return send(res, status, JSON.stringify(envelope), 'application/json');
      }

      if (url.pathname === DOWNLOAD_PREFIX.slice(0, -1) || url.pathname.startsWith(DOWNLOAD_PREFIX)) return sendExport(req, res, url.pathname, options.projectDir);

      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
      let relative: string;
      try {
        relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
      } catch {
        return send(res, 400, 'Bad request: malformed path');
      }
      const file = path.resolve(options.staticDir, `.${relative}`);
      if (!file.startsWith(path.resolve(options.staticDir) + path.sep)) return send(res, 404, 'Not found');
      try {
        const body = await readFile(file);
        return send(res, 200, body, TYPES[path.extname(file)] ?? 'application/octet-stream');
      } catch {
        return send(res, 404, `Not found: ${relative}`);
      }
    })().catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, `Internal error: ${(error as Error).message}`);
    });
  });

  // A long poll (waitForChanges) keeps a response open for about 20 s: no socket timeout may cut
  // it (Node's requestTimeout only covers receiving the request, which is over by then).
  server.setTimeout(0);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const controller of inFlight) controller.abort();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
