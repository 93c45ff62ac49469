/**
 * Crates as `.zip` (WorkflowHub's `.crate.zip`): a streaming writer (text
 * deflated, everything else stored, ZIP64 when sizes need it) and a reader
 * that distrusts its input. The reader refuses entry names that climb out
 * of the archive (`../`, absolute paths, drive letters), encrypted entries,
 * overlapping entries and archives that would expand beyond set limits (zip
 * bombs: too many entries, too many bytes, too high a compression ratio);
 * it stops inflating as soon as an entry yields more bytes than it declared,
 * and checks every CRC. Extraction goes through a temporary sibling, so it
 * writes nothing outside its target and leaves nothing half-done.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { FairioError, writeAtomically } from '@fairio/ngff';

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;

let crcTable: Int32Array | undefined;
function crc32Fallback(data: Uint8Array, crc = 0): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let c = ~crc;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC-32 (zlib's, in Node ≥ 20.15; a table otherwise). */
export function crc32(data: Uint8Array, crc = 0): number {
  const native = (zlib as unknown as { crc32?: (d: Uint8Array, v?: number) => number }).crc32;
  return native ? native(data, crc) : crc32Fallback(data, crc);
}

// ---------------------------------------------------------------- writing

const COMPRESSIBLE = /\.(json|jsonld|md|txt|html?|csv|tsv|xml|ya?ml|ga|cwl|ijm|py|ts|js|svg)$/i;

function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getFullYear());
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

interface WrittenEntry {
  name: Buffer;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
  time: number;
  date: number;
  folder: boolean;
}

/**
 * Every folder (as `name/`, so that empty folders and folder data entities
 * exist in the archive) and file under `dir`, relative, sorted;
 * `ro-crate-metadata.json` first as WorkflowHub likes it.
 */
