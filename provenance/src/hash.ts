/**
 * Checksums in one pass: every file is read exactly once, and that read
 * yields its sha256, its size and its first bytes (for `encodingFormat`
 * sniffing). Producers that write a file can hash it while writing it with
 * `hashingStream`, so their output need not be read back at all.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Transform } from 'node:stream';
import { FairioError } from '@fairio/ngff';

/** What one read of a file tells. */
export interface FileDigest {
  /** Path relative to the folder that was walked, with `/` separators (the file name for `hashFile`). */
  path: string;
  size: number;
  sha256: string;
  /** The first bytes of the file (up to 64), for format sniffing. */
  head: Uint8Array;
}

const HEAD_BYTES = 64;
const READ_BYTES = 4 << 20;
/** Buffers are reused between files (one per concurrent read). */
const buffers: Buffer[] = [];

/** sha256, size and first bytes of one file, in one sequential read. */
export async function hashFile(file: string, name = path.basename(file)): Promise<FileDigest> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FairioError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO_ERROR', code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`, { path: file, cause: error });
  }
  const buffer = buffers.pop() ?? Buffer.allocUnsafe(READ_BYTES);
  try {
    const hash = createHash('sha256');
    let size = 0;
    let head: Uint8Array | undefined;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      if (!head) head = Uint8Array.prototype.slice.call(buffer, 0, Math.min(bytesRead, HEAD_BYTES));
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
    return { path: name, size, sha256: hash.digest('hex'), head: head ?? new Uint8Array(0) };
  } finally {
    buffers.push(buffer);
    await handle.close();
  }
}

/** Every regular file under `dir` (symbolic links are not followed), as `/`-separated relative paths, sorted. */
export async function listFiles(dir: string, options: { exclude?: (relative: string) => boolean } = {}): Promise<string[]> {
  const out: string[] = [];
  async function walk(relative: string): Promise<void> {
    const absolute = relative ? path.join(dir, relative) : dir;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(absolute, { withFileTypes: true });
    } catch (error) {
      throw new FairioError('NOT_FOUND', 'is not a readable folder', { path: absolute, cause: error });
    }
    for (const entry of entries) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (options.exclude?.(child)) continue;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile()) out.push(child);
    }
  }
  await walk('');
  return out.sort();
}

export interface HashTreeOptions {
  /** Skip these relative paths (and, for folders, everything under them). */
  exclude?: (relative: string) => boolean;
  /** Files read at once (default 4: enough to keep a disk busy; hashing itself is fast). */
  concurrency?: number;
  /** Called after each file with the bytes hashed so far. */
  onProgress?: (bytes: number) => void;
}

/** Hash every file under `dir` once; results sorted by path. */
export async function hashTree(dir: string, options: HashTreeOptions = {}): Promise<FileDigest[]> {
  const files = await listFiles(dir, options);
  const results = new Array<FileDigest>(files.length);
  let next = 0;
  let bytes = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      results[i] = await hashFile(path.join(dir, files[i]), files[i]);
      bytes += results[i].size;
      options.onProgress?.(bytes);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return results;
}

/**
 * A pass-through stream that hashes what flows through it: pipe a file's
 * bytes through it on their way to disk, then read `digest()` — the file is
 * never read back.
 */
export function hashingStream(): Transform & { digest(): { sha256: string; size: number } } {
  const hash = createHash('sha256');
  let size = 0;
  let result: { sha256: string; size: number } | undefined;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  }) as Transform & { digest(): { sha256: string; size: number } };
  stream.digest = () => (result ??= { sha256: hash.digest('hex'), size });
  return stream;
}

/** sha256 of a string or bytes. */
export function sha256Of(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
