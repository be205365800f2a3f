import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { CNN_OCTOBER, repoRoot, runCli, signIn, startBrowserMode, type BrowserMode } from './browserMode';

interface Doc {
  id: string;
  title: string;
  text: string;
}
interface Span {
  label: string;
  phrase: string;
  attributes?: Record<string, string>;
}

const QUOTE = 'discussed in detail';
const SOURCE = 'A US senior administration official';

/** Code-point offsets of the first occurrence of `phrase`, as the jsonl format counts them. */
function at(text: string, phrase: string): { start: number; end: number } {
  const i = text.indexOf(phrase);
  if (i < 0) throw new Error(`no "${phrase}"`);
  const start = [...text.slice(0, i)].length;
  return { start, end: start + [...phrase].length };
}

/** One colleague's layer on the CNN article as a jsonl record, with links given as [from, to] span indexes. */
function layer(doc: Doc, annotator: string, spans: Span[], links: [number, number][]): string {
  const id = (i: number) => `${annotator}-${i}`;
  return `${JSON.stringify({
    id: doc.id,
    title: doc.title,
    text: doc.text,
    annotations: spans.map((s, i) => ({ id: id(i), label: s.label, ...at(doc.text, s.phrase), text: s.phrase, annotator, attributes: s.attributes ?? {}, note: null })),
    relations: links.map(([from, to], i) => ({ id: `${annotator}-r${i}`, type: 'attributed-to', from: id(from), to: id(to), annotator })),
  })}\n`;
}

let app: BrowserMode;
test.beforeEach(async () => {
  app = await startBrowserMode((projectDir, env) => {
    runCli(['import', '--project', projectDir, path.join(repoRoot, 'resources', 'samples', '000_0a5fdd5987a87f4f.txt')], env);
    const cnn = JSON.parse(runCli(['export', '--project', projectDir, '--format', 'jsonl'], env).trim()) as Doc;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'margin-layers-'));
    // Both tag the quote, differing on its kind and speaker; bob's source is shorter; only alice links the quote to its source.
    writeFileSync(
      path.join(dir, 'alice.jsonl'),
      layer(cnn, 'alice', [{ label: 'quote', phrase: QUOTE, attributes: { kind: 'partial', speaker: SOURCE } }, { label: 'source', phrase: SOURCE }], [[0, 1]]),
    );
    writeFileSync(
      path.join(dir, 'bob.jsonl'),
      layer(cnn, 'bob', [{ label: 'quote', phrase: QUOTE, attributes: { kind: 'direct', speaker: 'Antony Blinken' } }, { label: 'source', phrase: 'senior administration official' }], []),
    );
    runCli(['import-annotations', '--project', projectDir, '--format', 'jsonl', path.join(dir, 'alice.jsonl'), path.join(dir, 'bob.jsonl')], env);
  });
});
test.afterEach(async () => {
  await app.stop();
});

async function openCompare(page: Page): Promise<Locator> {
  await signIn(page, app, 'reviewer');
  await page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: CNN_OCTOBER }).click();
  await page.getByRole('button', { name: 'Compare layers' }).click();
  const side = page.getByRole('complementary', { name: 'Disagreement' });
  // The source's extent, the quote's attribute values, and the link only alice drew.
  await expect(side).toContainText('3 disagreements');
  return side;
}

/** J to the source's boundary conflict, and alice's version into gold. */
async function acceptAlicesSource(page: Page, side: Locator): Promise<void> {
  await page.keyboard.press('j');
  await expect(side.locator('.compare-item')).toHaveAttribute('data-status', 'boundary-conflict');
  await side.getByRole('button', { name: 'Accept alice' }).click();
  await expect(side.locator('.compare-gold')).toContainText(`gold: source: “${SOURCE}”`);
}

const attributeRow = (side: Locator, name: string) => side.getByRole('table', { name: 'Attribute values' }).getByRole('row').filter({ has: side.page().getByRole('rowheader', { name, exact: true }) });

