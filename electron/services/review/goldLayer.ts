/** The adjudication layer: written by whoever adjudicates, so anyone may undo into it. */
export const GOLD_LAYER = 'gold';

/**
 * Adjudication layers are named "gold" or start with it ("gold-2", "gold Ana"): the one kind of
 * layer that is not one annotator's own. Any other name is a colleague's layer and never written.
 */
export function isAdjudicationLayer(name: string): boolean {
  return /^gold(\b|[-_ ])/i.test(name);
}
