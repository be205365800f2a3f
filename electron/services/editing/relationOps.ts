import { randomUUID } from 'node:crypto';
import type { Relation } from '../../../shared/model';
import { MarginError } from '../errors';
import type { ProjectStore } from '../store/projectStore';
import { annotationsById, relationProblem } from './relationRules';

/** Links between annotations of one document (a quote attributed to its source). */

/** Links one of the annotator's own annotations to any annotation of the same document, as the schema allows. */
export async function createRelation(
  store: ProjectStore,
  annotator: string,
  args: { docId: string; type: string; from: string; to: string },
): Promise<Relation> {
  const { docId, type, from, to } = args;
  store.documentHeader(docId);
  const byId = annotationsById(await store.layersOf(docId));
  const relation: Relation = { id: randomUUID(), type, from, to, annotator };
  const problem = relationProblem(store.project.schema, relation, byId);
  if (problem) {
    const missing = /^(from|to): there is no annotation/.test(problem);
    throw new MarginError(missing ? 'not-found' : 'bad-input', `${problem}.`);
  }
  const own = await store.readLayer(annotator, docId);
  if (own.relations.some((r) => r.type === type && r.from === from && r.to === to)) {
    throw new MarginError('conflict', `to: that ${type} link already exists.`);
  }
  await store.updateLayer(annotator, docId, (layer) => {
    layer.relations.push(relation);
  });
  return relation;
}

/** Deletes one of the annotator's own links. */
export async function deleteRelation(store: ProjectStore, annotator: string, docId: string, relationId: string): Promise<{ deleted: Relation }> {
  store.documentHeader(docId);
  const own = await store.readLayer(annotator, docId);
  const deleted = own.relations.find((r) => r.id === relationId);
  if (!deleted) {
    const elsewhere = (await store.layersOf(docId)).find((l) => l.relations.some((r) => r.id === relationId));
    throw elsewhere
      ? new MarginError('bad-input', `That link belongs to ${elsewhere.annotator}'s layer; only your own can be deleted.`)
      : new MarginError('not-found', `There is no link ${relationId} in document ${docId}.`);
  }
  await store.updateLayer(annotator, docId, (layer) => {
    layer.relations = layer.relations.filter((r) => r.id !== relationId);
  });
  return { deleted };
}
