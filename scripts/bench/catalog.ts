/**
 * Every figure the benchmark reports: its unit, what it measures and its target (issue 10).
 * The order here is the order of the table.
 */
import type { Target, Unit } from './results';

export interface Entry {
  name: string;
  unit: Unit;
  what: string;
  target?: Target;
  /** The peer measures this one too (same name in the peer's samples). */
  peer?: boolean;
}

export const CATALOG: Entry[] = [
  { name: 'view.baseline', unit: 'ms', what: 'the article without annotations chosen in the list → text on screen painted (Chromium)', peer: true },
  {
    name: 'view.open',
    unit: 'ms',
    what: 'the article with 10,000 annotations chosen → text and every annotation starting on screen painted (Chromium)',
    target: { max: 300, relative: { of: 'view.baseline', factor: 1.5 } },
    peer: true,
  },
  { name: 'view.open.longtask', unit: 'ms', what: 'longest task while opening (PerformanceObserver longtask); 0 = none over 50 ms', target: { max: 100 }, peer: true },
  { name: 'view.add', unit: 'ms', what: 'key 1 pressed on a selection → its highlight painted (Chromium)', target: { max: 16, belowPeer: true }, peer: true },
  { name: 'view.hit', unit: 'ms', what: 'click on a highlight → selected in the annotation panel, painted (Chromium)', target: { max: 16 } },
  { name: 'view.jump', unit: 'ms', what: 'K with nothing selected → the last annotation selected, on screen, painted (Chromium)', target: { max: 30 } },
  { name: 'view.scroll', unit: 'ms', what: 'scrolled to the end → last paragraph on screen with its annotations painted (Chromium)', target: { belowPeer: true }, peer: true },
  { name: 'view.heap.js', unit: 'MB', what: 'JS heap in use with the article open, after a garbage collection (CDP)', target: { max: 40 }, peer: true },
  { name: 'view.heap.nodes', unit: 'nodes', what: 'DOM nodes with the article open (CDP Performance.getMetrics)', target: { max: 10_000 }, peer: true },
  {
    name: 'store.open',
    unit: 'ms',
    what: '10,000 documents / 1,000,000 annotations: a window opened on a just-started server → document list painted (Chromium; the serve.start runs)',
    target: { max: 1000 },
  },
  { name: 'serve.start', unit: 'ms', what: '`margin serve` spawned on that project → document list painted in Chromium', target: { max: 1500 } },
  { name: 'store.list', unit: 'ms', what: 'listDocuments there, once the project is open (Node, in-process Workspace)', target: { max: 50 } },
  { name: 'store.add.small', unit: 'ms', what: 'createAnnotation acknowledged on disk, p95 of 40: a 10-annotation layer in a 10-document project (Node)' },
  {
    name: 'store.add.layer10k',
    unit: 'ms',
    what: 'the same, p95 of 40, in a 10,000-annotation layer (the reading-view article) (Node)',
    target: { max: 25, relative: { of: 'store.add.small', factor: 1.5 } },
  },
  {
    name: 'store.add.project',
    unit: 'ms',
    what: 'the same, p95 of 40, in the 1,000,000-annotation project (Node)',
    target: { max: 25, relative: { of: 'store.add.small', factor: 1.5 } },
  },
  ...(['jsonl', 'w3c', 'brat', 'csv'] as const).flatMap((format): Entry[] => [
    { name: `export.${format}`, unit: 's', what: `\`margin export --format ${format}\` of the 1,000,000-annotation project, process start to exit`, target: { max: format === 'jsonl' ? 10 : 20 } },
    { name: `export.${format}.rss`, unit: 'MB', what: `peak resident memory of that process (VmHWM, sampled every 50 ms)`, target: { max: 400 } },
  ]),
  { name: 'import.html', unit: 's', what: '1,000 generated 5 kB news pages imported through the window (Import…) → summary shown (Chromium)', target: { max: 60 } },
  { name: 'import.html.longtask', unit: 'ms', what: 'longest task in the window during that import', target: { max: 100 } },
  { name: 'import.html.api', unit: 'ms', what: 'slowest answer to getSession, asked every 250 ms during that import' },
];

/** What each figure of scripts/bench/agree.ts measures (its names are agree.<measure>). */
export function agreeWhat(name: string): string {
  const measure = name.slice('agree.'.length);
  const special: Record<string, string> = {
    tokenize: 'tokenizing the 4 MB text the token-based measures share',
    'cohenKappa.label': "Cohen's kappa for one label (claim) on two layers of 100,000 spans",
    fleissKappa: "Fleiss' kappa over three layers of about 100,000 spans",
    readLayers: "reading both layers from the project on disk: the store's share of agree.report (no target)",
    report: 'the whole `margin agree` report (every pair, every label, every measure) read from a project on disk',
  };
  return `${special[measure] ?? `${measure} on two layers of 100,000 spans`} (Node)`;
}
