import { describe, expect, it } from 'vitest';
import type { ExportDocument, ParsedDocument } from '../../shared/formats/dataset';
import type { TagSchema } from '../../shared/model';
import { createLabelStudioExporter, parseLabelStudio } from '../../shared/formats/labelStudio';
import { DOC_ID, TEXT, SCHEMA, ANNOTATIONS, RELATIONS, DOC, DOC2, span, ann, run } from './formatFixtures';



function summary(doc: ParsedDocument) {
  return {
    annotations: doc.annotations.map((a) => ({ id: a.sourceId, label: a.label, start: a.start, end: a.end, attributes: a.attributes, note: a.note, annotator: a.annotator, createdAt: a.createdAt, updatedAt: a.updatedAt, norms: a.norms })),
    relations: doc.relations.map((r) => ({ type: r.type, from: r.from, to: r.to, annotator: r.annotator })),
  };
}

function backToExport(docs: ParsedDocument[], originals: ExportDocument[]): ExportDocument[] {
  return docs.map((d, i) => ({
    id: d.id!,
    title: d.title!,
    text: d.text,
    annotations: d.annotations.map((a) => ({
      ...ann(a.sourceId, a.label, [a.start, a.end], a.annotator!),
      docId: originals[i]!.id,
      attributes: a.attributes,
      createdAt: a.createdAt!,
      updatedAt: a.updatedAt!,
      ...(a.note === undefined ? {} : { note: a.note }),
      ...(a.norms ? { norms: a.norms } : {}),
    })),
    relations: d.relations.map((r, k) => ({ id: originals[i]!.relations![k]!.id, type: r.type, from: r.from, to: r.to, annotator: r.annotator! })),
  }));
}

describe('Label Studio export', () => {
  it('writes a JSON array of tasks, one annotation per annotator, code-point offsets', () => {
    const out = run(createLabelStudioExporter(), [DOC, DOC2], SCHEMA);
    const tasks = JSON.parse(out);
    expect(tasks).toHaveLength(2);
    const task = tasks[0];
    expect(task.id).toBe(DOC_ID);
    expect(task.data).toMatchObject({ text: TEXT, title: DOC.title, docId: DOC_ID });
    // Label Studio's import form for an annotator who is not one of its users: null (the importing user).
    expect(task.annotations.map((a: { completed_by: unknown }) => a.completed_by)).toEqual([null, null]);
    expect(Object.values(task.data.margin.regions).map((r) => (r as { annotator: string }).annotator)).toEqual(['alice', 'alice', 'Bob Smith', 'Bob Smith']);
    const results = task.annotations[0].result;
    // 👍🏽 is two code points: Label Studio (like Python) puts "Blinken" at 3..10, not 5..12.
    expect(results[0]).toEqual({ id: 'a1', from_name: 'label', to_name: 'text', type: 'labels', value: { start: 3, end: 10, text: 'Blinken', labels: ['source'] } });
    expect(results).toContainEqual({ id: 'a1', from_name: 'role', to_name: 'text', type: 'choices', value: { choices: ['official'] } });
    expect(results).toContainEqual({ id: 'a1', from_name: 'note', to_name: 'text', type: 'textarea', value: { text: [ANNOTATIONS[0]!.note] } });
    expect(results).toContainEqual({ id: 'a2', from_name: 'check-worthy', to_name: 'text', type: 'choices', value: { choices: ['true'] } });
    expect(results).toContainEqual({ id: 'a2', from_name: 'confidence', to_name: 'text', type: 'number', value: { number: 0.8 } });
    expect(results).toContainEqual({ id: 'a2', from_name: 'date', to_name: 'text', type: 'datetime', value: { datetime: '2024-10-22' } });
    expect(results).toContainEqual({ id: 'a2', from_name: 'claimant', to_name: 'text', type: 'textarea', value: { text: ['Blinken'] } });
    expect(results).toContainEqual({ type: 'relation', from_id: 'a2', to_id: 'a1', direction: 'right', labels: ['attributed-to'] });
    const bob = task.annotations[1].result;
    expect(bob[0].value).toMatchObject({ start: 11, end: 28, text: '𝒳 said the “deal”' });
    const cps = Array.from(TEXT);
    for (const r of [...results, ...bob].filter((r: { type: string }) => r.type === 'labels')) expect(cps.slice(r.value.start, r.value.end).join('')).toBe(r.value.text);
    expect(tasks[1]).toMatchObject({ id: DOC2.id, annotations: [] });
  });

  it('writes valid JSON for an empty export', () => {
    expect(JSON.parse(run(createLabelStudioExporter(), [], SCHEMA))).toEqual([]);
  });

  it('round-trips attributes of every type, notes, annotators, norms and relations; export → import → export is identical', () => {
    const out = run(createLabelStudioExporter(), [DOC, DOC2], SCHEMA);
    const { documents, problems } = parseLabelStudio({ name: 'ls.json', content: out });
    expect(problems).toEqual([]);
    expect(documents).toHaveLength(2);
    expect(documents[0]!.id).toBe(DOC_ID);
    expect(documents[0]!.title).toBe(DOC.title);
    expect(documents[0]!.text).toBe(TEXT);
    expect(summary(documents[0]!)).toEqual({
      annotations: ANNOTATIONS.map((a) => ({ id: a.id, label: a.label, start: a.start, end: a.end, attributes: a.attributes, note: a.note, annotator: a.annotator, createdAt: a.createdAt, updatedAt: a.updatedAt, norms: a.norms })),
      relations: RELATIONS.map((r) => ({ type: r.type, from: r.from, to: r.to, annotator: r.annotator })),
    });
    expect(documents[0]!.annotations[0]!.line).toBe(2);
    expect(documents[1]!.annotations[0]?.line ?? 3).toBe(3);
    expect(run(createLabelStudioExporter(), backToExport(documents, [DOC, DOC2]), SCHEMA)).toBe(out);
  });

  it('keeps attributes named like the span or note results apart', () => {
    const doc: ExportDocument = { ...DOC, annotations: [ann('z1', 'claim', span(TEXT, 'said'), 'alice', { attributes: { label: 'x', note: 'y' }, note: 'real note' })], relations: [] };
    const { documents } = parseLabelStudio({ name: 'ls.json', content: run(createLabelStudioExporter(), [doc], SCHEMA) });
    expect(documents[0]!.annotations[0]).toMatchObject({ label: 'claim', attributes: { label: 'x', note: 'y' }, note: 'real note' });
  });
});

