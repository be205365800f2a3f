/**
 * Margin's reading view on the workload, in Chromium through browser mode: opening the article
 * (and the same text without annotations), tagging a selection, clicking a highlight, K to the
 * last annotation, scrolling to the end, and the heap with the document open.
 */
import type { Browser, Page } from '@playwright/test';
import { INITIAL_VIEW } from '../../../shared/viewMemory';
import { closePage, heapFigures, newPage, timed, until } from '../browser/chromium';
import { collect, emptyResults, repeat, type GroupResults, type RunSettings } from '../repeat';
import { paragraphIndexOf, type ReadingWorkload, type WorkloadSpan } from '../workloads/readingView';
import { dragSelect, charPoint } from './pointer';

const PARAGRAPHS = '.reading-text p[data-start]';
const DOCUMENT_ITEM = 'nav[aria-label="Documents"] button.document-item';
const PANEL_COUNT = 'aside[aria-label="Annotations"] h2 .count';
/** What each opening of the article reports (the peer's runs report the same). */
export const OPEN_FIGURES = ['view.open', 'view.open.longtask', 'view.heap.js', 'view.heap.nodes'];

export interface ViewContext extends RunSettings {
  browser: Browser;
  workload: ReadingWorkload;
  /** `margin serve` on the article with its annotations, and on the article alone. */
  viewUrl: string;
  baselineUrl: string;
}

/** Sorted start offsets of the annotations (Margin's coordinates). */
const startsOf = (spans: readonly WorkloadSpan[]) => spans.map((a) => a.start).sort((a, b) => a - b);

/** A span near the top whose middle character no other annotation covers: a click there selects it alone. */
export function hitTarget(spans: readonly WorkloadSpan[], within: number): WorkloadSpan {
  const candidates = spans.filter((a) => a.kind === 'base' && a.end < within).sort((a, b) => a.start - b.start);
  for (const a of candidates) {
    const middle = (a.start + a.end) >> 1;
    if (!spans.some((b) => b !== a && b.start <= middle && middle < b.end)) return a;
  }
  throw new Error('the workload has no annotation near the top that a click selects alone');
}

/**
 * Each opening starts as a first visit to the project: the window reopens the article a window
 * left open last time (view memory, issue 11 item 19), and the previous run left it open.
 */
async function forgetView(page: Page, url: string): Promise<void> {
  const at = new URL(url);
  const response = await page.request.post(new URL('/api/saveViewMemory', at).href, {
    headers: { Authorization: `Bearer ${at.searchParams.get('token') ?? ''}` },
    data: { view: INITIAL_VIEW },
  });
  const body = (await response.json()) as { ok: boolean; error?: { message: string } };
  if (!body.ok) throw new Error(`could not reset the window's view memory: ${body.error?.message ?? response.status()}`);
}

async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await newPage(browser);
  await forgetView(page, url);
  await page.goto(url);
  await page.locator(DOCUMENT_ITEM).first().waitFor({ state: 'visible', timeout: 60_000 });
  return page;
}

/** Clears the selection and brings the view back to the top, painted, between two runs. */
async function backToTop(page: Page, starts: readonly number[]): Promise<void> {
  await page.keyboard.press('Escape');
  await page.evaluate(() => document.querySelector('.reading-view')?.scrollTo({ top: 0 }));
  await until(page, 'viewportPainted', { app: 'margin', starts, mustShow: 0 });
  await page.waitForFunction(() => !document.querySelector('aside[aria-label="Annotations"] li.selected'), undefined, { timeout: 10_000 });
}

