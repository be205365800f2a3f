import { existsSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { assistedSummary } from '../shared/agreement/assisted';
import { type AgreementReport, SYNC_STEP_TEXT } from '../shared/api';
import type { ImportFormat } from '../shared/formats/dataset';
import { availableExportFormats, availableImportFormats, formatEntry } from '../shared/formats/registry';
import { AnnotatorName } from '../shared/model';
import { agreementReport } from './services/review/agreement';
import { importAnnotations } from './services/datasets/annotationImport';
import { type ExportFilters, exporterFor, projectDocuments, writeExport } from './services/datasets/datasetExport';
import { MarginError, userMessage } from './services/errors';
import { importPaths, summarizeReport } from './services/intake/importer';
import { defaultProjectDir, rendererDir, userDataDir } from './services/store/paths';
import { ProjectStore } from './services/store/projectStore';
import { updateSchema } from './services/editing/schemaMigration';
import { Workspace } from './services/workspace';
import { Settings } from './services/store/settings';
import { syncProject } from './services/team/sync';
import { suggestInto } from './services/assist/preAnnotate';
import { suggestionSource } from './services/assist/suggest';
import { startWebServer } from './web';

const USAGE = `Usage:
  margin import --project DIR PATH... [--take-over-lock]
                                                      import articles: files (.txt, .md, .html,
                                                      .docx, .pdf) and folders (recursively);
                                                      progress on stderr, summary on stdout
  margin export --project DIR --format FORMAT [--annotator NAME]... [--label NAME]...
                [--documents all|done] [--conll-overlap outermost|innermost|first|longest]
                [--out PATH]
                                                      write a dataset: jsonl, w3c, brat (a folder),
                                                      doccano, label-studio, csv, conll; stdout
                                                      when no --out (single-file formats)
  margin import-annotations --project DIR --format FORMAT [--annotator NAME] [--dry-run] PATH...
                [--take-over-lock]
                                                      import annotations (jsonl, w3c, brat,
                                                      doccano, label-studio) from files or
                                                      folders; labels, attributes and relation
                                                      types the schema lacks are added
  margin agree --project DIR [--annotators a,b,...] [--label NAME]... [--json]
               [--against gold] [--exclude-suggested]
                                                      agreement between annotators, every pair,
                                                      overall and per label: exactF1, overlapF1,
                                                      cohenKappa, alphaNominal, alphaUnitizing
                                                      (+ fleissKappa for 3 or more); a table, or
                                                      the full report (per document too) as JSON.
                                                      Adjudication layers (gold…) are left out
                                                      unless named; --against scores each
                                                      annotator against that layer instead;
                                                      --exclude-suggested scores only the
                                                      analysts' own spans (accepted suggestions
                                                      left out, counted per annotator)
  margin serve [--project DIR] [--port N] [--take-over-lock]
                                                      browser mode on 127.0.0.1
  margin sync --project DIR [--annotator NAME] [--take-over-lock]
                                                      share work through git: commit your own
                                                      files, pull colleagues' work, push; makes
                                                      DIR a git repository when it is not one
  margin suggest --project DIR [--label L]... [--documents all|ID...] [--out FILE]
                                                      suggest quotes with their sources and
                                                      speakers, claims and events (offline);
                                                      writes Margin's JSONL, not the project
  margin suggest --project DIR --into ANNOTATOR [--label L]... [--documents all|ID...] [--take-over-lock]
                                                      pre-annotate ANNOTATOR's layer with them
                                                      (origin "suggested"; a re-run adds nothing twice)
  margin help

import, import-annotations and serve make DIR a new project when it is missing or empty;
export, agree and sync only read or share a project and refuse a DIR that is not one (exit 2), as
they refuse an --annotator or --label the project does not have. import exits with 1 when
a file could not be imported (each reason names it) and 130 when stopped with Ctrl+C.
import-annotations exits with 1 when a record or a file was rejected (orphans are listed but
are not an error). sync exits with 1 when the work could not go both ways (no remote, a
conflict Margin cannot merge, a refused push): the message says what to do.

import, import-annotations and serve lock the project: one Margin at a time writes it. A lock
whose Margin has provably ended (same computer, process gone) is taken over by itself; any
other stops the command, naming who holds it. --take-over-lock takes the lock whoever holds
it: use it only when that Margin is no longer running.`;

/** The formats this build can export (every format whose module is present). */
export const EXPORT_FORMATS = availableExportFormats();
const CONLL_OVERLAPS = ['outermost', 'innermost', 'first', 'longest'] as const;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** For commands that lock the project: take it over from a holder the user knows is gone. */
const TAKE_OVER_OPTION = { 'take-over-lock': { type: 'boolean' } } as const;

function requireProject(value: string | undefined): string {
  if (!value) throw new MarginError('bad-input', '--project DIR is required');
  return path.resolve(value);
}

/** For commands that only read: the folder must be a project already (a typo never becomes one). */
function requireExistingProject(value: string | undefined): string {
  const dir = requireProject(value);
  const info = statSync(dir, { throwIfNoEntry: false });
  if (!info) throw new MarginError('bad-input', `${dir} is not a Margin project: there is no such folder. Check the --project folder.`);
  if (!info.isDirectory()) throw new MarginError('bad-input', `${dir} is not a Margin project: it is a file, not a folder.`);
  if (!existsSync(path.join(dir, 'margin.json'))) throw new MarginError('bad-input', `${dir} is not a Margin project (it has no margin.json)`);
  return dir;
}

/** Annotators a read command was given that have no layer in the project: refused by name, with those it has. */
async function requireKnownAnnotators(store: ProjectStore, option: string, names: readonly string[] | undefined): Promise<void> {
  if (!names || names.length === 0) return;
  const known = await store.annotators();
  const unknown = names.find((n) => !known.includes(n));
  if (unknown !== undefined) {
    throw new MarginError('bad-input', `${option}: "${unknown}" has no annotations in this project (annotators: ${known.join(', ') || 'none yet'})`);
  }
}

/** Labels a read command was given that the tag schema lacks: refused by name, with those it has. */
function requireKnownLabels(store: ProjectStore, names: readonly string[] | undefined): void {
  const known = store.project.schema.labels.map((l) => l.name);
  const unknown = (names ?? []).find((n) => !known.includes(n));
  if (unknown !== undefined) throw new MarginError('bad-input', `--label: "${unknown}" is not a label of this project (labels: ${known.join(', ')})`);
}

async function importCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { project: { type: 'string' }, ...TAKE_OVER_OPTION }, allowPositionals: true });
  const dir = requireProject(values.project);
  if (positionals.length === 0) throw new MarginError('bad-input', 'Name at least one FILE or FOLDER to import');
  const store = await ProjectStore.open(dir, { takeOverLock: values['take-over-lock'] });
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

