import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/services/dispatch';
import { anchorQuote, quoteAt } from '../../shared/anchoring';
import type { AnnotationImportReport } from '../../shared/api';
import { formatEntry } from '../../shared/formats/registry';
import { oneLine } from '../../shared/formats/shownValue';
import { ANNOTATION_FORMATS, ANNOTATION_INPUTS, type AnnotationFile } from '../fuzz/annotationInputs';
import { newsText } from '../fuzz/bytes';
import { checkMessage } from '../fuzz/messages';
import { expectUnchanged, snapshotProject } from '../fuzz/projectSnapshot';
import { announce, FUZZ_PROJECT_RUNS, FUZZ_RUNS, FUZZ_TIMEOUT_MS } from '../fuzz/settings';
import { CaseFailure, failuresOf, fuzzCases, Tally } from '../fuzz/tally';
import { recordSecurityRows } from '../securityReport';
import { openWorkspace, samplePaths, TempDirs } from './helpers';

/**
 * Item 4 of issue 12, annotations: every importer (jsonl, w3c, brat, doccano, label-studio) fed
 * damaged exports and random JSON, and re-anchoring fed edited texts. Each parser is called
 * directly for FUZZ_RUNS cases; a smaller sample goes through the API into a project. Properties:
 * nothing throws; every problem is a line of words; a file whose records are all refused leaves
 * the project byte-identical; a quote still in the text is always found.
 */

const temps = new TempDirs();
const tallies = new Map(ANNOTATION_FORMATS.map((f, i) => [f, { parser: new Tally(`fuzz: ${f}`), project: new Tally(`fuzz: ${f} through a project`), offset: 10_000 + i * 1000 }]));
const anchoring = new Tally('fuzz: re-anchoring');

beforeAll(() => announce('annotations'));
afterAll(() => {
  temps.cleanup();
  recordSecurityRows('fuzz-annotations', [...[...tallies.values()].flatMap((t) => [t.parser.row(), t.project.row()]), anchoring.row()]);
});

const isOffset = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;

describe.each(ANNOTATION_FORMATS)('fuzzing %s annotation files', (format) => {
  const { parser, project, offset } = tallies.get(format)!;
  const parse = formatEntry(format)!.parse!;

  it(`the parser never throws and says each problem in words (${FUZZ_RUNS} cases)`, async () => {
    await fuzzCases(
      parser,
      ANNOTATION_INPUTS[format],
      FUZZ_RUNS,
      (file) => {
        const result = parse(file);
        for (const p of result.problems) {
          // Line breaks a file puts in the ids it names are escaped where reports are made
          // (annotationImport.ts, the one place every importer's problems pass).
          checkMessage(oneLine(p.reason), `problem${p.line === undefined ? '' : ` on line ${p.line}`}`);
          if (p.line !== undefined && !(Number.isSafeInteger(p.line) && p.line >= 1)) throw new CaseFailure('message', `a problem on line ${String(p.line)}`);
        }
        for (const doc of result.documents) {
          if (typeof doc.text !== 'string') throw new CaseFailure('message', 'a document without a text string');
          for (const a of doc.annotations) if (!isOffset(a.start) || !isOffset(a.end) || typeof a.label !== 'string') throw new CaseFailure('message', `an annotation read as ${JSON.stringify(a)}`);
        }
      },
      offset,
    );
    expect(failuresOf(parser)).toEqual([]);
  }, FUZZ_TIMEOUT_MS);

  it(`an import through the API reports by file, and a file refused whole leaves the project byte-identical (${FUZZ_PROJECT_RUNS} cases)`, async () => {
    const dir = path.join(temps.make(), 'project');
    const ws = await openWorkspace(temps, dir);
    const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
    const filesOf = (f: AnnotationFile) => [{ name: f.name, data: b64(f.content) }, ...(f.text === undefined ? [] : [{ name: f.name.replace(/\.ann$/, '.txt'), data: b64(f.text) }])];
    try {
      await fuzzCases(
        project,
        fc.tuple(ANNOTATION_INPUTS[format], fc.boolean()),
        FUZZ_PROJECT_RUNS,
        async ([file, addToSchema]) => {
          const before = snapshotProject(dir);
          const answer = await dispatch(ws.handlers, 'importAnnotations', { format, files: filesOf(file), addToSchema, dryRun: false });
          if (!answer.ok) {
            if (answer.error.code === 'internal') throw new Error(answer.error.message);
            checkMessage(answer.error.message, 'the error');
            expectUnchanged(before, dir, `the import was refused (${answer.error.message})`);
            return;
          }
          const report = answer.value as AnnotationImportReport;
          if (report.files.length !== 1 || report.files[0]!.name !== file.name) throw new CaseFailure('message', `the report does not name ${file.name}: ${JSON.stringify(report.files.map((f) => f.name))}`);
          const [only] = report.files;
          for (const r of [...only!.rejected, ...only!.notes]) checkMessage(r.reason, `${file.name}${r.line === undefined ? '' : `:${r.line}`}`);
          // Refused: no record of the file was taken (imported, orphaned, or found already there).
          // Links between records already there may be new, and are written: not a refusal.
          if (only!.imported === 0 && only!.orphaned === 0 && only!.alreadyPresent === 0) expectUnchanged(before, dir, `every record was refused (${only!.rejected.length} rejected)`);
        },
        offset + 500,
      );
    } finally {
      await ws.close();
    }
    expect(failuresOf(project)).toEqual([]);
  }, FUZZ_TIMEOUT_MS);
});

