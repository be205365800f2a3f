import { describe, expect, it } from 'vitest';
import { createDoccanoExporter, doccanoVariant, parseDoccano } from '../../shared/formats/doccano';
import type { TagSchema } from '../../shared/model';
import { DOC_ID, TEXT, SCHEMA, ANNOTATIONS, RELATIONS, DOC, DOC2, ann, run } from './formatFixtures';


function expectRoundTrip(schema: TagSchema): void {
  const out = run(createDoccanoExporter(), [DOC, DOC2], schema);
  const { documents, problems } = parseDoccano({ name: 'x.jsonl', content: out });
  expect(problems).toEqual([]);
  expect(documents).toHaveLength(2);
  const doc = documents[0]!;
  expect(doc.id).toBe(DOC_ID);
  expect(doc.title).toBe(DOC.title);
  expect(doc.text).toBe(TEXT);
  expect(doc.annotations.map((a) => ({ id: a.sourceId, label: a.label, start: a.start, end: a.end, attributes: a.attributes, note: a.note, annotator: a.annotator, createdAt: a.createdAt, updatedAt: a.updatedAt, norms: a.norms }))).toEqual(
    ANNOTATIONS.map((a) => ({ id: a.id, label: a.label, start: a.start, end: a.end, attributes: a.attributes, note: a.note, annotator: a.annotator, createdAt: a.createdAt, updatedAt: a.updatedAt, norms: a.norms })),
  );
  expect(doc.relations.map((r) => ({ type: r.type, from: r.from, to: r.to, annotator: r.annotator }))).toEqual(RELATIONS.map((r) => ({ type: r.type, from: r.from, to: r.to, annotator: r.annotator })));
  expect(documents[1]!.annotations).toEqual([]);
  // Export → import → export is identical.
  const again = run(
    createDoccanoExporter(),
    documents.map((d, i) => ({
      id: d.id!,
      title: d.title!,
      text: d.text,
      annotations: d.annotations.map((a) => ({ ...ann(a.sourceId, a.label, [a.start, a.end], a.annotator!), attributes: a.attributes, createdAt: a.createdAt!, updatedAt: a.updatedAt!, ...(a.note === undefined ? {} : { note: a.note }), ...(a.norms ? { norms: a.norms } : {}), docId: [DOC_ID, DOC2.id][i]! })),
      relations: d.relations.map((r, k) => ({ id: [DOC, DOC2][i]!.relations![k]!.id, type: r.type, from: r.from, to: r.to, annotator: r.annotator! })),
    })),
    schema,
  );
  expect(again).toBe(out);
}

describe('doccano export', () => {
  it('writes the entities/relations variant when the schema has relation types, with code-point offsets', () => {
    expect(doccanoVariant(SCHEMA)).toBe('entities-relations');
    const out = run(createDoccanoExporter(), [DOC, DOC2], SCHEMA);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const line = JSON.parse(lines[0]!);
    expect(line.id).toBe(DOC_ID);
    expect(line.text).toBe(TEXT);
    expect(line.label).toBeUndefined();
    // 👍🏽 is two code points (four UTF-16 units): Blinken starts at code point 3, not 5.
    expect(line.entities[0]).toEqual({ id: 1, label: 'source', start_offset: 3, end_offset: 10 });
    expect(line.entities[2]).toMatchObject({ start_offset: 11 });
    const cps = Array.from(TEXT);
    for (const e of line.entities) expect(cps.slice(e.start_offset, e.end_offset).join('')).toBe(TEXT.slice(ANNOTATIONS[e.id - 1]!.start, ANNOTATIONS[e.id - 1]!.end));
    expect(line.relations).toEqual([
      { id: 1, from_id: 2, to_id: 1, type: 'attributed-to' },
      { id: 2, from_id: 3, to_id: 4, type: 'attributed-to' },
    ]);
    expect(line.margin.annotations[0]).toMatchObject({ index: 0, id: 'a1', annotator: 'alice', attributes: { role: 'official' } });
    expect(JSON.parse(lines[1]!)).toMatchObject({ id: DOC2.id, entities: [], relations: [] });
  });

  it('writes the sequence-labeling variant when the schema has no relation types', () => {
    const schema = { ...SCHEMA, relations: [] };
    expect(doccanoVariant(schema)).toBe('labels');
    const line = JSON.parse(run(createDoccanoExporter(), [DOC], schema).split('\n')[0]!);
    expect(line.entities).toBeUndefined();
    expect(line.label[0]).toEqual([3, 10, 'source']);
    expect(line.label[2]).toEqual([11, 28, 'claim']);
  });

  it('round-trips attributes of every type, notes, annotators, norms and relations (both variants)', () => {
    expectRoundTrip(SCHEMA);
    expectRoundTrip({ ...SCHEMA, relations: [] });
  });
});

