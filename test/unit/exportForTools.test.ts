import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/services/workspace';
import { defaultSchema } from '../../shared/defaultSchema';
import { layerOnDisk, runMargin, samplePaths, spanOf, TempDirs } from './helpers';

/**
 * Exports other tools take as they are: Label Studio gets its labeling config beside the tasks
 * (every result the tasks hold has its control tag there) and `completed_by` as Label Studio
 * documents it; the CSV keeps each annotation's links (a quote's source) in columns of its row.
 */

const temps = new TempDirs();
afterEach(() => temps.cleanup());

const CNN = readFileSync(samplePaths().find((p) => readFileSync(p, 'utf8').includes('Sinwar'))!, 'utf8');

interface Ids {
  dir: string;
  docId: string;
  quote: string;
  source: string;
}

/** The CNN sample: alice tags a quote with its speaker and links it to its source; bob tags a claim. */
async function project(): Promise<Ids> {
  const dir = path.join(temps.make(), 'project');
  const ws = await Workspace.open({ userData: temps.userData(), projectDir: dir, mode: 'browser' });
  try {
    const docId = (await ws.handlers.importText({ text: CNN })).imported[0]!.docId;
    const { text } = await ws.handlers.getDocument({ docId });
    await ws.handlers.setAnnotator({ name: 'alice' });
    const quote = await ws.handlers.createAnnotation({ docId, label: 'quote', ...spanOf(text, '“capitalize”') });
    const source = await ws.handlers.createAnnotation({ docId, label: 'source', ...spanOf(text, 'Antony Blinken') });
    await ws.handlers.updateAnnotation({ docId, annotationId: quote.id, changes: { attributes: { speaker: 'Antony Blinken', kind: 'partial' }, note: 'one word quoted' } });
    await ws.handlers.createRelation({ docId, type: 'attributed-to', from: quote.id, to: source.id });
    await ws.handlers.setAnnotator({ name: 'bob' });
    const claim = await ws.handlers.createAnnotation({ docId, label: 'claim', ...spanOf(text, 'Yahya Sinwar') });
    await ws.handlers.updateAnnotation({ docId, annotationId: claim.id, changes: { attributes: { 'check-worthy': true } } });
    return { dir, docId, quote: quote.id, source: source.id };
  } finally {
    await ws.close();
  }
}

/** The control tag each kind of Label Studio result comes from. */
const TAG_OF: Record<string, string> = { labels: 'Labels', textarea: 'TextArea', choices: 'Choices', number: 'Number', datetime: 'DateTime' };

interface Result {
  id?: string;
  from_name?: string;
  to_name?: string;
  type: string;
  value?: { choices?: string[]; labels?: string[] };
  labels?: string[];
}

