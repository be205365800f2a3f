import type { ExportContext, ExportDocument, Exporter } from '../../shared/formats/dataset';
import type { Annotation, Relation, TagSchema } from '../../shared/model';

/**
 * A small rich dataset the single-file format tests share: emoji and astral characters before
 * the spans, nested and overlapping spans, every attribute type, notes, links, two annotators.
 */
export const DOC_ID = '0123456789abcdef';
export const TEXT = '👍🏽 Blinken 𝒳 said the “deal” is close, officials say.';

export const SCHEMA: TagSchema = {
  labels: [
    { name: 'source', color: '#111111', key: '1', attributes: [{ name: 'role', type: 'choice', values: ['official', 'expert'] }] },
    {
      name: 'claim',
      color: '#222222',
      key: '2',
      attributes: [
        { name: 'check-worthy', type: 'boolean' },
        { name: 'topics', type: 'multi', values: ['war', 'diplomacy'] },
        { name: 'confidence', type: 'number' },
        { name: 'date', type: 'date' },
        { name: 'claimant', type: 'text' },
      ],
    },
  ],
  relations: [{ type: 'attributed-to', from: ['claim'], to: ['source'] }],
};

export function span(text: string, exact: string, from = 0): [number, number] {
  const start = text.indexOf(exact, from);
  if (start < 0) throw new Error(`${exact} not in text`);
  return [start, start + exact.length];
}

export function ann(id: string, label: string, [start, end]: [number, number], annotator: string, extra: Partial<Annotation> = {}): Annotation {
  return {
    id,
    docId: DOC_ID,
    annotator,
    label,
    start,
    end,
    quote: { exact: TEXT.slice(start, end), prefix: '', suffix: '' },
    attributes: {},
    createdAt: '2024-10-22T10:00:00.000Z',
    updatedAt: '2024-10-22T10:05:00.000Z',
    ...extra,
  };
}

export const ANNOTATIONS: Annotation[] = [
  ann('a1', 'source', span(TEXT, 'Blinken'), 'alice', { attributes: { role: 'official' }, note: 'US Secretary of State, "quoted"\nsecond line' }),
  ann('a2', 'claim', span(TEXT, 'the “deal” is close'), 'alice', {
    attributes: { 'check-worthy': true, topics: ['diplomacy'], confidence: 0.8, date: '2024-10-22', claimant: 'Blinken' },
  }),
  ann('a3', 'claim', span(TEXT, '𝒳 said the “deal”'), 'Bob Smith', { attributes: { 'check-worthy': false, topics: [], confidence: -2 } }),
  ann('a4', 'source', span(TEXT, 'officials'), 'Bob Smith', { norms: [{ resource: 'Wikidata', id: 'Q1', text: 'officials' }] }),
];
export const RELATIONS: Relation[] = [
  { id: 'r1', type: 'attributed-to', from: 'a2', to: 'a1', annotator: 'alice' },
  { id: 'r2', type: 'attributed-to', from: 'a3', to: 'a4', annotator: 'Bob Smith' },
];
export const DOC: ExportDocument = { id: DOC_ID, title: 'Blinken in Jerusalem', text: TEXT, annotations: ANNOTATIONS, relations: RELATIONS };
export const DOC2: ExportDocument = { id: 'fedcba9876543210', title: 'Empty', text: 'Nothing to see.', annotations: [], relations: [] };

export function run(exporter: Exporter, docs: ExportDocument[], schema: TagSchema): string {
  if (exporter.kind !== 'single') throw new Error('expected a single-file exporter');
  const base = { schema, total: docs.length, options: {} };
  let out = exporter.begin(base);
  docs.forEach((doc, index) => {
    const ctx: ExportContext = { ...base, index };
    out += exporter.document(doc, ctx);
  });
  return out + exporter.end(base);
}
