import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { expect, test, type Page } from '@playwright/test';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
const cli = path.join(repoRoot, 'bin/margin.js');

export interface BrowserMode {
  url: string;
  projectDir: string;
  env: NodeJS.ProcessEnv;
  /** Stops the server and starts it again on the same project and user data; `url` is the new one. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Runs `margin serve` and waits for the URL it prints. */
async function serve(projectDir: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child: ChildProcess = spawn(process.execPath, [cli, 'serve', '--project', projectDir, '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`margin serve exited with ${code} before printing its URL`)));
  });
  const match = /^Margin is running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)$/.exec(firstLine);
  if (!match) throw new Error(`Unexpected first line from margin serve: ${firstLine}`);
  return { child, url: match[1]! };
}

async function stopServing(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * A fresh `margin serve` on a new project for each test of the calling file, stopped after it;
 * `take` receives it before the test runs (the spec keeps it in its own `app`).
 */
export function browserModeForEachTest(take: (app: BrowserMode) => void): void {
  let app: BrowserMode | undefined;
  test.beforeEach(async () => {
    app = await startBrowserMode();
    take(app);
  });
  test.afterEach(async () => {
    await app?.stop();
  });
}

/**
 * Starts `margin serve` on a fresh project and user-data folder, as a user would. `prepare` runs
 * first, while no server holds the project, e.g. to import colleagues' layers with the CLI.
 * `sameUserAs`: the same user's second project (their user data is that server's).
 */
export async function startBrowserMode(prepare?: (projectDir: string, env: NodeJS.ProcessEnv) => void, sameUserAs?: BrowserMode): Promise<BrowserMode> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'margin-e2e-'));
  const projectDir = path.join(root, 'project');
  const env = sameUserAs ? sameUserAs.env : { ...process.env, MARGIN_USER_DATA: path.join(root, 'user-data') };
  prepare?.(projectDir, env);
  let server = await serve(projectDir, env);
  const app: BrowserMode = {
    url: server.url,
    projectDir,
    env,
    restart: async () => {
      await stopServing(server.child);
      server = await serve(projectDir, env);
      app.url = server.url;
    },
    stop: async () => {
      await stopServing(server.child);
      rmSync(root, { recursive: true, force: true });
    },
  };
  return app;
}

