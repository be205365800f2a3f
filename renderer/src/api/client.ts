import { type ApiErrorBody, type AppEvent, type Envelope, type MarginApi, type MarginBridge, WINDOW_HEADER, WINDOW_ID_PATTERN } from '../../../shared/api';
import { API_METHODS, type ApiMethod } from '../../../shared/apiMethods';

declare global {
  interface Window {
    /** Put there by the Electron preload; absent in browser mode. */
    margin?: MarginBridge;
  }
}

/** An API failure with the code and the user-readable message the services gave it. */
export class ApiError extends Error {
  readonly code: ApiErrorBody['code'];
  /** The single problems behind the message, when the services listed them (e.g. a refused schema). */
  readonly issues?: string[];
  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.code = body.code;
    if (body.issues) this.issues = body.issues;
  }
}

function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw new ApiError(envelope.error);
}

type Call = (method: ApiMethod, args: unknown) => Promise<Envelope<unknown>>;

const WINDOW_KEY = 'margin-window-id';

/**
 * This tab's window id: each tab has its own annotator name on the server. Kept in
 * sessionStorage, so a reload keeps it and another tab gets its own.
 */
function tabWindowId(): string {
  const fresh = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  try {
    const kept = sessionStorage.getItem(WINDOW_KEY);
    if (kept && WINDOW_ID_PATTERN.test(kept)) return kept;
    const id = fresh();
    sessionStorage.setItem(WINDOW_KEY, id);
    return id;
  } catch {
    // Storage refused (privacy settings): the name then lasts until the page reloads.
    return fresh();
  }
}

/** Browser mode: the same methods as POSTs to the local server, authenticated by the page's token. */
function httpCall(token: string): Call {
  const windowId = tabWindowId();
  return async (method, args) => {
    const response = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, [WINDOW_HEADER]: windowId },
      body: JSON.stringify(args ?? {}),
    });
    const type = response.headers.get('Content-Type') ?? '';
    if (!type.includes('application/json')) {
      const code = response.status === 401 ? 'unauthorized' : 'internal';
      return { ok: false, error: { code, message: `${response.status}: ${await response.text()}` } };
    }
    return (await response.json()) as Envelope<unknown>;
  };
}

function bridgeCall(bridge: MarginBridge): Call {
  return (method, args) => (bridge[method] as (a: unknown) => Promise<Envelope<unknown>>)(args);
}

function createApi(call: Call): MarginApi {
  return Object.fromEntries(
    API_METHODS.map((method) => [method, async (args: unknown) => unwrap(await call(method, args))]),
  ) as unknown as MarginApi;
}

const token = new URLSearchParams(window.location.search).get('token') ?? '';

/** One API for the whole UI; it does not know or care which transport carries it. */
export const api: MarginApi = createApi(window.margin ? bridgeCall(window.margin) : httpCall(token));

/** Events pushed by the desktop app's menus; browser mode has no menus, so none arrive there. */
export function onAppEvent(listener: (event: AppEvent) => void): () => void {
  return window.margin ? window.margin.onEvent(listener) : () => undefined;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
