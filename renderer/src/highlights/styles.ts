import type { TagSchema } from '../../../shared/model';
import { SCHEMES, spanPaints, type Scheme, type SpanColour, type SpanPaint } from '../theme/palette';
import { findHighlightName, highlightName } from './names';

/** Label fills, translucent so that overlaps darken; the text stays readable through two of them. */
const LABEL_ALPHA = 0.28;
const UNKNOWN: SpanColour = { color: '#808080', alpha: 0.3 };
const SELECTED: SpanColour = { color: '#ffc400', alpha: 0.38 };

/**
 * Rules for both colour schemes from one function of the scheme: the light ones as they are,
 * the dark ones inside a prefers-color-scheme media query, so the page switches with the system.
 */
export function schemeRules(rules: (scheme: Scheme) => string[]): string {
  return [...rules(SCHEMES.light), '@media (prefers-color-scheme: dark) {', ...rules(SCHEMES.dark), '}'].join('\n');
}

function adoptedSheet(): CSSStyleSheet {
  const sheet = new CSSStyleSheet();
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  return sheet;
}

let labelSheet: CSSStyleSheet | null = null;

/**
 * One rule per label, its colours derived from the label colour for the scheme (palette.ts): a
 * light fill and an underline that marks the span at 3:1; a span inside another gets a thicker
 * underline over the outer span's fill.
 */
export function installHighlightStyles(schema: TagSchema): void {
  const css = schemeRules((scheme) => {
    const paints = spanPaints([...schema.labels.map((l) => ({ color: l.color, alpha: LABEL_ALPHA })), UNKNOWN, SELECTED], scheme);
    const [unknown, selected] = paints.slice(-2) as [SpanPaint, SpanPaint];
    return [
      ...schema.labels.flatMap((_, i) => [
        `::highlight(${highlightName.label(i)}) { background-color: ${paints[i]!.fill}; text-decoration: underline 1.5px ${paints[i]!.underline}; text-underline-offset: 3px; }`,
        `::highlight(${highlightName.nested(i)}) { text-decoration: underline 3.5px ${paints[i]!.underline}; text-underline-offset: 3px; }`,
      ]),
      `::highlight(${highlightName.unknown}) { background-color: ${unknown.fill}; text-decoration: underline 2px dashed ${unknown.underline}; text-underline-offset: 3px; }`,
      // Suggestions: no fill of their own (they are nobody's work), a dashed underline set lower than an annotation's.
      ...schema.labels.flatMap((_, i) => [
        `::highlight(${highlightName.suggested(i)}) { text-decoration: underline 2px dashed ${paints[i]!.underline}; text-underline-offset: 6px; }`,
        `::highlight(${highlightName.suggestedSelected(i)}) { background-color: ${paints[i]!.fill}; text-decoration: underline 3px dashed ${paints[i]!.underline}; text-underline-offset: 6px; }`,
      ]),
      `::highlight(${highlightName.selected}) { background-color: ${selected.fill}; text-decoration: underline 2px dotted ${selected.underline}; text-underline-offset: 3px; }`,
    ];
  });
  labelSheet ??= adoptedSheet();
  labelSheet.replaceSync(css);
}

/**
 * Find matches: distinct from the translucent label fills and the amber selected annotation.
 * Every match gets a pale yellow wash with a solid underline, the current one a strong orange
 * with dark text whatever the scheme, as in a browser's own find.
 */
function findRules(scheme: Scheme): string[] {
  const [match] = spanPaints([{ color: '#ffe600', alpha: 0.45 }], scheme) as [SpanPaint];
  return [
    `::highlight(${findHighlightName.match}) { background-color: ${match.fill}; text-decoration: underline 2px solid ${match.underline}; text-underline-offset: 4px; }`,
    `::highlight(${findHighlightName.current}) { background-color: rgb(255, 140, 26); color: #1d1d1f; text-decoration: underline 3px solid #7a2e00; text-underline-offset: 4px; }`,
  ];
}

let findSheet: CSSStyleSheet | null = null;

export function installFindStyles(): void {
  if (findSheet) return;
  findSheet = adoptedSheet();
  findSheet.replaceSync(schemeRules(findRules));
}
