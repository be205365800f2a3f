import type { Suggestion, SuggestOptions } from '../../../shared/suggest';

/** One document for the suggestion thread. */
export interface SuggestRequest {
  id: number;
  text: string;
  options: SuggestOptions;
}

/** The thread began on the document (the engine is loaded), then finished with the engine's output. */
export type SuggestReply = { id: number; kind: 'started' } | { id: number; kind: 'done'; suggestions: Suggestion[] };
