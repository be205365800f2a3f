import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv, { type ValidateFunction } from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { quoteAt } from '../../shared/anchoring';
import type { ExportContext, ExportDocument, Exporter } from '../../shared/formats/dataset';
import { annotationIri, createW3cExporter, parseAnnotationIri, parseW3c, w3cExporter } from '../../shared/formats/w3c';
import { defaultSchema } from '../../shared/defaultSchema';
import type { Annotation, AttributeValue, Relation } from '../../shared/model';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SUITE = path.resolve(REPO_ROOT, '..', 'shared', 'conformance', 'w3c-web-annotation');

// ---------------------------------------------------------------------------------------------
// A rich dataset: two documents (one with astral characters before and inside spans), overlapping
// and nested spans, every attribute type, notes, norms, relations, two annotators.

const DOC_A = 'aaaaaaaaaaaaaaa1';
const DOC_B = 'bbbbbbbbbbbbbbb2';
const TEXT_A =
  '👍🏽 Reactions poured in. 𝒳 Minister Jane Doe said: “We will cut taxes by 2025,” adding that 🇫🇷 France agreed.\nCritics said the plan “cannot work”.';
const TEXT_B = 'Plain text about the storm. Officials said 40 homes were damaged on Tuesday in the coastal town.';

let seq = 0;
function ann(docId: string, text: string, annotator: string, label: string, exact: string, attributes: Record<string, AttributeValue>, extra: Partial<Annotation> = {}): Annotation {
  const start = text.indexOf(exact);
  if (start < 0) throw new Error(`no "${exact}"`);
  const end = start + exact.length;
  seq++;
  return {
    id: `ann-${seq}`,
    docId,
    annotator,
    label,
    start,
    end,
    quote: quoteAt(text, start, end),
    attributes,
    createdAt: `2024-08-19T11:${String(10 + seq).padStart(2, '0')}:00.000Z`,
    updatedAt: `2024-08-20T09:${String(10 + seq).padStart(2, '0')}:30.500Z`,
    ...extra,
  };
}

function dataset(): ExportDocument[] {
  seq = 0;
  const claim = ann(DOC_A, TEXT_A, 'alice', 'claim', 'Minister Jane Doe said: “We will cut taxes by 2025,”', { claimant: 'Jane Doe', 'check-worthy': true }, { note: 'Check the budget.\nTwo lines, "quotes", 👍🏽.' });
  const quote = ann(DOC_A, TEXT_A, 'alice', 'quote', '“We will cut taxes by 2025,”', { speaker: 'Jane Doe', kind: 'direct' }); // nested in claim
  const event = ann(DOC_A, TEXT_A, 'alice', 'event', 'taxes by 2025,” adding that 🇫🇷 France', { type: 'policy', date: '2025-01-01', place: ['France', 'EU'], confidence: 0.75, count: 3, flagged: false }); // overlaps both
  const emoji = ann(DOC_A, TEXT_A, 'alice', 'event', '👍🏽', {}, { norms: [{ resource: 'Wikidata', id: 'Q1', text: 'thumbs' }] }); // at the very start
  const bob1 = ann(DOC_A, TEXT_A, 'bob', 'claim', 'the plan “cannot work”', { claimant: 'Critics', 'check-worthy': false }, { note: '' });
  const bob2 = ann(DOC_A, TEXT_A, 'bob', 'quote', '“cannot work”', { speaker: 'Critics', tags: [] });
  const b1 = ann(DOC_B, TEXT_B, 'bob', 'event', 'Officials said 40 homes were damaged on Tuesday', { type: 'storm', date: 'Tuesday', place: [] });
  const b2 = ann(DOC_B, TEXT_B, 'bob', 'claim', '40 homes were damaged', { claimant: 'Officials', 'check-worthy': true, number: -1.5e3 });
  const relations: Relation[] = [
    { id: 'rel-1', type: 'attributed-to', from: quote.id, to: claim.id, annotator: 'alice' },
    { id: 'rel-2', type: 'attributed-to', from: bob2.id, to: bob1.id, annotator: 'bob' },
  ];
  return [
    { id: DOC_A, title: 'Taxes 👍🏽', text: TEXT_A, meta: { outlet: 'Wire' }, annotations: [claim, quote, event, emoji, bob1, bob2], relations },
    { id: DOC_B, title: 'Storm', text: TEXT_B, annotations: [b1, b2], relations: [{ id: 'rel-3', type: 'attributed-to', from: b2.id, to: b1.id, annotator: 'bob' }] },
    { id: 'ccccccccccccccc3', title: 'Nothing tagged', text: 'No annotations here.', annotations: [] },
  ];
}

