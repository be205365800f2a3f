/**
 * The agreement measures by their straightforward definitions (every pair compared, every token
 * of every span visited, one pass per rater and category): what shared/agreement computed before
 * its sorted sweeps. Slow on big layers, obviously right on small ones; the sweeps are checked
 * against them.
 */
import type { LabeledSpan } from '../../shared/agreement/spanF1';
import type { Token } from '../../shared/agreement/tokens';
import type { UnitizingStudy } from '../../shared/agreement/unitizing';

const key = (s: LabeledSpan) => `${s.start}\u0000${s.end}\u0000${s.label}`;

export function exactMatches(a: readonly LabeledSpan[], b: readonly LabeledSpan[]): number {
  const counts = new Map<string, number>();
  for (const s of a) counts.set(key(s), (counts.get(key(s)) ?? 0) + 1);
  let matches = 0;
  for (const s of b) {
    const left = counts.get(key(s)) ?? 0;
    if (left > 0) {
      matches++;
      counts.set(key(s), left - 1);
    }
  }
  return matches;
}

/** Every same-label pair with a shared character, largest overlap first (ties: A's order, then B's), one to one. */
export function overlapMatches(a: readonly LabeledSpan[], b: readonly LabeledSpan[]): number {
  const candidates: { i: number; j: number; overlap: number }[] = [];
  a.forEach((s, i) =>
    b.forEach((t, j) => {
      const overlap = Math.min(s.end, t.end) - Math.max(s.start, t.start);
      if (s.label === t.label && overlap > 0) candidates.push({ i, j, overlap });
    }),
  );
  candidates.sort((x, y) => y.overlap - x.overlap || x.i - y.i || x.j - y.j);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  let matches = 0;
  for (const { i, j } of candidates) {
    if (usedA.has(i) || usedB.has(j)) continue;
    usedA.add(i);
    usedB.add(j);
    matches++;
  }
  return matches;
}

const covers = (t: Token, s: { start: number; end: number }) => t.start < s.end && t.end > s.start;

export function tokenCodes(tokens: readonly Token[], spans: readonly LabeledSpan[]): string[] {
  const codes = tokens.map(() => 'O');
  const taken = tokens.map(() => false);
  const ordered = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start || b.end - a.end);
  for (const span of ordered) {
    tokens.forEach((t, i) => {
      if (taken[i] || !covers(t, span)) return;
      taken[i] = true;
      codes[i] = span.label;
    });
  }
  return codes;
}

export function labelCodes(tokens: readonly Token[], spans: readonly LabeledSpan[], label: string): string[] {
  return tokens.map((t) => (spans.some((s) => s.label === label && s.end > s.start && covers(t, s)) ? label : 'O'));
}

/** Krippendorff's alpha with its coincidence matrix and both sums over every pair of values. */
export function krippendorffAlpha(data: readonly (readonly (string | number | null)[])[], metric: 'nominal' | 'interval'): number | null {
  const units = Math.max(0, ...data.map((row) => row.length));
  const values: (string | number)[] = [];
  const o = new Map<string, number>();
  for (let u = 0; u < units; u++) {
    const present = data.map((row) => row[u]).filter((v): v is string | number => v !== null && v !== undefined);
    for (const v of present) if (!values.includes(v)) values.push(v);
    const m = present.length;
    if (m < 2) continue;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        if (i === j) continue;
        const k = `${values.indexOf(present[i]!)},${values.indexOf(present[j]!)}`;
        o.set(k, (o.get(k) ?? 0) + 1 / (m - 1));
      }
    }
  }
  const delta2 = (c: number, k: number) => (metric === 'nominal' ? (c === k ? 0 : 1) : ((values[c] as number) - (values[k] as number)) ** 2);
  const nc = values.map((_, c) => values.reduce<number>((sum, __, k) => sum + (o.get(`${c},${k}`) ?? 0), 0));
  const n = nc.reduce((x, y) => x + y, 0);
  if (n === 0) return null;
  let observed = 0;
  let expected = 0;
  values.forEach((_, c) =>
    values.forEach((__, k) => {
      observed += (o.get(`${c},${k}`) ?? 0) * delta2(c, k);
      expected += nc[c]! * nc[k]! * delta2(c, k);
    }),
  );
  expected /= n * (n - 1);
  if (!(expected > 1e-12)) return null;
  return 1 - observed / n / expected;
}

