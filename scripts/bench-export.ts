/**
 * Export benchmark: builds a synthetic project (DOCS documents × SPANS annotations each, two
 * annotators) in a temp folder, then exports it in every available format, printing time, output
 * size and the peak heap growth. The heap stays flat as DOCS grows: documents are streamed.
 *
 *   npx tsx scripts/bench-export.ts [DOCS=2000] [SPANS=50]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { exporterFor, projectDocuments, writeExport } from '../electron/services/datasets/datasetExport';
import { documentIdOf } from '../electron/services/intake/importText';
import { ProjectStore } from '../electron/services/store/projectStore';
import { quoteAt } from '../shared/anchoring';
import { availableExportFormats } from '../shared/formats/registry';
import type { Annotation } from '../shared/model';

const DOCS = Number(process.argv[2] ?? 2000);
const SPANS = Number(process.argv[3] ?? 50);

async function sizeOf(target: string): Promise<number> {
  const info = statSync(target);
  if (info.isFile()) return info.size;
  let total = 0;
  for (const e of await readdir(target, { recursive: true, withFileTypes: true })) if (e.isFile()) total += statSync(path.join(e.parentPath, e.name)).size;
  return total;
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'margin-bench-'));
  try {
    const store = await ProjectStore.open(path.join(dir, 'project'));
    const t0 = performance.now();
    for (let d = 0; d < DOCS; d++) {
      const text = Array.from({ length: 40 }, (_, s) => `Sentence ${s} of article ${d} says 👍🏽 that officials met in Doha on Tuesday.`).join(' ');
      const id = documentIdOf(text);
      await store.addDocument({ version: 1, id, title: `Article ${d}`, text, importedAt: new Date(Date.UTC(2024, 0, 1, 0, 0, d)).toISOString() });
      for (const annotator of ['alice', 'bob']) {
        const annotations: Annotation[] = [];
        for (let s = 0; s < SPANS / 2; s++) {
          const start = (s * 97) % (text.length - 40);
          const end = start + 20 + (s % 15);
          annotations.push({ id: randomUUID(), docId: id, annotator, label: s % 3 === 0 ? 'quote' : 'claim', start, end, quote: quoteAt(text, start, end), attributes: s % 2 ? { claimant: 'x' } : {}, createdAt: '', updatedAt: '' });
        }
        await store.updateLayer(annotator, id, (layer) => layer.annotations.push(...annotations));
      }
    }
    console.log(`Built ${DOCS} documents × ${SPANS} annotations in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    for (const format of availableExportFormats()) {
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      let peak = heapBefore;
      const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
      const exporter = exporterFor(format);
      const target = path.join(dir, `out-${format}${exporter.kind === 'single' ? `.${exporter.extension.replace(/^\./, '')}` : ''}`);
      const start = performance.now();
      const result = await writeExport({
        exporter,
        source: projectDocuments(store),
        target,
        schema: store.project.schema,
        onProgress: () => (peak = Math.max(peak, process.memoryUsage().heapUsed)),
      });
      clearInterval(timer);
      const ms = performance.now() - start;
      const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
      console.log(
        `${format.padEnd(13)} ${result.documents} docs, ${result.annotations} annotations: ${(ms / 1000).toFixed(2)} s, ${mb(await sizeOf(target))} MB written, peak heap +${mb(peak - heapBefore)} MB`,
      );
    }
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
