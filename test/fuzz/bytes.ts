import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';

/**
 * Text as news copy has it: letters, non-breaking and thin spaces, curly quotes, dashes, emoji
 * (astral, with skin-tone modifiers), right-to-left script, combining marks, CR/LF, tabs, and now
 * and then a control character or a lone surrogate half.
 */
const NEWS_PIECES = [
  'Blinken', ' said', ' the ', '“deal”', '‘close’', ' — ', '–', '…', '\u00a0', '\u2009', '\u200b', '👍🏽', '𝒳', 'é', 'e\u0301', 'ß', 'İ',
  'مرحبا', ' שלום', '北京', '\n', '\n\n', '\r\n', '\t', '.', ',', '"', "'", '&amp;', '<', '>', '&', '#', '*', '-', '1.', '\u0000', '\u0007', '\ud800', '\udc00', '\ufeff', '\u2028',
];
export const newsText = (maxPieces = 80): fc.Arbitrary<string> =>
  fc.array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...NEWS_PIECES) }, { weight: 2, arbitrary: fc.string({ maxLength: 12 }) }, { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) }), { maxLength: maxPieces }).map((p) => p.join(''));

/** One random change to a file's bytes, as damage, truncation or a careless edit would make. */
export function mutated(base: Uint8Array, others: readonly Uint8Array[] = []): fc.Arbitrary<Uint8Array> {
  const at = fc.nat({ max: Math.max(0, base.length - 1) });
  const pieces = [base, ...others];
  const edit = fc.oneof(
    fc.tuple(at, fc.integer({ min: 0, max: 255 })).map(([i, b]) => (x: Buffer) => ((x[i] = b), x)),
    fc.tuple(at, fc.integer({ min: 0, max: 7 })).map(([i, bit]) => (x: Buffer) => ((x[i]! ^= 1 << bit), x)),
    at.map((i) => (x: Buffer) => x.subarray(0, i)),
    fc.tuple(at, fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([i, add]) => (x: Buffer) => Buffer.concat([x.subarray(0, i), add, x.subarray(i)])),
    fc.tuple(at, fc.nat({ max: 512 })).map(([i, n]) => (x: Buffer) => Buffer.concat([x.subarray(0, i), x.subarray(i + n)])),
    fc.tuple(at, at, fc.nat({ max: 256 })).map(([i, from, n]) => (x: Buffer) => Buffer.concat([x.subarray(0, i), x.subarray(from, from + n), x.subarray(i)])),
    fc.tuple(at, fc.nat({ max: pieces.length - 1 }), fc.nat(), fc.nat({ max: 2048 })).map(([i, which, from, n]) => (x: Buffer) => {
      const other = pieces[which]!;
      const start = other.length === 0 ? 0 : from % other.length;
      return Buffer.concat([x.subarray(0, i), other.subarray(start, start + n)]);
    }),
  );
  type Edit = (x: Buffer) => Buffer;
  return fc.array(edit as fc.Arbitrary<Edit>, { minLength: 1, maxLength: 4 }).map((edits): Uint8Array => edits.reduce<Buffer>((x, e) => e(x), Buffer.from(base)));
}

/** Random bytes, sometimes behind a signature that makes a reader take them for its format. */
export const noise = (signatures: readonly string[] = []): fc.Arbitrary<Uint8Array> =>
  fc.tuple(fc.constantFrom('', ...signatures), fc.uint8Array({ maxLength: 3000 })).map(([sig, rest]) => Buffer.concat([Buffer.from(sig, 'latin1'), rest]));

// ---------------------------------------------------------------------------------------------
// A small zip writer: Word files are zips, and the interesting damage is in the zip's structure
// (sizes that lie, entries that repeat, names that climb out, data that is not deflate).

export interface ZipEntrySpec {
  name: string;
  data: Uint8Array;
  deflate: boolean;
  /** When set, the size the headers declare instead of the real uncompressed size. */
  declaredSize?: number;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function zipOf(entries: readonly ZipEntrySpec[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const body = e.deflate ? deflateRawSync(e.data) : Buffer.from(e.data);
    const size = e.declaredSize ?? e.data.length;
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(e.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(e.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size >>> 0, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
