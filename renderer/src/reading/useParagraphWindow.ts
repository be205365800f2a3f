import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useCallback, useLayoutEffect, useMemo, useState, type RefObject } from 'react';
import type { ParagraphIndex } from './paragraphIndex';
import { useOffsetWithin } from './useOffsetWithin';
import { DEFAULT_METRICS, estimateHeight, metricsFrom, withPins, type TextMetrics } from './windowing';

/**
 * Paragraphs rendered beyond each edge of the viewport: about half a screen each way. Every
 * change of a highlight makes the browser repaint the highlighted text that is rendered, so
 * each paragraph rendered out of sight costs paint time on every click and key.
 */
const OVERSCAN = 6;
/** An article this short is rendered whole: a few screens, cheap to paint, and nothing to wait for. */
const WHOLE_DOCUMENT = 60;

/** The mean width of the document's characters in the column's font, measured once per width. */
function measureMetrics(list: HTMLElement, text: string): TextMetrics {
  const style = getComputedStyle(list);
  const fontSize = Number.parseFloat(style.fontSize) || 17;
  const lineHeight = Number.parseFloat(style.lineHeight) || fontSize * 1.2;
  const context = document.createElement('canvas').getContext('2d');
  const sample = text.slice(0, 4000);
  let meanCharWidth = fontSize / 2;
  if (context && sample.length > 0) {
    context.font = style.font;
    meanCharWidth = context.measureText(sample).width / sample.length;
  }
  return metricsFrom(list.clientWidth, lineHeight, fontSize, meanCharWidth);
}

/**
 * The paragraphs to render: those near the viewport of `scroller`, plus `pins` (paragraphs
 * something on screen is drawn from: the selected annotation's ends, its links' ends, the current
 * find match) and `livePins` (read on every change of the window: the ends of the text selection,
 * which must not vanish while a drag scrolls the view). Heights are guessed from each
 * paragraph's length until the paragraph has been rendered and measured.
 */
export function useParagraphWindow(
  paragraphs: ParagraphIndex,
  scroller: HTMLElement | null,
  list: HTMLElement | null,
  pins: readonly number[],
  livePins: RefObject<readonly number[]>,
) {
  const scrollMargin = useOffsetWithin(scroller, list);
  const [metrics, setMetrics] = useState(DEFAULT_METRICS);

  useLayoutEffect(() => {
    if (!list) return;
    let width = -1;
    const measure = () => {
      if (list.clientWidth === width) return;
      width = list.clientWidth;
      const next = measureMetrics(list, paragraphs.text);
      setMetrics((m) => (m.charsPerLine === next.charsPerLine && m.lineHeight === next.lineHeight && m.gap === next.gap ? m : next));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(list);
    return () => observer.disconnect();
  }, [list, paragraphs]);

  const estimateSize = useCallback((index: number) => estimateHeight(paragraphs.length(index), metrics), [paragraphs, metrics]);
  // The virtualizer re-reads estimates only when its key function changes: a new one per estimate.
  const getItemKey = useMemo(() => {
    void estimateSize;
    return (index: number) => index;
  }, [estimateSize]);

  const pinKey = pins.join(',');
  const rangeExtractor = useMemo(() => {
    const fixed = pinKey === '' ? [] : pinKey.split(',').map(Number);
    return (range: Range) => withPins(defaultRangeExtractor(range), [...fixed, ...livePins.current], range.count);
  }, [pinKey, livePins]);

  // The build does not run the React Compiler; the virtualizer re-renders its host on every change itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  return useVirtualizer<HTMLElement, HTMLElement>({
    count: paragraphs.count,
    getScrollElement: () => scroller,
    estimateSize,
    getItemKey,
    overscan: paragraphs.count <= WHOLE_DOCUMENT ? paragraphs.count : OVERSCAN,
    scrollMargin,
    rangeExtractor,
    initialRect: { width: 0, height: typeof window === 'undefined' ? 0 : window.innerHeight },
  });
}
