/**
 * The process the crash test kills. It opens a project through the Workspace, as `margin serve`
 * does, and answers API calls read from stdin (one JSON line each: { seq, method, args }) through
 * the same dispatch as both transports. Lines on stdout:
 *
 *   loaded                 modules are loaded; waiting for "open" (so the parent can start the
 *                          next process while the current one still runs)
 *   ready                  the project is open and the annotator set
 *   ack {seq, value}       the call resolved: for a write, the store says it is on disk
 *   fail {seq, error}      the call was refused or failed
 *   error {message}        the project could not be opened (the process then exits with 1)
 *
 * Usage: node crash-child.mjs PROJECT_DIR USER_DATA ANNOTATOR
 */
import { createInterface } from 'node:readline';
import { dispatch, isApiMethod } from '../../electron/services/dispatch';
import { Workspace } from '../../electron/services/workspace';

const [projectDir, userData, annotator] = process.argv.slice(2);
if (!projectDir || !userData || !annotator) {
  process.stderr.write('usage: crash-child PROJECT_DIR USER_DATA ANNOTATOR\n');
  process.exit(2);
}

// stdout is a pipe: on Linux its writes are synchronous, so an ack is out before the next step runs.
const say = (kind: string, body?: unknown) => process.stdout.write(body === undefined ? `${kind}\n` : `${kind} ${JSON.stringify(body)}\n`);

let workspace: Workspace | null = null;

async function open(): Promise<void> {
  try {
    workspace = await Workspace.open({ userData: userData!, projectDir: projectDir!, mode: 'browser' });
    const named = await dispatch(workspace.handlers, 'setAnnotator', { name: annotator });
    if (!named.ok) throw new Error(named.error.message);
    say('ready');
  } catch (error) {
    say('error', { message: (error as Error).message });
    process.exit(1);
  }
}

async function call(line: string): Promise<void> {
  const { seq, method, args } = JSON.parse(line) as { seq: number; method: string; args: unknown };
  const envelope = !workspace
    ? { ok: false as const, error: { code: 'internal', message: 'the project is not open yet' } }
    : !isApiMethod(method)
      ? { ok: false as const, error: { code: 'validation', message: `unknown method ${method}` } }
      : await dispatch(workspace.handlers, method, args);
  say(envelope.ok ? 'ack' : 'fail', envelope.ok ? { seq, value: envelope.value } : { seq, error: envelope.error });
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => void (line === 'open' ? open() : call(line)));
// The parent closing stdin is a clean shutdown (the last process of a run): release the lock.
lines.on('close', () => void (workspace?.close() ?? Promise.resolve()).then(() => process.exit(0)));
say('loaded');
