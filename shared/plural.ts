/** "1 document", "2 documents": a count with its noun, in the form the count asks for. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}
