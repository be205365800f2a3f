import { useLayoutEffect, useState } from 'react';

/**
 * How far `target` sits below the top of the content of `scroller` (what scrolls above a
 * virtualised list: a header, filters). Measured again whenever something above it changes size.
 */
export function useOffsetWithin(scroller: HTMLElement | null, target: HTMLElement | null): number {
  const [offset, setOffset] = useState(0);
  useLayoutEffect(() => {
    if (!scroller || !target) return;
    const measure = () => {
      const top = target.getBoundingClientRect().top - (scroller.getBoundingClientRect().top + scroller.clientTop) + scroller.scrollTop;
      setOffset(Math.round(top));
    };
    measure();
    const observer = new ResizeObserver(measure);
    for (let node: Element | null = target; node && node !== scroller; node = node.parentElement) {
      for (let above = node.previousElementSibling; above; above = above.previousElementSibling) observer.observe(above);
    }
    return () => observer.disconnect();
  }, [scroller, target]);
  return offset;
}
