/**
 * A big project written straight in the project format (margin.json, documents/<docId>.json,
 * annotations/<annotator>/<docId>.json with labels stored by id): filling 1,000,000 annotations
 * through the API would take longer than the whole benchmark may. The project itself is created
 * by ProjectStore.open, so margin.json (schema, label ids, revision) is exactly what Margin writes.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { quoteAt } from '../../../shared/anchoring';
import { labelId } from '../../../shared/labelIds';
import { FORMAT_VERSION, type Annotation, type DocumentRecord, type LayerFile } from '../../../shared/model';
import { documentIdOf } from '../../../electron/services/intake/importText';
import { ProjectStore } from '../../../electron/services/store/projectStore';
import { Random } from '../../../test/crash/random';

export interface StoreShape {
  documents: number;
  /** Annotations per annotator per document. */
  perLayer: number;
  annotators: readonly string[];
}

/** Seeded numbers in [0, 1): the same workload on every machine. */
export function random(seed: number): () => number {
  const generator = new Random(seed);
  return () => generator.next();
}

const WORDS = (
  'the minister said prices would fall next year while critics disagreed and officials met in Doha on Tuesday ' +
  'port workers walked out over pay union leaders warned of strikes the central bank raised rates again ' +
  'analysts expect growth to slow exports rose sharply in March according to figures released by the ministry ' +
  'residents were evacuated after flooding the mayor promised an inquiry into the response of emergency services'
).split(' ');

/** An article of about 3,000 characters in paragraphs, like a news story. */
export function articleText(rnd: () => number, n: number): string {
  const paragraphs: string[] = [`Report ${n}: ${WORDS[n % WORDS.length]} ${WORDS[(n * 7) % WORDS.length]} and the week ahead`];
  let length = paragraphs[0]!.length;
  while (length < 3000) {
    const words = Array.from({ length: 30 + Math.floor(rnd() * 50) }, () => WORDS[Math.floor(rnd() * WORDS.length)]!);
    words[0] = words[0]![0]!.toUpperCase() + words[0]!.slice(1);
    const paragraph = `${words.join(' ')}.`;
    paragraphs.push(paragraph);
    length += paragraph.length + 2;
  }
  return paragraphs.join('\n\n');
}

/** A deterministic id shaped like the UUIDs Margin gives annotations. */
function idOf(...parts: (string | number)[]): string {
  const h = createHash('sha1').update(parts.join('/')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Spans on word boundaries, most apart, some nested and some overlapping, as analysts tag. */
function spansOf(rnd: () => number, text: string, count: number): { start: number; end: number }[] {
  const words: number[] = [];
  for (const m of text.matchAll(/\S+/g)) words.push(m.index);
  const spans: { start: number; end: number }[] = [];
  for (let i = 0; i < count; i++) {
    const first = Math.floor(rnd() * (words.length - 8));
    const last = first + 1 + Math.floor(rnd() * 6);
    const start = words[first]!;
    const end = words[last]! - 1;
    if (end > start) spans.push({ start, end });
    else i--;
  }
  return spans;
}

/**
 * Writes the project. Layers differ between annotators as colleagues' do: the second keeps most
 * of the first one's spans, shifted or relabelled here and there.
 */
export interface StoreProject {
  /** Every document's id and text length, in import order. */
  documents: { id: string; length: number }[];
  annotations: number;
}

export async function writeStoreProject(dir: string, shape: StoreShape, log: (line: string) => void = () => undefined): Promise<StoreProject> {
  const store = await ProjectStore.open(dir, { name: path.basename(dir) });
  const labels = store.project.schema.labels.filter((l) => ['claim', 'quote', 'event'].includes(l.name)).map(labelId);
  await store.close();
  if (labels.length === 0) throw new Error(`${dir}: the new project's schema has no claim, quote or event label`);
  const rnd = random(20240601 + shape.documents);
  let annotations = 0;
  const documents: StoreProject['documents'] = [];
  const started = performance.now();
  const pending = new Set<Promise<void>>();
  // A few files in flight at once: enough to keep the disk busy, few enough to keep memory flat.
  const put = async (file: string, value: unknown) => {
    const write = writeFile(file, `${JSON.stringify(value, null, 2)}\n`).then(() => void pending.delete(write));
    pending.add(write);
    if (pending.size >= 32) await Promise.race(pending);
  };
  for (const annotator of shape.annotators) await mkdir(path.join(dir, 'annotations', annotator), { recursive: true });
  for (let d = 0; d < shape.documents; d++) {
    const text = articleText(rnd, d);
    const docId = documentIdOf(text);
    documents.push({ id: docId, length: text.length });
    const importedAt = new Date(Date.UTC(2024, 0, 1) + d * 60_000).toISOString();
    const record: DocumentRecord = { version: FORMAT_VERSION, id: docId, title: `Report ${d}`, text, fileName: `report-${d}.txt`, importedAt };
    await put(path.join(dir, 'documents', `${docId}.json`), record);
    const first = spansOf(rnd, text, shape.perLayer).map((s) => ({ ...s, label: labels[Math.floor(rnd() * labels.length)]! }));
    for (const [a, annotator] of shape.annotators.entries()) {
      const spans =
        a === 0
          ? first
          : first.map((s) => {
              const r = rnd();
              if (r < 0.8) return s;
              if (r < 0.9) return { ...s, label: labels[Math.floor(rnd() * labels.length)]! };
              return { ...s, end: Math.min(text.length, s.end + 1 + Math.floor(rnd() * 10)) };
            });
      const list: Annotation[] = spans.map((s, i) => ({ id: idOf(annotator, d, i), docId, annotator, ...s, quote: quoteAt(text, s.start, s.end), attributes: {}, createdAt: importedAt, updatedAt: importedAt }));
      const layer: LayerFile = { version: FORMAT_VERSION, docId, annotator, annotations: list, relations: [], ...(d % 10 === 0 && a === 0 ? { status: 'done' as const } : {}) };
      annotations += list.length;
      await put(path.join(dir, 'annotations', annotator, `${docId}.json`), layer);
    }
    if ((d + 1) % 2000 === 0) log(`  ${(d + 1).toLocaleString('en')} documents, ${annotations.toLocaleString('en')} annotations written (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  await Promise.all(pending);
  return { documents, annotations };
}
