import { describe, expect, it } from 'vitest';
import { quoteAt } from '../../shared/anchoring';
import { compareLayers } from '../../shared/compare';
import type { Annotation } from '../../shared/model';

const TEXT = 'Blinken said the talks were productive, an official told Reuters. Hamas denied it on Monday.';
let n = 0;
function ann(annotator: string, label: string, needle: string, attributes: Annotation['attributes'] = {}, text = TEXT): Annotation {
  const start = text.indexOf(needle);
  if (start < 0) throw new Error(needle);
  const end = start + needle.length;
  return { id: `a${++n}`, docId: '0123456789abcdef', annotator, label, start, end, quote: quoteAt(text, start, end), attributes, createdAt: 't', updatedAt: 't' };
}

describe('compareLayers (pure)', () => {
  it('gives each status, sorted by start, with attribute differences on agreed items', () => {
    const a = [
      ann('ana', 'source', 'Blinken', { kind: 'person' }),
      ann('ana', 'quote', 'the talks were productive'),
      ann('ana', 'claim', 'Hamas denied it'),
      ann('ana', 'event', 'Monday'),
    ];
    const b = [
      ann('bo', 'source', 'Blinken', { kind: 'official' }),
      ann('bo', 'claim', 'the talks were productive'),
      ann('bo', 'claim', 'Hamas denied it on Monday'),
    ];
    const c = compareLayers(TEXT, [{ annotator: 'ana', annotations: a }, { annotator: 'bo', annotations: b }], []);
    expect(c.annotators).toEqual(['ana', 'bo']);
    expect(c.items.map((i) => [i.status, TEXT.slice(i.start, i.end)])).toEqual([
      ['agreed', 'Blinken'],
      ['label-conflict', 'the talks were productive'],
      ['boundary-conflict', 'Hamas denied it on Monday'],
      ['only-one', 'Monday'],
    ]);
    expect(c.items[0]!.attributeDifferences).toEqual(['kind']);
    expect(c.items[0]!.id).toBe(`0-7-source`);
    expect(Object.keys(c.items[2]!.byAnnotator).sort()).toEqual(['ana', 'bo']);
    expect(c.items.every((i) => !i.resolved && i.gold === null)).toBe(true);
    expect(c.unplaced).toEqual([]);
  });

  it('agreed needs every annotator: with 3, two alike is only-one; all three alike is agreed', () => {
    const layers = [
      { annotator: 'a', annotations: [ann('a', 'claim', 'Hamas denied it'), ann('a', 'source', 'Blinken')] },
      { annotator: 'b', annotations: [ann('b', 'claim', 'Hamas denied it'), ann('b', 'source', 'Blinken')] },
      { annotator: 'c', annotations: [ann('c', 'source', 'Blinken'), ann('c', 'quote', 'Hamas denied it')] },
    ];
    const c = compareLayers(TEXT, layers, []);
    expect(c.items.map((i) => [i.status, Object.keys(i.byAnnotator).sort().join()])).toEqual([
      ['agreed', 'a,b,c'],
      ['label-conflict', 'a,b,c'],
    ]);
    const two = compareLayers(TEXT, layers.map((l) => ({ ...l, annotations: l.annotations.filter((x) => x.label === 'source' || l.annotator !== 'c') })), []);
    expect(two.items.map((i) => i.status)).toEqual(['agreed', 'only-one']);
  });

  it('nested spans of other labels are separate items, not conflicts', () => {
    const a = [ann('ana', 'claim', 'Blinken said the talks were productive'), ann('ana', 'quote', 'the talks were productive')];
    const b = [ann('bo', 'claim', 'Blinken said the talks were productive')];
    const c = compareLayers(TEXT, [{ annotator: 'ana', annotations: a }, { annotator: 'bo', annotations: b }], []);
    expect(c.items.map((i) => [i.status, TEXT.slice(i.start, i.end)])).toEqual([
      ['agreed', 'Blinken said the talks were productive'],
      ['only-one', 'the talks were productive'],
    ]);
  });

  it('each annotator contributes at most one annotation per item, the best overlap', () => {
    const a = [ann('ana', 'claim', 'Hamas denied it on Monday')];
    const b = [ann('bo', 'claim', 'Hamas denied it'), ann('bo', 'claim', 'Hamas denied it on')];
    const c = compareLayers(TEXT, [{ annotator: 'ana', annotations: a }, { annotator: 'bo', annotations: b }], []);
    expect(c.items.map((i) => [i.status, Object.values(i.byAnnotator).map((x) => x.quote.exact).sort()])).toEqual([
      ['boundary-conflict', ['Hamas denied it on', 'Hamas denied it on Monday']],
      ['only-one', ['Hamas denied it']],
    ]);
  });

  it('reports gold matches and rejections as resolved', () => {
    const a = [ann('ana', 'source', 'Blinken'), ann('ana', 'claim', 'Hamas denied it')];
    const b = [ann('bo', 'source', 'Blinken'), ann('bo', 'claim', 'Hamas denied it on Monday')];
    const gold = [ann('gold', 'source', 'Blinken')];
    const first = compareLayers(TEXT, [{ annotator: 'ana', annotations: a }, { annotator: 'bo', annotations: b }], gold);
    const rejectedId = first.items[1]!.id;
    const c = compareLayers(TEXT, [{ annotator: 'ana', annotations: a }, { annotator: 'bo', annotations: b }], gold, [rejectedId]);
    expect(c.items.map((i) => [i.status, i.resolved, i.gold?.id ?? null])).toEqual([
      ['agreed', true, gold[0]!.id],
      ['boundary-conflict', true, null],
    ]);
  });

  it('compares links item to item, whatever ids each layer uses, and finds gold’s link', () => {
    // Layers from brat both call their spans T1, T2 and their relation R1.
    const brat = (annotator: string, quoteNeedle: string) => {
      const quote = { ...ann(annotator, 'quote', quoteNeedle), id: 'T1' };
      const source = { ...ann(annotator, 'source', 'Blinken'), id: 'T2' };
      return { annotator, annotations: [quote, source], relations: [{ id: 'R1', type: 'attributed-to', from: 'T1', to: 'T2', annotator }] };
    };
    const layers = [brat('ana', 'the talks were productive'), brat('bo', 'talks were productive')];
    const c = compareLayers(TEXT, layers, []);
    const [source, quote] = c.items;
    expect(c.links.map((l) => [l.id, l.status, Object.keys(l.byAnnotator)])).toEqual([[`link:${quote!.id}>attributed-to>${source!.id}`, 'agreed', ['ana', 'bo']]]);

    const gold = [ann('gold', 'source', 'Blinken'), ann('gold', 'quote', 'the talks were productive')];
    const goldRelation = { id: 'g1', type: 'attributed-to', from: gold[1]!.id, to: gold[0]!.id, annotator: 'gold' };
    const withGold = compareLayers(TEXT, [layers[0]!, { ...layers[1]!, relations: [] }], gold, [], [goldRelation]);
    expect(withGold.links.map((l) => [l.status, l.gold?.id, l.resolved])).toEqual([['only-one', 'g1', true]]);
  });

  it('re-anchors moved spans and lists what cannot be placed', () => {
    const old = `Intro. ${TEXT}`;
    const moved = ann('ana', 'source', 'Blinken', {}, old);
    const gone = { ...ann('ana', 'claim', 'Hamas denied it'), quote: { exact: 'Nobody said anything like this', prefix: '', suffix: '' } };
    const c = compareLayers(TEXT, [{ annotator: 'ana', annotations: [moved, gone] }, { annotator: 'bo', annotations: [ann('bo', 'source', 'Blinken')] }], []);
    expect(c.items.map((i) => [i.status, i.start, i.end])).toEqual([['agreed', 0, 7]]);
    expect(c.unplaced).toEqual([expect.objectContaining({ annotator: 'ana', label: 'claim', exact: 'Nobody said anything like this' })]);
  });
});
