import { existsSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/services/dispatch';
import { MarginError } from '../../electron/services/errors';
import { LayerSet } from '../../electron/services/store/layerSet';
import { ProjectStore } from '../../electron/services/store/projectStore';
import { JOURNAL_FILE, writeJournal } from '../../electron/services/store/schemaJournal';
import { migrate } from '../../electron/services/editing/schemaMigration';
import { Workspace } from '../../electron/services/workspace';
import { defaultSchema } from '../../shared/defaultSchema';
import type { Annotation, LayerFile, Relation, TagSchema } from '../../shared/model';
import { schemaProblems } from '../../shared/schemaRules';
import { layerPath, listFilesRecursive, openWorkspace, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const schemaCopy = (): TagSchema => structuredClone(defaultSchema);

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
      const layer = JSON.parse(readFileSync(layerPath(projectDir, annotator, docId), 'utf8')) as LayerFile;
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
      const envelope = await dispatch(ws.handlers, 'updateSchema', { schema });
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
      expect((await ws.handlers.getSession({})).schema).toEqual(defaultSchema);
      expect((await ws.handlers.listAnnotations({ docId: docIds[0]! })).length).toBe(8);
    } finally {
      await ws.close();
    }
  });

  it('renames a label in every annotation of every layer and document, and keeps its links', async () => {
    const { ws, h, docIds } = await seeded();
    try {
      const before = await everything(ws, docIds);
      const quotes = before.flatMap((d) => d.annotations).filter((a) => a.label === 'quote');
      expect(quotes).toHaveLength(4);
      const schema = schemaCopy();
      schema.labels[1]!.name = 'citation';
      schema.relations[0]!.from = ['claim', 'citation'];
      const result = await h.updateSchema({ schema, renameLabels: [{ from: 'quote', to: 'citation' }], renameAttributes: [] });
      expect(result.session.schema).toEqual(schema);
      expect(result.removed).toEqual([]);
      expect(result.removedRelations).toEqual([]);
      expect(result.changed.sort((a, b) => a.id.localeCompare(b.id))).toEqual(quotes.sort((a, b) => a.id.localeCompare(b.id)));

      const after = await everything(ws, docIds);
      const expected = before.map((d) => ({ ...d, annotations: d.annotations.map((a) => (a.label === 'quote' ? { ...a, label: 'citation' } : a)) }));
      expect(after).toEqual(expected);
      // On disk, for both annotators, and in margin.json.
      const files = layerFiles(ws.projectDir, docIds);
      expect(allAnnotations(files).filter((a) => a.label === 'citation')).toHaveLength(4);
      expect(allAnnotations(files).filter((a) => a.label === 'quote')).toEqual([]);
      expect(JSON.parse(readFileSync(path.join(ws.projectDir, 'margin.json'), 'utf8')).schema).toEqual(schema);
      expect(existsSync(path.join(ws.projectDir, JOURNAL_FILE))).toBe(false);
      expect((await h.labelUsage({})).labels).toMatchObject({ citation: 4, claim: 4 });
    } finally {
      await ws.close();
    }
  });

  it('rewrites only margin.json when no annotation is affected (a new colour, a new label)', async () => {
    const { ws, h } = await seeded();
    try {
      backdateAll(ws.projectDir);
      const before = fingerprintAll(ws.projectDir);
      const schema = schemaCopy();
      schema.labels[0]!.color = '#7a1f1f';
      schema.labels.push({ name: 'person', color: '#444444', key: '5', attributes: [] });
      const result = await h.updateSchema({ schema, renameLabels: [], renameAttributes: [] });
      expect(result).toMatchObject({ changed: [], removed: [], removedRelations: [] });
      const after = fingerprintAll(ws.projectDir);
      const rewritten = Object.keys(after).filter((f) => after[f]!.mtimeMs !== before[f]?.mtimeMs);
      expect(rewritten).toEqual(['margin.json']);
    } finally {
      await ws.close();
    }
  });

  it('swaps two label names in one edit', async () => {
    const { ws, h, docIds } = await seeded();
    try {
      const schema = schemaCopy();
      [schema.labels[0]!.name, schema.labels[1]!.name] = ['quote', 'claim'];
      [schema.labels[0]!.attributes, schema.labels[1]!.attributes] = [schema.labels[1]!.attributes, schema.labels[0]!.attributes];
      const before = await h.listAnnotations({ docId: docIds[0]! });
      await h.updateSchema({
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
    } finally {
      await ws.close();
    }
  });

  it('renames an attribute, keeping every value, and drops values of attributes that are gone', async () => {
    const { ws, h, docIds } = await seeded();
    try {
      const schema = schemaCopy();
      schema.labels[1]!.attributes[0]!.name = 'who';
      schema.labels[2]!.attributes = schema.labels[2]!.attributes.filter((a) => a.name !== 'date');
      const result = await h.updateSchema({ schema, renameLabels: [], renameAttributes: [{ label: 'quote', from: 'speaker', to: 'who' }] });
      expect(result.changed).toHaveLength(8); // four quotes renamed, four events lose their date
      for (const docId of docIds) {
        const annotations = await h.listAnnotations({ docId });
        const quotes = annotations.filter((a) => a.label === 'quote');
        expect(quotes.map((q) => q.attributes).sort((a, b) => String(a.who).localeCompare(String(b.who)))).toEqual([
          { who: "alice's speaker", kind: 'direct' },
          { who: "bob's speaker", kind: 'direct' },
        ]);
        for (const event of annotations.filter((a) => a.label === 'event')) {
          expect(event.attributes).toEqual({ type: 'meeting' });
          expect(event.note).toBe('check the date');
        }
      }
      const usage = await h.labelUsage({});
      expect(usage.attributes).toMatchObject({ 'quote/who': 4, 'quote/kind': 4, 'event/type': 4 });
      expect(usage.attributes['quote/speaker']).toBeUndefined();
      expect(usage.attributes['event/date']).toBeUndefined();
    } finally {
      await ws.close();
    }
  });

  it('deletes a label in use (after labelUsage gave its count) with its links, and the undo call restores everything exactly', async () => {
    const { ws, h, docIds } = await seeded();
    try {
      const projectDir = ws.projectDir;
      const usage = await h.labelUsage({});
      expect(usage.labels.source).toBe(4);
      const beforeView = await everything(ws, docIds);
      const beforeFiles = layerFiles(projectDir, docIds);
      expect(allRelations(beforeFiles)).toHaveLength(8);

      // Delete `source` and, in the same edit, rename quote -> citation.
      const oldSchema = (await h.getSession({})).schema;
      const schema = schemaCopy();
      schema.labels = schema.labels.filter((l) => l.name !== 'source');
      schema.labels[1]!.name = 'citation';
      schema.relations = [{ type: 'attributed-to', from: ['claim', 'citation'], to: ['event'] }];
      const result = await h.updateSchema({ schema, renameLabels: [{ from: 'quote', to: 'citation' }], renameAttributes: [] });
      expect(result.removed.map((a) => a.label)).toEqual(['source', 'source', 'source', 'source']);
      expect(result.removedRelations.map((r) => r.id).sort()).toEqual(allRelations(beforeFiles).map((r) => r.id).sort());
      expect(result.changed.map((a) => a.label)).toEqual(['quote', 'quote', 'quote', 'quote']);

      const files = layerFiles(projectDir, docIds);
      expect(allAnnotations(files).filter((a) => a.label === 'source')).toEqual([]);
      expect(allRelations(files)).toEqual([]);
      for (const view of await everything(ws, docIds)) {
        expect(view.annotations).toHaveLength(6);
        expect(view.relations).toEqual([]);
      }
      expect((await h.labelUsage({})).labels.source).toBeUndefined();

      // The undo the UI makes: old schema, reversed renames, and everything that came back.
      const undo = await h.updateSchema({
        schema: oldSchema,
        renameLabels: [{ from: 'citation', to: 'quote' }],
        renameAttributes: [],
        restore: { annotations: [...result.changed, ...result.removed], relations: result.removedRelations },
      });
      expect(undo.session.schema).toEqual(oldSchema);
      expect(layerFiles(projectDir, docIds)).toEqual(beforeFiles);
      expect(await everything(ws, docIds)).toEqual(beforeView);
      expect(await h.labelUsage({})).toEqual(usage);

      // And so it stays after a restart.
      await ws.close();
      const reopened = await Workspace.open({ userData: temps.userData(), projectDir, mode: 'browser' });
      try {
        expect(await everything(reopened, docIds)).toEqual(beforeView);
        expect((await reopened.handlers.getSession({})).schema).toEqual(oldSchema);
      } finally {
        await reopened.close();
      }
    } finally {
      await ws.close();
    }
  });

  it('changes nothing when a layer file cannot be read, and says which', async () => {
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
      schema.labels[1]!.name = 'citation';
      schema.relations[0]!.from = ['claim', 'citation'];
      const envelope = await dispatch(reopened.handlers, 'updateSchema', { schema, renameLabels: [{ from: 'quote', to: 'citation' }] });
      expect(envelope.ok).toBe(false);
      if (!envelope.ok) expect(envelope.error.message).toContain(broken);
      expect(fingerprintAll(projectDir)).toEqual(before);
      expect((await reopened.handlers.getSession({})).schema).toEqual(defaultSchema);
    } finally {
      await reopened.close();
    }
  });

  it('puts back the layers it wrote when margin.json cannot be written, and says nothing changed', async () => {
    const { ws, h, docIds } = await seeded();
    try {
      const projectDir = ws.projectDir;
      const beforeFiles = layerFiles(projectDir, docIds);
      const beforeView = await everything(ws, docIds);
      // margin.json replaced by a folder: renaming the new file over it fails, after the layers are written.
      const file = path.join(projectDir, 'margin.json');
      const original = readFileSync(file);
      rmSync(file);
      mkdirSync(path.join(file, 'blocker'), { recursive: true });
      const schema = schemaCopy();
      schema.labels[1]!.name = 'citation';
      schema.relations[0]!.from = ['claim', 'citation'];
      const env = await dispatch(h, 'updateSchema', { schema, renameLabels: [{ from: 'quote', to: 'citation' }] });
      expect(env.ok).toBe(false);
      if (!env.ok) {
        expect(env.error.code).toBe('store');
        expect(env.error.message).toMatch(/could not be saved, so nothing was changed/);
      }
      expect(layerFiles(projectDir, docIds)).toEqual(beforeFiles);
      expect(await everything(ws, docIds)).toEqual(beforeView);
      expect((await h.getSession({})).schema).toEqual(defaultSchema);
      expect(existsSync(path.join(projectDir, JOURNAL_FILE))).toBe(false);
      rmSync(file, { recursive: true });
      writeFileSync(file, original);
    } finally {
      await ws.close();
    }
  });

  it('finishes on the next open an edit whose journal was written when the process died', async () => {
    const { ws, docIds } = await seeded();
    const projectDir = ws.projectDir;
    await ws.close();
    const schema = schemaCopy();
    schema.labels[1]!.name = 'citation';
    schema.relations[0]!.from = ['claim', 'citation'];

    // What commitSchema writes first, then a "crash": no layer and no margin.json written yet.
    const store = await ProjectStore.open(projectDir);
    let migrated: LayerFile[];
    try {
      const set = new LayerSet(await store.allLayers());
      migrate(set, { schema, renameLabels: [{ from: 'quote', to: 'citation' }], renameAttributes: [] });
      migrated = set.changed();
      expect(migrated).toHaveLength(4);
      await writeJournal(projectDir, { version: 1, schema, layers: migrated });
    } finally {
      await store.close();
    }
    // A read-only export does not touch it.
    const readOnly = await ProjectStore.open(projectDir, { lock: false });
    expect(readOnly.project.schema).toEqual(defaultSchema);
    await readOnly.close();
    expect(existsSync(path.join(projectDir, JOURNAL_FILE))).toBe(true);

    const reopened = await Workspace.open({ userData: temps.userData(), projectDir, mode: 'browser' });
    try {
      expect((await reopened.handlers.getSession({})).schema).toEqual(schema);
      expect(existsSync(path.join(projectDir, JOURNAL_FILE))).toBe(false);
      const files = layerFiles(projectDir, docIds);
      expect(allAnnotations(files).filter((a) => a.label === 'citation')).toHaveLength(4);
      expect(allAnnotations(files).filter((a) => a.label === 'quote')).toEqual([]);
      expect(allRelations(files)).toHaveLength(8);
    } finally {
      await reopened.close();
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
        restore: { annotations: [{ ...a!, id: 'new', end: 10_000 }], relations: [] },
      });
      expect(env.ok).toBe(false);
      if (!env.ok) expect(env.error.message).toMatch(/^restore\.annotations\.0\.end: /);
      const ghost = { id: 'r1', type: 'attributed-to', from: a!.id, to: 'nothing', annotator: a!.annotator };
      const env2 = await dispatch(h, 'updateSchema', { schema: schemaCopy(), restore: { annotations: [], relations: [ghost] } });
      expect(!env2.ok && env2.error.message).toMatch(/restore\.relations\.0\.to: there is no annotation nothing/);
      expect(fingerprintAll(ws.projectDir)).toEqual(before);
    } finally {
      await ws.close();
    }
  });
});
