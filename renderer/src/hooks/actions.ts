import { useEffect, useRef } from 'react';
import { actionFor, type ActionId } from '../../../shared/shortcuts';

/**
 * One dispatch table for every action, whoever triggers it: a key, the desktop menu, or the
 * in-app menu. Components register the actions they can carry out; the latest one wins.
 */
type Handler = () => void;
const registry = new Map<ActionId, Handler[]>();
let labelKeyHandler: ((key: string) => boolean) | null = null;

export function runAction(id: ActionId): boolean {
  const handler = registry.get(id)?.at(-1);
  if (!handler) return false;
  handler();
  return true;
}

export function hasAction(id: ActionId): boolean {
  return (registry.get(id)?.length ?? 0) > 0;
}

/** Registers handlers for as long as the component is mounted; the latest closures are always called. */
export function useActionHandlers(handlers: Partial<Record<ActionId, Handler | undefined>>): void {
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  const ids = Object.keys(handlers)
    .filter((id) => handlers[id as ActionId])
    .sort()
    .join(',');
  useEffect(() => {
    const registered = ids ? (ids.split(',') as ActionId[]) : [];
    const wrappers = registered.map((id) => {
      const wrapper = () => latest.current[id]?.();
      registry.set(id, [...(registry.get(id) ?? []), wrapper]);
      return [id, wrapper] as const;
    });
    return () => {
      for (const [id, wrapper] of wrappers) registry.set(id, (registry.get(id) ?? []).filter((h) => h !== wrapper));
    };
  }, [ids]);
}

/** The label keys (1, 2, 3, …): tag the selection or relabel the selected annotation. */
export function useLabelKeys(handler: (key: string) => boolean): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    const wrapper = (key: string) => latest.current(key);
    labelKeyHandler = wrapper;
    return () => {
      if (labelKeyHandler === wrapper) labelKeyHandler = null;
    };
  }, []);
}

/** Keys typed into a field belong to the field, not to the shortcuts. */
export function typingInField(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/**
 * Enter on a button or a link presses it; it accepts a suggestion only from the text, the
 * suggestion list, or nowhere in particular.
 */
function pressesControl(event: KeyboardEvent): boolean {
  const target = event.target;
  if (event.key !== 'Enter' || !(target instanceof Element)) return false;
  const control = target.closest('button, a[href], summary, [role="button"]');
  // The suggestion's own item is the one control where Enter accepts; its ✓ and ✕ are pressed as buttons.
  return control !== null && !control.classList.contains('suggestion-item');
}

/** The window's one keydown listener. */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || typingInField(event.target) || event.isComposing || pressesControl(event)) return;
      if (document.querySelector('[aria-modal="true"]')) return; // a dialog handles its own keys
      const action = actionFor(event);
      if (action && runAction(action)) {
        event.preventDefault();
        return;
      }
      if (!event.ctrlKey && !event.metaKey && !event.altKey && event.key.length === 1 && labelKeyHandler?.(event.key)) {
        event.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