describe('Label Studio export', () => {
  it('ships the labeling config beside the tasks: every label, relation type and attribute of the schema, a control for every result', async () => {
    const ids = await project();
    const userData = temps.make('margin-cli-ud-');
    const out = path.join(temps.make(), 'news-tasks.json');
    const run = await runMargin(['export', '--project', ids.dir, '--format', 'label-studio', '--out', out], userData);
    expect(run.code, run.stderr).toBe(0);
    const configFile = path.join(path.dirname(out), 'news-tasks.labeling-config.xml');
    expect(existsSync(configFile)).toBe(true);
    expect(run.stderr).toContain(configFile);

    const xml = readFileSync(configFile, 'utf8');
    const dom = new JSDOM('').window;
    const config = new dom.DOMParser().parseFromString(xml, 'application/xml');
    expect(config.getElementsByTagName('parsererror')).toHaveLength(0);
    expect(config.documentElement.tagName).toBe('View');
    const text = config.querySelector('Text');
    expect([text?.getAttribute('name'), text?.getAttribute('value')]).toEqual(['text', '$text']);
    const labels = config.querySelector('Labels[name="label"]')!;
    expect(labels.getAttribute('toName')).toBe('text');
    expect([...labels.querySelectorAll('Label')].map((l) => [l.getAttribute('value'), l.getAttribute('background')])).toEqual(defaultSchema.labels.map((l) => [l.name, l.color]));
    expect([...config.querySelectorAll('Relations > Relation')].map((r) => r.getAttribute('value'))).toEqual(defaultSchema.relations.map((r) => r.type));
    // One per-region control per attribute, of the attribute's kind, shown for its label's spans.
    const control = (name: string) => [...config.querySelectorAll('[name]')].find((e) => e.getAttribute('name') === name);
    for (const label of defaultSchema.labels) {
      for (const attribute of label.attributes) {
        const tag = control(attribute.name);
        expect(tag, `${label.name}.${attribute.name}`).toBeDefined();
        expect(tag!.getAttribute('perRegion')).toBe('true');
        expect(tag!.getAttribute('toName')).toBe('text');
        expect(tag!.tagName).toBe({ text: 'TextArea', choice: 'Choices', multi: 'Choices', boolean: 'Choices', number: 'Number', date: 'DateTime' }[attribute.type]);
        expect(tag!.closest('View[visibleWhen="region-selected"]')?.getAttribute('whenLabelValue')).toBe(label.name);
        if (attribute.type === 'choice') expect([...tag!.querySelectorAll('Choice')].map((c) => c.getAttribute('value'))).toEqual(attribute.values);
      }
    }
    expect(control('note')?.tagName).toBe('TextArea');

    // Every result of the tasks names a control of its kind in the config; choices are among its choices.
    const tasks = JSON.parse(readFileSync(out, 'utf8')) as { annotations: { completed_by: unknown; result: Result[] }[] }[];
    const results = tasks.flatMap((t) => t.annotations.flatMap((a) => a.result));
    expect(results.length).toBeGreaterThan(5);
    for (const r of results) {
      if (r.type === 'relation') {
        expect(defaultSchema.relations.map((d) => d.type)).toEqual(expect.arrayContaining(r.labels!));
        continue;
      }
      const tag = control(r.from_name!);
      expect(tag?.tagName, `${r.type} result from ${r.from_name}`).toBe(TAG_OF[r.type]);
      expect(r.to_name).toBe('text');
      if (r.type === 'choices') for (const c of r.value!.choices!) expect([...tag!.querySelectorAll('Choice')].map((e) => e.getAttribute('value'))).toContain(c);
      if (r.type === 'labels') for (const l of r.value!.labels!) expect(defaultSchema.labels.map((d) => d.name)).toContain(l);
    }
    // completed_by as Label Studio documents it for import: an existing user's email or id, or
    // null for the user who imports. Margin's annotators are neither, so null.
    expect(tasks[0]!.annotations.map((a) => a.completed_by)).toEqual([null, null]);

    // Margin still knows whose annotations they are when the file comes back.
    const fresh = path.join(temps.make(), 'fresh');
    const back = await runMargin(['import-annotations', '--project', fresh, '--format', 'label-studio', out], userData);
    expect(back.code, back.stderr).toBe(0);
    expect(layerOnDisk(fresh, 'alice', ids.docId).annotations.map((a) => a.label).sort()).toEqual(['quote', 'source']);
    expect(layerOnDisk(fresh, 'alice', ids.docId).relations).toHaveLength(1);
    expect(layerOnDisk(fresh, 'bob', ids.docId).annotations.map((a) => [a.label, a.attributes])).toEqual([['claim', { 'check-worthy': true }]]);
  }, 120_000);

  it('on stdout (no --out), says that the labeling config needs --out', async () => {
    const ids = await project();
    const run = await runMargin(['export', '--project', ids.dir, '--format', 'label-studio'], temps.make('margin-cli-ud-'));
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveLength(1);
    expect(run.stderr).toMatch(/labeling config.*--out/);
  }, 120_000);
});

describe('CSV export', () => {
  it('has each annotation\'s id and its links (linked annotation id and type), so a quote keeps its source', async () => {
    const ids = await project();
    const run = await runMargin(['export', '--project', ids.dir, '--format', 'csv'], temps.make('margin-cli-ud-'));
    expect(run.code, run.stderr).toBe(0);
    const [header, ...rows] = Papa.parse<string[]>(run.stdout.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    const col = (name: string) => {
      const i = header!.indexOf(name);
      expect(i, name).toBeGreaterThanOrEqual(0);
      return i;
    };
    expect(header!.slice(0, 2)).toEqual(['document_id', 'annotation_id']);
    expect(header!.slice(-3)).toEqual(['linked_to', 'link_type', 'origin']);
    const row = (id: string) => rows.find((r) => r[col('annotation_id')] === id)!;
    expect(row(ids.quote)[col('text')]).toBe('“capitalize”');
    expect(row(ids.quote)[col('linked_to')]).toBe(ids.source);
    expect(row(ids.quote)[col('link_type')]).toBe('attributed-to');
    expect(row(ids.source)[col('text')]).toBe('Antony Blinken');
    expect(row(ids.source)[col('linked_to')]).toBe('');
  }, 120_000);
});
