import type { AgreementReport } from '../api';

type Assisted = AgreementReport['assisted'][number];

/**
 * Why the assisted figures are shown beside agreement: a suggestion accepted by both analysts is
 * a match neither of them made on their own.
 */
export const ASSISTED_CAVEAT =
  'Kappa and F1 between analysts who both accepted the same suggestions overstate their independent agreement.';

export const EXCLUDED_NOTE = "Scored on the analysts' own spans only: accepted suggestions left out.";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Ana: 120 spans, 45 accepted from suggestions (38%)"; no percentage of nothing. */
export function assistedLine({ annotator, spans, suggested }: Assisted): string {
  const share = spans === 0 ? '' : ` (${Math.round((100 * suggested) / spans)}%)`;
  return `${annotator}: ${plural(spans, 'span')}, ${suggested} accepted from suggestions${share}`;
}

/** "Ana: 75 spans scored, 45 accepted suggestions left out". */
export function excludedLine({ annotator, spans, excluded }: Assisted): string {
  return `${annotator}: ${plural(spans, 'span')} scored, ${plural(excluded, 'accepted suggestion')} left out`;
}

/**
 * What the report says about assisted tags: a line per annotator and a note, or null when no
 * one's scored spans include accepted suggestions (nothing worth saying).
 */
export function assistedSummary(report: Pick<AgreementReport, 'assisted' | 'excludeSuggested'>): { lines: string[]; note: string } | null {
  if (report.excludeSuggested) return { lines: report.assisted.map(excludedLine), note: EXCLUDED_NOTE };
  if (!report.assisted.some((a) => a.suggested > 0)) return null;
  return { lines: report.assisted.map(assistedLine), note: ASSISTED_CAVEAT };
}
