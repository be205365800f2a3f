import { existsSync } from 'node:fs';
import { readFile, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SyncReport, SyncStep } from '../../../shared/api';
import { MarginError } from '../errors';
import { isAdjudicationLayer } from '../review/review';
import { writeFileDurably } from '../store/jsonFile';
import { GITATTRIBUTES, GITIGNORE } from '../store/projectStore';
import { ChangeTally, count, PROJECT_FILE_PATH } from './changeSummary';
import { conflictedPaths, resolveConflicts } from './conflicts';
import { Git, GitFailed, gitMessage, splitNul } from './git';

/**
 * Sync: the annotator's own work is committed, colleagues' work is pulled (merged), and the
 * result pushed, all with the system git (see git.ts). Because every file but margin.json has
 * one writer, git merges layer and metadata files without conflict; margin.json and anything
 * git still reports are resolved by conflicts.ts, or the merge is undone and the files named.
 * Nothing here throws for a situation the user can fix (no remote, a conflict, a rejected push):
 * the report says what happened and what to do. Errors are left for what Sync cannot work with
 * (git missing, a project inside another repository, a detached HEAD).
 */

export interface SyncOptions {
  /** The project folder (the top of its git repository, or a folder that is not one yet). */
  dir: string;
  /** Whose files are committed: annotations/<annotator>/ and metadata/<annotator>/. */
  annotator: string;
  onStep?: (step: SyncStep) => void;
  /** Pushes tried before giving up when colleagues keep pushing meanwhile. */
  maxPushAttempts?: number;
}

const DEFAULT_PUSH_ATTEMPTS = 5;

/** Where the project's work goes: a remote and a branch on it. */
interface Upstream {
  remote: string;
  branch: string;
  /** The branch already tracks it (else the first push sets that up). */
  tracking: boolean;
}

/** The commits Sync works between: ours (HEAD) and the team's (the remote branch as last fetched); null when there is none. */
interface Tips {
  head: string | null;
  theirs: string | null;
}

type Problem = { problem: string };

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && 'problem' in value;
}

export async function syncProject(options: SyncOptions): Promise<SyncReport> {
  const step = options.onStep ?? (() => undefined);
  const me = options.annotator;
  step('starting');
  // Automatic maintenance (gc) would run after each fetch, commit and merge: it runs once, at the end.
  let git = new Git(path.resolve(options.dir), ['--literal-pathspecs', '-c', 'maintenance.auto=false']);
  const repository = await openRepository(git);
  const report: SyncReport = {
    ok: false,
    summary: '',
    initialised: repository.initialised,
    committed: null,
    remote: null,
    pulled: false,
    pushed: false,
    incoming: [],
    conflicts: [],
    notes: [],
    pushAttempts: 0,
  };
  const config = await readConfig(git);
  git = git.with(identity(config, me));
  const branch = await currentBranch(git, repository.headRef);
  const finish = (problem: string | null, range?: { before: string | null; after: string | null }) => finishReport(git, me, report, problem, range);
  if (existsSync(path.join(repository.gitDir, 'MERGE_HEAD'))) {
    return finish('A git merge was left unfinished in this folder. Finish it (git commit) or undo it (git merge --abort) in a terminal, then Sync again.');
  }
  await ensureGitignore(git.cwd);

  step('committing');
  const changed = await status(git, ['annotations', 'metadata', 'documents', PROJECT_FILE_PATH, '.gitignore', '.gitattributes']);
  const isOwn = (file: string) => isSent(file, me);
  report.committed = await commitOwnWork(git, me, changed.filter((e) => isOwn(e.path)));
  const unsent = changed.filter((e) => !isOwn(e.path)).map((e) => e.path);
  if (unsent.length > 0) {
    report.notes.push(
      `Not sent: ${count(unsent.length, 'changed file')} that ${unsent.length === 1 ? 'is' : 'are'} not yours (${unsent.slice(0, 3).join(', ')}${unsent.length > 3 ? ', …' : ''}). Sync sends only your own annotations and metadata, adjudication (gold) layers, new documents and the tag schema.`,
    );
  }

  const upstream = await findUpstream(git, branch, config);
  if (isProblem(upstream)) return finish(upstream.problem);
  report.remote = `${upstream.remote}/${upstream.branch}`;

  const before = report.committed ? await headOf(git) : repository.head;
  let tips: Tips = { head: before, theirs: null };
  const range = () => ({ before, after: tips.head });
  const maxAttempts = options.maxPushAttempts ?? DEFAULT_PUSH_ATTEMPTS;
  for (;;) {
    step('pulling');
    const pulled = await pull(git, upstream, report, step, tips.head);
    if (isProblem(pulled)) return finish(pulled.problem, range());
    tips = pulled;
    step('pushing');
    const pushed = await push(git, upstream, report, tips);
    if (pushed === 'rejected' && report.pushAttempts < maxAttempts) continue;
    if (pushed === 'rejected') {
      return finish(`Colleagues kept pushing while Margin pushed (${report.pushAttempts} tries). Your work is committed here; Sync again in a moment.`, range());
    }
    if (isProblem(pushed)) return finish(pushed.problem, range());
    break;
  }
  report.ok = true;
  return finish(null, range());
}

