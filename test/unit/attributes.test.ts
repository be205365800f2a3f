import path from 'node:path';
import { readFileSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/services/dispatch';
import type { Workspace } from '../../electron/services/workspace';
import type { Envelope } from '../../shared/api';
import { defaultSchema } from '../../shared/defaultSchema';
import type { Annotation, TagSchema } from '../../shared/model';
import { layerOnDisk, layerPath, openWorkspace, spanOf, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const TEXT = 'Talks in Doha\nBlinken said the talks were productive. Officials met on Monday in Doha.\n';

/** The default schema plus a number and a multiple choice on events: every attribute type. */
function everyTypeSchema(): TagSchema {
  const schema = structuredClone(defaultSchema);
  schema.labels[2]!.attributes.push({ name: 'casualties', type: 'number' }, { name: 'actors', type: 'multi', values: ['us', 'israel', 'hamas'] });
  return schema;
}

async function setUp() {
  const ws = await openWorkspace(temps);
  const h = ws.handlers;
  await h.updateSchema({ schema: everyTypeSchema(), renameLabels: [], renameAttributes: [], deleteLabels: [], baseRevision: (await h.getSession({})).revision });
  await h.setAnnotator({ name: 'ana' });
  const docId = (await h.importFiles({ files: [{ name: 'talks.txt', data: Buffer.from(TEXT).toString('base64') }] })).imported[0]!.docId;
  const [claim, quote, event] = await h.createAnnotations({
    docId,
    spans: [
      { label: 'claim', ...spanOf(TEXT, 'the talks were productive') },
      { label: 'quote', ...spanOf(TEXT, 'Blinken said the talks were productive') },
      { label: 'event', ...spanOf(TEXT, 'Officials met on Monday in Doha') },
    ],
  });
  const file = layerPath(ws.projectDir, 'ana', docId);
  const update = (annotation: Annotation, changes: Record<string, unknown>) =>
    dispatch(h, 'updateAnnotation', { docId, annotationId: annotation.id, changes }) as Promise<Envelope<{ before: Annotation; after: Annotation }>>;
  return { ws, h, docId, claim: claim!, quote: quote!, event: event!, file, update };
}

/** The annotation as a reopened store would read it: layer file and journal (store/layerJournal.ts). */
const stored = (file: string, id: string) => {
  const [annotator, name] = file.split(path.sep).slice(-2);
  return layerOnDisk(path.dirname(path.dirname(path.dirname(file))), annotator!, name!.replace(/\.json$/, '')).annotations.find((a) => a.id === id)!;
};

function expectAccepted(envelope: Envelope<{ after: Annotation }>): Annotation {
  expect(envelope.ok, JSON.stringify(envelope)).toBe(true);
  return (envelope as { ok: true; value: { after: Annotation } }).value.after;
}

function expectRefused(envelope: Envelope<unknown>, field: string, message: string | RegExp): void {
  expect(envelope.ok, JSON.stringify(envelope)).toBe(false);
  if (envelope.ok) return;
  expect(envelope.error.code).toBe('bad-input');
  expect(envelope.error.message).toMatch(new RegExp(`^attributes\\.${field}: `));
  expect(envelope.error.message).toMatch(message);
  expect(envelope.error.issues?.some((i) => i.startsWith(`attributes.${field}: `))).toBe(true);
}

async function withWorkspace(run: (ctx: Awaited<ReturnType<typeof setUp>>) => Promise<void>): Promise<void> {
  const ctx = await setUp();
  try {
    await run(ctx);
  } finally {
    await (ctx.ws as Workspace).close();
  }
}

describe('attribute values are checked against their type', () => {
  it('accepts a value of each type and stores it as given', () =>
    withWorkspace(async ({ claim, quote, event, file, update }) => {
      expect(expectAccepted(await update(claim, { attributes: { claimant: 'Blinken', 'check-worthy': true } })).attributes).toEqual({
        claimant: 'Blinken',
        'check-worthy': true,
      });
      expect(expectAccepted(await update(quote, { attributes: { speaker: 'Blinken', kind: 'partial' } })).attributes).toEqual({ speaker: 'Blinken', kind: 'partial' });
      const attributes = { type: 'meeting', date: '2024-02-29', place: 'Doha', casualties: 0, actors: ['us', 'hamas'] };
      expect(expectAccepted(await update(event, { attributes })).attributes).toEqual(attributes);
      expect(stored(file, event.id).attributes).toEqual(attributes);
      expect(stored(file, claim.id).attributes).toEqual({ claimant: 'Blinken', 'check-worthy': true });
    }));

  it('refuses each wrong type with the field named, and writes nothing', () =>
    withWorkspace(async ({ claim, quote, event, file, update }) => {
      expectAccepted(await update(event, { attributes: { place: 'Doha' } }));
      const before = { bytes: readFileSync(file, 'utf8'), mtimeMs: statSync(file).mtimeMs };
      const cases: [Annotation, Record<string, unknown>, string, string | RegExp][] = [
        [claim, { claimant: 42 }, 'claimant', 'expected text'],
        [claim, { 'check-worthy': 'yes' }, 'check-worthy', 'expected yes or no'],
        [quote, { kind: 'rumour' }, 'kind', '"rumour" is not one of direct, indirect, partial'],
        [quote, { kind: ['direct'] }, 'kind', 'expected one of the choices'],
        [event, { date: 'last Tuesday' }, 'date', 'expected a date as YYYY-MM-DD'],
        [event, { date: '22/10/2024' }, 'date', 'expected a date as YYYY-MM-DD'],
        [event, { date: '2023-02-29' }, 'date', '2023-02-29 is not a real date'],
        [event, { casualties: 'three' }, 'casualties', 'expected a number'],
        [event, { actors: 'us' }, 'actors', 'expected a list of choices'],
        [event, { actors: ['us', 'mars'] }, 'actors', '"mars" is not one of us, israel, hamas'],
        [event, { colour: 'red' }, 'colour', 'event has no attribute "colour"'],
        // One wrong value refuses the whole change, the right ones included.
        [event, { place: 'Cairo', date: '2024-13-01' }, 'date', 'is not a real date'],
      ];
      for (const [annotation, attributes, field, message] of cases) {
        expectRefused(await update(annotation, { attributes }), field, message);
      }
      expect({ bytes: readFileSync(file, 'utf8'), mtimeMs: statSync(file).mtimeMs }).toEqual(before);
      expect(stored(file, event.id).attributes).toEqual({ place: 'Doha' });
    }));

  it('lists every wrong field at once', () =>
    withWorkspace(async ({ event, update }) => {
      const envelope = await update(event, { attributes: { date: 'soon', casualties: '5', type: 'meeting' } });
      expect(envelope.ok).toBe(false);
      if (!envelope.ok) {
        expect(envelope.error.issues).toEqual(['attributes.date: expected a date as YYYY-MM-DD', 'attributes.casualties: expected a number']);
      }
    }));

  it('rejects values no attribute type has before any service runs', () =>
    withWorkspace(async ({ event, update }) => {
      const envelope = await update(event, { attributes: { place: { city: 'Doha' } } });
      expect(!envelope.ok && envelope.error.code).toBe('validation');
      expect(!envelope.ok && envelope.error.message).toMatch(/changes\.attributes\.place/);
    }));
});

describe('the attribute map', () => {
  it('changes only the attributes named; empty text and empty lists remove a value rather than store it', () =>
    withWorkspace(async ({ event, file, update }) => {
      expectAccepted(await update(event, { attributes: { place: 'Doha', type: 'meeting', actors: ['us'] } }));
      const after = expectAccepted(await update(event, { attributes: { place: '', actors: [] } }));
      expect(after.attributes).toEqual({ type: 'meeting' });
      expect(stored(file, event.id).attributes).toEqual({ type: 'meeting' });
      // Without `attributes`, they stay as they are.
      expect(expectAccepted(await update(event, { note: 'verify' })).attributes).toEqual({ type: 'meeting' });
    }));

  it('two quick edits of different attributes of one quote both survive', () =>
    withWorkspace(async ({ quote, file, update }) => {
      // As two fields committed one right after the other: each names only its own attribute.
      const [first, second] = await Promise.all([update(quote, { attributes: { speaker: 'Blinken' } }), update(quote, { attributes: { kind: 'direct' } })]);
      expectAccepted(first);
      expect(expectAccepted(second).attributes).toEqual({ speaker: 'Blinken', kind: 'direct' });
      expect(stored(file, quote.id).attributes).toEqual({ speaker: 'Blinken', kind: 'direct' });
    }));

  it('null removes that attribute and leaves the others', () =>
    withWorkspace(async ({ event, file, update }) => {
      expectAccepted(await update(event, { attributes: { place: 'Doha', type: 'meeting', casualties: 0 } }));
      expect(expectAccepted(await update(event, { attributes: { place: null } })).attributes).toEqual({ type: 'meeting', casualties: 0 });
      // Removing a value that is not there changes nothing else.
      expect(expectAccepted(await update(event, { attributes: { date: null, casualties: 3 } })).attributes).toEqual({ type: 'meeting', casualties: 3 });
      expect(stored(file, event.id).attributes).toEqual({ type: 'meeting', casualties: 3 });
      // A wrong value is still refused when other values are kept beside it.
      expectRefused(await update(event, { attributes: { casualties: 'many' } }), 'casualties', 'expected a number');
      expect(stored(file, event.id).attributes).toEqual({ type: 'meeting', casualties: 3 });
    }));

  it('on a relabel, keeps what the new label defines and drops the rest', () =>
    withWorkspace(async ({ claim, quote, update }) => {
      expectAccepted(await update(quote, { attributes: { speaker: 'Blinken', kind: 'direct' } }));
      expect(expectAccepted(await update(quote, { label: 'claim' })).attributes).toEqual({});
      expectAccepted(await update(claim, { attributes: { claimant: 'Blinken' } }));
      // With attributes given, they are checked against the new label.
      expectRefused(await update(claim, { label: 'quote', attributes: { claimant: 'Blinken' } }), 'claimant', 'quote has no attribute "claimant"');
      expect(expectAccepted(await update(claim, { label: 'quote', attributes: { speaker: 'Blinken' } }))).toMatchObject({
        label: 'quote',
        attributes: { speaker: 'Blinken' },
      });
    }));

  it('on a relabel with attributes, values the new label lacks are still dropped and the named ones set', () =>
    withWorkspace(async ({ quote, update }) => {
      expectAccepted(await update(quote, { attributes: { speaker: 'Blinken', kind: 'direct' } }));
      const relabelled = expectAccepted(await update(quote, { label: 'claim', attributes: { claimant: 'Blinken' } }));
      expect(relabelled).toMatchObject({ label: 'claim', attributes: { claimant: 'Blinken' } });
      expect(relabelled.attributes).not.toHaveProperty('speaker');
      expect(relabelled.attributes).not.toHaveProperty('kind');
    }));

  it('keeps a note, clears it with an empty one, and sets updatedAt but never createdAt', () =>
    withWorkspace(async ({ claim, file, update }) => {
      const noted = expectAccepted(await update(claim, { note: 'Source: State Department transcript' }));
      expect(noted.note).toBe('Source: State Department transcript');
      expect(noted.createdAt).toBe(claim.createdAt);
      expect(noted.updatedAt >= claim.updatedAt).toBe(true);
      expect(stored(file, claim.id).note).toBe('Source: State Department transcript');
      const cleared = expectAccepted(await update(claim, { note: '' }));
      expect('note' in cleared).toBe(false);
      expect('note' in stored(file, claim.id)).toBe(false);
    }));

  it('refuses an unknown label, someone else\'s annotation, and an annotation that does not exist', () =>
    withWorkspace(async ({ h, docId, claim, update }) => {
      const unknown = await update(claim, { label: 'opinion' });
      expect(!unknown.ok && unknown.error.message).toMatch(/^label: "opinion"/);
      await h.setAnnotator({ name: 'ben' });
      const theirs = await update(claim, { note: 'mine now' });
      expect(!theirs.ok && theirs.error.message).toMatch(/ana's layer/);
      const missing = await dispatch(h, 'updateAnnotation', { docId, annotationId: 'nope', changes: { note: 'x' } });
      expect(!missing.ok && missing.error.code).toBe('not-found');
    }));
});

describe('moving a boundary', () => {
  it('trims whitespace, keeps the span inside the text, and recomputes the quote', () =>
    withWorkspace(async ({ claim, update }) => {
      const productive = spanOf(TEXT, 'the talks were productive');
      const moved = expectAccepted(await update(claim, { start: productive.start - 1, end: productive.end + 2 }));
      // "said the talks were productive. " minus the whitespace at the ends
      expect(TEXT.slice(moved.start, moved.end)).toBe('the talks were productive.');
      expect(moved.quote).toEqual({ exact: 'the talks were productive.', prefix: TEXT.slice(Math.max(0, moved.start - 32), moved.start), suffix: TEXT.slice(moved.end, moved.end + 32) });
      const refuse = async (changes: Record<string, unknown>, pattern: RegExp) => {
        const env = await update(claim, changes);
        expect(env.ok, JSON.stringify(changes)).toBe(false);
        if (!env.ok) expect(env.error.message).toMatch(pattern);
      };
      await refuse({ end: TEXT.length + 1 }, /^end: .*past the end/);
      await refuse({ start: moved.end }, /^end: .*must be after start/);
      const space = TEXT.indexOf(' ');
      await refuse({ start: space, end: space + 1 }, /whitespace/);
    }));
});
