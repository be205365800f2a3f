import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../electron/services/store/projectStore';
import { Workspace } from '../../electron/services/workspace';
import { MARGIN_BIN, REPO_ROOT, runMargin, samplePaths, TempDirs, type CliRun } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

/** Runs `node bin/margin.js ...` as a user would, with a private MARGIN_USER_DATA. */
const margin = (args: string[], userData = temps.make('margin-cli-ud-')): Promise<CliRun> => runMargin(args, userData);

const EMOJI_ARTICLE = [
  'Blinken 👍🏽 visit: “we will” 𝒳',
  '',
  '👍🏽 Blinken said 𝒳 is “capitalize” on the moment — 🇫🇷 officials agreed, café e\u0301.',
  '',
].join('\r\n');

interface JsonlLine {
  id: string;
  title: string;
  text: string;
  annotations: Array<{ id: string; label: string; start: number; end: number; text: string; annotator: string; attributes: unknown; note: unknown }>;
}

describe('margin import', () => {
  it('imports files into a new project, prints a summary, and exits 0', async () => {
    const projectDir = path.join(temps.make(), 'does', 'not', 'exist');
    const run = await margin(['import', '--project', projectDir, ...samplePaths()]);
    expect(run.stderr).not.toMatch(/failed/);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('Imported 4 articles (1 near-duplicate of another article).');
    expect(existsSync(path.join(projectDir, 'margin.json'))).toBe(true);
    expect(readdirSync(path.join(projectDir, 'documents'))).toHaveLength(4);
    // The lock is released when the command ends.
    expect(existsSync(path.join(projectDir, '.margin.lock'))).toBe(false);

    // Again into the same project: duplicates, nothing new.
    const again = await margin(['import', '--project', projectDir, samplePaths()[0]!]);
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe('Imported 0 articles; 1 already in the project.');
    expect(again.stderr).toMatch(/duplicate/);
  });

  it('exits non-zero when a file fails, naming it, and still imports the others', async () => {
    const dir = temps.make();
    const projectDir = path.join(dir, 'empty-project');
    mkdirSync(projectDir); // an existing empty folder becomes a project too
    const png = path.join(dir, 'photo.txt');
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
    const empty = path.join(dir, 'empty.txt');
    writeFileSync(empty, '');
    const run = await margin(['import', '--project', projectDir, png, samplePaths()[1]!, empty, path.join(dir, 'missing.txt')]);
    expect(run.code).toBe(1);
    expect(run.stdout.trim()).toBe('Imported 1 article; 3 failed.');
    expect(run.stderr).toContain('photo.txt');
    expect(run.stderr).toContain('empty.txt');
    expect(run.stderr).toContain('missing.txt');
    expect(readdirSync(path.join(projectDir, 'documents'))).toHaveLength(1);
  });

  it('refuses a folder that is neither empty nor a project, and a project open elsewhere', async () => {
    const dir = temps.make();
    writeFileSync(path.join(dir, 'notes.txt'), 'my own files');
    const run = await margin(['import', '--project', dir, samplePaths()[0]!]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/is not a Margin project/);
    expect(readdirSync(dir)).toEqual(['notes.txt']);

    const projectDir = path.join(temps.make(), 'p');
    const store = await ProjectStore.open(projectDir); // this (live) test process holds the lock
    try {
      const locked = await margin(['import', '--project', projectDir, samplePaths()[0]!]);
      expect(locked.code).not.toBe(0);
      expect(locked.stderr).toMatch(/open in another Margin process/);
      expect(store.listDocuments()).toEqual([]);
      expect(readdirSync(path.join(projectDir, 'documents'))).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('explains its usage and rejects unknown commands', async () => {
    const help = await margin(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/margin import --project DIR PATH/);
    const unknown = await margin(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command "frobnicate"/);
    const noProject = await margin(['import', samplePaths()[0]!]);
    expect(noProject.code).toBe(2);
    expect(noProject.stderr).toMatch(/--project DIR is required/);
  });
});

describe('margin export', () => {
  /** A project with the emoji article and annotations made through the API, closed again. */
  async function annotatedProject(): Promise<{ projectDir: string; docId: string; text: string; spans: string[] }> {
    const projectDir = path.join(temps.make(), 'project');
    const articleFile = path.join(temps.make(), 'emoji.txt');
    writeFileSync(articleFile, `\uFEFF${EMOJI_ARTICLE}`);
    const imported = await margin(['import', '--project', projectDir, articleFile]);
    expect(imported.code).toBe(0);

    const ws = await Workspace.open({ userData: temps.userData(), projectDir, mode: 'browser' });
    try {
      const h = ws.handlers;
      await h.setAnnotator({ name: 'alice' });
      const [summary] = await h.listDocuments({});
      const { text } = await h.getDocument({ docId: summary!.id });
      const spans = ['👍🏽 Blinken said 𝒳', '𝒳', '“capitalize”', '🇫🇷 officials agreed, café e\u0301'.normalize('NFC'), 'Blinken'];
      for (const [i, needle] of spans.entries()) {
        const start = text.indexOf(needle, i === 4 ? text.indexOf('\n') : 0);
        expect(start, needle).toBeGreaterThanOrEqual(0);
        await h.createAnnotation({ docId: summary!.id, label: i % 2 ? 'quote' : 'claim', start, end: start + needle.length });
      }
      await h.setAnnotator({ name: 'bob' });
      const s = text.indexOf('moment');
      await h.createAnnotation({ docId: summary!.id, label: 'event', start: s, end: s + 'moment'.length });
      return { projectDir, docId: summary!.id, text, spans: [...spans, 'moment'] };
    } finally {
      await ws.close();
    }
  }

  // Four margin runs (two imports, an export, then Python reading it): a loaded machine needs more than the default limit.
  it('writes one JSON object per document per line with code-point offsets Python can slice', async () => {
    const { projectDir, docId, text, spans } = await annotatedProject();
    const sampleImport = await margin(['import', '--project', projectDir, ...samplePaths()]);
    expect(sampleImport.code).toBe(0);

    const run = await margin(['export', '--project', projectDir, '--format', 'jsonl']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(5);
    const docs = lines.map((l) => JSON.parse(l) as JsonlLine);
    for (const doc of docs) {
      expect(Object.keys(doc)).toEqual(['id', 'title', 'meta', 'text', 'annotations', 'relations', 'status']);
      for (const a of doc.annotations) {
        expect(Object.keys(a)).toEqual(['id', 'label', 'start', 'end', 'text', 'annotator', 'attributes', 'note']);
      }
    }
    const emoji = docs.find((d) => d.id === docId)!;
    expect(emoji.text).toBe(text);
    expect(emoji.text).not.toMatch(/[\r\uFEFF]/);
    expect(emoji.title).toBe('Blinken 👍🏽 visit: “we will” 𝒳');
    expect(emoji.annotations.map((a) => a.text).sort()).toEqual([...spans].sort());
    expect(new Set(emoji.annotations.map((a) => a.annotator))).toEqual(new Set(['alice', 'bob']));
    for (const a of emoji.annotations) {
      // What Python's text[start:end] does: slice by code points.
      expect([...emoji.text].slice(a.start, a.end).join('')).toBe(a.text);
      expect(a.note).toBeNull();
    }
    // Offsets really are code points here, not UTF-16 indices (the first span starts after 👍🏽 = 2 points, 4 units).
    const first = emoji.annotations.find((a) => a.text === '👍🏽 Blinken said 𝒳')!;
    expect(first.end - first.start).toBe([...'👍🏽 Blinken said 𝒳'].length);
    expect(first.end - first.start).toBeLessThan('👍🏽 Blinken said 𝒳'.length);

    // --out writes the same bytes to a file and says where on stderr.
    const outFile = path.join(temps.make(), 'dataset.jsonl');
    const toFile = await margin(['export', '--project', projectDir, '--format', 'jsonl', '--out', outFile]);
    expect(toFile.code).toBe(0);
    expect(toFile.stdout).toBe('');
    expect(toFile.stderr).toContain(outFile);
    expect(readFileSync(outFile, 'utf8')).toBe(run.stdout);

    // And with real Python, when there is one.
    const python = spawnSync('python3', ['--version']);
    if (python.error || python.status !== 0) {
      console.warn('python3 is not available: skipping the real-Python slice check');
      return;
    }
    const check = spawnSync(
      'python3',
      [
        '-c',
        [
          'import json, sys',
          'n = 0',
          'for line in open(sys.argv[1], encoding="utf-8"):',
          '    doc = json.loads(line)',
          '    for a in doc["annotations"]:',
          '        assert doc["text"][a["start"]:a["end"]] == a["text"], (doc["id"], a)',
          '        n += 1',
          'print(n)',
        ].join('\n'),
        outFile,
      ],
      { encoding: 'utf8' },
    );
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    expect(Number(check.stdout.trim())).toBe(spans.length);
  }, 120_000);

  it('exports attributes, notes, links (by annotation id) and each annotator\'s status', async () => {
    const projectDir = path.join(temps.make(), 'project');
    const ws = await Workspace.open({ userData: temps.userData(), projectDir, mode: 'browser' });
    let ids: { quote: string; source: string; relation: string; docId: string; other: string; bobClaim: string; bobLink: string };
    try {
      const h = ws.handlers;
      await h.setAnnotator({ name: 'alice' });
      const [first, second] = (await h.loadSamples({})).imported;
      const { text } = await h.getDocument({ docId: first!.docId });
      const blinken = text.indexOf('Blinken');
      const [quote, source] = await h.createAnnotations({
        docId: first!.docId,
        spans: [
          { label: 'quote', start: 0, end: 30 },
          { label: 'source', start: blinken, end: blinken + 'Blinken'.length },
        ],
      });
      await h.updateAnnotation({ docId: first!.docId, annotationId: quote!.id, changes: { attributes: { speaker: 'Blinken', kind: 'direct' }, note: 'check' } });
      const relation = await h.createRelation({ docId: first!.docId, type: 'attributed-to', from: quote!.id, to: source!.id });
      await h.setDocumentStatus({ docId: first!.docId, status: 'done' });
      // Bob links his own claim to Alice's source: a link lives in its annotator's layer.
      await h.setAnnotator({ name: 'bob' });
      const bobClaim = await h.createAnnotation({ docId: first!.docId, label: 'claim', start: 40, end: 60 });
      const bobLink = await h.createRelation({ docId: first!.docId, type: 'attributed-to', from: bobClaim.id, to: source!.id });
      await h.createAnnotation({ docId: second!.docId, label: 'claim', start: 0, end: 20 });
      ids = { quote: quote!.id, source: source!.id, relation: relation.id, docId: first!.docId, other: second!.docId, bobClaim: bobClaim.id, bobLink: bobLink.id };
    } finally {
      await ws.close();
    }
    const run = await margin(['export', '--project', projectDir, '--format', 'jsonl']);
    expect(run.code, run.stderr).toBe(0);
    const docs = run.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as JsonlLine & { relations: unknown[]; status: Record<string, string> });
    const doc = docs.find((d) => d.id === ids.docId)!;
    expect(doc.relations).toEqual([
      { id: ids.relation, type: 'attributed-to', from: ids.quote, to: ids.source, annotator: 'alice' },
      { id: ids.bobLink, type: 'attributed-to', from: ids.bobClaim, to: ids.source, annotator: 'bob' },
    ]);
    expect(Object.keys(doc.relations[0] as object)).toEqual(['id', 'type', 'from', 'to', 'annotator']);
    expect(doc.annotations.find((a) => a.id === ids.quote)).toMatchObject({ attributes: { speaker: 'Blinken', kind: 'direct' }, note: 'check' });
    expect(doc.status).toEqual({ alice: 'done', bob: 'in-progress' });
    expect(docs.find((d) => d.id === ids.other)!.status).toEqual({ bob: 'in-progress' });
    expect(docs.filter((d) => d.id !== ids.docId).every((d) => d.relations.length === 0)).toBe(true);
  });

  it('rejects an unknown format with a clear message and a non-zero exit', async () => {
    const projectDir = path.join(temps.make(), 'p');
    const run = await margin(['export', '--project', projectDir, '--format', 'xlsx']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/--format: "xlsx" is not supported; choose one of jsonl/);
    expect(run.stdout).toBe('');
  });
});

describe('margin serve', () => {
  const built = existsSync(path.join(REPO_ROOT, 'out', 'renderer', 'index.html'));
  if (!built) console.warn('out/renderer/index.html is missing (run npm run build): skipping the `margin serve` test');

  it.skipIf(!built)('prints exactly one line with the URL and token, serves the UI, and stops cleanly', async () => {
    const projectDir = path.join(temps.make(), 'served');
    const userData = temps.make('margin-serve-ud-');
    const child = spawn(process.execPath, [MARGIN_BIN, 'serve', '--project', projectDir, '--port', '0'], {
      cwd: REPO_ROOT,
      env: { ...process.env, MARGIN_USER_DATA: userData },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString('utf8');
          if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!);
        });
        child.on('close', () => reject(new Error(`serve exited early: ${stderr}`)));
      });
      const match = /^Margin is running at http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+)$/.exec(firstLine);
      expect(match, firstLine).not.toBeNull();
      const [url, port, token] = [firstLine.slice('Margin is running at '.length), Number(match![1]), match![2]!];
      expect(port).toBeGreaterThan(0);

      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html/i);
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(401);
      const api = await fetch(`http://127.0.0.1:${port}/api/getSession`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
      expect(api.status).toBe(200);
      const session = (await api.json()) as { ok: boolean; value: { mode: string; project: { dir: string } } };
      expect(session).toMatchObject({ ok: true, value: { mode: 'browser', project: { dir: projectDir } } });
      // Settings went to MARGIN_USER_DATA, not the real home folder.
      expect(existsSync(path.join(userData, 'settings.json'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await exited;
    expect(code).toBe(0);
    expect(stdout.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(existsSync(path.join(projectDir, '.margin.lock'))).toBe(false);
  });
});

describe('margin import of folders, with progress', () => {
  it('walks a folder recursively, prints one progress line per file on stderr, the summary on stdout, and exits 1 when a file failed', async () => {
    const dir = temps.make();
    const inbox = path.join(dir, 'inbox');
    mkdirSync(path.join(inbox, 'week 1'), { recursive: true });
    mkdirSync(path.join(inbox, '.cache'), { recursive: true });
    const samples = samplePaths();
    writeFileSync(path.join(inbox, 'week 1', 'a.txt'), readFileSync(samples[0]!));
    writeFileSync(path.join(inbox, 'week 1', 'b.txt'), readFileSync(samples[2]!));
    writeFileSync(path.join(inbox, 'c.txt'), readFileSync(samples[3]!));
    writeFileSync(path.join(inbox, 'broken.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    writeFileSync(path.join(inbox, '.cache', 'skip.txt'), 'hidden');
    const projectDir = path.join(dir, 'project');

    const run = await margin(['import', '--project', projectDir, inbox, samples[1]!]);
    expect(run.code).toBe(1);
    const progress = run.stderr.split('\n').filter((l) => l.startsWith('['));
    expect(progress).toEqual(['[1/5] inbox/broken.txt', '[2/5] inbox/c.txt', '[3/5] inbox/week 1/a.txt', '[4/5] inbox/week 1/b.txt', `[5/5] ${path.basename(samples[1]!)}`]);
    expect(run.stderr).toMatch(new RegExp(`failed +${path.join(inbox, 'broken.txt').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: binary`));
    // b.txt (the Khaleej Times copy) nearly repeats c.txt (the rewrite), imported just before it.
    expect(run.stderr).toMatch(/near-duplicate b\.txt \([0-9a-f]{16}\) nearly repeats ".+" \([0-9a-f]{16}\)/);
    expect(run.stdout.trim()).toBe('Imported 4 articles (1 near-duplicate of another article); 1 failed.');
    expect(readdirSync(path.join(projectDir, 'documents'))).toHaveLength(4);

    // All good the second time: duplicates only, exit 0.
    const again = await margin(['import', '--project', projectDir, path.join(inbox, 'week 1')]);
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe('Imported 0 articles; 2 already in the project.');
  });
});

describe('margin export: document metadata', () => {
  it('gives every line a meta object with the same keys: edits applied, null when unknown, near-duplicate ids', async () => {
    const projectDir = path.join(temps.make(), 'project');
    const imported = await margin(['import', '--project', projectDir, ...samplePaths()]);
    expect(imported.code).toBe(0);
    const ws = await Workspace.open({ userData: temps.userData(), projectDir, mode: 'browser' });
    const byFile: Record<string, string> = {};
    try {
      const list = await ws.handlers.listDocuments({});
      for (const d of list) byFile[(await ws.handlers.getDocument({ docId: d.id })).fileName!] = d.id;
      await ws.handlers.setAnnotator({ name: 'Ana' });
      await ws.handlers.updateDocumentMeta({ docId: byFile['000_0a5fdd5987a87f4f.txt']!, meta: { title: 'Blinken in Israel after Sinwar', author: 'Staff', url: 'https://example.com/x' } });
    } finally {
      await ws.close();
    }
    const run = await margin(['export', '--project', projectDir, '--format', 'jsonl']);
    expect(run.code, run.stderr).toBe(0);
    const docs = run.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { id: string; title: string; meta: Record<string, unknown> });
    expect(docs).toHaveLength(4);
    for (const doc of docs) {
      expect(Object.keys(doc.meta)).toEqual(['title', 'outlet', 'author', 'published', 'url', 'language', 'fileName', 'importedAt', 'nearDuplicates']);
      expect(doc.meta.title).toBe(doc.title);
      expect(typeof doc.meta.importedAt).toBe('string');
      for (const value of Object.values(doc.meta)) expect(value).not.toBeUndefined();
    }
    const edited = docs.find((d) => d.id === byFile['000_0a5fdd5987a87f4f.txt'])!;
    expect(edited.title).toBe('Blinken in Israel after Sinwar');
    expect(edited.meta).toMatchObject({ title: 'Blinken in Israel after Sinwar', author: 'Staff', url: 'https://example.com/x', fileName: '000_0a5fdd5987a87f4f.txt', nearDuplicates: [] });
    expect(edited.meta.language).toBeNull();
    const tour = ['002_e7f105aa316f8cda.txt', '003_6daa1d6b280d8e7e.txt'].map((f) => docs.find((d) => d.id === byFile[f])!);
    expect(tour[0]!.meta.nearDuplicates).toEqual([tour[1]!.id]);
    expect(tour[1]!.meta.nearDuplicates).toEqual([tour[0]!.id]);
    expect(docs.filter((d) => (d.meta.nearDuplicates as string[]).length > 0)).toHaveLength(2);
  });

  it('stops with the file named when a metadata file is corrupt, and leaves it alone', async () => {
    const projectDir = path.join(temps.make(), 'project');
    expect((await margin(['import', '--project', projectDir, samplePaths()[0]!])).code).toBe(0);
    const [docFile] = readdirSync(path.join(projectDir, 'documents'));
    const metaFile = path.join(projectDir, 'metadata', docFile!);
    mkdirSync(path.dirname(metaFile), { recursive: true });
    writeFileSync(metaFile, '{ not json');
    const run = await margin(['export', '--project', projectDir, '--format', 'jsonl']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(metaFile);
    expect(run.stdout).toBe('');
    expect(readFileSync(metaFile, 'utf8')).toBe('{ not json');
  });
});
