import { useCallback, useSyncExternalStore } from 'react';
import { INITIAL_VIEW, parseViewMemory, type ViewMemory } from '../../../shared/viewMemory';
import { api } from '../api/client';

/** Changes are saved once they settle: a drag or a word typed is one write, not one per step. */
const SAVE_DELAY_MS = 300;

/**
 * The user's view of the open project (issue 11, item 19): the one place it lives in the window.
 * It is loaded from and saved to the services, which keep it in the user's app-data folder by
 * project (electron/services/store/viewMemory.ts explains why not localStorage). Components
 * read and change one field each with useRemembered, so a keystroke in a filter re-renders the
 * component that shows it, not the whole window.
 */
class ViewMemoryStore {
  private view: ViewMemory = INITIAL_VIEW;
  /** Nothing is saved before the project's view is loaded, so the initial view never overwrites it. */
  private loaded = false;
  private loading = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get(): ViewMemory {
    return this.view;
  }

  /**
   * The view remembered for the project open now (after another project was opened too). A view
   * that cannot be fetched is the initial one: remembering is a comfort, never a reason to fail.
   */
  async load(): Promise<ViewMemory> {
    const ticket = ++this.loading;
    // A change still waiting belongs to the project before: the services now have another one open.
    this.cancelSave();
    this.loaded = false;
    const view = await api.getViewMemory({}).catch(() => INITIAL_VIEW);
    if (ticket === this.loading) {
      this.view = view;
      this.loaded = true;
      this.emit();
    }
    return this.view;
  }

  set<K extends keyof ViewMemory>(key: K, value: ViewMemory[K]): void {
    if (Object.is(this.view[key], value)) return;
    this.view = { ...this.view, [key]: value };
    this.emit();
    if (this.loaded) this.saveSoon();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }

  private cancelSave(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private saveSoon(): void {
    this.cancelSave();
    this.timer = setTimeout(() => {
      this.timer = null;
      // Whatever the contract would refuse (an address's malformed #doc, an overlong search) is
      // saved as its initial value, so the rest of the view is still remembered.
      api.saveViewMemory({ view: parseViewMemory(this.view) }).catch((error: unknown) => console.warn('[margin] the view could not be remembered:', error));
    }, SAVE_DELAY_MS);
  }
}

export const viewMemory = new ViewMemoryStore();

/** One field of the remembered view, and its setter; like useState, but kept per project. */
export function useRemembered<K extends keyof ViewMemory>(key: K): [ViewMemory[K], (value: ViewMemory[K]) => void] {
  const value = useSyncExternalStore(viewMemory.subscribe, () => viewMemory.get()[key]);
  const set = useCallback((next: ViewMemory[K]) => viewMemory.set(key, next), [key]);
  return [value, set];
}
