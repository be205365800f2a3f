import { randomUUID } from 'node:crypto';
import { AnnotatorName, type Annotation, type Relation, type TagSchema } from '../../../shared/model';
import { SUGGESTION_ANNOTATOR } from '../../../shared/suggest/records';
import { fittingAttributes } from '../editing/attributeValues';
import { MarginError } from '../errors';
import { GOLD_LAYER } from '../review/goldLayer';
import type { ProjectStore } from '../store/projectStore';
import { suggestionSource, suggestLabels, type SuggestRequest } from './suggest';

export interface PreAnnotateReport {
  documents: number;
  /** Suggested spans written into the layer. */
  added: number;
  /** Suggested spans the layer already held (same label, span and origin): a re-run adds nothing twice. */
  skipped: number;
  /** attributed-to links written. */
  links: number;
}

/**
 * The layer a pipeline pre-annotates: a valid name, and not a layer with a job of its own (gold is
 * the adjudicated truth, "suggested" names suggestions that are nobody's work). A name nobody has
 * used yet is fine: pre-annotating before the analyst starts is the point of the doccano workflow.
 */
export function intoAnnotator(name: string): string {
  const checked = AnnotatorName.safeParse(name);
  if (!checked.success) throw new MarginError('bad-input', `--into: "${name}": ${checked.error.issues[0]?.message ?? 'not a valid annotator name'}`);
  if (checked.data === GOLD_LAYER || checked.data === SUGGESTION_ANNOTATOR) {
    throw new MarginError('bad-input', `--into: "${checked.data}" is not an analyst's layer; name the annotator whose layer gets the suggestions`);
  }
  return checked.data;
}

/** Labels the project's tag schema must define for their suggestions to be written; refused by name otherwise. */
function requireSchemaLabels(schema: TagSchema, labels: readonly string[]): void {
  const known = new Set(schema.labels.map((l) => l.name));
  const missing = labels.filter((l) => !known.has(l));
  if (missing.length > 0) {
    throw new MarginError(
      'bad-input',
      `--into: the project's tag schema has no label ${missing.map((l) => `"${l}"`).join(', ')}; add it to the schema, or leave it out with --label (the schema has ${[...known].join(', ') || 'no labels'})`,
    );
  }
}

const spanKey = (a: Pick<Annotation, 'label' | 'start' | 'end'>) => `${a.label}\u0000${a.start}\u0000${a.end}`;

/**
 * Writes the engine's suggestions into an annotator's layer as annotations marked
 * `origin: "suggested"`, with their attributed-to links, one document at a time through the
 * store's layer write (lock, journal, durable files). What the layer already holds as a suggested
 * span of that label is skipped, so running it twice adds nothing.
 */
export async function suggestInto(store: ProjectStore, annotator: string, request: SuggestRequest): Promise<PreAnnotateReport> {
  const name = intoAnnotator(annotator);
  const schema = store.project.schema;
  // When no --label is given, only the labels the schema has are suggested (a project may have dropped "event").
  const wanted = request.labels.length > 0 ? suggestLabels(request.labels) : suggestLabels([]).filter((l) => schema.labels.some((d) => d.name === l));
  requireSchemaLabels(schema, wanted);
  if (wanted.length === 0) throw new MarginError('bad-input', `--into: the project's tag schema has none of the labels Margin suggests (${suggestLabels([]).join(', ')})`);
  const source = suggestionSource(store, { ...request, labels: wanted });
  const report: PreAnnotateReport = { documents: 0, added: 0, skipped: 0, links: 0 };
  for (const id of await source.ids()) {
    const suggested = await source.read(id);
    report.documents++;
    await store.updateLayer(name, id, (layer) => {
      const now = new Date().toISOString();
      const present = new Map(layer.annotations.filter((a) => a.origin === 'suggested').map((a) => [spanKey(a), a.id]));
      // Suggestion id → the layer's annotation for it (new, or the one a previous run wrote).
      const placed = new Map<string, string>();
      for (const s of suggested.annotations) {
        const label = schema.labels.find((l) => l.name === s.label);
        if (!label) continue;
        const existing = present.get(spanKey(s));
        if (existing !== undefined) {
          placed.set(s.id, existing);
          report.skipped++;
          continue;
        }
        const annotation: Annotation = { ...s, id: randomUUID(), annotator: name, attributes: fittingAttributes(label, s.attributes), origin: 'suggested', createdAt: now, updatedAt: now };
        layer.annotations.push(annotation);
        present.set(spanKey(s), annotation.id);
        placed.set(s.id, annotation.id);
        report.added++;
      }
      const linked = new Set(layer.relations.map((r) => `${r.type}\u0000${r.from}\u0000${r.to}`));
      for (const r of suggested.relations ?? []) {
        const from = placed.get(r.from);
        const to = placed.get(r.to);
        if (from === undefined || to === undefined || !linkAllowed(schema, layer.annotations, r.type, from, to)) continue;
        const key = `${r.type}\u0000${from}\u0000${to}`;
        if (linked.has(key)) continue;
        linked.add(key);
        const relation: Relation = { id: randomUUID(), type: r.type, from, to, annotator: name };
        layer.relations.push(relation);
        report.links++;
      }
    });
  }
  return report;
}

/** A link the schema allows between those two labels (a schema without attributed-to gets no links). */
function linkAllowed(schema: TagSchema, annotations: readonly Annotation[], type: string, from: string, to: string): boolean {
  const labelOf = (id: string) => annotations.find((a) => a.id === id)?.label;
  const rule = schema.relations.find((r) => r.type === type);
  const fromLabel = labelOf(from);
  const toLabel = labelOf(to);
  return !!rule && fromLabel !== undefined && toLabel !== undefined && rule.from.includes(fromLabel) && rule.to.includes(toLabel);
}