/** Writes lines to io.out as they complete (io.out adds the newline), so stdout streams too. */
function lineWriter(io: CliIo): { write: (chunk: string) => void; end: () => void } {
  let pending = '';
  return {
    write(chunk) {
      pending += chunk;
      const last = pending.lastIndexOf('\n');
      if (last === -1) return;
      io.out(pending.slice(0, last));
      pending = pending.slice(last + 1);
    },
    end() {
      // Nothing written at all stays nothing: an empty export is an empty file, not a lone newline.
      if (pending !== '') io.out(pending);
      pending = '';
    },
  };
}

function exportFilters(values: { annotator?: string[]; label?: string[]; documents?: string }): ExportFilters {
  const documents = values.documents ?? 'all';
  if (documents !== 'all' && documents !== 'done') throw new MarginError('bad-input', `--documents: "${documents}" is not all or done`);
  for (const name of values.annotator ?? []) {
    const checked = AnnotatorName.safeParse(name);
    if (!checked.success) throw new MarginError('bad-input', `--annotator: "${name}": ${checked.error.issues[0]?.message ?? 'not a valid name'}`);
  }
  return { annotators: values.annotator ?? [], labels: values.label ?? [], documents };
}

async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      project: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      annotator: { type: 'string', multiple: true },
      label: { type: 'string', multiple: true },
      documents: { type: 'string' },
      'conll-overlap': { type: 'string' },
    },
  });
  const dir = requireProject(values.project);
  const format = values.format ?? 'jsonl';
  const available = availableExportFormats();
  if (!(available as readonly string[]).includes(format)) {
    throw new MarginError('bad-input', `--format: "${format}" is not supported; choose one of ${available.join(', ')}`);
  }
  const overlap = values['conll-overlap'];
  if (overlap !== undefined && !(CONLL_OVERLAPS as readonly string[]).includes(overlap)) {
    throw new MarginError('bad-input', `--conll-overlap: "${overlap}" is not one of ${CONLL_OVERLAPS.join(', ')}`);
  }
  const filters = exportFilters(values);
  const exporter = exporterFor(format);
  if (exporter.kind === 'folder' && !values.out) throw new MarginError('bad-input', `--out FOLDER is required: ${format} writes a folder of files`);
  // Exporting only reads, so it works beside a running app that holds the project lock.
  const store = await ProjectStore.open(requireExistingProject(dir), { lock: false });
  await requireKnownAnnotators(store, '--annotator', filters.annotators);
  requireKnownLabels(store, filters.labels);
  const source = projectDocuments(store, filters);
  const options = overlap ? { conllOverlap: overlap as (typeof CONLL_OVERLAPS)[number] } : {};
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  try {
    if (values.out) {
      const target = path.resolve(values.out);
      const result = await writeExport({
        exporter,
        source,
        target,
        schema: store.project.schema,
        options,
        overwrite: true,
        signal: controller.signal,
        // One plain line per document: a log or a pipe reads as well as a terminal.
        onProgress: ({ done, total, current }) => {
          if (current && total > 1) io.err(`[${done + 1}/${total}] ${current}`);
        },
      });
      io.err(`Exported ${result.documents} document${result.documents === 1 ? '' : 's'} to ${target}`);
      if (exporter.kind === 'single') for (const file of result.beside ?? []) io.err(`Wrote ${exporter.beside?.describe ?? 'a file'} beside it: ${file}`);
      return 0;
    }
    if (exporter.kind !== 'single') throw new MarginError('bad-input', `--out is required for ${format}`);
    if (exporter.beside) io.err(`note: ${exporter.beside.describe} is written only with --out FILE, beside the export`);
    // stdout: streamed document by document (not atomic: a pipe cannot take back what it was sent).
    const out = lineWriter(io);
    const ids = await source.ids();
    const base = { schema: store.project.schema, total: ids.length, options };
    out.write(exporter.begin(base));
    for (const [index, id] of ids.entries()) {
      if (controller.signal.aborted) return 130;
      out.write(exporter.document(await source.read(id), { ...base, index }));
    }
    out.write(exporter.end(base));
    out.end();
    return 0;
  } catch (error) {
    if (controller.signal.aborted) {
      io.err('Export cancelled; nothing was written.');
      return 130;
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}

/** Files for an annotation import: named files as they are, folders walked for the format's extensions. */
async function annotationFiles(paths: readonly string[], extensions: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string) => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && extensions.includes(path.extname(entry.name).slice(1).toLowerCase())) found.push(full);
    }
  };
  for (const p of paths) {
    const full = path.resolve(p);
    const info = await stat(full).catch(() => null);
    if (!info) throw new MarginError('bad-input', `${p}: no such file or folder`);
    if (info.isDirectory()) await walk(full);
    else found.push(full);
  }
  return found;
}

