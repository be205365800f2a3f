import type { Annotation, TagSchema } from '../../../shared/model';
import { nestingDepths } from '../../../shared/spanIndex';
import type { ParagraphMap } from './domOffsets';

/**
 * Highlights are painted with the CSS Custom Highlight API: ranges computed from offsets, no
 * element wrapped around any span, so overlapping and nested spans cost nothing in the DOM.
 */
const PREFIX = 'margin';

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export const highlightName = {
  label: (index: number) => `${PREFIX}-label-${index}`,
  nested: (index: number) => `${PREFIX}-nested-${index}`,
  selected: `${PREFIX}-selected`,
  /** Spans whose label the schema does not know: kept and shown, in grey. */
  unknown: `${PREFIX}-unknown`,
};

let sheet: CSSStyleSheet | null = null;

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
  if (!sheet) {
    sheet = new CSSStyleSheet();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }
  sheet.replaceSync(rules.join('\n'));
}

function clearOurs(): void {
  for (const name of [...CSS.highlights.keys()]) {
    if (name.startsWith(`${PREFIX}-`)) CSS.highlights.delete(name);
  }
}

/** A boundary being dragged: the selected annotation is painted with these bounds meanwhile. */
export interface Preview {
  id: string;
  start: number;
  end: number;
}

export function paintHighlights(
  map: ParagraphMap,
  schema: TagSchema,
  annotations: readonly Annotation[],
  selectedId: string | null,
  preview: Preview | null = null,
): void {
  clearOurs();
  const depths = nestingDepths(annotations);
  const byName = new Map<string, Range[]>();
  const add = (name: string, range: Range) => {
    const list = byName.get(name);
    if (list) list.push(range);
    else byName.set(name, [range]);
  };
  for (const annotation of annotations) {
    const index = schema.labels.findIndex((l) => l.name === annotation.label);
    const bounds = preview?.id === annotation.id ? preview : annotation;
    const range = map.range(bounds.start, bounds.end);
    if (!range) continue;
    if (index < 0) {
      add(highlightName.unknown, range);
      if (annotation.id === selectedId) add(highlightName.selected, range);
      continue;
    }
    add(highlightName.label(index), range);
    if ((depths.get(annotation) ?? 0) > 0) add(highlightName.nested(index), range);
    if (annotation.id === selectedId) add(highlightName.selected, range);
  }
  for (const [name, ranges] of byName) {
    const highlight = new Highlight(...ranges);
    // The selection outlines everything; nested underlines sit above their outer fills.
    highlight.priority = name === highlightName.selected ? 2 : name.includes('-nested-') ? 1 : 0;
    CSS.highlights.set(name, highlight);
  }
}

export function clearHighlights(): void {
  clearOurs();
}
