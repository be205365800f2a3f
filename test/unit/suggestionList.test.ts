import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Caller, SuggestionView } from '../../shared/api';
import { defaultSchema } from '../../shared/defaultSchema';
import { mergeLayer } from '../../shared/layerMerge';
import { mergeProjectFile } from '../../shared/schemaMerge';
import type { LayerFile } from '../../shared/model';
import type { Workspace } from '../../electron/services/workspace';
import { layerOnDisk, layerPath, openWorkspace, SAMPLES_DIR, spanOf, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

/** The two copies of the AFP story on Blinken's ninth regional tour (Khaleej Times, Daily Sabah). */
const AFP_A = '002_e7f105aa316f8cda.txt';
const AFP_B = '003_6daa1d6b280d8e7e.txt';
const sampleText = (name: string) => readFileSync(path.join(SAMPLES_DIR, name), 'utf8');

async function withSamples(annotator = 'Ana') {
  const ws = await openWorkspace(temps);
  await ws.handlers.setAnnotator({ name: annotator });
  const report = await ws.handlers.loadSamples({});
  const idOf = (fileName: string) => report.imported.find((d) => d.fileName === fileName)!.docId;
  return { ws, h: ws.handlers, idOf };
}

const byKey = (list: readonly SuggestionView[], key: string) => list.find((s) => s.key === key);
/** The engine's suggestion of `label` whose text is exactly `text`. */
const engineSuggestion = (list: readonly SuggestionView[], label: string, text: string) => list.find((s) => s.label === label && s.text === text && s.from.kind === 'engine');

/** Polls an export job until it ends (the job runs in the background). */
async function exported(ws: Workspace): Promise<string> {
  const h = ws.handlers;
  const started = await h.startExport({ format: 'jsonl', documents: 'all' });
  let progress = await h.exportProgress({ jobId: started.jobId });
  while (!progress.finished) {
    await new Promise((r) => setTimeout(r, 10));
    progress = await h.exportProgress({ jobId: started.jobId });
  }
  return readFileSync(progress.result!.path, 'utf8');
}

describe('listSuggestions', () => {
  it("offers the engine's quotes with their sources linked by key, in text order, nobody's work", async () => {
    const { ws, h, idOf } = await withSamples();
    const docId = idOf(AFP_A);
    const list = await h.listSuggestions({ docId });
    expect(list.enabled).toBe(true);
    expect(list.rejected).toBe(0);
    const text = sampleText(AFP_A);
    const quote = engineSuggestion(list.suggestions, 'quote', text.slice(...Object.values(spanOf(text, 'that he said may be a "last opportunity" to secure a Gaza truce and hostage release deal'))))!;
    expect(quote).toBeDefined();
    expect(quote.key).toBe(`quote:${quote.start}:${quote.end}`);
    expect(quote.attributes).toMatchObject({ kind: 'indirect', speaker: 'Antony Blinken' });
    const source = byKey(list.suggestions, quote.links[0]!.to)!;
    expect(quote.links).toEqual([{ type: 'attributed-to', to: source.key }]);
    expect(source).toMatchObject({ label: 'source', text: 'Antony Blinken' });
    // Sorted by start, longer first.
    for (let i = 1; i < list.suggestions.length; i++) {
      const [a, b] = [list.suggestions[i - 1]!, list.suggestions[i]!];
      expect(a.start < b.start || (a.start === b.start && a.end >= b.end)).toBe(true);
    }
    // Suggestions are not annotations: the layer and the document's annotations are untouched.
    expect(await h.listAnnotations({ docId })).toEqual([]);
    await ws.close();
  });

  it('refuses a caller without an annotator name, as making a change does', async () => {
    const ws = await openWorkspace(temps);
    const docId = (await ws.handlers.loadSamples({})).imported[0]!.docId;
    await expect(ws.handlers.listSuggestions({ docId })).rejects.toThrow(/Set your annotator name/);
    await ws.close();
  });

  it('follows the project setting: off gives enabled false and nothing; a list of labels offers only those', async () => {
    const { ws, h, idOf } = await withSamples();
    const docId = idOf(AFP_A);
    let session = await h.getSession({});
    expect(session.settings.suggestions).toEqual({ enabled: true, labels: ['quote', 'source', 'claim', 'event'] });

    session = await h.updateProjectSettings({ settings: { suggestions: { enabled: false, labels: [] } }, baseRevision: session.revision });
    expect(session.settings.suggestions.enabled).toBe(false);
    expect(await h.listSuggestions({ docId })).toEqual({ enabled: false, suggestions: [], rejected: 0 });

    session = await h.updateProjectSettings({ settings: { suggestions: { enabled: true, labels: ['event'] } }, baseRevision: session.revision });
    expect(session.settings.suggestions).toEqual({ enabled: true, labels: ['event'] });
    const events = await h.listSuggestions({ docId });
    expect(events.suggestions.length).toBeGreaterThan(0);
    expect(new Set(events.suggestions.map((s) => s.label))).toEqual(new Set(['event']));
    // Blind annotation was not touched by these changes.
    expect(session.settings.blindAnnotation).toBe(false);

    // A label the engine cannot suggest, or the schema lacks, is refused by field; nothing is saved.
    await expect(h.updateProjectSettings({ settings: { suggestions: { enabled: true, labels: ['event', 'person'] } }, baseRevision: session.revision })).rejects.toThrow(
      'settings.suggestions.labels.1: "person" is not a label Margin can suggest (it suggests quote, source, claim, event)',
    );
    await h.updateSchema({ schema: { ...session.schema, labels: session.schema.labels.filter((l) => l.name !== 'event') }, renameLabels: [], renameAttributes: [], deleteLabels: [], baseRevision: session.revision });
    session = await h.getSession({});
    await expect(h.updateProjectSettings({ settings: { suggestions: { enabled: true, labels: ['event'] } }, baseRevision: session.revision })).rejects.toThrow(
      `settings.suggestions.labels.0: the project's tag schema has no label "event"`,
    );
    // The saved ['event'] now names no label the schema has: nothing from the engine is offered, and the window is told so.
    expect(session.settings.suggestions).toEqual({ enabled: true, labels: [] });
    expect((await h.listSuggestions({ docId })).suggestions).toEqual([]);
    await ws.close();
  });

  it("is kept in margin.json by a team sync's merge when a colleague changed only the schema", () => {
    const project = (settings: object, labels = defaultSchema.labels) => ({ version: 1, name: 'p', createdAt: '2024-08-19T00:00:00Z', revision: 1, schema: { ...defaultSchema, labels }, settings });
    const base = project({ blindAnnotation: true });
    const ours = project({ blindAnnotation: true, suggestions: { enabled: true, labels: ['quote', 'source'] } });
    const theirs = project({ blindAnnotation: true }, defaultSchema.labels.map((l) => (l.name === 'event' ? { ...l, color: '#000000' } : l)));
    const { merged, problems } = mergeProjectFile(base, ours, theirs);
    expect(problems).toEqual([]);
    expect(merged.settings).toEqual({ blindAnnotation: true, suggestions: { enabled: true, labels: ['quote', 'source'] } });
  });
});

describe('acceptSuggestions', () => {
  it('makes the caller\'s annotations with origin "suggested", their attributes and the attributed-to link; they leave the list', async () => {
    const { ws, h, idOf } = await withSamples();
    const docId = idOf(AFP_A);
    const text = sampleText(AFP_A);
    const before = await h.listSuggestions({ docId });
    const quote = engineSuggestion(before.suggestions, 'quote', 'that he said may be a "last opportunity" to secure a Gaza truce and hostage release deal')!;
    const sourceKey = quote.links[0]!.to;

    const { annotations, relations } = await h.acceptSuggestions({ docId, keys: [quote.key, sourceKey] });
    expect(annotations).toHaveLength(2);
    const [q, s] = [annotations.find((a) => a.label === 'quote')!, annotations.find((a) => a.label === 'source')!];
    expect(q).toMatchObject({ annotator: 'Ana', origin: 'suggested', start: quote.start, end: quote.end, attributes: { kind: 'indirect', speaker: 'Antony Blinken' } });
    expect(q.quote.exact).toBe(text.slice(quote.start, quote.end));
    expect(relations).toEqual([expect.objectContaining({ type: 'attributed-to', from: q.id, to: s.id, annotator: 'Ana' })]);
    expect(await h.listRelations({ docId })).toEqual(relations);
    expect((await h.listAnnotations({ docId })).map((a) => a.id).sort()).toEqual([q.id, s.id].sort());

    const after = await h.listSuggestions({ docId });
    expect(byKey(after.suggestions, quote.key)).toBeUndefined();
    expect(byKey(after.suggestions, sourceKey)).toBeUndefined();
    // Undo (deleteAnnotations) brings them back; redo (restoreAnnotations) keeps the origin.
    await h.deleteAnnotations({ docId, annotationIds: [q.id, s.id] });
    expect(byKey((await h.listSuggestions({ docId })).suggestions, quote.key)).toBeDefined();
    await h.restoreAnnotations({ annotations, relations });
    expect((await h.listAnnotations({ docId })).every((a) => a.origin === 'suggested')).toBe(true);
    await ws.close();
  });

  it('links an accepted quote to its source accepted earlier', async () => {
    const { ws, h, idOf } = await withSamples();
    const docId = idOf(AFP_A);
    const quote = engineSuggestion((await h.listSuggestions({ docId })).suggestions, 'quote', 'that he said may be a "last opportunity" to secure a Gaza truce and hostage release deal')!;
    const [source] = (await h.acceptSuggestions({ docId, keys: [quote.links[0]!.to] })).annotations;
    const { annotations, relations } = await h.acceptSuggestions({ docId, keys: [quote.key] });
    expect(relations).toEqual([expect.objectContaining({ type: 'attributed-to', from: annotations[0]!.id, to: source!.id })]);
    await ws.close();
  });

  it("drops a suggestion the analyst's own tag of the same label covers by half or more, not one of another label", async () => {
    const { ws, h, idOf } = await withSamples();
    const docId = idOf(AFP_A);
    const quote = engineSuggestion((await h.listSuggestions({ docId })).suggestions, 'quote', 'that he said may be a "last opportunity" to secure a Gaza truce and hostage release deal')!;
    // The analyst tags the quoted words alone: more than half of the suggestion.
    const text = sampleText(AFP_A);
    const own = spanOf(text, 'may be a "last opportunity" to secure a Gaza truce and hostage release deal');
    await h.createAnnotation({ docId, label: 'claim', ...own });
    expect(byKey((await h.listSuggestions({ docId })).suggestions, quote.key)).toBeDefined();
    await h.createAnnotation({ docId, label: 'quote', ...own });
    expect(byKey((await h.listSuggestions({ docId })).suggestions, quote.key)).toBeUndefined();
    await ws.close();
  });

  it('refuses, by name, a key no longer offered, and writes nothing', async () => {
    const { ws, h, idOf } = await withSamples();
    const docId = idOf(AFP_A);
    const [first, second] = (await h.listSuggestions({ docId })).suggestions;
    await h.rejectSuggestions({ docId, keys: [first!.key] });
    await expect(h.acceptSuggestions({ docId, keys: [second!.key, first!.key] })).rejects.toThrow(`That suggestion is no longer offered (${first!.key})`);
    await expect(h.acceptSuggestions({ docId, keys: ['quote:0:1'] })).rejects.toThrow('That suggestion is no longer offered (quote:0:1)');
    expect(await h.listAnnotations({ docId })).toEqual([]);
    await ws.close();
  });
});

describe('rejectSuggestions', () => {
  it('remembers a rejection in the layer file, not offered again, across a reopen; forget brings it back', async () => {
    const { ws, h, idOf } = await withSamples();
    const docId = idOf(AFP_A);
    const [first] = (await h.listSuggestions({ docId })).suggestions;
    expect(await h.rejectSuggestions({ docId, keys: [first!.key, first!.key] })).toEqual({ rejected: [first!.key] });
    expect(await h.rejectSuggestions({ docId, keys: [first!.key] })).toEqual({ rejected: [] });
    expect(layerOnDisk(ws.projectDir, 'Ana', docId).dismissedSuggestions).toEqual([first!.key]);
    let list = await h.listSuggestions({ docId });
    expect(byKey(list.suggestions, first!.key)).toBeUndefined();
    expect(list.rejected).toBe(1);
    // A layer holding only rejections is still "not started".
    const summary = (await h.listDocuments({})).find((d) => d.id === docId)!;
    expect(summary.status).toBe('not-started');
    expect(summary.statuses['Ana'] ?? 'not-started').toBe('not-started');

    const dir = ws.projectDir;
    await ws.close();
    const again = await openWorkspace(temps, dir);
    await again.handlers.setAnnotator({ name: 'Ana' });
    list = await again.handlers.listSuggestions({ docId });
    expect(byKey(list.suggestions, first!.key)).toBeUndefined();
    // Folding the journal into the file (as on close) keeps it too.
    expect((JSON.parse(readFileSync(layerPath(dir, 'Ana', docId), 'utf8')) as LayerFile).dismissedSuggestions).toEqual([first!.key]);

    expect(await again.handlers.rejectSuggestions({ docId, keys: [first!.key], forget: true })).toEqual({ rejected: [first!.key] });
    list = await again.handlers.listSuggestions({ docId });
    expect(byKey(list.suggestions, first!.key)).toEqual(first);
    expect(list.rejected).toBe(0);
    expect(layerOnDisk(dir, 'Ana', docId).dismissedSuggestions).toBeUndefined();
    await again.close();
  });

  it('refuses a key that is not label:start:end within the text, naming it', async () => {
    const { ws, h, idOf } = await withSamples();
    const docId = idOf(AFP_A);
    const length = sampleText(AFP_A).length;
    await expect(h.rejectSuggestions({ docId, keys: ['quote:10:5'] })).rejects.toThrow('keys.0: "quote:10:5" is not a suggestion of this document');
    await expect(h.rejectSuggestions({ docId, keys: ['quote:0:3', `quote:0:${length + 1}`] })).rejects.toThrow(`keys.1: "quote:0:${length + 1}"`);
    await expect(h.rejectSuggestions({ docId, keys: ['nonsense'] })).rejects.toThrow('keys.0: "nonsense"');
    await ws.close();
  });

  it("is one analyst's: a colleague is still offered what Ana rejected", async () => {
    const { ws, h, idOf } = await withSamples();
    const docId = idOf(AFP_A);
    const [first] = (await h.listSuggestions({ docId })).suggestions;
    await h.rejectSuggestions({ docId, keys: [first!.key] });
    const ben: Caller = { windowId: 'ben' };
    await h.setAnnotator({ name: 'Ben' }, ben);
    expect(byKey((await h.listSuggestions({ docId }, ben)).suggestions, first!.key)).toBeDefined();
    await ws.close();
  });

  it('never reaches a dataset export', async () => {
    const { ws, h, idOf } = await withSamples();
    const docId = idOf(AFP_A);
    const [first, second] = (await h.listSuggestions({ docId })).suggestions;
    await h.rejectSuggestions({ docId, keys: [first!.key] });
    await h.acceptSuggestions({ docId, keys: [second!.key] });
    const jsonl = await exported(ws);
    expect(jsonl).not.toMatch(/dismissed/i);
    expect(jsonl).not.toContain(first!.key);
    expect(jsonl).toContain('"origin":"suggested"');
    await ws.close();
  });

  it('survives a three-way layer merge: rejections made on either side are kept, a forget on ours too', () => {
    const layer = (dismissed?: string[]): LayerFile => ({ version: 1, docId: '0123456789abcdef', annotator: 'Ana', annotations: [], relations: [], ...(dismissed ? { dismissedSuggestions: dismissed } : {}) });
    const base = layer(['quote:1:5']);
    const ours = layer(['quote:1:5', 'source:0:3']);
    const theirs = layer(['event:7:9', 'quote:1:5']);
    expect(mergeLayer(base, ours, theirs).dismissedSuggestions).toEqual(['event:7:9', 'quote:1:5', 'source:0:3']);
    expect(mergeLayer(base, layer(), theirs).dismissedSuggestions).toEqual(['event:7:9']);
  });
});

describe('propagation to the copies of a story', () => {
  it("offers Ana's tags on one AFP copy, re-anchored with their link, on the other; not to Ben", async () => {
    const { ws, h, idOf } = await withSamples();
    const [from, to] = [idOf(AFP_A), idOf(AFP_B)];
    const [textA, textB] = [sampleText(AFP_A), sampleText(AFP_B)];
    const words = 'We\'re working to make sure that there is no escalation, that there are no provocations';
    const quoteA = spanOf(textA, words);
    const speakerA = spanOf(textA, 'Blinken said', quoteA.end);
    const quote = await h.createAnnotation({ docId: from, label: 'quote', ...quoteA });
    const source = await h.createAnnotation({ docId: from, label: 'source', start: speakerA.start, end: speakerA.start + 'Blinken'.length });
    await h.updateAnnotation({ docId: from, annotationId: quote.id, changes: { attributes: { kind: 'direct', speaker: 'Antony Blinken' } } });
    await h.createRelation({ docId: from, type: 'attributed-to', from: quote.id, to: source.id });

    const list = await h.listSuggestions({ docId: to });
    const quoteB = spanOf(textB, words);
    const speakerB = spanOf(textB, 'Blinken said', quoteB.end);
    const copy = { kind: 'copy', docId: from, title: expect.stringContaining('Top US diplomat Antony Blinken') };
    const sourceKey = `source:${speakerB.start}:${speakerB.start + 'Blinken'.length}`;
    expect(byKey(list.suggestions, `quote:${quoteB.start}:${quoteB.end}`)).toEqual({
      key: `quote:${quoteB.start}:${quoteB.end}`,
      label: 'quote',
      ...quoteB,
      text: words,
      attributes: { kind: 'direct', speaker: 'Antony Blinken' },
      links: [{ type: 'attributed-to', to: sourceKey }],
      from: copy,
    });
    expect(byKey(list.suggestions, sourceKey)).toMatchObject({ label: 'source', text: 'Blinken', from: copy });
    // The offsets differ between the copies: re-anchored, not copied.
    expect(quoteB.start).not.toBe(quoteA.start);

    // Accepted like any other: the link comes along.
    const accepted = await h.acceptSuggestions({ docId: to, keys: [`quote:${quoteB.start}:${quoteB.end}`, sourceKey] });
    expect(accepted.relations).toHaveLength(1);
    expect(accepted.annotations.every((a) => a.origin === 'suggested' && a.docId === to)).toBe(true);

    const ben: Caller = { windowId: 'ben' };
    await h.setAnnotator({ name: 'Ben' }, ben);
    expect((await h.listSuggestions({ docId: to }, ben)).suggestions.filter((s) => s.from.kind === 'copy')).toEqual([]);
    await ws.close();
  });
});

describe('propagation and the engine on the same words', () => {
  it('offers the copy\'s tag alone where the engine proposes nearly the same span, so accepting all never tags it twice', async () => {
    const { ws, h, idOf } = await withSamples();
    try {
      const [from, to] = [idOf(AFP_A), idOf(AFP_B)];
      const [textA, textB] = [sampleText(AFP_A), sampleText(AFP_B)];
      // An engine quote on the second copy whose words the first copy has too.
      const engine = (await h.listSuggestions({ docId: to })).suggestions.filter((s) => s.from.kind === 'engine' && s.label === 'quote' && s.text.length > 20 && textA.includes(s.text));
      expect(engine.length).toBeGreaterThan(0);
      const target = engine[0]!;
      // Ana tags those words on the first copy, one character shorter: nearly, not exactly, the engine's span.
      const onA = spanOf(textA, target.text);
      await h.createAnnotation({ docId: from, label: 'quote', start: onA.start, end: onA.end - 1 });

      const list = (await h.listSuggestions({ docId: to })).suggestions;
      const here = list.filter((s) => s.label === 'quote' && s.start < target.end && target.start < s.end && s.start >= target.start - 1 && s.end <= target.end + 1);
      expect(here).toHaveLength(1);
      expect(here[0]!.from.kind).toBe('copy');
      expect(textB.slice(here[0]!.start, here[0]!.end)).toBe(target.text.slice(0, -1));
    } finally {
      await ws.close();
    }
  });
});
