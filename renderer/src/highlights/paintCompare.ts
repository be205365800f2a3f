import type { Comparison, SpanStatus } from '../../../shared/api';
import { toHex } from '../theme/colour';
import { spanPaints } from '../theme/palette';
import type { ParagraphMap } from './domOffsets';
import { schemeRules } from './styles';

/** Compare view colours: by status, not by label. Names outside "margin-" so label painting leaves them alone. */
export const STATUS_STYLE: Record<SpanStatus, { name: string; color: string; title: string }> = {
  agreed: { name: 'compare-agreed', color: '30, 125, 69', title: 'Agreed (same span, same label)' },
  'label-conflict': { name: 'compare-label', color: '192, 57, 43', title: 'Label conflict (same span, other label)' },
  'boundary-conflict': { name: 'compare-boundary', color: '214, 137, 16', title: 'Boundary conflict (overlapping, same label)' },
  'only-one': { name: 'compare-only', color: '37, 99, 184', title: 'Only some annotators' },
};
const CURRENT = 'compare-current';

let sheet: CSSStyleSheet | null = null;

function install(): void {
  if (sheet) return;
  sheet = new CSSStyleSheet();
  const statuses = Object.values(STATUS_STYLE);
  const hex = (rgb: string) => {
    const [r, g, b] = rgb.split(',').map(Number) as [number, number, number];
    return toHex({ r, g, b, a: 1 });
  };
  // Derived for each colour scheme as the label highlights are: text readable over any two, an underline at 3:1.
  sheet.replaceSync(
    schemeRules((scheme) => {
      const paints = spanPaints([...statuses.map((s) => ({ color: hex(s.color), alpha: 0.3 })), { color: '#ffc400', alpha: 0.55 }], scheme);
      return [
        ...statuses.map((s, i) => `::highlight(${s.name}) { background-color: ${paints[i]!.fill}; text-decoration: underline 2px ${paints[i]!.underline}; }`),
        `::highlight(${CURRENT}) { background-color: ${paints[statuses.length]!.fill}; }`,
      ];
    }),
  );
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}

export function clearCompare(): void {
  for (const s of Object.values(STATUS_STYLE)) CSS.highlights.delete(s.name);
  CSS.highlights.delete(CURRENT);
}

/** `current`: the items marked as the one being decided (a link's two ends). */
export function paintCompare(map: ParagraphMap, comparison: Comparison | null, current: readonly string[]): void {
  clearCompare();
  if (!comparison) return;
  install();
  const byStatus = new Map<SpanStatus, Range[]>();
  const marked: Range[] = [];
  for (const item of comparison.items) {
    for (const a of Object.values(item.byAnnotator)) {
      const range = map.range(a.start, a.end);
      if (!range) continue;
      byStatus.set(item.status, [...(byStatus.get(item.status) ?? []), range]);
      if (current.includes(item.id)) marked.push(range);
    }
  }
  if (marked.length > 0) {
    const highlight = new Highlight(...marked);
    highlight.priority = 1;
    CSS.highlights.set(CURRENT, highlight);
  }
  for (const [status, ranges] of byStatus) CSS.highlights.set(STATUS_STYLE[status].name, new Highlight(...ranges));
}
