// The CLI as bundled JavaScript (out/cli/), rebuilt with esbuild when a source it was built from
// changed. Why: through tsx every start resolves and transpiles some 150 TypeScript modules
// through loader hooks, about a second of CPU before `margin serve` even opens the project; the
// bundle loads in a fraction of that. What decides "changed": the size and mtime of every input
// the last build read (esbuild's metafile), checked with one stat each on every start.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const outRoot = path.join(root, 'out', 'cli');
const pointer = path.join(outRoot, 'current.json');
/** Builds nobody points at any more are removed after this long (a running `margin serve` may still load chunks from one). */
const OLD_BUILD_MS = 24 * 60 * 60 * 1000;

const stampOf = (file) => {
  const info = statSync(path.join(root, file), { throwIfNoEntry: false });
  return info ? `${info.size}:${info.mtimeMs}` : null;
};

/** The entry of the current build when every input is as it was built from; else null. */
function currentBuild() {
  let current;
  try {
    current = JSON.parse(readFileSync(pointer, 'utf8'));
  } catch {
    return null;
  }
  if (current.node !== process.version) return null;
  for (const [file, stamp] of Object.entries(current.inputs)) if (stampOf(file) !== stamp) return null;
  const entry = path.join(outRoot, current.dir, 'cli.js');
  return statSync(entry, { throwIfNoEntry: false }) ? entry : null;
}

async function rebuild() {
  const { build } = await import('esbuild');
  const dir = `build-${process.pid}-${Date.now()}`;
  const outdir = path.join(outRoot, dir);
  const result = await build({
    absWorkingDir: root,
    entryPoints: {
      cli: 'electron/cli.ts',
      // The import reader thread, found beside the CLI (electron/services/intake/extractPool.ts).
      extractWorker: 'electron/services/intake/extractWorker.ts',
      // The suggestion engine's thread, found beside the CLI (electron/services/assist/suggestPool.ts).
      suggestWorker: 'electron/services/assist/suggestWorker.ts',
    },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    packages: 'external',
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) {
    const stamp = stampOf(file);
    if (stamp) inputs[file] = stamp;
  }
  // The pointer changes in one rename: a CLI starting meanwhile uses the old build or the new one.
  const temp = `${pointer}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify({ dir, node: process.version, inputs }));
  renameSync(temp, pointer);
  removeOldBuilds(dir);
  return path.join(outdir, 'cli.js');
}

function removeOldBuilds(keep) {
  for (const name of readdirSync(outRoot)) {
    if (!name.startsWith('build-') || name === keep) continue;
    const full = path.join(outRoot, name);
    const info = statSync(full, { throwIfNoEntry: false });
    if (info && Date.now() - info.mtimeMs > OLD_BUILD_MS) rmSync(full, { recursive: true, force: true });
  }
}

/**
 * The CLI module: the bundle (built now when missing or out of date), or the TypeScript sources
 * through tsx when it cannot be built (esbuild missing, a source that does not compile: tsx then
 * reports the error as it always did).
 */
export async function loadCli() {
  try {
    mkdirSync(outRoot, { recursive: true });
    const entry = currentBuild() ?? (await rebuild());
    return await import(pathToFileURL(entry).href);
  } catch {
    const { register } = await import('tsx/esm/api');
    register();
    return import('../electron/cli.ts');
  }
}