const headOf = (git: Git) => git.textOrNull(['rev-parse', '-q', '--verify', 'HEAD']);

/** Fills in what came in (what changed in `range` that is not ours) and the summary. */
async function finishReport(git: Git, me: string, report: SyncReport, problem: string | null, range?: { before: string | null; after: string | null }): Promise<SyncReport> {
  if (range && range.after !== null && range.after !== range.before) {
    report.pulled = true;
    report.incoming = await incomingChanges(git, me, range.before, range.after);
  }
  if (report.committed || report.pulled) await git.run(['-c', 'maintenance.auto=true', 'maintenance', 'run', '--auto', '--quiet'], { allowFail: true });
  const parts: string[] = [];
  if (report.initialised) {
    parts.push("This folder was not a git repository: Margin made it one (git init), with a .gitignore that keeps Margin's lock and temporary files out of it.");
  }
  if (problem) parts.push(problem);
  else {
    parts.push(`Synced with ${report.remote}.`);
    parts.push(report.incoming.length > 0 ? `${report.incoming.join('. ')}.` : 'Nothing new from the team.');
    if (report.committed) parts.push(`Sent: ${report.committed}.`);
  }
  report.summary = parts.join(' ');
  return report;
}

interface Repository {
  /** Sync made the folder a repository (git init). */
  initialised: boolean;
  /** The repository's own folder (.git). */
  gitDir: string;
  /** The commit checked out, null when the branch has none yet. */
  head: string | null;
  /** What HEAD points at ("refs/heads/main"; "HEAD" when detached), when known without another call. */
  headRef?: string;
}

/** The repository of the project, made when the folder is not one. A folder inside another repository is refused. */
async function openRepository(git: Git): Promise<Repository> {
  // One call for the usual case (a branch with commits): HEAD, the top folder, .git, the branch.
  const all = await git.textOrNull(['rev-parse', 'HEAD', '--show-toplevel', '--absolute-git-dir', '--symbolic-full-name', 'HEAD']);
  const [head = null, top, gitDir, headRef] = all?.split('\n') ?? [];
  const found = top !== undefined && gitDir !== undefined ? { top, gitDir } : await repositoryWithoutCommits(git);
  if (found) {
    // A project inside a bigger repository (a home folder kept in git, say) would commit and push
    // into that repository: not what the team expects.
    const [here, root] = await Promise.all([realpath(git.cwd), realpath(found.top)]);
    if (path.relative(root, here) !== '') {
      throw new MarginError(
        'bad-input',
        `This project (${git.cwd}) is inside the git repository ${found.top}, not a repository of its own. Sync shares a project folder that is its own repository: move the project out of ${found.top}, or run git init in ${git.cwd}.`,
      );
    }
    return all === null ? { initialised: false, gitDir: found.gitDir, head: null } : { initialised: false, gitDir: found.gitDir, head, headRef };
  }
  const configured = await git.textOrNull(['config', '--get', 'init.defaultBranch']);
  await git.run([...(configured ? [] : ['-c', 'init.defaultBranch=main']), 'init', '-q']);
  return { initialised: true, gitDir: path.join(git.cwd, '.git'), head: null };
}

