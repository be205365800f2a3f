import { z } from 'zod';
import { AnnotatorName, DocId, type ProjectSettings } from '../../../shared/model';

/**
 * Blind annotation: while it applies, an annotator is shown only their own layer of a document,
 * so colleagues' tags cannot steer theirs (and agreement measures independent work). It stops
 * applying to a document once the annotator marks it done, or opens the compare view to review
 * it. The services enforce it on every read of layers a window makes, not the window alone.
 */

/** Off when the setting is absent: projects from before it keep showing every layer. */
export function isBlind(settings: ProjectSettings | undefined): boolean {
  return settings?.blindAnnotation === true;
}

/** The settings as every window is told them, each one decided. */
export function settingsInForce(settings: ProjectSettings | undefined): { blindAnnotation: boolean } {
  return { blindAnnotation: isBlind(settings) };
}

/** Whether an annotator is shown colleagues' layers of a document. */
export function seesColleagues(blind: boolean, ownLayerDone: boolean, revealed: boolean): boolean {
  return !blind || ownLayerDone || revealed;
}

/** Reveals kept at most (a long-running server sees many reviewers and documents). */
const MAX_REVEALS = 10_000;

/** Reveals as the user's app-data keeps them (store/projectMemory.ts): [annotator, docId] pairs. */
const StoredReveals = z.array(z.tuple([AnnotatorName, DocId])).max(MAX_REVEALS);
export type RevealPairs = z.infer<typeof StoredReveals>;

/** Whatever was stored, as reveals: nothing readable is none (the compare view reveals again). */
export function parseReveals(stored: unknown): RevealPairs {
  const parsed = StoredReveals.safeParse(stored);
  return parsed.success ? parsed.data : [];
}

/**
 * The documents each reviewer opened in the compare view, by annotator name: from then on they
 * see every layer of it. What a reviewer has seen cannot be unseen, and their work on it is no
 * longer blind: like marking a document done, a reveal outlives a restart (the workspace keeps
 * them in the user's app-data folder, per project).
 */
export class Reveals {
  private readonly keys = new Set<string>();

  private static key(annotator: string, docId: string): string {
    return `${annotator}\u0000${docId}`;
  }

  add(annotator: string, docId: string): void {
    const key = Reveals.key(annotator, docId);
    this.keys.delete(key);
    this.keys.add(key);
    // The oldest first: Sets iterate in insertion order.
    if (this.keys.size > MAX_REVEALS) this.keys.delete(this.keys.values().next().value!);
  }

  has(annotator: string | null, docId: string): boolean {
    return annotator !== null && this.keys.has(Reveals.key(annotator, docId));
  }

  /** Another project opened: its own reveals (none, if its documents were never compared here). */
  replace(pairs: RevealPairs): void {
    this.keys.clear();
    for (const [annotator, docId] of pairs) this.add(annotator, docId);
  }

  /** Oldest first, as `replace` takes them. */
  pairs(): RevealPairs {
    return [...this.keys].map((key) => key.split('\u0000') as [string, string]);
  }
}
