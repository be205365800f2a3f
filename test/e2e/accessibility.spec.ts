/**
 * Accessibility of the three screens an analyst spends the day in (issue 11, items 18 and 20):
 * axe-core over the main screen, the compare view and the agreement dashboard, in the light and
 * the dark colour scheme; and the contrast of the label highlights, measured on the colours the
 * page actually computes.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { CNN_OCTOBER, highlightSizes, QUOTE, signIn, startBrowserMode, type BrowserMode } from './browserMode';
import { importLayers } from './layers';

/** One span of each label of the default schema, the quote nested inside the claim. */
const EVERY_LABEL = [
  ['claim', 'speaking after “a series of big, productive conversations” in Israel'],
  ['quote', QUOTE],
  ['event', 'urged top Israeli officials'],
  ['source', 'Benjamin Netanyahu'],
] as const;

// Full axe-core runs and two colour schemes on a machine shared with other work: room beyond the usual minute.
test.describe.configure({ timeout: 240_000 });

let app: BrowserMode;
test.beforeEach(async () => {
  // alice and bob agree on the quote and disagree on Netanyahu's label.
  app = await startBrowserMode((projectDir, env) =>
    importLayers(projectDir, env, CNN_OCTOBER, {
      alice: EVERY_LABEL,
      bob: [
        ['quote', QUOTE],
        ['claim', 'Benjamin Netanyahu'],
      ],
    }),
  );
});
test.afterEach(async () => {
  await app.stop();
});

