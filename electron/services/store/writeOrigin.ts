import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Which window a write is made for. Set around each API call (dispatch), read where files are
 * written (jsonFile.ts), so the folder watcher can tell the other windows of this process about
 * it while the window that made the change is not told of its own write.
 */
export const writeOrigin = new AsyncLocalStorage<string>();
