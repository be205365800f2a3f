import path from 'node:path';
import type { DocumentMeta } from '../../shared/model';
import { CrashChild } from './childProcess';
import { Expectations } from './expectations';
import { ask, readProject, scanProject } from './projectCheck';
import { type Random, randomFor } from './random';
import { type WriteOutcome, Writes } from './writes';

/**
 * The crash run: a real process works on a project (adds, deletes, statuses, metadata edits,
 * label renames), is killed with SIGKILL at a seeded moment, and the next process opens the
 * same folder and checks it before doing anything else. The moments and the operations are
 * seeded; what exactly a kill interrupts also depends on timing, which is the point.
 */

export interface CrashOptions {
  bundle: string;
  projectDir: string;
  userData: string;
  kills: number;
  seed: number;
  /** Article texts to import first (the project starts empty). */
  texts: readonly { title: string; text: string }[];
}

export interface CrashFigures {
  kills: number;
  /** Of which while the project was being opened. */
  killsWhileOpening: number;
  /** Kills that cut off at least one write under way. */
  killsMidWrite: number;
  acknowledgedWrites: number;
  lost: string[];
  corruptFiles: string[];
  failedRestarts: string[];
  tempFilesAfterReopen: string[];
  /** Annotations on disk that no write asked for. */
  unexpected: string[];
  /** Writes the child refused or failed (none should). */
  failedCalls: string[];
  /** The longest a restarted process took to open the project (lock take-over included). */
  slowestReopenMs: number;
}

const ANNOTATOR = 'crash tester';
/** Processes loading ahead of their turn (a kill while opening is over quickly; loading is not). */
const SPARES = 2;

class Run {
  readonly figures: CrashFigures = {
    kills: 0,
    killsWhileOpening: 0,
    killsMidWrite: 0,
    acknowledgedWrites: 0,
    lost: [],
    corruptFiles: [],
    failedRestarts: [],
    tempFilesAfterReopen: [],
    unexpected: [],
    failedCalls: [],
    slowestReopenMs: 0,
  };
  private expectations!: Expectations;
  private writes!: Writes;
  /** A file found again by a later restart is still one file. */
  private readonly seen = new Set<string>();
  /** Started ahead and loading while the current process works: each waits for "open" until its turn. */
  private readonly spares: CrashChild[] = [];
  private readonly started = new Set<CrashChild>();

  constructor(private readonly options: CrashOptions) {}

  private nextChild(): CrashChild {
    while (this.spares.length < SPARES + 1) {
      const child = new CrashChild(this.options.bundle, this.options.projectDir, this.options.userData, ANNOTATOR);
      this.started.add(child);
      void child.closed.then(() => this.started.delete(child));
      this.spares.push(child);
    }
    return this.spares.shift()!;
  }

  /** Imports the articles and learns the starting point: labels, documents, their metadata. */
  async setUp(): Promise<void> {
    const child = this.nextChild();
    const opened = await child.open();
    if (!opened.ready) throw new Error(`The project could not be created: ${opened.reason}`);
    for (const { title, text } of this.options.texts) await ask(child, 'importText', { text, title });
    const session = await ask(child, 'getSession', {});
    const extracted = new Map<string, DocumentMeta>();
    const texts = new Map<string, string>();
    for (const doc of await ask(child, 'listDocuments', {})) {
      const view = await ask(child, 'getDocument', { docId: doc.id });
      extracted.set(doc.id, view.meta);
      texts.set(doc.id, view.text);
    }
    this.expectations = new Expectations(
      session.schema.labels.map((l) => l.name),
      [...extracted.keys()],
      extracted,
    );
    this.writes = new Writes(this.expectations, texts, session);
    await child.stop();
  }

  /** The project file a store message names (its path, relative), or the message itself. */
  private fileNamedIn(message: string): string {
    const dir = this.options.projectDir + path.sep;
    const at = message.indexOf(dir);
    const end = at < 0 ? -1 : message.indexOf('.json', at);
    return end < 0 ? message : message.slice(at + dir.length, end + '.json'.length);
  }

