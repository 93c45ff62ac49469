/**
 * Opening an OME-Zarr hierarchy: find a group's Zarr format (v3 `zarr.json`
 * or v2 `.zattrs`/`.zgroup`), parse its NGFF attributes, and step to the
 * groups it points at (bioformats2raw series, labels, plate wells, fields).
 *
 * ```ts
 * const root = await openOmeZarr('cells.ome.zarr');       // or an https:// URL
 * const image = await root.image();                        // the multiscale image
 * const { data, shape } = await image.readRegion({ level: 1, select: { z: 3 } });
 * ```
 */
import { FairioError, NotFoundError } from './errors.js';
import { parseGroupAttributes } from './metadata/parse.js';
import type { NgffGroupMetadata } from './metadata/types.js';
import { openStore, readJson, type NamedStore } from './store.js';
import { OmeZarrImage } from './image.js';

export type GroupKind = 'image' | 'labels' | 'plate' | 'well' | 'bioformats2raw' | 'group';

/** Join store-relative paths ('' is the root). */
export function joinPath(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}

export class OmeZarrGroup {
  constructor(
    readonly store: NamedStore,
    /** Path of the group inside the store, '' for the root. */
    readonly path: string,
    readonly zarrFormat: 2 | 3,
    readonly attributes: Record<string, unknown>,
    readonly metadata: NgffGroupMetadata | undefined,
  ) {}

  /** What a biologist would call this group. */
  get kind(): GroupKind {
    const m = this.metadata;
    if (!m) return 'group';
    if (m.multiscales) return 'image';
    if (m.plate) return 'plate';
    if (m.well) return 'well';
    if (m.labels) return 'labels';
    if (m.bioformats2rawLayout !== undefined) return 'bioformats2raw';
    return 'group';
  }

  /** Human-readable location: the store location plus the group path. */
  get location(): string {
    return this.path ? `${this.store.location.replace(/\/+$/, '')}/${this.path}` : this.store.location;
  }

  /** Open a group below this one. */
  child(relativePath: string): Promise<OmeZarrGroup> {
    return openGroup(this.store, joinPath(this.path, relativePath));
  }

  /** The multiscale image held by this group. */
  async image(multiscaleIndex = 0): Promise<OmeZarrImage> {
    if (this.kind !== 'image') {
      throw new FairioError('INVALID_ARGUMENT', `is a ${this.kind}, not an image${this.hint()}`, { path: this.location });
    }
    return OmeZarrImage.open(this, multiscaleIndex);
  }

  /** Names of the label images in this image's `labels/` group ([] when there is none). */
  async labelNames(): Promise<string[]> {
    const labels = await this.child('labels').catch((e: unknown) => {
      if (e instanceof NotFoundError) return undefined;
      throw e;
    });
    return labels?.metadata?.labels ?? [];
  }

  /** Series paths of a bioformats2raw container (from `OME/` or by probing 0, 1, ...). */
  async seriesPaths(): Promise<string[]> {
    if (this.metadata?.bioformats2rawLayout === undefined) return [];
    const ome = await this.child('OME').catch(() => undefined);
    if (ome?.metadata?.series) return ome.metadata.series;
    const found: string[] = [];
    for (let i = 0; ; i++) {
      const g = await this.child(String(i)).catch(() => undefined);
      if (!g || g.kind !== 'image') return found;
      found.push(String(i));
    }
  }

  private hint(): string {
    switch (this.kind) {
      case 'bioformats2raw':
        return ' (a bioformats2raw container: open one of its series, e.g. "<path>/0")';
      case 'plate':
        return ' (an HCS plate: open a well field, e.g. "<path>/A/1/0")';
      case 'well':
        return ' (an HCS well: open one of its fields, e.g. "<path>/0")';
      default:
        return '';
    }
  }
}

/** Read a group's attributes in whichever Zarr format it is stored. */
export async function openGroup(store: NamedStore, path: string): Promise<OmeZarrGroup> {
  const prefix = path ? `/${path}/` : '/';
  const v3 = await readJson(store, `${prefix}zarr.json`);
  if (v3) {
    if (v3.node_type !== 'group') {
      throw new FairioError('INVALID_ARGUMENT', `is a Zarr array, not a group`, { path: joinPath(store.location, path) });
    }
    const where = `${store.location}${prefix}zarr.json`;
    return new OmeZarrGroup(store, path, 3, (v3.attributes ?? {}) as Record<string, unknown>, parseGroupAttributes(v3.attributes ?? {}, 3, where));
  }
  const [zattrs, zgroup] = await Promise.all([readJson(store, `${prefix}.zattrs`), readJson(store, `${prefix}.zgroup`)]);
  if (!zattrs && !zgroup) {
    const zarray = await readJson(store, `${prefix}.zarray`);
    if (zarray) throw new FairioError('INVALID_ARGUMENT', 'is a Zarr array, not a group', { path: joinPath(store.location, path) });
    throw new NotFoundError(`no Zarr group here (neither zarr.json nor .zgroup/.zattrs)`, { path: path ? `${store.location}${prefix}` : store.location });
  }
  const attrs = zattrs ?? {};
  return new OmeZarrGroup(store, path, 2, attrs, parseGroupAttributes(attrs, 2, `${store.location}${prefix}.zattrs`));
}

/** Open the OME-Zarr group at a local path, a `.zip`, or an http(s) URL. */
export async function openOmeZarr(location: string): Promise<OmeZarrGroup> {
  return openGroup(openStore(location), '');
}
