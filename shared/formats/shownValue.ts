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

/**
 * A problem message on one line, whatever the file put in the ids and IRIs it quotes: each line
 * break shows as "\n", as the file's JSON would spell it. Reports list one problem a line.
 */
export function oneLine(reason: string): string {
  return reason.replace(/\r\n|[\r\n\u2028\u2029]/g, '\\n');
}
