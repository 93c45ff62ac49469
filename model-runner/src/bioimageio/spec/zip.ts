/**
 * Safe extraction of a zipped model package. The whole central directory is
 * read and judged before a single byte is written: entry names must be
 * relative paths that stay inside the package (no absolute paths, no `..`,
 * no backslashes, no links), and the number of entries, the declared sizes
 * and the compression ratios are limited so that a zip bomb is refused
 * rather than unpacked. While extracting, yauzl checks that every entry
 * inflates to exactly its declared size. Extraction goes to a temporary
 * sibling that is renamed into place only when complete.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { FairioError } from '@fairio/ngff';
import { unsafePathReason } from './checks.js';

export interface ZipLimits {
  /** Most entries (default 10 000). */
  maxEntries?: number;
  /** Most bytes after unpacking, all entries together (default 8 GiB). */
  maxTotalBytes?: number;
  /** Largest uncompressed/compressed ratio for entries over 1 MiB (default 200). */
  maxRatio?: number;
}

export class UnsafePackageError extends FairioError {
  constructor(message: string, where: string) {
    super('INVALID_ARGUMENT', `refused to unpack the model package: ${message}`, { path: where });
  }
}

interface PlannedEntry {
  name: string;
  directory: boolean;
  entry: yauzl.Entry;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function decodeName(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  // Bit 11: the name is UTF-8; otherwise CP437, of which ASCII is what packages use.
  return (entry.generalPurposeBitFlag & 0x800) !== 0 ? raw.toString('utf8') : raw.toString('latin1');
}

async function readDirectory(zip: yauzl.ZipFile, where: string, limits: Required<ZipLimits>): Promise<PlannedEntry[]> {
  const planned: PlannedEntry[] = [];
  let total = 0;
  const seen = new Set<string>();
  await new Promise<void>((resolve, reject) => {
    zip.on('error', (e: Error) => reject(new UnsafePackageError(`the zip file is damaged (${e.message})`, where)));
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      try {
        const name = decodeName(entry);
        const reason = unsafePathReason(name.replace(/\/$/, '')) ?? (yauzl.validateFileName(name) ? `entry "${name}": ${yauzl.validateFileName(name)}` : undefined);
        if (reason) throw new UnsafePackageError(`entry ${reason}`, where);
        if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) throw new UnsafePackageError(`entry "${name}" is a symbolic link`, where);
        if (entry.isEncrypted()) throw new UnsafePackageError(`entry "${name}" is encrypted`, where);
        const key = name.replace(/\/$/, '').toLowerCase();
        if (seen.has(key)) throw new UnsafePackageError(`entry "${name}" appears twice`, where);
        seen.add(key);
        if (planned.length + 1 > limits.maxEntries) throw new UnsafePackageError(`it has more than ${limits.maxEntries} entries`, where);
        total += entry.uncompressedSize;
        if (total > limits.maxTotalBytes) throw new UnsafePackageError(`it would unpack to more than ${(limits.maxTotalBytes / 2 ** 30).toFixed(1)} GiB`, where);
        if (entry.uncompressedSize > 2 ** 20 && entry.uncompressedSize > limits.maxRatio * Math.max(1, entry.compressedSize)) {
          throw new UnsafePackageError(`entry "${name}" would inflate ${Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize))}-fold (a zip bomb?)`, where);
        }
        planned.push({ name, directory: name.endsWith('/'), entry });
        zip.readEntry();
      } catch (e) {
        zip.close();
        reject(e);
      }
    });
    zip.readEntry();
  });
  return planned;
}

/** The names in a zip, after the same checks as `extractZip` (nothing is written). */
export async function listZip(file: string, limits: ZipLimits = {}): Promise<string[]> {
  const full = { maxEntries: 10_000, maxTotalBytes: 8 * 2 ** 30, maxRatio: 200, ...limits };
  const zip = await yauzl.openPromise(file, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: true });
  return (await readDirectory(zip, file, full)).map((e) => e.name);
}

/** Unpack `file` into `destination` (which must not exist yet), after checking every entry. */
export async function extractZip(file: string, destination: string, limits: ZipLimits = {}): Promise<void> {
  const full = { maxEntries: 10_000, maxTotalBytes: 8 * 2 ** 30, maxRatio: 200, ...limits };
  const zip = await yauzl.openPromise(file, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false });
  try {
    const planned = await readDirectory(zip, file, full);
    const temp = `${destination}.partial-${process.pid}-${Date.now()}`;
    fs.mkdirSync(temp, { recursive: true });
    try {
      for (const { name, directory, entry } of planned) {
        const target = path.resolve(temp, name);
        if (!target.startsWith(path.resolve(temp) + path.sep)) throw new UnsafePackageError(`entry "${name}" would land outside the package folder`, file);
        if (directory) {
          fs.mkdirSync(target, { recursive: true });
          continue;
        }
        fs.mkdirSync(path.dirname(target), { recursive: true });
        const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => zip.openReadStream(entry, (e, s) => (e ? reject(e) : resolve(s))));
        try {
          await pipeline(stream, fs.createWriteStream(target, { flags: 'wx' }));
        } catch (e) {
          throw new UnsafePackageError(`entry "${name}" cannot be unpacked (${(e as Error).message})`, file);
        }
      }
      fs.renameSync(temp, destination);
    } catch (e) {
      fs.rmSync(temp, { recursive: true, force: true });
      throw e;
    }
  } finally {
    zip.close();
  }
}
