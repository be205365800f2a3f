import { appendFileSync, chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli';
import type { Workspace } from '../../electron/services/workspace';
import type { TagSchema } from '../../shared/model';
import { schemaProblems } from '../../shared/schemaRules';
import { samplePaths, spanOf, TempDirs } from './helpers';
import { bareRemote, cloneOf, git, isolateGit, runSync, syncThroughApi, workspaceAs } from './teamFixture';

const temps = new TempDirs();
const open: Workspace[] = [];

beforeEach(() => isolateGit(temps));
afterEach(async () => {
  for (const w of open.splice(0)) await w.close();
  temps.cleanup();
});

async function as(dir: string, name: string): Promise<Workspace> {
  const workspace = await workspaceAs(temps, dir, name);
  open.push(workspace);
  return workspace;
}

/** Tags `needles` (as `label`) in the first document of the project; returns the document's id. */
async function tag(workspace: Workspace, needles: string[], label = 'claim', docIndex = 0): Promise<string> {
  const doc = (await workspace.handlers.listDocuments({})).sort((a, b) => a.id.localeCompare(b.id))[docIndex]!;
  const { text } = await workspace.handlers.getDocument({ docId: doc.id });
  await workspace.handlers.createAnnotations({ docId: doc.id, spans: needles.map((n) => ({ label, ...spanOf(text, n) })) });
  return doc.id;
}

/** Ana's project, made a repository by her first Sync and pushed to a fresh bare remote. */
async function sharedProject(): Promise<{ remote: string; anaDir: string; ana: Workspace }> {
  const remote = bareRemote(temps);
  const anaDir = path.join(temps.make(), 'ana');
  const ana = await as(anaDir, 'Ana');
  await ana.importPaths(samplePaths().slice(0, 2));
  await syncThroughApi(ana);
  git(anaDir, 'remote', 'add', 'origin', remote);
  const { report } = await syncThroughApi(ana);
  expect(report.ok, report.summary).toBe(true);
  return { remote, anaDir, ana };
}

describe('Sync on its own', () => {
  it('makes a folder that is not a git repository one, commits, and says exactly how to add a remote', async () => {
    const dir = path.join(temps.make(), 'project');
    const ana = await as(dir, 'Ana');
    await ana.importPaths(samplePaths().slice(0, 2));
    await tag(ana, ['Antony Blinken', 'Hamas']);

    const { report, steps } = await syncThroughApi(ana);
    expect(report.initialised).toBe(true);
    expect(report.summary).toContain('This folder was not a git repository: Margin made it one (git init)');
    expect(report.committed).toBe('Ana: 2 annotations added in 1 document; 2 new documents');
    expect(report.ok).toBe(false);
    expect(report.pushed).toBe(false);
    expect(report.summary).toContain('this project has no remote to share it through');
    expect(report.summary).toContain('git remote add origin URL');
    expect(steps).toContain('committing');

    // Committed as the annotator (git has no identity configured here), with Margin's .gitignore.
    expect(git(dir, 'log', '--format=%an <%ae>|%s')).toBe('Ana <Ana@margin.invalid>|Ana: 2 annotations added in 1 document; 2 new documents');
    const tracked = git(dir, 'ls-files').split('\n');
    expect(tracked).toEqual(expect.arrayContaining(['.gitignore', '.gitattributes', 'margin.json']));
    expect(tracked.filter((f) => f.startsWith('documents/'))).toHaveLength(2);
    expect(tracked.filter((f) => f.startsWith('annotations/Ana/'))).toHaveLength(1);
    expect(existsSync(path.join(dir, '.margin.lock'))).toBe(true);
    expect(git(dir, 'status', '--porcelain')).toBe(''); // the lock is ignored, everything else committed

    // A second Sync with nothing new commits nothing and says the same about the remote.
    const again = (await syncThroughApi(ana)).report;
    expect(again.initialised).toBe(false);
    expect(again.committed).toBeNull();
    expect(again.summary).toContain('git remote add origin URL');
    expect(git(dir, 'rev-list', '--count', 'HEAD')).toBe('1');
  });

  it('names the remote that cannot be reached and keeps the work committed', async () => {
    const dir = path.join(temps.make(), 'project');
    const ana = await as(dir, 'Ana');
    await ana.importPaths(samplePaths().slice(0, 1));
    await syncThroughApi(ana);
    git(dir, 'remote', 'add', 'origin', path.join(temps.make(), 'nowhere.git'));
    await tag(ana, ['Antony Blinken']);
    const { report } = await syncThroughApi(ana);
    expect(report.ok).toBe(false);
    expect(report.committed).toBe('Ana: 1 annotation added in 1 document');
    expect(report.summary).toMatch(/^Your work is committed here, but the remote origin could not be reached: .*nowhere\.git.*Check the address \(git remote -v\)/);
    expect(report.summary).not.toMatch(/ENOENT|at .*\.ts:\d+/);
  });

  it('refuses, with what to do, a project inside another repository', async () => {
    const outer = temps.make();
    git(outer, 'init', '-q');
    const ana = await as(path.join(outer, 'project'), 'Ana');
    const { progress } = await runSync(ana);
    expect(progress.error).toMatch(/is inside the git repository .* not a repository of its own\. .*move the project out of/);
    expect(git(outer, 'rev-list', '--all')).toBe('');
  });
});

describe('Sync between colleagues', () => {
  it("sends one's work, brings in a colleague's and says what came in", async () => {
    const { remote, ana } = await sharedProject();
    const benDir = cloneOf(remote, path.join(temps.make(), 'ben'));
    const ben = await as(benDir, 'Ben');
    await tag(ben, ['Antony Blinken', 'Hamas'], 'quote', 0);
    await tag(ben, ['Blinken'], 'event', 1);
    const sent = await syncThroughApi(ben);
    expect(sent.report).toMatchObject({ ok: true, pushed: true, remote: 'origin/main', incoming: [], committed: 'Ben: 3 annotations added in 2 documents' });
    expect(sent.report.summary).toBe('Synced with origin/main. Nothing new from the team. Sent: Ben: 3 annotations added in 2 documents.');
    expect(sent.steps).toEqual(expect.arrayContaining(['committing', 'pulling', 'pushing']));

    const { report } = await syncThroughApi(ana);
    expect(report.incoming).toEqual(['Ben: 3 new annotations in 2 documents']);
    expect(report.summary).toBe('Synced with origin/main. Ben: 3 new annotations in 2 documents.');
    expect(report.pulled).toBe(true);
    expect(report.conflicts).toEqual([]);
    // The open project sees Ben's layer at once.
    const docs = await ana.handlers.listDocuments({});
    expect(docs.reduce((n, d) => n + d.annotationCount, 0)).toBe(3);
    expect(docs.some((d) => d.statuses.Ben === 'in-progress')).toBe(true);
  });

  it("sends the adjudication (gold) layer it wrote, and names a colleague's file it leaves alone", async () => {
    const { remote, ana } = await sharedProject();
    const benDir = cloneOf(remote, path.join(temps.make(), 'ben'));
    const ben = await as(benDir, 'Ben');
    const docId = await tag(ben, ['Hamas']);
    await syncThroughApi(ben);
    await tag(ana, ['Hamas']);
    await syncThroughApi(ana);
    await ana.handlers.adjudicate({ docId, gold: 'gold', annotators: ['Ana', 'Ben'], action: { kind: 'accept-agreed' } });
    // Some tool touched Ben's file in Ana's folder: Ben's file is Ben's to send.
    const bens = path.join(ana.projectDir, 'annotations', 'Ben', `${docId}.json`);
    writeFileSync(bens, `${readFileSync(bens, 'utf8')}\n`);

    const { report } = await syncThroughApi(ana);
    expect(report.committed).toBe('Ana: gold layer: 1 annotation added in 1 document');
    expect(report.notes).toEqual([
      `Not sent: 1 changed file that is not yours (annotations/Ben/${docId}.json). Sync sends only your own annotations and metadata, adjudication (gold) layers, new documents and the tag schema.`,
    ]);
    expect((await syncThroughApi(ben)).report.incoming).toEqual(['Ana: 1 new annotation in 1 document', 'gold: 1 new annotation in 1 document']);
  });

  it("merges margin.json by label: one-sided changes both kept, a colour both changed keeps the colleague's, and says so", async () => {
    const { remote, anaDir, ana } = await sharedProject();
    const ben = await as(cloneOf(remote, path.join(temps.make(), 'ben')), 'Ben');

    const edit = async (w: Workspace, change: (schema: TagSchema) => void, renameLabels: { from: string; to: string }[] = []) => {
      const session = await w.handlers.getSession({});
      const schema = structuredClone(session.schema);
      change(schema);
      await w.handlers.updateSchema({ schema, renameLabels, renameAttributes: [], baseRevision: session.revision, deleteLabels: [] });
    };
    await edit(ana, (s) => {
      s.labels.find((l) => l.name === 'claim')!.color = '#6d28d9';
      s.labels.push({ name: 'person', color: '#0f766e', key: '5', attributes: [] });
    });
    await edit(
      ben,
      (s) => {
        s.labels.find((l) => l.name === 'claim')!.color = '#9a3412';
        s.labels.find((l) => l.name === 'quote')!.name = 'citation';
        s.relations[0]!.from = s.relations[0]!.from.map((n) => (n === 'quote' ? 'citation' : n));
      },
      [{ from: 'quote', to: 'citation' }],
    );
    expect((await syncThroughApi(ana)).report.ok).toBe(true);

    const { report } = await syncThroughApi(ben);
    expect(report.conflicts).toEqual(['margin.json']);
    expect(report.ok).toBe(true);
    expect(report.notes).toEqual([
      'Label "claim": you changed its colour to #9a3412 and a colleague changed it to #6d28d9. The colleague\'s #6d28d9 was kept (it is already shared with the team); if yours should stand, set it again in Tags… and Sync.',
    ]);
    const session = await ben.handlers.getSession({});
    const byName = Object.fromEntries(session.schema.labels.map((l) => [l.name, l]));
    expect(Object.keys(byName).sort()).toEqual(['citation', 'claim', 'event', 'person', 'source']);
    expect(byName.claim!.color).toBe('#6d28d9');
    expect(session.schema.relations[0]!.from).toEqual(['claim', 'citation']);
    expect(schemaProblems(session.schema)).toEqual([]);
    expect(session.revision).toBe(2); // both edits were made from 0 and made it 1: max + 1
    const onDisk = readFileSync(path.join(ben.projectDir, 'margin.json'), 'utf8');
    expect(onDisk).not.toMatch(/^(<<<<<<<|=======|>>>>>>>)/m);

    // Ana gets the merged schema as it is: no second merge.
    const back = (await syncThroughApi(ana)).report;
    expect(back.conflicts).toEqual([]);
    expect(back.incoming).toContain('The tag schema changed');
    expect(readFileSync(path.join(anaDir, 'margin.json'), 'utf8')).toBe(onDisk);
  });

  it('one annotator on two computers: their layer is merged record by record', async () => {
    const { remote, ana } = await sharedProject();
    const laptop = await as(cloneOf(remote, path.join(temps.make(), 'laptop')), 'Ana');
    // The same place in the same file on both computers: git cannot merge it line by line.
    const docId = await tag(ana, ['Antony Blinken'], 'claim');
    await tag(laptop, ['Antony Blinken'], 'quote');
    await laptop.handlers.setDocumentStatus({ docId, status: 'done' });
    expect((await syncThroughApi(ana)).report.ok).toBe(true);

    const { report } = await syncThroughApi(laptop);
    const layer = `annotations/Ana/${docId}.json`;
    expect(report.conflicts).toEqual([layer]);
    expect(report.ok).toBe(true);
    const labels = (await laptop.handlers.listAnnotations({ docId })).map((a) => a.label).sort();
    expect(labels).toEqual(['claim', 'quote']);
    expect((await laptop.handlers.listDocuments({})).find((d) => d.id === docId)!.statuses.Ana).toBe('done');
    expect(JSON.parse(readFileSync(path.join(laptop.projectDir, layer), 'utf8'))).toMatchObject({ status: 'done' });
  });

  it('one annotator on two computers, far apart in one layer file: never merged line by line, always record by record', async () => {
    const { remote, ana } = await sharedProject();
    const laptop = await as(cloneOf(remote, path.join(temps.make(), 'laptop')), 'Ana');
    const docId = await tag(ana, ['Antony Blinken'], 'claim');
    expect((await syncThroughApi(ana)).report.ok).toBe(true);
    expect((await syncThroughApi(laptop)).report.ok).toBe(true);
    // Different lines of the same file: a line merge would "succeed" and could leave broken JSON.
    await tag(ana, ['Israel'], 'event');
    await laptop.handlers.setDocumentStatus({ docId, status: 'done' });
    expect((await syncThroughApi(ana)).report.ok).toBe(true);
    const { report } = await syncThroughApi(laptop);
    expect(report.conflicts).toEqual([`annotations/Ana/${docId}.json`]);
    const layer = JSON.parse(readFileSync(path.join(laptop.projectDir, 'annotations', 'Ana', `${docId}.json`), 'utf8')) as { status: string; annotations: { label: string }[] };
    expect(layer.status).toBe('done');
    expect(layer.annotations.map((a) => a.label).sort()).toEqual(['claim', 'event']);
  });

  it('a file Margin cannot merge: the merge is undone, the project left as it was, and the file named', async () => {
    const { remote, anaDir, ana } = await sharedProject();
    const benDir = cloneOf(remote, path.join(temps.make(), 'ben'));
    const ben = await as(benDir, 'Ben');
    appendFileSync(path.join(anaDir, '.gitignore'), 'notes/\n');
    await tag(ana, ['Hamas']);
    expect((await syncThroughApi(ana)).report.ok).toBe(true);
    appendFileSync(path.join(benDir, '.gitignore'), 'scratch/\n');
    await tag(ben, ['Antony Blinken']);

    const { report } = await syncThroughApi(ben);
    const head = git(benDir, 'rev-parse', 'HEAD');
    expect(report.ok).toBe(false);
    expect(report.pushed).toBe(false);
    expect(report.conflicts).toEqual(['.gitignore']);
    expect(report.summary).toBe(
      'Sync stopped: git could not merge 1 file changed both here and by a colleague, which Margin cannot merge by itself: .gitignore (Margin does not merge this file). ' +
        'Nothing was changed here (the merge was undone) and your work stays committed. Settle those files with the colleague (or merge them with git pull in a terminal), then Sync again.',
    );
    expect(git(benDir, 'log', '-1', '--format=%s')).toBe('Ben: 1 annotation added in 1 document');
    expect(git(benDir, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(benDir, 'status', '--porcelain')).toBe('');
    expect(existsSync(path.join(benDir, '.git', 'MERGE_HEAD'))).toBe(false);
    expect(readFileSync(path.join(benDir, '.gitignore'), 'utf8')).toMatch(/scratch\/\n$/);
    // Ana's annotation did not come in.
    expect((await ben.handlers.listDocuments({})).reduce((n, d) => n + d.annotationCount, 0)).toBe(1);
  });
});

describe('a colleague pushing meanwhile', () => {
  /** A git hook in `dir` that, once, has a third colleague (Cy, in their own clone) commit and push. */
  function colleaguePushesDuring(hook: 'post-merge' | 'pre-push', dir: string, remote: string): void {
    const cy = cloneOf(remote, path.join(temps.make(), 'cy'));
    const file = path.join(dir, '.git', 'hooks', hook);
    writeFileSync(
      file,
      [
        '#!/bin/sh',
        'unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE',
        `cd '${cy}' && git pull -q && git -c user.name=Cy -c user.email=cy@margin.invalid commit -q --allow-empty -m 'Cy: meanwhile' && git push -q origin HEAD:main`,
        `rm -f '${file}'`,
        '',
      ].join('\n'),
    );
    chmodSync(file, 0o755);
  }

  it.each([
    ['post-merge', 'between pull and push: the push is rejected (fetch first)'],
    ['pre-push', 'during the push itself: the remote refuses to update its branch'],
  ] as const)('%s — %s — so Sync pulls and pushes again', async (hook, _when) => {
    const { remote, ana } = await sharedProject();
    const benDir = cloneOf(remote, path.join(temps.make(), 'ben'));
    const ben = await as(benDir, 'Ben');
    await tag(ana, ['Hamas']);
    expect((await syncThroughApi(ana)).report.ok).toBe(true);
    await tag(ben, ['Antony Blinken']);
    colleaguePushesDuring(hook, benDir, remote);

    const { report } = await syncThroughApi(ben);
    expect(report.ok, report.summary).toBe(true);
    expect(report.pushAttempts).toBe(2);
    expect(report.incoming).toEqual(['Ana: 1 new annotation in 1 document']);
    const remoteLog = git(remote, 'log', '--format=%s', 'main');
    expect(remoteLog).toContain('Cy: meanwhile');
    expect(remoteLog).toContain('Ben: 1 annotation added in 1 document');
    expect(git(benDir, 'rev-parse', 'HEAD')).toBe(git(remote, 'rev-parse', 'main'));
  });
});

describe('margin sync', () => {
  it('commits, says how to add a remote, then syncs once there is one; progress on stderr', async () => {
    temps.userData();
    const dir = path.join(temps.make(), 'project');
    const io = () => {
      const out: string[] = [];
      const err: string[] = [];
      return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
    };
    const imported = io();
    expect(await runCli(['import', '--project', dir, samplePaths()[0]!], imported.io)).toBe(0);

    const nameless = io();
    expect(await runCli(['sync', '--project', dir], nameless.io)).toBe(2);
    expect(nameless.err.join('\n')).toBe('margin: --annotator NAME is required: whose annotations are yours to send');

    const first = io();
    expect(await runCli(['sync', '--project', dir, '--annotator', 'Ana'], first.io)).toBe(1);
    expect(first.err).toEqual(['Getting ready…', 'Committing your work…']);
    expect(first.out.join('\n')).toMatch(/^This folder was not a git repository: Margin made it one \(git init\).*git remote add origin URL/);

    git(dir, 'remote', 'add', 'origin', bareRemote(temps));
    const second = io();
    expect(await runCli(['sync', '--project', dir, '--annotator', 'Ana'], second.io)).toBe(0);
    expect(second.err).toEqual(['Getting ready…', 'Committing your work…', "Pulling your colleagues' work…", 'Pushing to the team…']);
    expect(second.out).toEqual(['Synced with origin/main. Nothing new from the team.']);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });
});
