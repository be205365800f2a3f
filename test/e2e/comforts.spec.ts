import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Locator, type Page, test } from '@playwright/test';
import JSZip from 'jszip';
import { CNN_OCTOBER, dragSelect, openSampleArticle, QUOTE, repoRoot, runCli, signIn, startBrowserMode, type BrowserMode } from './browserMode';

/**
 * Issue 11, daily comforts: an export downloaded in browser mode (item 10), deleting a document
 * and undoing it (item 17), and the small wording and layout defects (item 21).
 */

interface Doc {
  id: string;
  title: string;
  text: string;
}

const SAMPLES = path.join(repoRoot, 'resources', 'samples');

/** Code-point offsets of `phrase`, as the jsonl format counts them. */
function at(text: string, phrase: string): { start: number; end: number } {
  const i = text.indexOf(phrase);
  if (i < 0) throw new Error(`no "${phrase}"`);
  const start = [...text.slice(0, i)].length;
  return { start, end: start + [...phrase].length };
}

/** One annotator's layer on one document, as a jsonl line. */
function layerLine(doc: Doc, annotator: string, spans: [string, string][]): string {
  const annotations = spans.map(([label, phrase], i) => ({ id: `${annotator}-${i}`, label, ...at(doc.text, phrase), text: phrase, annotator, attributes: {}, note: null }));
  return `${JSON.stringify({ id: doc.id, title: doc.title, text: doc.text, annotations, relations: [] })}\n`;
}

/** Samples imported with the CLI, and colleagues' layers on the CNN article (annotator → spans). */
function prepareWith(layers: Record<string, [string, string][]>) {
  return (projectDir: string, env: NodeJS.ProcessEnv) => {
    const samples = readdirSync(SAMPLES).filter((n) => n.endsWith('.txt')).map((n) => path.join(SAMPLES, n));
    runCli(['import', '--project', projectDir, ...samples], env);
    const docs = runCli(['export', '--project', projectDir, '--format', 'jsonl'], env)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Doc);
    const cnn = docs.find((d) => CNN_OCTOBER.test(d.title))!;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'margin-layers-'));
    const files = Object.entries(layers).map(([annotator, spans]) => {
      const file = path.join(dir, `${annotator}.jsonl`);
      writeFileSync(file, layerLine(cnn, annotator, spans));
      return file;
    });
    if (files.length > 0) runCli(['import-annotations', '--project', projectDir, '--format', 'jsonl', ...files], env);
  };
}

// Each test starts its own server and reads real articles; the machine may be shared.
test.describe.configure({ timeout: 120_000 });

let app: BrowserMode | null = null;
test.afterEach(async () => {
  await app?.stop();
  app = null;
});

/** Exports in the Export dialog and returns the notice saying where it went, and the path it names. */
async function exportAs(page: Page, format: string, count: string): Promise<{ notice: Locator; written: string }> {
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export dataset' });
  await dialog.getByLabel('Format').selectOption(format);
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(dialog).toHaveCount(0, { timeout: 30_000 });
  const notice = page.getByRole('status').filter({ hasText: new RegExp(`Exported ${count} to .*-${format}`) });
  await expect(notice).toBeVisible();
  const written = (await notice.locator('p').textContent())!.match(/ to (.+)$/)![1]!;
  expect(path.dirname(written)).toBe(path.join(app!.projectDir, 'exports'));
  return { notice, written };
}

/** Tags the quote and its speaker in the open CNN article. */
async function tagQuoteAndSource(page: Page): Promise<void> {
  await dragSelect(page, QUOTE);
  await page.keyboard.press('2');
  await dragSelect(page, 'Blinken');
  await page.keyboard.press('4');
  await expect(page.getByRole('complementary', { name: 'Annotations' }).locator('li')).toHaveCount(2);
}

