import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { type BrowserMode, browserModeForEachTest, CNN_OCTOBER, dragSelect, openSampleArticle, QUOTE, runCli, showEveryLayer } from './browserMode';

let app: BrowserMode;
browserModeForEachTest((started) => (app = started));

test('export a dataset from the UI with a progress bar', async ({ page }) => {
  await openSampleArticle(page, app);
  await dragSelect(page, QUOTE);
  await page.keyboard.press('2');
  await expect(page.getByRole('complementary', { name: 'Annotations' }).locator('li')).toHaveCount(1);

  // Hold each progress answer a little, as a large project would, so the bar can be seen.
  await page.route('**/api/exportProgress', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await route.continue();
  });
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export dataset' });
  await dialog.getByLabel('Format').selectOption('csv');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(dialog.getByRole('region', { name: 'Export progress' }).getByRole('progressbar')).toBeVisible();
  await expect(dialog).toHaveCount(0, { timeout: 30_000 });
  const notice = page.getByRole('status').filter({ hasText: 'Exported 1 annotation in 4 documents to' });
  await expect(notice).toBeVisible();
  const written = (await notice.textContent())!.match(/ to (\S+\.csv)/)![1]!;
  expect(written.startsWith(path.join(app.projectDir, 'exports'))).toBe(true);
  expect(existsSync(written)).toBe(true);
  expect(readFileSync(written, 'utf8')).toContain(QUOTE);
});

test("import a colleague's doccano file and see their layer", async ({ page }) => {
  // About seeing a colleague's layer, not about blind annotation (new projects hide it until done).
  showEveryLayer(app.projectDir);
  await openSampleArticle(page, app);
  const cnn = runCli(['export', '--project', app.projectDir, '--format', 'jsonl'], app.env)
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: string; title: string; text: string })
    .find((d) => CNN_OCTOBER.test(d.title))!;
  const points = [...cnn.text];
  const at = [...cnn.text.slice(0, cnn.text.indexOf(QUOTE))].length;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'margin-doccano-'));
  const file = path.join(dir, 'bo.jsonl');
  writeFileSync(file, `${JSON.stringify({ id: 1, text: points.join(''), label: [[at, at + [...QUOTE].length, 'quote']] })}\n`);

  // Into Bo's layer: what the check says, then the notice after importing.
  const importIntoBo = async (preview: string, notice: string) => {
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('menuitem', { name: 'Import annotations…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import annotations' });
    await dialog.getByLabel('Format').selectOption('doccano');
    await dialog.getByTestId('annotation-files').setInputFiles(file);
    await dialog.getByLabel('Into the layer of').fill('Bo');
    await dialog.getByRole('button', { name: 'Check files' }).click();
    await expect(dialog.getByRole('region', { name: 'What will be imported' })).toContainText(preview);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByText(notice)).toBeVisible();
  };
  await importIntoBo('bo.jsonl: 1 annotation in 1 document', "Imported 1 annotation into Bo's layer");

  const panel = page.getByRole('complementary', { name: 'Annotations' });
  await expect(panel.locator('li')).toHaveCount(1);
  await expect(panel.locator('li').first()).toContainText('Bo');
  await expect(panel.locator('li .annotation-text').first()).toHaveText(QUOTE);

  // The same file again adds nothing, and says so.
  await importIntoBo('bo.jsonl: 0 annotations in 1 document, 1 already present', "Imported 0 annotations into Bo's layer; 1 already present (not added again).");
  await expect(panel.locator('li')).toHaveCount(1);
});

test('an imported annotation whose text is gone is kept as an orphan and shown', async ({ page }) => {
  // About seeing a colleague's layer, not about blind annotation (new projects hide it until done).
  showEveryLayer(app.projectDir);
  await openSampleArticle(page, app);
  const cnn = runCli(['export', '--project', app.projectDir, '--format', 'jsonl'], app.env)
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: string; title: string })
    .find((d) => CNN_OCTOBER.test(d.title))!;
  // The colleague's copy of the article had a sentence this one does not.
  const theirs = 'An aide said the envoy would return to Cairo next week.';
  const line = {
    id: cnn.id,
    title: cnn.title,
    text: theirs,
    annotations: [{ id: 'a1', label: 'claim', start: 0, end: [...theirs].length, text: theirs, annotator: 'Bo', attributes: {}, note: null }],
    relations: [],
  };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'margin-orphan-'));
  const file = path.join(dir, 'bo.jsonl');
  writeFileSync(file, `${JSON.stringify(line)}\n`);

  await page.keyboard.press('Control+Shift+O');
  const dialog = page.getByRole('dialog', { name: 'Import annotations' });
  await dialog.getByLabel('Format').selectOption('jsonl');
  await dialog.getByTestId('annotation-files').setInputFiles(file);
  await dialog.getByRole('button', { name: 'Check files' }).click();
  await expect(dialog.getByRole('region', { name: 'What will be imported' })).toContainText('1 cannot be placed (kept as orphans)');
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByText('1 could not be placed and are kept as orphans')).toBeVisible();
  const orphans = page.getByRole('region', { name: 'Annotations that could not be placed' });
  await expect(orphans).toContainText(theirs);
  await expect(orphans).toContainText('Bo');
});
