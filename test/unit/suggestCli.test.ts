import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AgreementReport } from '../../shared/api';
import { layerOnDisk, listFilesRecursive, runMargin, samplePaths, TempDirs, type CliRun } from './helpers';

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

/** Each case exits with 2, says its message in words (no errno, no stack) and prints nothing to stdout. */
async function expectRefusals(run: (args: string[]) => Promise<CliRun>, dir: string, cases: [string[], string][]): Promise<void> {
  for (const [args, message] of cases) {
    const result = await run(['suggest', '--project', dir, ...args]);
    expect(result.code, args.join(' ')).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(LEAKS);
    expect(result.stdout).toBe('');
  }
}

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
    await expectRefusals(run, dir, cases);
    const missing = path.join(temps.make(), 'nowhere');
    const notProject = await run(['suggest', '--project', missing]);
    expect(notProject.code).toBe(2);
    expect(notProject.stderr).toContain(`${missing} is not a Margin project`);
    expect(existsSync(missing)).toBe(false);
  });
});

/** A layer as the next reader finds it, with what `margin suggest --into` writes. */
interface Stored {
  annotations: { id: string; label: string; start: number; end: number; annotator: string; origin?: string; attributes: Record<string, unknown>; quote: { exact: string } }[];
  relations: { type: string; from: string; to: string; annotator: string }[];
}

describe('margin suggest --into', () => {
  it('pre-annotates the sample articles into an annotator\'s layer, marked suggested and linked; a re-run adds nothing twice; the JSONL export carries the origin', async () => {
    const userData = temps.make('margin-suggest-ud-');
    const dir = path.join(temps.make(), 'project');
    const run = (args: string[]) => runMargin(args, userData);
    const imported = await run(['import', '--project', dir, ...samplePaths()]);
    expect(imported.code, imported.stderr).toBe(0);
    const ids = (JSON.parse(`[${(await run(['suggest', '--project', dir])).stdout.trim().split('\n').join(',')}]`) as Line[]).map((d) => d.id);
    expect(ids).toHaveLength(4);

    const first = await run(['suggest', '--project', dir, '--into', 'Ana María', '--label', 'quote', '--label', 'source']);
    expect(first.code, first.stderr).toBe(0);
    const added = /4 documents, (\d+) annotations added, 0 skipped \(already there\), (\d+) links added/.exec(first.stdout);
    expect(added, first.stdout).not.toBeNull();
    const layers = ids.map((id) => layerOnDisk(dir, 'Ana María', id) as unknown as Stored);
    const all = layers.flatMap((l) => l.annotations);
    expect(all).toHaveLength(Number(added![1]));
    expect(all.length).toBeGreaterThan(0);
    for (const a of all) {
      expect(a.origin).toBe('suggested');
      expect(a.annotator).toBe('Ana María');
      expect(['quote', 'source']).toContain(a.label);
    }
    const links = layers.flatMap((l) => l.relations);
    expect(links).toHaveLength(Number(added![2]));
    // A direct quote in curly quotes from the sample news, linked to its source in the same layer.
    const quote = all.find((a) => a.label === 'quote' && a.attributes.kind === 'direct' && a.quote.exact.startsWith('“'))!;
    expect(quote).toBeDefined();
    const link = links.find((r) => r.from === quote.id)!;
    expect(link.type).toBe('attributed-to');
    expect(all.find((a) => a.id === link.to)!.label).toBe('source');

    const again = await run(['suggest', '--project', dir, '--into', 'Ana María', '--label', 'quote', '--label', 'source']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`4 documents, 0 annotations added, ${all.length} skipped (already there), 0 links added`);
    const after = ids.map((id) => layerOnDisk(dir, 'Ana María', id) as unknown as Stored);
    expect(after.flatMap((l) => l.annotations)).toHaveLength(all.length);
    expect(after.flatMap((l) => l.relations)).toHaveLength(links.length);

    const exported = await run(['export', '--project', dir, '--format', 'jsonl']);
    expect(exported.code, exported.stderr).toBe(0);
    const lines = exported.stdout.trim().split('\n').map((l) => JSON.parse(l) as { annotations: { annotator: string; origin?: string }[] });
    const mine = lines.flatMap((d) => d.annotations).filter((a) => a.annotator === 'Ana María');
    expect(mine).toHaveLength(all.length);
    expect(mine.every((a) => a.origin === 'suggested')).toBe(true);

    // Agreement reads suggested spans like any other: two layers pre-annotated alike agree fully.
    expect((await run(['suggest', '--project', dir, '--into', 'Bo', '--label', 'quote', '--label', 'source'])).code).toBe(0);
    const agree = await run(['agree', '--project', dir, '--annotators', 'Ana María,Bo', '--json']);
    expect(agree.code, agree.stderr).toBe(0);
    const report = AgreementReport.parse(JSON.parse(agree.stdout));
    expect(report.pairs.find((p) => p.label === null)!.exactF1.value).toBe(1);
  });

  it('refuses, by name, an invalid or reserved annotator, --into with --out, --take-over-lock without --into; nothing is written', async () => {
    const { dir, run } = await project();
    const cases: [string[], string][] = [
      [['--into', '../escape'], '--into: "../escape": letters, digits, spaces, dots, dashes and underscores only'],
      [['--into', 'gold'], '--into: "gold" is not an analyst\'s layer'],
      [['--into', 'suggested'], '--into: "suggested" is not an analyst\'s layer'],
      [['--into', 'alice', '--out', path.join(temps.make(), 'x.jsonl')], '--into and --out cannot be used together'],
      [['--into', 'alice', '--label', 'opinion'], '--label: "opinion" is not a label Margin can suggest'],
      [['--take-over-lock'], '--take-over-lock: only with --into'],
    ];
    await expectRefusals(run, dir, cases);
    expect(existsSync(path.join(dir, 'annotations')) ? listFilesRecursive(path.join(dir, 'annotations')) : []).toEqual([]);
  });

  it('writes only the labels the project\'s schema has, and refuses by name a --label it lacks', async () => {
    const { dir, run } = await project();
    // A project whose schema dropped "event" (edited by hand, as a team may do).
    const file = path.join(dir, 'margin.json');
    const projectFile = JSON.parse(readFileSync(file, 'utf8')) as { schema: { labels: { name: string }[] } };
    projectFile.schema.labels = projectFile.schema.labels.filter((l) => l.name !== 'event');
    writeFileSync(file, `${JSON.stringify(projectFile, null, 2)}\n`);
    await expectRefusals(run, dir, [[['--into', 'alice', '--label', 'event'], `--into: the project's tag schema has no label "event"`]]);
    const written = await run(['suggest', '--project', dir, '--into', 'alice']);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toMatch(/1 document, [1-9]\d* annotations? added, 0 skipped/);
    const docId = (JSON.parse((await run(['suggest', '--project', dir])).stdout) as Line).id;
    const labels = new Set((layerOnDisk(dir, 'alice', docId) as unknown as Stored).annotations.map((a) => a.label));
    expect(labels.has('event')).toBe(false);
    expect(labels.has('quote')).toBe(true);
  });
});
