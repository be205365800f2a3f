/**
 * A value read from a file, as a problem message shows it: what a person can find in the file.
 * `String(value)` would print a missing field as "undefined" and an object as "[object Object]".
 */
export function shownValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? 'a list' : 'an object';
}
