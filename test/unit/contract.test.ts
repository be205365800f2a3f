import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/services/dispatch';
import type { Workspace } from '../../electron/services/workspace';
import type { Envelope } from '../../shared/api';
import { API_METHODS } from '../../shared/apiMethods';
import type { Annotation } from '../../shared/model';
import { openWorkspace, TempDirs } from './helpers';

const temps = new TempDirs();
let ws: Workspace;
let docId: string;

const TEXT = 'Headline 👍🏽 here\n\nBlinken said   “we will”.\n   \n';

beforeAll(async () => {
  ws = await openWorkspace(temps);
  const report = await ws.handlers.importFiles({ files: [{ name: 'a.txt', data: Buffer.from(TEXT).toString('base64') }] });
  docId = report.imported[0]!.docId;
});
afterAll(async () => {
  await ws.close();
  temps.cleanup();
});

function call(method: (typeof API_METHODS)[number], args: unknown): Promise<Envelope<unknown>> {
  return dispatch(ws.handlers, method, args);
}

function expectError(envelope: Envelope<unknown>, code: string, ...mentions: (string | RegExp)[]): void {
  expect(envelope.ok, JSON.stringify(envelope)).toBe(false);
  if (envelope.ok) return;
  expect(envelope.error.code).toBe(code);
  for (const m of mentions) expect(envelope.error.message).toMatch(m);
}

function layerFiles(): string[] {
  const dir = path.join(ws.projectDir, 'annotations');
  return readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.json'));
}

describe('the contract rejects bad arguments before any service runs', () => {
  it('names the missing, mistyped or extra field', async () => {
    expectError(await call('getDocument', {}), 'validation', /getDocument/, /docId/);
    expectError(await call('getDocument', { docId: 'not-hex' }), 'validation', /docId/, /16-digit/);
    expectError(await call('createAnnotation', { docId, label: 'claim', start: '0', end: 4 }), 'validation', /start/, /number/);
    expectError(await call('createAnnotation', { docId, label: 'claim', start: 1.5, end: 4 }), 'validation', /start/);
    expectError(await call('createAnnotation', { docId, label: 'claim', start: -1, end: 4 }), 'validation', /start/);
    expectError(await call('createAnnotation', { docId, label: 'claim', start: 4, end: 4 }), 'validation', /end/, /after start/);
    expectError(await call('createAnnotation', { docId, label: 'claim', start: 5, end: 4 }), 'validation', /end/);
    expectError(await call('createAnnotation', { docId, label: 'claim', start: 0, end: 4, color: 'red' }), 'validation', /color/);
    expectError(await call('listDocuments', { extra: true }), 'validation', /extra/);
    expectError(await call('setAnnotator', { name: '../etc' }), 'validation', /name/);
    expectError(await call('setAnnotator', { name: '' }), 'validation', /name/);
    expectError(await call('importFiles', { files: [] }), 'validation', /files/);
    expectError(await call('createAnnotation', [1, 2]), 'validation');
    expectError(await call('createAnnotation', 'claim'), 'validation');
    // Validation issues come back one per field as well as in the message.
    const env = await call('createAnnotation', { label: 3 });
    expect(!env.ok && env.error.issues?.map((i) => i.split(':')[0]).sort()).toEqual(['docId', 'end', 'label', 'start']);
  });

  it('treats missing arguments as {} for methods without any', async () => {
    const env = await call('listDocuments', undefined);
    expect(env.ok).toBe(true);
  });
});

describe('the services refuse what the contract alone cannot know', () => {
  it('will not tag before the annotator has a name', async () => {
    expectError(await call('createAnnotation', { docId, label: 'claim', start: 0, end: 8 }), 'bad-input', /annotator name/);
  });

  it('creates nothing for a whitespace-only span, an unknown label, an unknown document or a span past the end', async () => {
    expect((await call('setAnnotator', { name: '  dana ' })).ok).toBe(true);
    expect((await ws.handlers.getSession({})).annotator).toBe('dana');
    const blank = TEXT.indexOf('   \n');
    expectError(await call('createAnnotation', { docId, label: 'claim', start: blank, end: blank + 4 }), 'bad-input', /whitespace/);
    expectError(await call('createAnnotation', { docId, label: 'opinion', start: 0, end: 8 }), 'bad-input', /label/, /opinion/);
    expectError(await call('createAnnotation', { docId: '0000000000000000', label: 'claim', start: 0, end: 8 }), 'not-found', /0000000000000000/);
    expectError(await call('createAnnotation', { docId, label: 'claim', start: 0, end: TEXT.length + 1 }), 'bad-input', /end/);
    expectError(await call('deleteAnnotations', { docId, annotationIds: ['nope'] }), 'not-found');
    expect(await ws.handlers.listAnnotations({ docId })).toEqual([]);
    expect(layerFiles()).toEqual([]);
  });

  it('trims whitespace off a span and never cuts an emoji in half', async () => {
    const said = TEXT.indexOf('Blinken said');
    const env = await call('createAnnotation', { docId, label: 'quote', start: said - 2, end: said + 'Blinken said'.length + 3 });
    expect(env.ok).toBe(true);
    const a = (env as { value: Annotation }).value;
    expect(TEXT.slice(a.start, a.end)).toBe('Blinken said');
    expect(a.quote.exact).toBe('Blinken said');

    const thumb = TEXT.indexOf('👍🏽');
    // Starts between 👍's two halves and ends between 🏽's.
    const env2 = await call('createAnnotation', { docId, label: 'event', start: thumb + 1, end: thumb + 3 });
    expect(env2.ok).toBe(true);
    const b = (env2 as { value: Annotation }).value;
    expect(TEXT.slice(b.start, b.end)).toBe('👍🏽');
    expect((await ws.handlers.listAnnotations({ docId })).map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('restores only your own annotations, onto a span that fits', async () => {
    const [a] = await ws.handlers.listAnnotations({ docId });
    const restore = (annotation: unknown) => call('restoreAnnotations', { annotations: [annotation], relations: [] });
    expectError(await restore({ ...a, annotator: 'someone else' }), 'bad-input', /annotator/);
    expectError(await restore({ ...a, id: 'x1', end: TEXT.length + 5 }), 'bad-input', /end/);
    expectError(await restore({ ...a, start: 'one' }), 'validation', /annotations\.0\.start/);
  });

  it('lists every method of the contract and answers unknown documents with not-found', async () => {
    expect(API_METHODS).toContain('createAnnotation');
    expectError(await call('listAnnotations', { docId: 'ffffffffffffffff' }), 'not-found');
    expectError(await call('getDocument', { docId: 'ffffffffffffffff' }), 'not-found');
  });
});
