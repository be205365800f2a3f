/**
 * Paragraphs from a PDF's positioned text items: lines from their y position, columns from an
 * empty vertical band, paragraphs from vertical gaps, font-size changes, indentation and short
 * lines that end a sentence. Pure: it knows nothing of pdfjs.
 */

export interface PdfTextItem {
  str: string;
  /** Baseline start, in PDF user space (y grows upwards). */
  x: number;
  y: number;
  width: number;
  /** Font size (the text's vertical scale). */
  size: number;
}

export interface PdfPageText {
  /** The page box: left, bottom, right, top. */
  box: [number, number, number, number];
  items: PdfTextItem[];
}

export interface PdfParagraph {
  text: string;
  size: number;
  page: number;
}

interface Segment {
  text: string;
  x: number;
  right: number;
  y: number;
  size: number;
}

const median = (values: number[]) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** Items on one baseline, split where a horizontal gap is too wide to be a space (a column gutter). */
function segmentsOf(items: readonly PdfTextItem[]): Segment[] {
  const sorted = items.filter((i) => i.str.trim() !== '' && i.size > 0).sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: PdfTextItem[][] = [];
  for (const item of sorted) {
    const line = lines[lines.length - 1];
    if (line && Math.abs(line[0]!.y - item.y) < 0.45 * Math.min(line[0]!.size, item.size)) line.push(item);
    else lines.push([item]);
  }
  const segments: Segment[] = [];
  for (const line of lines) {
    line.sort((a, b) => a.x - b.x);
    let current: Segment | null = null;
    for (const item of line) {
      const size = Math.max(item.size, current?.size ?? 0);
      const gap = current ? item.x - current.right : 0;
      if (current && gap > 1.8 * size) {
        segments.push(current);
        current = null;
      }
      if (!current) {
        current = { text: item.str, x: item.x, right: item.x + item.width, y: item.y, size: item.size };
        continue;
      }
      const needsSpace = gap > 0.15 * size && !/\s$/.test(current.text) && !/^\s/.test(item.str);
      current.text += (needsSpace ? ' ' : '') + item.str;
      current.right = Math.max(current.right, item.x + item.width);
      current.size = Math.max(current.size, item.size);
    }
    if (current) segments.push(current);
  }
  return segments.map((s) => ({ ...s, text: s.text.replace(/\s+/g, ' ').trim() })).filter((s) => s.text !== '');
}

/** Segments in reading order: regions above the columns, the left column, the right column, what follows. */
function readingOrder(segments: Segment[], box: PdfPageText['box']): Segment[][] {
  const [left, , right] = box;
  const width = right - left;
  if (segments.length < 6 || width <= 0) return [segments];
  // The gutter: the x in the middle of the page that the fewest segments cross; the widest such band.
  const from = left + 0.3 * width;
  const to = left + 0.7 * width;
  const step = Math.max(0.5, width / 400);
  const samples: { x: number; n: number }[] = [];
  for (let x = from; x <= to; x += step) samples.push({ x, n: segments.reduce((n, s) => n + (s.x < x && s.right > x ? 1 : 0), 0) });
  const best = Math.min(...samples.map((s) => s.n));
  let bestRun: [number, number] | null = null;
  for (let i = 0; i < samples.length; i++) {
    if (samples[i]!.n !== best) continue;
    let j = i;
    while (j + 1 < samples.length && samples[j + 1]!.n === best) j++;
    if (!bestRun || samples[j]!.x - samples[i]!.x > bestRun[1] - bestRun[0]) bestRun = [samples[i]!.x, samples[j]!.x];
    i = j;
  }
  if (!bestRun || best > Math.max(1, 0.15 * segments.length)) return [segments];
  const gutter = (bestRun[0] + bestRun[1]) / 2;
  const leftColumn = segments.filter((s) => s.right <= gutter);
  const rightColumn = segments.filter((s) => s.x >= gutter);
  const spanning = segments.filter((s) => s.x < gutter && s.right > gutter);
  const chars = (list: Segment[]) => list.reduce((n, s) => n + s.text.length, 0);
  const total = chars(segments);
  if (leftColumn.length < 3 || rightColumn.length < 3 || chars(leftColumn) < 0.2 * total || chars(rightColumn) < 0.2 * total) return [segments];
  const columnTop = Math.max(...leftColumn.map((s) => s.y), ...rightColumn.map((s) => s.y));
  const above = spanning.filter((s) => s.y > columnTop);
  const below = spanning.filter((s) => s.y <= columnTop);
  return [above, leftColumn, rightColumn, below].filter((r) => r.length > 0);
}

