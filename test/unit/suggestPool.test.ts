import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type SuggestOutcome, SuggestPool, suggestEntry, suggestPool, useSuggestPool } from '../../electron/services/assist/suggestPool';
import { suggest } from '../../shared/suggest';
import { openWorkspace, REPO_ROOT, SAMPLES_DIR, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const pools: SuggestPool[] = [];
/** A pool of its own for a test; closed at the end. */
function poolWith(options: ConstructorParameters<typeof SuggestPool>[0] = {}): SuggestPool {
  const pool = new SuggestPool(options);
  pools.push(pool);
  return pool;
}
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

/** The first AFP copy of the Blinken story (curly quotes, non-breaking spaces as published). */
const ARTICLE = readFileSync(path.join(SAMPLES_DIR, '002_e7f105aa316f8cda.txt'), 'utf8');
/** About 1 MB: the article repeated, as a long report the engine needs a fraction of a second for. */
const REPORT = Array.from({ length: Math.ceil(1_000_000 / ARTICLE.length) }, () => ARTICLE).join('\n\n');

/** What the pool did for each document, in order. */
function outcomesOf(pool: SuggestPool): SuggestOutcome[] {
  const outcomes: SuggestOutcome[] = [];
  pool.on('finished', (o) => outcomes.push(o));
  return outcomes;
}

describe('the suggestion thread', () => {
  it('gives what the engine gives in-process, computed on the thread', async () => {
    const pool = poolWith();
    const outcomes = outcomesOf(pool);
    const options = { labels: ['quote', 'source', 'claim', 'event'] as const, publishedDate: '2024-06-10' };
    const expected = suggest(ARTICLE, { ...options, labels: [...options.labels] });
    expect(expected.length).toBeGreaterThan(0);
    expect(await pool.suggest(ARTICLE, { ...options, labels: [...options.labels] })).toEqual(expected);
    expect(outcomes).toEqual(['worker']);
  });

  it('a document over the time limit gets no suggestions; the thread is replaced and the next one is computed', async () => {
    const pool = poolWith({ timeMs: 1 });
    const outcomes = outcomesOf(pool);
    expect(await pool.suggest(REPORT)).toBeNull();
    pool.timeMs = 20_000;
    expect(await pool.suggest(ARTICLE)).toEqual(suggest(ARTICLE));
    expect(outcomes).toEqual(['timed-out', 'worker']);
  });

  it('an installation without the thread script computes in-process, never failing the listing', async () => {
    const pool = poolWith({ entry: null });
    const outcomes = outcomesOf(pool);
    expect(await pool.suggest(ARTICLE)).toEqual(suggest(ARTICLE));
    expect(outcomes).toEqual(['in-process']);
    // A built bundle with no suggestWorker.js beside it is such an installation.
    expect(suggestEntry(pathToFileURL(path.join(temps.make(), 'main.js')).href)).toBeNull();
  });

  it('a thread script that fails to load leaves the document to the calling thread', async () => {
    const pool = poolWith({ entry: pathToFileURL(path.join(REPO_ROOT, 'test', 'fixtures', 'no-such-worker.mjs')) });
    const outcomes = outcomesOf(pool);
    expect(await pool.suggest(ARTICLE)).toEqual(suggest(ARTICLE));
    expect(outcomes).toEqual(['in-process']);
  });
});

describe('listSuggestions through the workspace', () => {
  it('while the engine works on a 1 MB report, another request is answered first', async () => {
    const ws = await openWorkspace(temps);
    const h = ws.handlers;
    try {
      await h.setAnnotator({ name: 'Ana' });
      const docId = (await h.importText({ text: REPORT, title: 'Long report' })).imported[0]!.docId;
      const order: string[] = [];
      const pool = suggestPool();
      let session: Promise<unknown> | undefined;
      // Asked the moment the engine starts on the report: the services' thread is free to answer.
      const onStart = () => {
        session ??= h.getSession({}).then(() => order.push('session answered'));
      };
      const onFinish = () => order.push('suggestions computed');
      pool.on('started', onStart).on('finished', onFinish);
      const listing = h.listSuggestions({ docId }).then((list) => {
        order.push('suggestions listed');
        return list;
      });
      const list = await listing.finally(() => pool.off('started', onStart).off('finished', onFinish));
      await session;
      expect(order).toEqual(['session answered', 'suggestions computed', 'suggestions listed']);
      expect(list.suggestions.filter((s) => s.label === 'quote').length).toBeGreaterThan(100);
    } finally {
      await ws.close();
    }
  });

  it('a document over the time limit is listed without engine suggestions, and listed again without waiting', async () => {
    const ws = await openWorkspace(temps);
    const h = ws.handlers;
    const previous = useSuggestPool(poolWith({ timeMs: 1 }));
    try {
      await h.setAnnotator({ name: 'Ana' });
      const docId = (await h.importText({ text: REPORT, title: 'Long report' })).imported[0]!.docId;
      const outcomes = outcomesOf(suggestPool());
      expect(await h.listSuggestions({ docId })).toEqual({ enabled: true, suggestions: [], rejected: 0 });
      expect(await h.listSuggestions({ docId })).toEqual({ enabled: true, suggestions: [], rejected: 0 });
      expect(outcomes).toEqual(['timed-out']);
      // The next document, with the usual limit, gets its suggestions.
      useSuggestPool(previous);
      const other = (await h.importText({ text: ARTICLE, title: 'Blinken' })).imported[0]!.docId;
      expect((await h.listSuggestions({ docId: other })).suggestions.length).toBeGreaterThan(0);
    } finally {
      useSuggestPool(previous);
      await ws.close();
    }
  });
});

const out = path.join(REPO_ROOT, 'out', 'main');
const built = existsSync(path.join(out, 'suggestWorker.js'));
if (!built) console.log('built suggestion thread checks skipped: run `npm run build` first (npm test does)');

describe.skipIf(!built)('the built app finds and runs its suggestion thread', () => {
  it('finds out/main/suggestWorker.js from main.js and from a chunk below it', () => {
    const entry = pathToFileURL(path.join(out, 'suggestWorker.js'));
    expect(suggestEntry(pathToFileURL(path.join(out, 'main.js')).href)).toEqual(entry);
    expect(suggestEntry(pathToFileURL(path.join(out, 'chunks', 'any.js')).href)).toEqual(entry);
  });

  it('the built thread suggests as the sources do', async () => {
    const pool = poolWith({ entry: suggestEntry(pathToFileURL(path.join(out, 'main.js')).href) });
    const outcomes = outcomesOf(pool);
    expect(await pool.suggest(ARTICLE)).toEqual(suggest(ARTICLE));
    expect(outcomes).toEqual(['worker']);
  });
});

describe('the CLI bundle (margin serve runs from out/cli/) finds and runs its suggestion thread', () => {
  it('builds suggestWorker.js beside cli.js, found from there, suggesting as the sources do', async () => {
    // @ts-expect-error: plain JavaScript, without type declarations
    const { loadCli } = (await import('../../bin/cliBundle.js')) as { loadCli: () => Promise<unknown> };
    await loadCli();
    const { dir } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'out', 'cli', 'current.json'), 'utf8')) as { dir: string };
    const cli = path.join(REPO_ROOT, 'out', 'cli', dir, 'cli.js');
    const entry = suggestEntry(pathToFileURL(cli).href);
    expect(entry).toEqual(pathToFileURL(path.join(REPO_ROOT, 'out', 'cli', dir, 'suggestWorker.js')));
    const pool = poolWith({ entry });
    const outcomes = outcomesOf(pool);
    expect(await pool.suggest(ARTICLE)).toEqual(suggest(ARTICLE));
    expect(outcomes).toEqual(['worker']);
  });
});
