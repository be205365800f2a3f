import { z } from 'zod';

/** The labels the engine knows how to propose (the default schema's names). */
export const SUGGEST_LABELS = ['quote', 'source', 'claim', 'event'] as const;
export const SuggestLabel = z.enum(SUGGEST_LABELS);
export type SuggestLabel = z.infer<typeof SuggestLabel>;

/**
 * One proposed span. Offsets are UTF-16 (JavaScript string indices), as Margin's annotations;
 * exports convert them to code points. `id` is local to one `suggest()` result: links use it.
 */
export const Suggestion = z.object({
  id: z.string().min(1),
  label: SuggestLabel,
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  attributes: z.record(z.string(), z.string()),
  /** `attributed-to` from a quote or claim to its source suggestion. */
  links: z.array(z.object({ type: z.literal('attributed-to'), to: z.string() })),
});
export type Suggestion = z.infer<typeof Suggestion>;

export const SuggestOptions = z.object({
  /** The article's publication date (YYYY-MM-DD or any ISO date): "Monday" and "Sept. 11" are resolved against it. */
  publishedDate: z.string().optional(),
  /** Only these labels are returned (sources still come with the quotes and claims that need them). */
  labels: z.array(SuggestLabel).optional(),
});
export type SuggestOptions = z.infer<typeof SuggestOptions>;

/** A half-open character range [start, end). */
export interface Span {
  start: number;
  end: number;
}
