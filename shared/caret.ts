import { moveBoundary } from './selection';

/**
 * Where the reading view's keyboard caret goes, in document offsets, one word or one sentence at
 * a time, so that a selection made with it covers whole words (or sentences) with no space
 * hanging off either side.
 */
export type Step = 'word' | 'sentence';
export type Edge = 'start' | 'end';

/** The line around `offset`: sentences never cross a paragraph break. */
function lineAround(text: string, offset: number): { start: number; end: number } {
  const start = offset === 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
  const newline = text.indexOf('\n', offset);
  return { start, end: newline === -1 ? text.length : newline };
}

const segmenters = new Map<string, Intl.Segmenter>();
function sentenceSegmenter(locale: string | undefined): Intl.Segmenter {
  const key = locale ?? '';
  let segmenter = segmenters.get(key);
  if (!segmenter) {
    try {
      segmenter = new Intl.Segmenter(locale || undefined, { granularity: 'sentence' });
    } catch {
      segmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' }); // a malformed tag
    }
    segmenters.set(key, segmenter);
  }
  return segmenter;
}

/** The sentences of the line around `offset`, as [start, end) with the space after each left out. */
function sentencesAround(text: string, offset: number, locale: string | undefined): { start: number; end: number }[] {
  const line = lineAround(text, offset);
  const sentences: { start: number; end: number }[] = [];
  for (const { segment, index } of sentenceSegmenter(locale).segment(text.slice(line.start, line.end))) {
    const trimmed = segment.trimEnd().length;
    const lead = segment.length - segment.trimStart().length;
    if (trimmed > lead) sentences.push({ start: line.start + index + lead, end: line.start + index + trimmed });
  }
  return sentences;
}

function sentenceStep(text: string, offset: number, direction: 1 | -1, edge: Edge, locale: string | undefined): number {
  for (let from = offset; ; ) {
    const marks = sentencesAround(text, from, locale).map((s) => (edge === 'end' ? s.end : s.start));
    const hit = direction === 1 ? marks.find((m) => m > offset) : marks.findLast((m) => m < offset);
    if (hit !== undefined) return hit;
    // None on this line: go on to the next (or previous) one.
    const line = lineAround(text, from);
    if (direction === 1 ? line.end >= text.length : line.start === 0) return offset;
    from = direction === 1 ? line.end + 1 : line.start - 1;
  }
}

/**
 * The caret moved one word or one sentence forward (1) or back (-1) from `offset`, landing on
 * `edge`s: the end of a selection that grows or shrinks stays on word (or sentence) ends, its
 * start on starts; a lone caret goes forward to ends and back to starts. At either end of the
 * text it stays where it is.
 */
export function caretStep(text: string, offset: number, step: Step, direction: 1 | -1, edge: Edge = direction === 1 ? 'end' : 'start', locale?: string): number {
  if (step === 'sentence') return sentenceStep(text, offset, direction, edge, locale);
  return moveBoundary(text, offset, edge, direction);
}
