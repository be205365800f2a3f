import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBratExporter, decodeBratValue, encodeBratValue, isBratInternalAttribute, parseBrat } from '../../shared/formats/brat';
import type { ExportDocument, ExportFile, ParsedDocument } from '../../shared/formats/dataset';
import type { Annotation, AttributeValue, Relation, TagSchema } from '../../shared/model';
import { REPO_ROOT } from './helpers';

const TUTORIAL = path.resolve(REPO_ROOT, '..', 'shared', 'conformance', 'brat-news-tutorial');
const DOCS = readdirSync(TUTORIAL)
  .filter((n) => n.endsWith('.ann'))
  .sort()
  .map((n) => n.replace(/\.ann$/, ''));

const SCHEMA: TagSchema = {
  labels: [{ name: 'claim', color: '#1f77b4', key: 'c', attributes: [{ name: 'check-worthy', type: 'boolean' }] }],
  relations: [{ type: 'attributed-to', from: ['claim'], to: ['quote'] }],
};

// ---------------------------------------------------------------------------------------------
// An independent reading of .ann files into normalized records (ids replaced by content keys).

interface Records {
  T: Set<string>;
  E: Set<string>;
  R: Set<string>;
  A: Set<string>;
  N: Set<string>;
  star: Set<string>;
  notes: Set<string>;
}

function normalize(ann: string): Records {
  const lines = ann.split('\n').filter((l) => l.trim() !== '');
  const cols = lines.map((l) => l.split('\t'));
  const key = new Map<string, string>();
  for (const [id, head, ...rest] of cols) {
    if (id!.startsWith('T')) key.set(id!, `T(${head} «${rest.join('\t')}»)`);
  }
  const events = cols.filter((c) => c[0]!.startsWith('E'));
  for (const [id, head] of events) {
    const [type, trig] = head!.trim().split(/\s+/)[0]!.split(':');
    key.set(id!, `E(${type} @${key.get(trig!)})`);
  }
  const rels = cols.filter((c) => c[0]!.startsWith('R'));
  for (const [id, head] of rels) {
    const [type, ...args] = head!.trim().split(/\s+/);
    key.set(id!, `R(${type} ${args.map((a) => `${a.split(':')[0]}=${key.get(a.split(':')[1]!)}`).join(' ')})`);
  }
  const out: Records = { T: new Set(), E: new Set(), R: new Set(), A: new Set(), N: new Set(), star: new Set(), notes: new Set() };
  for (const [id] of cols) if (id!.startsWith('T')) out.T.add(key.get(id!)!);
  for (const [id, head] of events) {
    const args = head!.trim().split(/\s+/).slice(1);
    out.E.add(`${key.get(id!)} [${args.map((a) => `${a.split(':')[0]}=${key.get(a.split(':')[1]!)}`).sort().join(', ')}]`);
  }
  for (const [id] of rels) out.R.add(key.get(id!)!);
  // Equivalences: connected sets per type (brat treats overlapping sets as one).
  const equivSets = new Map<string, Set<string>[]>();
  for (const [id, head, ...rest] of cols) {
    const parts = head!.trim().split(/\s+/);
    if (id!.startsWith('A') || id!.startsWith('M')) out.A.add(`${parts[0]} ${key.get(parts[1]!)} = ${parts[2] ?? '(binary)'}`);
    if (id!.startsWith('N')) out.N.add(`${key.get(parts[1]!)} ${parts[2]} «${rest.join('\t')}»`);
    if (id!.startsWith('#')) out.notes.add(`${key.get(parts[1]!)} «${rest.join('\t')}»`);
    if (id === '*') {
      const members = new Set(parts.slice(1).map((p) => key.get(p)!));
      const sets = equivSets.get(parts[0]!) ?? [];
      const overlapping = sets.filter((s) => [...s].some((m) => members.has(m)));
      const merged = new Set([...members, ...overlapping.flatMap((s) => [...s])]);
      equivSets.set(parts[0]!, [...sets.filter((s) => !overlapping.includes(s)), merged]);
    }
  }
  for (const [type, sets] of equivSets) for (const s of sets) out.star.add(`${type} {${[...s].sort().join(', ')}}`);
  return out;
}

