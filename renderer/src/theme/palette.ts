/**
 * Colours derived from the tag schema's label colours so that they stay readable in the light
 * and the dark scheme (WCAG 2: text at 4.5:1, the marks that identify a span at 3:1).
 */
import { BLACK, contrast, luminance, over, parseHex, shiftToContrast, toCss, toHex, WHITE, withAlpha, type Rgba } from './colour';

export type SchemeName = 'light' | 'dark';

export interface Scheme {
  /** The page behind the reading text (--bg in theme.css). */
  background: string;
  /** Panels, lists and dialogs (--panel). */
  panel: string;
  /** The open document's row and other current items (--current-bg). */
  current: string;
  /** Body text (--ink). */
  text: string;
}

/** The same values as theme.css; a unit test holds the two together. */
export const SCHEMES: Record<SchemeName, Scheme> = {
  light: { background: '#f7f6f2', panel: '#ffffff', current: '#e9eefc', text: '#1d1d1f' },
  dark: { background: '#1a1b1e', panel: '#232428', current: '#2c3550', text: '#e6e4de' },
};

/** Contrast targets. */
const TEXT = 4.5;
const MARK = 3;
/** Text over one fill alone keeps a margin, so that it stays at TEXT where two fills overlap. */
const TEXT_OVER_ONE_FILL = 7;

export interface SpanColour {
  /** `#rrggbb`. */
  color: string;
  /** The fill's opacity wanted; lowered where the text over it would fall below the targets. */
  alpha: number;
}

export interface SpanPaint {
  /** Translucent fill for `background-color`. */
  fill: string;
  /** Opaque colour of the underline that marks the span, for `text-decoration-color`. */
  underline: string;
}

/** Black in a light scheme, white in a dark one: the way the text stands out from the page. */
function towardText(scheme: Scheme): Rgba {
  return luminance(parseHex(scheme.text)) > luminance(parseHex(scheme.background)) ? WHITE : BLACK;
}

/**
 * Fills and underlines for spans painted over the reading text. The fills stay light enough
 * that the text over one of them, or over two that overlap, keeps its contrast; since such a
 * fill is too close to the page to mark the span by itself (1.4.11 asks 3:1), each span also
 * gets an underline at 3:1 against the page and against every fill it may be drawn over. In the
 * dark scheme a label colour is first lightened until it shows on the dark page.
 */
export function spanPaints(spans: readonly SpanColour[], scheme: Scheme): SpanPaint[] {
  const page = parseHex(scheme.background);
  const text = parseHex(scheme.text);
  const toward = towardText(scheme);
  const bases = spans.map((s) => shiftToContrast(parseHex(s.color), [page], MARK, toward));
  const alphas = spans.map((s) => Math.round(s.alpha * 1000) / 1000);
  const fillOver = (i: number, under: Rgba) => over(withAlpha(bases[i]!, alphas[i]!), under);

  // Each round lowers the opacity of the fills that leave some text short of its target.
  for (let round = 0; round < 200; round++) {
    const short = new Set<number>();
    spans.forEach((_, i) => {
      const alone = fillOver(i, page);
      if (contrast(text, alone) < TEXT_OVER_ONE_FILL) short.add(i);
      spans.forEach((_, j) => {
        if (contrast(text, fillOver(i, fillOver(j, page))) < TEXT) short.add(i).add(j);
      });
    });
    if (short.size === 0) break;
    // Kept to three decimals, as written in the style sheet.
    for (const i of short) alphas[i] = Math.floor(alphas[i]! * 900) / 1000;
  }

  const fills = spans.map((_, i) => fillOver(i, page));
  return spans.map((_, i) => ({
    fill: toCss(withAlpha(bases[i]!, alphas[i]!)),
    underline: toHex(shiftToContrast(bases[i]!, [page, ...fills], MARK, toward)),
  }));
}

/** A label colour used as text (counts, names) on the page, on panels and on the current row, at 4.5:1. */
export function readableText(color: string, scheme: Scheme): string {
  const backgrounds = [scheme.background, scheme.panel, scheme.current].map(parseHex);
  return toHex(shiftToContrast(parseHex(color), backgrounds, TEXT, towardText(scheme)));
}

/**
 * White or black, whichever reads on a chip filled with `color` (white when both do). Pure black:
 * the better of the two then reaches 4.58:1 on any colour, where a softer near-black would not.
 */
export function inkOn(color: string): string {
  const fill = parseHex(color);
  if (contrast(WHITE, fill) >= TEXT) return '#ffffff';
  return contrast(BLACK, fill) > contrast(WHITE, fill) ? '#000000' : '#ffffff';
}

/** A CSS value that follows the page's colour scheme (`color-scheme: light dark` is set on :root). */
export function lightDark(light: string, dark: string): string {
  return `light-dark(${light}, ${dark})`;
}

/** A label colour as text in both schemes, as one CSS value. */
export function labelText(color: string): string {
  return lightDark(readableText(color, SCHEMES.light), readableText(color, SCHEMES.dark));
}
