/**
 * Undo and redo, one history per document, kept for the whole session so switching to another
 * article and back keeps it. Each step knows how to undo and redo itself through the API.
 */
export interface Step {
  /** What the step did, for menus and messages ("Delete quote"). */
  title: string;
  /** The step changes the document's metadata, so the view must read the document again. */
  touchesDocument?: boolean;
  /** The step changes the tag schema, so the session must be read again. */
  touchesSchema?: boolean;
  undo(): Promise<void>;
  redo(): Promise<void>;
}

interface Stacks {
  done: Step[];
  undone: Step[];
}

const LIMIT = 500;

export class History {
  private readonly byDocument = new Map<string, Stacks>();

  private stacks(docId: string): Stacks {
    let stacks = this.byDocument.get(docId);
    if (!stacks) {
      stacks = { done: [], undone: [] };
      this.byDocument.set(docId, stacks);
    }
    return stacks;
  }

  /** Records a step that has just been done; a new step forgets what was undone. */
  push(docId: string, step: Step): void {
    const stacks = this.stacks(docId);
    stacks.done.push(step);
    if (stacks.done.length > LIMIT) stacks.done.shift();
    stacks.undone = [];
  }

  canUndo(docId: string): boolean {
    return (this.byDocument.get(docId)?.done.length ?? 0) > 0;
  }

  canRedo(docId: string): boolean {
    return (this.byDocument.get(docId)?.undone.length ?? 0) > 0;
  }

  /** Undoes the last step; if undoing fails the step stays where it was. Returns it, or null. */
  async undo(docId: string): Promise<Step | null> {
    const stacks = this.stacks(docId);
    const step = stacks.done.at(-1);
    if (!step) return null;
    await step.undo();
    stacks.done.pop();
    stacks.undone.push(step);
    return step;
  }

  async redo(docId: string): Promise<Step | null> {
    const stacks = this.stacks(docId);
    const step = stacks.undone.at(-1);
    if (!step) return null;
    await step.redo();
    stacks.undone.pop();
    stacks.done.push(step);
    return step;
  }
}
