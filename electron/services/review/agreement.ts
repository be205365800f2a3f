import { anchorQuote } from '../../../shared/anchoring';
import type { AgreementReport } from '../../../shared/api';
import { alphaNominal } from '../../../shared/agreement/alpha';
import { cohenKappa, fleissKappa } from '../../../shared/agreement/kappa';
import { type Measure, undefinedMeasure } from '../../../shared/agreement/measure';
import { exactMatchesByLabel, f1FromCounts, type LabeledSpan, overlapMatchesByLabel } from '../../../shared/agreement/spanF1';
import { labelCodes, tokenCodes, tokenize, type Token } from '../../../shared/agreement/tokens';
import { unitizingAlphas } from '../../../shared/agreement/unitizing';
import type { Annotation, DocumentRecord, LayerFile } from '../../../shared/model';
import { MarginError } from '../errors';
import type { ProjectStore } from '../store/projectStore';
import { isAdjudicationLayer } from './goldLayer';

export interface AgreementOptions {
  annotators?: readonly string[];
  labels?: readonly string[];
  docIds?: readonly string[];
  /** A layer (usually gold) to score each annotator against, instead of the annotators against each other. */
  against?: string;
  /** Score only the analysts' own spans: accepted suggestions (origin "suggested") are left out and counted. */
  excludeSuggested?: boolean;
}

type PairAgreement = AgreementReport['pairs'][number];

/** One document's text, tokens and each annotator's spans (null: no layer, or one that could not be read). */
interface Material {
  length: number;
  tokens: Token[];
  spans: Map<string, LabeledSpan[] | null>;
}

const MEASURES = ['exactF1', 'overlapF1', 'cohenKappa', 'alphaNominal', 'alphaUnitizing'] as const;

function allNull(a: string, b: string, label: string | null, reason: string): PairAgreement {
  const m = undefinedMeasure(reason);
  return { a, b, label, ...Object.fromEntries(MEASURES.map((k) => [k, m])) } as PairAgreement;
}

