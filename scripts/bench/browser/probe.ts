/**
 * The measuring code that runs inside the page (Margin's window or the peer's page), installed
 * before any of the page's own scripts. It is small on purpose; how it decides "painted":
 *
 * 1. The start is the input event's own timestamp (`event.timeStamp` of the keydown, the mouseup
 *    that ends a click, or the file input's change, captured on window before the page's handlers run), the navigation's start
 *    for a page load, or a mark taken right before a scroll is set from script.
 * 2. The end condition (the new highlight is in CSS.highlights, the viewport's annotations are
 *    all drawn, the item is selected in the panel…) is checked whenever the page changes what it
 *    shows: on every CSS highlight change (Highlight and HighlightRegistry methods are wrapped),
 *    every DOM mutation, every scroll, and at every frame as a fallback.
 * 3. Painted = the end of the first frame rendered after the condition held. A frame is
 *    rendered in one task (animation frame callbacks, style, layout, resize observers, paint);
 *    a message posted during that task is delivered right after it, so its arrival marks the
 *    frame as painted. When the condition came true outside a frame (in an event handler), we
 *    wait for the next frame's animation callback and post from there; when it came true inside
 *    one (a page's own requestAnimationFrame or ResizeObserver code), we post at once. (The
 *    common "second requestAnimationFrame" would add a whole frame interval, 16.7 ms, that no
 *    page can save, and make a one-frame target unreachable by construction.)
 *
 * Long tasks (PerformanceObserver 'longtask') are recorded from the start for the whole page.
 *
 * This function is serialised into the page: it must use nothing from outside its own body.
 */