describe('Label Studio import', () => {
  it("reads a colleague's pretty-printed export: users, multi-label regions, left relations, classifications", () => {
    const tasks = [
      {
        id: 12,
        data: { text: TEXT },
        annotations: [
          {
            id: 1,
            completed_by: { id: 3, email: 'maria@example.org', first_name: 'Maria', last_name: 'Rossi' },
            result: [
              { id: 'r-1', from_name: 'label', to_name: 'text', type: 'labels', value: { start: 3, end: 10, text: 'Blinken', labels: ['PER'] } },
              { id: 'r-2', from_name: 'label', to_name: 'text', type: 'labels', value: { start: 11, end: 12, text: '𝒳', labels: ['MISC', 'SYM'] } },
              { id: 'r-2', from_name: 'tags', to_name: 'text', type: 'taxonomy', value: { taxonomy: [['Science', 'Math']] } },
              { id: 'r-1', from_name: 'score', to_name: 'text', type: 'rating', value: { rating: 4 } },
              { type: 'relation', from_id: 'r-1', to_id: 'r-2', direction: 'left', labels: [] },
              { id: 'c-1', from_name: 'sentiment', to_name: 'text', type: 'choices', value: { choices: ['Positive'] } },
            ],
          },
          { id: 2, completed_by: 5, result: [{ id: 'r-1', from_name: 'label', to_name: 'text', type: 'labels', value: { start: 0, end: 2, labels: ['EMOJI'] } }] },
          { id: 3, completed_by: 6, was_cancelled: true, result: [] },
        ],
      },
    ];
    const { documents, problems } = parseLabelStudio({ name: 'ls.json', content: JSON.stringify(tasks, null, 2) });
    expect(problems).toEqual([]);
    const doc = documents[0]!;
    expect(doc.id).toBe('12');
    expect(doc.annotations.map((a) => [a.sourceId, a.label, a.start, a.end, a.annotator])).toEqual([
      ['r-1', 'PER', 5, 12, 'Maria Rossi'],
      ['r-2', 'MISC', 13, 15, 'Maria Rossi'],
      ['r-2#1', 'SYM', 13, 15, 'Maria Rossi'],
      ['2:r-1', 'EMOJI', 0, 4, 'user 5'],
    ]);
    expect(doc.annotations[1]!.attributes).toEqual({ tags: 'Math' });
    expect(doc.annotations[0]!.attributes).toEqual({ score: 4 });
    expect(doc.relations).toEqual([{ type: 'related', from: 'r-2', to: 'r-1', annotator: 'Maria Rossi', line: 2 }]);
  });

  it('reports malformed tasks with their line and still imports the valid ones', () => {
    const content = [
      '[',
      JSON.stringify({ id: 1, data: { text: 'Alpha beta.' }, annotations: [{ completed_by: 1, result: [{ id: 'a', from_name: 'label', to_name: 'text', type: 'labels', value: { start: 0, end: 5, labels: ['A'] } }] }] }) + ',',
      '{"id": 2, "data": {"text": "broken"}, "annotations": [ },',
      JSON.stringify({ id: 3, annotations: [] }) + ',',
      JSON.stringify({
        id: 4,
        data: { text: 'short' },
        annotations: [
          {
            completed_by: 1,
            result: [
              { id: 'x', from_name: 'label', to_name: 'text', type: 'labels', value: { start: 0, end: 99, labels: ['A'] } },
              { id: 'y', from_name: 'label', to_name: 'text', type: 'labels', value: { start: 0, end: 5, labels: [] } },
              { id: 'z', from_name: 'label', to_name: 'text', type: 'labels', value: { start: 0, end: 5, labels: ['B'] } },
              { type: 'relation', from_id: 'z', to_id: 'x', labels: ['r'] },
            ],
          },
        ],
      }) + ',',
      '42,',
      JSON.stringify({ id: 5, data: { text: 'Fine.' }, annotations: [] }),
      ']',
    ].join('\n');
    const { documents, problems } = parseLabelStudio({ name: 'bad.json', content });
    expect(documents.map((d) => d.id)).toEqual(['1', '4', '5']);
    expect(documents[1]!.annotations.map((a) => a.label)).toEqual(['B']);
    expect(problems.map((p) => p.line)).toEqual([3, 4, 5, 5, 5, 6]);
    expect(problems[0]!.reason).toMatch(/not valid JSON/);
    expect(problems[1]!.reason).toMatch(/no "data"/);
    expect(problems[2]!.reason).toMatch(/outside the text/);
    expect(problems[3]!.reason).toMatch(/no label/);
    expect(problems[4]!.reason).toMatch(/not in this annotation/);
    expect(problems[5]!.reason).toMatch(/not a JSON object/);
  });

  it('reads JSON lines and single tasks, and never throws on files in the wrong format', () => {
    const task = { data: { text: 'Hi there' }, annotations: [{ completed_by: 'kim', result: [{ id: 'q', from_name: 'label', to_name: 'text', type: 'labels', value: { start: 0, end: 2, labels: ['G'] } }] }] };
    expect(parseLabelStudio({ name: 'a.jsonl', content: `${JSON.stringify(task)}\nnope\n${JSON.stringify(task)}\n` })).toMatchObject({ documents: [{ text: 'Hi there' }, { text: 'Hi there' }], problems: [{ line: 2 }] });
    expect(parseLabelStudio({ name: 'a.json', content: JSON.stringify(task) }).documents[0]!.annotations[0]).toMatchObject({ annotator: 'kim', label: 'G' });
    for (const content of ['', '<html></html>', 'T1\tPER 0 5\tBiden', '"text"', '[', '{"text": "doccano", "label": []}']) {
      const result = parseLabelStudio({ name: 'wrong.txt', content });
      expect(result.documents).toEqual([]);
      expect(result.problems.length).toBeGreaterThan(0);
    }
  });

  it('names apart one attribute name given two kinds by two labels, gives every result a control in the labeling config, and reads both back', () => {
    const schema: TagSchema = {
      labels: [
        { name: 'event', color: '#1e7d45', key: '3', attributes: [{ name: 'type', type: 'choice', values: ['meeting', 'attack'] }] },
        { name: 'claim', color: '#c0392b', key: '1', attributes: [{ name: 'type', type: 'text' }, { name: 'text', type: 'text' }] },
      ],
      relations: [],
    };
    const text = 'Talks in Doha were “productive”, officials said.';
    const doc: ExportDocument = {
      id: DOC_ID,
      title: 'Doha',
      text,
      annotations: [
        { ...ann('e1', 'event', span(text, 'Talks in Doha'), 'alice'), attributes: { type: 'meeting', mood: 'calm' } },
        { ...ann('c1', 'claim', span(text, 'were “productive”'), 'alice'), attributes: { type: 'optimistic', text: 'a claim' } },
      ],
      relations: [],
    };
    const exporter = createLabelStudioExporter();
    const out = run(exporter, [doc], schema);
    const results = (JSON.parse(out) as { annotations: { result: { id: string; from_name: string; type: string }[] }[] }[])[0]!.annotations[0]!.result;
    expect(results.filter((r) => r.type !== 'labels').map((r) => [r.id, r.from_name, r.type])).toEqual([
      ['e1', 'type (event)', 'choices'],
      ['e1', 'mood', 'textarea'],
      ['c1', 'type (claim)', 'textarea'],
      ['c1', 'attribute:text', 'textarea'],
    ]);
    if (exporter.kind !== 'single' || !exporter.beside) throw new Error('Label Studio writes its labeling config beside the tasks');
    const config = exporter.beside.files({ schema, total: 1, options: {} })[0]!.content;
    expect(config).toContain('<Choices name="type (event)" toName="text" perRegion="true" choice="single" showInline="true">');
    expect(config).toContain('<TextArea name="type (claim)" toName="text" perRegion="true"');
    expect(config).toContain('<TextArea name="attribute:text" toName="text" perRegion="true"');
    // An attribute the schema lacks gets a control of the kind its results have.
    expect(config).toMatch(/<View visibleWhen="region-selected" whenLabelValue="event">[\s\S]*<TextArea name="mood"/);
    const back = parseLabelStudio({ name: 'ls.json', content: out }).documents[0]!;
    expect(back.annotations.map((a) => a.attributes)).toEqual([{ type: 'meeting', mood: 'calm' }, { type: 'optimistic', text: 'a claim' }]);
  });
});
