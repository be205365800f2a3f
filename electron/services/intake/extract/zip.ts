import { inflateRawSync } from 'node:zlib';
import { LIMITS, mb, refuse } from './common';

/**
 * A small reader of a zip's central directory, so that a .docx is judged before any
 * decompressor touches it: how many entries, how big they say they are, how much they shrink.
 */

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** Why the bytes are not a readable zip; the caller words it for its format. */
export class NotAZip extends Error {}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function u64(dv: DataView, at: number): number {
  const value = dv.getBigUint64(at, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new NotAZip('a size beyond any real file');
  return Number(value);
}

/** Lists the entries from the central directory (zip64 included), without inflating anything. */
export function readCentralDirectory(bytes: Uint8Array, maxEntries: number = LIMITS.zipEntries): ZipEntry[] {
  const dv = view(bytes);
  const n = bytes.length;
  if (n < 22) throw new NotAZip('too short to be a zip');
  // The end-of-central-directory record is in the last 22 + 65,535 (comment) bytes.
  let eocd = -1;
  for (let at = n - 22; at >= Math.max(0, n - 22 - 0xffff); at--) {
    if (dv.getUint32(at, true) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd === -1) throw new NotAZip('no zip directory at its end (truncated?)');
  let count = dv.getUint16(eocd + 10, true);
  let size = dv.getUint32(eocd + 12, true);
  let offset = dv.getUint32(eocd + 16, true);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || dv.getUint32(locator, true) !== EOCD64_LOCATOR) throw new NotAZip('a damaged zip64 directory');
    const record = u64(dv, locator + 8);
    if (record + 56 > n || dv.getUint32(record, true) !== EOCD64) throw new NotAZip('a damaged zip64 directory');
    count = u64(dv, record + 32);
    size = u64(dv, record + 40);
    offset = u64(dv, record + 48);
  }
  if (count > maxEntries) refuse(`has too many parts (${count.toLocaleString('en')} zip entries; a Word document has tens)`);
  if (offset + size > n) throw new NotAZip('its directory points past its end (truncated?)');
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > n || dv.getUint32(at, true) !== CENTRAL) throw new NotAZip('a damaged zip directory');
    const method = dv.getUint16(at + 10, true);
    let compressedSize = dv.getUint32(at + 20, true);
    let uncompressedSize = dv.getUint32(at + 24, true);
    const nameLength = dv.getUint16(at + 28, true);
    const extraLength = dv.getUint16(at + 30, true);
    const commentLength = dv.getUint16(at + 32, true);
    let localHeaderOffset = dv.getUint32(at + 42, true);
    const nameStart = at + 46;
    if (nameStart + nameLength + extraLength > n) throw new NotAZip('a damaged zip directory');
    const name = Buffer.from(bytes.subarray(nameStart, nameStart + nameLength)).toString('utf8');
    // Zip64 extra field: the 64-bit values for those set to 0xFFFFFFFF, in order.
    let extra = nameStart + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = dv.getUint16(extra, true);
      const len = dv.getUint16(extra + 2, true);
      if (id === 0x0001) {
        let p = extra + 4;
        if (uncompressedSize === 0xffffffff && p + 8 <= extraEnd) {
          uncompressedSize = u64(dv, p);
          p += 8;
        }
        if (compressedSize === 0xffffffff && p + 8 <= extraEnd) {
          compressedSize = u64(dv, p);
          p += 8;
        }
        if (localHeaderOffset === 0xffffffff && p + 8 <= extraEnd) localHeaderOffset = u64(dv, p);
      }
      extra += 4 + len;
    }
    entries.push({ name, method, compressedSize, uncompressedSize, localHeaderOffset });
    at = nameStart + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Refuses archives that would expand into far more than any document: total size and compression ratio. */
export function checkZipBomb(entries: readonly ZipEntry[]): void {
  let total = 0;
  let compressed = 0;
  for (const e of entries) {
    total += e.uncompressedSize;
    compressed += e.compressedSize;
    if (e.uncompressedSize > 1024 * 1024 && e.uncompressedSize / Math.max(1, e.compressedSize) > LIMITS.zipRatio) {
      refuse(`looks like a zip bomb (${e.name} expands ${Math.round(e.uncompressedSize / Math.max(1, e.compressedSize))} times, to ${mb(e.uncompressedSize)})`);
    }
  }
  if (total > LIMITS.zipUncompressedBytes) refuse(`looks like a zip bomb (it expands to ${mb(total)}; the limit is ${mb(LIMITS.zipUncompressedBytes)})`);
  if (total > 1024 * 1024 && total / Math.max(1, compressed) > LIMITS.zipRatio) {
    refuse(`looks like a zip bomb (it expands ${Math.round(total / Math.max(1, compressed))} times)`);
  }
}

/**
 * Inflates one entry, never producing more than it declares: an archive that lies about its
 * sizes in the directory (to slip past the checks above) is caught here.
 */
export function readEntry(bytes: Uint8Array, entry: ZipEntry): Buffer {
  const dv = view(bytes);
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || dv.getUint32(at, true) !== LOCAL) throw new NotAZip('a damaged zip entry');
  const start = at + 30 + dv.getUint16(at + 26, true) + dv.getUint16(at + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw new NotAZip('an entry runs past its end (truncated?)');
  const data = bytes.subarray(start, end);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.uncompressedSize) throw new NotAZip('a damaged stored entry');
    return Buffer.from(data);
  }
  if (entry.method !== 8) refuse(`uses a compression Word does not write (method ${entry.method})`);
  let out: Buffer;
  try {
    out = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
  } catch (error) {
    if (error instanceof RangeError || (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      refuse(`looks like a zip bomb (${entry.name} expands beyond the size it declares)`);
    }
    throw new NotAZip(`a damaged entry (${entry.name})`);
  }
  if (out.length !== entry.uncompressedSize) {
    if (out.length > entry.uncompressedSize) refuse(`looks like a zip bomb (${entry.name} expands beyond the size it declares)`);
    throw new NotAZip(`a damaged entry (${entry.name})`);
  }
  return out;
}
