import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { createCsvExporter, csvAttributeColumns, escapeFormula } from '../../shared/formats/csv';
import type { ExportDocument } from '../../shared/formats/dataset';
import type { TagSchema } from '../../shared/model';
import { DOC_ID, TEXT, SCHEMA, ANNOTATIONS, DOC, DOC2, span, ann, run } from './formatFixtures';



const NASTY_TEXT = 'He said "yes, no"\r\nthen =SUM(A1:A2) and +1 -2 @home\ttab';
const NASTY: ExportDocument = {
  id: 'aaaaaaaaaaaaaaaa',
  title: '=HYPERLINK("http://evil","click"), "quoted"',
  text: NASTY_TEXT,
  annotations: [
    { ...ann('n1', 'claim', span(NASTY_TEXT, 'said "yes, no"\r\nthen'), 'alice'), docId: 'aaaaaaaaaaaaaaaa', attributes: { claimant: '-minus', topics: ['war', 'a, b'], 'check-worthy': false, confidence: -3 }, note: '@note "x"\nline 2' },
    { ...ann('n2', 'source', span(NASTY_TEXT, '=SUM(A1:A2)'), 'Bob Smith'), docId: 'aaaaaaaaaaaaaaaa', attributes: { role: '+expert' } },
    { ...ann('n3', 'source', span(NASTY_TEXT, '\ttab'), 'Bob Smith'), docId: 'aaaaaaaaaaaaaaaa' },
  ],
};

function rows(out: string): string[][] {
  expect(out.startsWith('\uFEFF')).toBe(true);
  const parsed = Papa.parse<string[]>(out.slice(1), { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

const unescape = (cell: string) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

describe('CSV export', () => {
  it('writes a BOM, the header with one column per attribute name, CRLF rows', () => {
    expect(csvAttributeColumns(SCHEMA).map(([h]) => h)).toEqual(['role', 'check-worthy', 'topics', 'confidence', 'date', 'claimant']);
    const out = run(createCsvExporter(), [DOC, DOC2], SCHEMA);
    expect(out.startsWith('\uFEFFdocument_id,annotation_id,title,label,start,end,text,annotator,role,check-worthy,topics,confidence,date,claimant,note,linked_to,link_type,origin\r\n')).toBe(true);
    expect(out.replace(/\r\n/g, '').includes('\n')).toBe(true); // the note's own newline, inside quotes
    const data = rows(out);
    expect(data).toHaveLength(1 + ANNOTATIONS.length);
    expect(data[1]).toEqual([DOC_ID, 'a1', DOC.title, 'source', '3', '10', 'Blinken', 'alice', 'official', '', '', '', '', '', ANNOTATIONS[0]!.note, '', '', '']);
    // A claim's row names the source it is attributed to.
    expect(data[2]).toEqual([DOC_ID, 'a2', DOC.title, 'claim', '18', '37', 'the “deal” is close', 'alice', '', 'true', 'diplomacy', '0.8', '2024-10-22', 'Blinken', '', 'a1', 'attributed-to', '']);
    expect(data[3]!.slice(3, 12)).toEqual(['claim', '11', '28', '𝒳 said the “deal”', 'Bob Smith', '', 'false', '', "'-2"]);
    expect(data[3]!.slice(-3)).toEqual(['a4', 'attributed-to', '']);
  });

  it('gives back every field through a CSV parser; start/end are code points', () => {
    const data = rows(run(createCsvExporter(), [DOC], SCHEMA));
    const cps = Array.from(TEXT);
    data.slice(1).forEach((row, i) => {
      const a = ANNOTATIONS[i]!;
      expect(row[6]).toBe(TEXT.slice(a.start, a.end));
      expect(cps.slice(Number(row[4]), Number(row[5])).join('')).toBe(row[6]);
    });
  });

  it('quotes commas, quotes and newlines, and escapes formula-looking cells recoverably', () => {
    const data = rows(run(createCsvExporter(), [NASTY], SCHEMA));
    const [header, r1, r2, r3] = data;
    const col = (name: string) => header!.indexOf(name);
    expect(r1![col('title')]).toBe(`'${NASTY.title}`);
    expect(unescape(r1![col('title')]!)).toBe(NASTY.title);
    expect(r1![col('text')]).toBe('said "yes, no"\r\nthen');
    expect(r1![col('claimant')]).toBe("'-minus");
    expect(r1![col('topics')]).toBe('war; a, b');
    expect(r1![col('check-worthy')]).toBe('false');
    expect(unescape(r1![col('confidence')]!)).toBe('-3');
    expect(r1![col('note')]).toBe(`'@note "x"\nline 2`);
    expect(unescape(r1![col('note')]!)).toBe(NASTY.annotations[0]!.note);
    expect(r2![col('text')]).toBe("'=SUM(A1:A2)");
    expect(unescape(r2![col('role')]!)).toBe('+expert');
    expect(r3![col('text')]).toBe("'\ttab");
    for (const row of data) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('escapes only cells that begin with a formula character', () => {
    expect(escapeFormula('a=b')).toBe('a=b');
    expect(escapeFormula('=1')).toBe("'=1");
    expect(escapeFormula('')).toBe('');
  });

  it('renames attribute columns that clash with fixed ones', () => {
    const schema: TagSchema = { labels: [{ name: 'x', color: '#000000', key: 'x', attributes: [{ name: 'note', type: 'text' }, { name: 'label', type: 'text' }] }], relations: [] };
    const out = run(createCsvExporter(), [], schema);
    expect(out).toBe('\uFEFFdocument_id,annotation_id,title,label,start,end,text,annotator,attribute:note,attribute:label,note,linked_to,link_type,origin\r\n');
  });
});
