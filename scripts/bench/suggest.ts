/**
 * `npm run bench:suggest` (issue 13): imports PolNeAR's development split (84 articles,
 * ../shared/attribution) into a fresh temporary project with `margin import`, runs `margin suggest`
 * on it, scores the JSONL with the corpus's score.py, and times the engine per article (warm, in
 * this process); scores claims and events against the hand-annotated sample articles
 * (suggestFixture.ts). Prints the figures and writes bench/suggest-results.json. Not part of npm test.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suggest } from '../../shared/suggest';
import { machine } from './machine';
import { scoreFixture } from './suggestFixture';
import { marginEnv, repoRoot, runMargin } from './processes';

const corpus = path.resolve(repoRoot, '../shared/attribution');
const polnear = path.join(corpus, 'polnear-dev');
const WARM_RUNS = 5;

const TARGETS = { directF1: 0.85, directSpeaker: 0.85, allF1: 0.6, allSpeaker: 0.7, medianMs: 100, cliSeconds: 15 };

interface Score {
  gold: number;
  suggested: number;
  matched: number;
  precision: number;
  recall: number;
  f1: number;
  speaker_accuracy: number | null;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Engine time per article: one warm-up pass over all, then the median of WARM_RUNS runs of each. */
function engineTimes(texts: readonly string[]): number[] {
  for (const text of texts) suggest(text);
  return texts
    .map((text) => {
      const runs: number[] = [];
      for (let i = 0; i < WARM_RUNS; i++) {
        const t0 = performance.now();
        suggest(text);
        runs.push(performance.now() - t0);
      }
      return runs.sort((a, b) => a - b)[WARM_RUNS >> 1]!;
    })
    .sort((a, b) => a - b);
}

function main(): void {
  const loadAtStart = round(os.loadavg()[0]!);
  const work = mkdtempSync(path.join(os.tmpdir(), 'margin-bench-suggest-'));
  try {
    const env = marginEnv(path.join(work, 'user-data'), 'bench');
    const project = path.join(work, 'project');
    const out = path.join(work, 'suggestions.jsonl');
    console.log(`Importing ${polnear}/text into ${project}…`);
    runMargin(['import', '--project', project, path.join(polnear, 'text')], env);
    const t0 = performance.now();
    runMargin(['suggest', '--project', project, '--out', out], env);
    const cliSeconds = (performance.now() - t0) / 1000;
    const score = JSON.parse(execFileSync('python3', [path.join(corpus, 'score.py'), out, polnear], { encoding: 'utf8' })) as { documents: number; all: Score; direct: Score };
    const files = readdirSync(path.join(polnear, 'text')).filter((f) => f.endsWith('.txt'));
    const times = engineTimes(files.map((f) => readFileSync(path.join(polnear, 'text', f), 'utf8')));
    const perArticle = { median: round(percentile(times, 0.5)), p95: round(percentile(times, 0.95)), max: round(times[times.length - 1]!) };
    const claimsAndEvents = scoreFixture();
    const met = {
      directF1: score.direct.f1 >= TARGETS.directF1,
      directSpeaker: (score.direct.speaker_accuracy ?? 0) >= TARGETS.directSpeaker,
      allF1: score.all.f1 >= TARGETS.allF1,
      allSpeaker: (score.all.speaker_accuracy ?? 0) >= TARGETS.allSpeaker,
      medianMs: perArticle.median <= TARGETS.medianMs,
      cliSeconds: cliSeconds <= TARGETS.cliSeconds,
    };
    const results = {
      corpus: 'PolNeAR v1.0.0 development split (../shared/attribution/polnear-dev), scored with its score.py',
      documents: score.documents,
      direct: score.direct,
      all: score.all,
      timeMs: { perArticleWarm: perArticle, note: `engine only, in process, after one warm-up pass; median of ${WARM_RUNS} runs per article` },
      cli: { seconds: round(cliSeconds), note: 'margin suggest --out on the imported project, wall clock, Node start and tsx included' },
      targets: TARGETS,
      met,
      claimsAndEvents: { ...claimsAndEvents, note: 'the four sample articles against a hand annotation (test/fixtures/suggest/sample-claims-events.json): claims and events only, one annotator (the session that built the engine), spans matched at half their union' },
      machine: machine(null, loadAtStart),
    };
    writeFileSync(path.join(repoRoot, 'bench', 'suggest-results.json'), `${JSON.stringify(results, null, 2)}\n`);
    const row = (name: string, s: Score) =>
      `${name.padEnd(7)} P ${s.precision.toFixed(3)}  R ${s.recall.toFixed(3)}  F1 ${s.f1.toFixed(3)}  speaker ${s.speaker_accuracy?.toFixed(3) ?? 'n/a'}  (${s.matched}/${s.gold} gold, ${s.suggested} suggested)`;
    console.log(row('direct', score.direct));
    console.log(row('all', score.all));
    for (const label of ['claim', 'event'] as const) {
      const c = claimsAndEvents[label];
      console.log(`${label.padEnd(7)} P ${c.precision.toFixed(3)}  R ${c.recall.toFixed(3)}  F1 ${c.f1.toFixed(3)}  (${c.matched}/${c.hand} hand, ${c.suggested} suggested; attributes ${Object.entries(c.attributes).map(([k, v]) => `${k} ${v}`).join(', ')})`);
    }
    console.log(`engine per article (warm): median ${perArticle.median} ms, p95 ${perArticle.p95} ms, max ${perArticle.max} ms`);
    console.log(`margin suggest, ${score.documents} articles: ${round(cliSeconds)} s`);
    console.log(`targets met: ${Object.entries(met).map(([k, v]) => `${k} ${v ? 'yes' : 'NO'}`).join(', ')}`);
    console.log(`load average ${results.machine.loadAverage.start} → ${results.machine.loadAverage.end} on ${results.machine.cores} cores`);
    console.log('Wrote bench/suggest-results.json');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