function runExport(docs: ExportDocument[], exporter: Exporter = createW3cExporter({ id: 'urn:margin:export:test', label: 'Test export' })): string {
  if (exporter.kind !== 'single') throw new Error('w3c is a single-file format');
  const base: Omit<ExportContext, 'index'> = { schema: defaultSchema, total: docs.length, options: {} };
  let out = exporter.begin(base);
  docs.forEach((doc, index) => {
    out += exporter.document(doc, { ...base, index });
  });
  return out + exporter.end(base);
}

type Item = Record<string, unknown> & { id: string };
function itemsOf(exported: string): Item[] {
  const json = JSON.parse(exported) as { first: { items: Item[] } };
  return json.first.items;
}

// ---------------------------------------------------------------------------------------------
// The W3C test suite's assertions, with Ajv's draft-04 support.

// RFC 3986 URI (scheme required) and RFC 3339 date-time: the two formats the suite uses.
const URI = /^[a-z][a-z0-9+.-]*:(?:[a-z0-9\-._~!$&'()*+,;=:@/?#[\]]|%[0-9a-f]{2})*$/i;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)(?:[Zz]|[+-]\d{2}:\d{2})$/;

function loadAssertions(): { name: string; validate: ValidateFunction }[] {
  const ajv = new Ajv({ allErrors: false, strict: false });
  ajv.addFormat('uri', (s: string) => URI.test(s));
  ajv.addFormat('date-time', (s: string) => DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)));
  for (const file of ['annotations.json', 'bodyTarget.json', 'choiceSet.json', 'collections.json', 'id.json', 'otherProperties.json', 'specificResource.json']) {
    const schema = JSON.parse(readFileSync(path.join(SUITE, 'definitions', file), 'utf8')) as { id: string };
    ajv.addSchema(schema, schema.id);
  }
  const musts = JSON.parse(readFileSync(path.join(SUITE, 'annotations', 'annotationMusts.test'), 'utf8')) as { assertions: string[] };
  expect(musts.assertions.length).toBeGreaterThan(50);
  return musts.assertions.map((name) => {
    const schema = JSON.parse(readFileSync(path.join(SUITE, name), 'utf8')) as { assertionType?: string; expectedResult?: string };
    // Every assertion in the "musts" list expects a conforming annotation to be valid.
    expect(schema.expectedResult ?? 'valid', name).toBe('valid');
    return { name, validate: ajv.compile(schema) };
  });
}

/** Throws on the first violation, naming the assertion and the annotation. */
function assertConforms(items: Item[], assertions: { name: string; validate: ValidateFunction }[]): number {
  let checks = 0;
  for (const item of items) {
    for (const { name, validate } of assertions) {
      checks++;
      const id = item.id;
      if (!validate(item)) {
        throw new Error(`annotation ${id} violates ${name}: ${JSON.stringify(validate.errors)}\n${JSON.stringify(item, null, 2)}`);
      }
    }
  }
  return checks;
}

