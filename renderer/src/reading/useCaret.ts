import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { caretStep, type Edge } from '../../../shared/caret';
import type { Direction } from '../../../shared/direction';
import { offsetOfPoint } from '../highlights/domOffsets';
import { edgePlace } from './edges';
import type { ParagraphIndex } from './paragraphIndex';

interface Options {
  text: string;
  /** The document's language, for where its sentences end. */
  lang: string | undefined;
  /** The document's direction, for paragraphs that are not rendered. */
  dir: Direction;
  paragraphs: ParagraphIndex;
  /** The reading text and its scrolling container. */
  root: HTMLElement | null;
  scroller: HTMLElement | null;
  /** The rendered paragraph list. */
  list: HTMLElement | null;
  rangeOf: (start: number, end: number) => Range | null;
}

/** A DOM point for a document offset in a rendered paragraph (offsets between paragraphs go to the next one's start). */
function domPoint(list: HTMLElement, paragraphs: ParagraphIndex, offset: number): { node: Text; offset: number } | null {
  let index = paragraphs.lastStartingBefore(offset + 1);
  if (index < 0 || offset > paragraphs.end(index)) index = paragraphs.firstEndingAfter(offset);
  if (index >= paragraphs.count) return null;
  const node = list.querySelector(`p[data-index="${index}"]`)?.firstChild;
  if (!(node instanceof Text)) return null;
  const start = paragraphs.start(index);
  return { node, offset: Math.min(Math.max(offset, start), paragraphs.end(index)) - start };
}

/**
 * Caret mode: with the reading view focused, ←/→ move a caret one word, Ctrl (⌘) + ←/→ one
 * sentence, and Shift extends the selection, which then is tagged like a mouse selection (it is
 * the document's selection). In right-to-left paragraphs ← goes forward. The selection's
 * moving end stays on word (or sentence) ends and its fixed end on starts, so it always covers
 * whole words.
 */
export function useCaret({ text, lang, dir, paragraphs, root, scroller, list, rangeOf }: Options) {
  // A new object on every move, so that a move which lands where the caret was still applies its
  // selection. Only a key moves the view to the caret: a click or the focus never scrolls it.
  const [caret, setCaretAt] = useState<{ offset: number; byKey: boolean } | null>(null);
  const setCaret = useCallback((offset: number, byKey = false) => setCaretAt({ offset, byKey }), []);
  /** A selection to put in the document once the paragraphs it needs are rendered. */
  const wanted = useRef<{ anchor: number; focus: number } | null>(null);

  /** The document selection inside the text, as offsets (anchor where it started, focus where it moves). */
  const selectionOffsets = useCallback(() => {
    const selection = document.getSelection();
    if (!root || !selection || selection.isCollapsed || !selection.anchorNode || !selection.focusNode) return null;
    const anchor = offsetOfPoint(root, selection.anchorNode, selection.anchorOffset);
    const focus = offsetOfPoint(root, selection.focusNode, selection.focusOffset);
    return anchor === null || focus === null ? null : { anchor, focus };
  }, [root]);

  /** Where the caret starts when the view gets the focus: the first paragraph on screen. */
  const startOfView = useCallback(() => {
    if (!list || !scroller) return 0;
    const top = scroller.getBoundingClientRect().top;
    const shown = [...list.querySelectorAll<HTMLElement>('p[data-start]')].sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index));
    const first = shown.find((p) => p.getBoundingClientRect().bottom > top) ?? shown[0];
    return first ? Number(first.dataset.start) : 0;
  }, [list, scroller]);

  const directionAt = (offset: number): Direction => {
    const point = list && domPoint(list, paragraphs, offset);
    return point ? (getComputedStyle(point.node.parentElement!).direction as Direction) : dir;
  };

  const onFocus = (event: React.FocusEvent) => {
    if (event.target === event.currentTarget && caret === null) setCaret(startOfView());
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    if ((event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') || event.altKey || event.target !== event.currentTarget) return;
    event.preventDefault();
    const step = event.ctrlKey || event.metaKey ? 'sentence' : 'word';
    const selected = selectionOffsets();
    const at = selected?.focus ?? caret?.offset ?? startOfView();
    const direction = (event.key === 'ArrowRight') === (directionAt(at) === 'ltr') ? 1 : -1;
    if (!event.shiftKey) {
      document.getSelection()?.removeAllRanges();
      return setCaret(caretStep(text, at, step, direction, undefined, lang), true);
    }
    const anchor = selected?.anchor ?? at;
    // The moving end of a selection after its anchor is an end, before it a start.
    const edge: Edge = at > anchor ? 'end' : at < anchor ? 'start' : direction === 1 ? 'end' : 'start';
    let focus = caretStep(text, at, step, direction, edge, lang);
    // Shrinking never turns the selection inside out: it stops empty at the anchor.
    if ((edge === 'end' && focus < anchor) || (edge === 'start' && focus > anchor)) focus = anchor;
    wanted.current = { anchor, focus };
    setCaret(focus, true);
  };

  // After the render that pinned the caret's paragraph: the selection, and the caret in view.
  useLayoutEffect(() => {
    if (!list || !scroller || caret === null) return;
    const want = wanted.current;
    wanted.current = null;
    if (want) {
      const from = domPoint(list, paragraphs, want.anchor);
      const to = domPoint(list, paragraphs, want.focus);
      if (from && to) {
        if (want.anchor === want.focus) document.getSelection()?.removeAllRanges();
        else document.getSelection()?.setBaseAndExtent(from.node, from.offset, to.node, to.offset);
      }
    }
    const place = caret.byKey && root && edgePlace(text, caret.offset, 'end', rangeOf, root.getBoundingClientRect());
    if (!place || !root) return;
    const top = root.getBoundingClientRect().top;
    const view = scroller.getBoundingClientRect();
    const margin = 48;
    if (top + place.top < view.top + margin) scroller.scrollBy({ top: top + place.top - view.top - margin });
    else if (top + place.bottom > view.bottom - margin) scroller.scrollBy({ top: top + place.bottom - view.bottom + margin });
  }, [caret, list, scroller, root, paragraphs, text, rangeOf]);

  return { caret: caret?.offset ?? null, setCaret, onFocus, onKeyDown };
}
