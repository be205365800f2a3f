import { Fragment, useEffect, useEffectEvent, useRef } from 'react';
import type { TagSchema } from '../../../shared/model';
import { ACTIONS, displayKey, shortcutList } from '../../../shared/shortcuts';
import './shortcuts.css';

interface Props {
  schema: TagSchema;
  onClose: () => void;
}

export const isMac = (): boolean => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** Where each group of shortcuts appears, top to bottom. */
const GROUPS = ['File', 'Tag', 'Annotate', 'Edit', 'Go', 'General', 'Help'] as const;
const GROUP_TITLES: Record<(typeof GROUPS)[number], string> = {
  File: 'Articles and datasets',
  Tag: 'Tag and relabel',
  Annotate: 'Annotations',
  Edit: 'Edit',
  Go: 'Documents',
  General: 'General',
  Help: 'Help',
};

/** Every shortcut from shortcutList (the schema's label keys and the actions), grouped like the menus. */
export function groupedShortcuts(schema: TagSchema): { group: (typeof GROUPS)[number]; title: string; entries: { keys: string[]; title: string }[] }[] {
  const groupOf = (title: string): (typeof GROUPS)[number] => {
    const action = ACTIONS.find((a) => a.title === title);
    if (!action) return 'Tag';
    return action.menu ?? 'General';
  };
  const entries = shortcutList(schema);
  return GROUPS.map((group) => ({ group, title: GROUP_TITLES[group], entries: entries.filter((e) => groupOf(e.title) === group) })).filter(
    (g) => g.entries.length > 0,
  );
}

/** The `?` overlay: every shortcut, generated from the schema and the action list so it never lies. */
export function ShortcutOverlay({ schema, onClose }: Props) {
  const root = useRef<HTMLDivElement>(null);
  const mac = isMac();
  const close = useEffectEvent(() => onClose());

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    root.current?.focus();
    // Captured on the window, so the reading view's own shortcuts do not also act (a `?` would reopen it).
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Tab') return;
      event.stopPropagation();
      if (event.key === 'Escape' || event.key === '?') {
        event.preventDefault();
        close();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      before?.focus();
    };
  }, []);

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={root} className="dialog shortcut-overlay" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" tabIndex={-1}>
        <div className="shortcut-overlay-header">
          <h2>Keyboard shortcuts</h2>
          <button type="button" onClick={onClose} aria-label="Close">
            ×
          </button>
        </div>
        <div className="shortcut-groups">
          {groupedShortcuts(schema).map((group) => (
            <section key={group.group} aria-labelledby={`shortcut-group-${group.group}`} className="shortcut-group">
              <h3 id={`shortcut-group-${group.group}`}>{group.title}</h3>
              <dl>
                {group.entries.map((entry) => (
                  <Fragment key={`${entry.keys.join(' ')}:${entry.title}`}>
                    <dt>
                      {entry.keys.map((k, i) => (
                        <Fragment key={k}>
                          {i > 0 && <span className="shortcut-or"> or </span>}
                          <kbd>{displayKey(k, mac)}</kbd>
                        </Fragment>
                      ))}
                    </dt>
                    <dd>{entry.title}</dd>
                  </Fragment>
                ))}
              </dl>
            </section>
          ))}
        </div>
        <p className="shortcut-hint">
          Press <kbd>?</kbd> or <kbd>{displayKey('Escape', mac)}</kbd> to close.
        </p>
      </div>
    </div>
  );
}