function filesToZip(dir: string, exclude: (relative: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (exclude(child)) continue;
      if (entry.isDirectory()) {
        out.push(`${child}/`);
        walk(child);
      } else if (entry.isFile()) out.push(child);
    }
  };
  walk('');
  return out.sort((a, b) => (a === 'ro-crate-metadata.json' ? -1 : b === 'ro-crate-metadata.json' ? 1 : a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Zip the folder `dir` into `zipFile` (written atomically). Paths inside the
 * archive are relative to `dir`.
 */
export async function zipFolder(dir: string, zipFile: string, options: { exclude?: (relative: string) => boolean; overwrite?: boolean } = {}): Promise<{ entries: number; bytes: number }> {
  const files = filesToZip(dir, options.exclude ?? (() => false));
  return writeAtomically(
    zipFile,
    async (temp) => {
      const out = await fs.promises.open(temp, 'w');
      let position = 0;
      const write = async (data: Uint8Array, at?: number) => {
        await out.write(data, 0, data.length, at ?? position);
        if (at === undefined) position += data.length;
      };
      const entries: WrittenEntry[] = [];
      try {
        for (const relative of files) {
          const absolute = path.join(dir, relative);
          const stat = fs.statSync(absolute);
          const name = Buffer.from(relative, 'utf8');
          const folder = relative.endsWith('/');
          const method = !folder && COMPRESSIBLE.test(relative) ? 8 : 0;
          const { time, date } = dosDateTime(stat.mtime);
          // Reserve ZIP64 sizes in the local header when the file might need them.
          const big = stat.size >= MAX32 - (1 << 20);
          const offset = position;
          const header = Buffer.alloc(30 + name.length + (big ? 20 : 0));
          header.writeUInt32LE(LOCAL, 0);
          header.writeUInt16LE(big ? 45 : 20, 4);
          header.writeUInt16LE(0x0800, 6); // UTF-8 names
          header.writeUInt16LE(method, 8);
          header.writeUInt16LE(time, 10);
          header.writeUInt16LE(date, 12);
          header.writeUInt16LE(name.length, 26);
          header.writeUInt16LE(big ? 20 : 0, 28);
          name.copy(header, 30);
          await write(header);
          let crc = 0;
          let compressed = 0;
          let size = 0;
          const source = folder ? (async function* () {})() : fs.createReadStream(absolute, { highWaterMark: 1 << 20 });
          if (method === 0) {
            for await (const chunk of source as AsyncIterable<Buffer>) {
              crc = crc32(chunk, crc);
              size += chunk.length;
              await write(chunk);
            }
            compressed = size;
          } else {
            const deflate = zlib.createDeflateRaw({ level: 6 });
            const done = (async () => {
              for await (const chunk of deflate as AsyncIterable<Buffer>) {
                compressed += chunk.length;
                await write(chunk);
              }
            })();
            for await (const chunk of source as AsyncIterable<Buffer>) {
              crc = crc32(chunk, crc);
              size += chunk.length;
              if (!deflate.write(chunk)) await new Promise((resolve) => deflate.once('drain', resolve));
            }
            deflate.end();
            await done;
          }
          // Patch CRC and sizes into the local header.
          const patch = Buffer.alloc(12);
          patch.writeUInt32LE(crc, 0);
          patch.writeUInt32LE(big ? MAX32 : compressed, 4);
          patch.writeUInt32LE(big ? MAX32 : size, 8);
          await write(patch, offset + 14);
          if (big) {
            const extra = Buffer.alloc(20);
            extra.writeUInt16LE(0x0001, 0);
            extra.writeUInt16LE(16, 2);
            extra.writeBigUInt64LE(BigInt(size), 4);
            extra.writeBigUInt64LE(BigInt(compressed), 12);
            await write(extra, offset + 30 + name.length);
          }
          entries.push({ name, method, crc, compressed, size, offset, time, date, folder });
        }
        // Central directory.
        const centralStart = position;
        for (const e of entries) {
          const needs64 = e.size >= MAX32 || e.compressed >= MAX32 || e.offset >= MAX32;
          const extra64: bigint[] = [];
          if (e.size >= MAX32) extra64.push(BigInt(e.size));
          if (e.compressed >= MAX32) extra64.push(BigInt(e.compressed));
          if (e.offset >= MAX32) extra64.push(BigInt(e.offset));
          const extra = Buffer.alloc(extra64.length ? 4 + 8 * extra64.length : 0);
          if (extra64.length) {
            extra.writeUInt16LE(0x0001, 0);
            extra.writeUInt16LE(8 * extra64.length, 2);
            extra64.forEach((v, i) => extra.writeBigUInt64LE(v, 4 + 8 * i));
          }
          const header = Buffer.alloc(46);
          header.writeUInt32LE(CENTRAL, 0);
          header.writeUInt16LE((3 << 8) | (needs64 ? 45 : 20), 4); // made by Unix
          header.writeUInt16LE(needs64 ? 45 : 20, 6);
          header.writeUInt16LE(0x0800, 8);
          header.writeUInt16LE(e.method, 10);
          header.writeUInt16LE(e.time, 12);
          header.writeUInt16LE(e.date, 14);
          header.writeUInt32LE(e.crc, 16);
          header.writeUInt32LE(Math.min(e.compressed, MAX32), 20);
          header.writeUInt32LE(Math.min(e.size, MAX32), 24);
          header.writeUInt16LE(e.name.length, 28);
          header.writeUInt16LE(extra.length, 30);
          header.writeUInt32LE((((e.folder ? 0o040755 : 0o100644) << 16) | (e.folder ? 0x10 : 0)) >>> 0, 38);
          header.writeUInt32LE(Math.min(e.offset, MAX32), 42);
          await write(Buffer.concat([header, e.name, extra]));
        }
        const centralSize = position - centralStart;
        if (entries.length >= MAX16 || centralStart >= MAX32 || centralSize >= MAX32) {
          const eocd64At = position;
          const z = Buffer.alloc(56);
          z.writeUInt32LE(EOCD64, 0);
          z.writeBigUInt64LE(44n, 4);
          z.writeUInt16LE(45, 12);
          z.writeUInt16LE(45, 14);
          z.writeBigUInt64LE(BigInt(entries.length), 24);
          z.writeBigUInt64LE(BigInt(entries.length), 32);
          z.writeBigUInt64LE(BigInt(centralSize), 40);
          z.writeBigUInt64LE(BigInt(centralStart), 48);
          const locator = Buffer.alloc(20);
          locator.writeUInt32LE(EOCD64_LOCATOR, 0);
          locator.writeBigUInt64LE(BigInt(eocd64At), 8);
          locator.writeUInt32LE(1, 16);
          await write(Buffer.concat([z, locator]));
        }
        const end = Buffer.alloc(22);
        end.writeUInt32LE(EOCD, 0);
        end.writeUInt16LE(Math.min(entries.length, MAX16), 8);
        end.writeUInt16LE(Math.min(entries.length, MAX16), 10);
        end.writeUInt32LE(Math.min(centralSize, MAX32), 12);
        end.writeUInt32LE(Math.min(centralStart, MAX32), 16);
        await write(end);
      } finally {
        await out.close();
      }
      return { entries: entries.length, bytes: position };
    },
    { overwrite: options.overwrite },
  );
}

// ---------------------------------------------------------------- reading

export interface ZipLimits {
  /** Most entries accepted (default 100 000). */
  maxEntries?: number;
  /** Most bytes all entries may expand to (default 64 GiB). */
  maxTotalBytes?: number;
  /** Highest compression ratio accepted for an entry larger than 8 MiB (default 200; deflate's own maximum is about 1030). */
  maxRatio?: number;
}

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  directory: boolean;
}

/** Whether an archive path is safe to create under a target folder; the reason when not. */
export function unsafeEntryName(name: string): string | undefined {
  if (name.includes('\0')) return 'contains a NUL byte';
  const normal = name.replace(/\\/g, '/');
  if (normal.startsWith('/')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(normal)) return 'starts with a drive letter';
  if (normal.split('/').some((part) => part === '..')) return 'climbs out of the archive with ".."';
  return undefined;
}

export class ZipReader {
  private constructor(
    readonly file: string,
    private readonly handle: fs.promises.FileHandle,
    readonly entries: ZipEntry[],
  ) {}

  /** Open and check an archive (names, limits, overlaps); reads only its directory. */
  static async open(file: string, limits: ZipLimits = {}): Promise<ZipReader> {
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(file, 'r');
    } catch (error) {
      throw new FairioError('NOT_FOUND', 'does not exist', { path: file, cause: error });
    }
    try {
      const entries = await readCentralDirectory(handle, file);
      checkEntries(entries, file, limits);
      return new ZipReader(file, handle, entries);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  find(name: string): ZipEntry | undefined {
    return this.entries.find((e) => e.name === name);
  }

  /** Stream an entry's bytes (checked against its declared size and CRC) to `sink`. */
  async pipe(entry: ZipEntry, sink: (chunk: Buffer) => void | Promise<void>): Promise<void> {
    const header = Buffer.alloc(30);
    await this.handle.read(header, 0, 30, entry.localOffset);
    if (header.readUInt32LE(0) !== LOCAL) throw new FairioError('UNSAFE_INPUT', `entry "${entry.name}" has no local header where the directory says`, { path: this.file });
    const dataStart = entry.localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    let produced = 0;
    let crc = 0;
    const accept = async (chunk: Buffer) => {
      produced += chunk.length;
      if (produced > entry.size) throw new FairioError('UNSAFE_INPUT', `entry "${entry.name}" expands beyond the ${entry.size} bytes it declares (a zip bomb?)`, { path: this.file });
      crc = crc32(chunk, crc);
      await sink(chunk);
    };
    // Positioned reads through our own handle: nothing else ever owns (or closes) its descriptor.
    const handle = this.handle;
    let stopped = false;
    const chunks = (async function* () {
      for (let at = 0; at < entry.compressedSize && !stopped; ) {
        const length = Math.min(1 << 20, entry.compressedSize - at);
        const buffer = Buffer.allocUnsafe(length);
        const { bytesRead } = await handle.read(buffer, 0, length, dataStart + at);
        if (bytesRead === 0) throw new FairioError('UNSAFE_INPUT', `entry "${entry.name}" is cut short`);
        at += bytesRead;
        yield buffer.subarray(0, bytesRead);
      }
    })();
    if (entry.method === 0) {
      for await (const chunk of chunks) await accept(chunk);
    } else {
      const inflate = zlib.createInflateRaw();
      const feeding = (async () => {
        try {
          for await (const chunk of chunks) if (!inflate.write(chunk)) await new Promise((resolve) => inflate.once('drain', resolve));
          inflate.end();
        } catch (error) {
          inflate.destroy(error as Error);
        }
      })();
      try {
        for await (const chunk of inflate as AsyncIterable<Buffer>) await accept(chunk);
      } catch (error) {
        stopped = true;
        inflate.destroy();
        if (error instanceof FairioError) throw error;
        throw new FairioError('UNSAFE_INPUT', `entry "${entry.name}" is not valid deflate data (${(error as Error).message})`, { path: this.file, cause: error });
      }
      await feeding;
    }
    if (produced !== entry.size) throw new FairioError('UNSAFE_INPUT', `entry "${entry.name}" holds ${produced} bytes, not the ${entry.size} it declares`, { path: this.file });
    if (crc !== entry.crc) throw new FairioError('UNSAFE_INPUT', `entry "${entry.name}" fails its CRC check (corrupt archive)`, { path: this.file });
  }

  /** An entry's bytes, refusing entries above `maxBytes`. */
  async read(entry: ZipEntry, maxBytes = 256 << 20): Promise<Buffer> {
    if (entry.size > maxBytes) throw new FairioError('UNSAFE_INPUT', `entry "${entry.name}" is ${entry.size} bytes, more than the ${maxBytes} accepted`, { path: this.file });
    const chunks: Buffer[] = [];
    await this.pipe(entry, (chunk) => {
      chunks.push(chunk);
    });
    return Buffer.concat(chunks);
  }

  /**
   * Extract every entry into `target` (a folder that must not exist yet),
   * through a temporary sibling renamed into place when complete.
   */
  async extract(target: string): Promise<void> {
    await writeAtomically(target, async (temp) => {
      fs.mkdirSync(temp);
      const root = path.resolve(temp);
      for (const entry of this.entries) {
        const destination = path.resolve(root, entry.name.replace(/\\/g, '/'));
        const relative = path.relative(root, destination);
        if (relative.startsWith('..') || path.isAbsolute(relative)) throw new FairioError('UNSAFE_INPUT', `entry "${entry.name}" would be written outside ${target}`, { path: this.file });
        if (entry.directory) {
          fs.mkdirSync(destination, { recursive: true });
          continue;
        }
        fs.mkdirSync(path.dirname(destination), { recursive: true });
        // 'wx': never follow or replace something already there (e.g. a symlink planted by an earlier entry).
        const out = await fs.promises.open(destination, 'wx');
        try {
          await this.pipe(entry, async (chunk) => {
            await out.write(chunk);
          });
        } finally {
          await out.close();
        }
      }
    });
  }
}

async function readCentralDirectory(handle: fs.promises.FileHandle, file: string): Promise<ZipEntry[]> {
  const { size } = await handle.stat();
  const fail = (message: string): never => {
    throw new FairioError('UNSAFE_INPUT', message, { path: file });
  };
  if (size < 22) fail('is not a zip archive (too short)');
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = Buffer.alloc(tailLength);
  await handle.read(tail, 0, tailLength, size - tailLength);
  let at = -1;
  for (let i = tailLength - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) fail('is not a zip archive (no end-of-directory record)');
  let count = tail.readUInt16LE(at + 10);
  let centralSize = tail.readUInt32LE(at + 12);
  let centralOffset = tail.readUInt32LE(at + 16);
  if (count === MAX16 || centralSize === MAX32 || centralOffset === MAX32) {
    const locatorAt = size - tailLength + at - 20;
    if (locatorAt < 0) fail('declares ZIP64 but has no ZIP64 locator');
    const locator = Buffer.alloc(20);
    await handle.read(locator, 0, 20, locatorAt);
    if (locator.readUInt32LE(0) !== EOCD64_LOCATOR) fail('declares ZIP64 but has no ZIP64 locator');
    const eocd64At = Number(locator.readBigUInt64LE(8));
    const z = Buffer.alloc(56);
    await handle.read(z, 0, 56, eocd64At);
    if (z.readUInt32LE(0) !== EOCD64) fail('has a broken ZIP64 end-of-directory record');
    count = Number(z.readBigUInt64LE(32));
    centralSize = Number(z.readBigUInt64LE(40));
    centralOffset = Number(z.readBigUInt64LE(48));
  }
  if (centralOffset + centralSize > size) fail('has a central directory beyond the end of the file');
  if (centralSize > 512 << 20) fail('has an implausibly large central directory');
  const central = Buffer.alloc(centralSize);
  await handle.read(central, 0, centralSize, centralOffset);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > central.length || central.readUInt32LE(p) !== CENTRAL) fail(`has a broken central directory (entry ${i + 1})`);
    const flags = central.readUInt16LE(p + 8);
    const method = central.readUInt16LE(p + 10);
    const crc = central.readUInt32LE(p + 16);
    let compressedSize = central.readUInt32LE(p + 20);
    let entrySize = central.readUInt32LE(p + 24);
    const nameLength = central.readUInt16LE(p + 28);
    const extraLength = central.readUInt16LE(p + 30);
    const commentLength = central.readUInt16LE(p + 32);
    let localOffset = central.readUInt32LE(p + 42);
    const name = central.toString(flags & 0x0800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLength);
    // ZIP64 extended information.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = central.readUInt16LE(e);
      const length = central.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (entrySize === MAX32) {
          entrySize = Number(central.readBigUInt64LE(q));
          q += 8;
        }
        if (compressedSize === MAX32) {
          compressedSize = Number(central.readBigUInt64LE(q));
          q += 8;
        }
        if (localOffset === MAX32) localOffset = Number(central.readBigUInt64LE(q));
      }
      e += 4 + length;
    }
    if (flags & 0x0001) fail(`entry "${name}" is encrypted`);
    if (method !== 0 && method !== 8) fail(`entry "${name}" uses compression method ${method}; only stored and deflated entries are read`);
    entries.push({ name, method, crc, compressedSize, size: entrySize, localOffset, directory: name.endsWith('/') });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function checkEntries(entries: ZipEntry[], file: string, limits: ZipLimits): void {
  const maxEntries = limits.maxEntries ?? 100_000;
  const maxTotal = limits.maxTotalBytes ?? 64 * 2 ** 30;
  const maxRatio = limits.maxRatio ?? 200;
  const fail = (message: string): never => {
    throw new FairioError('UNSAFE_INPUT', message, { path: file });
  };
  if (entries.length > maxEntries) fail(`has ${entries.length} entries, more than the ${maxEntries} accepted (a zip bomb?)`);
  const names = new Set<string>();
  let total = 0;
  for (const entry of entries) {
    const unsafe = unsafeEntryName(entry.name);
    if (unsafe) fail(`entry "${entry.name}" ${unsafe}; refusing to read this archive`);
    const key = entry.name.replace(/\\/g, '/').replace(/\/+$/, '');
    if (names.has(key)) fail(`entry "${entry.name}" appears twice`);
    names.add(key);
    total += entry.size;
    if (total > maxTotal) fail(`expands to more than ${maxTotal} bytes (a zip bomb?)`);
    if (entry.size > 8 << 20 && entry.size > maxRatio * Math.max(1, entry.compressedSize)) {
      fail(`entry "${entry.name}" expands ${Math.round(entry.size / Math.max(1, entry.compressedSize))}-fold, more than the ${maxRatio}-fold accepted (a zip bomb?)`);
    }
  }
  // Entries whose data overlap are how small archives claim huge contents.
  const byOffset = [...entries].sort((a, b) => a.localOffset - b.localOffset);
  for (let i = 1; i < byOffset.length; i++) {
    const previous = byOffset[i - 1];
    if (byOffset[i].localOffset < previous.localOffset + 30 + previous.compressedSize) fail(`entries "${previous.name}" and "${byOffset[i].name}" overlap (a zip bomb?)`);
  }
}
