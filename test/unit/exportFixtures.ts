import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Workspace } from '../../electron/services/workspace';
import { defaultSchema } from '../../shared/defaultSchema';
import type { TagSchema } from '../../shared/model';

/** The default schema plus a label with an attribute of every type, and a relation type to it. */
export const RICH_SCHEMA: TagSchema = {
  labels: [
    ...defaultSchema.labels,
    {
      name: 'entity',
      color: '#8e44ad',
      key: 'e',
      attributes: [
        { name: 'name', type: 'text' },
        { name: 'kind', type: 'choice', values: ['person', 'org', 'place'] },
        { name: 'tags', type: 'multi', values: ['a', 'b', 'c'] },
        { name: 'verified', type: 'boolean' },
        { name: 'seen', type: 'date' },
        { name: 'score', type: 'number' },
      ],
    },
  ],
  relations: [...defaultSchema.relations, { type: 'mentions', from: ['claim', 'quote'], to: ['entity'] }],
};

export const EMOJI_TEXT = 'Blinken 👍🏽 visit: “we will” 𝒳\n\n👍🏽 Blinken said 𝒳 is “capitalize” on the moment — 🇫🇷 officials agreed, café.\n';

/** Word spans of a text: [start, end) of the n-th run of letters/digits (UTF-16). */
function words(text: string): [number, number][] {
  return [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => [m.index, m.index + m[0].length]);
}

/**
 * A project rich enough for round trips: the four samples plus an emoji document; on each,
 * alice and bob tag overlapping and nested spans with attributes of every type, notes, links.
 */
export async function buildRichProject(ws: Workspace): Promise<string[]> {
  const h = ws.handlers;
  await h.updateSchema({ schema: RICH_SCHEMA, renameLabels: [], renameAttributes: [], deleteLabels: [], baseRevision: (await h.getSession({})).revision });
  await h.loadSamples({});
  await h.importText({ text: EMOJI_TEXT, title: 'Emoji 👍🏽 article' });
  const docs = await h.listDocuments({});
  for (const [n, doc] of docs.entries()) {
    const { text } = await h.getDocument({ docId: doc.id });
    const w = words(text);
    const span = (i: number, j: number) => ({ start: w[i]![0], end: w[j]![1] });
    await h.setAnnotator({ name: 'alice' });
    const [claim, quote, entity, source] = await h.createAnnotations({
      docId: doc.id,
      spans: [
        { label: 'claim', ...span(0, 5) },
        { label: 'quote', ...span(1, 3) }, // nested in the claim
        { label: 'entity', ...span(4, 7) }, // overlaps the claim's end
        { label: 'source', ...span(8, 8) },
      ],
    });
    await h.updateAnnotation({ docId: doc.id, annotationId: claim!.id, changes: { attributes: { claimant: 'The, "minister"\nhimself', 'check-worthy': true }, note: `note ${n}: =SUM(A1) , "quoted"` } });
    await h.updateAnnotation({ docId: doc.id, annotationId: quote!.id, changes: { attributes: { speaker: 'Blinken', kind: 'direct' } } });
    await h.updateAnnotation({
      docId: doc.id,
      annotationId: entity!.id,
      changes: { attributes: { name: 'Entity 👍🏽', kind: 'org', tags: ['a', 'c'], verified: false, seen: '2024-08-19', score: 2.5 } },
    });
    await h.createRelation({ docId: doc.id, type: 'attributed-to', from: claim!.id, to: source!.id });
    await h.createRelation({ docId: doc.id, type: 'mentions', from: quote!.id, to: entity!.id });
    await h.setAnnotator({ name: 'bob' });
    const [bobClaim, bobEvent] = await h.createAnnotations({
      docId: doc.id,
      spans: [
        { label: 'claim', ...span(0, 5) }, // the same span as alice's
        { label: 'event', ...span(2, 9) },
      ],
    });
    await h.updateAnnotation({ docId: doc.id, annotationId: bobEvent!.id, changes: { attributes: { type: 'meeting', place: 'Doha' }, note: 'bob\'s note' } });
    await h.updateAnnotation({ docId: doc.id, annotationId: bobClaim!.id, changes: { attributes: { 'check-worthy': false } } });
    if (n % 2 === 0) await h.setDocumentStatus({ docId: doc.id, status: 'done' });
  }
  return docs.map((d) => d.id);
}

/** Every file under `dir` with its bytes, by relative path (for before/after comparisons). */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out[path.relative(dir, full)] = readFileSync(full).toString('base64');
    }
  };
  walk(dir);
  return out;
}
