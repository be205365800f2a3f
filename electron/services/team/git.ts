import { spawn } from 'node:child_process';
import { MarginError } from '../errors';

/**
 * The system `git`, run as a child process. Sync uses git itself rather than a library so the
 * user's own set-up applies exactly as in their terminal: credential helpers, SSH keys and
 * agents, proxies, hooks, signing. Messages are asked for in English (LC_ALL=C) because a few
 * of them are recognised (a rejected push, unrelated histories), and git is told never to wait
 * for a password on a terminal that the app does not have.
 */

export interface GitOutput {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export interface RunOptions {
  /** Written to git's standard input. */
  input?: string | Buffer;
  /** Resolve with a non-zero exit code instead of rejecting. */
  allowFail?: boolean;
}

/** Network steps (fetch, push) give up after this long rather than hang the Sync. */
const NETWORK_TIMEOUT_MS = 180_000;

const GIT_ENV: NodeJS.ProcessEnv = {
  LC_ALL: 'C',
  LANGUAGE: 'C',
  GIT_TERMINAL_PROMPT: '0',
  GIT_MERGE_AUTOEDIT: 'no',
  // An SSH remote asks no questions either: an unknown host or a locked key is reported, not waited on.
  GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes',
};

/** git's own words for a failure, without its "fatal:"/"error:" prefixes and hints. */
export function gitMessage(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('hint:'));
  const main = lines.filter((l) => /^(fatal|error):/.test(l));
  return (main.length > 0 ? main : lines)
    .map((l) => l.replace(/^(fatal|error):\s*/, ''))
    .slice(0, 4)
    .join(' ');
}

export class GitFailed extends Error {
  constructor(
    readonly args: readonly string[],
    readonly output: GitOutput,
  ) {
    super(gitMessage(output.stderr) || `git ${args[0] ?? ''} failed`);
    this.name = 'GitFailed';
  }
}

export class Git {
  constructor(
    readonly cwd: string,
    /** Put before every command (e.g. `-c user.name=…` when git has no identity configured). */
    private readonly config: readonly string[] = [],
  ) {}

  with(config: readonly string[]): Git {
    return new Git(this.cwd, [...this.config, ...config]);
  }

  run(args: readonly string[], options: RunOptions = {}): Promise<GitOutput> {
    const network = args[0] === 'fetch' || args[0] === 'push';
    return new Promise((resolve, reject) => {
      const child = spawn('git', [...this.config, ...args], {
        cwd: this.cwd,
        env: { ...process.env, ...GIT_ENV },
        stdio: ['pipe', 'pipe', 'pipe'],
        windowsHide: true,
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const timer = network ? setTimeout(() => child.kill(), NETWORK_TIMEOUT_MS) : null;
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.stdin.on('error', () => undefined); // git may exit before reading all of it; its exit code tells
      child.on('error', (error: NodeJS.ErrnoException) => {
        if (timer) clearTimeout(timer);
        reject(
          error.code === 'ENOENT'
            ? new MarginError('bad-input', 'Sync needs git, and git is not installed (or not on the PATH). Install it from https://git-scm.com/downloads and Sync again.')
            : error,
        );
      });
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        const output: GitOutput = { code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') };
        if (signal && network) output.stderr = `error: the remote did not answer within ${NETWORK_TIMEOUT_MS / 1000} seconds`;
        if (output.code === 0 || options.allowFail) resolve(output);
        else reject(new GitFailed(args, output));
      });
      child.stdin.end(options.input ?? '');
    });
  }

  /** Standard output as text, trailing newline removed. */
  async text(args: readonly string[], options: RunOptions = {}): Promise<string> {
    return (await this.run(args, options)).stdout.toString('utf8').replace(/\n$/, '');
  }

  /** Standard output when git succeeds, null when it exits non-zero (a missing ref, an unset option). */
  async textOrNull(args: readonly string[]): Promise<string | null> {
    const output = await this.run(args, { allowFail: true });
    return output.code === 0 ? output.stdout.toString('utf8').replace(/\n$/, '') : null;
  }

  /**
   * Many blobs in one process (`git cat-file --batch`): each "rev:path" (or ":N:path" for an index
   * stage) gives its content, or null when it does not exist there.
   */
  async readBlobs(specs: readonly string[]): Promise<(Buffer | null)[]> {
    if (specs.length === 0) return [];
    const { stdout } = await this.run(['cat-file', '--batch'], { input: `${specs.join('\n')}\n` });
    const blobs: (Buffer | null)[] = [];
    let at = 0;
    for (let i = 0; i < specs.length; i++) {
      const end = stdout.indexOf(0x0a, at);
      const header = stdout.subarray(at, end).toString('utf8');
      at = end + 1;
      const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
      if (!match) {
        blobs.push(null); // "<spec> missing" (or ambiguous)
        continue;
      }
      const size = Number(match[2]);
      blobs.push(match[1] === 'blob' ? stdout.subarray(at, at + size) : null);
      at += size + 1;
    }
    return blobs;
  }
}

/** NUL-separated output (the -z options) as a list. */
export function splitNul(output: Buffer): string[] {
  return output
    .toString('utf8')
    .split('\0')
    .filter((s) => s !== '');
}
