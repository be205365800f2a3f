import { useCallback, useState } from 'react';

/** What a notice offers besides its text: a command (Undo, Show in folder) or a link to download. */
export type NoticeAction =
  | { label: string; run: () => void; /** The notice goes once the action ran (Undo). */ closes?: boolean }
  | { label: string; href: string };

export interface Notice {
  id: number;
  kind: 'info' | 'error';
  text: string;
  details?: string[];
  actions?: NoticeAction[];
}

let nextId = 1;

/**
 * Messages for the user: what an import did, what failed and why. Only a plain piece of news
 * goes by itself; an error, a list of details, or an action to take (a download, a path to show,
 * an Undo) stays until dismissed, since the user may need it later than a few seconds.
 */
export function useNotices() {
  const [notices, setNotices] = useState<Notice[]>([]);
  const dismiss = useCallback((id: number) => setNotices((list) => list.filter((n) => n.id !== id)), []);
  const notify = useCallback(
    (kind: Notice['kind'], text: string, details?: string[], actions?: NoticeAction[]) => {
      const id = nextId++;
      setNotices((list) => [...list.slice(-3), { id, kind, text, ...(details?.length ? { details } : {}), ...(actions?.length ? { actions } : {}) }]);
      if (kind === 'info' && !details?.length && !actions?.length) setTimeout(() => dismiss(id), 6000);
      // The caller may dismiss it itself (once what its action offers is done another way).
      return id;
    },
    [dismiss],
  );
  return { notices, notify, dismiss };
}
export type Notify = ReturnType<typeof useNotices>['notify'];
