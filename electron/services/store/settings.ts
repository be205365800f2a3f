import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { z } from 'zod';
import { AnnotatorName, FORMAT_VERSION } from '../../../shared/model';
import { DurableJsonFile } from './jsonFile';

export const SettingsFile = z.object({
  version: z.literal(FORMAT_VERSION),
  annotator: AnnotatorName.nullable(),
  lastProject: z.string().nullable(),
});
export type SettingsFile = z.infer<typeof SettingsFile>;

/** Per-user settings (annotator name, last project), kept beside the default project. */
export class Settings {
  private constructor(private readonly db: Low<SettingsFile>) {}

  static async open(userData: string): Promise<Settings> {
    await mkdir(userData, { recursive: true });
    const db = new Low<SettingsFile>(new DurableJsonFile(path.join(userData, 'settings.json'), SettingsFile), {
      version: FORMAT_VERSION,
      annotator: null,
      lastProject: null,
    });
    await db.read();
    return new Settings(db);
  }

  get value(): SettingsFile {
    return this.db.data;
  }

  async update(change: Partial<Omit<SettingsFile, 'version'>>): Promise<void> {
    Object.assign(this.db.data, change);
    await this.db.write();
  }
}