/** One line per violation and element, so a failure reads as what to fix and where. */
async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact ?? 'n/a'}): ${n.target.join(' ')} — ${v.help}`));
}

async function openCnnAsAlice(page: Page): Promise<void> {
  await signIn(page, app, 'alice');
  await page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: CNN_OCTOBER }).click();
  await expect(page.getByRole('complementary', { name: 'Annotations' }).locator('li').first()).toBeVisible();
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`${colorScheme} colour scheme`, () => {
    test.beforeEach(async ({ page }) => {
      await page.emulateMedia({ colorScheme });
    });

    test('axe-core finds no violation on the main screen, the compare view and the agreement dashboard', async ({ page }) => {
      await openCnnAsAlice(page);
      // An annotation open in the details panel, and the article done, so the status button reads "Reopen".
      await page.getByRole('complementary', { name: 'Annotations' }).locator('li').filter({ hasText: 'quote' }).first().locator('.annotation-item').click();
      await expect(page.getByRole('region', { name: 'Annotation details' })).toBeVisible();
      await page.getByRole('button', { name: 'Mark done' }).click();
      await expect(page.getByRole('button', { name: 'Reopen' })).toBeVisible();

      await test.step('main screen', async () => {
        expect.soft(await axeViolations(page)).toEqual([]);
      });

      await test.step('compare view', async () => {
        await page.getByRole('button', { name: 'Compare layers' }).click();
        const legend = page.getByRole('list', { name: 'Legend' });
        await expect(legend.locator('[data-status="agreed"]')).toContainText(': 1');
        await page.keyboard.press('j');
        await expect(page.getByRole('complementary', { name: 'Disagreement' }).locator('.compare-item')).toBeVisible();
        expect.soft(await axeViolations(page)).toEqual([]);
        await page.getByRole('button', { name: 'Close compare' }).click();
      });

      await test.step('agreement dashboard', async () => {
        await page.getByRole('button', { name: 'Agreement' }).click();
        const dashboard = page.getByRole('dialog', { name: 'Agreement' });
        await expect(dashboard.getByRole('table', { name: 'Agreement per document' }).getByRole('row', { name: CNN_OCTOBER })).toBeVisible();
        expect.soft(await axeViolations(page)).toEqual([]);
      });
    });

    test('every label highlight is marked at 3:1 against the page and its text stays at 4.5:1', async ({ page }) => {
      await openCnnAsAlice(page);
      await expect.poll(() => highlightSizes(page)).toMatchObject({ 'margin-label-0': 1, 'margin-label-1': 1, 'margin-label-2': 1, 'margin-label-3': 1, 'margin-nested-1': 1 });

      const measured = await page.evaluate(measureHighlights, ['margin-label-0', 'margin-label-1', 'margin-label-2', 'margin-label-3']);
      // The page itself follows the scheme: a dark scheme means light text on a dark page.
      expect(measured.page.text > measured.page.background, 'text lighter than the page in dark').toBe(colorScheme === 'dark');
      for (const h of measured.highlights) {
        // WCAG 1.4.11: what marks the span (its fill, or its underline) at 3:1 against the page.
        expect(Math.max(h.fillAgainstPage, h.underlineAgainstPage), `${h.name} marked at 3:1`).toBeGreaterThanOrEqual(3);
        // WCAG 1.4.3: the text over the fill, alone and under the fill of another span, at 4.5:1.
        expect(h.textOverFill, `${h.name}: text over its fill`).toBeGreaterThanOrEqual(4.5);
        expect(h.textOverTwoFills, `${h.name}: text where two spans overlap`).toBeGreaterThanOrEqual(4.5);
        // A nested span's underline still shows over the outer span's fill.
        expect(h.nestedUnderlineOverFill, `${h.name}: nested underline over a fill`).toBeGreaterThanOrEqual(3);
      }
    });
  });
}

interface Measured {
  page: { text: number; background: number };
  highlights: {
    name: string;
    fillAgainstPage: number;
    underlineAgainstPage: number;
    textOverFill: number;
    textOverTwoFills: number;
    nestedUnderlineOverFill: number;
  }[];
}

/**
 * Runs in the page: the computed colours of the reading text, of its background, and of each
 * highlight's fill and underline (the `::highlight()` pseudo-element's computed style), composited
 * the way the browser paints them, and their WCAG contrast ratios.
 */
function measureHighlights(names: string[]): Measured {
  type Rgba = [number, number, number, number];
  const probe = document.createElement('canvas').getContext('2d')!;
  const parse = (css: string): Rgba => {
    // The canvas normalises any CSS colour (rgb(), color(srgb …), oklch …) to #rrggbb or rgba().
    probe.fillStyle = '#000';
    probe.fillStyle = css;
    const v = String(probe.fillStyle);
    if (v.startsWith('#')) return [parseInt(v.slice(1, 3), 16), parseInt(v.slice(3, 5), 16), parseInt(v.slice(5, 7), 16), 1];
    const [r, g, b, a] = v.slice(v.indexOf('(') + 1, -1).split(',').map(Number);
    return [r!, g!, b!, a ?? 1];
  };
  const over = (top: Rgba, bottom: Rgba): Rgba => [0, 1, 2].map((i) => top[i]! * top[3] + bottom[i]! * (1 - top[3])).concat(1) as Rgba;
  const luminance = ([r, g, b]: Rgba) => {
    const lin = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const contrast = (a: Rgba, b: Rgba) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi! + 0.05) / (lo! + 0.05);
  };

  const paragraph = document.querySelector<HTMLElement>('.reading-text p[data-start]:not(.lead)')!;
  let background: Rgba = [255, 255, 255, 1];
  for (let el: HTMLElement | null = paragraph; el; el = el.parentElement) {
    const c = parse(getComputedStyle(el).backgroundColor);
    if (c[3] > 0) {
      background = c[3] < 1 ? over(c, background) : c;
      break;
    }
  }
  const text = parse(getComputedStyle(paragraph).color);
  const style = (name: string) => getComputedStyle(paragraph, `::highlight(${name})`);
  const fills = names.map((n) => over(parse(style(n).backgroundColor), background));
  const darkestPair = (i: number) =>
    Math.min(...names.map((n, j) => (j === i ? Infinity : contrast(text, over(parse(style(names[i]!).backgroundColor), fills[j]!)))));
  return {
    page: { text: luminance(text), background: luminance(background) },
    highlights: names.map((name, i) => {
      const underline = over(parse(style(name).textDecorationColor), fills[i]!);
      const nested = name.replace('-label-', '-nested-');
      return {
        name,
        fillAgainstPage: contrast(fills[i]!, background),
        // Drawn inside the span, so over its fill; seen against the page around it.
        underlineAgainstPage: style(name).textDecorationLine.includes('underline') ? Math.min(contrast(underline, background), contrast(underline, fills[i]!)) : 1,
        textOverFill: contrast(text, fills[i]!),
        textOverTwoFills: darkestPair(i),
        nestedUnderlineOverFill: Math.min(...fills.map((f) => contrast(over(parse(style(nested).textDecorationColor), f), f))),
      };
    }),
  };
}
