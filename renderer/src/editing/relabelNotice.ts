import type { Annotation, AttributeValue, Relation } from '../../../shared/model';

function shown(value: AttributeValue): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function quoted(text: string): string {
  return text.length > 60 ? `“${text.slice(0, 60)}…”` : `“${text}”`;
}

/**
 * What a relabel lost, said to the user (issue 11: a quote became a claim and silently lost its
 * speaker): each attribute value the new label has no place for, each link it may not have.
 * Null when nothing was lost. `undoKey` is how Undo is spelled here ("Ctrl+Z").
 */
export function relabelNotice(
  result: { before: Annotation; after: Annotation; removedRelations: readonly Relation[] },
  annotations: readonly Annotation[],
  undoKey: string,
): { text: string; details: string[] } | null {
  const { before, after, removedRelations } = result;
  const details: string[] = [];
  for (const [name, value] of Object.entries(before.attributes)) {
    const kept = after.attributes[name];
    if (kept === undefined) details.push(`${name}: ${shown(value)}`);
    else if (shown(kept) !== shown(value)) details.push(`${name}: ${shown(value)} (kept: ${shown(kept)})`);
  }
  for (const relation of removedRelations) {
    const other = annotations.find((a) => a.id === (relation.from === before.id ? relation.to : relation.from));
    details.push(`link ${relation.type}${other ? ` ${relation.from === before.id ? '→' : '←'} ${other.label} ${quoted(other.quote.exact)}` : ''}`);
  }
  if (details.length === 0) return null;
  return { text: `Relabelled as ${after.label}; a ${after.label} has no place for what is listed below, so it was dropped. ${undoKey} brings it back.`, details };
}
