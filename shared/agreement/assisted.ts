import type { AgreementReport } from '../api';

type Assisted = AgreementReport['assisted'][number];

/**
 * Why the assisted figures are shown beside agreement: a suggestion accepted by both analysts is
 * a match neither of them made on their own.
 */
export const ASSISTED_CAVEAT =
  'Kappa and F1 between analysts who both accepted the same suggestions overstate their independent agreement.';

/** Only worth saying when someone's scored spans include accepted suggestions. */
export function anyAssisted(report: Pick<AgreementReport, 'assisted'>): boolean {
  return report.assisted.some((a) => a.suggested > 0);
}

/** "Ana: 120 spans, 45 accepted from suggestions (38%)"; no percentage of nothing. */
export function assistedLine({ annotator, spans, suggested }: Assisted): string {
  const share = spans === 0 ? '' : ` (${Math.round((100 * suggested) / spans)}%)`;
  return `${annotator}: ${spans} span${spans === 1 ? '' : 's'}, ${suggested} accepted from suggestions${share}`;
}