async function importAnnotationsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { project: { type: 'string' }, format: { type: 'string' }, annotator: { type: 'string' }, 'dry-run': { type: 'boolean' }, ...TAKE_OVER_OPTION },
    allowPositionals: true,
  });
  const dir = requireProject(values.project);
  const format = values.format;
  const available = availableImportFormats();
  if (!format || !(available as readonly string[]).includes(format)) {
    throw new MarginError('bad-input', `--format: ${format ? `"${format}" cannot be imported` : 'is required'}; choose one of ${available.join(', ')}`);
  }
  if (values.annotator !== undefined) {
    const checked = AnnotatorName.safeParse(values.annotator);
    if (!checked.success) throw new MarginError('bad-input', `--annotator: "${values.annotator}": ${checked.error.issues[0]?.message ?? 'not a valid name'}`);
  }
  if (positionals.length === 0) throw new MarginError('bad-input', 'Name at least one FILE or FOLDER of annotations to import');
  const entry = formatEntry(format)!;
  const paths = await annotationFiles(positionals, entry.extensions);
  if (paths.length === 0) throw new MarginError('bad-input', `No ${entry.extensions.map((e) => `.${e}`).join(', ')} files found in ${positionals.join(', ')}`);
  // Names relative to the common folder, so brat pairs .ann and .txt by base name and reports read well.
  const root = commonDir(paths);
  const files = [];
  for (const file of paths) files.push({ name: path.relative(root, file) || path.basename(file), content: await readFile(file, 'utf8') });
  const store = await ProjectStore.open(dir, { takeOverLock: values['take-over-lock'] });
  try {
    const report = await importAnnotations(store, {
      format: format as ImportFormat,
      files,
      annotator: values.annotator,
      addToSchema: true,
      dryRun: values['dry-run'] ?? false,
      applySchema: async (schema) => {
        await updateSchema(store, { schema, renameLabels: [], renameAttributes: [] });
      },
    });
    const additions = report.schemaAdditions;
    const verb = report.dryRun ? 'would add' : 'added';
    if (additions.labels.length > 0) io.err(`schema: ${verb} labels ${additions.labels.join(', ')}`);
    if (additions.attributes.length > 0) io.err(`schema: ${verb} attributes ${additions.attributes.map((a) => `${a.label}.${a.name}`).join(', ')}`);
    if (additions.relationTypes.length > 0) io.err(`schema: ${verb} relation types ${additions.relationTypes.join(', ')}`);
    for (const doc of report.createdDocuments) io.err(`created   document "${doc.title}" (${doc.docId})`);
    let rejected = 0;
    for (const file of report.files) {
      io.out(
        `${file.name}: ${file.documents} document${file.documents === 1 ? '' : 's'}, ${file.imported} imported${file.reanchored > 0 ? ` (${file.reanchored} re-anchored)` : ''}, ${file.alreadyPresent} already present, ${file.orphaned} orphaned, ${file.rejected.length} rejected`,
      );
      for (const r of file.rejected) io.err(`rejected  ${file.name}${r.line === undefined ? '' : `:${r.line}`}: ${r.reason}`);
      for (const n of file.notes) io.err(`note      ${file.name}${n.line === undefined ? '' : `:${n.line}`}: ${n.reason}`);
      rejected += file.rejected.length;
    }
    const orphans = report.files.reduce((n, f) => n + f.orphaned, 0);
    if (orphans > 0) io.err(`${orphans} annotation${orphans === 1 ? '' : 's'} could not be placed in the text: kept as orphans in the annotator's layer`);
    io.out(`${report.dryRun ? 'Dry run: nothing was written. ' : ''}Annotator: ${report.annotator || '(none)'}`);
    return rejected > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}

