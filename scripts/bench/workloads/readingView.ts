/**
 * The reading-view workload (../shared/bench/workload.mjs: one 993,312-character article of 5,000
 * paragraphs and 10,000 nested, overlapping and crossing annotations), in Margin's coordinates,
 * written into fresh projects through the CLI as a user would (`margin import-annotations`).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, runMargin } from '../processes';

export interface WorkloadSpan {
  id: string;
  start: number;
  end: number;
  label: string;
  kind: string;
}

/** What workload.mjs returns (offsets count characters of paragraphs.join('')). */
interface Generated {
  paragraphs: string[];
  annotations: WorkloadSpan[];
  addOne: WorkloadSpan;
  totalChars: number;
}

export interface ReadingWorkload {
  /** For the peer: paragraphs side by side, offsets as generated. */
  paragraphs: string[];
  annotations: WorkloadSpan[];
  addOne: WorkloadSpan;
  /** For Margin: paragraphs apart by a blank line, offsets moved accordingly. */
  margin: {
    text: string;
    /** Where each paragraph starts in `text`. */
    paragraphStarts: number[];
    annotations: WorkloadSpan[];
    addOne: WorkloadSpan;
  };
}

export const ARTICLE_TITLE = 'Benchmark article';
export const ANNOTATOR = 'bench';

/** The workload's generator, from ../shared beside the repository (as on CI). */
export const WORKLOAD_MODULE = path.resolve(repoRoot, '..', 'shared', 'bench', 'workload.mjs');

/** The paragraph holding character `offset`: the last one starting at or before it (`starts` sorted). */
export function paragraphIndexOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export async function readingWorkload(): Promise<ReadingWorkload> {
  if (!existsSync(WORKLOAD_MODULE)) throw new Error(`${WORKLOAD_MODULE} is missing: the benchmark needs ../shared/bench/ beside the repository`);
  const { generateWorkload, checkWorkload } = (await import(pathToFileURL(WORKLOAD_MODULE).href)) as {
    generateWorkload: () => Generated;
    checkWorkload: (w: Generated) => unknown;
  };
  const w = generateWorkload();
  checkWorkload(w);
  const starts: number[] = [];
  let at = 0;
  for (const p of w.paragraphs) {
    starts.push(at);
    at += p.length;
  }
  const paragraphOf = (o: number) => paragraphIndexOf(starts, o);
  // Margin keeps paragraphs apart with "\n\n": an offset in paragraph i moves by 2i; an end
  // offset belongs to the paragraph of the character before it.
  const toMargin = (s: WorkloadSpan): WorkloadSpan => ({ ...s, start: s.start + 2 * paragraphOf(s.start), end: s.end + 2 * paragraphOf(s.end - 1) });
  const text = w.paragraphs.join('\n\n');
  const margin = { text, paragraphStarts: starts.map((s, i) => s + 2 * i), annotations: w.annotations.map(toMargin), addOne: toMargin(w.addOne) };
  // The moved offsets must cut the same characters out of Margin's text (blank lines aside).
  const flat = w.paragraphs.join('');
  for (const [i, a] of w.annotations.entries()) {
    const m = margin.annotations[i]!;
    if (text.slice(m.start, m.end).replaceAll('\n\n', '') !== flat.slice(a.start, a.end)) throw new Error(`workload annotation ${a.id} does not map onto Margin's text`);
  }
  return { paragraphs: w.paragraphs, annotations: w.annotations, addOne: w.addOne, margin };
}

/**
 * Writes the article into a new project at `projectDir` as a user would: with its annotations
 * through `margin import-annotations` (Margin's own jsonl: title, text, spans), or alone (the
 * baseline) through `margin import` of a text file, which stores the same text under the same id.
 */
export function importReadingProject(workload: ReadingWorkload, projectDir: string, withAnnotations: boolean, env: NodeJS.ProcessEnv): void {
  if (!withAnnotations) {
    const file = path.join(`${projectDir}-text`, `${ARTICLE_TITLE}.txt`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, workload.margin.text);
    runMargin(['import', '--project', projectDir, file], env);
    return;
  }
  const file = `${projectDir}.jsonl`;
  const annotations = workload.margin.annotations.map((a) => ({ id: a.id, label: a.label, annotator: ANNOTATOR, start: a.start, end: a.end }));
  writeFileSync(file, `${JSON.stringify({ title: ARTICLE_TITLE, text: workload.margin.text, annotations })}\n`);
  runMargin(['import-annotations', '--project', projectDir, '--format', 'jsonl', '--annotator', ANNOTATOR, file], env);
}
