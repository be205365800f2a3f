import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/services/dispatch';
import { extractArticle } from '../../electron/services/intake/extract';
import type { Workspace } from '../../electron/services/workspace';
import type { ImportReport } from '../../shared/api';
import { ARTICLE_INPUTS, type ArticleFormat } from '../fuzz/articleInputs';
import { checkMessage } from '../fuzz/messages';
import { expectUnchanged, snapshotProject } from '../fuzz/projectSnapshot';
import { announce, FUZZ_PROJECT_RUNS, FUZZ_RUNS, FUZZ_TIMEOUT_MS } from '../fuzz/settings';
import { CaseFailure, failuresOf, fuzzCases, Tally } from '../fuzz/tally';
import { recordSecurityRows } from '../securityReport';
import { openWorkspace, TempDirs } from './helpers';

/**
 * Item 4 of issue 12, articles: every reader (txt, md, html, docx, pdf) fed generated, damaged and
 * random files. Each reader is called directly for FUZZ_RUNS cases (what the reader thread runs,
 * without a thread per case), then a smaller sample goes the whole way: uploaded to a project
 * through the API, read on the reader threads under their limits. Properties: nothing throws;
 * a refused file is named with a reason a person can read; a refused file changes nothing in
 * the project, byte for byte.
 */

const FORMATS = Object.keys(ARTICLE_INPUTS) as ArticleFormat[];
const tallies = new Map(FORMATS.map((f, i) => [f, { reader: new Tally(`fuzz: ${f}`), project: new Tally(`fuzz: ${f} through a project`), offset: i * 1000 }]));
const temps = new TempDirs();

beforeAll(() => announce('articles'));
afterAll(() => {
  temps.cleanup();
  recordSecurityRows('fuzz-articles', [...tallies.values()].flatMap((t) => [t.reader.row(), t.project.row()]));
});

describe.each(FORMATS)('fuzzing .%s articles', (format) => {
  const { reader, project, offset } = tallies.get(format)!;
  const name = `fuzzed.${format}`;

  it(`the reader never throws and refuses in words (${FUZZ_RUNS} cases)`, async () => {
    await fuzzCases(
      reader,
      ARTICLE_INPUTS[format],
      FUZZ_RUNS,
      async (bytes) => {
        const result = await extractArticle(name, bytes);
        if (result.ok) {
          if (typeof result.text !== 'string' || result.text.trim() === '') throw new CaseFailure('message', 'accepted with no text');
        } else checkMessage(result.reason, 'reason');
      },
      offset,
    );
    expect(failuresOf(reader)).toEqual([]);
  }, FUZZ_TIMEOUT_MS);

  it(`an upload through the API is imported or refused by name, and a refusal leaves the project byte-identical (${FUZZ_PROJECT_RUNS} cases)`, async () => {
    const dir = path.join(temps.make(), 'project');
    const ws: Workspace = await openWorkspace(temps, dir);
    try {
      await fuzzCases(
        project,
        ARTICLE_INPUTS[format],
        FUZZ_PROJECT_RUNS,
        async (bytes) => {
          const before = snapshotProject(dir);
          const answer = await dispatch(ws.handlers, 'importFiles', { files: [{ name, data: Buffer.from(bytes).toString('base64') }] });
          if (!answer.ok) {
            checkMessage(answer.error.message, 'the error');
            if (answer.error.code === 'internal') throw new Error(answer.error.message);
            expectUnchanged(before, dir, `the upload was refused (${answer.error.message})`);
            return;
          }
          const report = answer.value as ImportReport;
          const listed = [...report.imported, ...report.duplicates, ...report.failed];
          if (listed.length !== 1 || listed[0]!.fileName !== name) throw new CaseFailure('message', `the report does not list ${name} once: ${JSON.stringify(report)}`);
          for (const f of report.failed) checkMessage(f.reason, 'reason', name);
          if (report.imported.length === 0) expectUnchanged(before, dir, report.failed[0] ? `refused: ${report.failed[0].reason}` : 'a duplicate');
        },
        offset + 500,
      );
    } finally {
      await ws.close();
    }
    expect(failuresOf(project)).toEqual([]);
  }, FUZZ_TIMEOUT_MS);
});
