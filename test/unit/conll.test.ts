import { describe, expect, it } from 'vitest';
import { assignSpans, createConllExporter, documentToConll, sentenceBreaks, tokenize } from '../../shared/formats/conll';
import type { ExportDocument, ExportOptions } from '../../shared/formats/dataset';
import type { Annotation, TagSchema } from '../../shared/model';

const DOC_ID = '0123456789abcdef';
const TEXT = 'Secretary of State Antony Blinken met Mr. Netanyahu in Jerusalem. “We agree,” he said 👍🏽 today!\n\nThe U.S. Embassy issued a statement.';
const SCHEMA: TagSchema = { labels: [{ name: 'x', color: '#000000', key: 'x', attributes: [] }], relations: [] };

function ann(label: string, exact: string, from = 0): Annotation {
  const start = TEXT.indexOf(exact, from);
  if (start < 0) throw new Error(`${exact} not in text`);
  const end = start + exact.length;
  return { id: label, docId: DOC_ID, annotator: 'alice', label, start, end, quote: { exact, prefix: '', suffix: '' }, attributes: {}, createdAt: '', updatedAt: '' };
}

const SPANS = [
  ann('ROLE', 'Secretary of State'),
  ann('PER', 'Antony Blinken'),
  ann('TITLE', 'Secretary of State Antony Blinken'),
  ann('EVT', 'met Mr. Netanyahu'),
  ann('X', 'Netanyahu in Jerusalem. “We agree'),
  ann('LOC', 'Jerusal'),
  ann('SPK', 'he', TEXT.indexOf('”')),
  ann('Q', '“We agree,” he said'),
  ann('EMO', '👍🏽'),
  ann('ORG', 'U.S. Embassy'),
];
const DOC: ExportDocument = { id: DOC_ID, title: 't', text: TEXT, annotations: SPANS };

function exportWith(docs: ExportDocument[], options: ExportOptions = {}): string {
  const exporter = createConllExporter();
  if (exporter.kind !== 'single') throw new Error('single');
  const base = { schema: SCHEMA, total: docs.length, options };
  return exporter.begin(base) + docs.map((d, index) => exporter.document(d, { ...base, index })).join('') + exporter.end(base);
}

/** Sentences of "TOKEN TAG" pairs, as a reader would split them. */
function sentences(out: string): string[][][] {
  return out
    .split(/\n\n+/)
    .filter((block) => block.trim() !== '')
    .map((block) => block.split('\n').map((l) => l.split(' ')));
}

const TOKENS = 'Secretary of State Antony Blinken met Mr . Netanyahu in Jerusalem . “ We agree , ” he said 👍🏽 today ! The U . S . Embassy issued a statement .'.split(' ');

function tags(policy: ExportOptions['conllOverlap']): string[] {
  return sentences(documentToConll(DOC, policy))
    .slice(1)
    .flat()
    .map((t) => t[1]!);
}

describe('CoNLL tokens and sentences', () => {
  it('splits words, punctuation and emoji (modifiers, flags, ZWJ sequences) into tokens with UTF-16 offsets', () => {
    expect(tokenize(TEXT).map((t) => t.text)).toEqual(TOKENS);
    expect(tokenize("👍🏽 Blinken 𝒳 said don't 🇫🇷👩‍👩‍👧 e\u0301t\u00e9 Biden-Harris").map((t) => t.text)).toEqual(['👍🏽', 'Blinken', '𝒳', 'said', "don't", '🇫🇷', '👩‍👩‍👧', 'e\u0301t\u00e9', 'Biden-Harris']);
    for (const t of tokenize(TEXT)) expect(TEXT.slice(t.start, t.end)).toBe(t.text);
  });

  it('ends sentences at . ! ? before a capital or quote and at paragraph breaks, not after Mr. or initials', () => {
    const tokens = tokenize(TEXT);
    const breaks = [...sentenceBreaks(TEXT, tokens)].map((i) => tokens[i]!.text + '@' + i);
    expect(breaks).toEqual(['.@11', '!@21']);
  });
});

