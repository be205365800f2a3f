import { compareLayers as compare, type ComparedLayer } from '../../../shared/compare';
import type { LayerFile } from '../../../shared/model';
import { layerFilePath } from '../store/schemaJournal';
import type { ProjectStore } from '../store/projectStore';

/** Reading the layers a comparison is made of: what cannot be read is named, never written. */

/** One annotator's layer, or null when it has none; a file that does not parse is reported in `problem`, never written. */
export async function tolerantLayer(store: ProjectStore, annotator: string, docId: string): Promise<{ layer: LayerFile | null; problem?: string }> {
  try {
    return { layer: await store.layerIfExists(annotator, docId) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { layer: null, problem: message.includes(annotator) ? message : `${layerFilePath(store.dir, annotator, docId)}: ${message}` };
  }
}

function unparsable(annotator: string, problem: string) {
  return { annotator, label: '', exact: '', reason: `${problem} This layer was left out of the comparison.` };
}

export async function comparison(store: ProjectStore, docId: string, annotators: readonly string[], gold: string) {
  const doc = await store.getDocument(docId);
  const unique = [...new Set(annotators)];
  const layers: ComparedLayer[] = [];
  const problems: ReturnType<typeof unparsable>[] = [];
  const sources: LayerFile[] = [];
  for (const annotator of unique) {
    const { layer, problem } = await tolerantLayer(store, annotator, docId);
    if (problem) {
      problems.push(unparsable(annotator, problem));
      // Still counted as compared (with nothing): a layer left out never makes the rest "agreed".
      layers.push({ annotator, annotations: [] });
      continue;
    }
    layers.push({ annotator, annotations: layer?.annotations ?? [], orphans: layer?.orphans ?? [], relations: layer?.relations ?? [] });
    if (layer) sources.push(layer);
  }
  const goldRead = await tolerantLayer(store, gold, docId);
  if (goldRead.problem) problems.push({ ...unparsable(gold, goldRead.problem), reason: `${goldRead.problem} The gold layer could not be read.` });
  const goldLayer = goldRead.layer;
  const result = compare(doc.text, layers, goldLayer?.annotations ?? [], goldLayer?.rejected ?? [], goldLayer?.relations ?? []);
  result.annotators = unique;
  result.unplaced = [...problems, ...result.unplaced];
  return { doc, result, sources, goldLayer, goldProblem: goldRead.problem };
}

