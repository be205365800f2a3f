import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/services/workspace';
import { runMargin, samplePaths, spanOf, TempDirs, type CliRun } from './helpers';

/**
 * The commands that only read a project (export, agree): a mistyped --project, --annotator or
 * --label is refused by name (exit 2) instead of answering from an empty or filtered-out project.
 */

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const margin = (args: string[]): Promise<CliRun> => runMargin(args, temps.make('margin-cli-ud-'));

/** A project holding the CNN sample, tagged by alice and bob, neither of them done. */
async function project(): Promise<string> {
  const dir = path.join(temps.make(), 'project');
  const ws = await Workspace.open({ userData: temps.userData(), projectDir: dir, mode: 'browser' });
  try {
    const cnn = samplePaths().find((p) => readFileSync(p, 'utf8').includes('Sinwar'))!;
    const [imported] = (await ws.handlers.importText({ text: readFileSync(cnn, 'utf8') })).imported;
    const { text } = await ws.handlers.getDocument({ docId: imported!.docId });
    for (const [name, needle] of [
      ['alice', 'Antony Blinken'],
      ['bob', 'Yahya Sinwar'],
    ] as const) {
      await ws.handlers.setAnnotator({ name });
      await ws.handlers.createAnnotation({ docId: imported!.docId, label: 'source', ...spanOf(text, needle) });
    }
  } finally {
    await ws.close();
  }
  return dir;
}

/** Internals a user must never see in a message. */
const LEAKS = /ENOTDIR|ENOENT|EISDIR|Error:|\n\s+at /;

describe('read commands refuse a --project that is not a project', () => {
  for (const command of ['export', 'agree'] as const) {
    it(`${command}: a missing folder, an empty folder, a file and a folder of other files, each named, nothing created`, async () => {
      const root = temps.make();
      const missing = path.join(root, 'projcet');
      const empty = path.join(root, 'empty');
      mkdirSync(empty);
      const file = path.join(root, 'notes.txt');
      writeFileSync(file, 'my notes');
      const other = path.join(root, 'other');
      mkdirSync(other);
      writeFileSync(path.join(other, 'article.txt'), 'an article');
      for (const dir of [missing, empty, file, other]) {
        const run = await margin([command, '--project', dir, ...(command === 'export' ? ['--format', 'jsonl'] : [])]);
        expect(run.code, `${dir}: ${run.stderr}`).toBe(2);
        expect(run.stderr).toContain(`${dir} is not a Margin project`);
        expect(run.stderr).not.toMatch(LEAKS);
        expect(run.stdout).toBe('');
      }
      expect(existsSync(missing)).toBe(false);
      expect(readdirSync(empty)).toEqual([]);
      expect(readdirSync(other)).toEqual(['article.txt']);
      expect(readFileSync(file, 'utf8')).toBe('my notes');
    }, 120_000);
  }
});

describe('read commands refuse an unknown annotator or label', () => {
  it('export: --annotator and --label that the project does not have, named, with the ones it has', async () => {
    const dir = await project();
    const out = path.join(temps.make(), 'dataset.jsonl');
    const annotator = await margin(['export', '--project', dir, '--format', 'jsonl', '--annotator', 'alice', '--annotator', 'alcie', '--out', out]);
    expect(annotator.code).toBe(2);
    expect(annotator.stderr).toContain('--annotator: "alcie" has no annotations in this project (annotators: alice, bob)');
    expect(existsSync(out)).toBe(false);

    const label = await margin(['export', '--project', dir, '--format', 'jsonl', '--label', 'Source']);
    expect(label.code).toBe(2);
    expect(label.stderr).toContain('--label: "Source" is not a label of this project (labels: claim, quote, event, source)');
    expect(label.stdout).toBe('');

    // The names it has still work.
    const ok = await margin(['export', '--project', dir, '--format', 'jsonl', '--annotator', 'bob', '--label', 'source']);
    expect(ok.code, ok.stderr).toBe(0);
    const doc = JSON.parse(ok.stdout) as { annotations: { annotator: string; text: string }[] };
    expect(doc.annotations.map((a) => [a.annotator, a.text])).toEqual([['bob', 'Yahya Sinwar']]);
  }, 120_000);

  it('agree: --annotators and --label that the project does not have, named', async () => {
    const dir = await project();
    const annotators = await margin(['agree', '--project', dir, '--annotators', 'alice,bbo']);
    expect(annotators.code).toBe(2);
    expect(annotators.stderr).toContain('--annotators: "bbo" has no annotations in this project (annotators: alice, bob)');
    expect(annotators.stdout).toBe('');

    const label = await margin(['agree', '--project', dir, '--label', 'sources']);
    expect(label.code).toBe(2);
    expect(label.stderr).toContain('--label: "sources" is not a label of this project (labels: claim, quote, event, source)');
    expect(label.stdout).toBe('');

    const ok = await margin(['agree', '--project', dir, '--annotators', 'alice,bob', '--label', 'source']);
    expect(ok.code, ok.stderr).toBe(0);
  }, 120_000);
});

describe('an export with nothing in it', () => {
  it('is an empty file, on stdout and with --out: no lone newline', async () => {
    const dir = await project();
    // Nobody marked the document done: nothing to export.
    const run = await margin(['export', '--project', dir, '--format', 'jsonl', '--documents', 'done']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    const out = path.join(temps.make(), 'dataset.jsonl');
    const toFile = await margin(['export', '--project', dir, '--format', 'jsonl', '--documents', 'done', '--out', out]);
    expect(toFile.code, toFile.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('');
  }, 120_000);
});
