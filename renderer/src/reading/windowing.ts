/**
 * Pure helpers of the paragraph window: how tall a paragraph that was never rendered is guessed
 * to be, and which paragraphs stay rendered whatever the scroll position.
 */
export interface TextMetrics {
  /** Height of one line of text, px. */
  lineHeight: number;
  /** Characters that fit on one line, word wrapping included. */
  charsPerLine: number;
  /** Space below each paragraph, px. */
  gap: number;
}

/** Georgia at 1.08rem in a 44em column: replaced by measured values as soon as the text is laid out. */
export const DEFAULT_METRICS: TextMetrics = { lineHeight: 29.4, charsPerLine: 78, gap: 17.3 };

export function estimateHeight(length: number, metrics: TextMetrics): number {
  return metrics.gap + metrics.lineHeight * Math.max(1, Math.ceil(length / metrics.charsPerLine));
}

/** Metrics from the column's width, its line height and the mean width of the document's characters. */
export function metricsFrom(width: number, lineHeight: number, fontSize: number, meanCharWidth: number): TextMetrics {
  // Wrapping at word boundaries leaves about half a word unused at the end of each line.
  const charsPerLine = Math.max(8, Math.floor(width / Math.max(meanCharWidth, 1)) - 3);
  return { lineHeight, charsPerLine, gap: fontSize };
}

/** The visible window plus the pinned paragraphs, sorted, without duplicates, within [0, count). */
export function withPins(window: readonly number[], pins: Iterable<number>, count: number): number[] {
  const all = new Set(window);
  for (const p of pins) if (Number.isInteger(p) && p >= 0 && p < count) all.add(p);
  if (all.size === window.length) return [...window];
  return [...all].sort((a, b) => a - b);
}