/** Differences between two record sets, as readable lines; empty when they carry the same annotations. */
function differences(expected: Records, actual: Records): string[] {
  const out: string[] = [];
  for (const kind of Object.keys(expected) as (keyof Records)[]) {
    for (const r of expected[kind]) if (!actual[kind].has(r)) out.push(`missing ${kind}: ${r}`);
    for (const r of actual[kind]) if (!expected[kind].has(r)) out.push(`extra ${kind}: ${r}`);
  }
  return out;
}

/** A line count by type, read straight from the file. */
function lineCounts(ann: string): Record<string, number> {
  const counts: Record<string, number> = { T: 0, E: 0, R: 0, A: 0, N: 0, '*': 0, '#': 0, eventArgs: 0 };
  for (const line of ann.split('\n')) {
    if (line.trim() === '') continue;
    const kind = line[0] === 'M' ? 'A' : line[0]!;
    counts[kind] = (counts[kind] ?? 0) + 1;
    if (kind === 'E') counts.eventArgs! += line.split('\t')[1]!.trim().split(/\s+/).length - 1;
  }
  return counts;
}

/** Counts of what the parser produced, by the kind of the line each record came from. */
function parsedCounts(ann: string, doc: ParsedDocument): Record<string, number> {
  const lineKind = (line: number | undefined): string => ann.split('\n')[(line ?? 0) - 1]?.[0] ?? '?';
  const rels = (kind: string) => doc.relations.filter((r) => lineKind(r.line) === kind);
  const attrs = doc.annotations.flatMap((a) => Object.keys(a.attributes).filter((n) => !isBratInternalAttribute(n) || n.startsWith('brat:trigger:')));
  const relNotes = doc.annotations.flatMap((a) => Object.keys(a.attributes).filter((n) => n.startsWith('brat:note:') || n === 'brat:trigger-note'));
  return {
    T: doc.annotations.filter((a) => a.sourceId.startsWith('T')).length,
    E: doc.annotations.filter((a) => a.attributes['brat:event'] === true).length,
    R: rels('R').length,
    A: attrs.length,
    N: doc.annotations.reduce((n, a) => n + (a.norms?.length ?? 0), 0),
    '*': new Set(rels('*').map((r) => r.line)).size,
    '#': doc.annotations.filter((a) => a.note !== undefined).length + relNotes.length,
    eventArgs: rels('E').length,
  };
}

// ---------------------------------------------------------------------------------------------
// ParsedDocument → stored annotations, as the import pipeline would, so it can be exported again.

const DOC_ID = '0123456789abcdef';
const STAMP = '2024-08-19T11:33:00.000Z';

function toExportDocument(parsed: ParsedDocument, annotator = 'analyst', id = DOC_ID): ExportDocument {
  const ids = new Map<string, string>();
  const annotations: Annotation[] = parsed.annotations.map((p, i) => {
    ids.set(p.sourceId, `a${i}`);
    const a: Annotation = {
      id: `a${i}`,
      docId: id,
      annotator: p.annotator ?? annotator,
      label: p.label,
      start: p.start,
      end: p.end,
      quote: { exact: p.quote?.exact ?? parsed.text.slice(p.start, p.end), prefix: '', suffix: '' },
      attributes: p.attributes,
      createdAt: STAMP,
      updatedAt: STAMP,
    };
    if (p.note !== undefined) a.note = p.note;
    if (p.norms) a.norms = p.norms;
    return a;
  });
  const relations: Relation[] = parsed.relations.map((r, i) => ({ id: `r${i}`, type: r.type, from: ids.get(r.from)!, to: ids.get(r.to)!, annotator: r.annotator ?? annotator }));
  return { id, title: parsed.title ?? id, text: parsed.text, annotations, relations };
}

