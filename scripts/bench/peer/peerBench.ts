/**
 * The peer, @recogito/text-annotator 4.1.1, on the same workload in the same run: bundled with
 * esbuild into the work folder, served from 127.0.0.1, timed by the same probe as Margin.
 */
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { build } from 'esbuild';
import { closePage, heapFigures, newPage, timed, until } from '../browser/chromium';
import { collect, emptyResults, repeat, type GroupResults, type RunSettings } from '../repeat';
import { dragSelect } from '../view/pointer';
import { OPEN_FIGURES } from '../view/marginView';
import type { ReadingWorkload } from '../workloads/readingView';

const PARAGRAPHS = '#text p[data-start]';

/** Same column as Margin's reading view (styles.css: 44em, Georgia 1.08rem / 1.7). */
const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Peer: @recogito/text-annotator 4.1.1</title>
<link rel="stylesheet" href="page.css">
<style>
  body { margin: 0; font-family: system-ui, sans-serif; }
  #text { max-width: 44em; margin: 0 auto; padding: 24px; font-family: Georgia, 'Times New Roman', serif; font-size: 1.08rem; line-height: 1.7; }
  #text p { margin: 0 0 1em; white-space: pre-wrap; }
</style>
</head>
<body>
<button id="open" type="button">Open</button>
<div id="text"></div>
<script type="module" src="page.js"></script>
</body>
</html>
`;

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

/** Bundles the peer's page into `dir` and serves it on 127.0.0.1; returns its URL and a stop. */
export async function servePeer(dir: string, workload: ReadingWorkload): Promise<{ url: string; close: () => Promise<void> }> {
  await build({
    entryPoints: [path.join(import.meta.dirname, 'page.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    outdir: dir,
    logLevel: 'error',
  });
  writeFileSync(path.join(dir, 'index.html'), INDEX_HTML);
  writeFileSync(path.join(dir, 'workload.json'), JSON.stringify({ paragraphs: workload.paragraphs, annotations: workload.annotations.map(({ id, start, end, label }) => ({ id, start, end, label })) }));
  const server = http.createServer((req, res) => {
    const name = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/^\/+/, '') || 'index.html';
    if (!/^[\w.-]+$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    readFile(path.join(dir, name)).then(
      (body) => res.writeHead(200, { 'Content-Type': TYPES[path.extname(name)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface PeerContext extends RunSettings {
  browser: Browser;
  workload: ReadingWorkload;
  url: string;
}

async function openPeer(browser: Browser, url: string): Promise<Page> {
  const page = await newPage(browser);
  await page.goto(url);
  await page.locator('#open').waitFor({ state: 'visible' });
  return page;
}

async function backToTop(page: Page, spec: { starts: number[]; ids: string[] }): Promise<void> {
  await page.evaluate(() => window.scrollTo({ top: 0 }));
  await until(page, 'viewportPainted', { app: 'peer', ...spec, mustShow: 0 }, 60_000);
}

/** The peer's figures, named like Margin's (view.open, view.add…), each with its own samples. */
export async function peerBench(ctx: PeerContext): Promise<GroupResults> {
  const { browser, workload, runs, log } = ctx;
  const sorted = [...workload.annotations].sort((a, b) => a.start - b.start);
  const spec = { starts: sorted.map((a) => a.start), ids: sorted.map((a) => a.id) };
  const lastParagraph = workload.paragraphs.slice(0, -1).reduce((sum, p) => sum + p.length, 0);
  const out = emptyResults();

  log('peer view.baseline: the text alone');
  collect(
    out,
    await repeat({ runs, budgetMs: 60_000, primary: 'view.baseline', log, label: 'peer view.baseline' }, async () => {
      const page = await openPeer(browser, `${ctx.url}?annotations=0`);
      try {
        const r = await timed(page, 'viewportPainted', { app: 'peer', starts: [], ids: [] }, 'mouseup', () => page.click('#open'), 60_000);
        return { 'view.baseline': r.ms };
      } finally {
        await closePage(page);
      }
    }),
    ['view.baseline'],
  );

  // The peer takes tens of seconds here (it revives and measures every annotation up front).
  log('peer view.open: 10,000 annotations loaded with bulkAddAnnotations(list, true)');
  let page: Page | null = null;
  collect(
    out,
    await repeat({ runs, budgetMs: 240_000, primary: 'view.open', log, label: 'peer view.open' }, async () => {
      if (page) await closePage(page);
      page = await openPeer(browser, ctx.url);
      const r = await timed(page, 'viewportPainted', { app: 'peer', ...spec }, 'mouseup', () => page!.click('#open'), 180_000);
      await page.waitForTimeout(1000);
      const heap = await heapFigures(page);
      return { 'view.open': r.ms, 'view.open.longtask': r.longestTask, 'view.heap.js': heap.jsHeapMB, 'view.heap.nodes': heap.domNodes };
    }),
    OPEN_FIGURES,
  );
  if (!page) return out;
  const view: Page = page;
  try {
    const add = workload.addOne;
    log('peer view.add: a selection tagged with key 1');
    collect(
      out,
      await repeat({ runs, budgetMs: 60_000, primary: 'view.add', log, label: 'peer view.add' }, async (i) => {
        await backToTop(view, spec);
        const id = `added-${i}`;
        await view.evaluate((id) => ((window as unknown as { nextId: string }).nextId = id), id);
        await dragSelect(view, PARAGRAPHS, add.start, add.end);
        const r = await timed(view, 'peerDrawn', id, 'keydown', () => view.keyboard.press('1'));
        await view.evaluate((id) => (window as unknown as { anno: { state: { store: { deleteAnnotation(id: string): void } } } }).anno.state.store.deleteAnnotation(id), id);
        await view.waitForFunction((id) => !document.querySelector(`.r6o-span-highlight-layer [data-annotation="${id}"]`), id, { timeout: 30_000 });
        return { 'view.add': r.ms };
      }),
      ['view.add'],
    );

    log('peer view.scroll: scroll to the end');
    collect(
      out,
      await repeat({ runs, budgetMs: 60_000, primary: 'view.scroll', log, label: 'peer view.scroll' }, async () => {
        await backToTop(view, spec);
        const r = await timed(view, 'viewportPainted', { app: 'peer', ...spec, mustShow: lastParagraph }, 'mark', () =>
          view.evaluate(() => {
            (window as unknown as { __bench: { mark(): number } }).__bench.mark();
            document.scrollingElement!.scrollTop = document.scrollingElement!.scrollHeight;
          }),
        );
        return { 'view.scroll': r.ms };
      }),
      ['view.scroll'],
    );
  } finally {
    await closePage(view);
  }
  return out;
}