/** Fleiss' kappa straight from its definition: per item agreement, category shares over all ratings. */
export function fleissKappa(codes: readonly (readonly string[])[]): number | null {
  const items = codes[0]!.length;
  const n = codes.length;
  const categories = [...new Set(codes.flat())];
  let pBar = 0;
  for (let i = 0; i < items; i++) {
    let agree = 0;
    for (const c of categories) {
      const x = codes.filter((coder) => coder[i] === c).length;
      agree += x * (x - 1);
    }
    pBar += agree / (n * (n - 1));
  }
  pBar /= items;
  let pe = 0;
  for (const c of categories) pe += (codes.flat().filter((x) => x === c).length / (items * n)) ** 2;
  return pe >= 1 - 1e-12 ? null : (pBar - pe) / (1 - pe);
}

interface Section {
  offset: number;
  length: number;
  unit: boolean;
}

/** One rater's units of a category merged and clipped, the gaps between them filled in. */
function sections(study: UnitizingStudy, rater: number, category: string): Section[] {
  const end = study.begin + study.length;
  const spans = study.units
    .filter((u) => u.rater === rater && u.category === category)
    .map((u) => ({ start: Math.max(study.begin, u.offset), end: Math.min(end, u.offset + u.length) }))
    .filter((s) => s.end > s.start)
    .sort((x, y) => x.start - y.start || x.end - y.end);
  const merged: { start: number; end: number }[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  const out: Section[] = [];
  let pos = study.begin;
  for (const m of merged) {
    if (m.start > pos) out.push({ offset: pos, length: m.start - pos, unit: false });
    out.push({ offset: m.start, length: m.end - m.start, unit: true });
    pos = m.end;
  }
  if (end > pos) out.push({ offset: pos, length: end - pos, unit: false });
  return out;
}

function distance(s1: Section, s2: Section): number {
  const beginDiff = s1.offset - s2.offset;
  const lengthDiff = s1.length - s2.length;
  if (s1.unit && s2.unit && -s1.length < beginDiff && beginDiff < s2.length) return beginDiff ** 2 + (beginDiff + lengthDiff) ** 2;
  if (s1.unit && !s2.unit && -lengthDiff >= beginDiff && beginDiff >= 0) return s1.length ** 2;
  if (!s1.unit && s2.unit && -lengthDiff <= beginDiff && beginDiff <= 0) return s2.length ** 2;
  return 0;
}

/** D_o over every pair of sections of every pair of raters (the distance is 0 for sections that do not meet). */
export function observedDisagreement(study: UnitizingStudy, category: string): number {
  const R = study.raters;
  let sum = 0;
  for (let r1 = 0; r1 < R; r1++) {
    for (let r2 = r1 + 1; r2 < R; r2++) {
      for (const x of sections(study, r1, category)) for (const y of sections(study, r2, category)) sum += distance(x, y);
    }
  }
  return (2 * sum) / (R * (R - 1) * study.length ** 2);
}

/** D_e with the inner sum over every gap for every unit. */
export function expectedDisagreement(study: UnitizingStudy, category: string): number {
  const R = study.raters;
  const L = study.length;
  const all = Array.from({ length: R }, (_, r) => sections(study, r, category)).flat();
  const units = all.filter((s) => s.unit).map((s) => s.length);
  const gaps = all.filter((s) => !s.unit).map((s) => s.length);
  let squared = 0;
  for (const l of units) squared += l * (l - 1);
  let sum = 0;
  for (const l of units) {
    sum += ((units.length - 1) * (2 * l ** 3 - 3 * l ** 2 + l)) / 3;
    for (const g of gaps) if (g >= l) sum += l * l * (g - l + 1);
  }
  return ((2 / L) * sum) / (R * L * (R * L - 1) - squared);
}
