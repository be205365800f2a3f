import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { annotationItems, annotationPanel, CNN_OCTOBER, showEveryLayer, signIn, startBrowserMode, type BrowserMode } from './browserMode';
import { importLayers } from './layers';

/**
 * Remembering a project's view (issue 11, item 19): an analyst hides a colleague's layer, filters
 * the annotation list, widens the panels, sorts and searches the document list and opens an
 * article; a reload, and a restart of `margin serve` on the same folder, bring all of it back.
 * Another project of the same analyst starts from the usual view.
 */

let app: BrowserMode;
// Three servers and two reloads, on a machine that may be busy.
test.setTimeout(300_000);
test.beforeEach(async () => {
  app = await startBrowserMode((projectDir, env) => {
    importLayers(projectDir, env, CNN_OCTOBER, {
      Ben: [
        ['quote', 'a series of big, productive conversations'],
        ['source', 'Antony Blinken'],
      ],
      Rita: [['event', 'the killing of\u00a0Hamas leader\u00a0Yahya Sinwar']],
    });
    showEveryLayer(projectDir);
  });
});
test.afterEach(async () => {
  await app.stop();
});

const SECOND = /asserted he made progress/;
const documents = (page: Page) => page.getByRole('navigation', { name: 'Documents' });
const layers = (page: Page) => page.getByRole('group', { name: 'Layers' });
const quoteFilter = (page: Page) => annotationPanel(page).getByRole('group', { name: 'Filter by label' }).getByRole('button', { name: /^quote/ });
const listWidth = async (page: Page) => Math.round((await page.getByRole('region', { name: 'Document list' }).boundingBox())!.width);
const sideWidth = async (page: Page) => Math.round((await annotationPanel(page).boundingBox())!.width);

/** Drags a splitter sideways by `dx` pixels with the mouse, the way a person does. */
async function dragBy(page: Page, splitter: Locator, dx: number): Promise<void> {
  const box = (await splitter.boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx / 2, y, { steps: 5 });
  await page.mouse.move(x + dx, y, { steps: 5 });
  await page.mouse.up();
}

/** What the server has stored for the project, once a save has reached it. */
function stored(of: BrowserMode): Record<string, unknown> | null {
  const file = path.join(of.env.MARGIN_USER_DATA!, 'view-memory.json');
  if (!existsSync(file)) return null;
  const projects = (JSON.parse(readFileSync(file, 'utf8')) as { projects: Record<string, { value: Record<string, unknown> }> }).projects;
  return projects[path.resolve(of.projectDir)]?.value ?? null;
}

/** The view as Ana left it: checked on screen, after a reload or a restart. */
async function expectAnasView(page: Page, widths: { list: number; side: number }): Promise<void> {
  await expect(page.getByTestId('reading-text')).toBeVisible();
  await expect(documents(page).locator('[aria-current="true"], [aria-current="page"]')).toHaveText(SECOND);
  await expect(page.getByLabel('Sort documents')).toHaveValue('title');
  await expect(page.getByLabel('Search documents')).toHaveValue('Blinken');
  expect(await listWidth(page)).toBe(widths.list);
  expect(await sideWidth(page)).toBe(widths.side);
  // The colleague's layer stays hidden and the list filtered, on the article they were set on.
  await documents(page).getByRole('button', { name: CNN_OCTOBER }).click();
  await expect(layers(page).getByLabel('Ben')).not.toBeChecked();
  await expect(layers(page).getByLabel('Rita')).toBeChecked();
  await expect(quoteFilter(page)).toHaveAttribute('aria-pressed', 'true');
  // Rita's event is not a quote, Ben's quote is hidden: nothing is left to list but the filter's way out.
  await expect(annotationItems(page)).toHaveCount(0);
  await expect(annotationPanel(page).getByRole('button', { name: 'Clear filters' })).toBeVisible();
  // Back to the article Ana left open.
  await documents(page).getByRole('button', { name: SECOND }).click();
  await expect(page.getByTestId('reading-text')).toBeVisible();
}

test('hidden layers, the open article, panel widths, sort, search and filter come back after a reload and a restart, in this project only', async ({ page }) => {
  await signIn(page, app, 'Ana');
  await documents(page).getByRole('button', { name: CNN_OCTOBER }).click();
  await expect(annotationItems(page)).toHaveCount(3);

  await layers(page).getByLabel('Ben').uncheck();
  await expect(annotationItems(page)).toHaveCount(1);
  await layers(page).getByLabel('Ben').check();
  await quoteFilter(page).click();
  await expect(annotationItems(page)).toHaveCount(1);
  await layers(page).getByLabel('Ben').uncheck();
  await expect(annotationItems(page)).toHaveCount(0);

  const initial = { list: await listWidth(page), side: await sideWidth(page) };
  await dragBy(page, page.getByRole('separator', { name: 'Resize the document list' }), 90);
  await dragBy(page, page.getByRole('separator', { name: 'Resize the annotation panel' }), -70);
  const widths = { list: await listWidth(page), side: await sideWidth(page) };
  expect(widths.list).toBeGreaterThan(initial.list + 80);
  expect(widths.side).toBeGreaterThan(initial.side + 60);

  await page.getByLabel('Sort documents').selectOption('title');
  await page.getByLabel('Search documents').click();
  await page.keyboard.type('Blinken');
  await documents(page).getByRole('button', { name: SECOND }).click();
  await expect(page.getByTestId('reading-text')).toBeVisible();
  // The server has the last change before the page goes (a person takes longer than that).
  await expect.poll(() => stored(app)).toMatchObject({ documentSort: 'title', documentQuery: 'Blinken', hiddenLayers: ['Ben'], openDocId: expect.any(String) });
  const secondId = stored(app)!.openDocId;

  await page.reload();
  await expectAnasView(page, widths);
  await expect.poll(() => stored(app)?.openDocId).toBe(secondId);

  // A new `margin serve` on the same folder: another port, another origin, no #doc in the address.
  await app.restart();
  await page.goto(app.url);
  await expect(page.getByTestId('annotator-name')).toHaveText('Ana');
  await documents(page).getByRole('button', { name: SECOND }).waitFor();
  await expectAnasView(page, widths);

  // Ana's other project starts from the usual view, and leaves this one's alone.
  const other = await startBrowserMode((projectDir, env) => importLayers(projectDir, env, CNN_OCTOBER, { Ben: [['quote', 'a series of big, productive conversations']] }), app);
  try {
    await page.goto(other.url);
    await expect(documents(page).getByRole('button', { name: CNN_OCTOBER })).toBeVisible();
    await expect(page.getByText('Choose an article on the left to read and tag it.')).toBeVisible();
    await expect(page.getByLabel('Sort documents')).toHaveValue('imported');
    await expect(page.getByLabel('Search documents')).toHaveValue('');
    expect(await listWidth(page)).toBe(initial.list);
    await documents(page).getByRole('button', { name: CNN_OCTOBER }).click();
    expect(await sideWidth(page)).toBe(initial.side);
  } finally {
    await other.stop();
  }
  expect(stored(app)).toMatchObject({ documentSort: 'title', documentQuery: 'Blinken', hiddenLayers: ['Ben'] });
});
