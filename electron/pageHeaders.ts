import path from 'node:path';

/**
 * The page's policy: our own scripts and styles only, no remote content, never framed. Sent as
 * a response header by both servers of the page (app://margin in the desktop app, browser
 * mode's HTTP server), because frame-ancestors is ignored in a <meta> tag.
 */
// electronegativity-allow CSP_GLOBAL_CHECK: its "no CSP" for electron/ looks only for <meta> tags and webRequest callbacks; this policy goes out as a response header from protocol.ts and web.ts (test/electron/protocol.test.ts, test/unit/webServer.test.ts), and the renderer/ and out/ scans check the page's meta copy
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** The MIME type of a built file; unknown kinds are opaque bytes (nosniff stops any guessing). */
export function contentTypeOf(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Every response of either server carries these: the CSP, no sniffing, no framing, no caching, no referrer. */
export function pageHeaders(type: string): Record<string, string> {
  return {
    'Content-Type': type,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}
