import type { App, Session, WebContents } from 'electron';

/**
 * Where the window's one page lives: the built page at app://margin/index.html (protocol.ts), or
 * (unpackaged dev only) the dev server.
 */
export type AppPage = { kind: 'app'; url: string } | { kind: 'url'; url: string };

/**
 * Whether a URL is our own page. Query and hash are ignored (the page may route with them);
 * anything else, including another file of app://margin or another app:// host, is foreign.
 */
export function appPageMatcher(page: AppPage): (url: string) => boolean {
  if (page.kind === 'app') {
    // Compared part by part: a custom scheme's URL.origin is "null" for every host alike.
    const own = new URL(page.url);
    return (url) => {
      const u = parse(url);
      return u !== null && u.protocol === own.protocol && u.host === own.host && u.pathname === own.pathname;
    };
  }
  // The dev server serves modules from many paths, so its whole origin is ours.
  const origin = new URL(page.url).origin;
  return (url) => parse(url)?.origin === origin;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * ELECTRON_RENDERER_URL is set by electron-vite dev. Honoured only in an unpackaged app and only
 * for a loopback http server: otherwise an environment variable could put a remote page in a
 * window that has our preload.
 */
export function devServerUrl(env: NodeJS.ProcessEnv, isPackaged: boolean): string | null {
  const raw = env.ELECTRON_RENDERER_URL;
  if (isPackaged || !raw) return null;
  const u = parse(raw);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return null;
  return ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname) ? raw : null;
}

/**
 * The app shows one local page: it never navigates, redirects or opens windows, and never
 * hosts <webview>. A compromised or confused renderer therefore cannot reach remote content
 * while it holds our preload.
 */
export function hardenWebContents(contents: WebContents, isAppUrl: (url: string) => boolean, log: (message: string) => void = console.warn): void {
  const blockForeign = (kind: string) => (event: { url: string; preventDefault(): void }) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    log(`[margin] blocked ${kind} to ${event.url}`);
  };
  contents.on('will-navigate', blockForeign('navigation'));
  contents.on('will-redirect', blockForeign('redirect'));
  // will-navigate only covers the main frame; this one covers subframes (the app has none).
  const blockFrame = blockForeign('frame navigation');
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) blockFrame(event);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('[margin] blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log(`[margin] blocked a new window for ${url}`);
    return { action: 'deny' };
  });
}

/** Margin needs no camera, microphone, notifications, geolocation or any other permission. */
export function denyAllPermissions(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

/** Call once the app is ready (sessions exist from then on) and before the first window. */
export function installSecurity(app: App, ses: Session, isAppUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, isAppUrl));
  denyAllPermissions(ses);
}
