/**
 * The suggestion thread: runs the engine (shared/suggest) on one document at a time, away from
 * the thread that answers the API. The pool that starts it (suggestPool.ts) holds the time limit
 * and replaces this thread when it is hit.
 */
import { parentPort } from 'node:worker_threads';
import { suggest } from '../../../shared/suggest';
import type { SuggestReply, SuggestRequest } from './suggestProtocol';

const port = parentPort;
if (!port) throw new Error('suggestWorker.ts runs as a worker thread, started by suggestPool.ts');

port.on('message', ({ id, text, options }: SuggestRequest) => {
  const reply = (message: SuggestReply) => port.postMessage(message);
  reply({ id, kind: 'started' });
  reply({ id, kind: 'done', suggestions: suggest(text, options) });
});
