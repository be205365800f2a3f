import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Workspace } from '../../electron/services/workspace';
import type { AttributeValue } from '../../shared/model';
import { samplePaths, TempDirs } from './helpers';
import { bareRemote, cloneOf, git, isolateGit, syncThroughApi, workspaceAs } from './teamFixture';

/**
 * Ten annotators, ten clones of one project, one bare repository as the team's remote. Every
 * round each annotator tags, edits attributes and metadata of the same documents and marks
 * statuses, one annotator renames a label once, and everyone syncs in a seeded random order;
 * then everyone syncs once more. Every clone must then read every annotator's work exactly as
 * its annotator left it (labels under the new name), and git must never have reported a conflict.
 */

const NAMES = ['Ana', 'Ben', 'Cy', 'Dee', 'Eli', 'Fay', 'Gus', 'Hal', 'Ivy', 'Jo'];
const ROUNDS = 5;
const RENAME = { round: 1, by: 'Cy', from: 'claim', to: 'assertion' };
const SEED = 20_240_819;
/** Spans each annotator tags per document per round (in two documents). */
const SPANS_PER_DOCUMENT = 12;

/** mulberry32: a small seeded generator, so a failure can be replayed exactly. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Expected {
  docId: string;
  label: string;
  attributes: Record<string, AttributeValue>;
}

/** Attribute values each label's annotations get (the default schema's text attributes). */
const TEXT_ATTRIBUTE: Record<string, string | undefined> = { claim: 'claimant', assertion: 'claimant', quote: 'speaker', event: 'place' };

const sortedJson = (value: Record<string, unknown>) => JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))));

const temps = new TempDirs();
const clones = new Map<string, { dir: string; workspace: Workspace }>();

beforeAll(() => isolateGit(temps));
afterAll(async () => {
  for (const { workspace } of clones.values()) await workspace.close();
  temps.cleanup();
}, 60_000);

