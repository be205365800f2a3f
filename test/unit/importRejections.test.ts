import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnnotationImportReport } from '../../shared/api';
import type { ImportFormat } from '../../shared/formats/dataset';
import { openWorkspace, runMargin, samplePaths, spanOf, TempDirs } from './helpers';

/**
 * Malformed annotation files as analysts meet them: every rejected record is named by its file
 * and its line (counted from 1, as an editor counts them, listed in file order), in words; never
 * the parser's own text ("start undefined", "Maximum call stack size exceeded", stack lines).
 */

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const CNN = readFileSync(samplePaths().find((p) => readFileSync(p, 'utf8').includes('Sinwar'))!, 'utf8');
const INTERNALS = /undefined|Maximum call stack|SyntaxError|RangeError|TypeError|\n\s+at |\[object Object\]|at position|Unexpected token|is not valid JSON|@\d/;

/** [start, end] in code points, as jsonl, doccano and brat count. */
function points(text: string, needle: string): [number, number] {
  const { start, end } = spanOf(text, needle);
  return [[...text.slice(0, start)].length, [...text.slice(0, end)].length];
}

async function importInto(format: ImportFormat, files: { name: string; content: string }[]): Promise<AnnotationImportReport['files']> {
  const ws = await openWorkspace(temps);
  try {
    const report = await ws.handlers.importAnnotations({ format, files: files.map((f) => ({ name: f.name, data: b64(f.content) })), addToSchema: true, dryRun: false });
    return report.files;
  } finally {
    await ws.close();
  }
}

/** Every rejection has a line, in file order, and reads as words. */
function expectNamedLines(file: AnnotationImportReport['files'][number], lines: number[]): void {
  for (const r of file.rejected) {
    expect(r.line, `${file.name}: ${r.reason}`).toBeGreaterThanOrEqual(1);
    expect(r.reason, `${file.name}:${r.line}`).not.toMatch(INTERNALS);
  }
  const seen = file.rejected.map((r) => r.line!);
  expect(seen).toEqual([...seen].sort((a, b) => a - b));
  expect([...new Set(seen)]).toEqual(lines);
}

const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;

