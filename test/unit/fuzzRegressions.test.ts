import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { extractArticle } from '../../electron/services/intake/extract';
import type { AnnotationImportReport } from '../../shared/api';
import { parseDoccano } from '../../shared/formats/doccano';
import { parseLabelStudio } from '../../shared/formats/labelStudio';
import { parseW3c } from '../../shared/formats/w3c';
import { zipOf } from '../fuzz/bytes';
import { DOC } from './formatFixtures';
import { openWorkspace, TempDirs } from './helpers';

/**
 * Defects the fuzz tests (fuzzArticles / fuzzAnnotations) found, each kept as the case that
 * showed it, reduced to what matters.
 */

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const utf8 = (s: string) => Buffer.from(s, 'utf8');

describe('found by fuzzing: messages that showed a parser\'s internals', () => {
  it('a Word file whose text part is not XML is refused in words, not with xmldom\'s "@#[line:undefined,col:undefined]"', async () => {
    const docx = zipOf([
      { name: '[Content_Types].xml', data: utf8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'), deflate: true },
      { name: '_rels/.rels', data: utf8('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'), deflate: true },
      { name: 'word/document.xml', data: utf8(`<?xml version="1.0"?><w:document ${W}><w:body><w:p><w:r><w:t>Blinken said the “deal” is close &bogus;</w:t></w:r></w:p></w:body></w:document>`), deflate: true },
    ]);
    expect(await extractArticle('brief.docx', docx)).toEqual({ ok: false, reason: 'is not a Word document or it is damaged (a part of it is not valid XML)' });
  });

  it('w3c: a TextPositionSelector without an end says the end is missing, not "undefined"', () => {
    const annotation = {
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      id: 'urn:x:1',
      type: 'Annotation',
      body: { type: 'TextualBody', purpose: 'tagging', value: 'claim' },
      target: { source: 'urn:doc', selector: [{ type: 'TextPositionSelector', start: 18 }] },
    };
    const { problems } = parseW3c({ name: 'colleague.json', content: JSON.stringify(annotation), text: DOC.text });
    expect(problems.map((p) => p.reason)).toEqual(['item 1 (urn:x:1): its TextPositionSelector has start 18 and end missing: they must be whole numbers with 0 <= start <= end']);
  });

  it('doccano: a relation without to_id, or with an object for from_id, says so', () => {
    const line = {
      text: DOC.text,
      entities: [{ id: 1, label: 'source', start_offset: 3, end_offset: 10 }, { id: 2, label: 'claim', start_offset: 18, end_offset: 37 }],
      relations: [{ id: 1, from_id: 2, type: 'attributed-to' }, { id: 2, from_id: { id: 2 }, to_id: 1, type: 'attributed-to' }],
    };
    const { problems } = parseDoccano({ name: 'colleague.jsonl', content: JSON.stringify(line) });
    expect(problems).toEqual([
      { line: 1, reason: 'relation 1: links an entity that is not in this line (2 → missing)' },
      { line: 1, reason: 'relation 2: links an entity that is not in this line (an object → 1)' },
    ]);
  });

  it('Label Studio: an attribute result without a type, and a relation without to_id, say so', () => {
    const task = {
      data: { text: DOC.text },
      annotations: [
        {
          result: [
            { id: 'a1', from_name: 'label', to_name: 'text', type: 'labels', value: { start: 3, end: 10, text: 'Blinken', labels: ['source'] } },
            { id: 'a1', from_name: 'role', to_name: 'text', value: { start: 3, end: 10, choices: ['official'] } },
            { from_id: 'a1', type: 'relation', direction: 'right' },
          ],
        },
      ],
    };
    const { problems } = parseLabelStudio({ name: 'tasks.json', content: JSON.stringify([task]) });
    expect(problems.map((p) => p.reason)).toEqual(['region a1: attribute role could not be read (its type is missing)', 'relation "a1" → missing: links a region that is not in this annotation']);
  });
});

describe('found by fuzzing: an import that imports nothing changes nothing', () => {
  it('brat: a file whose records are all already present or refused leaves margin.json as it was, even with "add to the tag schema"', async () => {
    const dir = path.join(temps.make(), 'project');
    const ws = await openWorkspace(temps, dir);
    const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
    const ann = ['T1\tsource 3 10\tBlinken', 'T2\tclaim 18 37\tthe “deal” is close'].join('\n');
    const importAnn = (content: string) =>
      ws.handlers.importAnnotations({ format: 'brat', files: [{ name: 'alice/deal.ann', data: b64(content) }, { name: 'alice/deal.txt', data: b64(DOC.text) }], addToSchema: true, dryRun: false });
    try {
      const first: AnnotationImportReport = await importAnn(ann);
      expect(first.files[0]!.imported).toBe(2);
      const schemaBefore = readFileSync(path.join(dir, 'margin.json'));
      // The same spans again, plus an attribute the schema lacks on a note line brat cannot attach:
      // nothing to write, so nothing may be added to the schema.
      const again: AnnotationImportReport = await importAnn(`${ann}\nA1\tsentiment T2 negative\nA2\tstance T9 for`);
      expect(again.files[0]).toMatchObject({ imported: 0, orphaned: 0, alreadyPresent: 2 });
      expect(again.schemaAdditions).toEqual({ labels: [], attributes: [], relationTypes: [] });
      expect(readFileSync(path.join(dir, 'margin.json'))).toEqual(schemaBefore);
    } finally {
      await ws.close();
    }
  });
});

describe('found by fuzzing: ids with line breaks', () => {
  it('a w3c target and a doccano entity id with a line break in them are reported on one line', async () => {
    const ws = await openWorkspace(temps);
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64');
    try {
      const w3c = { '@context': 'http://www.w3.org/ns/anno.jsonld', id: 'urn:x:1', type: 'Annotation', body: { type: 'TextualBody', purpose: 'tagging', value: 'claim' }, target: 'urn:doc\nsecond line' };
      const doccano = { text: DOC.text, entities: [{ id: 'e\n1', start_offset: 3, end_offset: 10 }] };
      for (const [format, name, data] of [['w3c', 'colleague.json', b64(w3c)], ['doccano', 'colleague.jsonl', b64(doccano)]] as const) {
        const report: AnnotationImportReport = await ws.handlers.importAnnotations({ format, files: [{ name, data }], addToSchema: false, dryRun: true });
        const reasons = report.files[0]!.rejected.map((r) => r.reason);
        expect(reasons.length, format).toBeGreaterThan(0);
        for (const reason of reasons) expect(reason, format).not.toMatch(/[\r\n]/);
        expect(reasons.join(' '), format).toContain('\\n');
      }
    } finally {
      await ws.close();
    }
  });
});

