import { type Measure, undefinedMeasure } from './measure';

/** A unit on the continuum: [offset, offset + length), marked by `rater` (0-based) with `category`. */
export interface Unit {
  offset: number;
  length: number;
  rater: number;
  category: string;
}

export interface UnitizingStudy {
  /** Where the continuum begins, and its length (characters for text). */
  begin: number;
  length: number;
  raters: number;
  units: readonly Unit[];
}

export interface UnitizingResult extends Measure {
  observed?: number;
  expected?: number;
}

interface Section {
  offset: number;
  length: number;
  /** A unit of the category (true) or a gap (false). */
  unit: boolean;
}

/**
 * One rater's units of a category, sorted, with overlapping or touching ones merged (the measure
 * assumes a rater's units of one category never overlap), clipped to the continuum.
 */
function raterUnits(study: UnitizingStudy, rater: number, category: string): { offset: number; length: number }[] {
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
  return merged.map((s) => ({ offset: s.start, length: s.end - s.start }));
}

/** The continuum cut into the rater's units of the category and the gaps between them. */
function sections(study: UnitizingStudy, rater: number, category: string): Section[] {
  const out: Section[] = [];
  let pos = study.begin;
  for (const u of raterUnits(study, rater, category)) {
    if (u.offset > pos) out.push({ offset: pos, length: u.offset - pos, unit: false });
    out.push({ offset: u.offset, length: u.length, unit: true });
    pos = u.offset + u.length;
  }
  const end = study.begin + study.length;
  if (end > pos) out.push({ offset: pos, length: end - pos, unit: false });
  return out;
}

/** Krippendorff's δ² between two sections of two raters (2004; as DKPro Agreement's measureDistance). */
function distance(s1: Section, s2: Section): number {
  const beginDiff = s1.offset - s2.offset;
  const lengthDiff = s1.length - s2.length;
  if (s1.unit && s2.unit && -s1.length < beginDiff && beginDiff < s2.length) {
    return beginDiff * beginDiff + (beginDiff + lengthDiff) * (beginDiff + lengthDiff);
  }
  if (s1.unit && !s2.unit && -lengthDiff >= beginDiff && beginDiff >= 0) return s1.length * s1.length;
  if (!s1.unit && s2.unit && -lengthDiff <= beginDiff && beginDiff <= 0) return s2.length * s2.length;
  return 0;
}

/** Observed disagreement of a category: Σ over rater pairs and their sections' δ², / (m(m−1)L²) for ordered pairs. */
export function observedDisagreement(study: UnitizingStudy, category: string): number {
  const R = study.raters;
  const L = study.length;
  const cut = Array.from({ length: R }, (_, r) => sections(study, r, category));
  let sum = 0;
  for (let r1 = 0; r1 < R; r1++) {
    for (let r2 = r1 + 1; r2 < R; r2++) {
      // Only overlapping sections can disagree: sweep both segmentations together.
      const a = cut[r1]!;
      const b = cut[r2]!;
      let i = 0;
      let j = 0;
      while (i < a.length && j < b.length) {
        sum += distance(a[i]!, b[j]!);
        const endA = a[i]!.offset + a[i]!.length;
        const endB = b[j]!.offset + b[j]!.length;
        if (endA <= endB) i++;
        if (endB <= endA) j++;
      }
    }
  }
  return (2 * sum) / (R * (R - 1) * L * L);
}

/** Expected disagreement of a category, over every unitization the raters' units and gaps allow. */
export function expectedDisagreement(study: UnitizingStudy, category: string): number {
  const R = study.raters;
  const L = study.length;
  const units: number[] = [];
  const gaps: number[] = [];
  for (let r = 0; r < R; r++) {
    for (const s of sections(study, r, category)) (s.unit ? units : gaps).push(s.length);
  }
  const Nc = units.length;
  let squared = 0;
  for (const l of units) squared += l * (l - 1);
  // Gaps longest first with running sums: Σ_{g ≥ l} (g − l + 1) in O(log gaps) per unit.
  gaps.sort((x, y) => y - x);
  const prefix = [0];
  for (const g of gaps) prefix.push(prefix[prefix.length - 1]! + g);
  let sum = 0;
  for (const l of units) {
    sum += ((Nc - 1) * (2 * l * l * l - 3 * l * l + l)) / 3;
    let lo = 0;
    let hi = gaps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (gaps[mid]! >= l) lo = mid + 1;
      else hi = mid;
    }
    const fits = prefix[lo]! - lo * (l - 1);
    sum += l * l * fits;
  }
  const denominator = R * L * (R * L - 1) - squared;
  return ((2 / L) * sum) / denominator;
}

function fromDisagreements(observed: number, expected: number, what: string): UnitizingResult {
  if (!(expected > 0) || !Number.isFinite(expected)) {
    return { value: null, reason: `no disagreement is expected by chance for ${what}, so unitizing alpha is undefined`, observed, expected };
  }
  return { value: 1 - observed / expected, observed, expected };
}

function check(study: UnitizingStudy): UnitizingResult | null {
  if (study.raters < 2) return undefinedMeasure('unitizing alpha needs at least two raters');
  if (study.length <= 1) return undefinedMeasure('the continuum is empty');
  return null;
}

/** Krippendorff's u-alpha for one category. */
export function unitizingAlphaCategory(study: UnitizingStudy, category: string): UnitizingResult {
  const bad = check(study);
  if (bad) return bad;
  if (!study.units.some((u) => u.category === category && u.length > 0)) {
    return undefinedMeasure(`neither annotator marked anything as ${category}`);
  }
  return fromDisagreements(observedDisagreement(study, category), expectedDisagreement(study, category), category);
}

/**
 * Krippendorff's u-alpha over all categories (as DKPro Agreement): 1 − mean D_o / mean D_e,
 * the means taken over the categories that occur.
 */
export function unitizingAlpha(study: UnitizingStudy): UnitizingResult {
  const bad = check(study);
  if (bad) return bad;
  const categories = [...new Set(study.units.filter((u) => u.length > 0).map((u) => u.category))];
  if (categories.length === 0) return undefinedMeasure('neither annotator tagged anything');
  let observed = 0;
  let expected = 0;
  for (const c of categories) {
    observed += observedDisagreement(study, c);
    expected += expectedDisagreement(study, c);
  }
  return fromDisagreements(observed / categories.length, expected / categories.length, 'these categories');
}
