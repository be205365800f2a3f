import { readFileSync } from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../electron/services/dispatch';
import type { Workspace } from '../../electron/services/workspace';
import type { ApiErrorBody } from '../../shared/api';
import type { Annotation } from '../../shared/model';
import { listFilesRecursive, openWorkspace, samplePaths, TempDirs } from './helpers';

/**
 * "Too many open files" while saving: the user is told which file could not be saved, why and
 * what to do, the version on disk stays as it was, and nothing half-written is left behind.
 * EMFILE is injected where the store opens files (the fs seam below); everything else is real.
 */

const failOpens = vi.hoisted(() => ({ remaining: 0, seen: [] as string[] }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  const open: typeof real.open = (async (file: Parameters<typeof real.open>[0], flags?: Parameters<typeof real.open>[1], mode?: Parameters<typeof real.open>[2]) => {
    const writing = typeof flags === 'string' && /[wa]/.test(flags);
    if (writing && failOpens.remaining > 0) {
      failOpens.remaining--;
      failOpens.seen.push(String(file));
      // As Node reports it.
      throw Object.assign(new Error(`EMFILE: too many open files, open '${String(file)}'`), { errno: -24, code: 'EMFILE', syscall: 'open', path: String(file) });
    }
    return real.open(file, flags, mode);
  }) as typeof real.open;
  return { ...real, open, default: { ...real, open } };
});

const temps = new TempDirs();
let ws: Workspace;
let docId: string;
let text: string;
const call = (method: Parameters<typeof dispatch>[1], args: unknown) => dispatch(ws.handlers, method, args);

beforeAll(async () => {
  ws = await openWorkspace(temps);
  await call('setAnnotator', { name: 'ana' });
  text = readFileSync(samplePaths()[0]!, 'utf8');
  const imported = await call('importText', { text });
  if (!imported.ok) throw new Error(imported.error.message);
  docId = (imported.value as { imported: Array<{ docId: string }> }).imported[0]!.docId;
});

afterAll(async () => {
  failOpens.remaining = 0;
  await ws.close();
  temps.cleanup();
});

function expectPlainMessage(error: ApiErrorBody, file: string): void {
  expect(error.message).toContain(file);
  expect(error.message).toMatch(/too many files are open/);
  expect(error.message).toMatch(/close some programs and try again/);
  expect(error.message).toMatch(/saved before is unchanged/);
  expect(error.message).not.toMatch(/EMFILE|errno|syscall|internal/i);
  expect(error.code).toBe('store');
}

const span = (quote: string) => {
  const start = text.indexOf(quote);
  expect(start).toBeGreaterThanOrEqual(0);
  return { start, end: start + quote.length };
};

describe('EMFILE while saving', () => {
  it('on the first annotation of a layer: a plain message, no layer file, no temporary file left', async () => {
    const layerDir = path.join(ws.projectDir, 'annotations', 'ana');
    failOpens.remaining = 1;
    const refused = await call('createAnnotation', { docId, label: 'claim', ...span('urged top Israeli officials to “capitalize”') });
    expect(failOpens.remaining).toBe(0);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expectPlainMessage(refused.error, path.join(layerDir, `${docId}.json`));
    expect(listFilesRecursive(ws.projectDir).filter((f) => f.startsWith('annotations'))).toEqual([]);
    const listed = await call('listAnnotations', { docId });
    expect(listed).toEqual({ ok: true, value: [] });
  });

  it('on a change to a saved layer: a plain message, the saved layer intact, and the same change works once files free up', async () => {
    const first = await call('createAnnotation', { docId, label: 'claim', ...span('urged top Israeli officials to “capitalize”') });
    expect(first.ok).toBe(true);
    const layerDir = path.join(ws.projectDir, 'annotations', 'ana');
    const before = Object.fromEntries(listFilesRecursive(layerDir).map((f) => [f, readFileSync(path.join(layerDir, f), 'utf8')]));

    failOpens.remaining = 1;
    const quote = span('A US senior administration official');
    const refused = await call('createAnnotation', { docId, label: 'quote', ...quote });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(failOpens.seen.at(-1)!.startsWith(layerDir)).toBe(true);
    expectPlainMessage(refused.error, failOpens.seen.at(-1)!);
    const after = Object.fromEntries(listFilesRecursive(layerDir).map((f) => [f, readFileSync(path.join(layerDir, f), 'utf8')]));
    expect(after).toEqual(before);
    const listed = (await call('listAnnotations', { docId })) as { ok: true; value: Annotation[] };
    expect(listed.value.map((a) => a.label)).toEqual(['claim']);

    const again = await call('createAnnotation', { docId, label: 'quote', ...quote });
    expect(again.ok).toBe(true);
    const now = (await call('listAnnotations', { docId })) as { ok: true; value: Annotation[] };
    expect(now.value.map((a) => a.label).sort()).toEqual(['claim', 'quote']);
  });

  it('on a tag schema change: margin.json unchanged and the message names it', async () => {
    const marginJson = path.join(ws.projectDir, 'margin.json');
    const before = readFileSync(marginJson, 'utf8');
    const session = (await call('getSession', {})) as { ok: true; value: { schema: unknown; revision: number } };
    const schema = session.value.schema as { labels: Array<{ name: string; color: string; key: string }> };
    failOpens.remaining = 3;
    const refused = await call('updateSchema', { schema: { ...schema, labels: schema.labels.map((l, i) => (i === 0 ? { ...l, color: '#123456' } : l)) }, baseRevision: session.value.revision });
    failOpens.remaining = 0;
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.message).toMatch(/too many files are open/);
    expect(refused.error.message).not.toMatch(/EMFILE|internal/i);
    expect(readFileSync(marginJson, 'utf8')).toBe(before);
  });
});
