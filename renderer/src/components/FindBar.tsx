import { useEffect, useEffectEvent, useMemo, useRef, useState } from 'react';
import { findAll, MAX_TAG_ALL, untaggedMatches, type Match } from '../../../shared/find';
import type { Annotation, LabelDef } from '../../../shared/model';
import './FindBar.css';

export interface FindBarProps {
  text: string;
  labels: readonly LabelDef[];
  annotations: readonly Annotation[];
  /** Reports the matches and which one is current, so the reading view paints and scrolls to them. */
  onMatches: (matches: readonly { start: number; end: number }[], current: number) => void;
  /** Tags every match not already tagged with that label; one undo step. */
  onTagAll: (label: string, matches: readonly { start: number; end: number }[]) => void;
  onClose: () => void;
}

/** More matches than anyone can step through; painting them all would only slow the page down. */
export const MAX_MATCHES = 10_000;

/** Short texts search on every keystroke; long ones wait for a pause in the typing. */
function debounceDelay(length: number): number {
  if (length > 300_000) return 200;
  if (length > 50_000) return 80;
  return 0;
}

/** Index of the first match starting at or after `offset`, or 0 when there is none (wrap around). */
function firstFrom(matches: readonly Match[], offset: number): number {
  let lo = 0;
  let hi = matches.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (matches[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo < matches.length ? lo : 0;
}

/** The text selected on the page, when it is a short single line: what the analyst wants to find. */
function selectedPhrase(): string {
  const text = document.getSelection()?.toString().trim() ?? '';
  return text.length > 0 && text.length <= 200 && !text.includes('\n') ? text : '';
}

const plural = (n: number, one: string, many = `${one}es`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** Ctrl+F: find in the open document, step through the matches, and tag them all with one label. */
export function FindBar({ text, labels, annotations, onMatches, onTagAll, onClose }: FindBarProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState(selectedPhrase);
  const [settledQuery, setSettledQuery] = useState(query);
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [wholeWord, setWholeWord] = useState(false);
  // Diacritics count unless the analyst asks: "Israel" finds "Israël" only then.
  const [ignoreDiacritics, setIgnoreDiacritics] = useState(false);
  const [chosenLabel, setChosenLabel] = useState(labels[0]?.name ?? '');
  // The current match, remembered with the list it indexes into.
  const [position, setPosition] = useState<{ matches: readonly Match[]; index: number }>({ matches: [], index: 0 });

  const delay = debounceDelay(text.length);
  useEffect(() => {
    if (delay === 0) return;
    const timer = setTimeout(() => setSettledQuery(query), delay);
    return () => clearTimeout(timer);
  }, [query, delay]);
  const searched = delay === 0 ? query : settledQuery;
  const pending = searched !== query;

  const { matches, truncated } = useMemo(() => {
    const found = findAll(text, searched, { caseSensitive, wholeWord, ignoreDiacritics, limit: MAX_MATCHES + 1 });
    return found.length > MAX_MATCHES ? { matches: found.slice(0, MAX_MATCHES), truncated: true } : { matches: found, truncated: false };
  }, [text, searched, caseSensitive, wholeWord, ignoreDiacritics]);

  // A new search keeps its place: the first match at or after the one that was current.
  const current = useMemo(() => {
    if (matches.length === 0) return -1;
    if (position.matches === matches) return Math.min(position.index, matches.length - 1);
    const previous = position.matches[position.index];
    return previous ? firstFrom(matches, previous.start) : 0;
  }, [matches, position]);

  const report = useEffectEvent((found: readonly Match[], index: number) => onMatches(found, index));
  useEffect(() => {
    report(matches, current);
  }, [matches, current]);

  // Ctrl+F while the bar is open goes back to the search box.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'f') {
        event.preventDefault();
        inputRef.current?.focus();
        inputRef.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  useEffect(() => inputRef.current?.select(), []);

  const label = labels.some((l) => l.name === chosenLabel) ? chosenLabel : (labels[0]?.name ?? '');
  const labelColor = labels.find((l) => l.name === label)?.color;
  const untagged = useMemo(() => untaggedMatches(matches, annotations, label), [matches, annotations, label]);

  const step = (delta: number) => {
    if (pending) {
      // Enter before the pause: search now, and start at the first match.
      setSettledQuery(query);
      return;
    }
    if (matches.length === 0) return;
    setPosition({ matches, index: (current + delta + matches.length) % matches.length });
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
    }
  };
  const onInputKeyDown = (event: React.KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      step(event.shiftKey ? -1 : 1);
    }
  };

  let countText = '';
  if (query !== '' && !pending) {
    countText = matches.length === 0 ? 'No matches' : `${(current + 1).toLocaleString()} of ${matches.length.toLocaleString()}${truncated ? '+' : ''}`;
  } else if (pending) countText = 'Searching…';

  const already = matches.length - untagged.length;
  let tagTitle: string;
  let canTag = false;
  if (matches.length === 0 || pending) tagTitle = 'No matches to tag';
  else if (!label) tagTitle = 'The schema has no labels';
  else if (truncated || untagged.length > MAX_TAG_ALL) tagTitle = `Too many matches to tag at once (at most ${MAX_TAG_ALL.toLocaleString()}); narrow the search`;
  else if (untagged.length === 0) tagTitle = `All ${plural(matches.length, 'match')} already tagged as ${label}`;
  else {
    canTag = true;
    tagTitle = `Tag ${plural(untagged.length, 'match')} as ${label}${already > 0 ? ` (${already.toLocaleString()} already tagged)` : ''}`;
  }

  return (
    <div className="find-bar" role="search" aria-label="Find and tag" onKeyDown={onKeyDown}>
      <input
        ref={inputRef}
        type="text"
        className="find-input"
        aria-label="Find in document"
        placeholder="Find in document"
        autoFocus
        spellCheck={false}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onInputKeyDown}
      />
      <span className={`find-count${query !== '' && !pending && matches.length === 0 ? ' none' : ''}`} aria-live="polite">
        {countText}
      </span>
      <button type="button" className="find-step" aria-label="Previous match" title="Previous match (Shift+Enter)" disabled={matches.length === 0} onClick={() => step(-1)}>
        ↑
      </button>
      <button type="button" className="find-step" aria-label="Next match" title="Next match (Enter)" disabled={matches.length === 0} onClick={() => step(1)}>
        ↓
      </button>
      <button type="button" className="find-toggle" aria-label="Match case" title="Match case" aria-pressed={caseSensitive} onClick={() => setCaseSensitive((v) => !v)}>
        Aa
      </button>
      <button type="button" className="find-toggle" aria-label="Whole words" title="Whole words" aria-pressed={wholeWord} onClick={() => setWholeWord((v) => !v)}>
        <span className="whole-word-icon">ab</span>
      </button>
      <button
        type="button"
        className="find-toggle"
        aria-label="Ignore diacritics"
        title="Ignore diacritics (e finds é)"
        aria-pressed={ignoreDiacritics}
        onClick={() => setIgnoreDiacritics((v) => !v)}
      >
        <span aria-hidden="true">é=e</span>
      </button>
      <span className="find-tag">
        <select
          aria-label="Label for all matches"
          value={label}
          onChange={(e) => setChosenLabel(e.target.value)}
          style={labelColor ? { borderColor: labelColor } : undefined}
        >
          {labels.map((l) => (
            <option key={l.name} value={l.name}>
              {l.name}
            </option>
          ))}
        </select>
        <button type="button" className="find-tag-all" title={tagTitle} disabled={!canTag} onClick={() => canTag && onTagAll(label, untagged)}>
          Tag all
        </button>
      </span>
      <button type="button" className="find-close" aria-label="Close find" title="Close (Escape)" onClick={onClose}>
        ×
      </button>
    </div>
  );
}
