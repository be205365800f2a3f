/**
 * sRGB colour arithmetic for readable colours: WCAG 2 relative luminance and contrast ratio,
 * alpha compositing, and the smallest shift of a colour that reaches a contrast target.
 */

/** Channels 0–255 and an alpha 0–1. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

export const BLACK: Rgba = { r: 0, g: 0, b: 0, a: 1 };
export const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 1 };

/** `#rrggbb`, the form the tag schema stores label colours in. */
export function parseHex(hex: string): Rgba {
  const match = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!match) throw new Error(`Not a colour like #1f77b4: "${hex}"`);
  const n = Number.parseInt(match[1]!, 16);
  return { r: (n >> 16) & 255, g: (n >> 8) & 255, b: n & 255, a: 1 };
}

export function toHex({ r, g, b }: Rgba): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

export function toCss({ r, g, b, a }: Rgba): string {
  const channels = [r, g, b].map((c) => Math.round(c)).join(', ');
  return a >= 1 ? `rgb(${channels})` : `rgba(${channels}, ${a})`;
}

export function withAlpha(colour: Rgba, a: number): Rgba {
  return { ...colour, a };
}

/** `top` painted over an opaque `bottom`, as the browser composites a translucent fill. */
export function over(top: Rgba, bottom: Rgba): Rgba {
  const mixChannel = (t: number, b: number) => t * top.a + b * (1 - top.a);
  return { r: mixChannel(top.r, bottom.r), g: mixChannel(top.g, bottom.g), b: mixChannel(top.b, bottom.b), a: 1 };
}

/** `t` of the way from `from` to `to` (0: from, 1: to). */
export function mix(from: Rgba, to: Rgba, t: number): Rgba {
  return over(withAlpha(to, t), from);
}

function rounded({ r, g, b, a }: Rgba): Rgba {
  return { r: Math.round(r), g: Math.round(g), b: Math.round(b), a };
}

/** WCAG 2 relative luminance of an opaque colour. */
export function luminance({ r, g, b }: Rgba): number {
  const linear = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG 2 contrast ratio of two opaque colours, 1 to 21. */
export function contrast(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const STEPS = 100;

/**
 * `colour` moved toward `toward` (black or white) just far enough to stand at `ratio` or more
 * against every colour of `against`, so it keeps as much of its own hue as it can. Scanned in
 * small steps rather than bisected: on the way the contrast with a mid-tone backdrop can dip
 * before it rises. At the far end it is `toward` itself.
 */
export function shiftToContrast(colour: Rgba, against: readonly Rgba[], ratio: number, toward: Rgba): Rgba {
  for (let step = 0; step <= STEPS; step++) {
    // Whole channels, as the colour will be written, so what is checked is what is painted.
    const candidate = rounded(mix(colour, toward, step / STEPS));
    if (against.every((b) => contrast(candidate, b) >= ratio)) return candidate;
  }
  return toward;
}
