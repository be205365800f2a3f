import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packAnnotations, unpackAnnotations } from '../../shared/annotationPack';
import { quoteAt } from '../../shared/anchoring';
import type { Workspace } from '../../electron/services/workspace';
import type { Annotation } from '../../shared/model';
import { openWorkspace, SAMPLES_DIR, spanOf, TempDirs } from './helpers';

const temps = new TempDirs();
afterEach(() => temps.cleanup());

/** The CNN sample: non-breaking spaces, curly quotes and apostrophes. */
const CNN = readFileSync(path.join(SAMPLES_DIR, '000_0a5fdd5987a87f4f.txt'), 'utf8');

/** A project holding the CNN sample, as the services stored it; `run` gets the handlers, its id and its text. */
async function withCnn(blindAnnotation: boolean, run: (h: Workspace['handlers'], docId: string, text: string) => Promise<void>) {
  const ws = await openWorkspace(temps, undefined, { blindAnnotation });
  try {
    const h = ws.handlers;
    const { imported } = await h.importFiles({ files: [{ name: 'cnn.txt', data: Buffer.from(CNN).toString('base64') }] });
    const docId = imported[0]!.docId;
    await run(h, docId, (await h.getDocument({ docId })).text);
  } finally {
    await ws.close();
  }
}

describe('openDocument: what the reading view reads on opening a document', () => {
  it('gives the same annotations, links, orphans and reviews as the four list calls, in far fewer bytes', () =>
    withCnn(false, async (h, docId, text) => {
      await h.setAnnotator({ name: 'ana' });
      const [quote, source, claim] = await h.createAnnotations({
        docId,
        spans: [
          // Spans around curly quotes and non-breaking spaces, as an analyst selects them.
          { label: 'quote', ...spanOf(text, '“capitalize” on\u00a0the') },
          { label: 'source', ...spanOf(text, 'Antony Blinken') },
          { label: 'claim', ...spanOf(text, 'Sinwar’s death') },
        ],
      });
      await h.updateAnnotation({ docId, annotationId: quote!.id, changes: { attributes: { speaker: 'Blinken' }, note: 'check the “readout”' } });
      await h.createRelation({ docId, type: 'attributed-to', from: quote!.id, to: source!.id });
      await h.setAnnotator({ name: 'bo' });
      await h.createAnnotations({ docId, spans: [{ label: 'claim', ...spanOf(text, 'Sinwar’s death') }] });
      await h.setReview({ docId, annotationId: claim!.id, verdict: 'needs-change', comment: 'too short' });

      const read = await h.openDocument({ docId, withDocument: true });
      expect(read.document).toEqual(await h.getDocument({ docId }));
      const listed = await h.listAnnotations({ docId });
      expect(listed).toHaveLength(4);
      expect(unpackAnnotations(read.annotations, text)).toEqual(listed);
      expect(read.relations).toEqual(await h.listRelations({ docId }));
      expect(read.orphans).toEqual(await h.listOrphans({ docId }));
      expect(read.reviews).toEqual(await h.listReviews({ docId }));
      expect(read.reviews).toHaveLength(1);
      // The quotes are not sent: the text gives them back.
      expect(JSON.stringify(read.annotations)).not.toContain('capitalize');

      // Without the document: the lists alone (a reload after a change).
      expect((await h.openDocument({ docId, withDocument: false })).document).toBeNull();
    }));

  it('shows a blind annotator only their own layer, as listAnnotations does', () =>
    withCnn(true, async (h, docId, text) => {
      await h.setAnnotator({ name: 'ana' });
      await h.createAnnotations({ docId, spans: [{ label: 'source', ...spanOf(text, 'Antony Blinken') }] });
      await h.setAnnotator({ name: 'bo' });
      await h.createAnnotations({ docId, spans: [{ label: 'claim', ...spanOf(text, 'Sinwar’s death') }] });
      const read = await h.openDocument({ docId, withDocument: false });
      const shown = unpackAnnotations(read.annotations, text);
      expect(shown.map((a) => a.annotator)).toEqual(['bo']);
      expect(shown).toEqual(await h.listAnnotations({ docId }));
    }));
});

describe('packAnnotations / unpackAnnotations', () => {
  const base = (over: Partial<Annotation>): Annotation => {
    const { start, end } = spanOf(CNN, 'Antony Blinken');
    return { id: 'a1', docId: 'd1', annotator: 'ana', label: 'source', start, end, quote: quoteAt(CNN, start, end), attributes: {}, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', ...over };
  };

  it('keeps a quote the text does not give back (an imported annotation whose quote was kept as given)', () => {
    const kept = base({ id: 'a2', quote: { exact: 'Antony  Blinken', prefix: 'State ', suffix: ' on' } });
    const withNorms = base({ id: 'a3', norms: [{ resource: 'wikidata', id: 'Q1', text: 'Blinken' }], note: '' });
    const other = base({ id: 'a4', docId: 'd2' });
    const packed = packAnnotations('d1', CNN, [base({}), kept, withNorms, other]);
    expect(unpackAnnotations(packed, CNN)).toEqual([base({}), kept, withNorms, other]);
    expect(Object.keys(packed.extras)).toEqual(['1', '2', '3']);
    // Names, labels and timestamps are listed once.
    expect(packed.strings).toEqual(['ana', 'source', '2026-01-01T00:00:00.000Z']);
  });

  it('refuses a pack whose parts do not fit, naming what is wrong', () => {
    const packed = packAnnotations('d1', CNN, [base({})]);
    expect(() => unpackAnnotations({ ...packed, numbers: packed.numbers.slice(1) }, CNN)).toThrow(/numbers holds 5 values, not 6 for each of 1 ids/);
    expect(() => unpackAnnotations({ ...packed, strings: [] }, CNN)).toThrow(/the annotator of a1 points at no string/);
  });
});
