import type { ParagraphMap } from './domOffsets';

/**
 * Find-in-document matches, painted with the CSS Custom Highlight API like the annotations but
 * under their own names: paintHighlights clears every highlight named `margin-…` on each
 * repaint, so these deliberately use another prefix and survive annotation repaints.
 */
export const findHighlightName = {
  match: 'find-match',
  current: 'find-current',
} as const;

/**
 * Distinct from the translucent label fills and the amber selected-annotation outline: every
 * match gets a pale yellow wash with a solid underline, the current one a strong orange, as in a
 * browser's own find.
 */
const RULES = [
  `::highlight(${findHighlightName.match}) { background-color: rgba(255, 230, 0, 0.45); text-decoration: underline 2px solid #9a6b00; text-underline-offset: 4px; }`,
  `::highlight(${findHighlightName.current}) { background-color: rgb(255, 140, 26); color: #1d1d1f; text-decoration: underline 3px solid #7a2e00; text-underline-offset: 4px; }`,
].join('\n');

let sheet: CSSStyleSheet | null = null;

function installStyles(): void {
  if (sheet) return;
  sheet = new CSSStyleSheet();
  sheet.replaceSync(RULES);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

/** Paints every match, and the current one (index into `matches`, -1 for none) above the rest. */
export function paintFindMatches(map: ParagraphMap, matches: readonly { start: number; end: number }[], current: number): void {
  installStyles();
  const highlight = new Highlight();
  // Above label fills (0), nested underlines (1) and the selected annotation (2).
  highlight.priority = 3;
  let currentRange: Range | null = null;
  for (let i = 0; i < matches.length; i++) {
    const match = matches[i]!;
    const range = map.range(match.start, match.end);
    if (!range) continue;
    if (i === current) currentRange = range;
    else highlight.add(range);
  }
  CSS.highlights.set(findHighlightName.match, highlight);
  if (currentRange) {
    const strong = new Highlight(currentRange);
    strong.priority = 4;
    CSS.highlights.set(findHighlightName.current, strong);
  } else {
    CSS.highlights.delete(findHighlightName.current);
  }
}

export function clearFindMatches(): void {
  CSS.highlights.delete(findHighlightName.match);
  CSS.highlights.delete(findHighlightName.current);
}