export function installProbe(): void {
  type Check = () => boolean;
  type StartEvent = 'keydown' | 'mouseup' | 'click' | 'change' | 'mark' | 'navigation';
  interface Armed {
    check: Check;
    satisfiedAt: number | null;
    resolve: (value: { satisfiedAt: number; paintedAt: number }) => void;
    done: Promise<{ satisfiedAt: number; paintedAt: number }>;
  }
  const w = window as unknown as { __bench: unknown };
  const events: Record<string, number> = {};
  for (const type of ['keydown', 'mouseup', 'click', 'change']) {
    window.addEventListener(type, (e) => (events[type] = e.timeStamp), { capture: true });
  }
  const longTasks: { start: number; duration: number }[] = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // No long task timing in this browser: longestTask reports 0.
  }

  /** The condition being watched for, until it holds. */
  let armed: Armed | null = null;
  /** The last one armed, whose result is asked for after it held. */
  let current: Armed | null = null;
  let inFrame = false;
  let framesRunning = false;
  const postAfterFrame = (then: () => void) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = then;
    channel.port2.postMessage(0);
  };
  // While armed: a callback at every frame marks "inside a frame" until the frame's task ends.
  const frame = () => {
    if (!armed) {
      framesRunning = false;
      return;
    }
    inFrame = true;
    postAfterFrame(() => (inFrame = false));
    evaluate();
    requestAnimationFrame(frame);
  };
  const evaluate = () => {
    const a = armed;
    if (!a || a.satisfiedAt !== null) return;
    let ok: boolean;
    try {
      ok = a.check();
    } catch {
      ok = false;
    }
    if (!ok) return;
    a.satisfiedAt = performance.now();
    const finish = () => postAfterFrame(() => a.resolve({ satisfiedAt: a.satisfiedAt!, paintedAt: performance.now() }));
    if (inFrame) finish();
    else requestAnimationFrame(finish);
  };
  let queued = false;
  const changed = () => {
    if (!armed || queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      evaluate();
    });
  };
  const wrap = (proto: object | undefined, names: string[]) => {
    if (!proto) return;
    for (const name of names) {
      const original = (proto as Record<string, unknown>)[name];
      if (typeof original !== 'function') continue;
      (proto as Record<string, unknown>)[name] = function (this: unknown, ...args: unknown[]) {
        const result = (original as (...a: unknown[]) => unknown).apply(this, args);
        changed();
        return result;
      };
    }
  };
  if (typeof Highlight !== 'undefined') wrap(Highlight.prototype, ['add', 'delete', 'clear']);
  if (typeof CSS !== 'undefined' && CSS.highlights) wrap(Object.getPrototypeOf(CSS.highlights) as object, ['set', 'delete', 'clear']);
  new MutationObserver(changed).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  window.addEventListener('scroll', changed, { capture: true, passive: true });

  // ---- Conditions ------------------------------------------------------------------------------

  /** The rectangle the reader sees: the scroller's box within the window. */
  const viewportOf = (scroller: Element | null) => {
    const r = scroller?.getBoundingClientRect() ?? new DOMRect(0, 0, innerWidth, innerHeight);
    return { top: Math.max(0, r.top), bottom: Math.min(innerHeight, r.bottom) };
  };
  /** Whether the character at `offset` of paragraph `p` (one text node) is on screen. */
  const charVisible = (p: HTMLElement, offset: number, view: { top: number; bottom: number }) => {
    const text = p.firstChild;
    if (!(text instanceof Text) || offset >= text.data.length) return false;
    const range = document.createRange();
    range.setStart(text, offset);
    range.setEnd(text, offset + 1);
    const rect = range.getClientRects()[0];
    return !!rect && rect.bottom > view.top && rect.top < view.bottom;
  };
  const visibleParagraphs = (selector: string, view: { top: number; bottom: number }) =>
    Array.from(document.querySelectorAll<HTMLElement>(selector)).filter((p) => {
      const r = p.getBoundingClientRect();
      return r.bottom > view.top && r.top < view.bottom && r.height > 0;
    });
  /** Index of the first value >= x in a sorted list. */
  const lowerBound = (list: readonly number[], x: number) => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  /** Document offsets where Margin's annotation ranges start (one text node per paragraph, data-start its offset). */
  const marginRangeStarts = (include: (name: string) => boolean) => {
    const starts: number[] = [];
    CSS.highlights.forEach((highlight, name) => {
      if (!include(name)) return;
      highlight.forEach((range) => {
        const r = range as AbstractRange;
        const p = r.startContainer.parentElement?.closest<HTMLElement>('[data-start]');
        if (p) starts.push(Number(p.dataset.start) + r.startOffset);
      });
    });
    return starts;
  };
  const isAnnotationHighlight = (name: string) => name.startsWith('margin-') && name !== 'margin-selected';

  interface ViewportSpec {
    /** 'margin' (CSS highlights in Margin's reading view) or 'peer' (the peer's span layer). */
    app: 'margin' | 'peer';
    /** Every annotation's start offset, sorted, in the page's coordinates; for the peer, ids in the same order. */
    starts: number[];
    ids?: string[];
    /** A paragraph (by its start offset) that must be on screen, e.g. the last one after scrolling to the end. */
    mustShow?: number;
  }
  const layouts = {
    margin: { scroller: '.reading-view', paragraphs: '.reading-text p[data-start]' },
    peer: { scroller: null, paragraphs: '#text p[data-start]' },
  };
  /** Text on screen, and every annotation whose first character is on screen drawn. */
  const viewportPainted = (spec: ViewportSpec): Check => () => {
    const layout = layouts[spec.app];
    const view = viewportOf(layout.scroller ? document.querySelector(layout.scroller) : null);
    const shown = visibleParagraphs(layout.paragraphs, view);
    if (shown.length === 0 || !shown.some((p) => (p.textContent ?? '').length > 0)) return false;
    if (spec.mustShow !== undefined && !shown.some((p) => Number(p.dataset.start) === spec.mustShow)) return false;
    const wanted: number[] = [];
    for (const p of shown) {
      const start = Number(p.dataset.start);
      const end = start + (p.firstChild instanceof Text ? p.firstChild.data.length : 0);
      for (let i = lowerBound(spec.starts, start); i < spec.starts.length && spec.starts[i]! < end; i++) {
        if (charVisible(p, spec.starts[i]! - start, view)) wanted.push(i);
      }
    }
    if (wanted.length === 0) return true;
    if (spec.app === 'margin') {
      const painted = new Set(marginRangeStarts(isAnnotationHighlight));
      return wanted.every((i) => painted.has(spec.starts[i]!));
    }
    const drawn = new Set(Array.from(document.querySelectorAll<HTMLElement>('.r6o-span-highlight-layer [data-annotation]'), (e) => e.dataset.annotation));
    return wanted.every((i) => drawn.has(spec.ids![i]));
  };

  /** One more Margin annotation range starting in [from, to) than when armed. */
  const marginRangeAdded = ({ from, to }: { from: number; to: number }): Check => {
    const count = () => marginRangeStarts(isAnnotationHighlight).filter((s) => s >= from && s < to).length;
    const before = count();
    return () => count() > before;
  };
  /** The peer has drawn annotation `id`. */
  const peerDrawn = (id: string): Check => () => document.querySelector(`.r6o-span-highlight-layer [data-annotation="${CSS.escape(id)}"]`) !== null;
  /** An annotation is selected in Margin's panel. */
  const panelSelected = (): Check => () => document.querySelector('aside[aria-label="Annotations"] li.selected') !== null;
  /** Margin's selected annotation is outlined, on screen, at or after `from`. */
  const selectedOnScreen = (from: number): Check => () => {
    const view = viewportOf(document.querySelector('.reading-view'));
    let ok = false;
    CSS.highlights.get('margin-selected')?.forEach((range) => {
      const r = range as AbstractRange;
      const p = r.startContainer.parentElement?.closest<HTMLElement>('[data-start]');
      if (p && Number(p.dataset.start) + r.startOffset >= from && charVisible(p, r.startOffset, view)) ok = true;
    });
    return ok && document.querySelector('aside[aria-label="Annotations"] li.selected') !== null;
  };
  /** A document of Margin's list is on screen. */
  const listPainted = (): Check => () => {
    const item = document.querySelector('nav[aria-label="Documents"] button.document-item');
    if (!item) return false;
    const r = item.getBoundingClientRect();
    return r.height > 0 && r.bottom > 0 && r.top < innerHeight;
  };
  /** The page says `text` (e.g. an import's summary). */
  const textShown = (text: string): Check => () => (document.body?.textContent ?? '').includes(text);
  const conditions = { viewportPainted, marginRangeAdded, peerDrawn, panelSelected, selectedOnScreen, listPainted, textShown };
  type Conditions = typeof conditions;

  let mark = 0;
  w.__bench = {
    /** Starts watching for `name`; fails when it already holds (the run would measure nothing). */
    arm<K extends keyof Conditions>(name: K, arg: Parameters<Conditions[K]>[0], timeoutMs: number): void {
      const check = (conditions[name] as (a: unknown) => Check)(arg);
      if (check()) throw new Error(`${name} already holds before the action`);
      let resolve!: Armed['resolve'];
      let reject!: (error: Error) => void;
      const done = new Promise<{ satisfiedAt: number; paintedAt: number }>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      const timer = window.setTimeout(() => {
        armed = null;
        reject(new Error(`${name} did not happen within ${timeoutMs} ms`));
      }, timeoutMs);
      done.catch(() => undefined); // reported by result(), not as an unhandled rejection
      armed = current = {
        check,
        satisfiedAt: null,
        resolve: (value) => {
          clearTimeout(timer);
          armed = null;
          resolve(value);
        },
        done,
      };
      if (!framesRunning) {
        framesRunning = true;
        requestAnimationFrame(frame);
      }
    },
    /** Whether a condition holds now (to wait, untimed, for a state between runs). */
    holds<K extends keyof Conditions>(name: K, arg: Parameters<Conditions[K]>[0]): boolean {
      try {
        return (conditions[name] as (a: unknown) => Check)(arg)();
      } catch {
        return false;
      }
    },
    /** The longest long task that overlapped [from, to] (performance.now() times), 0 when none. */
    longestTask(from: number, to: number): number {
      const during = longTasks.filter((t) => t.start + t.duration > from && t.start < to);
      return during.length ? Math.max(...during.map((t) => t.duration)) : 0;
    },
    now: () => performance.now(),
    /** A start for actions made from script (a scroll). */
    mark(): number {
      mark = performance.now();
      return mark;
    },
    /** Waits for the last armed condition; times from the last `startEvent` (or the mark) to the painted frame. */
    async result(startEvent: StartEvent) {
      const a = current;
      if (!a) throw new Error('nothing armed');
      const { satisfiedAt, paintedAt } = await a.done;
      // 'navigation': from the start of the page load (a new window), performance's time origin.
      const start = startEvent === 'mark' ? mark : startEvent === 'navigation' ? 0 : events[startEvent];
      if (start === undefined) throw new Error(`no ${startEvent} event was seen`);
      return {
        start,
        satisfiedAt,
        paintedAt,
        ms: paintedAt - start,
        longestTask: (w.__bench as { longestTask: (a: number, b: number) => number }).longestTask(start, paintedAt),
        wallClockPainted: performance.timeOrigin + paintedAt,
      };
    },
  };
}

/** The page side as Node sees it (for page.evaluate callbacks). */
export interface BenchProbe {
  arm(name: string, arg: unknown, timeoutMs: number): void;
  holds(name: string, arg: unknown): boolean;
  longestTask(from: number, to: number): number;
  now(): number;
  mark(): number;
  result(startEvent: 'keydown' | 'mouseup' | 'click' | 'change' | 'mark' | 'navigation'): Promise<ProbeResult>;
}

export interface ProbeResult {
  start: number;
  satisfiedAt: number;
  paintedAt: number;
  ms: number;
  longestTask: number;
  wallClockPainted: number;
}
