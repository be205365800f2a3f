import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, realpath } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { type ApiHandlers, DEFAULT_WINDOW, WINDOW_HEADER, WINDOW_ID_PATTERN } from '../shared/api';
import { findExportDownload } from './services/datasets/exportDownload';
import { dispatch, isApiMethod } from './services/dispatch';
import { contentTypeOf, pageHeaders } from './pageHeaders';
import { MarginError } from './services/errors';

/** The page's headers are shared with the desktop app's app://margin handler (pageHeaders.ts). */
export { CONTENT_SECURITY_POLICY } from './pageHeaders';

const MAX_BODY = 40 * 1024 * 1024;

/**
 * Open connections beyond which the oldest idle ones are closed. A window needs a handful (a
 * browser opens at most six per host); idle sockets held by anything else must not lock it out.
 */
export const CONNECTION_LIMIT = 64;
/** Past this many, even busy connections are refused by the kernel's accept queue instead of served. */
const MAX_CONNECTIONS = 1024;
/** A client gets this long to send a request's headers, and this long for the whole request (a 40 MB import). */
const HEADERS_TIMEOUT_MS = 15_000;
const REQUEST_TIMEOUT_MS = 120_000;
const KEEP_ALIVE_TIMEOUT_MS = 5_000;

class BodyTooLarge extends Error {}

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
const headers = (type: string): http.OutgoingHttpHeaders => pageHeaders(type);

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

/** 413, and the connection closed: the rest of an oversized body is not worth reading. */
function refuseLargeBody(req: http.IncomingMessage, res: http.ServerResponse): void {
  const message = `The request is larger than ${MAX_BODY / 1024 / 1024} MB. Import large files from the command line (margin import), or split them.`;
  res.setHeader('Connection', 'close');
  send(res, 413, JSON.stringify({ ok: false, error: { code: 'validation', message } }), 'application/json');
  res.once('finish', () => req.socket.destroy());
}

/**
 * Another site's page may send requests here (a form, a link, a script); only a top-level
 * navigation is let through, since that page can never read what comes back. Another port of
 * this host counts as the same site to a browser, so "same-site" is refused too.
 */
function fromAnotherSite(req: http.IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== 'cross-site' && site !== 'same-site') return false;
  return !(req.method === 'GET' && req.headers['sec-fetch-mode'] === 'navigate');
}

/**
 * Keeps sockets that hold on without asking (or ask slowly) from crowding out the window: when
 * more than CONNECTION_LIMIT are open, the oldest ones with no request under way are closed. A
 * socket carrying a request (a long poll, an import) is never cut.
 */
function closeIdleBeyondLimit(server: http.Server): void {
  const open = new Set<Socket>(); // in order of arrival: oldest first
  const busy = new Map<Socket, number>();
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    for (const old of open) {
      if (open.size <= CONNECTION_LIMIT) break;
      if (old === socket || busy.has(old)) continue;
      open.delete(old);
      old.destroy();
    }
  });
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    busy.set(socket, (busy.get(socket) ?? 0) + 1);
    res.once('close', () => {
      const left = (busy.get(socket) ?? 1) - 1;
      if (left > 0) busy.set(socket, left);
      else busy.delete(socket);
    });
  });
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BodyTooLarge();
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

  const servedDir = await realpath(options.staticDir).catch(() => path.resolve(options.staticDir));
  // Checked every 5 s (Node's default is 30 s), so a client that never finishes its headers is let go soon.
  const server = http.createServer({ connectionsCheckingInterval: 5_000 }, (req, res) => {
    void (async () => {
      const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
      if (!allowedHosts.includes(req.headers.host ?? '')) return send(res, 403, 'Forbidden: foreign Host header');
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedHosts.map((h) => `http://${h}`).includes(origin)) {
        return send(res, 403, 'Forbidden: foreign Origin header');
      }
      if (fromAnotherSite(req)) return send(res, 403, 'Forbidden: a request from another site');
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
        const declared = Number(req.headers['content-length'] ?? 0);
        if (declared > MAX_BODY) return refuseLargeBody(req, res);
        let args: unknown;
        try {
          const body = await readBody(req);
          args = body === '' ? {} : JSON.parse(body);
        } catch (error) {
          if (error instanceof BodyTooLarge) return refuseLargeBody(req, res);
          const envelope = { ok: false, error: { code: 'validation', message: `The request to ${method} is not valid JSON: ${(error as Error).message}` } };
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
        // A link inside the folder may lead out of it: what is served is where it really leads.
        const real = await realpath(file);
        if (!real.startsWith(servedDir + path.sep)) return send(res, 404, `Not found: ${relative}`);
        const body = await readFile(real);
        return send(res, 200, body, contentTypeOf(file));
      } catch {
        return send(res, 404, `Not found: ${relative}`);
      }
    })().catch((error: unknown) => {
      console.error(`[margin] ${req.method} ${req.url?.split('?')[0]} failed:`, error);
      if (!res.headersSent) send(res, 500, 'The server could not answer this request. Try again; if it keeps failing, restart margin serve.');
    });
  });
  server.maxConnections = MAX_CONNECTIONS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  closeIdleBeyondLimit(server);

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