async function repositoryWithoutCommits(git: Git): Promise<{ top: string; gitDir: string } | null> {
  const found = await git.textOrNull(['rev-parse', '--show-toplevel', '--absolute-git-dir']);
  if (found === null) return null;
  const [top = '', gitDir = ''] = found.split('\n');
  return { top, gitDir };
}

/** The settings Sync reads (identity, branches' remotes), all in one call: key (lower case, as git gives it) to value. */
async function readConfig(git: Git): Promise<Map<string, string>> {
  const output = await git.run(['config', '-z', '--get-regexp', '^(user\\.(name|email)|branch\\..*\\.(remote|merge))$'], { allowFail: true });
  const entries = splitNul(output.stdout).map((entry) => {
    const at = entry.indexOf('\n');
    return [entry.slice(0, at), entry.slice(at + 1)] as const;
  });
  return new Map(entries);
}

/** `-c` options naming the annotator when git has no identity configured (a commit needs one). */
function identity(config: Map<string, string>, annotator: string): string[] {
  const name = config.get('user.name');
  const email = config.get('user.email');
  if (name && email) return [];
  const local = annotator.trim().replace(/\s+/g, '.');
  return ['-c', `user.name=${name || annotator}`, '-c', `user.email=${email || `${local}@margin.invalid`}`];
}

async function currentBranch(git: Git, headRef: string | undefined): Promise<string> {
  const branch = headRef?.startsWith('refs/heads/') ? headRef.slice('refs/heads/'.length) : headRef === undefined ? await git.textOrNull(['symbolic-ref', '--short', '-q', 'HEAD']) : null;
  if (branch) return branch;
  throw new MarginError(
    'bad-input',
    `The project's git repository is not on a branch (a "detached HEAD"): Sync does not know where to send your work. Switch to your branch (git switch main, for example) in ${git.cwd} and Sync again.`,
  );
}

/** Margin's .gitignore and .gitattributes lines, added where the project's files lack them. */
async function ensureGitignore(dir: string): Promise<void> {
  await ensureLines(path.join(dir, '.gitignore'), GITIGNORE);
  await ensureLines(path.join(dir, '.gitattributes'), GITATTRIBUTES);
}

/** The lines of `wanted` that `file` lacks are added (the user's own lines stay). */
async function ensureLines(file: string, wanted: string): Promise<void> {
  const current = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (current === null) return writeFile(file, wanted);
  const have = new Set(current.split(/\r?\n/).map((l) => l.trim()));
  const missing = wanted.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#') && !have.has(l));
  if (missing.length === 0) return;
  await writeFile(file, `${current}${current.endsWith('\n') || current === '' ? '' : '\n'}${missing.join('\n')}\n`);
}

interface StatusEntry {
  code: string;
  path: string;
}

