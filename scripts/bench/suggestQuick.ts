/**
 * Development loop for the suggestion engine: runs it straight on PolNeAR's texts (no project,
 * no CLI) and scores with score.py. `npm run bench:suggest` is the measured, end-to-end run.
 * usage: tsx scripts/bench/suggestQuick.ts [OUT.jsonl]
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { documentToJsonl } from '../../shared/formats/jsonl';
import { suggest } from '../../shared/suggest';
import { suggestionRecords } from '../../shared/suggest/records';
import { repoRoot } from './processes';

const corpus = path.resolve(repoRoot, '../shared/attribution');
const out = process.argv[2] ?? '/tmp/suggest-quick.jsonl';
const dir = path.join(corpus, 'polnear-dev/text');
const lines: string[] = [];
const times: number[] = [];
for (const [i, name] of readdirSync(dir).sort().entries()) {
  const text = readFileSync(path.join(dir, name), 'utf8');
  const t0 = performance.now();
  const suggestions = suggest(text, { labels: ['quote', 'source'] });
  times.push(performance.now() - t0);
  const { annotations, relations } = suggestionRecords(String(i).padStart(16, '0'), text, suggestions, new Date(0).toISOString());
  lines.push(documentToJsonl({ id: String(i), title: name, text, meta: { fileName: name }, annotations, relations }));
}
writeFileSync(out, `${lines.join('\n')}\n`);
times.sort((a, b) => a - b);
console.log(`median ${times[times.length >> 1]!.toFixed(2)} ms, max ${times[times.length - 1]!.toFixed(1)} ms`);
console.log(execFileSync('python3', [path.join(corpus, 'score.py'), out, path.join(corpus, 'polnear-dev')], { encoding: 'utf8' }));
