import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import type { ApiArgs, ApiErrorBody, ApiResult } from '../../shared/api';
import type { ApiMethod } from '../../shared/apiMethods';

const CHILD_SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'child.ts');

/**
 * The article extractors' libraries (HTML, Word, PDF, Markdown). The crash child never imports
 * an article, but the Workspace loads them eagerly, and jsdom alone takes half a second to load:
 * a second per restart with tsx. They are bundled as stand-ins that throw if anything uses them,
 * so a child that did would fail loudly instead of passing quietly.
 */
const UNUSED_LIBRARIES = /^(jsdom|@mozilla\/readability|mammoth|marked|pdfjs-dist(\/.*)?)$/;

const unusedLibraries: Plugin = {
  name: 'crash-child-unused-libraries',
  setup(b) {
    b.onResolve({ filter: UNUSED_LIBRARIES }, (args) => ({ path: args.path, namespace: 'unused' }));
    b.onLoad({ filter: /.*/, namespace: 'unused' }, (args) => ({
      loader: 'js',
      // CommonJS, so any named import binds (at use) to a function that throws.
      contents: `module.exports = new Proxy({}, { get: (_t, name) => name === '__esModule' ? undefined : () => {
        throw new Error(${JSON.stringify(args.path)} + ' is not loaded in the crash child (' + String(name) + ')');
      } });`,
    }));
  },
};

/**
 * Bundles the child into one file in `outDir`, once per run: node then starts it in about a
 * third of a second, where tsx compiling the sources would take a second or more per process.
 */
export async function bundleChild(outDir: string): Promise<string> {
  const outfile = path.join(outDir, 'crash-child.mjs');
  await build({
    entryPoints: [CHILD_SOURCE],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    plugins: [unusedLibraries],
    // Bundled CommonJS packages call require() for Node's own modules.
    banner: { js: "import { createRequire as __crashRequire } from 'node:module'; const require = __crashRequire(import.meta.url);" },
  });
  return outfile;
}

/** Whether the project opened; `refused`: the child said why not (an exit says nothing). */
export type OpenOutcome = { ready: true } | { ready: false; refused: boolean; reason: string };

export type Reply<M extends ApiMethod> =
  | { kind: 'ack'; value: ApiResult<M> }
  | { kind: 'fail'; error: ApiErrorBody }
  /** The process died before answering: the call may or may not have taken effect. */
  | { kind: 'gone' };

/** One child process: open the project, call the API, be killed. */
export class CrashChild {
  private readonly process: ChildProcessWithoutNullStreams;
  private readonly waiting = new Map<number, (reply: Reply<ApiMethod>) => void>();
  private nextSeq = 0;
  private stdoutRest = '';
  private stderrTail = '';
  private openListeners: ((outcome: OpenOutcome) => void)[] = [];
  /** Called for every answer (ack or fail), in the order the child printed them. */
  onReply: (() => void) | null = null;
  readonly loaded: Promise<void>;
  /** Resolves once the process has exited and everything it printed has been read. */
  readonly closed: Promise<void>;
  private exited = false;
  /** SIGKILL was sent: nothing more is asked of this process. */
  killSent = false;

  constructor(bundle: string, projectDir: string, userData: string, annotator: string) {
    this.process = spawn(process.execPath, [bundle, projectDir, userData, annotator], {
      env: { ...process.env, MARGIN_USER_DATA: userData },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let markLoaded: () => void = () => undefined;
    this.loaded = new Promise((resolve) => (markLoaded = resolve));
    this.process.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (this.stdoutRest + chunk).split('\n');
      this.stdoutRest = lines.pop()!;
      for (const line of lines) this.receive(line, markLoaded);
    });
    this.process.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-4000);
    });
    // A killed child cannot read what we still write; that is expected, not an error.
    this.process.stdin.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      this.process.on('close', () => {
        this.exited = true;
        for (const settle of this.waiting.values()) settle({ kind: 'gone' });
        this.waiting.clear();
        this.settleOpen({ ready: false, refused: false, reason: `the process exited before it was ready${this.stderrTail ? `: ${this.stderrTail.trim()}` : ''}` });
        markLoaded();
        resolve();
      });
    });
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  get alive(): boolean {
    return !this.exited;
  }

  get stderr(): string {
    return this.stderrTail;
  }

  private settleOpen(outcome: OpenOutcome): void {
    for (const listener of this.openListeners.splice(0)) listener(outcome);
  }

  private receive(line: string, markLoaded: () => void): void {
    const space = line.indexOf(' ');
    const kind = space < 0 ? line : line.slice(0, space);
    const body = space < 0 ? undefined : (JSON.parse(line.slice(space + 1)) as { seq: number; value?: unknown; error?: ApiErrorBody; message?: string });
    if (kind === 'loaded') return markLoaded();
    if (kind === 'ready') return this.settleOpen({ ready: true });
    if (kind === 'error') return this.settleOpen({ ready: false, refused: true, reason: body?.message ?? 'unknown error' });
    if ((kind === 'ack' || kind === 'fail') && body) {
      const settle = this.waiting.get(body.seq);
      this.waiting.delete(body.seq);
      settle?.(kind === 'ack' ? { kind, value: body.value as never } : { kind, error: body.error! });
      this.onReply?.();
    }
  }

  /** Sends "open"; resolves when the project is open, or with the reason it is not (error, exit). */
  open(): Promise<OpenOutcome> {
    return new Promise((resolve) => {
      if (this.exited) return resolve({ ready: false, refused: false, reason: 'the process had already exited' });
      this.openListeners.push(resolve);
      this.process.stdin.write('open\n');
    });
  }

  call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<Reply<M>> {
    return new Promise((resolve) => {
      if (this.exited) return resolve({ kind: 'gone' });
      const seq = ++this.nextSeq;
      this.waiting.set(seq, resolve as (reply: Reply<ApiMethod>) => void);
      this.process.stdin.write(`${JSON.stringify({ seq, method, args })}\n`);
    });
  }

  /** SIGKILL, now: no handler runs, no buffer is flushed, nothing is closed. */
  kill(): void {
    this.killSent = true;
    if (!this.exited) this.process.kill('SIGKILL');
  }

  /** The clean end: stdin closes, the child closes the project (releasing its lock) and exits. */
  async stop(): Promise<void> {
    this.process.stdin.end();
    await this.closed;
  }
}