/** `git status` of some paths: two status letters and the path, untracked files listed one by one. */
async function status(git: Git, pathspecs: readonly string[]): Promise<StatusEntry[]> {
  const fields = splitNul((await git.run(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames', '--', ...pathspecs])).stdout);
  return fields.map((f) => ({ code: f.slice(0, 2), path: f.slice(3) }));
}

/**
 * Whether Sync sends a changed file: everything but layers and metadata, which only their writer
 * sends: one's own (annotations/<me>/, metadata/<me>/) and the adjudication layers (gold…), which
 * whoever adjudicates writes. A colleague's file changed here is not ours to send.
 */
function isSent(file: string, me: string): boolean {
  const owner = /^(annotations|metadata)\/([^/]+)\//.exec(file);
  if (!owner) return true;
  return owner[2] === me || (owner[1] === 'annotations' && isAdjudicationLayer(owner[2]!));
}

/** Commits the annotator's own changed files, new documents, margin.json and .gitignore; the commit message, or null when there was nothing. */
async function commitOwnWork(git: Git, me: string, changed: readonly StatusEntry[]): Promise<string | null> {
  // Documents never change after import: only new ones are sent.
  const files = changed.filter((e) => !e.path.startsWith('documents/') || e.code === '??' || e.code[0] === 'A').map((e) => e.path);
  if (files.length === 0) return null;
  const list = `${files.join('\0')}\0`;
  await git.run(['add', '-A', '--pathspec-from-file=-', '--pathspec-file-nul'], { input: list });
  // "HEAD:path" of a new file (or of a repository without commits) reads as absent.
  const before = await git.readBlobs(files.map((f) => `HEAD:${f}`));
  const tally = new ChangeTally();
  for (const [i, file] of files.entries()) {
    const after = await readFile(path.join(git.cwd, file)).catch(() => null);
    tally.add(file, before[i] ?? null, after);
  }
  const message = tally.commitMessage(me);
  // Only these paths go into the commit, whatever else the user may have staged by hand. Hooks
  // are for code: a linter's pre-commit hook has nothing to say about annotation files.
  await git.run(['commit', '-q', '--no-verify', '-m', message, '--pathspec-from-file=-', '--pathspec-file-nul'], { input: list });
  return message;
}

async function findUpstream(git: Git, branch: string, config: Map<string, string>): Promise<Upstream | Problem> {
  // Section and key names are case-insensitive (git gives them in lower case); the branch name is not.
  const remote = config.get(`branch.${branch}.remote`);
  const merge = config.get(`branch.${branch}.merge`);
  if (remote && remote !== '.' && merge?.startsWith('refs/heads/')) return { remote, branch: merge.slice('refs/heads/'.length), tracking: true };
  const remotes = (await git.text(['remote'])).split('\n').filter(Boolean);
  if (remotes.includes('origin')) return { remote: 'origin', branch, tracking: false };
  const add = `git remote add origin URL (in a terminal, in ${git.cwd}; URL is the address of your team's shared repository, e.g. https://github.com/team/project.git)`;
  if (remotes.length === 0) {
    return { problem: `Your work is committed here, but this project has no remote to share it through. Add your team's repository once with ${add}, then Sync again.` };
  }
  return {
    problem: `Your work is committed here, but the branch ${branch} tracks no remote branch and there is no remote called origin (remotes: ${remotes.join(', ')}). Either run git branch --set-upstream-to=${remotes[0]}/${branch}, or ${add}, then Sync again.`,
  };
}

/** Fetches and merges the team's branch; conflicts are resolved (conflicts.ts) or the merge is undone. */
async function pull(git: Git, up: Upstream, report: SyncReport, step: (s: SyncStep) => void, head: string | null): Promise<Tips | Problem> {
  const fetched = await git.run(['fetch', '-q', up.remote], { allowFail: true });
  if (fetched.code !== 0) {
    return { problem: `Your work is committed here, but the remote ${up.remote} could not be reached: ${gitMessage(fetched.stderr)}. Check the address (git remote -v) and your access, then Sync again.` };
  }
  const theirs = await git.textOrNull(['rev-parse', '-q', '--verify', `refs/remotes/${up.remote}/${up.branch}^{commit}`]);
  // A new, empty remote, or nothing new on it.
  if (theirs === null || theirs === head) return { head, theirs };
  const merged = await git.run(['merge', '-q', '--no-edit', '-m', `Merge ${up.remote}/${up.branch}: the team's work`, theirs], { allowFail: true });
  if (merged.code !== 0) {
    const problem = await settleConflicts(git, up, report, step, merged.stderr);
    if (problem) return problem;
  }
  return { head: await headOf(git), theirs };
}

/** After a merge that stopped: every conflict resolved and the merge committed, or the merge undone and a problem to report. */
async function settleConflicts(git: Git, up: Upstream, report: SyncReport, step: (s: SyncStep) => void, stderr: string): Promise<Problem | null> {
  const paths = await conflictedPaths(git);
  if (paths.length === 0) {
    await git.run(['merge', '--abort'], { allowFail: true });
    return { problem: mergeRefusal(stderr, up) };
  }
  report.conflicts.push(...paths);
  step('merging');
  const resolution = await resolveConflicts(git, paths);
  if (resolution.unresolved.length > 0) {
    await git.run(['merge', '--abort']);
    const list = resolution.unresolved.map((u) => `${u.path} (${u.reason})`).join('; ');
    return {
      problem:
        `Sync stopped: git could not merge ${count(resolution.unresolved.length, 'file')} changed both here and by a colleague, which Margin cannot merge by itself: ${list}. ` +
        `Nothing was changed here (the merge was undone) and your work stays committed. Settle those files with the colleague (or merge them with git pull in a terminal), then Sync again.`,
    };
  }
  for (const file of resolution.files) await writeFileDurably(path.join(git.cwd, file.path), file.content);
  await git.run(['add', '--pathspec-from-file=-', '--pathspec-file-nul'], { input: `${resolution.files.map((f) => f.path).join('\0')}\0` });
  await git.run(['commit', '-q', '--no-edit', '--no-verify']);
  report.notes.push(...resolution.notes);
  return null;
}

/** Why git would not merge at all, in words a user can act on. */
function mergeRefusal(stderr: string, up: Upstream): string {
  if (/unrelated histories/.test(stderr)) {
    return `Your work is committed here, but ${up.remote}/${up.branch} holds another project's history, not this one's. To work on the team's project, clone it (git clone URL) and open that folder in Margin.`;
  }
  const files = stderr
    .split('\n')
    .filter((l) => l.startsWith('\t'))
    .map((l) => l.trim());
  if (files.length > 0) {
    return `Sync stopped before merging: these files changed here without being committed, and the team's version would overwrite them: ${files.join(', ')}. Nothing was changed. Commit or put them back (git restore FILE) in a terminal, then Sync again.`;
  }
  return `Sync stopped before merging (git: ${gitMessage(stderr)}). Nothing was changed; your work stays committed.`;
}

/** Pushes HEAD: 'rejected' when someone pushed meanwhile (pull again and retry). */
async function push(git: Git, up: Upstream, report: SyncReport, tips: Tips): Promise<'pushed' | 'nothing' | 'rejected' | Problem> {
  if (tips.head === null || tips.head === tips.theirs) return 'nothing';
  report.pushAttempts++;
  const args = up.tracking ? ['push', '--porcelain', up.remote, `HEAD:refs/heads/${up.branch}`] : ['push', '--porcelain', '-u', up.remote, up.branch];
  const pushed = await git.run(args, { allowFail: true });
  if (pushed.code === 0) {
    report.pushed = true;
    return 'pushed';
  }
  const out = pushed.stdout.toString('utf8');
  // "!  HEAD:refs/heads/main  [rejected] (fetch first)", or a ref the remote was updating just then.
  if (/\[rejected\] \((fetch first|non-fast-forward)\)/.test(out) || /cannot lock ref|failed to update ref|incorrect old value/.test(out + pushed.stderr)) return 'rejected';
  return { problem: `Your work is committed and merged here, but ${up.remote} refused it: ${gitMessage(pushed.stderr) || out.trim()}. Check your access to the repository, then Sync again.` };
}

/** What colleagues' commits changed between `before` (null: the repository had no commit) and `after`. */
async function incomingChanges(git: Git, me: string, before: string | null, after: string): Promise<string[]> {
  const from = before ?? (await git.text(['hash-object', '-t', 'tree', '--stdin']));
  const fields = splitNul((await git.run(['diff', '--name-status', '--no-renames', '-z', from, after, '--', 'annotations', 'metadata', 'documents', PROJECT_FILE_PATH])).stdout);
  const files: string[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) files.push(fields[i + 1]!);
  const blobs = await git.readBlobs(files.flatMap((f) => [`${from}:${f}`, `${after}:${f}`]));
  const tally = new ChangeTally();
  files.forEach((file, i) => tally.add(file, blobs[2 * i] ?? null, blobs[2 * i + 1] ?? null));
  return tally.incomingLines(me);
}

const SYSTEM_ERRORS: Record<string, string> = {
  EACCES: 'Margin may not write in the project folder (permission denied)',
  EPERM: 'Margin may not write in the project folder (permission denied)',
  ENOSPC: 'the disk is full',
  EROFS: 'the project folder is on a read-only disk',
};

/** What went wrong, for a person: git's own words for git, plain words for the system, never a stack or an errno. */
export function syncErrorMessage(error: unknown): string {
  if (error instanceof MarginError) return error.message;
  if (error instanceof GitFailed) return `Sync failed: git ${error.args[0] ?? ''} said: ${error.message}`;
  const known = SYSTEM_ERRORS[(error as NodeJS.ErrnoException).code ?? ''];
  if (known) return `Sync failed: ${known}. Fix that and Sync again.`;
  console.error('[margin] sync failed:', error);
  return 'Sync stopped unexpectedly (the details are in the log). Run git status in the project folder to see where it stopped, then Sync again.';
}
