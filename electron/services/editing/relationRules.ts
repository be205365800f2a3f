import type { Annotation, LayerFile, Relation, TagSchema } from '../../../shared/model';

/** Whether the schema has a relation `type` from a `fromLabel` span to a `toLabel` span. */
export function relationAllowed(schema: TagSchema, type: string, fromLabel: string, toLabel: string): boolean {
  const def = schema.relations.find((r) => r.type === type);
  return !!def && def.from.includes(fromLabel) && def.to.includes(toLabel);
}

/**
 * Why a link is not valid among one document's annotations, naming the field; null when it is.
 * A link starts at one of its own annotator's annotations and ends at anyone's.
 */
export function relationProblem(schema: TagSchema, relation: Omit<Relation, 'id'>, byId: ReadonlyMap<string, Annotation>): string | null {
  const def = schema.relations.find((r) => r.type === relation.type);
  if (!def) return `type: "${relation.type}" is not a relation type of this project's tag schema`;
  const from = byId.get(relation.from);
  if (!from) return `from: there is no annotation ${relation.from} in this document`;
  if (from.annotator !== relation.annotator) return `from: that annotation is ${from.annotator}'s; a link starts at one of your own`;
  const to = byId.get(relation.to);
  if (!to) return `to: there is no annotation ${relation.to} in this document`;
  if (from.id === to.id) return 'to: an annotation cannot be linked to itself';
  if (!def.from.includes(from.label)) return `from: a ${from.label} cannot start an ${def.type} link (only ${def.from.join(', ') || 'none'})`;
  if (!def.to.includes(to.label)) return `to: a ${to.label} cannot end an ${def.type} link (only ${def.to.join(', ') || 'none'})`;
  return null;
}

export function annotationsById(layers: readonly LayerFile[]): Map<string, Annotation> {
  return new Map(layers.flatMap((l) => l.annotations.map((a) => [a.id, a] as const)));
}

/**
 * The links of a document that hold now. A link in one annotator's layer may point at a
 * colleague's annotation; when that colleague deletes or relabels it, the link is not written
 * out of the first annotator's file (each annotator writes only their own files) but it is not
 * shown or exported either, until the annotation comes back (an undo).
 */
export function liveRelations(schema: TagSchema, layers: readonly LayerFile[]): Relation[] {
  const byId = annotationsById(layers);
  return layers.flatMap((l) => l.relations).filter((r) => relationProblem(schema, r, byId) === null);
}
