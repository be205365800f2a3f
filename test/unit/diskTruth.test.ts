import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../electron/services/store/projectStore';
import { mergeLayer } from '../../shared/layerMerge';
import type { Annotation, LayerFile } from '../../shared/model';
import { layerOnDisk, layerPath, openWorkspace, SAMPLES_DIR, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

/** A real news text: curly quotes, a non-breaking space, an em dash. */
const CNN = readFileSync(path.join(SAMPLES_DIR, readdirSync(SAMPLES_DIR).filter((n) => n.endsWith('.txt')).sort()[0]!), 'utf8');

function span(text: string, needle: string) {
  const start = text.indexOf(needle);
  if (start < 0) throw new Error(`"${needle}" is not in the text`);
  return { start, end: start + needle.length };
}

/** What git does on a pull: a whole new file written over the old one. */
function pulled(file: string, change: (layer: LayerFile) => void): void {
  const layer = JSON.parse(readFileSync(file, 'utf8')) as LayerFile;
  change(layer);
  writeFileSync(file, `${JSON.stringify(layer, null, 2)}\n`);
}

/** Ana, with the CNN article open; `words` are plain words of it to tag. */
async function anaOnCnn() {
  const ws = await openWorkspace(temps);
  const h = ws.handlers;
  await h.setAnnotator({ name: 'Ana' });
  const { docId } = (await h.importText({ text: CNN, title: 'CNN' })).imported[0]!;
  const words = CNN.split(/\s+/).filter((w) => /^\p{L}{5,}$/u.test(w));
  return { ws, h, docId, words };
}

describe('a layer file changed on disk while the project is open', () => {
  it('is merged, not overwritten, by the next add: the pulled annotations and the new one are all kept', async () => {
    const { ws, h, docId, words } = await anaOnCnn();
    try {
      const [first] = await h.createAnnotations({ docId, spans: [{ label: 'claim', ...span(CNN, words[0]!) }] });

      // Ana's other machine tagged two quotes; the sync brings her layer file in.
      const file = layerPath(ws.projectDir, 'Ana', docId);
      const fromElsewhere: Annotation[] = [];
      pulled(file, (layer) => {
        for (const [i, word] of [words[3]!, words[6]!].entries()) {
          const s = span(CNN, word);
          const a = { ...layer.annotations[0]!, id: `pulled-${i}`, label: 'quote', ...s, quote: { ...layer.annotations[0]!.quote, exact: word } };
          layer.annotations.push(a);
          fromElsewhere.push(a);
        }
      });

      const [added] = await h.createAnnotations({ docId, spans: [{ label: 'event', ...span(CNN, words[9]!) }] });
      const onDisk = layerOnDisk(ws.projectDir, 'Ana', docId);
      expect(onDisk.annotations.map((a) => a.id).sort()).toEqual([first!.id, 'pulled-0', 'pulled-1', added!.id].sort());
      expect((await h.listAnnotations({ docId })).map((a) => a.id).sort()).toEqual(onDisk.annotations.map((a) => a.id).sort());
    } finally {
      await ws.close();
    }
  });

  it("a colleague's layer pulled in is read fresh, and a delete in our own stale copy does not bring back what the pull removed", async () => {
    const { ws, h, docId, words } = await anaOnCnn();
    try {
      const made = await h.createAnnotations({ docId, spans: words.slice(0, 3).map((w) => ({ label: 'claim', ...span(CNN, w) })) });
      expect(await h.listAnnotations({ docId })).toHaveLength(3);

      // The pull deleted one (Ana removed it on her laptop); we then delete another here.
      const file = layerPath(ws.projectDir, 'Ana', docId);
      pulled(file, (layer) => {
        layer.annotations = layer.annotations.filter((a) => a.id !== made[0]!.id);
      });
      await h.deleteAnnotations({ docId, annotationIds: [made[1]!.id] });
      const onDisk = layerOnDisk(ws.projectDir, 'Ana', docId);
      expect(onDisk.annotations.map((a) => a.id)).toEqual([made[2]!.id]);
    } finally {
      await ws.close();
    }
  });
});

describe('mergeLayer', () => {
  const ids = fc.uniqueArray(fc.integer({ min: 0, max: 30 }), { maxLength: 12 });
  const layerOf = (nums: number[]): LayerFile => ({
    version: 1,
    docId: '0123456789abcdef',
    annotator: 'Ana',
    annotations: nums.map((n) => ({
      id: `a${n}`,
      docId: '0123456789abcdef',
      annotator: 'Ana',
      label: 'claim',
      start: n,
      end: n + 1,
      quote: { exact: 'x', prefix: '', suffix: '' },
      attributes: {},
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    })),
    relations: [],
  });

  it('keeps every record either side added, and drops what either side deleted', () => {
    fc.assert(
      fc.property(ids, ids, ids, (base, ours, theirs) => {
        const merged = mergeLayer(layerOf(base), layerOf(ours), layerOf(theirs));
        const got = merged.annotations.map((a) => a.id).sort();
        const expected = [...new Set([...base, ...ours, ...theirs])]
          .filter((n) => (base.includes(n) ? ours.includes(n) && theirs.includes(n) : true))
          .map((n) => `a${n}`)
          .sort();
        expect(got).toEqual(expected);
      }),
      { numRuns: 500, seed: 9 },
    );
  });

  it('a record both sides kept but we edited carries our edit', () => {
    const base = layerOf([1, 2]);
    const ours = structuredClone(base);
    ours.annotations[0]!.label = 'quote';
    const theirs = layerOf([1, 2, 3]);
    const merged = mergeLayer(base, ours, theirs);
    expect(merged.annotations.map((a) => [a.id, a.label])).toEqual([
      ['a1', 'quote'],
      ['a2', 'claim'],
      ['a3', 'claim'],
    ]);
  });
});

describe('project housekeeping', () => {
  it('a new project has a .gitignore keeping the lock and temporary files out of git', async () => {
    const ws = await openWorkspace(temps);
    const dir = ws.projectDir;
    await ws.close();
    const ignore = readFileSync(path.join(dir, '.gitignore'), 'utf8');
    for (const line of ['.margin.lock', '*.tmp', '.margin-schema-change.json']) expect(ignore.split('\n')).toContain(line);
  });

  it('opening a project removes temporary files left by writers that died, and keeps a live process\'s', async () => {
    const ws = await openWorkspace(temps);
    const dir = ws.projectDir;
    await ws.close();
    const dead = 2 ** 22 + 17; // above Linux's default pid_max: no such process
    const leftovers = [
      path.join(dir, `.margin.json.${dead}.3.tmp`),
      path.join(dir, 'documents', `.0123456789abcdef.json.${dead}.1.tmp`),
      path.join(dir, 'annotations', `.x.json.${dead}.9.tmp`),
    ];
    for (const f of leftovers) writeFileSync(f, '{"half":');
    const live = path.join(dir, `.margin.json.${process.pid}.999.tmp`);
    writeFileSync(live, '{}');
    const store = await ProjectStore.open(dir, { takeOverLock: false });
    try {
      for (const f of leftovers) expect(existsSync(f)).toBe(false);
      expect(existsSync(live)).toBe(true);
    } finally {
      await store.close();
    }
  });
});
