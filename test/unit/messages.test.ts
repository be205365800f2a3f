import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { cliErrorMessage, runCli } from '../../electron/cli';
import { dispatch } from '../../electron/services/dispatch';
import type { ApiHandlers } from '../../shared/api';
import { REPO_ROOT, TempDirs } from './helpers';

/**
 * Whatever goes wrong, the window (API envelopes, over IPC and HTTP alike) and the command line
 * say what failed and what to do, naming the file or field at fault, and never show internals:
 * errno codes, Node's error codes, stack frames, the word "internal", where Margin's code lives.
 */

const temps = new TempDirs();
let dir: string;

beforeAll(() => {
  dir = temps.make('margin-messages-');
  mkdirSync(path.join(dir, 'folder'));
  writeFileSync(path.join(dir, 'notes.json'), '{}');
  symlinkSync(path.join(dir, 'loop-b'), path.join(dir, 'loop-a'));
  symlinkSync(path.join(dir, 'loop-a'), path.join(dir, 'loop-b'));
});
afterAll(() => temps.cleanup());

/** What Node throws, for the conditions a test cannot cause for real (root ignores permissions; no test fills the disk). */
function nodeError(code: string, syscall: string, file: string, text: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${text}, ${syscall} '${file}'`), { code, errno: -1, syscall, path: file });
}

async function caught(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

interface Kind {
  name: string;
  error: () => Promise<unknown>;
  /** The file or field the message must name. */
  names?: () => string;
}

const userFile = (name: string) => path.join(dir, name);

const KINDS: Kind[] = [
  // File system errors, real where a test can cause them.
  { name: 'a file that is not there (ENOENT)', error: () => caught(() => readFile(userFile('gone.json'))), names: () => userFile('gone.json') },
  // Node's error for reading a folder carries no path, so no message can name it here (the store's own reads say "Cannot read FILE").
  { name: 'a folder read as a file (EISDIR)', error: () => caught(() => readFile(userFile('folder'))) },
  { name: 'a file used as a folder (ENOTDIR)', error: () => caught(() => readFile(path.join(userFile('notes.json'), 'x'))), names: () => path.join(userFile('notes.json'), 'x') },
  { name: 'a folder made twice (EEXIST)', error: () => caught(() => mkdir(userFile('folder'))), names: () => userFile('folder') },
  { name: 'a link loop (ELOOP)', error: () => caught(() => readFile(userFile('loop-a'))), names: () => userFile('loop-a') },
  { name: 'a name too long (ENAMETOOLONG)', error: () => caught(() => readFile(userFile('n'.repeat(300)))), names: () => userFile('n'.repeat(300)) },
  ...(
    [
      ['EACCES', 'permission denied'],
      ['EPERM', 'operation not permitted'],
      ['EMFILE', 'too many open files'],
      ['ENFILE', 'file table overflow'],
      ['ENOSPC', 'no space left on device'],
      ['EDQUOT', 'disk quota exceeded'],
      ['EROFS', 'read-only file system'],
      ['EIO', 'i/o error'],
      ['EBUSY', 'resource busy or locked'],
      ['ETIMEDOUT', 'connection timed out'],
      ['EWEIRD', 'something no table knows'],
    ] as const
  ).map(([code, text]): Kind => ({
    name: `${text} (${code})`,
    error: async () => nodeError(code, 'open', userFile('annotations/ana/0123456789abcdef.json'), text),
    names: () => userFile('annotations/ana/0123456789abcdef.json'),
  })),
  // A file of Margin itself missing: named, but not where the app is installed.
  { name: "one of Margin's own files missing", error: () => caught(() => readFile(path.join(REPO_ROOT, 'out', 'renderer', 'no-such-chunk.js'))), names: () => 'no-such-chunk.js' },
  // Parsers.
  { name: 'JSON that does not parse', error: () => caught(() => JSON.parse('{"label": "claim",')) },
  { name: 'a zip that is not a zip (a real parser error)', error: () => caught(() => JSZip.loadAsync(Buffer.from('PK\u0003\u0004 not really a zip'))) },
  { name: 'a stack overflow in a recursive parser', error: () => caught(() => deep(0)) },
  // Data that does not have its shape.
  { name: 'data of the wrong shape (zod)', error: () => caught(() => z.object({ label: z.string(), start: z.number() }).parse({ label: 4, start: 0 })), names: () => 'label' },
  // Unexpected throws.
  { name: 'a bug (TypeError)', error: () => caught(() => (undefined as unknown as { x: { y: number } }).x.y) },
  { name: 'an error whose text has a stack and app paths', error: async () => new Error(`internal assertion failed\n    at parse (${REPO_ROOT}/electron/services/intake/extract/html.ts:12:7)`) },
  { name: 'a thrown string', error: async () => 'internal failure' },
  { name: 'a thrown undefined', error: async () => undefined },
  { name: 'a thrown object with a Node code', error: async () => ({ code: 'ERR_INTERNAL_ASSERTION', message: 'This is caused by either a bug in Node.js' }) },
];

function deep(n: number): number {
  return deep(n + 1) + 1;
}

/** What a message shown to a user must never carry. */
function expectNoInternals(message: string): void {
  expect(message.trim()).not.toBe('');
  expect(message).not.toMatch(/\bE[A-Z]{2,}\b/);
  expect(message).not.toMatch(/\bERR_[A-Z_]+/);
  expect(message).not.toMatch(/\n\s*at |:\d+:\d+\)?/);
  expect(message).not.toMatch(/internal/i);
  expect(message).not.toContain(REPO_ROOT);
  expect(message).not.toMatch(/node:|errno|syscall|undefined|\[object /);
}

const WHAT_TO_DO = /try again|free some|check|close|move|remove|repair|shorter|correct|restart|report/i;

describe('messages shown to the user', () => {
  const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  afterAll(() => log.mockRestore());

  it.each(KINDS.map((k) => [k.name, k] as const))('in the window: %s', async (_name, kind) => {
    const error = await kind.error();
    const handlers = { getDocument: async () => Promise.reject(error) } as unknown as ApiHandlers;
    const envelope = await dispatch(handlers, 'getDocument', { docId: '0123456789abcdef' });
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    const { message } = envelope.error;
    expectNoInternals(message);
    expect(message).toContain('get document');
    expect(message).toMatch(WHAT_TO_DO);
    if (kind.names) expect(message).toContain(kind.names());
    // The details are not lost: they go to the log.
    expect(log).toHaveBeenCalled();
  });

  it.each(KINDS.map((k) => [k.name, k] as const))('on the command line: %s', async (_name, kind) => {
    const message = cliErrorMessage(await kind.error(), 'import');
    expectNoInternals(message);
    expect(message).toContain('margin import');
    expect(message).toMatch(WHAT_TO_DO);
    if (kind.names) expect(message).toContain(kind.names());
  });
});

describe('the command line, for real', () => {
  const run = async (argv: string[]) => {
    const err: string[] = [];
    const code = await runCli(argv, { out: () => undefined, err: (line: string) => err.push(line) } as never);
    return { code, err: err.join('\n') };
  };

  it('a project whose margin.json is a folder: names it, no errno', async () => {
    const project = temps.make('margin-messages-project-');
    mkdirSync(path.join(project, 'margin.json'));
    const { code, err } = await run(['export', '--project', project, '--format', 'jsonl']);
    expect(code).not.toBe(0);
    expectNoInternals(err.replace(/^margin: /, ''));
    expect(err).toContain(path.join(project, 'margin.json'));
  });

  it('an unknown option: says so and where to look', async () => {
    const { code, err } = await run(['export', '--nonsense']);
    expect(code).toBe(2);
    expectNoInternals(err);
    expect(err).toMatch(/--nonsense/);
    expect(err).toMatch(/margin help/);
  });
});
