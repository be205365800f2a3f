import type { TagSchema } from '../../../shared/model';
import { findHighlightName, highlightName } from './names';

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

let labelSheet: CSSStyleSheet | null = null;

/** One rule per label: a translucent fill (overlaps darken) and, for spans inside others, an underline. */
export function installHighlightStyles(schema: TagSchema): void {
  const rules = schema.labels.flatMap((label, i) => {
    const [r, g, b] = hexToRgb(label.color);
    return [
      `::highlight(${highlightName.label(i)}) { background-color: rgba(${r}, ${g}, ${b}, 0.28); }`,
      `::highlight(${highlightName.nested(i)}) { text-decoration: underline 3px rgb(${r}, ${g}, ${b}); text-underline-offset: 3px; }`,
    ];
  });
  rules.push(`::highlight(${highlightName.unknown}) { background-color: rgba(128, 128, 128, 0.3); text-decoration: underline 2px dashed #555555; }`);
  rules.push(`::highlight(${highlightName.selected}) { background-color: rgba(255, 196, 0, 0.38); text-decoration: underline 2px dotted #5a4500; }`);
  if (!labelSheet) {
    labelSheet = new CSSStyleSheet();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, labelSheet];
  }
  labelSheet.replaceSync(rules.join('\n'));
}

/**
 * Find matches: distinct from the translucent label fills and the amber selected annotation.
 * Every match gets a pale yellow wash with a solid underline, the current one a strong orange, as
 * in a browser's own find.
 */
const FIND_RULES = [
  `::highlight(${findHighlightName.match}) { background-color: rgba(255, 230, 0, 0.45); text-decoration: underline 2px solid #9a6b00; text-underline-offset: 4px; }`,
  `::highlight(${findHighlightName.current}) { background-color: rgb(255, 140, 26); color: #1d1d1f; text-decoration: underline 3px solid #7a2e00; text-underline-offset: 4px; }`,
].join('\n');

let findSheet: CSSStyleSheet | null = null;

export function installFindStyles(): void {
  if (findSheet) return;
  findSheet = new CSSStyleSheet();
  findSheet.replaceSync(FIND_RULES);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, findSheet];
}
