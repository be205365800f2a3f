import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { toJsonl } from '../shared/formats/jsonl';
import { mergedMeta, metadataEditsOf } from './services/documentMeta';
import { statusOf } from './services/documentOps';
import { MarginError } from './services/errors';
import { importPaths, summarizeReport } from './services/importer';
import { nearDuplicateIndexOf } from './services/nearDuplicateIndex';
import { defaultProjectDir, rendererDir, userDataDir } from './services/paths';
import { ProjectStore } from './services/projectStore';
import { liveRelations } from './services/relationRules';
import { Workspace } from './services/workspace';
import { startWebServer } from './web';

const USAGE = `Usage:
  margin import --project DIR PATH...                 import articles: files (.txt, .md, .html,
                                                      .docx, .pdf) and folders (recursively);
                                                      progress on stderr, summary on stdout
  margin export --project DIR --format jsonl [--out FILE]
                                                      write a dataset (stdout when no --out)
  margin serve [--project DIR] [--port N]             browser mode on 127.0.0.1
  margin help

Every command makes DIR a new project when it is missing or empty. import exits with 1 when
a file could not be imported (each reason names it) and 130 when stopped with Ctrl+C.`;

export const EXPORT_FORMATS = ['jsonl'] as const;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

function requireProject(value: string | undefined): string {
  if (!value) throw new MarginError('bad-input', '--project DIR is required');
  return path.resolve(value);
}

async function importCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { project: { type: 'string' } }, allowPositionals: true });
  const dir = requireProject(values.project);
  if (positionals.length === 0) throw new MarginError('bad-input', 'Name at least one FILE or FOLDER to import');
  const store = await ProjectStore.open(dir);
  // Ctrl+C stops after the file at hand: every document written is whole, and the summary says so.
  const controller = new AbortController();
  const onInterrupt = () => {
    io.err('Cancelling after the current file…');
    controller.abort();
  };
  process.once('SIGINT', onInterrupt);
  try {
    // One plain line per file (no cursor movement), so a log or a pipe reads as well as a terminal.
    const report = await importPaths(store, positionals, {
      signal: controller.signal,
      onProgress: ({ done, total, current }) => {
        if (current) io.err(`[${done + 1}/${total}] ${current}`);
      },
    });
    for (const item of report.duplicates) io.err(`duplicate ${item.fileName}: already in the project as "${item.title}" (${item.docId})`);
    for (const item of report.nearDuplicates) {
      io.err(`near-duplicate ${item.fileName} (${item.docId}) nearly repeats ${item.of.map((o) => `"${o.title}" (${o.docId})`).join(', ')}`);
    }
    for (const item of report.failed) io.err(`failed    ${item.reason}`);
    io.out(summarizeReport(report));
    if (report.cancelled) return 130;
    return report.failed.length > 0 ? 1 : 0;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    await store.close();
  }
}

async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { project: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
  });
  const dir = requireProject(values.project);
  const format = values.format ?? 'jsonl';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
    throw new MarginError('bad-input', `--format: "${format}" is not supported; choose one of ${EXPORT_FORMATS.join(', ')}`);
  }
  // Exporting only reads, so it works beside a running app that holds the project lock.
  const store = await ProjectStore.open(dir, { lock: false });
  const edits = metadataEditsOf(store);
  const index = nearDuplicateIndexOf(store);
  const docs = [];
  for (const doc of store.listDocuments()) {
    // The user's metadata edits applied; an unreadable metadata file stops the export, naming it.
    const meta = mergedMeta(doc, await edits.editsOf(doc.id));
    const title = meta.title ?? doc.title;
    const layers = await store.layersOf(doc.id);
    const annotations = layers.flatMap((l) => l.annotations).sort((a, b) => a.start - b.start || b.end - a.end);
    // Only links that hold: a link to a span its owner has since deleted is not exported.
    const relations = liveRelations(store.project.schema, layers);
    const status = Object.fromEntries(layers.map((l) => [l.annotator, statusOf(l)]));
    docs.push({
      id: doc.id,
      title,
      text: doc.text,
      meta: { ...meta, title, fileName: doc.fileName, importedAt: doc.importedAt, nearDuplicates: index.matchesOf(doc.id).map((m) => m.id) },
      annotations,
      relations,
      status,
    });
  }
  const output = toJsonl(docs);
  if (values.out) {
    await writeFile(values.out, output, 'utf8');
    io.err(`Exported ${docs.length} document${docs.length === 1 ? '' : 's'} to ${path.resolve(values.out)}`);
  } else {
    io.out(output.replace(/\n$/, ''));
  }
  return 0;
}

async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { project: { type: 'string' }, port: { type: 'string' } } });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new MarginError('bad-input', `--port: "${values.port}" is not a port number`);
  const staticDir = rendererDir();
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    throw new MarginError('bad-input', `The UI is not built (${staticDir} is missing): run npm run build first`);
  }
  const userData = userDataDir();
  const workspace = await Workspace.open({
    userData,
    projectDir: values.project ? path.resolve(values.project) : defaultProjectDir(userData),
    mode: 'browser',
  });
  const server = await startWebServer({ handlers: workspace.handlers, staticDir, port }).catch(async (error: unknown) => {
    await workspace.close();
    throw error;
  });
  io.out(`Margin is running at ${server.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await workspace.close();
  return 0;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'import':
        return await importCommand(rest, io);
      case 'export':
        return await exportCommand(rest, io);
      case 'serve':
        return await serveCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.err(`Unknown command "${command}".\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    const message = error instanceof MarginError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? (error as Error).message : String(error);
    io.err(`margin: ${message}`);
    return 2;
  }
}