describe('w3c export: conformance with the W3C Web Annotation test suite (annotationMusts)', () => {
  const assertions = loadAssertions();

  it('every annotation item, links included, passes every "must" assertion', () => {
    const items = itemsOf(runExport(dataset()));
    expect(items.length).toBe(8 + 3);
    expect(items.filter((i) => i.motivation === 'linking')).toHaveLength(3);
    expect(assertConforms(items, assertions)).toBe(items.length * assertions.length);
  });

  it('the harness is not vacuous: it rejects broken annotations', () => {
    const item = itemsOf(runExport(dataset()))[0]!;
    const broken: [string, Record<string, unknown>][] = [
      ['no @context', { ...item, '@context': undefined }],
      ['not an IRI', { ...item, id: 'not an iri' }],
      ['bad created', { ...item, created: 'yesterday' }],
      ['no target', { ...item, target: undefined }],
      ['negative position', { ...item, target: { source: 'urn:x:y', selector: { type: 'TextPositionSelector', start: -1, end: 2 } } }],
      ['body and bodyValue', { ...item, bodyValue: 'x' }],
    ];
    for (const [what, bad] of broken) {
      const clean = JSON.parse(JSON.stringify(bad)) as Item;
      expect(() => assertConforms([clean], assertions), what).toThrow(/violates/);
    }
  });

  it('the harness accepts the suite\'s own correct sample annotations', () => {
    // anno11-13 have Composite, List and Independents targets, which the suite's own
    // 3.2-targetObjectsRecognized schema does not recognise (it knows only Choice): excluded.
    const schemaGaps = new Set(['anno11.json', 'anno12.json', 'anno13.json']);
    const dir = path.join(SUITE, 'tools', 'samples', 'correct');
    const samples = readdirSync(dir)
      .filter((n) => n.endsWith('.json') && !schemaGaps.has(n))
      .map((name) => ({ name, sample: JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as Item }))
      .filter(({ sample }) => sample.type === 'Annotation');
    expect(samples.length).toBeGreaterThan(30);
    for (const { name, sample } of samples) expect(() => assertConforms([sample], assertions), name).not.toThrow();
  });

  it('parseW3c reads every correct sample of the suite without throwing', () => {
    const dir = path.join(SUITE, 'tools', 'samples', 'correct');
    for (const name of readdirSync(dir)) {
      const result = parseW3c({ name, content: readFileSync(path.join(dir, name), 'utf8') });
      expect(Array.isArray(result.problems), name).toBe(true);
    }
  });

  it('the collection is one AnnotationCollection with an embedded page and a correct total', () => {
    const exported = runExport(dataset());
    const json = JSON.parse(exported) as Record<string, unknown> & { first: Record<string, unknown> & { items: Item[] } };
    expect(json['@context']).toContain('http://www.w3.org/ns/anno.jsonld');
    expect(json.type).toBe('AnnotationCollection');
    expect(json.id).toBe('urn:margin:export:test');
    expect(json.label).toBe('Test export');
    expect(json.first.type).toBe('AnnotationPage');
    expect(json.total).toBe(json.first.items.length);
    // Streaming: a run with empty documents first and in between still gives valid JSON.
    const docs = dataset();
    const empty = docs[2]!;
    const again = JSON.parse(runExport([empty, docs[0]!, empty, docs[1]!, empty], w3cExporter)) as { total: number; first: { items: unknown[] } };
    expect(again.total).toBe(11);
    expect(again.first.items).toHaveLength(11);
    const none = JSON.parse(runExport([empty], w3cExporter)) as { total: number; first: { items: unknown[] } };
    expect(none).toMatchObject({ total: 0, first: { items: [] } });
  });
});

describe('w3c export: offsets', () => {
  it('TextPositionSelector counts code points: [...text].slice(start, end) is the exact quote', () => {
    const docs = dataset();
    const texts = new Map(docs.map((d) => [d.id, d.text]));
    const byIri = new Map(docs.flatMap((d) => d.annotations.map((a) => [annotationIri(d.id, a.id), a] as const)));
    let astral = 0;
    for (const item of itemsOf(runExport(docs))) {
      if (item.motivation === 'linking') continue;
      const target = item.target as { source: string; selector: { type: string; exact?: string; start?: number; end?: number }[] };
      const text = texts.get(target.source.replace('urn:margin:doc:', ''))!;
      const quote = target.selector.find((s) => s.type === 'TextQuoteSelector')!;
      const position = target.selector.find((s) => s.type === 'TextPositionSelector')!;
      expect([...text].slice(position.start, position.end).join('')).toBe(quote.exact);
      const original = byIri.get(item.id)!;
      expect(quote.exact).toBe(text.slice(original.start, original.end));
      if (position.start !== original.start) astral++;
    }
    // The spans after 👍🏽 and 𝒳 really do have code-point offsets different from UTF-16.
    expect(astral).toBeGreaterThanOrEqual(5);
  });
});

