import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultSchema } from '../../shared/defaultSchema';
import { contrast, over, parseHex, shiftToContrast, toHex, BLACK, WHITE, type Rgba } from '../../renderer/src/theme/colour';
import { inkOn, readableText, SCHEMES, spanPaints, type Scheme, type SchemeName } from '../../renderer/src/theme/palette';
import { NEW_LABEL_COLOURS } from '../../renderer/src/components/schema/schemaDraft';
import { WINDOW_BACKGROUND } from '../../electron/theme';

/** Parses the rgb()/rgba() strings spanPaints writes. */
function rgba(css: string): Rgba {
  const [r, g, b, a] = css.slice(css.indexOf('(') + 1, -1).split(',').map(Number);
  return { r: r!, g: g!, b: b!, a: a ?? 1 };
}

const schemes = Object.entries(SCHEMES) as [SchemeName, Scheme][];
const hexColour = fc.integer({ min: 0, max: 0xffffff }).map((n) => `#${n.toString(16).padStart(6, '0')}`);

/** What a reader meets: each fill over the page, any two overlapping, each underline where it is drawn. */
function check(colours: string[], scheme: Scheme): void {
  const page = parseHex(scheme.background);
  const text = parseHex(scheme.text);
  const paints = spanPaints(colours.map((color) => ({ color, alpha: 0.3 })), scheme);
  const fills = paints.map((p) => over(rgba(p.fill), page));
  for (const [i, p] of paints.entries()) {
    expect(contrast(text, fills[i]!), `text over ${colours[i]}`).toBeGreaterThanOrEqual(7);
    for (const under of fills) expect(contrast(text, over(rgba(p.fill), under)), `text over ${colours[i]} over another fill`).toBeGreaterThanOrEqual(4.5);
    const underline = parseHex(p.underline);
    for (const backdrop of [page, ...fills]) expect(contrast(underline, backdrop), `underline of ${colours[i]}`).toBeGreaterThanOrEqual(3);
  }
}

describe('colour arithmetic', () => {
  it('computes the WCAG contrast ratios of known pairs', () => {
    expect(contrast(BLACK, WHITE)).toBeCloseTo(21, 5);
    expect(contrast(parseHex('#777777'), WHITE)).toBeCloseTo(4.48, 2);
    expect(contrast(parseHex('#c0392b'), parseHex('#c0392b'))).toBe(1);
  });

  it('shifts a colour no further than it must', () => {
    const navy = parseHex('#1d4ed8');
    expect(shiftToContrast(navy, [WHITE], 4.5, BLACK)).toEqual(navy);
    const yellow = shiftToContrast(parseHex('#ffd400'), [WHITE], 3, BLACK);
    expect(contrast(yellow, WHITE)).toBeGreaterThanOrEqual(3);
    expect(contrast(yellow, WHITE)).toBeLessThan(3.3);
  });

  it('refuses a colour that is not #rrggbb, naming it', () => {
    expect(() => parseHex('red')).toThrow('"red"');
  });
});

describe('label colours in both schemes', () => {
  it.each(schemes)('the default schema in the %s scheme: fills, overlaps and underlines readable', (_, scheme) => {
    check(defaultSchema.labels.map((l) => l.color), scheme);
  });

  it.each(schemes)('the colours offered for new labels in the %s scheme', (_, scheme) => {
    check(NEW_LABEL_COLOURS, scheme);
  });

  it.each(schemes)('any colours an analyst may pick, in the %s scheme', (_, scheme) => {
    fc.assert(fc.property(fc.array(hexColour, { minLength: 1, maxLength: 5 }), (colours) => check(colours, scheme)), { numRuns: 60 });
  });

  it('keeps the default label colours as they are in the light scheme', () => {
    const paints = spanPaints(defaultSchema.labels.map((l) => ({ color: l.color, alpha: 0.28 })), SCHEMES.light);
    expect(paints.map((p) => p.underline)).toEqual(defaultSchema.labels.map((l) => l.color));
  });

  it('lightens them on the dark page', () => {
    const paints = spanPaints(defaultSchema.labels.map((l) => ({ color: l.color, alpha: 0.28 })), SCHEMES.dark);
    for (const [i, p] of paints.entries()) expect(contrast(parseHex(p.underline), WHITE)).toBeLessThan(contrast(parseHex(defaultSchema.labels[i]!.color), WHITE));
  });

  it.each(schemes)('a label colour as text reads at 4.5:1 on the page, on panels and on the current row in the %s scheme', (_, scheme) => {
    fc.assert(
      fc.property(hexColour, (colour) => {
        const text = parseHex(readableText(colour, scheme));
        for (const background of [scheme.background, scheme.panel, scheme.current]) expect(contrast(text, parseHex(background))).toBeGreaterThanOrEqual(4.5);
      }),
      { numRuns: 200 },
    );
  });

  it('chip text reads at 4.5:1 on any label colour, and is white on the defaults', () => {
    for (const l of defaultSchema.labels) expect(inkOn(l.color)).toBe('#ffffff');
    fc.assert(
      fc.property(hexColour, (colour) => {
        // The best of black text and white text on any colour is at least 4.58:1.
        expect(contrast(parseHex(inkOn(colour)), parseHex(colour))).toBeGreaterThanOrEqual(4.5);
      }),
      { numRuns: 300 },
    );
  });
});

describe('theme.css', () => {
  const css = readFileSync(path.join(import.meta.dirname, '../../renderer/src/theme/theme.css'), 'utf8');
  const dark = css.slice(css.indexOf('@media (prefers-color-scheme: dark)'));
  const light = css.slice(0, css.indexOf('@media (prefers-color-scheme: dark)'));
  const value = (block: string, name: string) => new RegExp(`--${name}:\\s*(#[0-9a-f]{6})`, 'i').exec(block)?.[1]?.toLowerCase();

  it.each([
    ['light', light],
    ['dark', dark],
  ] as const)('declares the %s scheme the palette computes against', (name, block) => {
    const scheme = SCHEMES[name];
    expect({ background: value(block, 'bg'), panel: value(block, 'panel'), current: value(block, 'current-bg'), text: value(block, 'ink') }).toEqual({
      background: toHex(parseHex(scheme.background)),
      panel: toHex(parseHex(scheme.panel)),
      current: toHex(parseHex(scheme.current)),
      text: toHex(parseHex(scheme.text)),
    });
  });

  it('gives the desktop window the page background of each scheme', () => {
    expect(WINDOW_BACKGROUND).toEqual({ light: SCHEMES.light.background, dark: SCHEMES.dark.background });
  });
});
