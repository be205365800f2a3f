/**
 * Names of the CSS highlights the reading view paints, and the order they stack in. Annotation
 * highlights start with "margin-"; find matches use another prefix so nothing that clears the
 * annotations' highlights touches them.
 */
const PREFIX = 'margin';

export const highlightName = {
  label: (index: number) => `${PREFIX}-label-${index}`,
  nested: (index: number) => `${PREFIX}-nested-${index}`,
  selected: `${PREFIX}-selected`,
  /** Spans whose label the schema does not know: kept and shown, in grey. */
  unknown: `${PREFIX}-unknown`,
  /** A suggestion (not an annotation until accepted): a dashed underline in its label's colour. */
  suggested: (index: number) => `${PREFIX}-suggested-${index}`,
  /** The suggestion being looked at: its label's fill under the dashes. */
  suggestedSelected: (index: number) => `${PREFIX}-suggested-selected-${index}`,
};

export const findHighlightName = {
  match: 'find-match',
  current: 'find-current',
} as const;

/** Label fills at the bottom, nested underlines above their outer fills, then the selection, then find. */
export function priorityOf(name: string): number {
  if (name === findHighlightName.current) return 4;
  if (name === findHighlightName.match) return 3;
  if (name === highlightName.selected || name.startsWith(`${PREFIX}-suggested-selected-`)) return 2;
  if (name.startsWith(`${PREFIX}-nested-`)) return 1;
  return 0;
}