function overlaps(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

test('item 10: browser mode offers a finished export as a download, a folder export as a zip; the notice stays until dismissed', async ({ page }) => {
  app = await startBrowserMode();
  await page.clock.install();
  await openSampleArticle(page, app);
  await tagQuoteAndSource(page);

  const jsonl = await exportAs(page, 'jsonl', '2 annotations in 4 documents');
  // A minute later, far longer than a passing notice lasts, the path and the download are still offered.
  await page.clock.fastForward('01:00');
  await expect(jsonl.notice).toBeVisible();
  const [file] = await Promise.all([page.waitForEvent('download'), jsonl.notice.getByRole('link', { name: 'Download' }).click()]);
  expect(file.suggestedFilename()).toBe(path.basename(jsonl.written));
  expect(readFileSync((await file.path())!).equals(readFileSync(jsonl.written))).toBe(true);

  const brat = await exportAs(page, 'brat', '2 annotations in 4 documents');
  const [zipped] = await Promise.all([page.waitForEvent('download'), brat.notice.getByRole('link', { name: 'Download' }).click()]);
  expect(zipped.suggestedFilename()).toBe(`${path.basename(brat.written)}.zip`);
  const zip = await JSZip.loadAsync(readFileSync((await zipped.path())!));
  const names = Object.values(zip.files).filter((f) => !f.dir).map((f) => f.name).sort();
  expect(names).toEqual(readdirSync(brat.written).sort().map((n) => `${path.basename(brat.written)}/${n}`));
  for (const name of names) {
    const inZip = await zip.file(name)!.async('nodebuffer');
    expect(inZip.equals(readFileSync(path.join(brat.written, path.basename(name)))), name).toBe(true);
  }
  const anns = await Promise.all(names.filter((n) => n.endsWith('.ann')).map((n) => zip.file(n)!.async('string')));
  expect(anns.filter((a) => a.includes(QUOTE))).toHaveLength(1);

  await jsonl.notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(jsonl.notice).toHaveCount(0);
  await expect(brat.notice).toBeVisible();
});

test('item 17: delete a document with every layer after a confirmation naming the counts, then Undo', async ({ page }) => {
  app = await startBrowserMode(prepareWith({ Ben: [['source', 'Benjamin Netanyahu'], ['event', 'urged top Israeli officials']] }));
  await signIn(page, app, 'Ana');
  const nav = page.getByRole('navigation', { name: 'Documents' });
  await nav.getByRole('button', { name: CNN_OCTOBER }).click();
  await expect(page.getByTestId('reading-text')).toContainText(QUOTE);
  await dragSelect(page, QUOTE);
  await page.keyboard.press('2');
  const docId = readdirSync(path.join(app.projectDir, 'annotations', 'Ben'))[0]!.replace('.json', '');
  await expect.poll(() => existsSync(path.join(app!.projectDir, 'annotations', 'Ana', `${docId}.json`))).toBe(true);

  // Escape leaves everything as it was.
  await page.getByRole('button', { name: 'Delete document…' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Delete this document?' });
  await expect(confirm).toContainText('1 annotation by you (Ana)');
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  expect(existsSync(path.join(app.projectDir, 'documents', `${docId}.json`))).toBe(true);

  await page.getByRole('button', { name: 'Delete document…' }).click();
  await expect(confirm.getByRole('listitem')).toHaveText(['1 annotation by you (Ana)', '2 annotations by Ben']);
  await expect(confirm).toContainText('This deletes your colleagues’ work too: Ben’s layer.');
  await confirm.getByRole('button', { name: 'Delete document' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(nav.getByRole('button', { name: CNN_OCTOBER })).toHaveCount(0);
  await expect(page.getByText('Choose an article on the left to read and tag it.')).toBeVisible();
  for (const file of [`documents/${docId}.json`, `annotations/Ana/${docId}.json`, `annotations/Ben/${docId}.json`]) {
    expect(existsSync(path.join(app.projectDir, file)), file).toBe(false);
  }

  const notice = page.getByRole('status').filter({ hasText: 'and its 3 annotations in 2 layers.' });
  await expect(notice).toContainText('Deleted “US Secretary of State Antony Blinken on Tuesday urged top Israeli officials');
  await notice.getByRole('button', { name: 'Undo' }).click();
  await expect(notice).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'with everything on it.' })).toContainText('Restored “US Secretary of State');
  await expect(nav.getByRole('button', { name: CNN_OCTOBER })).toHaveAttribute('aria-current', 'true');
  await expect(page.getByTestId('reading-text')).toContainText(QUOTE);
  await expect(page.getByRole('complementary', { name: 'Annotations' }).locator('li').filter({ hasText: QUOTE })).toHaveCount(1);
  for (const file of [`documents/${docId}.json`, `annotations/Ana/${docId}.json`, `annotations/Ben/${docId}.json`]) {
    expect(existsSync(path.join(app.projectDir, file)), file).toBe(true);
  }
});

test('item 21: "1 new document" and "Add it" when the file brings one new article and one new label', async ({ page }) => {
  app = await startBrowserMode();
  await openSampleArticle(page, app);
  const text = 'Officials in Gaza said the strike hit a school\u00a0sheltering families. “We’re\u00a0still counting,” a medic said.';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'margin-wording-'));
  const file = path.join(dir, 'bo.jsonl');
  writeFileSync(file, layerLine({ id: 'x', title: 'Strike on a school', text }, 'Bo', [['rumour', 'the strike hit a school']]));

  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('menuitem', { name: 'Import annotations…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import annotations' });
  await dialog.getByLabel('Format').selectOption('jsonl');
  await dialog.getByTestId('annotation-files').setInputFiles(file);
  await dialog.getByRole('button', { name: 'Check files' }).click();
  const preview = dialog.getByRole('region', { name: 'What will be imported' });
  // (The check leaves out a record whose label the schema lacks, until the schema takes it.)
  await expect(preview).toContainText('bo.jsonl: 0 annotations in 1 document, 1 rejected');
  await expect(preview).toContainText('The tag schema lacks label “rumour”. Add it to the schema?');
  await expect(dialog.getByRole('button', { name: 'Import without it' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Add to schema and import' }).click();
  await expect(page.getByRole('status').filter({ hasText: "Imported 1 annotation into Bo's layer" })).toHaveText(/Imported 1 annotation into Bo's layer; 1 new document\./);
});

test('item 21: "Also published as" lists each article as an item, with no stray separator', async ({ page }) => {
  // A third copy of the Reuters wire story: the article then has two near-duplicates.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'margin-copies-'));
  const wire = readFileSync(path.join(SAMPLES, '002_e7f105aa316f8cda.txt'), 'utf8');
  writeFileSync(path.join(dir, 'copy.txt'), wire.replace('Top US diplomat Antony Blinken', 'US Secretary of State Antony Blinken'));
  app = await startBrowserMode((projectDir, env) => runCli(['import', '--project', projectDir, SAMPLES, path.join(dir, 'copy.txt')], env));
  await signIn(page, app, 'Ana');
  await page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: /The ongoing Gaza cease-fire negotiations/ }).click();
  const also = page.locator('.near-duplicates');
  await expect(also.getByRole('button')).toHaveCount(2);
  expect(await also.textContent()).not.toContain(';');
  const items = page.getByRole('list', { name: 'Also published as:' }).getByRole('listitem');
  await expect(items).toHaveCount(2);
  await expect(items.getByRole('button')).toHaveCount(2);
});

test('item 21: notices never cover the annotation list', async ({ page }) => {
  app = await startBrowserMode();
  await openSampleArticle(page, app);
  await tagQuoteAndSource(page);
  const list = page.getByRole('complementary', { name: 'Annotations' });
  const { notice } = await exportAs(page, 'jsonl', '2 annotations in 4 documents');
  const noticeBox = (await notice.boundingBox())!;
  expect(overlaps(noticeBox, (await list.boundingBox())!)).toBe(false);
  // The reading view is the scrolling box the text shows through.
  expect(overlaps(noticeBox, (await page.locator('.reading-view').boundingBox())!)).toBe(false);
  await expect(list.locator('li').first()).toBeVisible();
});

test('item 21: the agreement table fits its dialog at 1280×720, the Compare column in view', async ({ page }) => {
  const spans: [string, string][] = [
    ['quote', QUOTE],
    ['source', 'Benjamin Netanyahu'],
  ];
  app = await startBrowserMode(prepareWith({ alice: spans, bob: spans.slice(0, 1), carol: spans, dan: spans.slice(1), eve: spans }));
  await page.setViewportSize({ width: 1280, height: 720 });
  await signIn(page, app, 'Ana');
  await page.getByRole('button', { name: 'Agreement' }).click();
  const dialog = page.getByRole('dialog', { name: 'Agreement' });
  const table = dialog.getByRole('table', { name: 'Agreement per document' });
  // A row per sample article.
  await expect(table.getByRole('button', { name: 'Compare' })).toHaveCount(4);
  const fit = await dialog.evaluate((d) => {
    const t = d.querySelector('table.per-document')!;
    return { dialogScrolls: d.scrollWidth > d.clientWidth, tableRight: t.getBoundingClientRect().right, dialogRight: d.getBoundingClientRect().right };
  });
  expect(fit.dialogScrolls).toBe(false);
  expect(fit.tableRight).toBeLessThanOrEqual(fit.dialogRight);
  // Nothing covers or clips a Compare button: its middle is the button itself (scrolled to, as a user would).
  for (const compare of await table.getByRole('button', { name: 'Compare' }).all()) {
    await compare.scrollIntoViewIfNeeded();
    const hit = await compare.evaluate((b) => {
      const r = b.getBoundingClientRect();
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return top === b || b.contains(top);
    });
    expect(hit).toBe(true);
  }
});

test('item 21: no console error (CSP frame-ancestors) and no 404 (favicon) on load; the CSP header keeps frame-ancestors', async ({ page }) => {
  app = await startBrowserMode();
  const errors: string[] = [];
  const failed: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  const response = await page.goto(app.url);
  expect(response!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  await page.getByLabel('Your name').fill('Ana');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('button', { name: 'Load sample articles' })).toBeVisible();
  expect({ errors, failed }).toEqual({ errors: [], failed: [] });
  // The page names its icon, so the browser does not ask for /favicon.ico.
  const icon = await page.evaluate(() => document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.href ?? null);
  expect(icon).not.toBeNull();
  expect((await page.request.get(icon!)).status()).toBe(200);
});
