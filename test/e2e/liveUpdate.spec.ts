import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
  cloneProject,
  CNN_OCTOBER,
  dragSelect,
  highlightSizes,
  openSampleArticle,
  QUOTE,
  runCli,
  showEveryLayer,
  startBrowserMode,
  writeLikeGit,
  type BrowserMode,
} from './browserMode';

interface ExportedDoc {
  id: string;
  title: string;
  text: string;
  annotations: { label: string; text: string; annotator: string }[];
}

let app: BrowserMode;
test.beforeEach(async () => {
  app = await startBrowserMode();
  // These tests are about colleagues' layers arriving: blind annotation would keep them from Ana.
  showEveryLayer(app.projectDir);
});
test.afterEach(async () => {
  await app.stop();
});

/** The CNN article as exported from `projectDir` (the CLI reads the disk, not the server). */
function cnnIn(projectDir: string, annotator?: string): ExportedDoc {
  const args = ['export', '--project', projectDir, '--format', 'jsonl', ...(annotator ? ['--annotator', annotator] : [])];
  return runCli(args, app.env)
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ExportedDoc)
    .find((d) => CNN_OCTOBER.test(d.title))!;
}

/**
 * Writes `annotator`'s layer of the CNN article in a colleague's checkout, by importing one
 * annotation with the CLI there, and returns the layer file Margin wrote (in its own format).
 */
function layerFromClone(annotator: string, label: string, phrase: string): { docId: string; content: Buffer } {
  const clone = cloneProject(app.projectDir);
  const doc = cnnIn(clone);
  const at = doc.text.indexOf(phrase);
  // jsonl counts code points, as the W3C and brat formats do.
  const start = [...doc.text.slice(0, at)].length;
  const record = {
    id: doc.id,
    title: doc.title,
    text: doc.text,
    annotations: [{ id: `${annotator}-pulled`, label, start, end: start + [...phrase].length, text: phrase, annotator, attributes: {} }],
    relations: [],
  };
  const file = path.join(path.dirname(clone), `${annotator}.jsonl`);
  writeFileSync(file, `${JSON.stringify(record)}\n`);
  runCli(['import-annotations', '--project', clone, '--format', 'jsonl', '--annotator', annotator, file], app.env);
  return { docId: doc.id, content: readFileSync(layerFile(clone, annotator, doc.id)) };
}

const layerFile = (projectDir: string, annotator: string, docId: string) => path.join(projectDir, 'annotations', annotator, `${docId}.json`);

/** Annotations painted in the text, one range each (the selection's own highlight not counted). */
const paintedRanges = async (page: Page) =>
  Object.entries(await highlightSizes(page))
    .filter(([name]) => name.startsWith('margin-label-'))
    .reduce((n, [, size]) => n + size, 0);

test("a colleague's layer pulled into the folder, and our own layer pulled from another machine, show without a reload", async ({ page }) => {
  await openSampleArticle(page, app, 'Ana');
  const panel = page.getByRole('complementary', { name: 'Annotations' });
  const items = panel.locator('li');
  await dragSelect(page, QUOTE);
  await page.getByRole('button', { name: /^Quote/ }).click();
  await expect(items).toHaveCount(1);
  await expect.poll(() => paintedRanges(page)).toBe(1);
  // Something only the window holds: the page must not be reloaded under it.
  await page.evaluate(() => ((window as unknown as { marginProbe: string }).marginProbe = 'still here'));

  // Ben's layer arrives as a git pull writes it.
  const ben = layerFromClone('Ben', 'claim', 'Benjamin Netanyahu');
  writeLikeGit(layerFile(app.projectDir, 'Ben', ben.docId), ben.content);
  await expect(items).toHaveCount(2);
  await expect(items.filter({ hasText: 'Ben' })).toContainText('Benjamin Netanyahu');
  await expect(page.getByRole('group', { name: 'Layers' }).getByLabel('Ben')).toBeChecked();
  await expect.poll(() => paintedRanges(page)).toBe(2);
  await expect(page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: CNN_OCTOBER }).locator('.count')).toHaveText('2');

  // Our next tag goes into our layer alone; Ben's file stays exactly as pulled.
  await dragSelect(page, 'discussed in detail');
  await page.keyboard.press('1');
  await expect(items).toHaveCount(3);
  expect(readFileSync(layerFile(app.projectDir, 'Ben', ben.docId))).toEqual(ben.content);

  // Our own layer, as another machine of ours left it (one annotation more), pulled over ours.
  const ours = layerFromClone('Ana', 'event', 'Defense Secretary Yoav Gallant');
  writeLikeGit(layerFile(app.projectDir, 'Ana', ours.docId), ours.content);
  await expect(items.filter({ hasText: 'Defense Secretary Yoav Gallant' })).toHaveCount(1);
  await expect(items).toHaveCount(4);

  // The next tag keeps it: the write is merged with the file as it is on disk now.
  await dragSelect(page, 'strategic success');
  await page.keyboard.press('1');
  await expect(items).toHaveCount(5);
  const anas = cnnIn(app.projectDir, 'Ana').annotations.map((a) => a.text).sort();
  expect(anas).toEqual([QUOTE, 'Defense Secretary Yoav Gallant', 'discussed in detail', 'strategic success'].sort());
  expect(await page.evaluate(() => (window as unknown as { marginProbe?: string }).marginProbe)).toBe('still here');
});

test('two tabs, two names: each tab tags under its own name', async ({ page }) => {
  await openSampleArticle(page, app, 'Ana');
  const second = await page.context().newPage();
  await second.goto(page.url());
  // A new tab starts from the last name set, and is then renamed: the first tab keeps its own.
  await expect(second.getByTestId('annotator-name')).toHaveText('Ana');
  await second.getByRole('button', { name: /Annotator:/ }).click();
  await second.getByLabel('Your name').fill('Ben');
  await second.getByRole('button', { name: 'Save' }).click();
  await expect(second.getByTestId('annotator-name')).toHaveText('Ben');
  await expect(second.getByTestId('reading-text')).toContainText(QUOTE);

  await dragSelect(page, QUOTE);
  await page.getByRole('button', { name: /^Quote/ }).click();
  await dragSelect(second, 'Benjamin Netanyahu');
  await second.keyboard.press('1');

  await expect(page.getByRole('complementary', { name: 'Annotations' }).locator('li')).toContainText([/Ana/]);
  await expect(second.getByRole('complementary', { name: 'Annotations' }).locator('li').filter({ hasText: 'Benjamin Netanyahu' })).toContainText('Ben');
  const byAnnotator = cnnIn(app.projectDir).annotations.map((a) => [a.annotator, a.label, a.text]);
  expect(byAnnotator.sort()).toEqual(
    [
      ['Ana', 'quote', QUOTE],
      ['Ben', 'claim', 'Benjamin Netanyahu'],
    ].sort(),
  );
  // Each tab keeps its name across a reload (the tab's id lives in its session storage).
  await page.reload();
  await expect(page.getByTestId('annotator-name')).toHaveText('Ana');
  await second.reload();
  await expect(second.getByTestId('annotator-name')).toHaveText('Ben');
});
