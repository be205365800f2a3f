/**
 * The import reader's thread: reads one file at a time with the extractors (jsdom, Readability,
 * pdfjs, marked, mammoth), away from the thread that answers the API. The pool that starts it
 * (extractPool.ts) holds the time and memory limits and replaces this thread when one is hit.
 */
import { parentPort } from 'node:worker_threads';
import { extractArticle, prepareExtractor } from './extract';
import type { ReaderReply, ReaderRequest } from './extractProtocol';

const port = parentPort;
if (!port) throw new Error('extractWorker.ts runs as a worker thread, started by extractPool.ts');

port.on('message', async ({ id, fileName, bytes }: ReaderRequest) => {
  const reply = (message: ReaderReply) => port.postMessage(message);
  // The format's reader is loaded first, so the clock on this file starts with the reading itself.
  await prepareExtractor(fileName).catch(() => undefined);
  reply({ id, kind: 'started' });
  reply({ id, kind: 'done', result: await extractArticle(fileName, bytes) });
});
