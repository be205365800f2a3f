import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { type BrowserMode, browserModeForEachTest, openSampleArticle } from './browserMode';

/**
 * Assisted tagging's project setting (issue 13): on or off and which labels, chosen in the Project
 * settings dialog, kept in margin.json for the whole team.
 */

let app: BrowserMode;
browserModeForEachTest((started) => (app = started));

const settingsDialog = (page: Page) => page.getByRole('dialog', { name: 'Project settings' });
const suggestionsSetting = () => (JSON.parse(readFileSync(path.join(app.projectDir, 'margin.json'), 'utf8')) as { settings: { suggestions?: unknown } }).settings.suggestions;

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings…', exact: true }).click();
  const dialog = settingsDialog(page);
  const group = dialog.getByRole('group', { name: 'Suggestions' });
  return { dialog, group, on: group.getByRole('checkbox', { name: 'Suggest quotes, sources, claims and events as I read' }), label: (name: string) => group.getByRole('checkbox', { name, exact: true }) };
}

test('suggestions are chosen by label or turned off in the Project settings, for the whole project', async ({ page }) => {
  await openSampleArticle(page, app);

  let settings = await openSettings(page);
  // Absent from margin.json: on, every label the engine knows that the schema has.
  await expect(settings.on).toBeChecked();
  for (const label of ['quote', 'source', 'claim', 'event']) await expect(settings.label(label)).toBeChecked();
  const save = settings.dialog.getByRole('button', { name: 'Save' });
  await expect(save).toBeDisabled();
  await settings.label('event').uncheck();
  await save.click();
  await expect(settings.dialog).toHaveCount(0);
  expect(suggestionsSetting()).toEqual({ enabled: true, labels: ['quote', 'source', 'claim'] });

  settings = await openSettings(page);
  await expect(settings.label('event')).not.toBeChecked();
  await expect(settings.label('claim')).toBeChecked();
  // No label at all while on is not a choice: said, and not saved.
  for (const label of ['quote', 'source', 'claim']) await settings.label(label).uncheck();
  await expect(settings.dialog).toContainText('Choose at least one label, or turn suggestions off.');
  await expect(settings.dialog.getByRole('button', { name: 'Save' })).toBeDisabled();
  await settings.on.uncheck();
  await expect(settings.label('quote')).toBeDisabled();
  await settings.dialog.getByRole('button', { name: 'Save' }).click();
  await expect(settings.dialog).toHaveCount(0);
  expect(suggestionsSetting()).toMatchObject({ enabled: false });

  // Every label chosen again is kept as "every label" (an empty list).
  settings = await openSettings(page);
  await expect(settings.on).not.toBeChecked();
  await settings.on.check();
  for (const label of ['quote', 'source', 'claim', 'event']) await settings.label(label).check();
  await settings.dialog.getByRole('button', { name: 'Save' }).click();
  await expect(settings.dialog).toHaveCount(0);
  expect(suggestionsSetting()).toEqual({ enabled: true, labels: [] });
});
