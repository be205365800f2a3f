import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseViewMemory, type ViewMemory } from '../../../shared/viewMemory';
import { stableStringify, writeFileDurably } from './jsonFile';
import { WriteQueue } from './writeQueue';

/** Projects remembered at most; the ones left longest ago are forgotten first. */
const MAX_PROJECTS = 100;

interface Entry {
  savedAt: string;
  view: unknown;
}

/**
 * Each project's last view (shared/viewMemory.ts), in the user's app-data folder, keyed by the
 * project's absolute path. Why here: the project folder is synced to colleagues, and one
 * analyst's hidden layers or panel widths are not theirs; the renderer's localStorage would not
 * do either, since browser mode's origin changes with its port on every `margin serve`. The file
 * is disposable: one that cannot be read gives the initial view, never an error.
 */
export class ViewMemoryFile {
  private readonly queue = new WriteQueue();

  constructor(private readonly file: string) {}

  static in(userData: string): ViewMemoryFile {
    return new ViewMemoryFile(path.join(userData, 'view-memory.json'));
  }

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

  async load(projectDir: string): Promise<ViewMemory> {
    await this.queue.run(async () => undefined);
    const entry = (await this.entries())[path.resolve(projectDir)];
    return parseViewMemory(entry?.view);
  }

  /** Writes are queued, so two quick saves land in order and neither loses the other projects. */
  save(projectDir: string, view: ViewMemory, now = new Date()): Promise<void> {
    return this.queue.run(async () => {
      const entries = await this.entries();
      entries[path.resolve(projectDir)] = { savedAt: now.toISOString(), view };
      const kept = Object.entries(entries)
        .filter(([, e]) => e && typeof e === 'object')
        .sort(([, a], [, b]) => String(b.savedAt).localeCompare(String(a.savedAt)))
        .slice(0, MAX_PROJECTS);
      await mkdir(path.dirname(this.file), { recursive: true });
      await writeFileDurably(this.file, stableStringify({ version: 1, projects: Object.fromEntries(kept) }));
    });
  }
}