describe('fuzzing re-anchoring', () => {
  const article = readFileSync(samplePaths()[0]!, 'utf8').slice(0, 2500); // the CNN sample: non-breaking spaces, curly quotes
  const edit = fc.record({ at: fc.nat(), remove: fc.nat({ max: 40 }), insert: fc.oneof(newsText(6), fc.constantFrom('', ' ', '\u00a0', '“', '”')) });
  const edited = fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constant(article) }, { weight: 1, arbitrary: newsText(120) }), fc.array(edit, { maxLength: 12 }), fc.nat(), fc.integer({ min: 1, max: 200 }));
  const hostileSelector = fc.record({ exact: newsText(8), prefix: fc.option(newsText(8), { nil: undefined }), suffix: fc.option(newsText(8), { nil: undefined }) });
  const hint = fc.tuple(fc.integer({ min: -10, max: 4000 }), fc.integer({ min: -10, max: 4000 })).map(([start, end]) => ({ start, end }));

  it(`random edits of the text never make it throw; a quote still in the text is always found, exactly (${FUZZ_RUNS} cases)`, async () => {
    await fuzzCases(
      anchoring,
      fc.oneof(
        { weight: 4, arbitrary: edited.map(([text, edits, at, length]) => ({ kind: 'edited' as const, text, edits, at, length })) },
        { weight: 1, arbitrary: fc.tuple(newsText(80), hostileSelector, hint).map(([text, quote, h]) => ({ kind: 'hostile' as const, text, quote, hint: h })) },
      ),
      FUZZ_RUNS,
      (c) => {
        let text: string;
        let quote;
        let where;
        if (c.kind === 'edited') {
          if (c.text.length === 0) return;
          const start = c.at % c.text.length;
          const end = Math.min(c.text.length, start + c.length);
          quote = quoteAt(c.text, start, end);
          where = { start, end };
          text = c.edits.reduce((t, e) => {
            const at = t.length === 0 ? 0 : e.at % (t.length + 1);
            return t.slice(0, at) + e.insert + t.slice(at + e.remove);
          }, c.text);
        } else {
          ({ text, quote, hint: where } = c);
        }
        const anchor = anchorQuote(text, quote, where);
        if (anchor && !(anchor.start >= 0 && anchor.end <= text.length && anchor.start < anchor.end)) throw new CaseFailure('message', `placed at ${anchor.start}-${anchor.end} in a text of ${text.length}`);
        if (quote.exact !== '' && text.includes(quote.exact)) {
          if (!anchor) throw new CaseFailure('message', `"${quote.exact}" is in the text but was not found`);
          if (text.slice(anchor.start, anchor.end) !== quote.exact) throw new CaseFailure('message', `"${quote.exact}" is in the text but was placed on "${text.slice(anchor.start, anchor.end)}"`);
        }
      },
      20_000,
    );
    expect(failuresOf(anchoring)).toEqual([]);
  }, FUZZ_TIMEOUT_MS);
});
