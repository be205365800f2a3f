import { z } from 'zod';
import { mergeLayer } from '../../../shared/layerMerge';
import { DocumentRecord, FORMAT_VERSION, LayerFile, ProjectFile, TagSchema } from '../../../shared/model';
import { mergeProjectFile, type MergeableProject } from '../../../shared/schemaMerge';
import { stableStringify } from '../store/jsonFile';
import { PROJECT_FILE_PATH } from './changeSummary';
import { splitNul, type Git } from './git';

/**
 * Files git could not merge, resolved record by record where Margin knows their meaning:
 * - a layer file (annotations/<annotator>/<docId>.json): shared/layerMerge.ts, by annotation id.
 *   With one writer per file this should never happen; it is handled all the same.
 * - margin.json: shared/schemaMerge.ts, by label id and field.
 * - a document file added on both sides: documents never change and their id comes from their
 *   text, so two copies with the same text are one document (the team's copy is kept).
 * Anything else is left unresolved: the caller aborts the merge and names the files.
 */

const LAYER = /^annotations\/[^/]+\/[0-9a-f]{16}\.json$/;
const DOCUMENT = /^documents\/[0-9a-f]{16}\.json$/;

/** margin.json as any version of Margin wrote it: the schema is checked, other fields are carried. */
const AnyProjectFile = z.looseObject({ schema: TagSchema, revision: z.number().int().optional() });

export interface Resolution {
  /** The merged content of each resolved file, to write and stage. */
  files: { path: string; content: string }[];
  /** What the schema merge decided, in plain words. */
  notes: string[];
  /** Files that could not be merged, each with the reason. */
  unresolved: { path: string; reason: string }[];
}

/** The paths git left in conflict (unmerged index entries), each once. */
export async function conflictedPaths(git: Git): Promise<string[]> {
  const entries = splitNul((await git.run(['ls-files', '-u', '-z'])).stdout);
  return [...new Set(entries.map((e) => e.slice(e.indexOf('\t') + 1)))].sort();
}

function parseJson<T>(content: Buffer | null, schema: z.ZodType<T>): T | null {
  if (content === null) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(content.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

type Outcome = { content: string; notes?: string[] } | { reason: string };

function resolveLayer(base: Buffer | null, ours: Buffer | null, theirs: Buffer | null): Outcome {
  if (ours === null || theirs === null) return { reason: 'deleted on one side and changed on the other' };
  const o = parseJson(ours, LayerFile);
  const t = parseJson(theirs, LayerFile);
  if (!o || !t) return { reason: `${o ? "the team's" : 'your'} version is not a readable layer file` };
  // Added on both sides: nothing in common, so every record of either side is kept.
  const b: LayerFile | null = base === null ? { version: FORMAT_VERSION, docId: t.docId, annotator: t.annotator, annotations: [], relations: [] } : parseJson(base, LayerFile);
  if (!b) return { reason: 'the common version is not a readable layer file' };
  return { content: stableStringify(mergeLayer(b, o, t)) };
}

function resolveProjectFile(base: Buffer | null, ours: Buffer | null, theirs: Buffer | null): Outcome {
  if (ours === null || theirs === null) return { reason: 'deleted on one side and changed on the other' };
  const o = parseJson(ours, AnyProjectFile) as MergeableProject | null;
  const t = parseJson(theirs, AnyProjectFile) as MergeableProject | null;
  const b = parseJson(base, AnyProjectFile) as MergeableProject | null;
  if (!o || !t || (base !== null && !b)) return { reason: 'one of its versions is not a readable margin.json' };
  const { merged, notes, problems } = mergeProjectFile(b, o, t);
  // Never a half-merged file: the result must be a whole, valid margin.json.
  const checked = ProjectFile.safeParse(merged);
  if (problems.length > 0 || !checked.success) {
    const why = problems.length > 0 ? problems.map((p) => `schema.${p.path}: ${p.message}`) : checked.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    return { reason: `the merged tag schema would not be valid (${why.slice(0, 3).join('; ')})` };
  }
  return { content: stableStringify(merged), notes };
}

function resolveDocument(ours: Buffer | null, theirs: Buffer | null): Outcome {
  const o = parseJson(ours, DocumentRecord);
  const t = parseJson(theirs, DocumentRecord);
  if (o && t && o.id === t.id && o.text === t.text) return { content: stableStringify(t) };
  return { reason: 'two different versions of a document (documents never change after import)' };
}

export async function resolveConflicts(git: Git, paths: readonly string[]): Promise<Resolution> {
  const blobs = await git.readBlobs(paths.flatMap((p) => [`:1:${p}`, `:2:${p}`, `:3:${p}`]));
  const resolution: Resolution = { files: [], notes: [], unresolved: [] };
  paths.forEach((path, i) => {
    const [base, ours, theirs] = [blobs[3 * i] ?? null, blobs[3 * i + 1] ?? null, blobs[3 * i + 2] ?? null];
    let outcome: Outcome;
    if (LAYER.test(path)) outcome = resolveLayer(base, ours, theirs);
    else if (path === PROJECT_FILE_PATH) outcome = resolveProjectFile(base, ours, theirs);
    else if (DOCUMENT.test(path)) outcome = resolveDocument(ours, theirs);
    else outcome = { reason: 'Margin does not merge this file' };
    if ('reason' in outcome) resolution.unresolved.push({ path, reason: outcome.reason });
    else {
      resolution.files.push({ path, content: outcome.content });
      resolution.notes.push(...(outcome.notes ?? []));
    }
  });
  return resolution;
}
