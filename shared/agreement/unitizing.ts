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

/** Each rater's sections of each category (cut[rater]), grouped in one pass over the units. */
type Cuts = Map<string, Section[][]>;

/**
 * One rater's units of a category, sorted, with overlapping or touching ones merged (the measure
 * assumes a rater's units of one category never overlap), clipped to the continuum.
 */
function mergedUnits(study: UnitizingStudy, units: readonly Unit[]): { offset: number; length: number }[] {
  const end = study.begin + study.length;
  const spans = units
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

/** The continuum cut into a rater's units of a category and the gaps between them. */
function sections(study: UnitizingStudy, units: readonly Unit[]): Section[] {
  const out: Section[] = [];
  let pos = study.begin;
  for (const u of mergedUnits(study, units)) {
    if (u.offset > pos) out.push({ offset: pos, length: u.offset - pos, unit: false });
    out.push({ offset: u.offset, length: u.length, unit: true });
    pos = u.offset + u.length;
  }
  const end = study.begin + study.length;
  if (end > pos) out.push({ offset: pos, length: end - pos, unit: false });
  return out;
}

/** Every category's cut per rater, from one pass over the units (not one pass per rater and category). */
function cutsOf(study: UnitizingStudy, only?: string): Cuts {
  const grouped = new Map<string, Unit[][]>();
  const groupOf = (category: string) => grouped.get(category) ?? grouped.set(category, Array.from({ length: study.raters }, () => [])).get(category)!;
  if (only !== undefined) groupOf(only);
  for (const u of study.units) {
    if (only !== undefined && u.category !== only) continue;
    const byRater = groupOf(u.category);
    // A unit of no rater of the study counts for nobody (its category still has a cut).
    if (Number.isInteger(u.rater) && u.rater >= 0 && u.rater < study.raters) byRater[u.rater]!.push(u);
  }
  const cuts: Cuts = new Map();
  for (const [category, byRater] of grouped) cuts.set(category, byRater.map((units) => sections(study, units)));
  return cuts;
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
  return observedOf(study, cutsOf(study, category).get(category)!);
}

function observedOf(study: UnitizingStudy, cut: readonly Section[][]): number {
  const R = study.raters;
  const L = study.length;
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
  return expectedOf(study, cutsOf(study, category).get(category)!);
}

function expectedOf(study: UnitizingStudy, cut: readonly Section[][]): number {
  const R = study.raters;
  const L = study.length;
  const units: number[] = [];
  const gaps: number[] = [];
  for (const rater of cut) {
    for (const s of rater) (s.unit ? units : gaps).push(s.length);
  }
  const Nc = units.length;
  let squared = 0;
  for (const l of units) squared += l * (l - 1);
  // Gaps longest first with running sums: Σ_{g ≥ l} (g − l + 1) in O(log gaps) per unit.
  const sorted = Float64Array.from(gaps).sort().reverse();
  const prefix = new Float64Array(sorted.length + 1);
  for (let g = 0; g < sorted.length; g++) prefix[g + 1] = prefix[g]! + sorted[g]!;
  let sum = 0;
  for (const l of units) {
    sum += ((Nc - 1) * (2 * l * l * l - 3 * l * l + l)) / 3;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! >= l) lo = mid + 1;
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
  const cut = cutsOf(study, category).get(category)!;
  return fromDisagreements(observedOf(study, cut), expectedOf(study, cut), category);
}

/**
 * Krippendorff's u-alpha over all categories (as DKPro Agreement): 1 − mean D_o / mean D_e,
 * the means taken over the categories that occur.
 */
export function unitizingAlpha(study: UnitizingStudy): UnitizingResult {
  return unitizingAlphas(study, []).overall;
}

/**
 * u-alpha over all categories and for each category asked, from one grouping of the units and
 * one D_o and D_e per category: the values unitizingAlpha and unitizingAlphaCategory give one
 * by one, for the cost of one.
 */
export function unitizingAlphas(study: UnitizingStudy, categories: readonly string[]): { overall: UnitizingResult; byCategory: Map<string, UnitizingResult> } {
  const bad = check(study);
  if (bad) return { overall: bad, byCategory: new Map(categories.map((c) => [c, bad])) };
  const cuts = cutsOf(study);
  const measured = new Map<string, { observed: number; expected: number }>();
  const disagreement = (c: string) => {
    let found = measured.get(c);
    if (!found) measured.set(c, (found = { observed: observedOf(study, cuts.get(c)!), expected: expectedOf(study, cuts.get(c)!) }));
    return found;
  };
  const marked = [...new Set(study.units.filter((u) => u.length > 0).map((u) => u.category))];
  let overall: UnitizingResult;
  if (marked.length === 0) overall = undefinedMeasure('neither annotator tagged anything');
  else {
    let observed = 0;
    let expected = 0;
    for (const c of marked) {
      observed += disagreement(c).observed;
      expected += disagreement(c).expected;
    }
    overall = fromDisagreements(observed / marked.length, expected / marked.length, 'these categories');
  }
  const byCategory = new Map<string, UnitizingResult>();
  for (const c of categories) {
    if (!marked.includes(c)) byCategory.set(c, undefinedMeasure(`neither annotator marked anything as ${c}`));
    else byCategory.set(c, fromDisagreements(disagreement(c).observed, disagreement(c).expected, c));
  }
  return { overall, byCategory };
}
