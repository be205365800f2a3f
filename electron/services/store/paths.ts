import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_NAME = 'Margin';

/**
 * The same folder Electron's app.getPath('userData') gives for "Margin", so the desktop app and
 * browser mode share settings and the default project. MARGIN_USER_DATA overrides it (tests).
 */
export function userDataDir(): string {
  const override = process.env.MARGIN_USER_DATA;
  if (override) return path.resolve(override);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
}

export function defaultProjectDir(userData = userDataDir()): string {
  return path.join(userData, 'Default Project');
}

/** The repository (or packaged app) root: this file is electron/services/paths.ts or bundled into out/main. */
function appRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (path.basename(dir) === 'electron' || path.basename(dir) === 'out') return path.dirname(dir);
    dir = path.dirname(dir);
  }
  return process.cwd();
}

export function samplesDir(): string {
  return process.env.MARGIN_SAMPLES_DIR ?? path.join(appRoot(), 'resources', 'samples');
}

export function rendererDir(): string {
  return path.join(appRoot(), 'out', 'renderer');
}
