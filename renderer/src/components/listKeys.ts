/**
 * Where a key moves the focus in a list of `count` rows, from row `from`, when `page` rows fit in
 * view; null when the key does not move it. The list is one Tab stop, so these keys are how the
 * keyboard reaches rows that are not rendered.
 */
export function rowForKey(key: string, from: number, count: number, page: number): number | null {
  if (count === 0) return null;
  const clamp = (n: number) => Math.min(count - 1, Math.max(0, n));
  switch (key) {
    case 'ArrowDown':
      return clamp(from + 1);
    case 'ArrowUp':
      return clamp(from - 1);
    case 'PageDown':
      return clamp(from + Math.max(1, page));
    case 'PageUp':
      return clamp(from - Math.max(1, page));
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
