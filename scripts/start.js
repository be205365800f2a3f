#!/usr/bin/env node
// `npm start`: builds, then opens the desktop app. Where Electron cannot run (its binary cannot
// be downloaded, or there is no display), says so in one line and starts browser mode instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const electronDir = path.join(root, 'node_modules', 'electron');

function run(args) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** The Electron binary, downloading it on first use; null with a reason when it cannot be had. */
function electronBinary() {
  const pathFile = path.join(electronDir, 'path.txt');
  const located = () => {
    if (!existsSync(pathFile)) return null;
    const binary = path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8'));
    return existsSync(binary) ? binary : null;
  };
  if (located()) return { binary: located() };
  console.log('Downloading Electron (first start only)…');
  const download = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { stdio: 'pipe', timeout: 300_000 });
  const binary = download.status === 0 ? located() : null;
  return binary ? { binary } : { reason: 'the Electron binary could not be downloaded (offline?)' };
}

function noDisplay() {
  return process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
}

// The tests set MARGIN_START_SKIP_BUILD: rebuilding out/ under other running tests would race them.
if (!process.env.MARGIN_START_SKIP_BUILD) run([path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);

const electron = noDisplay() ? { reason: 'there is no display' } : electronBinary();
if (electron.binary) {
  const child = spawn(electron.binary, [root], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  // `margin serve` says which project folder it opened (the default one unless --project names another).
  console.log(`Electron cannot start here (${electron.reason}): starting browser mode instead.`);
  const child = spawn(process.execPath, [path.join(root, 'bin', 'margin.js'), 'serve', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