function shortQuote(exact: string): string {
  const flat = exact.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 79)}…` : flat;
}

type Assisted = AgreementReport['assisted'][number];

/**
 * An annotator's spans on a text: those whose quote no longer matches the text are re-anchored
 * first; what cannot be placed is reported and left out. Each span placed is tallied in
 * `assisted`, as an accepted suggestion or not, while it is gathered (no second pass).
 */
function placeSpans(doc: DocumentRecord, annotator: string, annotations: readonly Annotation[], problems: string[], assisted: Assisted): LabeledSpan[] {
  const spans: LabeledSpan[] = [];
  for (const a of annotations) {
    let span: LabeledSpan | null = null;
    if (a.end > a.start && a.end <= doc.text.length && doc.text.slice(a.start, a.end) === a.quote.exact) span = { start: a.start, end: a.end, label: a.label };
    else {
      const anchor = anchorQuote(doc.text, a.quote, { start: a.start, end: a.end });
      if (anchor) span = { start: anchor.start, end: anchor.end, label: a.label };
      else problems.push(`${annotator}: “${shortQuote(a.quote.exact)}” could not be placed in ${doc.title}; left out`);
    }
    if (!span) continue;
    spans.push(span);
    assisted.spans++;
    if (a.origin === 'suggested') assisted.suggested++;
  }
  return spans;
}

/**
 * The annotations to score: of the labels wanted, and with `excludeSuggested` only the analyst's
 * own (the accepted suggestions left out are counted in `assisted.excluded`). No copy when every
 * annotation is scored.
 */
function scored(annotations: readonly Annotation[], wanted: ReadonlySet<string> | null, excludeSuggested: boolean, assisted: Assisted): readonly Annotation[] {
  if (!wanted && !excludeSuggested) return annotations;
  return annotations.filter((a) => {
    if (wanted && !wanted.has(a.label)) return false;
    if (!excludeSuggested || a.origin !== 'suggested') return true;
    assisted.excluded++;
    return false;
  });
}

const toMeasure = (u: Measure): Measure => (u.value === null ? { value: null, reason: u.reason } : { value: u.value });

function countByLabel(spans: readonly LabeledSpan[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of spans) counts.set(s.label, (counts.get(s.label) ?? 0) + 1);
  return counts;
}

/**
 * Every measure for one pair on one stretch of text (a document, or the documents joined end to
 * end): overall (label null), then for each label. Span matching and unitizing alpha run once
 * for every label together (spans of different labels never match, and each label's result is
 * the one it would have on its own); kappa and alpha code the tokens once per label.
 */
function pairMeasures(material: Material, a: string, b: string, labels: readonly string[]): PairAgreement[] {
  const A = material.spans.get(a);
  const B = material.spans.get(b);
  if (!A || !B) {
    const missing = [A ? null : a, B ? null : b].filter(Boolean).join(' and ');
    const reason = `${missing} ${missing.includes(' and ') ? 'have' : 'has'} no readable layer here`;
    return [null, ...labels].map((label) => allNull(a, b, label, reason));
  }
  const exact = exactMatchesByLabel(A, B);
  const overlap = overlapMatchesByLabel(A, B);
  const countA = countByLabel(A);
  const countB = countByLabel(B);
  const units = [...A.map((s) => ({ s, rater: 0 })), ...B.map((s) => ({ s, rater: 1 }))].map(({ s, rater }) => ({
    offset: s.start,
    length: s.end - s.start,
    rater,
    category: s.label,
  }));
  const unitizing = unitizingAlphas({ begin: 0, length: material.length, raters: 2, units }, labels);
  const sum = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);

  const out: PairAgreement[] = [];
  if (A.length === 0 && B.length === 0) out.push(allNull(a, b, null, 'neither annotator tagged anything'));
  else {
    const codesA = tokenCodes(material.tokens, A);
    const codesB = tokenCodes(material.tokens, B);
    out.push({
      a,
      b,
      label: null,
      exactF1: f1FromCounts(sum(exact), A.length, B.length),
      overlapF1: f1FromCounts(sum(overlap), A.length, B.length),
      cohenKappa: cohenKappa(codesA, codesB),
      alphaNominal: alphaNominal(codesA, codesB),
      alphaUnitizing: toMeasure(unitizing.overall),
    });
  }
  for (const label of labels) {
    const sizeA = countA.get(label) ?? 0;
    const sizeB = countB.get(label) ?? 0;
    if (sizeA === 0 && sizeB === 0) {
      out.push(allNull(a, b, label, `neither annotator tagged anything as ${label}`));
      continue;
    }
    // labelCodes looks at the label's spans only: no need to pick them out first.
    const codesA = labelCodes(material.tokens, A, label);
    const codesB = labelCodes(material.tokens, B, label);
    out.push({
      a,
      b,
      label,
      exactF1: f1FromCounts(exact.get(label) ?? 0, sizeA, sizeB),
      overlapF1: f1FromCounts(overlap.get(label) ?? 0, sizeA, sizeB),
      cohenKappa: cohenKappa(codesA, codesB),
      alphaNominal: alphaNominal(codesA, codesB),
      alphaUnitizing: toMeasure(unitizing.byCategory.get(label)!),
    });
  }
  return out;
}

function pairsOf(annotators: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < annotators.length; i++) for (let j = i + 1; j < annotators.length; j++) pairs.push([annotators[i]!, annotators[j]!]);
  return pairs;
}

function allPairMeasures(material: Material, pairs: readonly [string, string][], labels: readonly string[]): PairAgreement[] {
  const out: PairAgreement[] = [];
  for (const [a, b] of pairs) out.push(...pairMeasures(material, a, b, labels));
  return out;
}

/** Fleiss' kappa on tokens over every annotator; null (not applicable) for two or fewer. */
function fleissOf(material: Material, annotators: readonly string[]): Measure | null {
  if (annotators.length <= 2) return null;
  const layers = annotators.map((n) => material.spans.get(n));
  if (layers.some((l) => !l)) return undefinedMeasure('not every annotator has a readable layer here');
  if (layers.every((l) => l!.length === 0)) return undefinedMeasure('no annotator tagged anything');
  return fleissKappa(layers.map((l) => tokenCodes(material.tokens, l!)));
}

/** Documents joined end to end: offsets shifted so spans and tokens of different documents never meet. */
function joined(materials: readonly Material[], names: readonly string[]): Material {
  const spans = new Map<string, LabeledSpan[] | null>(names.map((n) => [n, []]));
  const tokens: Token[] = [];
  let offset = 0;
  for (const m of materials) {
    for (const t of m.tokens) tokens.push({ text: t.text, start: t.start + offset, end: t.end + offset });
    for (const n of names) {
      const own = m.spans.get(n);
      const all = spans.get(n);
      if (!own || !all) continue;
      for (const s of own) all.push({ start: s.start + offset, end: s.end + offset, label: s.label });
    }
    offset += m.length;
  }
  return { length: offset, tokens, spans };
}

const hasAll = (m: Material, names: readonly string[]) => names.every((n) => m.spans.get(n));

/**
 * A layer that holds nothing but rejected suggestions: the analyst turned down a proposal without
 * tagging the document. That is not "read it and found nothing to tag" (which marking it done
 * says), so it is scored as no layer at all.
 */
function onlyDismissals(layer: Pick<LayerFile, 'annotations' | 'relations' | 'status' | 'dismissedSuggestions'>): boolean {
  return layer.annotations.length === 0 && layer.relations.length === 0 && layer.status === undefined && (layer.dismissedSuggestions?.length ?? 0) > 0;
}

/**
 * Who is scored, and against whom. Adjudication layers (gold) are a reviewer's decisions, not an
 * annotator's judgement: counting them as one more annotator inflates every figure, so they are
 * left out unless named, or scored against with `against`.
 */
function participants(present: readonly string[], options: AgreementOptions, problems: string[]) {
  const against = options.against ?? null;
  if (against !== null && !present.includes(against)) throw new MarginError('bad-input', `against: "${against}" has no layer in this project`);
  const named = options.annotators && options.annotators.length > 0 ? [...new Set(options.annotators)] : null;
  if (against !== null && named?.includes(against)) throw new MarginError('bad-input', `against: "${against}" is also one of the annotators; score it against the others or with them, not both`);
  const annotators = named ?? present.filter((n) => n !== against && !isAdjudicationLayer(n));
  for (const name of annotators) if (!present.includes(name)) problems.push(`${name} has no annotations in this project`);
  if (against === null && annotators.length < 2) problems.push('Agreement needs at least two annotators.');
  if (against !== null && annotators.length < 1) problems.push(`Agreement against ${against} needs at least one annotator.`);
  const pairs = against === null ? pairsOf(annotators) : annotators.map((a): [string, string] => [a, against]);
  return { annotators, against, pairs, layers: against === null ? annotators : [...annotators, against] };
}

/**
 * Agreement between annotators, for every pair, per document and over the project (documents
 * pooled), overall (label null) and per label; or, with `against`, of each annotator with that
 * layer. A layer that cannot be read is named in `problems` and left out (the file is never
 * touched); spans whose quote no longer matches the text are re-anchored first, and those that
 * cannot be placed are listed and not compared.
 */
export async function agreementReport(store: ProjectStore, options: AgreementOptions = {}): Promise<AgreementReport> {
  const problems: string[] = [];
  const present = await store.annotators();
  const { annotators, against, pairs: pairList, layers } = participants(present, options, problems);
  const docs = options.docIds && options.docIds.length > 0 ? [...new Set(options.docIds)].map((id) => store.documentHeader(id)) : store.listDocuments();
  const wanted = options.labels && options.labels.length > 0 ? new Set(options.labels) : null;

  const materials: { doc: DocumentRecord; material: Material }[] = [];
  const used = new Set<string>();
  const assisted: Assisted[] = layers.map((annotator) => ({ annotator, spans: 0, suggested: 0, excluded: 0 }));
  const excludeSuggested = options.excludeSuggested === true;
  // Every layer is read once: straight from the disk, past the store's cache (see layerPass.ts).
  const pass = await store.layerPass(layers.filter((name) => present.includes(name)));
  for (const header of docs) {
    const doc = await pass.document(header.id);
    const spans = new Map<string, LabeledSpan[] | null>();
    for (const [i, name] of layers.entries()) {
      let layer;
      try {
        layer = await pass.layer(name, doc.id);
      } catch (error) {
        problems.push(error instanceof MarginError ? error.message : `${name}/${doc.id}.json: ${(error as Error).message}`);
        spans.set(name, null);
        continue;
      }
      if (!layer || onlyDismissals(layer)) {
        spans.set(name, null);
        continue;
      }
      const annotations = scored(layer.annotations, wanted, excludeSuggested, assisted[i]!);
      const placed = placeSpans(doc, name, annotations, problems, assisted[i]!);
      for (const s of placed) used.add(s.label);
      spans.set(name, placed);
    }
    materials.push({ doc, material: { length: doc.text.length, tokens: tokenize(doc.text), spans } });
  }

  const schemaLabels = store.project.schema.labels.map((l) => l.name);
  const labels = options.labels && options.labels.length > 0
    ? [...new Set(options.labels)]
    : [...schemaLabels, ...[...used].filter((l) => !schemaLabels.includes(l)).sort()];

  const documents = materials.map(({ doc, material }) => ({
    docId: doc.id,
    title: doc.title,
    pairs: allPairMeasures(material, pairList, labels),
    fleissKappa: fleissOf(material, annotators),
  }));
  // Pooled over a single document is that document's own result: taken, not measured twice.
  const own = (material: Material) => documents[materials.findIndex((m) => m.material === material)]!;

  // Over the project: for each pair, the documents both have a layer for.
  const pairs: PairAgreement[] = [];
  for (const [a, b] of pairList) {
    const both = materials.filter(({ material }) => hasAll(material, [a, b])).map(({ material }) => material);
    if (both.length === 0) {
      const reason = `no document has a layer from both ${a} and ${b}`;
      pairs.push(allNull(a, b, null, reason), ...labels.map((l) => allNull(a, b, l, reason)));
      continue;
    }
    if (both.length === 1) {
      pairs.push(...own(both[0]!).pairs.filter((p) => p.a === a && p.b === b));
      continue;
    }
    const pooled = joined(both, [a, b]);
    pairs.push(...pairMeasures(pooled, a, b, labels));
  }
  let fleiss: Measure | null = null;
  if (annotators.length > 2) {
    const complete = materials.filter(({ material }) => hasAll(material, annotators)).map(({ material }) => material);
    if (complete.length === 0) fleiss = undefinedMeasure('no document has a layer from every annotator');
    else fleiss = complete.length === 1 ? own(complete[0]!).fleissKappa : fleissOf(joined(complete, annotators), annotators);
  }

  const adjudicationLayers = present.filter(isAdjudicationLayer);
  return { annotators, labels, pairs, fleissKappa: fleiss, documents, problems, against, adjudicationLayers, assisted, excludeSuggested };
}
