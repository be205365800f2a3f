import { useCallback, useEffect, useRef, useState } from 'react';
import type { SyncProgress, SyncReport } from '../../../shared/api';
import { api, messageOf } from '../api/client';

/** How often a running Sync is asked how far it got. */
const POLL_MS = 250;

const pause = (ms: number) => new Promise((resolve) => window.setTimeout(resolve, ms));

/**
 * Sync with the team: starts the job and polls it (like exports) until it is finished, then
 * hands over the report. `progress` is the step under way, null when no Sync runs.
 */
export function useSync(onDone: (report: SyncReport) => void, onError: (message: string) => void) {
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const running = useRef(false);
  const mounted = useRef(true);
  const latest = useRef({ onDone, onError });
  useEffect(() => {
    latest.current = { onDone, onError };
  });
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const start = useCallback(() => {
    // One at a time (the server would hand back the running one anyway).
    if (running.current) return;
    running.current = true;
    void (async () => {
      try {
        let current = await api.startSync({});
        while (mounted.current) {
          setProgress(current);
          if (current.finished) break;
          await pause(POLL_MS);
          current = await api.syncProgress({ jobId: current.jobId });
        }
        setProgress(null);
        if (!mounted.current) return;
        if (current.result) latest.current.onDone(current.result);
        else latest.current.onError(current.error ?? 'Sync stopped without saying why.');
      } catch (error) {
        setProgress(null);
        latest.current.onError(messageOf(error));
      } finally {
        running.current = false;
      }
    })();
  }, []);

  return { progress, start };
}
