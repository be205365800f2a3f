import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { crc32, deflateRaw } from 'node:zlib';
import { plural } from '../../../shared/plural';
import { MarginError } from '../errors';

/**
 * A folder as a zip archive, written as it is read: one file in memory at a time, so a brat
 * export of thousands of documents downloads without holding the folder in memory. Classic zip
 * (no ZIP64): a folder beyond its limits (65,535 files, 4 GiB) is refused before anything is sent.
 */

const deflate = promisify(deflateRaw);

const MAX_ENTRIES = 0xffff;
const MAX_OFFSET = 0xffffffff;
/** Local header (30 bytes) and central header (46 bytes) per entry, besides the name twice. */
const PER_ENTRY = 30 + 46;
const END_RECORD = 22;
/** General-purpose flag 11: names are UTF-8. */
const UTF8_NAMES = 0x0800;

interface ZipEntry {
  /** Name inside the archive, with forward slashes. */
  name: string;
  file: string;
  size: number;
  mtime: Date;
}

/**
 * The regular files under `dir`, sorted, named `<root>/<relative path>`. Symbolic links and
 * anything else that is not a plain file or folder are left out: an export never makes them, and
 * one planted there must not lead the archive out of the folder.
 */
async function entriesOf(dir: string, root: string): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = [];
  const walk = async (folder: string, prefix: string) => {
    const names = (await readdir(folder)).sort();
    for (const name of names) {
      const file = path.join(folder, name);
      const info = await lstat(file);
      if (info.isDirectory()) await walk(file, `${prefix}${name}/`);
      else if (info.isFile()) entries.push({ name: `${prefix}${name}`, file, size: info.size, mtime: info.mtime });
    }
  };
  await walk(dir, `${root}/`);
  return entries;
}

/** MS-DOS time and date (local time, two-second steps), as zip headers hold them. */
function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.min(Math.max(date.getFullYear(), 1980), 2107);
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

interface Written {
  name: Buffer;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  time: number;
  date: number;
  offset: number;
}

/** What the local and the central header both hold, in the same order: version needed to the extra field's length. */
function writeShared(b: Buffer, at: number, w: Written): void {
  b.writeUInt16LE(20, at);
  b.writeUInt16LE(UTF8_NAMES, at + 2);
  b.writeUInt16LE(w.method, at + 4);
  b.writeUInt16LE(w.time, at + 6);
  b.writeUInt16LE(w.date, at + 8);
  b.writeUInt32LE(w.crc, at + 10);
  b.writeUInt32LE(w.compressed, at + 14);
  b.writeUInt32LE(w.size, at + 18);
  b.writeUInt16LE(w.name.length, at + 22);
  // The extra field's length stays 0.
}

function localHeader(w: Written): Buffer {
  const b = Buffer.alloc(30);
  b.writeUInt32LE(0x04034b50, 0);
  writeShared(b, 4, w);
  return Buffer.concat([b, w.name]);
}

function centralHeader(w: Written): Buffer {
  const b = Buffer.alloc(46);
  b.writeUInt32LE(0x02014b50, 0);
  b.writeUInt16LE(20, 4); // made by: version 2.0
  writeShared(b, 6, w);
  // Comment, disk number, internal and external attributes: none.
  b.writeUInt32LE(w.offset, 42);
  return Buffer.concat([b, w.name]);
}

function endRecord(count: number, size: number, offset: number): Buffer {
  const b = Buffer.alloc(END_RECORD);
  b.writeUInt32LE(0x06054b50, 0);
  b.writeUInt16LE(count, 8);
  b.writeUInt16LE(count, 10);
  b.writeUInt32LE(size, 12);
  b.writeUInt32LE(offset, 16);
  return b;
}

async function* archive(entries: readonly ZipEntry[]): AsyncGenerator<Buffer> {
  const written: Written[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = await readFile(entry.file);
    const packed = await deflate(data);
    // Stored when deflating does not pay (tiny or already compressed files).
    const [method, body] = packed.length < data.length ? [8, packed] : [0, data];
    const w: Written = { name: Buffer.from(entry.name, 'utf8'), method, crc: crc32(data), compressed: body.length, size: data.length, ...dosDateTime(entry.mtime), offset };
    const header = localHeader(w);
    written.push(w);
    offset += header.length + body.length;
    yield header;
    yield body;
  }
  const central = Buffer.concat(written.map(centralHeader));
  yield central;
  yield endRecord(written.length, central.length, offset);
}

/**
 * A stream of the zip of `dir`, its files under `root/`. The folder is listed first, so one too
 * big for a classic zip is refused (a MarginError naming it) before the first byte is sent.
 */
export async function zipFolder(dir: string, root: string): Promise<Readable> {
  const entries = await entriesOf(dir, root);
  const nameBytes = entries.reduce((n, e) => n + 2 * Buffer.byteLength(e.name), 0);
  const largest = entries.reduce((n, e) => n + e.size, 0) + entries.length * PER_ENTRY + nameBytes + END_RECORD;
  if (entries.length > MAX_ENTRIES || largest > MAX_OFFSET) {
    throw new MarginError('bad-input', `${root} is too big to download as one zip (${plural(entries.length, 'file')}); it is in the project's exports folder.`);
  }
  return Readable.from(archive(entries), { objectMode: false });
}
