import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agreementReport } from '../../electron/services/review/agreement';
import { ProjectStore } from '../../electron/services/store/projectStore';
import { AgreementReport } from '../../shared/api';
import type { Annotation } from '../../shared/model';
import { layerOnDisk, openWorkspace, runMargin, samplePaths, spanOf, TempDirs } from './helpers';

/**
 * Agreement tells assisted tags apart: for each annotator scored, how many of the spans were
 * accepted suggestions (origin "suggested"), in the report, in `margin agree` and its --json.
 */

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const CAVEAT = 'Kappa and F1 between analysts who both accepted the same suggestions overstate their independent agreement.';

/**
 * The Blinken sample article (curly quotes, non-breaking spaces: real news) tagged by two analysts. Both accepted the
 * same two suggestions (a quote and its source); alice tagged two spans of her own, bob one.
 * An accepted suggestion is written as the reading view's accept and undo write it: the
 * analyst's annotation with origin "suggested".
 */
async function twoAnalysts(withSuggestions = true) {
  const projectDir = path.join(temps.make(), 'project');
  const ws = await openWorkspace(temps, projectDir);
  const h = ws.handlers;
  await h.loadSamples({});
  const docs = await Promise.all((await h.listDocuments({})).map((d) => h.getDocument({ docId: d.id })));
  const doc = docs.find((d) => d.text.includes('Blinken on Tuesday urged'))!;
  const tag = async (annotator: string, own: [string, string][], accepted: [string, string][]) => {
    await h.setAnnotator({ name: annotator });
    const spans = [...own, ...accepted].map(([label, needle]) => ({ label, ...spanOf(doc.text, needle) }));
    const made = await h.createAnnotations({ docId: doc.id, spans });
    const suggested: Annotation[] = made.slice(own.length).map((a) => ({ ...a, origin: 'suggested' }));
    if (withSuggestions) await h.restoreAnnotations({ annotations: suggested, relations: [] });
  };
  const accepted: [string, string][] = [
    ['quote', '“capitalize”'],
    ['source', 'Blinken on Tuesday'],
  ];
  await tag('alice', [['source', 'President Joe Biden'], ['event', 'killing of\u00a0Hamas leader\u00a0Yahya Sinwar’s death']], accepted);
  await tag('bob', [['source', 'Joe Biden']], accepted);
  await ws.close();
  return { projectDir, doc };
}

async function reportOf(projectDir: string, options: Parameters<typeof agreementReport>[1] = {}): Promise<AgreementReport> {
  const store = await ProjectStore.open(projectDir, { lock: false });
  try {
    return AgreementReport.parse(await agreementReport(store, options));
  } finally {
    await store.close();
  }
}

