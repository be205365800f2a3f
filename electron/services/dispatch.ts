import { type Caller, contract, DEFAULT_WINDOW, type ApiHandlers, type Envelope } from '../../shared/api';
import { API_METHODS, type ApiMethod } from '../../shared/apiMethods';
import { actionOf, errorCodeOf, MarginError, userMessage } from './errors';
import { writeOrigin } from './store/writeOrigin';

export function isApiMethod(name: string): name is ApiMethod {
  return (API_METHODS as readonly string[]).includes(name);
}

/**
 * The single entry of every transport: checks the arguments against the contract, calls the
 * service as `caller` (the window it came from), and wraps the outcome so errors keep their
 * code and message on the way back.
 */
export async function dispatch(
  handlers: ApiHandlers,
  method: ApiMethod,
  rawArgs: unknown,
  caller: Caller = { windowId: DEFAULT_WINDOW },
): Promise<Envelope<unknown>> {
  const spec = contract[method];
  const parsed = spec.args.safeParse(rawArgs ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`);
    return { ok: false, error: { code: 'validation', message: `Invalid arguments for ${method}: ${issues.join('; ')}`, issues } };
  }
  try {
    const handler = handlers[method] as (args: unknown, caller: Caller) => Promise<unknown>;
    // Files written during the call are marked as this window's: the others are told of them.
    return { ok: true, value: await writeOrigin.run(caller.windowId, () => handler(parsed.data, caller)) };
  } catch (error) {
    if (error instanceof MarginError) {
      return { ok: false, error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) } };
    }
    // The details go to the log; the window gets what failed and what to do (errors.ts).
    console.error(`[margin] ${method} failed:`, error);
    return { ok: false, error: { code: errorCodeOf(error), message: userMessage(error, actionOf(method)) } };
  }
}
