import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMargin, TempDirs, type CliRun } from './helpers';

/** `margin suggest`: suggestions as Margin's JSONL, bad flags refused by name, the project left as it was. */

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const LEAKS = /ENOTDIR|ENOENT|EISDIR|Error:|\n\s+at /;

interface Line {
  id: string;
  meta: { fileName: string | null };
  text: string;
  annotations: { id: string; label: string; start: number; end: number; text: string; attributes: Record<string, string> }[];
  relations: { type: string; from: string; to: string }[];
}

/** An article with astral characters before its quotes, so code points and UTF-16 offsets differ. */
const ARTICLE = [
  'Election night 🗳️ in Ohio 🇺🇸',
  '',
  'Senator Sherrod Brown spoke to supporters in Columbus on Monday.',
  '',
  '“We will win this state,” he said. “Ohio is not for sale.”',
  '',
  'Polls show Brown 4 points ahead, according to the Columbus Dispatch.',
].join('\n');

async function project(): Promise<{ dir: string; userData: string; run: (args: string[]) => Promise<CliRun> }> {
  const userData = temps.make('margin-suggest-ud-');
  const dir = path.join(temps.make(), 'project');
  const file = path.join(temps.make(), 'ohio.txt');
  writeFileSync(file, ARTICLE);
  const run = (args: string[]) => runMargin(args, userData);
  const imported = await run(['import', '--project', dir, file]);
  expect(imported.code, imported.stderr).toBe(0);
  return { dir, userData, run };
}

describe('margin suggest', () => {
  it('writes one JSONL line per document: code-point offsets, the quote linked to its source, the speaker named; the project gains no layer', async () => {
    const { dir, run } = await project();
    const out = path.join(temps.make(), 'suggestions.jsonl');
    const result = await run(['suggest', '--project', dir, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Suggested \d+ spans in 1 document/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const doc = JSON.parse(lines[0]!) as Line;
    expect(doc.meta.fileName).toBe('ohio.txt');
    const points = [...doc.text];
    for (const a of doc.annotations) expect(points.slice(a.start, a.end).join('')).toBe(a.text);
    const quote = doc.annotations.find((a) => a.label === 'quote' && a.text.startsWith('“We will win'))!;
    expect(quote.text).toBe('“We will win this state,” he said. “Ohio is not for sale.”');
    expect(quote.attributes).toEqual({ kind: 'direct', speaker: 'Senator Sherrod Brown' });
    const link = doc.relations.find((r) => r.from === quote.id)!;
    expect(link.type).toBe('attributed-to');
    expect(doc.annotations.find((a) => a.id === link.to)!.text).toBe('he');
    const according = doc.annotations.find((a) => a.label === 'quote' && a.text.startsWith('Polls'))!;
    expect(according.text).toBe('Polls show Brown 4 points ahead');
    expect(existsSync(path.join(dir, 'annotations', 'suggested'))).toBe(false);
  });

  it('--label keeps only those labels (and the sources quotes link to); --documents names documents; stdout without --out', async () => {
    const { dir, run } = await project();
    const all = JSON.parse((await run(['suggest', '--project', dir])).stdout) as Line;
    const onlyEvents = await run(['suggest', '--project', dir, '--label', 'event', '--documents', all.id]);
    expect(onlyEvents.code, onlyEvents.stderr).toBe(0);
    const events = JSON.parse(onlyEvents.stdout) as Line;
    expect(events.annotations.length).toBeGreaterThan(0);
    expect(new Set(events.annotations.map((a) => a.label))).toEqual(new Set(['event']));
  });

  it('refuses, by name, a label it cannot suggest, a document the project lacks, a file name, and a folder that is not a project', async () => {
    const { dir, run } = await project();
    const cases: [string[], string][] = [
      [['--label', 'opinion'], '--label: "opinion" is not a label Margin can suggest (it suggests quote, source, claim, event)'],
      [['--documents', 'feedfacefeedface'], '--documents: "feedfacefeedface" is not a document of this project'],
      [['ohio.txt'], '"ohio.txt": margin suggest takes no file names'],
    ];
    for (const [args, message] of cases) {
      const result = await run(['suggest', '--project', dir, ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toMatch(LEAKS);
      expect(result.stdout).toBe('');
    }
    const missing = path.join(temps.make(), 'nowhere');
    const notProject = await run(['suggest', '--project', missing]);
    expect(notProject.code).toBe(2);
    expect(notProject.stderr).toContain(`${missing} is not a Margin project`);
    expect(existsSync(missing)).toBe(false);
  });
});
