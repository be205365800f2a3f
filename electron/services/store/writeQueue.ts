/**
 * Runs changes one after another. A change reads the schema and layers, checks, then writes;
 * two changes interleaving (a tag created while a schema edit migrates the project) could
 * otherwise write a label that no longer exists or overwrite each other's layer.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(change: () => Promise<T>): Promise<T> {
    const result = this.tail.then(change);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
