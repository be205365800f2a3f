import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { CNN_OCTOBER, QUOTE, runCli, signIn, startBrowserMode, type BrowserMode } from './browserMode';
import { importLayers } from './layers';

/**
 * The agreement dashboard tells assisted tags apart: a line per annotator with the spans scored
 * and those accepted from suggestions (the figures `margin agree` prints), and the caveat.
 */

const CAVEAT = 'Kappa and F1 between analysts who both accepted the same suggestions overstate their independent agreement.';

let app: BrowserMode;
test.afterEach(async () => {
  await app.stop();
});

/** Two colleagues' own spans on the CNN article; with `preAnnotated`, both layers pre-annotated by `margin suggest --into`. */
async function start(preAnnotated: boolean): Promise<void> {
  app = await startBrowserMode((projectDir, env) => {
    importLayers(projectDir, env, CNN_OCTOBER, {
      alice: [['event', 'urged top Israeli officials']],
      bob: [['quote', QUOTE]],
    });
    if (!preAnnotated) return;
    for (const name of ['alice', 'bob']) runCli(['suggest', '--project', projectDir, '--into', name, '--label', 'quote', '--label', 'source'], env);
  });
}

/** The per-annotator lines `margin agree` prints for the project (with extra arguments), picked by what they say. */
const cliLines = (args: string[], says: RegExp) =>
  runCli(['agree', '--project', app.projectDir, ...args], app.env)
    .split('\n')
    .filter((l) => says.test(l));

test('the dashboard shows, per annotator, the spans accepted from suggestions and the caveat; "own spans only" leaves them out', async ({ page }) => {
  await start(true);
  // The figures as the command line prints them for the same project.
  const expected = cliLines([], /accepted from suggestions/);
  expect(expected).toHaveLength(2);

  await signIn(page, app, 'reviewer');
  await page.getByRole('button', { name: 'Agreement' }).click();
  const dashboard = page.getByRole('dialog', { name: 'Agreement' });
  const assisted = dashboard.getByRole('region', { name: 'Accepted suggestions' });
  await expect(assisted.getByRole('listitem')).toHaveText(expected);
  await expect(assisted.getByRole('listitem').first()).toHaveText(/^alice: \d+ spans, \d+ accepted from suggestions \(\d+%\)$/);
  await expect(assisted).toContainText(CAVEAT);
  // The lines and the checkbox are reachable and named for a screen reader.
  const axe = await new AxeBuilder({ page }).include('[role="dialog"]').analyze();
  expect(axe.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${v.help}`))).toEqual([]);

  // Own spans only: alice's event against bob's quote, nothing in common.
  await dashboard.getByLabel('Own spans only (leave out accepted suggestions)').check();
  const leftOut = cliLines(['--exclude-suggested'], /^\w+: \d+ spans? scored/);
  expect(leftOut).toHaveLength(2);
  expect(leftOut[0]).toMatch(/^alice: 1 span scored, [1-9]\d* accepted suggestions? left out$/);
  await expect(assisted.getByRole('listitem')).toHaveText(leftOut);
  await expect(assisted).not.toContainText(CAVEAT);
  await expect(dashboard.getByRole('table', { name: 'Pairwise agreement' }).getByRole('row', { name: /^alice/ }).getByRole('cell').nth(1)).toHaveText('0.000');
});

test('without accepted suggestions the dashboard says nothing about them', async ({ page }) => {
  await start(false);
  await signIn(page, app, 'reviewer');
  await page.getByRole('button', { name: 'Agreement' }).click();
  const dashboard = page.getByRole('dialog', { name: 'Agreement' });
  await expect(dashboard.getByRole('table', { name: 'Pairwise agreement' })).toBeVisible();
  await expect(dashboard.getByRole('region', { name: 'Accepted suggestions' })).toHaveCount(0);
  await expect(dashboard).not.toContainText('accepted from suggestions');
  await expect(dashboard.getByLabel('Own spans only (leave out accepted suggestions)')).toHaveCount(0);
});
