import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { CNN_OCTOBER, dragSelect, QUOTE, repoRoot, runCli, showEveryLayer, signIn, startBrowserMode, type BrowserMode } from './browserMode';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const SAMPLES = path.join(repoRoot, 'resources', 'samples');

let app: BrowserMode;
let remote: string;

/**
 * The team's remote is a bare repository. Ana's project is shared there; her colleague Ben
 * cloned it, tagged two spans in the CNN article (a doccano file imported into his layer) and
 * synced with the CLI, so the remote holds a commit of his that Ana has not seen.
 */
test.beforeEach(async () => {
  app = await startBrowserMode((projectDir, env) => {
    const root = path.dirname(projectDir);
    remote = path.join(root, 'team.git');
    git(root, '-c', 'init.defaultBranch=main', 'init', '-q', '--bare', remote);
    const samples = readdirSync(SAMPLES).filter((n) => n.endsWith('.txt')).map((n) => path.join(SAMPLES, n));
    runCli(['import', '--project', projectDir, ...samples], env);
    // The team sees each other's layers (blind annotation off), so Ben's work shows beside Ana's.
    showEveryLayer(projectDir);
    git(projectDir, '-c', 'init.defaultBranch=main', 'init', '-q');
    git(projectDir, 'remote', 'add', 'origin', remote);
    runCli(['sync', '--project', projectDir, '--annotator', 'Ana'], env);

    const benDir = path.join(root, 'ben');
    git(root, 'clone', '-q', remote, benDir);
    const cnn = runCli(['export', '--project', benDir, '--format', 'jsonl'], env)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { title: string; text: string })
      .find((d) => CNN_OCTOBER.test(d.title))!;
    const span = (needle: string) => {
      const at = [...cnn.text.slice(0, cnn.text.indexOf(needle))].length;
      return [at, at + [...needle].length];
    };
    const file = path.join(root, 'ben.jsonl');
    writeFileSync(file, `${JSON.stringify({ id: 1, text: cnn.text, label: [[...span(QUOTE), 'quote'], [...span('Antony Blinken'), 'source']] })}\n`);
    runCli(['import-annotations', '--project', benDir, '--format', 'doccano', '--annotator', 'Ben', file], env);
    runCli(['sync', '--project', benDir, '--annotator', 'Ben'], env);
  });
});
test.afterEach(async () => {
  await app.stop();
});

test("Sync shows its progress and what a colleague sent, and sends one's own work", async ({ page }) => {
  await signIn(page, app, 'Ana');
  await page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: CNN_OCTOBER }).click();
  await expect(page.getByTestId('reading-text')).toContainText(QUOTE);
  await dragSelect(page, 'top Israeli officials');
  await page.keyboard.press('1');
  const panel = page.getByRole('complementary', { name: 'Annotations' });
  await expect(panel.locator('li')).toHaveCount(1);

  // Hold each progress answer a little, as a slow network would, so the steps can be seen.
  await page.route('**/api/syncProgress', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await route.continue();
  });
  await page.getByRole('button', { name: 'Sync', exact: true }).click();
  const progress = page.getByRole('region', { name: 'Sync progress' });
  await expect(progress).toBeVisible();
  await expect(progress).toContainText(/Committing your work…|Pulling your colleagues' work…|Pushing to the team…/);
  await expect(page.getByRole('button', { name: 'Sync', exact: true })).toBeDisabled();

  const notice = page.getByRole('status').filter({ hasText: 'Synced with origin/main.' });
  await expect(notice).toContainText('Ben: 2 new annotations in 1 document.');
  await expect(notice).toContainText('Sent: Ana: 1 annotation added in 1 document.');
  await expect(progress).toHaveCount(0);
  // Ben's spans appear beside Ana's in the open article, without a reload.
  await expect(panel.locator('li')).toHaveCount(3);
  await expect(panel).toContainText('Ben');
  const [merge, ...commits] = git(remote, 'log', '--format=%s', 'main').split('\n');
  expect(merge).toBe("Merge origin/main: the team's work");
  expect(commits.sort()).toEqual(['Ana: 1 annotation added in 1 document', 'Ana: 4 new documents', 'Ben: 2 annotations added in 1 document']);

  // The same command from the browser's Menu: nothing new either way now.
  await page.unroute('**/api/syncProgress');
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('menuitem', { name: 'Sync with the team (git)' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Synced with origin/main. Nothing new from the team.' })).toBeVisible();
});

test('without a remote, Sync says exactly how to add one', async ({ page }) => {
  git(app.projectDir, 'remote', 'remove', 'origin');
  await signIn(page, app, 'Ana');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.keyboard.press('Control+Shift+Y');
  const alert = page.getByRole('alert').filter({ hasText: 'this project has no remote to share it through' });
  await expect(alert).toContainText('git remote add origin URL');
});
