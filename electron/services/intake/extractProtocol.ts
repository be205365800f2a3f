import type { Extracted } from './extract/common';

/** One file for the reader thread. */
export interface ReaderRequest {
  id: number;
  fileName: string;
  bytes: Uint8Array;
}

/** The reader thread began reading the file (its reader is loaded), then finished with a result. */
export type ReaderReply = { id: number; kind: 'started' } | { id: number; kind: 'done'; result: Extracted };