function commonDir(files: readonly string[]): string {
  let root = path.dirname(files[0]!);
  for (const f of files) {
    while (path.relative(root, f).startsWith('..')) root = path.dirname(root);
  }
  return root;
}

async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { project: { type: 'string' }, port: { type: 'string' }, ...TAKE_OVER_OPTION } });
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
    takeOverLock: values['take-over-lock'],
  });
  const server = await startWebServer({ handlers: workspace.handlers, staticDir, port, projectDir: () => workspace.projectDir }).catch(async (error: unknown) => {
    await workspace.close();
    throw error;
  });
  io.out(`Margin is running at ${server.url}`);
  // On stderr: stdout stays the one line scripts read the URL from.
  io.err(`Project folder: ${workspace.projectDir}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await workspace.close();
  return 0;
}

/** Sync as the annotator named (or the one the app last used): progress on stderr, the outcome on stdout. */
async function syncCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { project: { type: 'string' }, annotator: { type: 'string' }, ...TAKE_OVER_OPTION } });
  const dir = requireProject(values.project);
  if (!existsSync(path.join(dir, 'margin.json'))) throw new MarginError('bad-input', `${dir} is not a Margin project (it has no margin.json)`);
  const name = values.annotator ?? (await Settings.open(userDataDir())).value.annotator;
  if (!name) throw new MarginError('bad-input', '--annotator NAME is required: whose annotations are yours to send');
  const checked = AnnotatorName.safeParse(name);
  if (!checked.success) throw new MarginError('bad-input', `--annotator: "${name}": ${checked.error.issues[0]?.message ?? 'not a valid name'}`);
  // The lock keeps the app from writing while git commits and merges.
  const store = await ProjectStore.open(dir, { takeOverLock: values['take-over-lock'] });
  try {
    // Git must see every acknowledged change in the layer files themselves (opening folds any journal left by a crash too).
    await store.compactAll();
    const report = await syncProject({ dir: store.dir, annotator: checked.data, onStep: (step) => step !== 'done' && io.err(SYNC_STEP_TEXT[step]) });
    for (const note of report.notes) io.err(`note: ${note}`);
    io.out(report.summary);
    return report.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}

type MeasureValue = AgreementReport['pairs'][number]['exactF1'];
const AGREE_MEASURES = ['exactF1', 'overlapF1', 'cohenKappa', 'alphaNominal', 'alphaUnitizing'] as const;

/** A measure for the table: four decimals, or "n/a (reason)". */
function formatMeasure(m: MeasureValue | null): string {
  if (!m) return 'n/a';
  return m.value === null ? `n/a (${m.reason ?? 'undefined'})` : m.value.toFixed(4);
}

/** Rows of cells as a plain text table, columns padded to their widest cell. */
function textTable(rows: string[][]): string {
  // A short row's last cell runs on (a reason shared by every measure): it does not widen its column.
  const full = rows[0]!.length;
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (c < r.length - 1 || r.length === full ? [...(r[c] ?? '')].length : 0))));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd()).join('\n');
}

/** The report as people read it: one row per pair and label (project level), then Fleiss' kappa and problems. */
export function formatAgreement(report: AgreementReport): string {
  const lines: string[] = [];
  const docs = `${report.documents.length} document${report.documents.length === 1 ? '' : 's'}`;
  const who = report.annotators.join(', ') || '(no annotators)';
  lines.push(report.against === null ? `Agreement over ${docs} between ${who}` : `Agreement of ${who} with ${report.against} over ${docs}`);
  const leftOut = report.adjudicationLayers.filter((n) => n !== report.against && !report.annotators.includes(n));
  for (const name of leftOut) lines.push(`Left out: ${name} (adjudication layer; margin agree --against ${name} scores the annotators against it)`);
  lines.push('');
  if (report.pairs.length > 0) {
    const rows = [['pair', 'label', ...AGREE_MEASURES]];
    for (const p of report.pairs) {
      const cells = AGREE_MEASURES.map((k) => formatMeasure(p[k]));
      // Every measure undefined for the same reason: said once.
      const same = AGREE_MEASURES.every((k) => p[k].value === null) && new Set(cells).size === 1;
      rows.push([`${p.a} – ${p.b}`, p.label ?? '(all)', ...(same ? [cells[0]!] : cells)]);
    }
    lines.push(textTable(rows));
  } else {
    lines.push('No pairs to compare.');
  }
  if (report.fleissKappa) lines.push('', `fleissKappa (all ${report.annotators.length} annotators, tokens, overall): ${formatMeasure(report.fleissKappa)}`);
  const assisted = assistedSummary(report);
  if (assisted) lines.push('', assisted.note, ...assisted.lines);
  lines.push('', 'Per-document values: margin agree --json.');
  return lines.join('\n');
}

async function agreeCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      project: { type: 'string' },
      annotators: { type: 'string' },
      label: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      against: { type: 'string' },
      'exclude-suggested': { type: 'boolean' },
    },
  });
  const dir = requireExistingProject(values.project);
  const annotators = values.annotators
    ?.split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  for (const name of annotators ?? []) {
    const checked = AnnotatorName.safeParse(name);
    if (!checked.success) throw new MarginError('bad-input', `--annotators: "${name}": ${checked.error.issues[0]?.message ?? 'not a valid name'}`);
  }
  const against = values.against === undefined ? undefined : AnnotatorName.safeParse(values.against);
  if (against && !against.success) throw new MarginError('bad-input', `--against: "${values.against}": ${against.error.issues[0]?.message ?? 'not a valid name'}`);
  // Agreement only reads, so it works beside a running app that holds the project lock.
  const store = await ProjectStore.open(dir, { lock: false });
  try {
    await requireKnownAnnotators(store, '--annotators', annotators);
    requireKnownLabels(store, values.label);
    const report = await agreementReport(store, { annotators, labels: values.label, against: against?.data, excludeSuggested: values['exclude-suggested'] });
    if (values.json) io.out(JSON.stringify(report, null, 2));
    else io.out(formatAgreement(report));
    for (const problem of report.problems) io.err(`problem: ${problem}`);
    return 0;
  } finally {
    await store.close();
  }
}

/** Suggestions as Margin's JSONL, through the JSONL exporter: to --out (atomically) or stdout, one document a line. */
async function suggestCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      project: { type: 'string' },
      label: { type: 'string', multiple: true },
      documents: { type: 'string', multiple: true },
      out: { type: 'string' },
      into: { type: 'string' },
      ...TAKE_OVER_OPTION,
    },
    allowPositionals: true,
  });
  if (values.into !== undefined && values.out !== undefined) throw new MarginError('bad-input', '--into and --out cannot be used together: --into writes the suggestions into a layer, --out into a file');
  if (values.into === undefined && values['take-over-lock']) throw new MarginError('bad-input', '--take-over-lock: only with --into (without it margin suggest only reads the project)');
  // --documents ID ID …: the ids after the first arrive as positionals.
  const named = [...(values.documents ?? []), ...(values.documents ? positionals : [])];
  if (!values.documents && positionals.length > 0) throw new MarginError('bad-input', `"${positionals[0]}": margin suggest takes no file names; name documents with --documents ID...`);
  const documents = named.length === 0 || (named.length === 1 && named[0] === 'all') ? 'all' : named;
  if (values.into !== undefined) return suggestIntoCommand(values.into, { project: values.project, labels: values.label ?? [], documents, takeOverLock: values['take-over-lock'] }, io);
  // Suggesting only reads, so it works beside a running app that holds the project lock.
  const store = await ProjectStore.open(requireExistingProject(values.project), { lock: false });
  try {
    const source = suggestionSource(store, { labels: values.label ?? [], documents });
    const exporter = exporterFor('jsonl');
    if (exporter.kind !== 'single') throw new MarginError('bad-input', 'The JSONL format is not available in this version of Margin.');
    if (values.out) {
      const target = path.resolve(values.out);
      const result = await writeExport({ exporter, source, target, schema: store.project.schema, overwrite: true });
      io.err(`Suggested ${result.annotations} span${result.annotations === 1 ? '' : 's'} in ${result.documents} document${result.documents === 1 ? '' : 's'}: ${target}`);
      return 0;
    }
    const out = lineWriter(io);
    const ids = await source.ids();
    const base = { schema: store.project.schema, total: ids.length, options: {} };
    for (const [index, id] of ids.entries()) out.write(exporter.document(await source.read(id), { ...base, index }));
    out.end();
    return 0;
  } finally {
    await store.close();
  }
}

/** `margin suggest --into`: writes into a layer, so it takes the project lock like import-annotations. */
async function suggestIntoCommand(
  annotator: string,
  options: { project: string | undefined; labels: string[]; documents: 'all' | string[]; takeOverLock: boolean | undefined },
  io: CliIo,
): Promise<number> {
  const store = await ProjectStore.open(requireExistingProject(options.project), { takeOverLock: options.takeOverLock });
  try {
    const report = await suggestInto(store, annotator, { labels: options.labels, documents: options.documents });
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    io.out(
      `Suggested into ${annotator.trim()}'s layer: ${plural(report.documents, 'document')}, ${plural(report.added, 'annotation')} added, ${report.skipped} skipped (already there), ${plural(report.links, 'link')} added`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'import':
        return await importCommand(rest, io);
      case 'export':
        return await exportCommand(rest, io);
      case 'import-annotations':
        return await importAnnotationsCommand(rest, io);
      case 'agree':
        return await agreeCommand(rest, io);
      case 'serve':
        return await serveCommand(rest, io);
      case 'sync':
        return await syncCommand(rest, io);
      case 'suggest':
        return await suggestCommand(rest, io);
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
    io.err(`margin: ${cliErrorMessage(error, command)}`);
    if (process.env.MARGIN_DEBUG && !(error instanceof MarginError)) io.err(String((error as Error)?.stack ?? error));
    return 2;
  }
}

/** What the command line says about an error: never an errno code or a stack (MARGIN_DEBUG=1 prints those too). */
export function cliErrorMessage(error: unknown, command: string | undefined): string {
  if ((error as { code?: unknown } | null)?.code?.toString().startsWith('ERR_PARSE_ARGS')) return `${(error as Error).message} (see margin help)`;
  return userMessage(error, `run margin ${command ?? ''}`.trim(), 'set MARGIN_DEBUG=1 and run it again to see the details');
}
