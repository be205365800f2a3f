import { existsSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/services/dispatch';
import { MarginError } from '../../electron/services/errors';
import { ProjectStore } from '../../electron/services/store/projectStore';
import { JOURNAL_FILE, writeJournal } from '../../electron/services/store/schemaJournal';
import { Workspace } from '../../electron/services/workspace';
import { defaultSchema } from '../../shared/defaultSchema';
import type { Annotation, LayerFile, Relation, TagSchema } from '../../shared/model';
import { schemaProblems } from '../../shared/schemaRules';
import { layerOnDisk, layerPath, listFilesRecursive, openWorkspace, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const schemaCopy = (): TagSchema => structuredClone(defaultSchema);

/** A schema as the user sees it: names, colours, keys, attributes; without the stable ids the store adds. */
function withoutIds(schema: TagSchema): TagSchema {
  return {
    ...schema,
    labels: schema.labels.map(({ id: _id, aliases: _aliases, ...label }) => ({ ...label, attributes: label.attributes.map(({ id: _a, ...attr }) => attr) })),
  };
}

type Handlers = Workspace['handlers'];

/** A schema edit from a window that is up to date: made on the revision the session shows. */
async function edit(h: Handlers, args: Omit<Parameters<Handlers['updateSchema']>[0], 'baseRevision' | 'deleteLabels'> & { deleteLabels?: { label: string; annotations: number }[] }) {
  const { revision } = await h.getSession({});
  return h.updateSchema({ deleteLabels: [], ...args, baseRevision: revision });
}

/** The paths of a schema's problems: what a form would point at. */
const problemPaths = (schema: TagSchema) => schemaProblems(schema).map((p) => p.path);

describe('schemaProblems', () => {
  it('finds nothing wrong with the default schema', () => {
    expect(schemaProblems(defaultSchema)).toEqual([]);
  });

  it('refuses duplicate label names (whatever their case) and duplicate keys, naming both labels', () => {
    const schema = schemaCopy();
    schema.labels[1]!.name = 'Claim';
    // The relation still names "quote", which is now gone.
    expect(problemPaths(schema)).toEqual(['labels.0.name', 'labels.1.name', 'relations.0.from']);
    const keys = schemaCopy();
    keys.labels[2]!.key = '1';
    const problems = schemaProblems(keys);
    expect(problems.map((p) => p.path)).toEqual(['labels.0.key', 'labels.2.key']);
    expect(problems[1]!.message).toBe('"1" is the shortcut of another label');
  });

  it('refuses keys that actions already use, and keys that are not one key', () => {
    for (const key of ['l', 'L', 'j', 'k', 'd', '?']) {
      const schema = schemaCopy();
      schema.labels[0]!.key = key;
      expect(schemaProblems(schema), key).toEqual([{ path: 'labels.0.key', message: `"${key}" is already a shortcut of its own` }]);
    }
    const blank = schemaCopy();
    blank.labels[3]!.key = ' ';
    expect(problemPaths(blank)).toEqual(['labels.3.key']);
  });

  it('refuses colours white text would be unreadable on, and accepts dark ones', () => {
    const schema = schemaCopy();
    schema.labels[1]!.color = '#ffff00';
    schema.labels[2]!.color = '#f0f0f0';
    expect(problemPaths(schema)).toEqual(['labels.1.color', 'labels.2.color']);
    schema.labels[1]!.color = '#000000';
    schema.labels[2]!.color = '#1f4e79';
    expect(schemaProblems(schema)).toEqual([]);
  });

  it('refuses a choice without values, repeated values, and repeated or empty attribute names', () => {
    const schema = schemaCopy();
    schema.labels[1]!.attributes[1]!.values = [];
    schema.labels[2]!.attributes[0]!.values = ['meeting', 'meeting'];
    schema.labels[0]!.attributes[1]!.name = 'Claimant';
    schema.labels[3]!.attributes.push({ name: ' ', type: 'text' });
    expect(problemPaths(schema).sort()).toEqual(
      [
        'labels.0.attributes.0.name',
        'labels.0.attributes.1.name',
        'labels.1.attributes.1.values',
        'labels.2.attributes.0.values',
        'labels.3.attributes.0.name',
      ].sort(),
    );
  });

  it('refuses relations that name labels the schema does not have, and relation types defined twice', () => {
    const schema = schemaCopy();
    schema.relations[0]!.to = ['source', 'person'];
    schema.relations.push({ type: 'attributed-to', from: ['claim'], to: ['source'] });
    const problems = schemaProblems(schema);
    expect(problems).toContainEqual({ path: 'relations.0.to', message: '"person" is not a label' });
    expect(problems.map((p) => p.path)).toEqual(['relations.0.type', 'relations.0.to', 'relations.1.type']);
  });
});

/** Bytes and mtime of every file of a project, to prove nothing was written. */
function fingerprintAll(dir: string): Record<string, { bytes: string; mtimeMs: number }> {
  return Object.fromEntries(
    listFilesRecursive(dir).map((f) => [f, { bytes: readFileSync(path.join(dir, f), 'base64'), mtimeMs: statSync(path.join(dir, f)).mtimeMs }]),
  );
}

function backdateAll(dir: string): void {
  const past = new Date(Date.now() - 3600_000);
  for (const f of listFilesRecursive(dir)) utimesSync(path.join(dir, f), past, past);
}

const ARTICLES = [
  'Talks in Doha\nBlinken said the talks were productive, an official said. Hamas said nothing.\n',
  'Cease-fire\nThe minister said a cease-fire was near, according to Reuters. Officials met on Monday.\n',
];

/**
 * Two documents, two annotators, each with quotes and claims attributed to sources, and one
 * event with a date: enough to see a migration reach every layer of every document.
 */
async function seeded() {
  const ws = await openWorkspace(temps);
  const h = ws.handlers;
  const { imported } = await h.importFiles({ files: ARTICLES.map((t, i) => ({ name: `${i}.txt`, data: Buffer.from(t).toString('base64') })) });
  const docIds = imported.map((d) => d.docId);
  for (const annotator of ['alice', 'bob']) {
    await h.setAnnotator({ name: annotator });
    for (const [i, docId] of docIds.entries()) {
      const text = ARTICLES[i]!;
      const said = text.indexOf(' said ');
      const sentenceEnd = text.indexOf('.', said);
      const [quote, source, claim, event] = await h.createAnnotations({
        docId,
        spans: [
          { label: 'quote', start: said + 6, end: sentenceEnd },
          { label: 'source', start: text.indexOf('\n') + 1, end: said },
          { label: 'claim', start: said + 6, end: sentenceEnd },
          { label: 'event', start: sentenceEnd + 2, end: text.length - 1 },
        ],
      });
      await h.updateAnnotation({ docId, annotationId: quote!.id, changes: { attributes: { speaker: `${annotator}'s speaker`, kind: 'direct' } } });
      await h.updateAnnotation({ docId, annotationId: event!.id, changes: { attributes: { date: '2024-10-22', type: 'meeting' }, note: 'check the date' } });
      await h.createRelation({ docId, type: 'attributed-to', from: quote!.id, to: source!.id });
      await h.createRelation({ docId, type: 'attributed-to', from: claim!.id, to: source!.id });
    }
  }
  return { ws, h, docIds };
}

/** Everything a reader sees: every annotation and link of every document (links in id order). */
async function everything(ws: Workspace, docIds: string[]) {
  const h = ws.handlers;
  return Promise.all(
    docIds.map(async (docId) => ({
      annotations: await h.listAnnotations({ docId }),
      relations: (await h.listRelations({ docId })).sort((a, b) => a.id.localeCompare(b.id)),
    })),
  );
}

/** Every layer file as it is on disk, links in id order (restoring appends them). */
function layerFiles(projectDir: string, docIds: string[]): Record<string, LayerFile> {
  const out: Record<string, LayerFile> = {};
  for (const annotator of ['alice', 'bob']) {
    for (const docId of docIds) {
      const layer = structuredClone(layerOnDisk(projectDir, annotator, docId));
      layer.relations.sort((a, b) => a.id.localeCompare(b.id));
      out[`${annotator}/${docId}`] = layer;
    }
  }
  return out;
}

const allAnnotations = (layers: Record<string, LayerFile>): Annotation[] => Object.values(layers).flatMap((l) => l.annotations);
const allRelations = (layers: Record<string, LayerFile>): Relation[] => Object.values(layers).flatMap((l) => l.relations);

describe('a margin.json edited by hand into an invalid schema', () => {
  it('does not open, names the file and the problem, and leaves every file byte for byte as it was', async () => {
    const { ws, docIds } = await seeded();
    const projectDir = ws.projectDir;
    await ws.close();
    const file = path.join(projectDir, 'margin.json');
    const project = JSON.parse(readFileSync(file, 'utf8')) as { schema: TagSchema };
    project.schema.labels[1]!.key = '1';
    project.schema.labels[2]!.color = '#fffff0';
    writeFileSync(file, JSON.stringify(project, null, 2));
    backdateAll(projectDir);
    const before = fingerprintAll(projectDir);

    const error = await Workspace.open({ userData: temps.userData(), projectDir, mode: 'browser' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MarginError);
    const message = (error as MarginError).message;
    expect(message.startsWith(`${file}: schema.labels.0.key: "1" is the shortcut of another label`)).toBe(true);
    expect(message).toContain('schema.labels.1.key: "1" is the shortcut of another label');
    expect(message).toContain('schema.labels.2.color: #fffff0 is too light');
    expect((error as MarginError).issues).toHaveLength(3);
    // The read-only export refuses it too.
    await expect(ProjectStore.open(projectDir, { lock: false })).rejects.toThrow(/schema\.labels\.1\.key/);
    // Nothing was written, not even a lock left behind.
    expect(fingerprintAll(projectDir)).toEqual(before);

    // Fixed by hand, it opens again with everything in it.
    project.schema.labels[1]!.key = '2';
    project.schema.labels[2]!.color = '#1e7d45';
    writeFileSync(file, JSON.stringify(project, null, 2));
    const reopened = await Workspace.open({ userData: temps.userData(), projectDir, mode: 'browser' });
    try {
      expect((await reopened.handlers.listAnnotations({ docId: docIds[0]! })).length).toBe(8);
    } finally {
      await reopened.close();
    }
  });
});

describe('updateSchema', () => {
  it('refuses an invalid schema with every problem and its path, and writes nothing', async () => {
    const { ws, docIds } = await seeded();
    try {
      backdateAll(ws.projectDir);
      const before = fingerprintAll(ws.projectDir);
      const schema = schemaCopy();
      schema.labels[0]!.key = '2';
      schema.labels[3]!.attributes.push({ name: 'role', type: 'choice', values: [] });
      const envelope = await dispatch(ws.handlers, 'updateSchema', { schema, baseRevision: 0 });
      expect(envelope.ok).toBe(false);
      if (envelope.ok) return;
      expect(envelope.error.code).toBe('bad-input');
      expect(envelope.error.issues).toEqual([
        'schema.labels.0.key: "2" is the shortcut of another label',
        'schema.labels.1.key: "2" is the shortcut of another label',
        'schema.labels.3.attributes.0.values: a choice needs at least one value',
      ]);
      expect(envelope.error.message).toContain('schema.labels.3.attributes.0.values');
      expect(fingerprintAll(ws.projectDir)).toEqual(before);
      expect(withoutIds((await ws.handlers.getSession({})).schema)).toEqual(defaultSchema);
      expect((await ws.handlers.listAnnotations({ docId: docIds[0]! })).length).toBe(8);
    } finally {
      await ws.close();
    }
  });

  it('renames a label by changing margin.json alone: every layer file stays byte for byte, every reader sees the new name, links kept', async () => {
    const { ws, h, docIds } = await seeded();
    try {
      backdateAll(ws.projectDir);
      const filesBefore = fingerprintAll(ws.projectDir);
      const before = await everything(ws, docIds);
      const quotes = before.flatMap((d) => d.annotations).filter((a) => a.label === 'quote');
      expect(quotes).toHaveLength(4);
      const schema = schemaCopy();
      schema.labels[1]!.name = 'citation';
      schema.relations[0]!.from = ['claim', 'citation'];
      const result = await edit(h, { schema, renameLabels: [{ from: 'quote', to: 'citation' }], renameAttributes: [] });
      expect(withoutIds(result.session.schema)).toEqual(schema);
      expect(result.session.revision).toBe(1);
      expect(result).toMatchObject({ changed: [], removed: [], removedRelations: [] });

      const after = await everything(ws, docIds);
      const expected = before.map((d) => ({ ...d, annotations: d.annotations.map((a) => (a.label === 'quote' ? { ...a, label: 'citation' } : a)) }));
      expect(after).toEqual(expected);
      const filesAfter = fingerprintAll(ws.projectDir);
      const rewritten = Object.keys(filesAfter).filter((f) => filesAfter[f]!.mtimeMs !== filesBefore[f]?.mtimeMs);
      expect(rewritten).toEqual(['margin.json']);
      // The label keeps its id (its old name), so files written before the rename still mean it.
      const onDisk = JSON.parse(readFileSync(path.join(ws.projectDir, 'margin.json'), 'utf8')) as { schema: TagSchema; revision: number };
      expect(onDisk.revision).toBe(1);
      expect(onDisk.schema.labels[1]).toMatchObject({ id: 'quote', name: 'citation' });
      expect(existsSync(path.join(ws.projectDir, JOURNAL_FILE))).toBe(false);
      expect((await h.labelUsage({})).labels).toMatchObject({ citation: 4, claim: 4 });
    } finally {
      await ws.close();
    }
  });

  it('swaps two label names in one edit, and a new label never takes an id that still has annotations', async () => {
    const { ws, h, docIds } = await seeded();
    try {
      const schema = schemaCopy();
      [schema.labels[0]!.name, schema.labels[1]!.name] = ['quote', 'claim'];
      [schema.labels[0]!.attributes, schema.labels[1]!.attributes] = [schema.labels[1]!.attributes, schema.labels[0]!.attributes];
      const before = await h.listAnnotations({ docId: docIds[0]! });
      await edit(h, {
        schema,
        renameLabels: [
          { from: 'claim', to: 'quote' },
          { from: 'quote', to: 'claim' },
        ],
        renameAttributes: [],
      });
      const after = await h.listAnnotations({ docId: docIds[0]! });
      const swapped = (label: string) => (label === 'claim' ? 'quote' : label === 'quote' ? 'claim' : label);
      expect(after.map((a) => [a.id, a.label])).toEqual(before.map((a) => [a.id, swapped(a.label)]));
      expect(after.find((a) => a.label === 'claim')!.attributes).toMatchObject({ kind: 'direct' });
    } finally {
      await ws.close();
    }
  });

  it('renames an attribute keeping every value; an attribute removed from the schema keeps its stored values', async () => {
    const { ws, h, docIds } = await seeded();
    try {
      const schema = schemaCopy();
      schema.labels[1]!.attributes[0]!.name = 'who';
      schema.labels[2]!.attributes = schema.labels[2]!.attributes.filter((a) => a.name !== 'date');
      const result = await edit(h, { schema, renameLabels: [], renameAttributes: [{ label: 'quote', from: 'speaker', to: 'who' }] });
      expect(result.changed).toEqual([]);
      for (const docId of docIds) {
        const annotations = await h.listAnnotations({ docId });
        const quotes = annotations.filter((a) => a.label === 'quote');
        expect(quotes.map((q) => q.attributes).sort((a, b) => String(a.who).localeCompare(String(b.who)))).toEqual([
          { who: "alice's speaker", kind: 'direct' },
          { who: "bob's speaker", kind: 'direct' },
        ]);
        for (const event of annotations.filter((a) => a.label === 'event')) {
          expect(event.attributes).toEqual({ type: 'meeting', date: '2024-10-22' });
          expect(event.note).toBe('check the date');
        }
      }
      const usage = await h.labelUsage({});
      expect(usage.attributes).toMatchObject({ 'quote/who': 4, 'quote/kind': 4, 'event/type': 4 });
      expect(usage.attributes['quote/speaker']).toBeUndefined();
      // The stored date does not block an edit of another attribute, and stays.
      await h.setAnnotator({ name: 'alice' });
      const event = (await h.listAnnotations({ docId: docIds[0]! })).find((a) => a.label === 'event' && a.annotator === 'alice')!;
      const { after } = await h.updateAnnotation({ docId: docIds[0]!, annotationId: event.id, changes: { attributes: { type: 'statement' } } });
      expect(after.attributes).toEqual({ type: 'statement', date: '2024-10-22' });
    } finally {
      await ws.close();
    }
  });

  it('removing a label without confirming its deletion keeps its annotations, shown and counted as an unknown label, and mappable in one action', async () => {
    const { ws, h, docIds } = await seeded();
    try {
      const schema = schemaCopy();
      schema.labels = schema.labels.filter((l) => l.name !== 'source');
      schema.relations = [{ type: 'attributed-to', from: ['claim', 'quote'], to: ['event'] }];
      const result = await edit(h, { schema, renameLabels: [], renameAttributes: [] });
      expect(result.removed).toEqual([]);
      const annotations = await h.listAnnotations({ docId: docIds[0]! });
      expect(annotations).toHaveLength(8);
      expect(annotations.filter((a) => a.label === 'source')).toHaveLength(2);
      expect((await h.labelUsage({})).labels.source).toBe(4);
      expect((await h.listDocuments({})).find((d) => d.id === docIds[0])!.labelCounts.source).toBe(2);

      // One action maps it back for everyone: an alias in margin.json, no layer written.
      backdateAll(ws.projectDir);
      const filesBefore = fingerprintAll(ws.projectDir);
      const session = await h.getSession({});
      const mapped = await h.mapUnknownLabel({ from: 'source', to: 'claim', baseRevision: session.revision });
      expect(mapped.session.schema.labels.find((l) => l.name === 'claim')!.aliases).toEqual(['source']);
      expect((await h.listAnnotations({ docId: docIds[0]! })).filter((a) => a.label === 'claim')).toHaveLength(4);
      const filesAfter = fingerprintAll(ws.projectDir);
      expect(Object.keys(filesAfter).filter((f) => filesAfter[f]!.mtimeMs !== filesBefore[f]?.mtimeMs)).toEqual(['margin.json']);
      await expect(h.mapUnknownLabel({ from: 'nothing', to: 'claim', baseRevision: session.revision })).rejects.toMatchObject({ code: 'conflict' });
    } finally {
      await ws.close();
    }
  });

  it('deletes a label with its annotations only when confirmed against the current count; the undo restores everything exactly', async () => {
    const { ws, h, docIds } = await seeded();
    try {
      const projectDir = ws.projectDir;
      const usage = await h.labelUsage({});
      expect(usage.labels.source).toBe(4);
      const beforeView = await everything(ws, docIds);
      const beforeFiles = layerFiles(projectDir, docIds);
      expect(allRelations(beforeFiles)).toHaveLength(8);

      const oldSession = await h.getSession({});
      const schema = schemaCopy();
      schema.labels = schema.labels.filter((l) => l.name !== 'source');
      schema.labels[1]!.name = 'citation';
      schema.relations = [{ type: 'attributed-to', from: ['claim', 'citation'], to: ['event'] }];
      const args = { schema, renameLabels: [{ from: 'quote', to: 'citation' }], renameAttributes: [] };

      // A count that is no longer true (a colleague's source arrived since) is refused, and nothing changes.
      backdateAll(projectDir);
      const untouched = fingerprintAll(projectDir);
      await expect(edit(h, { ...args, deleteLabels: [{ label: 'source', annotations: 3 }] })).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringMatching(/"source" has 4 annotations now, not the 3 you confirmed/),
      });
      expect(fingerprintAll(projectDir)).toEqual(untouched);

      const result = await edit(h, { ...args, deleteLabels: [{ label: 'source', annotations: 4 }] });
      expect(result.removed.map((a) => a.label)).toEqual(['source', 'source', 'source', 'source']);
      expect(result.removedRelations.map((r) => r.id).sort()).toEqual(allRelations(beforeFiles).map((r) => r.id).sort());

      const files = layerFiles(projectDir, docIds);
      expect(allAnnotations(files).filter((a) => a.label === 'source')).toEqual([]);
      expect(allRelations(files)).toEqual([]);
      for (const view of await everything(ws, docIds)) {
        expect(view.annotations).toHaveLength(6);
        expect(view.relations).toEqual([]);
      }
      expect((await h.labelUsage({})).labels.source).toBeUndefined();

      // The undo the UI makes: old schema, reversed renames, and everything that came back.
      const undo = await edit(h, {
        schema: oldSession.schema,
        renameLabels: [{ from: 'citation', to: 'quote' }],
        renameAttributes: [],
        restore: { annotations: [...result.changed, ...result.removed], relations: result.removedRelations },
      });
      expect(undo.session.schema).toEqual(oldSession.schema);
      expect(layerFiles(projectDir, docIds)).toEqual(beforeFiles);
      expect(await everything(ws, docIds)).toEqual(beforeView);
      expect(await h.labelUsage({})).toEqual(usage);

      // And so it stays after a restart.
      await ws.close();
      const reopened = await Workspace.open({ userData: temps.userData(), projectDir, mode: 'browser' });
      try {
        expect(await everything(reopened, docIds)).toEqual(beforeView);
        expect((await reopened.handlers.getSession({})).schema).toEqual(oldSession.schema);
      } finally {
        await reopened.close();
      }
    } finally {
      await ws.close();
    }
  });

  it('a confirmed deletion changes nothing when a layer file cannot be read, and says which', async () => {
    const { ws, docIds } = await seeded();
    const projectDir = ws.projectDir;
    await ws.close();
    const broken = layerPath(projectDir, 'bob', docIds[1]!);
    writeFileSync(broken, '{"version":1,');
    backdateAll(projectDir);
    const reopened = await Workspace.open({ userData: temps.userData(), projectDir, mode: 'browser' });
    try {
      const before = fingerprintAll(projectDir);
      const schema = schemaCopy();
      schema.labels = schema.labels.filter((l) => l.name !== 'source');
      schema.relations = [{ type: 'attributed-to', from: ['claim', 'quote'], to: ['event'] }];
      const envelope = await dispatch(reopened.handlers, 'updateSchema', { schema, baseRevision: 0, deleteLabels: [{ label: 'source', annotations: 4 }] });
      expect(envelope.ok).toBe(false);
      if (!envelope.ok) expect(envelope.error.message).toContain(broken);
      expect(fingerprintAll(projectDir)).toEqual(before);
      expect(withoutIds((await reopened.handlers.getSession({})).schema)).toEqual(defaultSchema);
    } finally {
      await reopened.close();
    }
  });

  it('says nothing changed when margin.json cannot be written', async () => {
    const { ws, h, docIds } = await seeded();
    try {
      const projectDir = ws.projectDir;
      const beforeFiles = layerFiles(projectDir, docIds);
      const beforeView = await everything(ws, docIds);
      // margin.json replaced by a folder: renaming the new file over it fails.
      const file = path.join(projectDir, 'margin.json');
      const original = readFileSync(file);
      const { revision } = await h.getSession({});
      rmSync(file);
      mkdirSync(path.join(file, 'blocker'), { recursive: true });
      const schema = schemaCopy();
      schema.labels[1]!.name = 'citation';
      schema.relations[0]!.from = ['claim', 'citation'];
      const env = await dispatch(h, 'updateSchema', { schema, baseRevision: revision, renameLabels: [{ from: 'quote', to: 'citation' }] });
      expect(env.ok).toBe(false);
      if (!env.ok) {
        expect(['store', 'conflict']).toContain(env.error.code);
        expect(env.error.message).not.toMatch(/EISDIR|ENOENT|errno/);
      }
      expect(layerFiles(projectDir, docIds)).toEqual(beforeFiles);
      expect(await everything(ws, docIds)).toEqual(beforeView);
      expect(withoutIds((await h.getSession({})).schema)).toEqual(defaultSchema);
      rmSync(file, { recursive: true });
      writeFileSync(file, original);
    } finally {
      await ws.close();
    }
  });

  it('refuses a restore that would not fit, writing nothing', async () => {
    const { ws, h, docIds } = await seeded();
    try {
      backdateAll(ws.projectDir);
      const before = fingerprintAll(ws.projectDir);
      const [a] = await h.listAnnotations({ docId: docIds[0]! });
      const env = await dispatch(h, 'updateSchema', {
        schema: schemaCopy(),
        baseRevision: 0,
        restore: { annotations: [{ ...a!, id: 'new', end: 10_000 }], relations: [] },
      });
      expect(env.ok).toBe(false);
      if (!env.ok) expect(env.error.message).toMatch(/^restore\.annotations\.0\.end: /);
      const ghost = { id: 'r1', type: 'attributed-to', from: a!.id, to: 'nothing', annotator: a!.annotator };
      const env2 = await dispatch(h, 'updateSchema', { schema: schemaCopy(), baseRevision: 0, restore: { annotations: [], relations: [ghost] } });
      expect(!env2.ok && env2.error.message).toMatch(/restore\.relations\.0\.to: there is no annotation nothing/);
      expect(fingerprintAll(ws.projectDir)).toEqual(before);
    } finally {
      await ws.close();
    }
  });
});

describe('a schema edit from stale state is refused, never applied', () => {
  it('two windows: a recolour made on an older revision is refused and the label the other window added keeps its annotations', async () => {
    const { ws, h, docIds } = await seeded();
    try {
      const stale = await h.getSession({}); // window A loaded the schema
      // Window B adds a label and tags with it.
      const added = schemaCopy();
      added.labels.push({ name: 'person', color: '#444444', key: '5', attributes: [] });
      await edit(h, { schema: added, renameLabels: [], renameAttributes: [] });
      await h.setAnnotator({ name: 'alice' });
      await h.createAnnotations({ docId: docIds[0]!, spans: [{ label: 'person', start: 13, end: 20 }, { label: 'person', start: 0, end: 5 }] });
      backdateAll(ws.projectDir);
      const before = fingerprintAll(ws.projectDir);

      // Window A recolours claim on the schema it still holds (without 'person').
      const recoloured = structuredClone(stale.schema);
      recoloured.labels[0]!.color = '#7a1f1f';
      const env = await dispatch(h, 'updateSchema', { schema: recoloured, baseRevision: stale.revision });
      expect(env.ok).toBe(false);
      if (!env.ok) {
        expect(env.error.code).toBe('conflict');
        expect(env.error.message).toMatch(/changed since this window loaded it/);
      }
      expect(fingerprintAll(ws.projectDir)).toEqual(before);
      expect((await h.listAnnotations({ docId: docIds[0]! })).filter((a) => a.label === 'person')).toHaveLength(2);
      expect((await h.getSession({})).schema.labels.map((l) => l.name)).toContain('person');
    } finally {
      await ws.close();
    }
  });

  it("margin.json replaced on disk (a git merge of a colleague's rename) is read before the next edit: 13 annotations stay 13", async () => {
    const { ws, h, docIds } = await seeded();
    try {
      const count = async () => (await Promise.all(docIds.map((docId) => h.listAnnotations({ docId })))).flat().length;
      await h.setAnnotator({ name: 'alice' });
      await h.createAnnotations({ docId: docIds[0]!, spans: [{ label: 'quote', start: 0, end: 5 }] });
      const total = await count();
      expect(total).toBe(17);
      const stale = await h.getSession({});

      // The colleague renamed quote -> citation; git wrote their margin.json (their layers hold ids, so none changed).
      const file = path.join(ws.projectDir, 'margin.json');
      const theirs = JSON.parse(readFileSync(file, 'utf8')) as { schema: TagSchema; revision: number };
      theirs.schema.labels[1]!.name = 'citation';
      theirs.schema.relations[0]!.from = ['claim', 'citation'];
      theirs.revision += 1;
      writeFileSync(file, `${JSON.stringify(theirs, null, 2)}\n`);

      // Our window recolours claim on the old revision: refused, nothing lost.
      const recoloured = structuredClone(stale.schema);
      recoloured.labels[0]!.color = '#7a1f1f';
      await expect(h.updateSchema({ schema: recoloured, baseRevision: stale.revision, renameLabels: [], renameAttributes: [], deleteLabels: [] })).rejects.toMatchObject({ code: 'conflict' });
      expect(await count()).toBe(total);
      // Reloaded, the window sees the colleague's name on our own tags too, and can recolour.
      const current = await h.getSession({});
      expect(current.schema.labels[1]!.name).toBe('citation');
      const again = structuredClone(current.schema);
      again.labels[0]!.color = '#7a1f1f';
      await h.updateSchema({ schema: again, baseRevision: current.revision, renameLabels: [], renameAttributes: [], deleteLabels: [] });
      expect(await count()).toBe(total);
      expect((await h.labelUsage({})).labels.citation).toBe(5);
    } finally {
      await ws.close();
    }
  });

  it('a margin.json that no longer parses (conflict markers) is reported, never overwritten, and the last good schema stays', async () => {
    const { ws, h } = await seeded();
    try {
      const file = path.join(ws.projectDir, 'margin.json');
      const { revision } = await h.getSession({});
      writeFileSync(file, '<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> theirs\n');
      const session = await h.getSession({});
      expect(session.problem).toMatch(/margin\.json is not valid JSON/);
      expect(withoutIds(session.schema)).toEqual(defaultSchema);
      await expect(edit(h, { schema: schemaCopy(), renameLabels: [], renameAttributes: [] })).rejects.toMatchObject({ code: 'conflict' });
      expect(readFileSync(file, 'utf8')).toMatch(/^<<<<<<< HEAD/);
      expect(revision).toBe(0);
    } finally {
      await ws.close();
    }
  });
});

describe('projects from before label ids and revisions', () => {
  it('open as they are; the first rename writes ids into margin.json and leaves every layer file untouched', async () => {
    const { ws, docIds } = await seeded();
    const projectDir = ws.projectDir;
    const before = await everything(ws, docIds);
    await ws.close();
    // Today's format: margin.json without ids or revision.
    const file = path.join(projectDir, 'margin.json');
    const today = JSON.parse(readFileSync(file, 'utf8')) as { schema: TagSchema; revision?: number };
    delete today.revision;
    today.schema = withoutIds(today.schema);
    writeFileSync(file, `${JSON.stringify(today, null, 2)}\n`);
    backdateAll(projectDir);
    const filesBefore = fingerprintAll(projectDir);

    const reopened = await Workspace.open({ userData: temps.userData(), projectDir, mode: 'browser' });
    try {
      const rh = reopened.handlers;
      expect(await everything(reopened, docIds)).toEqual(before);
      expect((await rh.getSession({})).revision).toBe(0);
      const schema = schemaCopy();
      schema.labels[1]!.name = 'citation';
      schema.relations[0]!.from = ['claim', 'citation'];
      await edit(rh, { schema, renameLabels: [{ from: 'quote', to: 'citation' }], renameAttributes: [] });
      const filesAfter = fingerprintAll(projectDir);
      const rewritten = Object.keys(filesAfter).filter((f) => f !== '.margin.lock' && filesAfter[f]!.mtimeMs !== filesBefore[f]?.mtimeMs);
      expect(rewritten).toEqual(['margin.json']);
      const written = JSON.parse(readFileSync(file, 'utf8')) as { schema: TagSchema; revision: number };
      expect(written.revision).toBe(1);
      expect(written.schema.labels.map((l) => [l.id, l.name])).toEqual([
        ['claim', 'claim'],
        ['quote', 'citation'],
        ['event', 'event'],
        ['source', 'source'],
      ]);
      expect((await everything(reopened, docIds)).flatMap((d) => d.annotations).filter((a) => a.label === 'citation')).toHaveLength(4);
    } finally {
      await reopened.close();
    }
  });
});

describe('the schema journal (a confirmed deletion)', () => {
  /** The journal a confirmed deletion of `source` writes first, as if the process died right after. */
  async function crashAfterJournal(projectDir: string, docIds: string[]) {
    const store = await ProjectStore.open(projectDir);
    try {
      const layers = await store.allLayers();
      const schema = store.project.schema;
      const next = { ...schema, labels: schema.labels.filter((l) => l.name !== 'source'), relations: [] };
      const ops = layers.map((l) => ({
        annotator: l.annotator,
        docId: l.docId,
        removeAnnotations: l.annotations.filter((a) => a.label === 'source').map((a) => a.id),
        removeRelations: l.relations.map((r) => r.id),
        putAnnotations: [],
        putRelations: [],
      }));
      expect(ops).toHaveLength(2 * docIds.length);
      await writeJournal(projectDir, { version: 1, schema: next, revision: store.revision + 1, layers: ops });
    } finally {
      await store.close();
    }
  }

  it('is finished on the next open; readers see it done in memory before that, never half of it', async () => {
    const { ws, docIds } = await seeded();
    const projectDir = ws.projectDir;
    await ws.close();
    await crashAfterJournal(projectDir, docIds);
    const onDisk = layerFiles(projectDir, docIds);
    expect(allAnnotations(onDisk).filter((a) => a.label === 'source')).toHaveLength(4);

    // A read-only reader (margin export, margin agree) sees the edit as done and writes nothing.
    const readOnly = await ProjectStore.open(projectDir, { lock: false });
    expect(readOnly.project.schema.labels.map((l) => l.name)).not.toContain('source');
    const seen = await readOnly.allLayers();
    expect(seen.flatMap((l) => l.annotations).filter((a) => a.label === 'source')).toEqual([]);
    expect(seen.flatMap((l) => l.relations)).toEqual([]);
    await readOnly.close();
    expect(layerFiles(projectDir, docIds)).toEqual(onDisk);

    const reopened = await Workspace.open({ userData: temps.userData(), projectDir, mode: 'browser' });
    try {
      expect((await reopened.handlers.getSession({})).schema.labels.map((l) => l.name)).not.toContain('source');
      expect(existsSync(path.join(projectDir, JOURNAL_FILE))).toBe(false);
      const files = layerFiles(projectDir, docIds);
      expect(allAnnotations(files).filter((a) => a.label === 'source')).toEqual([]);
      expect(allAnnotations(files)).toHaveLength(12);
      expect(allRelations(files)).toEqual([]);
    } finally {
      await reopened.close();
    }
  });

  it('its replay never erases a write made after it: a tag added to a touched layer survives', async () => {
    const { ws, docIds } = await seeded();
    const projectDir = ws.projectDir;
    await ws.close();
    await crashAfterJournal(projectDir, docIds);
    // After the crash a tag reaches alice's layer (synced from her other machine) before the next open.
    const file = layerPath(projectDir, 'alice', docIds[0]!);
    const layer = JSON.parse(readFileSync(file, 'utf8')) as LayerFile;
    const late = { ...layer.annotations[0]!, id: 'late-tag', label: 'claim', start: 0, end: 5 };
    layer.annotations.push(late);
    writeFileSync(file, JSON.stringify(layer));

    const reopened = await Workspace.open({ userData: temps.userData(), projectDir, mode: 'browser' });
    try {
      const annotations = await reopened.handlers.listAnnotations({ docId: docIds[0]! });
      expect(annotations.map((a) => a.id)).toContain('late-tag');
      expect(annotations.filter((a) => a.label === 'source')).toEqual([]);
    } finally {
      await reopened.close();
    }
  });

  it('while it cannot be finished, writes to the layers it touches are refused with a message; once it can, they go through', async () => {
    const { ws, docIds } = await seeded();
    const projectDir = ws.projectDir;
    await ws.close();
    await crashAfterJournal(projectDir, docIds);
    // The journal also puts a record back into carol's layer, but a file stands where her folder
    // should be (as a full disk or a permission problem would stop the write): it cannot finish.
    const journalFile = path.join(projectDir, JOURNAL_FILE);
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { layers: unknown[] };
    journal.layers.push({ annotator: 'carol', docId: docIds[0]!, removeAnnotations: [], removeRelations: [], putAnnotations: [], putRelations: [] });
    writeFileSync(journalFile, JSON.stringify(journal));
    const blocker = path.join(projectDir, 'annotations', 'carol');
    writeFileSync(blocker, 'not a folder');

    const reopened = await Workspace.open({ userData: temps.userData(), projectDir, mode: 'browser' });
    try {
      const h = reopened.handlers;
      const session = await h.getSession({});
      expect(session.problem).toMatch(/could not be finished \(.*a file stands where a folder should be/);
      // Readers already see the edit as done.
      expect(session.schema.labels.map((l) => l.name)).not.toContain('source');
      expect((await h.listAnnotations({ docId: docIds[0]! })).filter((a) => a.label === 'source')).toEqual([]);
      // A tag on a document the edit touches waits for it; the edit cannot finish, so the tag is refused and nothing is written.
      await h.setAnnotator({ name: 'alice' });
      await expect(h.createAnnotations({ docId: docIds[0]!, spans: [{ label: 'claim', start: 0, end: 5 }] })).rejects.toMatchObject({
        message: expect.stringMatching(/could not be finished yet .*this change was not made/),
      });
      expect(existsSync(journalFile)).toBe(true);
      // Once the disk allows it, the next write finishes the edit first, then goes through.
      rmSync(blocker);
      const [tag] = await h.createAnnotations({ docId: docIds[0]!, spans: [{ label: 'claim', start: 0, end: 5 }] });
      expect(existsSync(journalFile)).toBe(false);
      const after = await h.listAnnotations({ docId: docIds[0]! });
      expect(after.map((a) => a.id)).toContain(tag!.id);
      expect(after.filter((a) => a.label === 'source')).toEqual([]);
      expect((await h.getSession({})).problem).toBeUndefined();
      const files = layerFiles(projectDir, docIds);
      expect(allAnnotations(files).filter((a) => a.label === 'source')).toEqual([]);
    } finally {
      await reopened.close();
    }
  });
});
