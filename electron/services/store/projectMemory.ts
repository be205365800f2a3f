import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { stableStringify, writeFileDurably } from './jsonFile';
import { WriteQueue } from './writeQueue';

/** Projects remembered at most; the ones left longest ago are forgotten first. */
const MAX_PROJECTS = 100;

interface Entry {
  savedAt: string;
  value: unknown;
}

/**
 * Something one user keeps about each project they open, in their app-data folder and keyed by
 * the project's absolute path: their last view of it (shared/viewMemory.ts), the documents they
 * reviewed in the compare view (blind annotation). Why here: the project folder is synced to
 * colleagues, and one analyst's hidden layers or panel widths are not theirs; the renderer's
 * localStorage would not do either, since browser mode's origin changes with its port on every
 * `margin serve`. The file is disposable: one that cannot be read gives `parse(undefined)`, never
 * an error; `parse` turns whatever was stored into a value, never throwing.
 */
export class ProjectMemory<T> {
  private readonly queue = new WriteQueue();

  constructor(
    private readonly file: string,
    private readonly parse: (stored: unknown) => T,
  ) {}

  private async entries(): Promise<Record<string, Entry>> {
    try {
      const data: unknown = JSON.parse(await readFile(this.file, 'utf8'));
      const projects = (data as { projects?: unknown } | null)?.projects;
      return projects && typeof projects === 'object' && !Array.isArray(projects) ? (projects as Record<string, Entry>) : {};
    } catch {
      // Missing, half-written by an older version, or hand-edited into nonsense: start afresh.
      return {};
    }
  }

  async load(projectDir: string): Promise<T> {
    // After the saves already asked for: a load right after a save reads what it wrote.
    await this.queue.run(async () => undefined);
    return this.parse((await this.entries())[path.resolve(projectDir)]?.value);
  }

  /** Writes are queued, so two quick saves land in order and neither loses the other projects. */
  save(projectDir: string, value: T, now = new Date()): Promise<void> {
    return this.queue.run(async () => {
      const entries = await this.entries();
      entries[path.resolve(projectDir)] = { savedAt: now.toISOString(), value };
      const kept = Object.entries(entries)
        .filter(([, e]) => e && typeof e === 'object')
        .sort(([, a], [, b]) => String(b.savedAt).localeCompare(String(a.savedAt)))
        .slice(0, MAX_PROJECTS);
      await mkdir(path.dirname(this.file), { recursive: true });
      await writeFileDurably(this.file, stableStringify({ version: 1, projects: Object.fromEntries(kept) }));
    });
  }
}
