import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Protocol } from 'electron';
import { contentTypeOf, pageHeaders } from './pageHeaders';

/**
 * The desktop window's page comes from app://margin/, not file://. A file:// page may read any
 * other file:// URL and gets no response headers; app://margin is an origin of its own, serves
 * only the built renderer folder, and sends the CSP as a header (frame-ancestors needs one).
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'margin';
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * Standard: relative URLs, an origin and storage like https. Secure: a secure context, no mixed
 * content warnings. supportFetchAPI: the page's module scripts load through fetch. Not
 * corsEnabled, so no other origin can read from it. Must run before the app is ready.
 */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves app://margin/ from the built renderer folder; call once the app is ready. */
export function registerAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppFile(request, rendererDir));
}

function reply(status: number, body: Uint8Array<ArrayBuffer> | string | null, type = 'text/plain; charset=utf-8'): Response {
  return new Response(body, { status, headers: pageHeaders(type) });
}

/**
 * One request to app://. Only GET and HEAD, only host "margin", only files inside rendererDir:
 * a path that leaves it once decoded (../, %2e%2e/, ..%2f, a backslash, a NUL) is not found,
 * like any file that does not exist. Every answer carries the page's headers.
 */
export async function serveAppFile(request: Pick<Request, 'url' | 'method'>, rendererDir: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return reply(405, 'Method not allowed');
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return reply(400, 'Bad request');
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return reply(404, 'Not found');
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  } catch {
    return reply(400, 'Bad request: malformed path');
  }
  // A backslash is a separator on Windows and a NUL ends a path in C: neither is in our file names.
  if (/[\\\0]/.test(relative)) return reply(404, 'Not found');
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${relative}`);
  if (!file.startsWith(root + path.sep)) return reply(404, 'Not found');
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    // Missing, a folder, unreadable: the page only asks for files the build wrote.
    return reply(404, 'Not found');
  }
  return reply(200, request.method === 'HEAD' ? null : new Uint8Array(body), contentTypeOf(file));
}
