/**
 * A deterministic agreement workload: one long article and layers of SPANS spans each, shaped
 * like real tagging (mostly disjoint spans, some nested, some overlapping, a few crossing
 * paragraphs) with colleagues who mostly agree: the second layer keeps most spans, shifts some
 * boundaries, relabels, drops and adds a few, so every measure has real matching work to do.
 */
import type { LabeledSpan } from '../../shared/agreement/spanF1';

export const LABELS = ['claim', 'quote', 'event'] as const;

/** mulberry32: small, seeded, the same sequence on every machine. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = 'the minister said prices will fall next year critics disagreed with officials who met in Doha on Tuesday port workers walked out over pay and conditions union leader'.split(' ');

export interface AgreeWorkload {
  text: string;
  /** Layers of the same text: layers[0] is the first annotator's, the others colleagues' variations of it. */
  layers: LabeledSpan[][];
}

export function generateAgreeWorkload(spans: number, layerCount = 2, seed = 20240601): AgreeWorkload {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  // About 40 characters of text per span, in paragraphs of about 600 characters.
  const paragraphs: string[] = [];
  let length = 0;
  while (length < spans * 40) {
    const words = Array.from({ length: 90 + Math.floor(rnd() * 20) }, () => pick(WORDS));
    const paragraph = `${words.join(' ')}.`;
    paragraphs.push(paragraph);
    length += paragraph.length + 2;
  }
  const text = paragraphs.join('\n\n');

  const first: LabeledSpan[] = [];
  const disjoint = Math.floor(spans * 0.8);
  const step = text.length / disjoint;
  for (let i = 0; i < disjoint; i++) {
    const start = Math.floor(i * step + rnd() * step * 0.2);
    first.push({ start, end: Math.min(text.length, start + 5 + Math.floor(rnd() * step * 0.7)), label: pick(LABELS) });
  }
  while (first.length < spans) {
    const host = first[Math.floor(rnd() * disjoint)]!;
    const kind = rnd();
    if (kind < 0.75) {
      // Nested inside a span.
      const start = host.start + Math.floor(rnd() * ((host.end - host.start) / 2));
      first.push({ start, end: Math.max(start + 1, host.end - Math.floor(rnd() * 3)), label: pick(LABELS) });
    } else if (kind < 0.95) {
      // Overlapping one span's end.
      const start = Math.floor((host.start + host.end) / 2);
      first.push({ start, end: Math.min(text.length, host.end + 10 + Math.floor(rnd() * 30)), label: pick(LABELS) });
    } else {
      // Crossing into the next paragraph.
      const start = Math.max(0, text.indexOf('\n\n', host.start) - 20);
      first.push({ start, end: Math.min(text.length, start + 60), label: pick(LABELS) });
    }
  }

  const layers = [first];
  for (let l = 1; l < layerCount; l++) {
    const other: LabeledSpan[] = [];
    for (const s of first) {
      const r = rnd();
      if (r < 0.7) other.push({ ...s });
      else if (r < 0.85) {
        const start = Math.max(0, s.start + Math.floor(rnd() * 7) - 3);
        other.push({ start, end: Math.min(text.length, Math.max(start + 1, s.end + Math.floor(rnd() * 7) - 3)), label: s.label });
      } else if (r < 0.9) other.push({ ...s, label: pick(LABELS) });
      else if (r < 0.95) {
        const start = Math.floor(rnd() * (text.length - 50));
        other.push({ start, end: start + 5 + Math.floor(rnd() * 40), label: pick(LABELS) });
      }
      // else: dropped
    }
    layers.push(other);
  }
  return { text, layers };
}