describe('w3c round trip: export -> parseW3c', () => {
  it('gives back every annotation (label, offsets, typed attributes, note, norms, annotator, times) and relation', () => {
    const docs = dataset();
    const { documents, problems } = parseW3c({ name: 'export.jsonld', content: runExport(docs) });
    expect(problems).toEqual([]);
    const exported = docs.filter((d) => d.annotations.length > 0);
    expect(documents).toHaveLength(exported.length);
    for (const [i, original] of exported.entries()) {
      const parsed = documents[i]!;
      expect(parsed.id).toBe(original.id);
      expect(parsed.title).toBe(original.title);
      expect(parsed.text).toBe(original.text);
      const annotations = parsed.annotations;
      expect(annotations).toHaveLength(original.annotations.length);
      for (const [j, a] of original.annotations.entries()) {
        const p = annotations[j]!;
        expect(parseAnnotationIri(p.sourceId)).toEqual({ docId: original.id, annotationId: a.id });
        expect(p.label).toBe(a.label);
        expect([p.start, p.end]).toEqual([a.start, a.end]);
        expect(p.quote).toEqual(a.quote);
        expect(p.attributes).toStrictEqual(a.attributes);
        expect(p.note).toBe(a.note);
        expect(p.norms).toEqual(a.norms);
        expect(p.annotator).toBe(a.annotator);
        expect(p.createdAt).toBe(a.createdAt);
        expect(p.updatedAt).toBe(a.updatedAt);
      }
      const idOf = (sourceId: string) => parseAnnotationIri(sourceId)!.annotationId;
      expect(parsed.relations.map((r) => ({ type: r.type, from: idOf(r.from), to: idOf(r.to), annotator: r.annotator }))).toEqual(
        (original.relations ?? []).map((r) => ({ type: r.type, from: r.from, to: r.to, annotator: r.annotator })),
      );
      // Relations name annotations by the sourceIds the parsed annotations carry.
      const ids = new Set(annotations.map((a) => a.sourceId));
      for (const r of parsed.relations) expect(ids.has(r.from) && ids.has(r.to)).toBe(true);
    }
    expect(documents[0]!.annotator).toBeUndefined(); // two annotators
    expect(documents[1]!.annotator).toBe('bob');
  });

  it('export -> parse -> export again gives identical output', () => {
    const docs = dataset();
    const first = runExport(docs);
    const { documents } = parseW3c({ name: 'export.jsonld', content: first });
    const rebuilt: ExportDocument[] = documents.map((d) => {
      const annotations = d.annotations.map((p) => {
        const ids = parseAnnotationIri(p.sourceId)!;
        const a: Annotation = {
          id: ids.annotationId,
          docId: d.id!,
          annotator: p.annotator!,
          label: p.label,
          start: p.start,
          end: p.end,
          quote: { exact: p.quote!.exact!, prefix: p.quote!.prefix!, suffix: p.quote!.suffix! },
          attributes: p.attributes,
          createdAt: p.createdAt!,
          updatedAt: p.updatedAt!,
        };
        if (p.note !== undefined) a.note = p.note;
        if (p.norms) a.norms = p.norms;
        return a;
      });
      const relations = docs.find((o) => o.id === d.id)!.relations;
      return { id: d.id!, title: d.title!, text: d.text, meta: docs.find((o) => o.id === d.id)!.meta, annotations, relations };
    });
    expect(runExport(rebuilt)).toBe(runExport(docs.filter((d) => d.annotations.length > 0)));
  });
});