it('10 annotators sync one project through git for 5 rounds: no conflict, nothing lost or mislabelled', { timeout: 180_000 }, async () => {
  const started = Date.now();
  const rand = random(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

  // Ana starts the project and shares it; everyone else clones it.
  const remote = bareRemote(temps);
  const anaDir = path.join(temps.make('margin-team-'), 'Ana');
  const ana = await workspaceAs(temps, anaDir, 'Ana');
  clones.set('Ana', { dir: anaDir, workspace: ana });
  await ana.importPaths(samplePaths().slice(0, 3));
  await syncThroughApi(ana);
  git(anaDir, 'remote', 'add', 'origin', remote);
  expect((await syncThroughApi(ana)).report.ok).toBe(true);
  for (const name of NAMES.slice(1)) {
    const dir = cloneOf(remote, path.join(temps.make('margin-team-'), name));
    clones.set(name, { dir, workspace: await workspaceAs(temps, dir, name) });
  }
  const docs = (await ana.handlers.listDocuments({})).map((d) => d.id).sort();
  const texts = new Map<string, string>();
  for (const docId of docs) texts.set(docId, (await ana.handlers.getDocument({ docId })).text);

  const expected = new Map<string, Map<string, Expected>>(NAMES.map((n) => [n, new Map()]));
  const expectedStatus = new Map<string, string>(); // "annotator/docId" -> status
  const expectedMeta = new Map<string, string>(); // "annotator/docId" -> author
  let syncs = 1;
  let conflicts = 0;
  let pushRetries = 0;
  let syncMs = 0;
  const failures: string[] = [];

  const sync = async (name: string) => {
    const t0 = Date.now();
    const { report } = await syncThroughApi(clones.get(name)!.workspace);
    syncMs += Date.now() - t0;
    syncs++;
    conflicts += report.conflicts.length;
    pushRetries += Math.max(0, report.pushAttempts - 1);
    if (!report.ok) failures.push(`${name}: ${report.summary}`);
  };

  for (let round = 0; round < ROUNDS; round++) {
    for (const name of NAMES) {
      const w = clones.get(name)!.workspace;
      const mine = expected.get(name)!;
      const labels = (await w.handlers.getSession({})).schema.labels.map((l) => l.name);
      // Tag a few spans (whole words) in two of the documents.
      for (const docId of [pick(docs), pick(docs)]) {
        const text = texts.get(docId)!;
        const spans = Array.from({ length: SPANS_PER_DOCUMENT }, () => {
          const from = Math.floor(rand() * (text.length - 60));
          const start = text.slice(from).search(/\b\w/) + from;
          const end = start + text.slice(start).search(/\w\b/) + 1 + Math.floor(rand() * 3);
          return { label: pick(labels), start, end: Math.max(end, start + 1) };
        });
        for (const a of await w.handlers.createAnnotations({ docId, spans })) mine.set(a.id, { docId, label: a.label, attributes: a.attributes });
      }
      // Edit an attribute of one of one's own annotations, from any round.
      const ids = [...mine.keys()].filter((id) => TEXT_ATTRIBUTE[mine.get(id)!.label] !== undefined);
      const id = pick(ids);
      const target = mine.get(id)!;
      const { after } = await w.handlers.updateAnnotation({
        docId: target.docId,
        annotationId: id,
        changes: { attributes: { [TEXT_ATTRIBUTE[target.label]!]: `${name}, round ${round + 1}` } },
      });
      mine.set(id, { docId: target.docId, label: after.label, attributes: after.attributes });
      // Metadata and status of the same documents as everyone else.
      const metaDoc = pick(docs);
      await w.handlers.updateDocumentMeta({ docId: metaDoc, meta: { author: `${name} (round ${round + 1})` } });
      expectedMeta.set(`${name}/${metaDoc}`, `${name} (round ${round + 1})`);
      const statusDoc = pick(docs);
      const status = rand() < 0.5 ? 'done' : 'in-progress';
      await w.handlers.setDocumentStatus({ docId: statusDoc, status });
      expectedStatus.set(`${name}/${statusDoc}`, status);
      // One label renamed, once, by one annotator.
      if (round === RENAME.round && name === RENAME.by) {
        const session = await w.handlers.getSession({});
        const schema = structuredClone(session.schema);
        schema.labels.find((l) => l.name === RENAME.from)!.name = RENAME.to;
        for (const r of schema.relations) r.from = r.from.map((n) => (n === RENAME.from ? RENAME.to : n));
        await w.handlers.updateSchema({ schema, renameLabels: [{ from: RENAME.from, to: RENAME.to }], renameAttributes: [], baseRevision: session.revision, deleteLabels: [] });
      }
    }
    const order = [...NAMES].sort(() => rand() - 0.5);
    for (const name of order) await sync(name);
  }
  for (const name of NAMES) await sync(name);

  // Every clone reads every annotator's work as its annotator left it.
  let annotations = 0;
  let lost = 0;
  let mislabelled = 0;
  let unexpected = 0;
  const unreadable: string[] = [];
  const newName = (label: string) => (label === RENAME.from ? RENAME.to : label);
  for (const [clone, { dir, workspace }] of clones) {
    expect((await workspace.handlers.getSession({})).schema.labels.map((l) => l.name)).toEqual(expect.arrayContaining([RENAME.to]));
    const summaries = await workspace.handlers.listDocuments({});
    for (const s of summaries) if (s.problem) unreadable.push(`${clone}: ${s.problem}`);
    const seen = new Map<string, { label: string; attributes: Record<string, AttributeValue>; annotator: string }>();
    for (const docId of docs) for (const a of await workspace.handlers.listAnnotations({ docId })) seen.set(a.id, a);
    for (const [annotator, mine] of expected) {
      for (const [id, want] of mine) {
        annotations++;
        const got = seen.get(id);
        if (!got || got.annotator !== annotator) lost++;
        else if (got.label !== newName(want.label) || sortedJson(got.attributes) !== sortedJson(want.attributes)) mislabelled++;
      }
    }
    unexpected += seen.size - [...expected.values()].reduce((n, m) => n + m.size, 0);
    for (const [key, status] of expectedStatus) {
      const [annotator, docId] = key.split('/') as [string, string];
      // Only "done" is stored; otherwise the status follows from the layer's annotations.
      const tagged = [...expected.get(annotator)!.values()].some((a) => a.docId === docId);
      const want = status === 'done' ? 'done' : tagged ? 'in-progress' : 'not-started';
      const got = summaries.find((s) => s.id === docId)?.statuses[annotator] ?? 'not-started';
      if (got !== want) failures.push(`${clone} sees ${annotator}'s status on ${docId} as ${got}, not ${want}`);
    }
    // Each annotator's metadata edits, in their own file, arrived whole in every clone.
    for (const [key, author] of expectedMeta) {
      const [annotator, docId] = key.split('/') as [string, string];
      const file = path.join(dir, 'metadata', annotator, `${docId}.json`);
      if (!existsSync(file) || !readFileSync(file, 'utf8').includes(JSON.stringify(author))) failures.push(`${clone} lacks ${annotator}'s metadata edit of ${docId}`);
    }
  }
  // Every clone shows each document the same metadata, one of the edits made to it (the latest wins).
  for (const docId of docs) {
    const shown = new Set<string | undefined>();
    for (const { workspace } of clones.values()) shown.add((await workspace.handlers.getDocument({ docId })).meta.author);
    const written = [...expectedMeta].filter(([key]) => key.endsWith(`/${docId}`)).map(([, author]) => author);
    if (shown.size !== 1 || (written.length > 0 && !written.includes([...shown][0]!))) failures.push(`clones show ${docId}'s author as ${[...shown].join(' / ')}`);
  }
  const total = [...expected.values()].reduce((n, m) => n + m.size, 0);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `[team] ${NAMES.length} annotators, ${ROUNDS} rounds, ${syncs} syncs: ${conflicts} conflicts, ${total.toLocaleString('en-US')} annotations ` +
      `(${annotations.toLocaleString('en-US')} checked over ${clones.size} clones), ${lost} lost, ${mislabelled} mislabelled, ${pushRetries} pushes retried; ${seconds} s in all, ${(syncMs / 1000).toFixed(1)} s syncing`,
  );
  expect(failures).toEqual([]);
  expect(unreadable).toEqual([]);
  expect(conflicts).toBe(0);
  expect(lost).toBe(0);
  expect(mislabelled).toBe(0);
  expect(unexpected).toBe(0);
  // Every clone ends on the same commit as the remote.
  const head = git(remote, 'rev-parse', 'main');
  for (const { dir } of clones.values()) expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
});
