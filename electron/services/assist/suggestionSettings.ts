import type { ProjectSettings, TagSchema } from '../../../shared/model';
import { SUGGEST_LABELS } from '../../../shared/suggest';

export interface SuggestionsInForce {
  enabled: boolean;
  /** The engine's labels suggested: those the setting names (all when it names none) that the schema has. */
  labels: string[];
}

/**
 * The project's suggestion setting, decided: absent means on, for every label the engine knows;
 * an empty list of labels means the same. A label the schema lacks is never suggested (a project
 * may have dropped "event"), whatever the setting says.
 */
export function suggestionsInForce(settings: ProjectSettings | undefined, schema: TagSchema): SuggestionsInForce {
  const chosen = settings?.suggestions?.labels ?? [];
  const inSchema = new Set(schema.labels.map((l) => l.name));
  const labels = SUGGEST_LABELS.filter((l) => inSchema.has(l) && (chosen.length === 0 || chosen.includes(l)));
  return { enabled: settings?.suggestions?.enabled ?? true, labels };
}

/**
 * Whether a label may be offered. The engine's labels follow the setting; any other label of the
 * schema can only come from the analyst's own tags on a copy of the story, and is offered whenever
 * suggestions are on (the setting lists only what the engine can find).
 */
export function labelOffered(label: string, inForce: SuggestionsInForce, schema: TagSchema): boolean {
  if ((SUGGEST_LABELS as readonly string[]).includes(label)) return inForce.labels.includes(label);
  return schema.labels.some((l) => l.name === label);
}