test('a link only one annotator drew and differing attribute values are shown side by side and adjudicated into gold', async ({ page }) => {
  const side = await openCompare(page);
  await acceptAlicesSource(page, side);

  // The quote: same span and label, other attribute values; each annotator's value is shown.
  await page.keyboard.press('j');
  await expect(side).toContainText('Attributes differ: kind, speaker');
  await expect(attributeRow(side, 'kind').getByRole('cell')).toHaveText(['partial', 'direct', '—']);
  await expect(attributeRow(side, 'speaker').getByRole('cell')).toHaveText([SOURCE, 'Antony Blinken', '—']);

  // Accept all agreed takes the quote with the values they agree on (none), and not alice's link.
  await page.getByRole('button', { name: 'Accept all agreed' }).click();
  await expect(side.locator('.compare-gold')).toContainText(`gold: quote: “${QUOTE}”`);
  await expect(attributeRow(side, 'kind').getByRole('cell').last()).toHaveText('(none)');
  await expect(side.locator('.compare-links li')).toContainText(['only alice; not decided']);

  // The adjudicator takes bob's kind and alice's speaker.
  await side.getByRole('button', { name: "Use bob's kind" }).click();
  await expect(attributeRow(side, 'kind').getByRole('cell').last()).toHaveText('direct');
  await side.getByRole('button', { name: "Use alice's speaker" }).click();
  await expect(attributeRow(side, 'speaker').getByRole('cell').last()).toHaveText(SOURCE);

  // J reaches the link: both its ends marked in the text, who drew it, and gold's decision.
  await page.keyboard.press('j');
  const link = side.locator('.compare-link');
  await expect(link).toContainText('Link only some annotators drew');
  await expect(link).toContainText(`quote “${QUOTE}” → attributed-to → source “${SOURCE}”`);
  await expect(link.getByRole('listitem')).toHaveText(['alice: linked', 'bob: no link']);
  await expect(link.locator('.compare-gold')).toHaveText('gold: not decided');
  await expect.poll(() => page.evaluate(() => CSS.highlights.get('compare-current')?.size ?? 0)).toBe(4);
  await link.getByRole('button', { name: 'Accept link' }).click();
  await expect(link.locator('.compare-gold')).toHaveText('gold: linked');
  await page.keyboard.press('Control+z');
  await expect(link.locator('.compare-gold')).toHaveText('gold: not decided');
  await page.keyboard.press('Control+Shift+z');
  await expect(link.locator('.compare-gold')).toHaveText('gold: linked');

  const gold = JSON.parse(runCli(['export', '--project', app.projectDir, '--format', 'jsonl', '--annotator', 'gold'], app.env).trim()) as {
    annotations: { id: string; label: string; text: string; attributes: Record<string, string> }[];
    relations: { type: string; from: string; to: string }[];
  };
  const quote = gold.annotations.find((a) => a.label === 'quote')!;
  const source = gold.annotations.find((a) => a.label === 'source')!;
  expect([quote.text, quote.attributes]).toEqual([QUOTE, { kind: 'direct', speaker: SOURCE }]);
  expect(source.text).toBe(SOURCE);
  expect(gold.relations.map((r) => [r.type, r.from, r.to])).toEqual([['attributed-to', quote.id, source.id]]);
});

test('the agreement dashboard leaves gold out, and scores the annotators against it when asked', async ({ page }) => {
  const side = await openCompare(page);
  await acceptAlicesSource(page, side);
  await page.getByRole('button', { name: 'Accept all agreed' }).click();
  await expect(side).toContainText('2 of 2 resolved in gold');
  await page.getByRole('button', { name: 'Close compare' }).click();

  await page.getByRole('button', { name: 'Agreement' }).click();
  const dashboard = page.getByRole('dialog', { name: 'Agreement' });
  const matrix = dashboard.getByRole('table', { name: 'Pairwise agreement' });
  // alice and bob share the quote, not the source: exact F1 = 2·1 / 4.
  const header = (name: string) => matrix.getByRole('columnheader', { name, exact: true });
  await expect(header('bob')).toBeVisible();
  await expect(header('gold')).toHaveCount(0);
  await expect(matrix.getByRole('row', { name: /^alice/ }).getByRole('cell').nth(1)).toHaveText('0.500');
  await expect(dashboard).toContainText('gold is an adjudication layer, left out of agreement');

  await dashboard.getByLabel('Score').selectOption({ label: 'Annotators against gold' });
  await expect(header('gold')).toBeVisible();
  await expect(header('bob')).toHaveCount(0);
  await expect(matrix.getByRole('row', { name: /^alice/ }).getByRole('cell')).toHaveText(['1.000']);
  await expect(matrix.getByRole('row', { name: /^bob/ }).getByRole('cell')).toHaveText(['0.500']);
  await expect(dashboard.getByRole('table', { name: 'Agreement per document' }).getByRole('columnheader', { name: 'bob / gold' })).toBeVisible();
});