export async function marginViewBench(ctx: ViewContext): Promise<GroupResults> {
  const { browser, workload, runs, log } = ctx;
  const spans = workload.margin.annotations;
  const starts = startsOf(spans);
  const paragraphStarts = workload.margin.paragraphStarts;
  const lastParagraph = paragraphStarts[paragraphStarts.length - 1]!;
  const out = emptyResults();

  // Text alone: the same article without annotations, chosen in the document list.
  log('view.baseline: the article without annotations');
  const baseline = await repeat({ runs, budgetMs: 60_000, primary: 'view.baseline', target: 300, log, label: 'view.baseline' }, async () => {
    const page = await openPage(browser, ctx.baselineUrl);
    try {
      const r = await timed(page, 'viewportPainted', { app: 'margin', starts: [] }, 'mouseup', () => page.locator(DOCUMENT_ITEM).first().click(), 60_000);
      return { 'view.baseline': r.ms };
    } finally {
      await closePage(page);
    }
  });
  collect(out, baseline, ['view.baseline']);

  // The article with 10,000 annotations: every annotation whose first character is on screen painted.
  log('view.open: the article with 10,000 annotations');
  let page: Page | null = null;
  const open = await repeat({ runs, budgetMs: 120_000, primary: 'view.open', target: 300, log, label: 'view.open' }, async (i) => {
    if (page) await closePage(page);
    page = await openPage(browser, ctx.viewUrl);
    const r = await timed(page, 'viewportPainted', { app: 'margin', starts }, 'mouseup', () => page!.locator(DOCUMENT_ITEM).first().click(), 60_000);
    // Whatever the view still does once painted (lists, indexes) settles before the heap is read.
    await page.waitForTimeout(1000);
    const heap = await heapFigures(page);
    if (i === 0) log(`  (${await page.evaluate(() => document.querySelectorAll('.reading-text p').length)} paragraphs in the DOM)`);
    return { 'view.open': r.ms, 'view.open.longtask': r.longestTask, 'view.heap.js': heap.jsHeapMB, 'view.heap.nodes': heap.domNodes };
  });
  collect(out, open, OPEN_FIGURES);
  if (!page) return out;
  const view: Page = page;
  try {
    await view.keyboard.press('Escape');
    const countText = () => view.locator(PANEL_COUNT).first().textContent();
    const before = await countText();

    // Tag a selection: the workload's extra span in the first paragraph, key 1 (claim).
    const add = workload.margin.addOne;
    log('view.add: a selection tagged with key 1');
    const added = await repeat({ runs, budgetMs: 60_000, primary: 'view.add', target: 16, log, label: 'view.add' }, async () => {
      await backToTop(view, starts);
      await dragSelect(view, PARAGRAPHS, add.start, add.end);
      // Word snapping may move the ends a little: any new range starting around the span counts.
      const r = await timed(view, 'marginRangeAdded', { from: add.start - 30, to: add.end }, 'keydown', () => view.keyboard.press('1'));
      await view.waitForFunction((b) => document.querySelector('aside[aria-label="Annotations"] h2 .count')?.textContent !== b, before, { timeout: 30_000 });
      await view.keyboard.press('Escape');
      await view.keyboard.press('Control+z');
      await view.waitForFunction((b) => document.querySelector('aside[aria-label="Annotations"] h2 .count')?.textContent === b, before, { timeout: 30_000 });
      return { 'view.add': r.ms };
    });
    collect(out, added, ['view.add']);
    if ((await countText()) !== before) throw new Error(`undo did not remove the tagged span (the panel counts ${await countText()}, not ${before})`);

    // Click a highlight near the top that no other annotation overlaps there.
    const target = hitTarget(spans, paragraphStarts[3]!);
    log('view.hit: a click on a highlight');
    const hit = await repeat({ runs, budgetMs: 60_000, primary: 'view.hit', target: 16, log, label: 'view.hit' }, async () => {
      await backToTop(view, starts);
      const point = await charPoint(view, PARAGRAPHS, (target.start + target.end) >> 1);
      const r = await timed(view, 'panelSelected', null, 'mouseup', () => view.mouse.click(point.x, point.y));
      return { 'view.hit': r.ms };
    });
    collect(out, hit, ['view.hit']);

    // K with nothing selected: the last annotation, at the end of the article.
    const lastStart = starts[starts.length - 1]!;
    log('view.jump: K to the last annotation');
    const jump = await repeat({ runs, budgetMs: 60_000, primary: 'view.jump', target: 30, log, label: 'view.jump' }, async () => {
      await backToTop(view, starts);
      const r = await timed(view, 'selectedOnScreen', paragraphStarts[paragraphIndexOf(paragraphStarts, lastStart)]!, 'keydown', () => view.keyboard.press('k'));
      return { 'view.jump': r.ms };
    });
    collect(out, jump, ['view.jump']);

    // Scroll to the end from script: the last paragraph on screen with its annotations painted.
    log('view.scroll: scroll to the end');
    const scroll = await repeat({ runs, budgetMs: 60_000, primary: 'view.scroll', log, label: 'view.scroll' }, async () => {
      await backToTop(view, starts);
      const r = await timed(view, 'viewportPainted', { app: 'margin', starts, mustShow: lastParagraph }, 'mark', () =>
        view.evaluate(() => {
          const scroller = document.querySelector<HTMLElement>('.reading-view')!;
          (window as unknown as { __bench: { mark(): number } }).__bench.mark();
          scroller.scrollTop = scroller.scrollHeight;
        }),
      );
      return { 'view.scroll': r.ms };
    });
    collect(out, scroll, ['view.scroll']);
  } finally {
    await closePage(view);
  }
  return out;
}
