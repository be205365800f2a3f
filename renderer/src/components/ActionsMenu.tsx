import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { ACTIONS, type ActionId, displayKey } from '../../../shared/shortcuts';
import { isMac } from './ShortcutOverlay';
import './shortcuts.css';

/** A command only this menu has (the desktop menu bar has its own): e.g. the imports, which open a file picker. */
export interface MenuExtra {
  id: string;
  menu: string;
  title: string;
  run: () => void;
  disabled?: boolean;
}

interface Props {
  onAction: (id: ActionId) => void;
  disabled?: (id: ActionId) => boolean;
  /** Listed first in their menu. */
  extras?: readonly MenuExtra[];
}

/** The menus in the order the desktop app shows them. */
const MENU_ORDER = ['File', 'Edit', 'Annotate', 'Go', 'Help'];

/** ACTIONS with a menu, grouped by it: what the desktop app's menu bar shows. */
export function actionGroups() {
  const menus = [...new Set([...MENU_ORDER, ...ACTIONS.map((a) => a.menu).filter((m): m is NonNullable<typeof m> => m !== null)])];
  return menus.map((menu) => ({ menu, actions: ACTIONS.filter((a) => a.menu === menu) })).filter((g) => g.actions.length > 0);
}

/** "Mod+Shift+Z" in aria-keyshortcuts' spelling ("Control+Shift+Z"). */
const ariaKey = (combo: string, mac: boolean) => combo.replace('Mod', mac ? 'Meta' : 'Control');

/**
 * Browser mode has no native menu bar: this header button opens the same commands as a menu,
 * each with its shortcut. Arrow keys move, Enter chooses, Escape closes.
 */
export function ActionsMenu({ onAction, disabled, extras = [] }: Props) {
  const [open, setOpen] = useState<false | 'first' | 'last'>(false);
  const container = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const menuId = useId();
  const mac = isMac();

  const items = () => [...(list.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];

  // Opening puts the focus on the first item (the last with ArrowUp).
  useEffect(() => {
    if (!open) return;
    const all = items();
    (open === 'last' ? all[all.length - 1] : all[0])?.focus();
  }, [open]);

  // A click anywhere else closes the menu.
  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      if (!container.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  const choose = (entry: { off: boolean; run: () => void }) => {
    if (entry.off) return;
    close();
    entry.run();
  };

  const onButtonKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      event.stopPropagation();
      setOpen(event.key === 'ArrowUp' ? 'last' : 'first');
    }
  };

  const onMenuKey = (event: KeyboardEvent<HTMLDivElement>) => {
    // While the menu has the keyboard, the reading view's single-key shortcuts stay quiet.
    event.stopPropagation();
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLElement);
    const move = (index: number) => {
      event.preventDefault();
      all[(index + all.length) % all.length]?.focus();
    };
    switch (event.key) {
      case 'ArrowDown':
        return move(at + 1);
      case 'ArrowUp':
        return move(at < 0 ? -1 : at - 1);
      case 'Home':
        return move(0);
      case 'End':
        return move(-1);
      case 'Escape':
      case 'Tab':
        event.preventDefault();
        return close();
    }
  };

  return (
    <div className="actions-menu" ref={container}>
      <button
        ref={button}
        type="button"
        aria-haspopup="menu"
        aria-expanded={open !== false}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen(open ? false : 'first')}
        onKeyDown={onButtonKey}
      >
        Menu
      </button>
      {open && (
        <div ref={list} id={menuId} className="actions-menu-list" role="menu" aria-label="Actions" onKeyDown={onMenuKey}>
          {actionGroups().map((group) => (
            <div key={group.menu} role="group" aria-label={group.menu} className="actions-menu-group">
              <div className="actions-menu-heading" aria-hidden>
                {group.menu}
              </div>
              {[
                ...extras.filter((extra) => extra.menu === group.menu).map((extra) => ({ ...extra, keys: [] as readonly string[], off: extra.disabled ?? false })),
                ...group.actions.map((action) => ({ ...action, run: () => onAction(action.id), off: disabled?.(action.id) ?? false })),
              ].map((entry) => (
                <button
                  key={entry.id}
                  type="button"
                  role="menuitem"
                  tabIndex={-1}
                  className="actions-menu-item"
                  aria-label={entry.title}
                  aria-disabled={entry.off || undefined}
                  aria-keyshortcuts={entry.keys.map((k) => ariaKey(k, mac)).join(' ') || undefined}
                  data-action={entry.id}
                  onClick={() => choose(entry)}
                >
                  <span className="actions-menu-title">{entry.title}</span>
                  {entry.keys[0] && <kbd>{displayKey(entry.keys[0], mac)}</kbd>}
                </button>
              ))}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