describe('parseW3c: other tools and bad input', () => {
  const TEXT = 'x👍🏽 Hello 𝒳 world';

  it('reads a plain single Annotation, an array and a page from another tool', () => {
    const anno = {
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      id: 'http://example.org/anno1',
      type: 'Annotation',
      creator: 'http://example.org/user/kim',
      body: [
        { type: 'TextualBody', purpose: 'tagging', value: 'claim' },
        { type: 'TextualBody', purpose: 'describing', value: 'speaker=Kim' },
        { type: 'TextualBody', value: 'a comment', purpose: 'commenting' },
      ],
      target: { source: 'http://example.org/page', selector: [{ type: 'TextPositionSelector', start: 12, end: 17 }, { type: 'TextQuoteSelector', exact: 'world' }] },
    };
    const single = parseW3c({ name: 'one.json', content: JSON.stringify(anno), text: TEXT });
    expect(single.problems).toEqual([]);
    const a = single.documents[0]!.annotations[0]!;
    expect(single.documents[0]!.id).toBe('http://example.org/page');
    expect(TEXT.slice(a.start, a.end)).toBe('world');
    expect(a).toMatchObject({ label: 'claim', attributes: { speaker: 'Kim' }, note: 'a comment', annotator: 'http://example.org/user/kim', quote: { exact: 'world' } });

    const named = { ...anno, id: 'http://example.org/anno2', creator: { type: 'Person', name: 'Kim' }, body: { type: 'TextualBody', purpose: 'tagging', value: 'quote' }, target: { source: 'http://example.org/page', selector: { type: 'TextQuoteSelector', exact: 'Hello', prefix: 'x👍🏽 ' } } };
    for (const content of [JSON.stringify([anno, named]), JSON.stringify({ type: 'AnnotationPage', items: [anno, named] })]) {
      const r = parseW3c({ name: 'many.json', content, text: TEXT });
      expect(r.problems).toEqual([]);
      const [, q] = r.documents[0]!.annotations;
      expect(q).toMatchObject({ label: 'quote', annotator: 'Kim' });
      expect(TEXT.slice(q!.start, q!.end)).toBe('Hello');
    }
  });

  it('reports input that is not JSON, without throwing', () => {
    const r = parseW3c({ name: 'bad.jsonld', content: '{"type": "AnnotationCollection", ' });
    expect(r.documents).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.reason).toMatch(/bad\.jsonld is not JSON/);
  });

  it('reports an item without target, a selector outside the text and a non-annotation, keeping the valid items', () => {
    const exported = JSON.parse(runExport(dataset())) as { first: { items: Record<string, unknown>[] } };
    const items = exported.first.items;
    const noTarget = { ...items[1], target: undefined };
    const outside = { ...items[2], target: { source: 'urn:margin:doc:aaaaaaaaaaaaaaa1', selector: [{ type: 'TextPositionSelector', start: 5, end: 100000 }] } };
    const broken = [items[0], noTarget, outside, { type: 'Comment', id: 'urn:x:1' }, 42, ...items.slice(3)];
    exported.first.items = broken as Record<string, unknown>[];
    const r = parseW3c({ name: 'broken.jsonld', content: JSON.stringify(exported) });
    const reasons = r.problems.map((p) => p.reason);
    expect(reasons).toHaveLength(5);
    expect(reasons[0]).toMatch(/^item 2 \(urn:margin:aaaaaaaaaaaaaaa1:ann-2\): has no target/);
    expect(reasons[1]).toMatch(/^item 3 \(urn:margin:aaaaaaaaaaaaaaa1:ann-3\): TextPositionSelector 5\.\.100000 is outside the text/);
    expect(reasons[2]).toMatch(/^item 4 \(urn:x:1\): not an Annotation/);
    expect(reasons[3]).toMatch(/^item 5: not a JSON object/);
    // rel-1 linked ann-2, which was dropped: the link is reported too.
    expect(reasons[4]).toMatch(/relation:rel-1\): links urn:margin:aaaaaaaaaaaaaaa1:ann-2 and .* is not an annotation in this file/);
    expect(r.problems.every((p) => p.line === undefined)).toBe(true);
    // Everything else is still there: 8 - 2 span annotations, and the links whose ends survive.
    const all = r.documents.flatMap((d) => d.annotations);
    expect(all).toHaveLength(6);
    expect(r.documents[0]!.text).toBe(TEXT_A);
    const relations = r.documents.flatMap((d) => d.relations);
    expect(relations).toHaveLength(2);
  });

  it('reports a link whose annotation is missing, and a whole-resource target', () => {
    const items = itemsOf(runExport(dataset()));
    const link = items.find((i) => i.motivation === 'linking')!;
    const whole = { ...items[1], target: 'http://example.org/page' };
    const r = parseW3c({ name: 'x.jsonld', content: JSON.stringify([link, whole]) });
    expect(r.problems.map((p) => p.reason)).toEqual([
      expect.stringMatching(/^item 2 .*whole resource/),
      expect.stringMatching(/^item 1 .*is not an annotation in this file/),
    ]);
  });
});