function exportAll(docs: ExportDocument[], schema = SCHEMA, layout?: 'flat' | 'per-annotator' | 'auto'): Map<string, string> {
  const exporter = createBratExporter(layout ? { layout } : {});
  if (exporter.kind !== 'folder') throw new Error('brat must be a folder format');
  const files: ExportFile[] = [];
  docs.forEach((d, index) => files.push(...exporter.document(d, { schema, index, total: docs.length, options: {} })));
  files.push(...exporter.end({ schema, total: docs.length, options: {} }));
  return new Map(files.map((f) => [f.path, f.content]));
}

// ---------------------------------------------------------------------------------------------

describe('brat conformance: the brat news tutorial', () => {
  it('has the tutorial documents', () => {
    expect(DOCS.length).toBeGreaterThanOrEqual(10);
  });

  for (const name of DOCS) {
    it(`${name}: imports every line and exports the same annotations back`, () => {
      const ann = readFileSync(path.join(TUTORIAL, `${name}.ann`), 'utf8');
      const text = readFileSync(path.join(TUTORIAL, `${name}.txt`), 'utf8');
      const result = parseBrat({ name: `${name}.ann`, content: ann, text });
      expect(result.problems).toEqual([]);
      expect(result.documents).toHaveLength(1);
      const doc = result.documents[0]!;
      expect(doc.text).toBe(text);
      expect(parsedCounts(ann, doc)).toEqual(lineCounts(ann));

      // Every span's quote matches the text at its (converted) offsets.
      for (const a of doc.annotations) expect(text.slice(a.start, a.end), `${a.sourceId}`).toBe(a.quote?.exact);

      const files = exportAll([toExportDocument(doc)]);
      expect(files.get(`${DOC_ID}.txt`)).toBe(text);
      const exported = files.get(`${DOC_ID}.ann`)!;
      expect(differences(normalize(ann), normalize(exported))).toEqual([]);
      expect(lineCounts(exported)).toEqual(lineCounts(ann));

      // And exporting what the export imports gives the identical file.
      const again = parseBrat({ name: `${DOC_ID}.ann`, content: exported, text });
      expect(again.problems).toEqual([]);
      expect(exportAll([toExportDocument(again.documents[0]!)]).get(`${DOC_ID}.ann`)).toBe(exported);
    });
  }

  it('imports events, roles that point at other events, equivalences, attributes, notes and normalizations as documented', () => {
    const read = (n: string) => parseBrat({ name: `${n}.ann`, content: readFileSync(path.join(TUTORIAL, `${n}.ann`), 'utf8'), text: readFileSync(path.join(TUTORIAL, `${n}.txt`), 'utf8') }).documents[0]!;
    const intro = read('000-introduction');
    const moving = intro.annotations.find((a) => a.quote?.exact === 'moving')!;
    expect(moving.label).toBe('Transfer-money');
    expect(moving.attributes).toMatchObject({ 'brat:event': true, Confidence: 'High' });
    const roles = intro.relations.filter((r) => r.from === moving.sourceId).map((r) => r.type);
    expect(roles.sort()).toEqual(['Beneficiary-Arg', 'Giver-Arg', 'Money-Arg', 'Recipient-Arg']);
    const t5 = intro.annotations.find((a) => a.sourceId === 'T5')!;
    expect(t5.attributes).toEqual({ Mention: 'Nominal', Individual: true });
    expect(t5.norms).toEqual([{ resource: 'Wikipedia', id: '64488', text: 'Carlos Salinas de Gortari' }]);
    expect(intro.annotations.find((a) => a.sourceId === 'T2')!.note).toBe('100000000 USD');

    const nested = read('090-event_structures');
    const reported = nested.annotations.find((a) => a.sourceId === 'T5')!;
    const eventArg = nested.relations.find((r) => r.from === 'T5' && r.type === 'Event-Arg')!;
    expect(reported.label).toBe('Report');
    expect(eventArg.to).toBe('T3'); // E1's trigger annotation

    const alias = read('060-relation_annotation');
    const equiv = alias.relations.filter((r) => r.type === 'Alias');
    expect(equiv.map((r) => [r.from, r.to])).toEqual([
      ['T3', 'T4'],
      ['T4', 'T5'],
    ]);
    expect(alias.annotations.find((a) => a.sourceId === 'T4')!.attributes['brat:equiv']).toEqual(['Alias']);

    const notes = read('110-note_annotation');
    expect(notes.annotations.find((a) => a.sourceId === 'T5')!.note).toMatch(/^Annotate as one merge event/);
    expect(notes.annotations.find((a) => a.sourceId === 'T6')!.attributes['brat:note:Family']).toMatch(/^Should this be marked/);
  });

  it('writes an annotation.conf with entities, relations, events and attributes', () => {
    const docs = DOCS.map((n) => {
      const parsed = parseBrat({ name: `${n}.ann`, content: readFileSync(path.join(TUTORIAL, `${n}.ann`), 'utf8'), text: readFileSync(path.join(TUTORIAL, `${n}.txt`), 'utf8') });
      return toExportDocument(parsed.documents[0]!);
    });
    const conf = exportAll(docs).get('annotation.conf')!;
    const section = (name: string) => conf.split(`[${name}]`)[1]!.split(/\n\[/)[0]!.split('\n').filter((l) => l.trim() !== '');
    expect(section('entities')).toEqual(expect.arrayContaining(['claim', 'Person', 'Organization', 'GPE', 'Money']));
    expect(section('entities')).not.toContain('Merge-org');
    expect(section('relations')).toEqual(expect.arrayContaining(['Located\tArg1:Person, Arg2:GPE', 'Alias\tArg1:Person, Arg2:Person, <REL-TYPE>:symmetric-transitive']));
    expect(section('relations').some((l) => l.startsWith('Org-Arg'))).toBe(false);
    expect(section('events')).toEqual(expect.arrayContaining(['Merge-org\tOrg-Arg*:Organization, Org-Arg2*:Organization, Org-Arg3*:Organization, Org-Arg4*:Organization']));
    expect(section('events').find((l) => l.startsWith('Report\t'))).toMatch(/Event-Arg\*:<EVENT>/);
    expect(section('attributes')).toEqual(expect.arrayContaining(['check-worthy\tArg:claim', 'Confidence\tArg:<EVENT>, Value:High|Neutral|Low']));
    expect(section('attributes').find((l) => l.startsWith('Mention\t'))).toBe('Mention\tArg:Person, Value:Name|Nominal');
  });
});

// ---------------------------------------------------------------------------------------------

function ann(id: string, label: string, text: string, exact: string, attributes: Record<string, AttributeValue> = {}, extra: Partial<Annotation> = {}, from = 0): Annotation {
  const start = text.indexOf(exact, from);
  if (start < 0) throw new Error(`${exact} not in text`);
  return { id, docId: DOC_ID, annotator: 'ana', label, start, end: start + exact.length, quote: { exact, prefix: '', suffix: '' }, attributes, createdAt: STAMP, updatedAt: STAMP, ...extra };
}

describe('brat offsets are code points', () => {
  const text = '👍🏽 Blinken said 𝒳 is “fine” 🇫🇷 in Paris.\nThen 👩‍👩‍👧 left.';

  it('exports code-point offsets and imports them back to UTF-16', () => {
    const a = [ann('a1', 'Person', text, 'Blinken'), ann('a2', 'GPE', text, 'Paris'), ann('a3', 'claim', text, '👩‍👩‍👧 left'), ann('a4', 'claim', text, '𝒳 is “fine” 🇫🇷')];
    const out = exportAll([{ id: DOC_ID, title: 't', text, annotations: a, relations: [] }]).get(`${DOC_ID}.ann`)!;
    const points = [...text];
    const cp = (s: string) => [...text.slice(0, text.indexOf(s))].length;
    expect(out).toContain(`T1\tPerson ${cp('Blinken')} ${cp('Blinken') + 7}\tBlinken`);
    expect(cp('Blinken')).toBe(3);
    expect(out).toContain(`T2\tGPE ${cp('Paris')} ${cp('Paris') + 5}\tParis`);
    // Python's text[start:end] is the span.
    for (const line of out.trim().split('\n')) {
      const [, head, spanText] = line.split('\t');
      const [, s, e] = head!.split(' ');
      expect(points.slice(Number(s), Number(e)).join('')).toBe(spanText);
    }
    const parsed = parseBrat({ name: 'x.ann', content: out, text });
    expect(parsed.problems).toEqual([]);
    expect(parsed.documents[0]!.annotations.map((p) => [p.start, p.end, p.quote?.exact])).toEqual(a.map((x) => [x.start, x.end, x.quote.exact]));
  });

  it('reads a hand-written file whose offsets count code points', () => {
    const content = 'T1\tPerson 3 10\tBlinken\nT2\tclaim 52 56\tleft\n'; // 52 = [...text].indexOf-by-code-point of "left" (UTF-16: 60)
    const parsed = parseBrat({ name: 'hand.ann', content, text }).documents[0]!;
    expect(parsed.annotations.map((p) => text.slice(p.start, p.end))).toEqual(['Blinken', 'left']);
  });
});

describe('brat round trip of a rich dataset', () => {
  const text1 = 'The minister said: "Taxes will not rise."\nCritics, citing the budget, disagreed. Ann Lee and A. Lee spoke.\n\nMeanwhile 🚀 Acme merged with Beta Corp.';
  const text2 = 'Short text 😀 with a second layer and a note.';
  const rich: Annotation[] = [
    ann('c1', 'claim', text1, 'Taxes will not rise', { 'check-worthy': true, score: 3, ratio: -2.5, flag: false, kind: 'direct speech', code: '3', empty: '', tags: ['a b', 'c|d', '50%'], one: ['x'], none: [], weird: 'true' }, { note: 'line 1\nline 2\tand C:\\path' }),
    ann('q1', 'quote', text1, '"Taxes will not rise."', { speaker: 'The minister' }, { norms: [{ resource: 'Wikidata', id: 'Q42', text: 'A person' }, { resource: 'Local KB', id: 'id with space' }] }),
    ann('s1', 'speaker', text1, 'The minister'),
    // A span across a line break (brat writes it as two fragments).
    ann('x1', 'claim', text1, 'rise."\nCritics', { 'cross line': 'yes' }),
    ann('p1', 'Person', text1, 'Ann Lee'),
    ann('p2', 'Person', text1, 'A. Lee'),
    ann('e1', 'Merge org', text1, 'merged', { 'brat:event': true, Confidence: 'High' }, { note: 'event note' }),
    ann('o1', 'Organization', text1, 'Acme'),
    ann('o2', 'Organization', text1, 'Beta Corp'),
    ann('r1', 'Report', text1, 'spoke', { 'brat:event': true }),
  ];
  const relations: Relation[] = [
    { id: 'l1', type: 'attributed-to', from: 'c1', to: 's1', annotator: 'ana' },
    { id: 'l2', type: 'attributed-to', from: 'q1', to: 's1', annotator: 'ana' },
    { id: 'l3', type: 'Org Arg', from: 'e1', to: 'o1', annotator: 'ana' },
    { id: 'l4', type: 'Org Arg', from: 'e1', to: 'o2', annotator: 'ana' },
    { id: 'l5', type: 'Alias', from: 'p1', to: 'p2', annotator: 'ana' },
    { id: 'l6', type: 'Event-Arg', from: 'r1', to: 'e1', annotator: 'ana' },
  ];
  rich.find((a) => a.id === 'p1')!.attributes['brat:equiv'] = ['Alias'];
  rich.find((a) => a.id === 'p2')!.attributes['brat:equiv'] = ['Alias'];
  rich.find((a) => a.id === 'c1')!.attributes['brat:note:attributed-to'] = 'relation note';
  const second: Annotation[] = [ann('b1', 'claim', text2, '😀 with a second', { by: 'bob' }, { annotator: 'bob', note: 'bob says' })];
  const doc2Id = 'fedcba9876543210';
  second[0]!.docId = doc2Id;
  const docs: ExportDocument[] = [
    { id: DOC_ID, title: 'one', text: text1, annotations: rich, relations },
    { id: doc2Id, title: 'two', text: text2, annotations: [...second, { ...ann('b2', 'claim', text2, 'note'), docId: doc2Id }], relations: [] },
  ];

  it('parses back exactly what it exported, every field', () => {
    const files = exportAll(docs, SCHEMA, 'flat');
    const parsed = parseBrat({ name: `dir/${DOC_ID}.ann`, content: files.get(`${DOC_ID}.ann`)!, text: files.get(`${DOC_ID}.txt`)! });
    expect(parsed.problems).toEqual([]);
    const doc = parsed.documents[0]!;
    expect(doc.id).toBe(DOC_ID);
    expect(files.get(`${DOC_ID}.ann`)).toMatch(/T4\tclaim \d+ \d+;\d+ \d+\trise\." Critics/);
    const bySource = new Map(doc.annotations.map((p, i) => [p.sourceId, rich[i]!.id]));
    expect(doc.annotations.map((p) => ({ label: p.label, start: p.start, end: p.end, exact: p.quote?.exact, attributes: p.attributes, note: p.note, norms: p.norms }))).toEqual(
      rich.map((a) => ({ label: a.label, start: a.start, end: a.end, exact: a.quote.exact, attributes: a.attributes, note: a.note, norms: a.norms })),
    );
    const rels = doc.relations.map((r) => `${bySource.get(r.from)} ${r.type} ${bySource.get(r.to)}`).sort();
    expect(rels).toEqual(relations.map((r) => `${r.from} ${r.type} ${r.to}`).sort());
  });

  it('export → import → export gives identical files, two annotators in their own folders', () => {
    const files = exportAll(docs, SCHEMA, 'auto');
    expect([...files.keys()].sort()).toEqual(['0123456789abcdef.ann', '0123456789abcdef.txt', 'ana/fedcba9876543210.ann', 'ana/fedcba9876543210.txt', 'annotation.conf', 'bob/fedcba9876543210.ann', 'bob/fedcba9876543210.txt']);
    const reimported: ExportDocument[] = [];
    for (const [p, content] of files) {
      if (!p.endsWith('.ann')) continue;
      const annotator = p.includes('/') ? p.split('/')[0]! : 'ana';
      const parsed = parseBrat({ name: p, content, text: files.get(p.replace(/\.ann$/, '.txt'))! });
      expect(parsed.problems).toEqual([]);
      const id = parsed.documents[0]!.id!;
      reimported.push(toExportDocument(parsed.documents[0]!, annotator, id));
    }
    const merged = new Map<string, ExportDocument>();
    for (const d of reimported) {
      const cur = merged.get(d.id);
      if (cur) merged.set(d.id, { ...cur, annotations: [...cur.annotations, ...d.annotations.map((a) => ({ ...a, id: `${a.annotator}-${a.id}` }))] });
      else merged.set(d.id, d);
    }
    const again = exportAll([...merged.values()].sort((a, b) => (a.id === DOC_ID ? -1 : b.id === DOC_ID ? 1 : 0)), SCHEMA, 'auto');
    for (const [p, content] of files) if (p !== 'annotation.conf') expect(again.get(p), p).toBe(content);
  });

  it('flat layout puts every annotator in one .ann', () => {
    const files = exportAll(docs, SCHEMA, 'flat');
    expect([...files.keys()].sort()).toEqual(['0123456789abcdef.ann', '0123456789abcdef.txt', 'annotation.conf', 'fedcba9876543210.ann', 'fedcba9876543210.txt']);
    expect(files.get('fedcba9876543210.ann')!.split('\n').filter((l) => l.startsWith('T'))).toHaveLength(2);
  });

  it('encodes attribute values so every type comes back exactly', () => {
    const values: AttributeValue[] = [true, false, 0, 3, -2.5, 1e21, '', ' ', '3', 'true', 'false', '%', '50%', 'a b', 'a|b', 'High', 'é 😀', '\n', [], [''], ['a'], ['a', 'b'], ['', 'x'], ['3', 'a b', '|']];
    for (const v of values) {
      const raw = encodeBratValue(v);
      if (raw !== undefined) expect(raw, JSON.stringify(v)).not.toMatch(/\s/);
      expect(decodeBratValue(raw), JSON.stringify(v)).toEqual(v);
    }
    expect(encodeBratValue('High')).toBe('High');
    expect(encodeBratValue('a b')).toBe('a%20b');
  });
});

describe('brat bad input', () => {
  const text = 'Alice met Bob in Paris. 😀 End.';

  it('reports malformed lines with their line numbers and still imports the rest', () => {
    const content = [
      'T1\tPerson 0 5\tAlice', // 1
      'X1\tSomething 0 5\tAlice', // 2 unknown type
      'T2\tPerson 10 13\tBob', // 3
      'T3\tGPE 17 999\tParis', // 4 outside the text
      'R1\tMet Arg1:T1 Arg2:T9\t', // 5 unknown id
      'R2\tMet Arg1:T1 Arg2:T2\t', // 6 ok
      'this line has no tabs', // 7
      'T4\tGPE 17 22\tParis', // 8 ok
      'A1\tIndividual T1', // 9 ok
      'A2\tMention T77 Name', // 10 unknown
      'E1\tMeet:T99 Agent:T1', // 11 unknown trigger
      'T5\tPerson 0 5\tAlicia', // 12 text mismatch: kept, quote from the file
      '#1\tAnnotatorNotes T4\tcapital', // 13 ok
      'T6\tPerson five six\tBob', // 14 malformed offsets
      'T2\tPerson 10 13\tBob', // 15 duplicate id
      'N1\tReference T4 nocolon', // 16 malformed
      'T7\tSmile 24 25\t😀', // 17 ok, code points
    ].join('\n');
    const result = parseBrat({ name: 'bad.ann', content, text });
    expect(result.problems.map((p) => p.line)).toEqual([2, 7, 15, 4, 14, 11, 5, 10, 16]);
    for (const p of result.problems) expect(p.reason.length).toBeGreaterThan(5);
    expect(result.problems.find((p) => p.line === 5)!.reason).toMatch(/T9/);
    expect(result.problems.find((p) => p.line === 4)!.reason).toMatch(/outside the text/);
    const doc = result.documents[0]!;
    expect(doc.annotations.map((a) => a.sourceId)).toEqual(['T1', 'T2', 'T4', 'T5', 'T7']);
    expect(doc.relations).toEqual([{ type: 'Met', from: 'T1', to: 'T2', line: 6 }]);
    expect(doc.annotations[0]!.attributes).toEqual({ Individual: true });
    expect(doc.annotations[2]!.note).toBe('capital');
    expect(doc.annotations[3]!.quote?.exact).toBe('Alicia');
    expect(text.slice(doc.annotations[4]!.start, doc.annotations[4]!.end)).toBe('😀');
  });

  it('keeps discontinuous spans as their covering span with the fragments recorded', () => {
    const content = 'T1\tPerson 0 5;10 13\tAlice Bob\n';
    const doc = parseBrat({ name: 'd.ann', content, text }).documents[0]!;
    expect(doc.annotations[0]).toMatchObject({ start: 0, end: 13, quote: { exact: 'Alice met Bob' }, attributes: { 'brat:fragments': '0 5;10 13' } });
    const out = exportAll([toExportDocument(doc)]).get(`${DOC_ID}.ann`)!;
    expect(out).toBe(content);
  });

  it('says when the .txt is missing', () => {
    const result = parseBrat({ name: 'lonely.ann', content: 'T1\tPerson 0 5\tAlice\n' });
    expect(result.documents).toEqual([]);
    expect(result.problems[0]!.reason).toMatch(/\.txt/);
  });
});
