/**
 * A described file or folder as an entity of a crate, without I/O (browsers
 * use it too): relative paths as `@id`s and back, content-addressed `@id`s for
 * data outside the crate, and `addData`. `data-entities.ts` describes files
 * and folders from disk.
 */
import type { CrateBuilder, Entity, Ref } from './builder.js';
import { ref } from './builder.js';
import type { ManifestEntry } from './manifest.js';
import { LOCK_FILE, MANIFEST_FILE, METADATA_FILE, NGFF_FORMAT, PREVIEW_FILE } from './vocabulary.js';

/** Files of a crate's own bookkeeping: never payload, never in the manifest. */
export function isCrateBookkeeping(relative: string): boolean {
  const base = relative.split('/').pop()!;
  return relative === METADATA_FILE || relative === PREVIEW_FILE || relative === MANIFEST_FILE || relative === LOCK_FILE || base.startsWith(`.${METADATA_FILE}.tmp-`) || base.startsWith(`.${MANIFEST_FILE}.tmp-`) || base.startsWith(`.${PREVIEW_FILE}.tmp-`) || base.startsWith(`${LOCK_FILE}.stale-`);
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

/** `@id` of data that lies outside the crate, by content (its sha256), as a file or a folder. */
export function contentId(kind: 'file' | 'folder', sha256: string): string {
  return `#${kind}-${sha256.slice(0, 16)}`;
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
