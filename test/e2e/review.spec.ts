import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { CNN_OCTOBER, QUOTE, runCli, screenshots, signIn, startBrowserMode, type BrowserMode } from './browserMode';
import { importLayers } from './layers';

let app: BrowserMode;
test.beforeEach(async () => {
  app = await startBrowserMode((projectDir, env) =>
    // agreed: the quote; label conflict: Netanyahu; boundary conflict: Gallant; only alice: "urged …".
    importLayers(projectDir, env, CNN_OCTOBER, {
      alice: [
        ['event', 'urged top Israeli officials'],
        ['quote', QUOTE],
        ['source', 'Benjamin Netanyahu'],
        ['source', 'Defense Secretary Yoav Gallant'],
      ],
      bob: [
        ['quote', QUOTE],
        ['claim', 'Benjamin Netanyahu'],
        ['source', 'Yoav Gallant'],
      ],
    }),
  );
});
test.afterEach(async () => {
  await app.stop();
});

test('compare two layers, step through the disagreements, adjudicate a gold layer, export it', async ({ page }) => {
  await signIn(page, app, 'reviewer');
  await page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: CNN_OCTOBER }).click();
  await page.getByRole('button', { name: 'Compare layers' }).click();

  const legend = page.getByRole('list', { name: 'Legend' });
  await expect(legend.locator('[data-status="agreed"]')).toContainText(': 1');
  await expect(legend.locator('[data-status="label-conflict"]')).toContainText(': 1');
  await expect(legend.locator('[data-status="boundary-conflict"]')).toContainText(': 1');
  await expect(legend.locator('[data-status="only-one"]')).toContainText(': 1');
  // Every status is painted in the text.
  await expect
    .poll(() => page.evaluate(() => ['compare-agreed', 'compare-label', 'compare-boundary', 'compare-only'].map((n) => CSS.highlights.get(n)?.size ?? 0)))
    .toEqual([2, 2, 2, 1]);

  const side = page.getByRole('complementary', { name: 'Disagreement' });
  await expect(side).toContainText('3 disagreements');
  // J visits each disagreement once, in text order; each is settled as it comes.
  const seen: string[] = [];
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('j');
    const item = side.locator('.compare-item');
    await expect(item).toBeVisible();
    const status = (await item.getAttribute('data-status'))!;
    seen.push(status);
    if (status === 'only-one') await side.getByRole('button', { name: 'Reject' }).click();
    if (status === 'label-conflict') await side.getByRole('button', { name: 'Accept alice' }).click();
    if (status === 'boundary-conflict') {
      await side.getByRole('button', { name: 'Accept bob' }).click();
      await expect(side.locator('.compare-gold')).toContainText('gold: source: “Yoav Gallant”');
      // An edited version: gold's start one word earlier, then undone.
      await side.getByRole('group', { name: 'Edit gold' }).getByRole('button', { name: '◀ start' }).click();
      await expect(side.locator('.compare-gold')).toContainText('gold: source: “Secretary Yoav Gallant”');
      await page.keyboard.press('Control+z');
      await expect(side.locator('.compare-gold')).toContainText('gold: source: “Yoav Gallant”');
    }
  }
  expect(seen.sort()).toEqual(['boundary-conflict', 'label-conflict', 'only-one']);
  await screenshots(page, 'compare');
  await page.getByRole('button', { name: 'Accept all agreed' }).click();
  await expect(side).toContainText('4 of 4 resolved in gold');

  // Undo the last adjudication, then redo it.
  await page.keyboard.press('Control+z');
  await expect(side).toContainText('3 of 4 resolved in gold');
  await page.keyboard.press('Control+Shift+z');
  await expect(side).toContainText('4 of 4 resolved in gold');

  const gold = runCli(['export', '--project', app.projectDir, '--format', 'jsonl', '--annotator', 'gold'], app.env)
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { title: string; annotations: { label: string; text: string; annotator: string }[] })
    .find((d) => CNN_OCTOBER.test(d.title))!;
  expect(gold.annotations.map((a) => [a.label, a.text, a.annotator]).sort()).toEqual(
    [
      ['quote', QUOTE, 'gold'],
      ['source', 'Benjamin Netanyahu', 'gold'],
      ['source', 'Yoav Gallant', 'gold'],
    ].sort(),
  );
});

test('the agreement dashboard shows the pairwise matrix and per-document table; reviews reach the annotator', async ({ page }) => {
  await signIn(page, app, 'reviewer');

  await page.getByRole('button', { name: 'Agreement' }).click();
  const dashboard = page.getByRole('dialog', { name: 'Agreement' });
  // alice has 4 spans, bob 3, one identical: exact F1 = 2·1 / 7.
  const matrix = dashboard.getByRole('table', { name: 'Pairwise agreement' });
  await expect(matrix.getByRole('row', { name: /^alice/ }).getByRole('cell').nth(1)).toHaveText('0.286');
  const perDocument = dashboard.getByRole('table', { name: 'Agreement per document' });
  await expect(perDocument.getByRole('row', { name: CNN_OCTOBER })).toContainText('0.286');
  await expect(perDocument.getByRole('row', { name: /asserted he made progress/ })).toContainText('n/a');

  await screenshots(page, 'agreement');
  const download = page.waitForEvent('download');
  await dashboard.getByRole('button', { name: 'Export JSON' }).click();
  const json = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as { pairs: { a: string; b: string; label: string | null; exactF1: { value: number } }[] };
  expect(json.pairs.find((p) => p.label === null)!.exactF1.value).toBeCloseTo(2 / 7, 6);

  await perDocument.getByRole('row', { name: CNN_OCTOBER }).getByRole('button', { name: 'Compare' }).click();
  await expect(page.getByRole('toolbar', { name: 'Compare layers' })).toBeVisible();
  await page.getByRole('button', { name: 'Close compare' }).click();

  // Each layer can be hidden and shown again.
  const panel = page.getByRole('complementary', { name: 'Annotations' });
  await expect(panel.locator('li')).toHaveCount(7);
  const layers = page.getByRole('group', { name: 'Layers' });
  await layers.getByLabel('alice').uncheck();
  await expect(panel.locator('li')).toHaveCount(3);
  await expect.poll(() => page.evaluate(() => [...CSS.highlights.keys()].filter((k) => k.startsWith('margin-label-')).reduce((n, k) => n + CSS.highlights.get(k)!.size, 0))).toBe(3);
  await layers.getByLabel('alice').check();
  await expect(panel.locator('li')).toHaveCount(7);

  // The reviewer asks bob to change his claim; bob sees it on his own layer.
  await panel.locator('li').filter({ hasText: 'claim' }).locator('.annotation-item').click();
  const details = page.getByRole('region', { name: 'Annotation details' });
  await details.getByLabel('Review comment').fill('Netanyahu is a source here, not a claim.');
  await details.getByRole('button', { name: 'Needs change' }).click();
  await expect(details.locator('.review')).toContainText('Needs change by reviewer: Netanyahu is a source here, not a claim.');

  await page.getByRole('button', { name: /Annotator:/ }).click();
  await page.getByLabel('Your name').fill('bob');
  await page.getByRole('button', { name: 'Save' }).click();
  await panel.locator('li').filter({ hasText: 'claim' }).locator('.annotation-item').click();
  await expect(details.locator('.review')).toContainText('Needs change by reviewer');
  await expect(details.getByRole('button', { name: 'Needs change' })).toHaveCount(0);
});