describe('CoNLL export', () => {
  it('writes -DOCSTART-, one "TOKEN TAG" per line, blank lines between sentences and documents', () => {
    const plain: ExportDocument = { id: 'fedcba9876543210', title: 'p', text: 'Blinken spoke. Netanyahu listened.', annotations: [] };
    const out = exportWith([{ ...plain, annotations: [] }, plain]);
    const once = '-DOCSTART- -X- O O\n\nBlinken O\nspoke O\n. O\n\nNetanyahu O\nlistened O\n. O\n\n';
    expect(out).toBe(once + once);
    expect(exportWith([{ ...plain, text: '' }])).toBe('-DOCSTART- -X- O O\n\n');
  });

  it('outermost (default): containing spans win; of crossing spans, the earlier', () => {
    expect(tags('outermost')).toEqual(tags(undefined));
    expect(tags('outermost')).toEqual([
      'B-TITLE', 'I-TITLE', 'I-TITLE', 'I-TITLE', 'I-TITLE', // Secretary of State Antony Blinken
      'B-EVT', 'I-EVT', 'I-EVT', 'I-EVT', // met Mr . Netanyahu
      'O', 'B-LOC', 'O', // in Jerusalem . (a token overlapping a span belongs to it)
      'B-Q', 'I-Q', 'I-Q', 'I-Q', 'I-Q', 'I-Q', 'I-Q', // “ We agree , ” he said
      'B-EMO', 'O', 'O', // 👍🏽 today !
      'O', 'B-ORG', 'I-ORG', 'I-ORG', 'I-ORG', 'I-ORG', 'O', 'O', 'O', 'O', // The U . S . Embassy issued a statement .
    ]);
  });

  it('innermost: the shortest span wins', () => {
    expect(tags('innermost')).toEqual([
      'B-ROLE', 'I-ROLE', 'I-ROLE', 'B-PER', 'I-PER',
      'B-EVT', 'I-EVT', 'I-EVT', 'I-EVT',
      'O', 'B-LOC', 'O',
      'O', 'O', 'O', 'O', 'O', 'B-SPK', 'O',
      'B-EMO', 'O', 'O',
      'O', 'B-ORG', 'I-ORG', 'I-ORG', 'I-ORG', 'I-ORG', 'O', 'O', 'O', 'O',
    ]);
  });

  it('first: the earliest start wins, ties by the order given', () => {
    expect(tags('first')).toEqual([
      'B-ROLE', 'I-ROLE', 'I-ROLE', 'B-PER', 'I-PER',
      'B-EVT', 'I-EVT', 'I-EVT', 'I-EVT',
      'O', 'B-LOC', 'O',
      'B-Q', 'I-Q', 'I-Q', 'I-Q', 'I-Q', 'I-Q', 'I-Q',
      'B-EMO', 'O', 'O',
      'O', 'B-ORG', 'I-ORG', 'I-ORG', 'I-ORG', 'I-ORG', 'O', 'O', 'O', 'O',
    ]);
  });

  it('longest: the longest span wins, and a sentence is not split inside it', () => {
    const out = documentToConll(DOC, 'longest');
    expect(tags('longest')).toEqual([
      'B-TITLE', 'I-TITLE', 'I-TITLE', 'I-TITLE', 'I-TITLE',
      'O', 'O', 'O', 'B-X', // met Mr . Netanyahu
      'I-X', 'I-X', 'I-X', // in Jerusalem .
      'I-X', 'I-X', 'I-X', 'O', 'O', 'B-SPK', 'O', // “ We agree , ” he said
      'B-EMO', 'O', 'O',
      'O', 'B-ORG', 'I-ORG', 'I-ORG', 'I-ORG', 'I-ORG', 'O', 'O', 'O', 'O',
    ]);
    // X runs across "Jerusalem. “We": no sentence break there, so two sentences, not three.
    expect(sentences(out).slice(1)).toHaveLength(2);
  });

  it('every I- follows a B- or I- of the same label, under every policy', () => {
    for (const policy of ['outermost', 'innermost', 'first', 'longest'] as const) {
      for (const sentence of sentences(documentToConll(DOC, policy)).slice(1)) {
        sentence.forEach(([, tag], i) => {
          if (tag!.startsWith('I-')) expect(sentence[i - 1]![1]!.slice(2)).toBe(tag!.slice(2));
        });
      }
      expect(sentences(documentToConll(DOC, policy)).slice(1).flat().map((t) => t[0])).toEqual(TOKENS);
    }
  });

  it('uses the policy from the export options, and keeps two columns when labels have spaces', () => {
    expect(exportWith([DOC], { conllOverlap: 'innermost' })).toBe(documentToConll(DOC, 'innermost'));
    const spaced: ExportDocument = { ...DOC, annotations: [{ ...ann('named entity', 'Blinken') }] };
    expect(documentToConll(spaced)).toContain('Blinken B-named_entity\n');
  });

  it('skips empty spans and assigns nothing outside the text', () => {
    const tokens = tokenize('a b');
    expect(assignSpans(tokens, [{ ...ann('E', 'Secretary'), start: 1, end: 1 }])).toEqual([-1, -1]);
  });
});
