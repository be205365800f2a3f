import type { ApiArgs, MarginApi } from '../../../shared/api';
import type { Annotation, DocStatus, DocumentMeta, Relation, TagSchema } from '../../../shared/model';
import type { Step } from './history';

/**
 * Every change the reading view makes, as a function that does it through the API and returns
 * the undoable step. Kept free of React so the unit tests can run each one against real services.
 */

export async function createSpan(api: MarginApi, docId: string, label: string, start: number, end: number) {
  const created = await api.createAnnotation({ docId, label, start, end });
  const step: Step = {
    title: `Tag ${label}`,
    undo: async () => void (await api.deleteAnnotations({ docId, annotationIds: [created.id] })),
    redo: async () => void (await api.restoreAnnotations({ annotations: [created], relations: [] })),
  };
  return { created, step };
}

export async function createSpans(api: MarginApi, docId: string, spans: { label: string; start: number; end: number }[]) {
  const created = await api.createAnnotations({ docId, spans });
  const step: Step = {
    title: `Tag ${created.length} matches`,
    undo: async () => void (await api.deleteAnnotations({ docId, annotationIds: created.map((a) => a.id) })),
    redo: async () => void (await api.restoreAnnotations({ annotations: created, relations: [] })),
  };
  return { created, step };
}

/** Suggestions accepted: each is now the analyst's annotation (origin "suggested"), with its links. */
export async function acceptSuggestions(api: MarginApi, docId: string, keys: string[]) {
  const { annotations, relations } = await api.acceptSuggestions({ docId, keys });
  const step: Step = {
    title: annotations.length === 1 ? `Accept suggested ${annotations[0]!.label}` : `Accept ${annotations.length} suggestions`,
    // Deleting the annotations deletes their links; the suggestions are offered again.
    undo: async () => void (await api.deleteAnnotations({ docId, annotationIds: annotations.map((a) => a.id) })),
    redo: async () => void (await api.restoreAnnotations({ annotations, relations })),
  };
  return { annotations, relations, step };
}

/** Suggestions rejected: remembered in the analyst's layer, not offered again (until undone). */
export async function rejectSuggestions(api: MarginApi, docId: string, keys: string[]) {
  const { rejected } = await api.rejectSuggestions({ docId, keys });
  const step: Step = {
    title: keys.length === 1 ? 'Reject suggestion' : `Reject ${keys.length} suggestions`,
    undo: async () => void (await api.rejectSuggestions({ docId, keys, forget: true })),
    redo: async () => void (await api.rejectSuggestions({ docId, keys })),
  };
  return { rejected, step };
}

export type AnnotationChanges = ApiArgs<'updateAnnotation'>['changes'];

/**
 * The edit that takes back a details edit (attributes, note) and nothing else: each attribute it
 * named gets its previous value back, or is removed if it had none, so an edit made meanwhile
 * to another attribute (a second window) stays.
 */
function reverseDetails(before: Annotation, changes: AnnotationChanges): AnnotationChanges {
  const back: AnnotationChanges = {};
  if (changes.attributes) back.attributes = Object.fromEntries(Object.keys(changes.attributes).map((name) => [name, before.attributes[name] ?? null]));
  if (changes.note !== undefined) back.note = before.note ?? '';
  return back;
}

export async function updateSpan(api: MarginApi, docId: string, annotationId: string, changes: AnnotationChanges) {
  const result = await api.updateAnnotation({ docId, annotationId, changes });
  const moves = changes.label !== undefined || changes.start !== undefined || changes.end !== undefined;
  const step: Step = {
    title: changes.label ? `Relabel as ${changes.label}` : moves ? 'Move boundary' : 'Edit details',
    // A relabel or a move may have removed links: the whole annotation and those links come back.
    undo: moves
      ? async () => void (await api.restoreAnnotations({ annotations: [result.before], relations: result.removedRelations }))
      : async () => void (await api.updateAnnotation({ docId, annotationId, changes: reverseDetails(result.before, changes) })),
    redo: async () => void (await api.updateAnnotation({ docId, annotationId, changes })),
  };
  return { ...result, step };
}

export async function deleteSpans(api: MarginApi, docId: string, annotationIds: string[]) {
  const { deleted, relations } = await api.deleteAnnotations({ docId, annotationIds });
  const step: Step = {
    title: deleted.length === 1 ? `Delete ${deleted[0]!.label}` : `Delete ${deleted.length} annotations`,
    undo: async () => void (await api.restoreAnnotations({ annotations: deleted, relations })),
    redo: async () => void (await api.deleteAnnotations({ docId, annotationIds })),
  };
  return { deleted, relations, step };
}