describe('agreement: assisted tags', () => {
  it('counts, per annotator, the spans scored and those accepted from suggestions, for the labels scored', async () => {
    const { projectDir } = await twoAnalysts();
    const report = await reportOf(projectDir);
    expect(report.assisted).toEqual([
      { annotator: 'alice', spans: 4, suggested: 2, excluded: 0 },
      { annotator: 'bob', spans: 3, suggested: 2, excluded: 0 },
    ]);
    // Scoring only sources: alice's event and both accepted quotes are not scored, so not counted.
    const sources = await reportOf(projectDir, { labels: ['source'] });
    expect(sources.assisted).toEqual([
      { annotator: 'alice', spans: 2, suggested: 1, excluded: 0 },
      { annotator: 'bob', spans: 2, suggested: 1, excluded: 0 },
    ]);
  });

  it('counts the reference layer too when annotators are scored against it', async () => {
    const { projectDir } = await twoAnalysts();
    const report = await reportOf(projectDir, { annotators: ['alice'], against: 'bob' });
    expect(report.assisted).toEqual([
      { annotator: 'alice', spans: 4, suggested: 2, excluded: 0 },
      { annotator: 'bob', spans: 3, suggested: 2, excluded: 0 },
    ]);
  });

  it('margin agree prints a line per annotator and the caveat; --json carries the counts', async () => {
    const { projectDir } = await twoAnalysts();
    const userData = temps.make('margin-agree-ud-');
    const text = await runMargin(['agree', '--project', projectDir], userData);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines).toContain('alice: 4 spans, 2 accepted from suggestions (50%)');
    expect(lines).toContain('bob: 3 spans, 2 accepted from suggestions (67%)');
    expect(lines).toContain(CAVEAT);

    const json = await runMargin(['agree', '--project', projectDir, '--json'], userData);
    expect(json.code, json.stderr).toBe(0);
    expect(AgreementReport.parse(JSON.parse(json.stdout)).assisted).toEqual([
      { annotator: 'alice', spans: 4, suggested: 2, excluded: 0 },
      { annotator: 'bob', spans: 3, suggested: 2, excluded: 0 },
    ]);
  });

  it('with excludeSuggested, scores only the analysts\' own spans and says how many suggestions it left out', async () => {
    const { projectDir } = await twoAnalysts();
    const report = await reportOf(projectDir, { excludeSuggested: true });
    expect(report.excludeSuggested).toBe(true);
    expect(report.assisted).toEqual([
      { annotator: 'alice', spans: 2, suggested: 0, excluded: 2 },
      { annotator: 'bob', spans: 1, suggested: 0, excluded: 2 },
    ]);
    // Own spans: alice's "President Joe Biden" and event, bob's "Joe Biden": no exact match, one overlap.
    const overall = report.pairs.find((p) => p.label === null)!;
    expect(overall.exactF1.value).toBe(0);
    expect(overall.overlapF1.value).toBeCloseTo(2 / 3, 10);
    // With the accepted suggestions, the two shared ones match exactly.
    const withThem = await reportOf(projectDir);
    expect(withThem.excludeSuggested).toBe(false);
    expect(withThem.pairs.find((p) => p.label === null)!.exactF1.value).toBeCloseTo(4 / 7, 10);
  });

  it('margin agree --exclude-suggested says the accepted suggestions were left out, per annotator', async () => {
    const { projectDir } = await twoAnalysts();
    const run = await runMargin(['agree', '--project', projectDir, '--exclude-suggested'], temps.make('margin-agree-ud-'));
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain('Scored on the analysts\' own spans only: accepted suggestions left out.');
    expect(lines).toContain('alice: 2 spans scored, 2 accepted suggestions left out');
    expect(lines).toContain('bob: 1 span scored, 2 accepted suggestions left out');
    expect(lines).not.toContain(CAVEAT);
    expect(run.stdout).toMatch(/alice – bob\s+\(all\)\s+0\.0000\s+0\.6667/);
  });

  it('margin agree says nothing extra when nobody accepted a suggestion', async () => {
    const { projectDir } = await twoAnalysts(false);
    const run = await runMargin(['agree', '--project', projectDir], temps.make('margin-agree-ud-'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('accepted from suggestions');
    expect(run.stdout).not.toContain(CAVEAT);
    expect((await reportOf(projectDir)).assisted).toEqual([
      { annotator: 'alice', spans: 4, suggested: 0, excluded: 0 },
      { annotator: 'bob', spans: 3, suggested: 0, excluded: 0 },
    ]);
  });

  it('counts what margin suggest --into pre-annotated as suggested, beside the analyst\'s own spans', async () => {
    const userData = temps.make('margin-agree-ud-');
    const dir = path.join(temps.make(), 'project');
    const run = (args: string[]) => runMargin(args, userData);
    expect((await run(['import', '--project', dir, ...samplePaths()])).code).toBe(0);
    for (const name of ['Ana María', 'Bo']) {
      const into = await run(['suggest', '--project', dir, '--into', name, '--label', 'quote', '--label', 'source']);
      expect(into.code, into.stderr).toBe(0);
    }
    // Bo then tags one span of his own in the first article.
    const ws = await openWorkspace(temps, dir);
    const first = (await ws.handlers.listDocuments({}))[0]!;
    const text = (await ws.handlers.getDocument({ docId: first.id })).text;
    await ws.handlers.setAnnotator({ name: 'Bo' });
    const word = /\p{Lu}\p{L}+/u.exec(text)![0];
    await ws.handlers.createAnnotation({ docId: first.id, label: 'event', ...spanOf(text, word) });
    const ids = (await ws.handlers.listDocuments({})).map((d) => d.id);
    await ws.close();

    const written = (name: string) => ids.flatMap((id) => layerOnDisk(dir, name, id).annotations);
    const ana = written('Ana María');
    expect(ana.length).toBeGreaterThan(0);
    expect(ana.every((a) => a.origin === 'suggested')).toBe(true);

    const report = await reportOf(dir, { annotators: ['Ana María', 'Bo'] });
    expect(report.assisted).toEqual([
      { annotator: 'Ana María', spans: ana.length, suggested: ana.length, excluded: 0 },
      { annotator: 'Bo', spans: ana.length + 1, suggested: ana.length, excluded: 0 },
    ]);
    const agree = await run(['agree', '--project', dir, '--annotators', 'Ana María,Bo']);
    expect(agree.code, agree.stderr).toBe(0);
    expect(agree.stdout).toContain(`Ana María: ${ana.length} spans, ${ana.length} accepted from suggestions (100%)`);
    expect(agree.stdout).toContain(`Bo: ${ana.length + 1} spans, ${ana.length} accepted from suggestions (`);
  });
});

describe('agreement: a layer that holds only rejected suggestions', () => {
  it('is no layer at all: rejecting a suggestion on an untagged document leaves every figure as it was', async () => {
    const { projectDir, doc } = await twoAnalysts();
    const before = await reportOf(projectDir);
    const ws = await openWorkspace(temps, projectDir);
    try {
      const h = ws.handlers;
      await h.setAnnotator({ name: 'alice' });
      const other = (await h.listDocuments({})).find((d) => d.id !== doc.id)!;
      const { suggestions } = await h.listSuggestions({ docId: other.id });
      expect(suggestions.length).toBeGreaterThan(0);
      await h.rejectSuggestions({ docId: other.id, keys: [suggestions[0]!.key] });
      expect(await layerOnDisk(projectDir, 'alice', other.id)).toMatchObject({ annotations: [], dismissedSuggestions: [suggestions[0]!.key] });
    } finally {
      await ws.close();
    }
    const after = await reportOf(projectDir);
    expect(after.pairs).toEqual(before.pairs);
    expect(after.documents.find((d) => d.docId !== doc.id)?.pairs).toEqual(before.documents.find((d) => d.docId !== doc.id)?.pairs);
  });
});
