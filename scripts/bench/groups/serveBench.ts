/**
 * The big project in browser mode: `margin serve` started on it, a window opened on the URL it
 * prints, until the document list is painted. One start per run, so every run opens the project
 * cold (the operating system's file cache aside).
 */
import type { Browser } from '@playwright/test';
import { closePage, newPage, result } from '../browser/chromium';
import { startServe } from '../processes';
import { collect, emptyResults, repeat, type GroupResults, type RunSettings } from '../repeat';

export interface ServeContext extends RunSettings {
  browser: Browser;
  projectDir: string;
  env: NodeJS.ProcessEnv;
}

export async function serveBench(ctx: ServeContext): Promise<GroupResults> {
  const r = await repeat({ runs: ctx.runs, budgetMs: 90_000, primary: 'serve.start', target: 1500, log: ctx.log, label: 'serve.start / store.open' }, async () => {
    // The page watches for the list from its first script on; its clock starts at navigation.
    const page = await newPage(ctx.browser, { name: 'listPainted', arg: null, timeoutMs: 600_000 });
    const server = await startServe(ctx.projectDir, ctx.env);
    try {
      await page.goto(server.url, { waitUntil: 'commit' });
      const painted = await result(page, 'navigation');
      // serve.start: from the spawn to the painted list (wall clocks of Node and the page);
      // store.open: from the window's navigation to the painted list (the project as the window opens it).
      return { 'serve.start': painted.wallClockPainted - server.spawnedAt, 'store.open': painted.ms };
    } finally {
      await closePage(page);
      await server.stop();
    }
  });
  const out = emptyResults();
  collect(out, r, ['serve.start', 'store.open']);
  return out;
}
