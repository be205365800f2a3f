import { useEffect, useMemo, useState } from 'react';
import { assistedSummary } from '../../../shared/agreement/assisted';
import type { AgreementReport } from '../../../shared/api';
import { api, messageOf } from '../api/client';
import { lightDark } from '../theme/palette';
import { DialogError } from './DialogError';

interface Props {
  onClose: () => void;
  /** Opens a document in the compare view. */
  onCompare: (docId: string) => void;
}

const MEASURES = [
  { key: 'exactF1', title: 'Exact span F1' },
  { key: 'overlapF1', title: 'Overlap span F1' },
  { key: 'cohenKappa', title: "Cohen's kappa (tokens)" },
  { key: 'alphaNominal', title: "Krippendorff's alpha, nominal (tokens)" },
  { key: 'alphaUnitizing', title: "Krippendorff's unitizing alpha (characters)" },
] as const;
type MeasureKey = (typeof MEASURES)[number]['key'];
type Pair = AgreementReport['pairs'][number];

function shown(value: { value: number | null; reason?: string } | undefined): { text: string; title: string; value: number | null } {
  if (!value) return { text: '—', title: 'not computed', value: null };
  if (value.value === null) return { text: 'n/a', title: value.reason ?? 'not defined', value: null };
  return { text: value.value.toFixed(3), title: value.value.toFixed(4), value: value.value };
}

/** Green for agreement, red for disagreement; below zero is as red as it gets. Pale or deep, as the text over it is dark or light. */
function heat(value: number | null): string | undefined {
  if (value === null) return undefined;
  const hue = Math.round(Math.max(0, Math.min(1, value)) * 120);
  return lightDark(`hsl(${hue}, 60%, 82%)`, `hsl(${hue}, 45%, 24%)`);
}

