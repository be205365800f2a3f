import { useCallback, useState } from 'react';

export interface Notice {
  id: number;
  kind: 'info' | 'error';
  text: string;
  details?: string[];
}

let nextId = 1;

/** Messages for the user: what an import did, what failed and why. Errors stay until dismissed. */
export function useNotices() {
  const [notices, setNotices] = useState<Notice[]>([]);
  const dismiss = useCallback((id: number) => setNotices((list) => list.filter((n) => n.id !== id)), []);
  const notify = useCallback(
    (kind: Notice['kind'], text: string, details?: string[]) => {
      const id = nextId++;
      setNotices((list) => [...list.slice(-3), { id, kind, text, ...(details?.length ? { details } : {}) }]);
      if (kind === 'info' && !details?.length) setTimeout(() => dismiss(id), 6000);
    },
    [dismiss],
  );
  return { notices, notify, dismiss };
}
export type Notify = ReturnType<typeof useNotices>['notify'];
