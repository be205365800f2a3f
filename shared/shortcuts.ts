import type { TagSchema } from './model';

/**
 * Every action of the reading view with its key, in one list: the keyboard handler, the menus
 * and the `?` overlay all read it, so the overlay never lies. Keys use KeyboardEvent.key names;
 * "Mod" is Ctrl (Cmd on macOS).
 */
export const ACTIONS = [
  { id: 'paste-document', title: 'New document from text…', keys: ['Mod+Alt+N'], menu: 'File' },
  { id: 'import-annotations', title: 'Import annotations…', keys: ['Mod+Shift+O'], menu: 'File' },
  { id: 'export', title: 'Export dataset…', keys: ['Mod+E'], menu: 'File' },
  { id: 'sync', title: 'Sync with the team (git)', keys: ['Mod+Shift+Y'], menu: 'File' },
  { id: 'delete-document', title: 'Delete this document…', keys: ['Mod+Delete', 'Mod+Backspace'], menu: 'File' },
  { id: 'project-settings', title: 'Project settings…', keys: ['Mod+,'], menu: 'File' },
  { id: 'undo', title: 'Undo', keys: ['Mod+Z'], menu: 'Edit' },
  { id: 'redo', title: 'Redo', keys: ['Mod+Shift+Z', 'Mod+Y'], menu: 'Edit' },
  { id: 'find', title: 'Find in document', keys: ['Mod+F'], menu: 'Edit' },
  { id: 'delete', title: 'Delete the selected annotation', keys: ['Delete', 'Backspace'], menu: 'Annotate' },
  { id: 'link', title: 'Link the selected quote or claim to a source', keys: ['l'], menu: 'Annotate' },
  { id: 'next-annotation', title: 'Next annotation', keys: ['j'], menu: 'Annotate' },
  { id: 'previous-annotation', title: 'Previous annotation', keys: ['k'], menu: 'Annotate' },
  // Keys that act only while a suggestion is looked at: a label of an older schema may own them otherwise.
  { id: 'accept-suggestion', title: 'Accept the suggestion you look at', keys: ['Enter', 'a'], menu: 'Annotate', whileSuggestion: true },
  { id: 'reject-suggestion', title: 'Reject the suggestion you look at', keys: ['x'], menu: 'Annotate', whileSuggestion: true },
  { id: 'accept-suggestions-on-screen', title: 'Accept the suggestions on screen', keys: ['Shift+A'], menu: 'Annotate' },
  { id: 'start-left', title: 'Move the start one word left', keys: ['Alt+ArrowLeft'], menu: 'Annotate' },
  { id: 'start-right', title: 'Move the start one word right', keys: ['Alt+ArrowRight'], menu: 'Annotate' },
  { id: 'end-left', title: 'Move the end one word left', keys: ['Alt+Shift+ArrowLeft'], menu: 'Annotate' },
  { id: 'end-right', title: 'Move the end one word right', keys: ['Alt+Shift+ArrowRight'], menu: 'Annotate' },
  { id: 'clear', title: 'Clear the selection, close the find bar or the link', keys: ['Escape'], menu: null },
  { id: 'compare', title: 'Compare annotators’ layers of this document', keys: ['c'], menu: 'Annotate' },
  { id: 'agreement', title: 'Agreement dashboard', keys: ['Mod+Shift+A'], menu: 'Go' },
  { id: 'next-document', title: 'Next document', keys: ['Alt+ArrowDown'], menu: 'Go' },
  { id: 'previous-document', title: 'Previous document', keys: ['Alt+ArrowUp'], menu: 'Go' },
  { id: 'toggle-done', title: 'Mark this document done (or not)', keys: ['d'], menu: 'Go' },
  { id: 'edit-schema', title: 'Edit the tag schema', keys: ['Mod+Shift+S'], menu: 'Annotate' },
  { id: 'shortcuts', title: 'Show keyboard shortcuts', keys: ['?'], menu: 'Help' },
] as const;

export type ActionId = (typeof ACTIONS)[number]['id'];
export const ACTION_IDS = ACTIONS.map((a) => a.id) as [ActionId, ...ActionId[]];

const singleKeys = (actions: readonly (typeof ACTIONS)[number][]) => actions.flatMap((a) => a.keys as readonly string[]).filter((k) => k.length === 1);

