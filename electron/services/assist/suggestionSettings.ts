import type { ProjectSettings, TagSchema } from '../../../shared/model';
import { SUGGEST_LABELS } from '../../../shared/suggest';
import { MarginError } from '../errors';

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

/** A suggestion setting about to be saved: each label one the engine suggests and the schema has, else refused naming it. */
export function checkSuggestionSettings(settings: ProjectSettings, schema: TagSchema): void {
  (settings.suggestions?.labels ?? []).forEach((label, i) => {
    const field = `settings.suggestions.labels.${i}`;
    if (!(SUGGEST_LABELS as readonly string[]).includes(label)) {
      throw new MarginError('bad-input', `${field}: "${label}" is not a label Margin can suggest (it suggests ${SUGGEST_LABELS.join(', ')})`);
    }
    if (!schema.labels.some((l) => l.name === label)) throw new MarginError('bad-input', `${field}: the project's tag schema has no label "${label}"`);
  });
}