export async function link(api: MarginApi, docId: string, type: string, from: string, to: string) {
  const relation = await api.createRelation({ docId, type, from, to });
  return { relation, step: relationStep(api, docId, relation, true) };
}

export async function unlink(api: MarginApi, docId: string, relationId: string) {
  const { deleted } = await api.deleteRelation({ docId, relationId });
  return { deleted, step: relationStep(api, docId, deleted, false) };
}

function relationStep(api: MarginApi, docId: string, relation: Relation, created: boolean): Step {
  const add = async () => void (await api.restoreAnnotations({ annotations: [], relations: [relation] }));
  const remove = async () => void (await api.deleteRelation({ docId, relationId: relation.id }));
  return { title: created ? `Link ${relation.type}` : `Remove link`, undo: created ? remove : add, redo: created ? add : remove };
}

/** A new span tagged on the fly and linked in one go (a quote's source): one step. */
export async function createLinkedSpan(api: MarginApi, docId: string, type: string, from: string, label: string, start: number, end: number) {
  const created = await api.createAnnotation({ docId, label, start, end });
  let relation: Relation;
  try {
    relation = await api.createRelation({ docId, type, from, to: created.id });
  } catch (error) {
    await api.deleteAnnotations({ docId, annotationIds: [created.id] });
    throw error;
  }
  const step: Step = {
    title: `Tag ${label} and link`,
    undo: async () => void (await api.deleteAnnotations({ docId, annotationIds: [created.id] })),
    redo: async () => void (await api.restoreAnnotations({ annotations: [created], relations: [relation] })),
  };
  return { created, relation, step };
}

export async function setStatus(api: MarginApi, docId: string, previous: DocStatus, status: DocStatus) {
  await api.setDocumentStatus({ docId, status });
  const step: Step = {
    title: status === 'done' ? 'Mark done' : 'Mark not done',
    undo: async () => void (await api.setDocumentStatus({ docId, status: previous })),
    redo: async () => void (await api.setDocumentStatus({ docId, status })),
  };
  return { step };
}

export interface SchemaRenames {
  renameLabels: { from: string; to: string }[];
  renameAttributes: { label: string; from: string; to: string }[];
}

/** Labels whose annotations go with them, each with the count the user confirmed. */
export type LabelDeletions = { label: string; annotations: number }[];

/**
 * A schema edit changes margin.json (and, for a confirmed label deletion, the deleted
 * annotations). Each call names the revision it was made from, so an edit from a stale window is
 * refused; undo puts back the old schema and whatever was deleted.
 */
export async function editSchema(
  api: MarginApi,
  before: { schema: TagSchema; revision: number },
  after: TagSchema,
  renames: SchemaRenames,
  deleteLabels: LabelDeletions = [],
) {
  let revision = before.revision;
  const apply = async () => {
    const result = await api.updateSchema({ schema: after, ...renames, deleteLabels, baseRevision: revision });
    revision = result.session.revision;
    return result;
  };
  const result = await apply();
  const reversed: SchemaRenames = {
    renameLabels: renames.renameLabels.map((r) => ({ from: r.to, to: r.from })),
    // An attribute rename names its label as the schema being saved calls it.
    renameAttributes: renames.renameAttributes.map((r) => ({
      label: renames.renameLabels.find((l) => l.to === r.label)?.from ?? r.label,
      from: r.to,
      to: r.from,
    })),
  };
  const step: Step = {
    title: 'Edit tag schema',
    touchesSchema: true,
    undo: async () => {
      const undone = await api.updateSchema({
        schema: before.schema,
        ...reversed,
        deleteLabels: [],
        baseRevision: revision,
        restore: { annotations: [...result.changed, ...result.removed], relations: result.removedRelations },
      });
      revision = undone.session.revision;
    },
    redo: async () => void (await apply()),
  };
  return { session: result.session, step };
}

/** Metadata edits: undo puts back the values shown before (extracted or edited). */
export async function editMeta(api: MarginApi, docId: string, before: DocumentMeta, changes: DocumentMeta) {
  const document = await api.updateDocumentMeta({ docId, meta: changes });
  const previous = Object.fromEntries(Object.keys(changes).map((k) => [k, before[k as keyof DocumentMeta] ?? '']));
  const step: Step = {
    title: 'Edit article details',
    touchesDocument: true,
    undo: async () => void (await api.updateDocumentMeta({ docId, meta: previous })),
    redo: async () => void (await api.updateDocumentMeta({ docId, meta: changes })),
  };
  return { document, step };
}