/**
 * Single keys taken by actions at all times: a label may not use them as its shortcut. The keys
 * that act only while a suggestion is looked at (A, X) are not among them: Margin used to give
 * them to new labels, and a project whose schema has one must still open (the label keeps it;
 * the key accepts or rejects only while a suggestion is looked at).
 */
export const RESERVED_KEYS: readonly string[] = singleKeys(ACTIONS.filter((a) => !('whileSuggestion' in a)));

/** Single keys Margin no longer gives to a new label: every action's, those of suggestions too. */
export const TAKEN_KEYS: readonly string[] = singleKeys(ACTIONS);

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/** Whether a key event is `combo` ("Mod+Shift+Z", "Alt+ArrowLeft", "?"). */
export function matchesKey(event: KeyPress, combo: string): boolean {
  const parts = combo.split('+');
  const key = parts.pop()!;
  const mods = new Set(parts);
  const mod = event.ctrlKey || event.metaKey;
  if (mods.has('Mod') !== mod || mods.has('Alt') !== event.altKey) return false;
  // Shift is part of printable keys ("?" is Shift+/), so it only counts for named keys and letters with Mod.
  const printable = key.length === 1;
  if (!printable && mods.has('Shift') !== event.shiftKey) return false;
  if (printable && (mod || event.altKey) && mods.has('Shift') !== event.shiftKey) return false;
  // A letter alone goes by Shift, not by the case it types: Caps Lock's "A" is still "a", never Shift+A.
  if (printable && !mod && !event.altKey && /^\p{L}$/u.test(key)) {
    return event.key.toLowerCase() === key.toLowerCase() && event.shiftKey === mods.has('Shift');
  }
  return printable ? event.key.toLowerCase() === key.toLowerCase() && (mod || event.altKey || event.key === key) : event.key === key;
}

export function actionFor(event: KeyPress): ActionId | null {
  return ACTIONS.find((a) => a.keys.some((k) => matchesKey(event, k)))?.id ?? null;
}

/** "Mod+Shift+Z" as a person reads it on this platform. */
export function displayKey(combo: string, mac = false): string {
  const names: Record<string, string> = {
    Mod: mac ? '⌘' : 'Ctrl',
    Alt: mac ? '⌥' : 'Alt',
    Shift: mac ? '⇧' : 'Shift',
    ArrowLeft: '←',
    ArrowRight: '→',
    ArrowUp: '↑',
    ArrowDown: '↓',
    Escape: 'Esc',
  };
  return combo
    .split('+')
    .map((p) => names[p] ?? (p.length === 1 ? p.toUpperCase() : p))
    .join(mac ? '' : '+');
}

/** Caret mode's keys: the focused article handles them itself (renderer/src/reading/useCaret.ts), so they are not actions. */
export const CARET_KEYS: readonly { keys: string[]; title: string }[] = [
  { keys: ['ArrowLeft', 'ArrowRight'], title: 'In the article (Tab to it): move the caret one word' },
  { keys: ['Shift+ArrowLeft', 'Shift+ArrowRight'], title: 'Select from the caret, one word at a time' },
  { keys: ['Mod+ArrowLeft', 'Mod+ArrowRight'], title: 'Move the caret one sentence (with Shift, select)' },
];

/** Every shortcut, the schema's label keys and the caret's first: what the `?` overlay lists. */
export function shortcutList(schema: TagSchema): { keys: string[]; title: string }[] {
  return [
    ...schema.labels.map((l) => ({ keys: [l.key], title: `Tag the selection as ${l.name}, or relabel the selected annotation` })),
    ...CARET_KEYS.map((k) => ({ keys: [...k.keys], title: k.title })),
    ...ACTIONS.map((a) => ({ keys: [...a.keys], title: a.title })),
  ];
}

/** Electron accelerator for a combo ("Mod+Shift+Z" -> "CmdOrCtrl+Shift+Z"). */
export function accelerator(combo: string): string {
  const names: Record<string, string> = { Mod: 'CmdOrCtrl', ArrowLeft: 'Left', ArrowRight: 'Right', ArrowUp: 'Up', ArrowDown: 'Down', Escape: 'Esc' };
  return combo
    .split('+')
    .map((p) => names[p] ?? (p.length === 1 ? p.toUpperCase() : p))
    .join('+');
}