  private once(list: string[], key: string, message: string): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    list.push(message);
  }

  /** Before any work: no temporary file, every JSON file parses and reads, every acknowledged write is there. */
  private async check(child: CrashChild, restart: number): Promise<void> {
    const where = `after restart ${restart}`;
    const { tempFiles, unparsable } = scanProject(this.options.projectDir);
    for (const file of tempFiles) this.once(this.figures.tempFilesAfterReopen, `temp ${file}`, `${where}: ${file}`);
    // The scan and the store may both report one file: it is counted once, by its name.
    const corrupt = (message: string) => this.once(this.figures.corruptFiles, this.fileNamedIn(message), `${where}: ${message}`);
    for (const { file, reason } of unparsable) this.once(this.figures.corruptFiles, file, `${where}: ${file}: ${reason}`);
    try {
      const { session, disk, problems } = await readProject(child, ANNOTATOR);
      problems.forEach(corrupt);
      this.writes.session = session;
      for (const f of this.expectations.reconcile(disk)) (f.kind === 'lost' ? this.figures.lost : this.figures.unexpected).push(`${where}: ${f.message}`);
    } catch (error) {
      corrupt((error as Error).message);
    }
  }

  private count(outcome: WriteOutcome): boolean {
    if (outcome.kind === 'ack') this.figures.acknowledgedWrites++;
    if (outcome.kind === 'fail') this.figures.failedCalls.push(`${outcome.error.code}: ${outcome.error.message}`);
    return outcome.kind !== 'gone';
  }

  /** Writes, several under way at once, until the seeded moment comes and the process is killed. */
  private async work(child: CrashChild, random: Random): Promise<void> {
    const killAfterReplies = random.int(0, 18);
    // -1: in the same tick as that reply; otherwise a few milliseconds later, amid the next writes.
    const delay = random.int(-1, 5);
    const maxUnderWay = random.int(1, 4);
    const kill = () => (delay < 0 ? child.kill() : setTimeout(() => child.kill(), delay));
    let replies = 0;
    child.onReply = () => {
      if (++replies === killAfterReplies) kill();
    };
    if (killAfterReplies === 0) kill();
    let cutOff = false;
    const underWay = new Set<Promise<void>>();
    const send = (write: Promise<WriteOutcome>) => {
      const tracked = write.then((outcome) => {
        if (!this.count(outcome)) cutOff = true;
        underWay.delete(tracked);
      });
      underWay.add(tracked);
    };
    while (!child.killSent && child.alive) {
      const rename = random.next() < 0.08;
      while (underWay.size >= (rename ? 1 : maxUnderWay)) await Promise.race(underWay);
      if (child.killSent) break;
      send(rename ? this.writes.rename(child, random) : this.writes.other(child, random));
      if (rename) await Promise.all(underWay);
    }
    await Promise.all(underWay);
    if (cutOff) this.figures.killsMidWrite++;
  }

  /** Opens the project in `child`; a refusal or an exit is a failed restart. */
  private async open(child: CrashChild, restart: number): Promise<boolean> {
    await child.loaded;
    const started = performance.now();
    const outcome = await child.open();
    if (outcome.ready) {
      this.figures.slowestReopenMs = Math.max(this.figures.slowestReopenMs, performance.now() - started);
      return true;
    }
    this.figures.failedRestarts.push(`restart ${restart}: ${outcome.reason}`);
    child.kill();
    await child.closed;
    return false;
  }

  /** One kill: a process opens the project, checks it, works, and is killed at the seeded moment. */
  async cycle(restart: number): Promise<void> {
    const random = randomFor(this.options.seed, restart);
    const child = this.nextChild();
    await child.loaded;
    if (random.next() < 0.1) {
      // Killed while opening: a schema change may be being completed, temporary files removed, the lock taken over.
      const opening = child.open();
      setTimeout(() => child.kill(), random.int(0, 12));
      const outcome = await opening;
      if (!outcome.ready && outcome.refused) this.figures.failedRestarts.push(`restart ${restart}: ${outcome.reason}`);
      this.figures.killsWhileOpening++;
    } else {
      if (!(await this.open(child, restart))) return;
      await this.check(child, restart);
      await this.work(child, random);
    }
    await child.closed;
    this.figures.kills++;
  }

  /** The last process: opens, checks, and closes cleanly; the spares are let go. */
  async finish(restart: number): Promise<void> {
    const child = this.nextChild();
    await Promise.all(this.spares.splice(0).map((spare) => spare.stop()));
    if (await this.open(child, restart)) {
      await this.check(child, restart);
      await child.stop();
    }
  }

  /** After a failure: no process of this run may outlive it. */
  async killAll(): Promise<void> {
    const all = [...this.started];
    for (const child of all) child.kill();
    await Promise.all(all.map((c) => c.closed));
  }
}

export async function runCrashTest(options: CrashOptions): Promise<CrashFigures> {
  const run = new Run(options);
  try {
    await run.setUp();
    // A failed restart does not count as a kill; a run whose restarts keep failing stops after a few.
    for (let restart = 1; run.figures.kills < options.kills && run.figures.failedRestarts.length < 5; restart++) {
      await run.cycle(restart);
    }
    await run.finish(run.figures.kills + run.figures.failedRestarts.length + 1);
    return run.figures;
  } finally {
    await run.killAll();
  }
}

/** The line the test prints: `[crash] 220 kills (seed 42): 1,873 acknowledged writes, 0 lost, ...`. */
export function summaryLine(f: CrashFigures, seed: number): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return (
    `[crash] ${n(f.kills)} kills (seed ${seed}): ${n(f.acknowledgedWrites)} acknowledged writes, ${n(f.lost.length)} lost, ` +
    `${n(f.corruptFiles.length)} corrupt files, ${n(f.failedRestarts.length)} failed restarts, ${n(f.tempFilesAfterReopen.length)} temp files after reopen`
  );
}
