import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiResult, SuggestionView } from '../../../shared/api';
import { api, messageOf } from '../api/client';

type Listed = ApiResult<'listSuggestions'>;

export interface SuggestionsState {
  /** Off in the project's settings: nothing is proposed, and the list says how to turn it on. */
  enabled: boolean;
  /** Still being computed for this document (the services do it, off the window's thread). */
  loading: boolean;
  /** Why there are none to show, when the services refused (no annotator name yet, say). */
  problem: string | null;
  suggestions: readonly SuggestionView[];
  /** How many this analyst rejected on this document. */
  rejected: number;
  selectedKey: string | null;
  selected: SuggestionView | null;
  select: (key: string | null) => void;
  /** Takes these out of the list at once, before the services confirm (accept and reject are one key each). */
  drop: (keys: readonly string[]) => void;
  /** Asks the services again (after a refused change: the list as they have it). */
  refresh: () => void;
}

const NONE: readonly SuggestionView[] = [];

/**
 * The open document's suggestions: asked for once the text is painted, and again after every
 * change of the analyst's annotations (`version`), since what they tag or accept is no longer
 * proposed. The engine runs in the services, never in this window.
 */
export function useSuggestions(docId: string | null, version: unknown, ready: boolean): SuggestionsState {
  const [listed, setListed] = useState<{ docId: string; result: Listed } | null>(null);
  const [problem, setProblem] = useState<{ docId: string; message: string } | null>(null);
  /** Keys taken out before the services confirmed, each with the number of the last listing asked for then. */
  const [dropped, setDropped] = useState<ReadonlyMap<string, number>>(new Map());
  const asking = useRef(0);
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [asked, setAsked] = useState(0);

  // Another document: nothing of the last one's stays selected.
  const [shownDocId, setShownDocId] = useState(docId);
  if (shownDocId !== docId) {
    setShownDocId(docId);
    setSelectedKey(null);
    setDropped(new Map());
  }

  useEffect(() => {
    if (!docId || !ready) return;
    let cancelled = false;
    // After the first paint of the text, when the window is idle: opening stays as fast as before.
    const idle = requestIdleCallback(
      () => {
        const asked = ++asking.current;
        api
          .listSuggestions({ docId })
          .then((result) => {
            if (cancelled) return;
            setListed({ docId, result });
            setProblem(null);
            // A decision taken after this listing was asked for may not be in it yet: it stays taken out.
            setDropped((d) => new Map([...d].filter(([, at]) => at >= asked)));
          })
          .catch((error: unknown) => !cancelled && setProblem({ docId, message: messageOf(error) }));
      },
      { timeout: 1000 },
    );
    return () => {
      cancelled = true;
      cancelIdleCallback(idle);
    };
  }, [docId, version, ready, asked]);

  const current = listed?.docId === docId ? listed.result : null;
  const suggestions = useMemo(() => (current ? current.suggestions.filter((s) => !dropped.has(s.key)) : NONE), [current, dropped]);
  const selected = useMemo(() => suggestions.find((s) => s.key === selectedKey) ?? null, [suggestions, selectedKey]);
  const drop = useCallback((keys: readonly string[]) => setDropped((d) => new Map([...d, ...keys.map((k) => [k, asking.current] as const)])), []);
  const refresh = useCallback(() => setAsked((n) => n + 1), []);

  const enabled = current?.enabled ?? true;
  const loading = current === null && problem?.docId !== docId && docId !== null;
  const problemText = problem?.docId === docId ? problem.message : null;
  const rejected = current?.rejected ?? 0;
  const shownKey = selected ? selectedKey : null;
  // One object per change, so the callbacks built on it change only when it does.
  return useMemo(
    () => ({ enabled, loading, problem: problemText, suggestions, rejected, selectedKey: shownKey, selected, select: setSelectedKey, drop, refresh }),
    [enabled, loading, problemText, suggestions, rejected, shownKey, selected, drop, refresh],
  );
}
