import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiArgs, Session } from '../../shared/api';
import type { ApiMethod } from '../../shared/apiMethods';
import type { CrashChild } from './childProcess';
import type { DiskState } from './expectations';

/** The store's temporary files: `.<name>.<pid>.<n>.tmp` (electron/services/store/jsonFile.ts). */
const TEMP_FILE = /^\..+\.\d+\.\d+\.tmp$/;

/** Every file of the project, relative (hidden ones too: that is where temporary files hide). */
function projectFiles(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '.git' ? [] : projectFiles(full, base);
    return [path.relative(base, full)];
  });
}

/** Temporary files left in the project, and JSON files that do not parse (with the reason); paths relative. */
export function scanProject(dir: string): { tempFiles: string[]; unparsable: { file: string; reason: string }[] } {
  const tempFiles: string[] = [];
  const unparsable: { file: string; reason: string }[] = [];
  for (const file of projectFiles(dir)) {
    if (TEMP_FILE.test(path.basename(file))) {
      tempFiles.push(file);
    } else if (file.endsWith('.json')) {
      try {
        JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
      } catch (error) {
        unparsable.push({ file, reason: (error as Error).message });
      }
    }
  }
  return { tempFiles, unparsable };
}

/** One read; its failure (a refusal, the process gone) is thrown with the method's name. */
export async function ask<M extends ApiMethod>(child: CrashChild, method: M, args: ApiArgs<M>) {
  const reply = await child.call(method, args);
  if (reply.kind === 'ack') return reply.value;
  throw new Error(`${method}: ${reply.kind === 'fail' ? reply.error.message : 'the process died before answering'}`);
}

/**
 * The project as a freshly opened process reads it, through the API only: every read goes
 * through the store, which validates each file it reads (margin.json and the documents on open,
 * metadata and layers here). `problems`: files the store flagged as unreadable. Throws when a
 * read fails (a layer that does not parse fails labelUsage and listAnnotations).
 */
export async function readProject(child: CrashChild, annotator: string): Promise<{ session: Session; disk: DiskState; problems: string[] }> {
  // Asked all at once, as a window does on load: the child answers them side by side.
  const [session, docs] = await Promise.all([
    ask(child, 'getSession', {}),
    ask(child, 'listDocuments', {}),
    // Reads every layer file of the project.
    ask(child, 'labelUsage', {}),
  ]);
  const disk: DiskState = { labels: session.schema.labels.map((l) => l.name), annotations: [], done: new Map(), meta: new Map() };
  const problems: string[] = [];
  await Promise.all(
    docs.map(async (doc) => {
      if (doc.problem) problems.push(doc.problem);
      disk.done.set(doc.id, doc.statuses[annotator] === 'done');
      const [annotations, view] = await Promise.all([ask(child, 'listAnnotations', { docId: doc.id }), ask(child, 'getDocument', { docId: doc.id })]);
      disk.annotations.push(...annotations.filter((a) => a.annotator === annotator));
      disk.meta.set(doc.id, view.meta);
    }),
  );
  return { session, disk, problems };
}
