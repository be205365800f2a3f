/**
 * Chromium as the end-to-end tests drive it (the system browser, the flags and the viewport of
 * playwright.config.ts), with the probe installed in every page.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import config, { chromiumPath } from '../../../playwright.config';
import { installProbe, type BenchProbe, type ProbeResult } from './probe';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: config.use?.launchOptions?.args ?? [] });
}

/**
 * A fresh page (own context: no cache, no storage) with the probe. `armAtStart` watches for a
 * condition from the first script of the page on (a page load timed from navigation).
 */
export async function newPage(browser: Browser, armAtStart?: { name: string; arg: unknown; timeoutMs: number }): Promise<Page> {
  const context = await browser.newContext({ viewport: config.use?.viewport ?? { width: 1280, height: 800 } });
  const page = await context.newPage();
  // tsx compiles this script with esbuild's keepNames, whose __name() calls land in every
  // function Playwright serialises into the page: give the page a no-op __name.
  await page.addInitScript('globalThis.__name = (f) => f;');
  await page.addInitScript(installProbe);
  if (armAtStart) {
    await page.addInitScript(({ name, arg, timeoutMs }) => (window as unknown as { __bench: BenchProbe }).__bench.arm(name, arg, timeoutMs), armAtStart);
  }
  return page;
}

export async function closePage(page: Page): Promise<void> {
  await page.context().close();
}

export async function arm(page: Page, name: string, arg: unknown, timeoutMs = 30_000): Promise<void> {
  await page.evaluate(({ name, arg, timeoutMs }) => (window as unknown as { __bench: BenchProbe }).__bench.arm(name, arg, timeoutMs), { name, arg, timeoutMs });
}

export async function result(page: Page, start: Parameters<BenchProbe['result']>[0]): Promise<ProbeResult> {
  return page.evaluate((start) => (window as unknown as { __bench: BenchProbe }).__bench.result(start), start);
}

/** Runs `act` (an input made through Playwright) and times it from its event to the painted frame. */
export async function timed(page: Page, name: string, arg: unknown, start: Parameters<BenchProbe['result']>[0], act: () => Promise<unknown>, timeoutMs?: number): Promise<ProbeResult> {
  await arm(page, name, arg, timeoutMs);
  await act();
  return result(page, start);
}

export interface HeapFigures {
  /** JS heap in use after a full garbage collection, MB. */
  jsHeapMB: number;
  /** DOM nodes alive (Blink's count, text nodes included). */
  domNodes: number;
}

/** The page's JS heap and DOM node count after a forced garbage collection (Chrome DevTools Protocol). */
export async function heapFigures(page: Page): Promise<HeapFigures> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const value = (name: string) => {
      const m = metrics.find((x) => x.name === name);
      if (!m) throw new Error(`Chromium reported no ${name} metric`);
      return m.value;
    };
    return { jsHeapMB: value('JSHeapUsedSize') / 1024 / 1024, domNodes: value('Nodes') };
  } finally {
    await cdp.detach();
  }
}

/** Waits (untimed) until a probe condition holds, e.g. the view settled back at the top between runs. */
export async function until(page: Page, name: string, arg: unknown, timeoutMs = 30_000): Promise<void> {
  await page.waitForFunction(({ name, arg }) => (window as unknown as { __bench: BenchProbe }).__bench.holds(name, arg), { name, arg }, { timeout: timeoutMs, polling: 50 });
}