describe('doccano import', () => {
  it('reads files written by doccano itself, older spellings included, converting code points to UTF-16', () => {
    const content = [
      JSON.stringify({ id: 7, text: TEXT, label: [[3, 10, 'PER']] }),
      JSON.stringify({ id: 8, data: TEXT, labels: [[11, 12, 'MATH']] }),
      JSON.stringify({ id: 9, text: TEXT, entities: [{ id: 40, label: 'PER', start_offset: 3, end_offset: 10 }, { id: 41, label: 'X', start_offset: 11, end_offset: 12 }], relations: [{ id: 1, from_id: 41, to_id: 40, type: 'near' }] }),
      JSON.stringify({ id: 10, text: 'Biden spoke.', annotations: [{ label: 'PER', start_offset: 0, end_offset: 5, user: 2 }] }),
    ].join('\r\n');
    const { documents, problems } = parseDoccano({ name: 'colleague.jsonl', content });
    expect(problems).toEqual([]);
    expect(documents.map((d) => d.id)).toEqual(['7', '8', '9', '10']);
    const [a, b, c, d] = documents;
    expect(a!.annotations[0]).toMatchObject({ label: 'PER', start: 5, end: 12, quote: { exact: 'Blinken' }, line: 1 });
    expect(b!.text).toBe(TEXT);
    expect(b!.annotations[0]).toMatchObject({ label: 'MATH', start: 13, end: 15, quote: { exact: '𝒳' } });
    expect(c!.relations).toEqual([{ type: 'near', from: '41', to: '40', line: 3 }]);
    expect(d!.annotations[0]).toMatchObject({ annotator: 'user 2', start: 0, end: 5 });
  });

  it('reports malformed lines by number and still imports the valid ones', () => {
    const content = [
      JSON.stringify({ id: 1, text: 'Alpha beta.', label: [[0, 5, 'A']] }),
      '{"id": 2, "text": "broken',
      JSON.stringify({ id: 3, label: [[0, 1, 'A']] }),
      JSON.stringify({ id: 4, text: 'short', label: [[0, 50, 'A'], [0, 5, 'B'], [3, 1, 'C'], [0, 2], [1, 2, '']] }),
      '',
      '[1, 2, 3]',
      JSON.stringify({ id: 5, text: 'x y', entities: [{ id: 1, label: 'A', start_offset: 0, end_offset: 1 }], relations: [{ id: 1, from_id: 1, to_id: 99, type: 'r' }] }),
      JSON.stringify({ id: 6, text: 'Valid again.', label: [] }),
    ].join('\n');
    const { documents, problems } = parseDoccano({ name: 'bad.jsonl', content });
    expect(documents.map((d) => d.id)).toEqual(['1', '4', '5', '6']);
    expect(documents[1]!.annotations.map((a) => a.label)).toEqual(['B']);
    expect(documents[2]!.relations).toEqual([]);
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4, 4, 4, 4, 6, 7]);
    expect(problems[0]!.reason).toMatch(/not valid JSON/);
    expect(problems[1]!.reason).toMatch(/no "text"/);
    expect(problems[2]!.reason).toMatch(/outside the text/);
    expect(problems[3]!.reason).toMatch(/not a span/);
    expect(problems[4]!.reason).toMatch(/not \[start, end, "LABEL"\]/);
    expect(problems[5]!.reason).toMatch(/label must be/);
    expect(problems[6]!.reason).toMatch(/not a JSON object/);
    expect(problems[7]!.reason).toMatch(/not in this line/);
  });

  it('never throws on files in the wrong format', () => {
    for (const content of ['', '<html></html>', 'T1\tPER 0 5\tBiden', '[{"data": {"text": "x"}}]', '\uFEFF', 'null', '{"text": 5}']) {
      const result = parseDoccano({ name: 'wrong.txt', content });
      expect(result.documents).toEqual([]);
      expect(result.problems.length).toBeGreaterThan(0);
    }
  });
});
