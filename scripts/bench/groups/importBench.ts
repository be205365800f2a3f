/**
 * 1,000 generated news pages imported through the window (Import…, as a user picks files) into
 * a new project in browser mode: from the file input's change event to the summary painted. The
 * window's long tasks are recorded meanwhile, and the API is asked for the session every 250 ms
 * to see how long it keeps a request waiting while the import runs.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from '@playwright/test';
import { arm, closePage, newPage, result } from '../browser/chromium';
import { startServe } from '../processes';
import { collect, emptyResults, repeat, type GroupResults, type RunSettings } from '../repeat';
import { writeHtmlPages } from '../workloads/htmlPages';

export interface ImportContext extends RunSettings {
  browser: Browser;
  workDir: string;
  env: NodeJS.ProcessEnv;
}

const PAGES = 1000;

/** Asks `margin serve` for the session every 250 ms until stopped; the slowest answer, ms. */
function pingApi(url: string): { stop: () => Promise<number> } {
  const { origin, searchParams } = new URL(url);
  const token = searchParams.get('token')!;
  let slowest = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      const response = await fetch(`${origin}/api/getSession`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: '{}',
      });
      await response.arrayBuffer();
      slowest = Math.max(slowest, performance.now() - t);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return slowest;
    },
  };
}

export async function importBench(ctx: ImportContext): Promise<GroupResults> {
  const files = writeHtmlPages(path.join(ctx.workDir, 'html'), PAGES);
  const r = await repeat({ runs: ctx.runs, budgetMs: 60_000 * ctx.runs, primary: 'import.html', target: 60, log: ctx.log, label: 'import.html' }, async (i) => {
    const projectDir = path.join(ctx.workDir, `import-${i}`);
    const server = await startServe(projectDir, ctx.env);
    const page = await newPage(ctx.browser);
    try {
      await page.goto(server.url);
      const input = page.getByTestId('import-input').first();
      await input.waitFor({ state: 'attached', timeout: 30_000 });
      await arm(page, 'textShown', `Imported ${PAGES} articles`, 600_000);
      const ping = pingApi(server.url);
      await input.setInputFiles(files);
      const painted = await result(page, 'change');
      const slowest = await ping.stop();
      return { 'import.html': painted.ms / 1000, 'import.html.longtask': painted.longestTask, 'import.html.api': slowest };
    } finally {
      await closePage(page);
      await server.stop();
      rmSync(projectDir, { recursive: true, force: true });
    }
  });
  const out = emptyResults();
  collect(out, r, ['import.html', 'import.html.longtask', 'import.html.api']);
  return out;
}
