import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

describe('npm start', () => {
  it('without a display says why in one line and starts browser mode on the default project', async () => {
    const userData = temps.make('margin-start-ud-');
    // npm test has built already; rebuilding here would pull out/ from under tests running beside this one.
    const env: NodeJS.ProcessEnv = { ...process.env, MARGIN_USER_DATA: userData, MARGIN_START_SKIP_BUILD: '1' };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts', 'start.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    const errors: string[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
        // Which project it opened comes on stderr (stdout is the URL line scripts read), after the URL.
        createInterface({ input: child.stderr! }).on('line', (line) => {
          errors.push(line);
          if (line.startsWith('Project folder:')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${lines.join('\n')}`)));
      });
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    const reason = lines.filter((l) => l.startsWith('Electron cannot start here'));
    expect(reason).toEqual(['Electron cannot start here (there is no display): starting browser mode instead.']);
    expect(lines[lines.length - 1]).toMatch(/^Margin is running at http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+$/);
    // Which project it opened, so the user knows where their work is kept.
    expect(errors).toContain(`Project folder: ${path.join(userData, 'Default Project')}`);
    expect(existsSync(path.join(userData, 'Default Project', 'margin.json'))).toBe(true);
  }, 120_000);
});
