import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, runCli } from './browserMode';

interface Doc {
  id: string;
  title: string;
  text: string;
}

/** Code-point offsets of the first occurrence of `phrase`, as the jsonl format counts them. */
function at(text: string, phrase: string): { start: number; end: number } {
  const i = text.indexOf(phrase);
  if (i < 0) throw new Error(`no "${phrase}"`);
  const start = [...text.slice(0, i)].length;
  return { start, end: start + [...phrase].length };
}

/** One annotator's layer on one article, as a jsonl line: spans given as [label, phrase]. */
function layer(doc: Doc, annotator: string, spans: readonly (readonly [string, string])[]): string {
  return `${JSON.stringify({
    id: doc.id,
    title: doc.title,
    text: doc.text,
    annotations: spans.map(([label, phrase], i) => ({
      id: `${annotator}-${i}`,
      label,
      ...at(doc.text, phrase),
      text: phrase,
      annotator,
      attributes: {},
      note: null,
    })),
    relations: [],
  })}\n`;
}

/** The first two sample articles, the CNN one about Blinken's October meeting among them. */
export const TWO_SAMPLES = ['000_0a5fdd5987a87f4f.txt', '001_679d1c303f080e9a.txt'];

/**
 * Imports sample articles into a project with the real CLI, then colleagues' layers on the article
 * whose title matches `title`: annotator → spans as [label, phrase].
 */
export function importLayers(
  projectDir: string,
  env: NodeJS.ProcessEnv,
  title: RegExp,
  layers: Record<string, readonly (readonly [string, string])[]>,
  samples: readonly string[] = TWO_SAMPLES,
): void {
  runCli(['import', '--project', projectDir, ...samples.map((f) => path.join(repoRoot, 'resources', 'samples', f))], env);
  const docs = runCli(['export', '--project', projectDir, '--format', 'jsonl'], env)
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Doc);
  const doc = docs.find((d) => title.test(d.title));
  if (!doc) throw new Error(`no sample article titled ${title}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'margin-layers-'));
  const files = Object.entries(layers).map(([annotator, spans]) => {
    const file = path.join(dir, `${annotator}.jsonl`);
    writeFileSync(file, layer(doc, annotator, spans));
    return file;
  });
  runCli(['import-annotations', '--project', projectDir, '--format', 'jsonl', ...files], env);
}