describe('every rejection names its file and line', () => {
  it('jsonl: broken JSON, a document without text, bad offsets, control characters, a lone CR line break', async () => {
    const [s0, e0] = points(CNN, 'Antony Blinken');
    const [s1, e1] = points(CNN, 'Yahya Sinwar');
    const doc = (annotations: unknown[]) => JSON.stringify({ text: CNN, annotations });
    const content = [
      doc([
        { label: 'source', start: s0, end: e0 },
        { label: 'source', start: s1, end: e1 },
      ]), // 1
      '{not json', // 2
      '{"text": ""}', // 3: a document without text
      '\u0000\u0001', // 4
      doc([{ label: 'claim', start: 'a', end: e0 }]), // 5: start is not a number
      `${doc([{ label: 'claim', start: s1, end: e1 }])}\r{oops`, // 6, then 7 after a lone CR
      deep, // 8
      JSON.stringify({ text: '', annotations: [{ label: 'claim', start: 0, end: 4 }] }), // 9
      doc([{ label: 'quote', start: e0, end: s0 }]), // 10: reversed
    ].join('\n');
    const [file] = await importInto('jsonl', [{ name: 'carol.jsonl', content }]);
    expect(file!.imported).toBe(3);
    expectNamedLines(file!, [2, 3, 4, 5, 7, 8, 9, 10]);
    expect(file!.rejected.find((r) => r.line === 2)!.reason).toBe('not valid JSON: unexpected “n” at column 2');
    expect(file!.rejected.find((r) => r.line === 4)!.reason).toBe('not valid JSON: unexpected U+0000 at column 1');
    expect(file!.rejected.find((r) => r.line === 3)!.reason).toMatch(/a document without text/);
  });

  it('doccano: broken JSON, spans that are not [start, end, label], a document without text', async () => {
    const [s0, e0] = points(CNN, 'Antony Blinken');
    const content = [
      JSON.stringify({ text: CNN, label: [[s0, e0, 'source']] }), // 1
      JSON.stringify({ text: CNN, label: [[s0, e0]] }), // 2
      '{"text": "unterminated', // 3
      JSON.stringify({ text: CNN, label: [[0, 4, 'claim']] }), // 4
      JSON.stringify({ text: '', label: [[0, 0, 'claim']] }), // 5
      JSON.stringify({ text: CNN, label: [['a', 'b', 'claim']] }), // 6
      JSON.stringify({ text: CNN, label: deep }), // 7
    ].join('\n');
    const [file] = await importInto('doccano', [{ name: 'doccano.jsonl', content }]);
    expect(file!.imported).toBe(2);
    expectNamedLines(file!, [2, 3, 5, 6, 7]);
    expect(file!.rejected.find((r) => r.line === 3)!.reason).toBe('not valid JSON: a string is not closed (it opens at column 10)');
  });

  it('brat: malformed lines in any order, undefined ids, and a span of 150,000 fragments that once overflowed the stack', async () => {
    const [s0, e0] = points(CNN, 'Antony Blinken');
    const [s1, e1] = points(CNN, 'Yahya Sinwar');
    const fragments = Array.from({ length: 150_000 }, (_, i) => `${s1 + (i % 5)} ${s1 + (i % 5) + 1}`).join(';');
    const ann = [
      `T1\tsource ${s0} ${e0}\tAntony Blinken`, // 1
      'garbage', // 2
      `T2\tsource ${fragments}\tY`, // 3
      `T3\tquote 0 999999\tx`, // 4
      'R1\tattributed-to Arg1:T9 Arg2:T1\t', // 5
      'E1\tevent:T77', // 6
      'A1\tkind T1 direct extra', // 7
      `T4\tsource ${s1} ${e1}\tYahya Sinwar`, // 8
    ].join('\n');
    const [file] = await importInto('brat', [
      { name: 'cnn.ann', content: ann },
      { name: 'cnn.txt', content: CNN },
    ]);
    expect(file!.imported).toBe(3);
    expectNamedLines(file!, [2, 4, 5, 6, 7]);
  });

  it('label-studio and w3c: a JSON syntax error is named by its line in the file, in words', async () => {
    const [s0, e0] = points(CNN, 'Antony Blinken');
    const task = (label: string) => ({ data: { text: CNN }, annotations: [{ result: [{ id: 'r1', type: 'labels', from_name: 'label', to_name: 'text', value: { start: s0, end: e0, labels: [label] } }] }] });
    const tasks = `[\n${JSON.stringify(task('source'))},\n{"data": {"text": "x"}, "annotations": [}\n]\n,\n${JSON.stringify(task('quote'))}\n]\n`;
    const [ls] = await importInto('label-studio', [{ name: 'tasks.json', content: tasks }]);
    expect(ls!.imported).toBe(2);
    expectNamedLines(ls!, [3]);
    expect(ls!.rejected[0]!.reason).toBe('not valid JSON: unexpected “}” at column 41');

    const [w3c] = await importInto('w3c', [{ name: 'notes.jsonld', content: '{\n  "type": "AnnotationCollection",\n  "items": [\n    {"type": "Annotation",,}\n  ]\n}\n' }]);
    expectNamedLines(w3c!, [4]);
    expect(w3c!.rejected[0]!.reason).toBe('notes.jsonld is not JSON: unexpected “,” at column 27');
  });

  it('margin import-annotations prints them as FILE:LINE in file order', async () => {
    const dir = temps.make();
    const file = path.join(dir, 'carol.jsonl');
    const [s0, e0] = points(CNN, 'Antony Blinken');
    writeFileSync(
      file,
      [JSON.stringify({ text: CNN, annotations: [{ label: 'a/b', start: s0, end: e0 }] }), '{oops', JSON.stringify({ text: CNN, annotations: [{ label: 'source', start: s0 }] })].join('\n'),
    );
    const run = await runMargin(['import-annotations', '--project', path.join(dir, 'project'), '--format', 'jsonl', file], temps.make('margin-cli-ud-'));
    expect(run.code).toBe(1);
    const rejected = run.stderr.split('\n').filter((l) => l.startsWith('rejected'));
    expect(rejected.map((l) => /carol\.jsonl:(\d+):/.exec(l)?.[1])).toEqual(['1', '2', '3']);
    for (const line of rejected) expect(line).not.toMatch(INTERNALS);
  }, 120_000);
});