const SENTENCE_END = /[.!?…:]["”’')\]]*$/;
const PAGE_NUMBER = /^(?:page\s+)?\d{1,4}(?:\s*(?:of|\/)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$/i;

/** Joins a line to the paragraph so far: hyphenated words are mended, other lines are joined by a space. */
function appendLine(paragraph: string, line: string): string {
  if (paragraph === '') return line;
  if (/\p{Ll}-$/u.test(paragraph) && /^\p{Ll}/u.test(line)) return paragraph.slice(0, -1) + line;
  return `${paragraph} ${line}`;
}

/** One region's lines (top to bottom) as paragraphs with their font size. */
function regionParagraphs(region: Segment[], page: number): PdfParagraph[] {
  // Segments that share a baseline in one region (tab stops) are one line.
  const lines: Segment[] = [];
  for (const s of [...region].sort((a, b) => b.y - a.y || a.x - b.x)) {
    const last = lines[lines.length - 1];
    if (last && Math.abs(last.y - s.y) < 0.45 * Math.min(last.size, s.size)) {
      last.text = `${last.text} ${s.text}`;
      last.right = Math.max(last.right, s.right);
      last.size = Math.max(last.size, s.size);
    } else {
      lines.push({ ...s });
    }
  }
  const kept = lines.filter((l) => !PAGE_NUMBER.test(l.text));
  if (kept.length === 0) return [];
  const gaps: number[] = [];
  for (let i = 1; i < kept.length; i++) {
    const gap = kept[i - 1]!.y - kept[i]!.y;
    if (gap > 0 && Math.abs(kept[i - 1]!.size - kept[i]!.size) < 0.1 * kept[i]!.size) gaps.push(gap);
  }
  const lineGap = median(gaps);
  const leftEdge = Math.min(...kept.map((l) => l.x));
  const rightEdge = Math.max(...kept.map((l) => l.right));
  const paragraphs: PdfParagraph[] = [];
  let current: PdfParagraph | null = null;
  let prev: Segment | null = null;
  for (const line of kept) {
    let breakBefore = !prev || !current;
    if (prev && current) {
      const gap = prev.y - line.y;
      const sizeChange = Math.abs(line.size - prev.size) > 0.12 * Math.max(line.size, prev.size);
      const spaced = gap <= 0 || (lineGap > 0 ? gap > 1.35 * lineGap : gap > 1.6 * line.size);
      const indented = line.x - leftEdge > 0.9 * line.size && prev.x - leftEdge < 0.5 * line.size;
      const shortEnd = SENTENCE_END.test(prev.text) && rightEdge - prev.right > 0.15 * (rightEdge - leftEdge);
      breakBefore = sizeChange || spaced || indented || shortEnd;
    }
    if (breakBefore || !current) {
      current = { text: line.text, size: line.size, page };
      paragraphs.push(current);
    } else {
      current.text = appendLine(current.text, line.text);
    }
    prev = line;
  }
  return paragraphs;
}

/** A paragraph cut by a column or page break goes on when it ended mid-sentence and the next starts in lower case. */
function continues(previous: PdfParagraph, next: PdfParagraph): boolean {
  return !SENTENCE_END.test(previous.text) && /^\p{Ll}/u.test(next.text) && Math.abs(previous.size - next.size) < 0.12 * next.size;
}

/** Text lines repeated at the top or bottom of most pages (running heads and feet): their keys. */
function runningLines(pages: Segment[][][]): Set<string> {
  const counts = new Map<string, number>();
  if (pages.length < 3) return new Set();
  const key = (s: Segment) => s.text.replace(/\d+/g, '#').toLowerCase();
  for (const regions of pages) {
    const all = regions.flat();
    if (all.length === 0) continue;
    const top = all.reduce((a, b) => (b.y > a.y ? b : a));
    const bottom = all.reduce((a, b) => (b.y < a.y ? b : a));
    for (const k of new Set([key(top), key(bottom)])) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return new Set([...counts].filter(([, n]) => n >= Math.max(3, pages.length * 0.6)).map(([k]) => k));
}

/** Every page's paragraphs, in reading order. */
export function layoutParagraphs(pages: readonly PdfPageText[]): PdfParagraph[] {
  const ordered = pages.map((p) => readingOrder(segmentsOf(p.items), p.box));
  const running = runningLines(ordered);
  const out: PdfParagraph[] = [];
  ordered.forEach((regions, pageIndex) => {
    for (const region of regions) {
      const kept = running.size ? region.filter((s) => !running.has(s.text.replace(/\d+/g, '#').toLowerCase())) : region;
      const paragraphs = regionParagraphs(kept, pageIndex + 1);
      paragraphs.forEach((p, i) => {
        const last = out[out.length - 1];
        if (i === 0 && last && continues(last, p)) last.text = appendLine(last.text, p.text);
        else out.push(p);
      });
    }
  });
  return out;
}

/** The headline of page one: an early paragraph in a clearly larger font than the body's. */
export function largestFontTitle(paragraphs: readonly PdfParagraph[]): string | undefined {
  const firstPage = paragraphs.filter((p) => p.page === 1);
  if (firstPage.length < 2) return undefined;
  const weights = new Map<number, number>();
  for (const p of paragraphs) weights.set(Math.round(p.size * 2) / 2, (weights.get(Math.round(p.size * 2) / 2) ?? 0) + p.text.length);
  const body = [...weights].sort((a, b) => b[1] - a[1])[0]![0];
  const early = firstPage.slice(0, 4);
  const biggest = early.reduce((a, b) => (b.size > a.size ? b : a));
  return biggest.size >= 1.2 * body && biggest.text.length <= 300 ? biggest.text : undefined;
}
