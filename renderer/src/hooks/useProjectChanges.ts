import { useEffect, useRef } from 'react';
import type { ProjectChange } from '../../../shared/api';
import { api } from '../api/client';

/** How long to wait before polling again after a failed poll (the server restarting, say). */
const RETRY_MS = 3000;

/**
 * Follows the project on disk: one long poll after another (waitForChanges), handing each batch
 * of changes other writers made (a git pull, a synced drive) to `onChanges`. The window starts
 * from the feed's current cursor, so it is told only of what happened after it loaded.
 */
export function useProjectChanges(onChanges: (changes: ProjectChange[]) => void): void {
  const latest = useRef(onChanges);
  useEffect(() => {
    latest.current = onChanges;
  }, [onChanges]);

  useEffect(() => {
    let stopped = false;
    void (async () => {
      let cursor = 0;
      while (!stopped) {
        try {
          const answer = await api.waitForChanges({ since: cursor });
          if (stopped) break;
          cursor = answer.cursor;
          if (answer.changes.length > 0) latest.current(answer.changes);
        } catch {
          // The server went away or refused: try again later rather than in a tight loop.
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        }
      }
    })();
    return () => {
      stopped = true;
    };
  }, []);
}

/** What a batch of changes means for a window showing `openDocId`. */
export function changeEffects(changes: readonly ProjectChange[], openDocId: string | null) {
  const schema = changes.some((c) => c.kind === 'schema');
  const openDocument = openDocId !== null && changes.some((c) => (c.kind === 'layer' || c.kind === 'metadata') && c.docId === openDocId);
  return {
    /** The tag schema (in the session) may differ. */
    session: schema,
    /** Counts, statuses, titles or the documents themselves. */
    documentList: changes.length > 0,
    /** The open document's annotations, links and reviews (a schema change may rename labels). */
    openDocument: openDocument || (schema && openDocId !== null),
    /** The open document's metadata, shown beside it. */
    openDocumentMeta: schema || changes.some((c) => c.kind === 'metadata' && c.docId === openDocId),
  };
}