/** Runs the real CLI and returns its stdout. */
export function runCli(args: string[], env: NodeJS.ProcessEnv): string {
  const result = spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`margin ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

/**
 * Selects `exact` in the reading view by dragging the mouse from inside its first character to
 * inside its last one, the way a person does (and never quite on the boundaries).
 */
export async function dragSelect(page: Page, exact: string, occurrence = 0): Promise<void> {
  const box = await page.evaluate(
    ({ exact, occurrence }) => {
      const paragraphs = Array.from(document.querySelectorAll<HTMLElement>('.reading-text p[data-start]'));
      let seen = 0;
      for (const p of paragraphs) {
        const text = p.firstChild as Text;
        let at = text.data.indexOf(exact);
        while (at !== -1) {
          if (seen++ === occurrence) {
            const rect = (from: number) => {
              const r = document.createRange();
              r.setStart(text, from);
              r.setEnd(text, from + 1);
              return r.getClientRects()[0]!;
            };
            const first = rect(at);
            const last = rect(at + exact.length - 1);
            return {
              x1: first.left + first.width * 0.3,
              y1: first.top + first.height / 2,
              x2: last.left + last.width * 0.7,
              y2: last.top + last.height / 2,
            };
          }
          at = text.data.indexOf(exact, at + 1);
        }
      }
      throw new Error(`"${exact}" is not in the reading view`);
    },
    { exact, occurrence },
  );
  await page.mouse.move(box.x1, box.y1);
  await page.mouse.down();
  await page.mouse.move((box.x1 + box.x2) / 2, (box.y1 + box.y2) / 2, { steps: 4 });
  await page.mouse.move(box.x2, box.y2, { steps: 4 });
  await page.mouse.up();
}

/** Clicks the middle of the first occurrence of `exact` in the reading view. */
export async function clickText(page: Page, exact: string): Promise<void> {
  const point = await page.evaluate((exact) => {
    for (const p of document.querySelectorAll<HTMLElement>('.reading-text p[data-start]')) {
      const text = p.firstChild as Text;
      const at = text.data.indexOf(exact);
      if (at === -1) continue;
      const r = document.createRange();
      const middle = at + Math.floor(exact.length / 2);
      r.setStart(text, middle);
      r.setEnd(text, middle + 1);
      const rect = r.getClientRects()[0]!;
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    }
    throw new Error(`"${exact}" is not in the reading view`);
  }, exact);
  await page.mouse.click(point.x, point.y);
}

/** How many ranges each of Margin's CSS highlights paints (annotations; suggestions with `suggested`). */
export function highlightSizes(page: Page, suggested = false): Promise<Record<string, number>> {
  return page.evaluate((suggested) => {
    const sizes: Record<string, number> = {};
    CSS.highlights.forEach((highlight, name) => {
      if (name.startsWith('margin-') && name.startsWith('margin-suggested-') === suggested) sizes[name] = highlight.size;
    });
    return sizes;
  }, suggested);
}

/** The annotation list beside the text, and its entries (one per annotation shown). */
export const annotationPanel = (page: Page) => page.getByRole('complementary', { name: 'Annotations' });
export const annotationItems = (page: Page) => annotationPanel(page).locator('li');

/** Annotations painted in the text: one range each (the selection's own highlight not counted). */
export async function paintedAnnotations(page: Page): Promise<number> {
  return Object.entries(await highlightSizes(page))
    .filter(([name]) => name.startsWith('margin-label-'))
    .reduce((n, [, size]) => n + size, 0);
}

/** The CNN article about Blinken's October meeting, by its title, and the quote the tests tag in it. */
export const CNN_OCTOBER = /urged top Israeli officials to “capitalize”/;
export const QUOTE = 'a series of big, productive conversations';

/** Opens the app and answers the first-run question for the annotator's name. */
export async function signIn(page: Page, app: BrowserMode, name = 'Ana'): Promise<void> {
  await page.goto(app.url);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Save' }).click();
}

/** Signs in, loads the sample articles and opens the CNN article. */
export async function openSampleArticle(page: Page, app: BrowserMode, name = 'Ana'): Promise<void> {
  await signIn(page, app, name);
  await page.getByRole('button', { name: 'Load sample articles' }).click();
  await page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: CNN_OCTOBER }).click();
  await expect(page.getByTestId('reading-text')).toContainText(QUOTE);
}

/**
 * The README's screenshot `docs/<name>.png`, and `docs/<name>-dark.png` of the same screen in
 * the dark colour scheme; the page is left in the scheme it was in.
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  const scheme = await page.evaluate(() => (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
  mkdirSync(path.join(repoRoot, 'docs'), { recursive: true });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: path.join(repoRoot, 'docs', `${name}.png`) });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(repoRoot, 'docs', `${name}-dark.png`) });
  await page.emulateMedia({ colorScheme: scheme });
}

/**
 * A colleague's checkout of the project: a copy of the folder without the running server's
 * lock, where the CLI can write as someone else while the server holds the original. It lies
 * beside the project, so stop() removes it too.
 */
export function cloneProject(projectDir: string): string {
  const clone = path.join(mkdtempSync(path.join(path.dirname(projectDir), 'clone-')), 'project');
  cpSync(projectDir, clone, { recursive: true, filter: (source) => path.basename(source) !== '.margin.lock' });
  return clone;
}

/** Writes a file the way a git checkout does: the old one removed, a whole new file in its place. */
export function writeLikeGit(file: string, content: string | Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true });
  rmSync(file, { force: true });
  writeFileSync(file, content);
}

/**
 * Turns blind annotation off in the project's margin.json, as a teammate's change to it arrives
 * (a running server reads it again): for tests about colleagues' layers being seen, which new
 * projects hide from an annotator until they mark a document done (blindMode.spec.ts).
 */
export function showEveryLayer(projectDir: string): void {
  const file = path.join(projectDir, 'margin.json');
  const project = JSON.parse(readFileSync(file, 'utf8')) as { settings?: Record<string, unknown> };
  project.settings = { ...project.settings, blindAnnotation: false };
  writeLikeGit(file, `${JSON.stringify(project, null, 2)}\n`);
}
