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
import type { CrateBuilder, Entity, Ref } from './builder.js';
import { ref } from './builder.js';
import { fileEncodingFormat, folderEncodingFormat } from './encoding-format.js';
import { hashFile, hashTree, type FileDigest } from './hash.js';
import { folderDigest, type ManifestEntry } from './manifest.js';
import { LOCK_FILE, MANIFEST_FILE, METADATA_FILE, NGFF_FORMAT, PREVIEW_FILE } from './vocabulary.js';

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

/** Files of a crate's own bookkeeping: never payload, never in the manifest. */
export function isCrateBookkeeping(relative: string): boolean {
  const base = relative.split('/').pop()!;
  return relative === METADATA_FILE || relative === PREVIEW_FILE || relative === MANIFEST_FILE || relative === LOCK_FILE || base.startsWith(`.${METADATA_FILE}.tmp-`) || base.startsWith(`.${MANIFEST_FILE}.tmp-`) || base.startsWith(`.${PREVIEW_FILE}.tmp-`) || base.startsWith(`${LOCK_FILE}.stale-`);
}

/** Hidden partial outputs of fairio's atomic writers (`.NAME.partial-XXXX`) are never payload. */
function isPartial(relative: string): boolean {
  return relative.split('/').some((part) => /^\..+\.partial-[0-9a-f]+(\.old)?$/.test(part));
}

export interface DescribedData {
  ref: Ref;
  entity: Entity;
  /** Manifest lines (crate-relative paths) for data inside the crate; empty for data outside. */
  manifest: ManifestEntry[];
  /** Whether the data lies inside the crate folder. */
  inside: boolean;
  /** Absolute path on disk. */
  absolute: string;
  kind: 'file' | 'folder';
}

/** Crate-relative `/`-separated path of `absolute`, or undefined when it lies outside `crateDir`. */
export function relativeToCrate(crateDir: string, absolute: string): string | undefined {
  const relative = path.relative(path.resolve(crateDir), path.resolve(absolute));
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}

/** Encode a relative path as an RO-Crate `@id` (a URI path: spaces and the like percent-encoded). */
export function pathToId(relative: string, folder: boolean): string {
  if (relative === '') return './';
  const encoded = relative
    .split('/')
    .map((part) => encodeURIComponent(part).replace(/%40/g, '@').replace(/%2B/g, '+').replace(/%3D/g, '=').replace(/%2C/g, ','))
    .join('/');
  return folder ? `${encoded}/` : encoded;
}

/** The relative path an `@id` names (inverse of `pathToId`). */
export function idToPath(id: string): string {
  return decodeURIComponent(id.replace(/\/$/, '').replace(/^\.\//, ''));
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
    const id = inside ? pathToId(relative!, false) : `#file-${digest.sha256.slice(0, 16)}`;
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
  const id = inside ? pathToId(relative!, true) : `#folder-${digest.slice(0, 16)}`;
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

/** Put a described data entity into a crate (data inside the crate is linked from the root via `hasPart`). */
export function addData(builder: CrateBuilder, data: DescribedData): Ref {
  if (data.entity['@id'] === builder.rootId) {
    // The crate root itself: its facts go on the root dataset.
    const { '@id': _id, '@type': _type, name: _name, ...facts } = data.entity;
    builder.set(builder.rootId, facts);
    if (data.entity.encodingFormat) addFormatEntity(builder);
    return ref(builder.rootId);
  }
  builder.merge(data.entity);
  if (data.entity.encodingFormat && typeof data.entity.encodingFormat === 'object') addFormatEntity(builder);
  if (data.inside) builder.addToRoot('hasPart', data.entity['@id']);
  return data.ref;
}

function addFormatEntity(builder: CrateBuilder): void {
  builder.putIfAbsent({ '@id': NGFF_FORMAT, '@type': 'WebSite', name: 'OME-NGFF (OME-Zarr), the next-generation file format for bioimaging' });
}