function download(name: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Every pair and measure as rows: scope (project or document), label, pair, measure, value, reason. */
function toCsv(report: AgreementReport): string {
  const rows = [['scope', 'document', 'label', 'a', 'b', 'measure', 'value', 'reason']];
  const add = (scope: string, docTitle: string, pairs: readonly Pair[]) => {
    for (const p of pairs) {
      for (const m of MEASURES) {
        const v = p[m.key];
        rows.push([scope, docTitle, p.label ?? '(all)', p.a, p.b, m.key, v.value === null ? '' : String(v.value), v.reason ?? '']);
      }
    }
  };
  add('project', '', report.pairs);
  for (const d of report.documents) add(d.docId, d.title, d.pairs);
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** How much the annotators agree: a pairwise heatmap and a table per document, exportable. */
export function AgreementDashboard({ onClose, onCompare }: Props) {
  const [report, setReport] = useState<AgreementReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [measure, setMeasure] = useState<MeasureKey>('exactF1');
  const [label, setLabel] = useState<string | null>(null);
  /** An adjudication layer to score the annotators against; null: the annotators with each other. */
  const [against, setAgainst] = useState<string | null>(null);
  /** Score the analysts' own spans only, accepted suggestions left out. */
  const [ownOnly, setOwnOnly] = useState(false);

  useEffect(() => {
    api
      .agreement({ ...(against === null ? {} : { against }), ...(ownOnly ? { excludeSuggested: true } : {}) })
      .then(setReport)
      .catch((e: unknown) => setError(messageOf(e)));
  }, [against, ownOnly]);

  const pairOf = useMemo(() => {
    const find = (pairs: readonly Pair[], a: string, b: string) =>
      pairs.find((p) => p.label === label && ((p.a === a && p.b === b) || (p.a === b && p.b === a)));
    return find;
  }, [label]);

  const annotators = report?.annotators ?? [];
  const reference = report?.against ?? null;
  // Against a reference layer: one column, one pair per annotator; otherwise every pair of annotators.
  const columns = reference === null ? annotators : [reference];
  const pairs = reference === null ? annotators.flatMap((a, i) => annotators.slice(i + 1).map((b) => [a, b] as const)) : annotators.map((a) => [a, reference] as const);
  const enough = annotators.length >= (reference === null ? 2 : 1);
  const leftOut = report?.adjudicationLayers.filter((n) => n !== reference && !annotators.includes(n)) ?? [];
  const assisted = report && assistedSummary(report);
  // The choice is only offered where there is something to leave out (or it was left out).
  const anySuggested = report?.assisted.some((a) => a.suggested > 0 || a.excluded > 0) ?? false;
  return (
    <div className="dialog-backdrop" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="dialog dashboard" role="dialog" aria-modal="true" aria-labelledby="agreement-title">
        <h2 id="agreement-title">Agreement</h2>
        <DialogError message={error} />
        {!report && !error && <p>Computing…</p>}
        {report && !enough && <p className="empty-hint">Agreement needs at least two annotators with layers in this project.</p>}
        {report && enough && (
          <>
            <div className="dashboard-controls">
              {report.adjudicationLayers.length > 0 && (
                <label>
                  Score
                  <select value={against ?? ''} onChange={(e) => setAgainst(e.target.value || null)}>
                    <option value="">Annotators with each other</option>
                    {report.adjudicationLayers.map((l) => (
                      <option key={l} value={l}>
                        Annotators against {l}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              <label>
                Measure
                <select value={measure} onChange={(e) => setMeasure(e.target.value as MeasureKey)}>
                  {MEASURES.map((m) => (
                    <option key={m.key} value={m.key}>
                      {m.title}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Label
                <select value={label ?? ''} onChange={(e) => setLabel(e.target.value || null)}>
                  <option value="">All labels</option>
                  {report.labels.map((l) => (
                    <option key={l} value={l}>
                      {l}
                    </option>
                  ))}
                </select>
              </label>
              {anySuggested && (
                <label>
                  <input type="checkbox" checked={ownOnly} onChange={(e) => setOwnOnly(e.target.checked)} />
                  Own spans only (leave out accepted suggestions)
                </label>
              )}
              {report.fleissKappa && (
                <span title={shown(report.fleissKappa).title}>Fleiss' kappa (all annotators): {shown(report.fleissKappa).text}</span>
              )}
            </div>
            {leftOut.length > 0 && (
              <p className="empty-hint">
                {leftOut.join(', ')} {leftOut.length === 1 ? 'is an adjudication layer' : 'are adjudication layers'}, left out of agreement; choose Score to measure the annotators against it.
              </p>
            )}
            {assisted && (
              <section aria-label="Accepted suggestions">
                <p className="empty-hint">{assisted.note}</p>
                <ul className="assisted">
                  {assisted.lines.map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              </section>
            )}
            <table className="heatmap" aria-label="Pairwise agreement">
              <thead>
                <tr>
                  <th scope="col">
                    <span className="visually-hidden">Annotator</span>
                  </th>
                  {columns.map((a) => (
                    <th key={a} scope="col">
                      {a}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {annotators.map((a) => (
                  <tr key={a}>
                    <th scope="row">{a}</th>
                    {columns.map((b) => {
                      if (a === b) return <td key={b} className="diagonal" />;
                      const cell = shown(pairOf(report.pairs, a, b)?.[measure]);
                      return (
                        <td key={b} title={cell.title} style={{ background: heat(cell.value) }}>
                          {cell.text}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
            <table className="per-document" aria-label="Agreement per document">
              <thead>
                <tr>
                  <th scope="col">Document</th>
                  {pairs.map(([a, b]) => (
                    <th key={`${a}|${b}`} scope="col">
                      {a} / {b}
                    </th>
                  ))}
                  <th scope="col">
                    <span className="visually-hidden">Open in the compare view</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.documents.map((d) => (
                  <tr key={d.docId}>
                    <td className="doc-title" title={d.title}>
                      {d.title}
                    </td>
                    {pairs.map(([a, b]) => {
                      const cell = shown(pairOf(d.pairs, a, b)?.[measure]);
                      return (
                        <td key={`${a}|${b}`} title={cell.title} style={{ background: heat(cell.value) }}>
                          {cell.text}
                        </td>
                      );
                    })}
                    <td>
                      <button type="button" className="link-button" onClick={() => onCompare(d.docId)}>
                        Compare
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {report.problems.length > 0 && (
              <ul className="problems">
                {report.problems.map((p, i) => (
                  <li key={i}>{p}</li>
                ))}
              </ul>
            )}
          </>
        )}
        <div className="dialog-actions">
          {report && (
            <>
              <button type="button" onClick={() => download('agreement.csv', toCsv(report), 'text/csv')}>
                Export CSV
              </button>
              <button type="button" onClick={() => download('agreement.json', `${JSON.stringify(report, null, 2)}\n`, 'application/json')}>
                Export JSON
              </button>
            </>
          )}
          <button type="button" className="primary" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
