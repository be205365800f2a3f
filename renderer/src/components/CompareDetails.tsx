import type { Comparison } from '../../../shared/api';
import type { AttributeValue } from '../../../shared/model';

type Item = Comparison['items'][number];
type Link = Comparison['links'][number];

/** An attribute value as a reader sees it; absent is "(none)", so a missing value is a visible difference. */
function shown(value: AttributeValue | undefined): string {
  if (value === undefined) return '(none)';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(', ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

function same(x: AttributeValue | undefined, y: AttributeValue | undefined): boolean {
  return JSON.stringify(x) === JSON.stringify(y);
}

/** How an item is named in the side panel: its first annotation's label and quote. */
export function itemName(item: Item | undefined): string {
  const first = item && Object.values(item.byAnnotator)[0];
  return first ? `${first.label} “${first.quote.exact}”` : '(a span not compared)';
}

/**
 * Each annotator's attribute values beside gold's, one row per attribute (differing rows
 * marked). Once gold holds the span with the same label, any annotator's value can be taken
 * into gold ("Use"), one attribute at a time.
 */
export function AttributeTable({ item, annotators, gold, onUse }: { item: Item; annotators: readonly string[]; gold: string; onUse: (name: string, value: AttributeValue | null) => void }) {
  const names = [...new Set([...annotators.flatMap((a) => Object.keys(item.byAnnotator[a]?.attributes ?? {})), ...Object.keys(item.gold?.attributes ?? {})])].sort();
  if (names.length === 0) return null;
  return (
    <>
      <table className="compare-attributes" aria-label="Attribute values">
        <thead>
          <tr>
            <th scope="col">Attribute</th>
            {annotators.map((a) => (
              <th key={a} scope="col">
                {a}
              </th>
            ))}
            <th scope="col">{gold}</th>
          </tr>
        </thead>
        <tbody>
          {names.map((name) => {
            const goldValue = item.gold?.attributes[name];
            return (
              <tr key={name} data-differs={item.attributeDifferences.includes(name) || undefined}>
                <th scope="row">{name}</th>
                {annotators.map((a) => {
                  const ann = item.byAnnotator[a];
                  if (!ann) return <td key={a}>—</td>;
                  const value = ann.attributes[name];
                  const usable = item.gold !== null && item.gold.label === ann.label && !same(value, goldValue);
                  return (
                    <td key={a}>
                      {shown(value)}
                      {usable && (
                        <button type="button" className="link-button" aria-label={`Use ${a}'s ${name}`} onClick={() => onUse(name, value ?? null)}>
                          Use
                        </button>
                      )}
                    </td>
                  );
                })}
                <td>{item.gold ? shown(goldValue) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {!item.gold && <p className="empty-hint">Accept a version into {gold} to choose its attribute values.</p>}
    </>
  );
}

/** One compared link: who drew it, what gold holds, and accepting or rejecting it. */
export function LinkDetail({ link, items, annotators, gold, onAccept, onReject }: {
  link: Link;
  items: readonly Item[];
  annotators: readonly string[];
  gold: string;
  onAccept: () => void;
  onReject: () => void;
}) {
  const from = items.find((i) => i.id === link.from);
  const to = items.find((i) => i.id === link.to);
  const endsInGold = !!from?.gold && !!to?.gold;
  return (
    <div className="compare-item compare-link" data-status={link.status}>
      <p className="compare-status">{link.status === 'agreed' ? 'Link every annotator drew' : 'Link only some annotators drew'}</p>
      <p>
        {itemName(from)} → <strong>{link.type}</strong> → {itemName(to)}
      </p>
      <ul>
        {annotators.map((a) => (
          <li key={a}>
            <strong>{a}</strong>: {link.byAnnotator[a] ? 'linked' : <em>no link</em>}
          </li>
        ))}
      </ul>
      <p className="compare-gold">
        {gold}: {link.gold ? 'linked' : link.resolved ? 'rejected' : 'not decided'}
      </p>
      {!endsInGold && <p className="empty-hint">Accept both ends into {gold} to accept the link.</p>}
      <div className="dialog-actions">
        <button type="button" onClick={onAccept} disabled={!endsInGold || link.gold !== null}>
          Accept link
        </button>
        <button type="button" onClick={onReject}>
          Reject link
        </button>
      </div>
    </div>
  );
}

/** Every compared link, to pick one; the differing ones are also stepped through with J/K. */
export function LinkList({ links, items, gold, currentId, onPick }: {
  links: readonly Link[];
  items: readonly Item[];
  gold: string;
  currentId: string | null;
  onPick: (id: string) => void;
}) {
  if (links.length === 0) return null;
  const name = (id: string) => itemName(items.find((i) => i.id === id));
  return (
    <div className="compare-links">
      <h3>Links</h3>
      <ul>
        {links.map((l) => (
          <li key={l.id} data-status={l.status} aria-current={l.id === currentId || undefined}>
            <button type="button" className="link-button" onClick={() => onPick(l.id)}>
              {name(l.from)} → {l.type} → {name(l.to)}
            </button>{' '}
            <span className="compare-link-state">
              {l.status === 'agreed' ? 'agreed' : `only ${Object.keys(l.byAnnotator).join(', ')}`}; {l.gold ? `in ${gold}` : l.resolved ? 'rejected' : 'not decided'}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
