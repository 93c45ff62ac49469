/**
 * Files and folders as data entities: `File` with `sha256`, `contentSize` and
 * a MIME `encodingFormat`; folders as `Dataset` (OME-Zarr ones with the
 * OME-NGFF `encodingFormat`) whose `sha256` is the digest of their manifest.
 * Anything inside the crate folder gets a relative `@id` and manifest lines;
 * anything outside (an input read from elsewhere) is described by content
 * under a local `#` identifier, without copying it in.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FairioError } from '@fairio/ngff';
import type { Entity } from './builder.js';
import { ref } from './builder.js';
import { contentId, isCrateBookkeeping, pathToId, type DescribedData } from './data-entity.js';
import { fileEncodingFormat, folderEncodingFormat } from './encoding-format.js';
import { hashFile, hashTree, type FileDigest } from './hash.js';
import { folderDigest } from './manifest.js';
import { LOCK_FILE, NGFF_FORMAT } from './vocabulary.js';

/**
 * Digests already computed in this process, keyed by absolute path and
 * checked against size and modification time, so that describing the same
 * file for two crates (an OME-Zarr's own crate, then its folder's) reads it once.
 */
export class DigestCache {
  private readonly map = new Map<string, { size: number; mtimeMs: number; digest: FileDigest }>();
  /** Files and bytes actually read (a file described twice is read once). */
  readonly reads = { files: 0, bytes: 0 };

  private count(digest: FileDigest): void {
    this.reads.files++;
    this.reads.bytes += digest.size;
  }

  async file(absolute: string, name: string): Promise<FileDigest> {
    const stat = await fs.promises.stat(absolute).catch(() => undefined);
    const hit = this.map.get(absolute);
    if (stat && hit && hit.size === stat.size && hit.mtimeMs === stat.mtimeMs) return { ...hit.digest, path: name };
    const digest = await hashFile(absolute, name);
    this.count(digest);
    if (stat) this.map.set(absolute, { size: stat.size, mtimeMs: stat.mtimeMs, digest });
    return digest;
  }

  /** Record a digest computed elsewhere (e.g. by `hashingStream` while the file was written). */
  remember(absolute: string, digest: { sha256: string; size: number }): void {
    const stat = fs.statSync(absolute);
    this.map.set(absolute, { size: stat.size, mtimeMs: stat.mtimeMs, digest: { path: path.basename(absolute), head: new Uint8Array(0), ...digest } });
  }

  async tree(dir: string, exclude?: (relative: string) => boolean): Promise<FileDigest[]> {
    const fresh = await hashTree(dir, {
      exclude: (relative) => exclude?.(relative) || this.isCached(path.join(dir, relative)),
    });
    for (const digest of fresh) {
      this.count(digest);
      const absolute = path.join(dir, digest.path);
      const stat = fs.statSync(absolute);
      this.map.set(absolute, { size: stat.size, mtimeMs: stat.mtimeMs, digest });
    }
    // Files skipped above were cached: add them back.
    const seen = new Set(fresh.map((d) => d.path));
    const cached: FileDigest[] = [];
    for (const [absolute, hit] of this.map) {
      const relative = path.relative(dir, absolute);
      const slashed = relative.split(path.sep).join('/');
      if (!relative.startsWith('..') && !path.isAbsolute(relative) && !seen.has(slashed) && !exclude?.(slashed) && this.isCached(absolute)) {
        cached.push({ ...hit.digest, path: slashed });
      }
    }
    return [...fresh, ...cached].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private isCached(absolute: string): boolean {
    const hit = this.map.get(absolute);
    if (!hit) return false;
    try {
      const stat = fs.statSync(absolute);
      return stat.isFile() && stat.size === hit.size && stat.mtimeMs === hit.mtimeMs;
    } catch {
      return false;
    }
  }
}

/** Hidden partial outputs of fairio's atomic writers (`.NAME.partial-XXXX`) are never payload. */
function isPartial(relative: string): boolean {
  return relative.split('/').some((part) => /^\..+\.partial-[0-9a-f]+(\.old)?$/.test(part));
}

/** Crate-relative `/`-separated path of `absolute`, or undefined when it lies outside `crateDir`. */
export function relativeToCrate(crateDir: string, absolute: string): string | undefined {
  const relative = path.relative(path.resolve(crateDir), path.resolve(absolute));
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}

/**
 * Describe a file or folder for `crateDir`'s crate. Reads every byte once
 * (through `cache`); adds nothing to the crate (see `addData`).
 */
export async function describeData(crateDir: string, target: string, options: { cache?: DigestCache; name?: string; description?: string } = {}): Promise<DescribedData> {
  const cache = options.cache ?? new DigestCache();
  const absolute = path.resolve(target);
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(absolute);
  } catch (error) {
    throw new FairioError('NOT_FOUND', 'does not exist', { path: target, cause: error });
  }
  const relative = relativeToCrate(crateDir, absolute);
  const inside = relative !== undefined;
  const name = options.name ?? path.basename(absolute);
  if (stat.isFile()) {
    const digest = await cache.file(absolute, name);
    const id = inside ? pathToId(relative!, false) : contentId('file', digest.sha256);
    const entity: Entity = {
      '@id': id,
      '@type': 'File',
      name,
      contentSize: String(digest.size),
      encodingFormat: fileEncodingFormat(name, digest.head),
      sha256: digest.sha256,
    };
    if (options.description) entity.description = options.description;
    return { ref: ref(id), entity, manifest: inside ? [{ path: relative!, sha256: digest.sha256 }] : [], inside, absolute, kind: 'file' };
  }
  if (!stat.isDirectory()) throw new FairioError('UNSUPPORTED', 'is neither a file nor a folder', { path: target });
  // A folder that is the crate root leaves out the crate's own bookkeeping files.
  const isRoot = relative === '';
  const files = await cache.tree(absolute, (r) => isPartial(r) || (isRoot && isCrateBookkeeping(r)) || r.split('/').pop() === LOCK_FILE);
  const digest = folderDigest(files.map((f) => ({ path: f.path, sha256: f.sha256 })));
  const id = inside ? pathToId(relative!, true) : contentId('folder', digest);
  const format = folderEncodingFormat(absolute);
  const entity: Entity = {
    '@id': id,
    '@type': 'Dataset',
    name,
    contentSize: String(files.reduce((sum, f) => sum + f.size, 0)),
    sha256: digest,
  };
  if (format) entity.encodingFormat = format === NGFF_FORMAT ? ref(NGFF_FORMAT) : format;
  if (options.description) entity.description = options.description;
  const prefix = inside && relative !== '' ? `${relative}/` : '';
  return {
    ref: ref(id),
    entity,
    manifest: inside ? files.map((f) => ({ path: prefix + f.path, sha256: f.sha256 })) : [],
    inside,
    absolute,
    kind: 'folder',
  };
}

