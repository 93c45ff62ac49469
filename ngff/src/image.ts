/**
 * A multiscale image: its axes, its pyramid levels (each a Zarr array with a
 * scale and translation), and `readRegion` by pixel or physical coordinates.
 */
import * as zarr from 'zarrita';
import { FairioError, InvalidMetadataError, NotFoundError } from './errors.js';
import { readBox, type PixelData } from './read-box.js';
import { levelTransform } from './metadata/parse.js';
import type { Axis, ImageLabel, Multiscale, NgffVersion, Omero } from './metadata/types.js';
import type { NamedStore } from './store.js';
import type { OmeZarrGroup } from './open.js';

export type PixelArray = zarr.Array<zarr.DataType, NamedStore>;

export interface PyramidLevel {
  index: number;
  /** Array path inside the store. */
  path: string;
  shape: number[];
  /** Chunk shape (inner chunks when sharded). */
  chunks: number[];
  dtype: zarr.DataType;
  /** Physical size of one pixel along each axis, and the position of pixel 0. */
  scale: number[];
  translation: number[];
  array: PixelArray;
}

/** A selection along one axis: an index, or a half-open range [start, stop). */
export type AxisSelection = number | [number, number];

export interface RegionRequest {
  /** Pyramid level, 0 = full resolution. */
  level?: number;
  /** Per axis name; axes not named are read whole. */
  select?: Record<string, AxisSelection>;
  /** How `select` is expressed: pixel indices of the level (default) or physical coordinates (axis units). */
  units?: 'pixel' | 'physical';
}

export interface Region {
  data: PixelData;
  /** Shape of `data` (C-order); axes selected by a single index are dropped. */
  shape: number[];
  /** Axis names of `data`. */
  axes: string[];
  /** Pixel range read along every axis of the level. */
  start: number[];
  stop: number[];
}

/** Reading more than this many bytes at once is refused with a hint to select a region. */
export const MAX_REGION_BYTES = 2 ** 31;

const BYTES: Record<string, number> = { int8: 1, uint8: 1, bool: 1, int16: 2, uint16: 2, float16: 2, int32: 4, uint32: 4, float32: 4, int64: 8, uint64: 8, float64: 8 };

export function bytesPerElement(dtype: string): number {
  const n = BYTES[dtype];
  if (n === undefined) throw new FairioError('UNSUPPORTED', `data type ${dtype} is not supported for pixel data`);
  return n;
}

/** Open one resolution level (the viewer opens them one by one, so that one missing level does not hide the others). */
export async function openLevel(group: OmeZarrGroup, multiscale: Multiscale, index: number): Promise<PyramidLevel> {
  const dataset = multiscale.datasets[index];
  const path = group.path ? `${group.path}/${dataset.path}` : dataset.path;
  const where = `${group.store.location.replace(/\/+$/, '')}/${path}`;
  const location = zarr.root(group.store).resolve(path);
  let array: PixelArray;
  try {
    array = group.zarrFormat === 3 ? await zarr.open.v3(location, { kind: 'array' }) : await zarr.open.v2(location, { kind: 'array' });
  } catch (error) {
    if (error instanceof FairioError) throw error;
    if (error instanceof zarr.NotFoundError) {
      throw new NotFoundError(`resolution level ${index} ("${dataset.path}") is listed in multiscales but its array is missing`, { path: where, cause: error });
    }
    throw new InvalidMetadataError(`resolution level ${index} has unreadable array metadata: ${(error as Error).message}`, { path: where, cause: error });
  }
  if (array.shape.length !== multiscale.axes.length) {
    throw new InvalidMetadataError(`array has ${array.shape.length} dimensions but the image declares ${multiscale.axes.length} axes`, { path: where });
  }
  if (array.shape.some((s) => !Number.isSafeInteger(s) || s < 0)) {
    throw new InvalidMetadataError(`array shape [${array.shape.join(', ')}] is not a list of non-negative integers`, { path: where });
  }
  bytesPerElement(array.dtype);
  return { index, path, shape: array.shape, chunks: array.chunks, dtype: array.dtype, ...levelTransform(multiscale, index), array };
}

export class OmeZarrImage {
  private constructor(
    readonly group: OmeZarrGroup,
    readonly multiscale: Multiscale,
    readonly levels: PyramidLevel[],
  ) {}

  static async open(group: OmeZarrGroup, multiscaleIndex = 0): Promise<OmeZarrImage> {
    const multiscale = group.metadata?.multiscales?.[multiscaleIndex];
    if (!multiscale) throw new NotFoundError(`has no multiscale image #${multiscaleIndex}`, { path: group.location });
    const levels = await Promise.all(multiscale.datasets.map((_, i) => openLevel(group, multiscale, i)));
    return new OmeZarrImage(group, multiscale, levels);
  }

  get version(): NgffVersion {
    return this.group.metadata!.version;
  }
  get axes(): Axis[] {
    return this.multiscale.axes;
  }
  get axisNames(): string[] {
    return this.multiscale.axes.map((a) => a.name);
  }
  get name(): string | undefined {
    return this.multiscale.name;
  }
  get omero(): Omero | undefined {
    return this.group.metadata?.omero;
  }
  /** Set when this image is a label image (segmentation). */
  get imageLabel(): ImageLabel | undefined {
    return this.group.metadata?.imageLabel;
  }

  /** Index of an axis by name, or -1. */
  axisIndex(name: string): number {
    return this.axisNames.indexOf(name);
  }

  /** Pixel ranges along every axis of a level for a request. */
  resolveRegion(request: RegionRequest = {}): { level: PyramidLevel; start: number[]; stop: number[]; keep: boolean[] } {
    const level = this.levels[request.level ?? 0];
    if (!level) throw new FairioError('INVALID_ARGUMENT', `has no resolution level ${request.level} (levels 0..${this.levels.length - 1})`, { path: this.group.location });
    const start = level.shape.map(() => 0);
    const stop = [...level.shape];
    const keep = level.shape.map(() => true);
    for (const [name, sel] of Object.entries(request.select ?? {})) {
      const i = this.axisIndex(name);
      if (i < 0) throw new FairioError('INVALID_ARGUMENT', `has no axis "${name}" (axes: ${this.axisNames.join(', ')})`, { path: this.group.location });
      const toPixel = (v: number, round: (x: number) => number) =>
        request.units === 'physical' ? round((v - level.translation[i]) / level.scale[i]) : v;
      let lo: number;
      let hi: number;
      if (typeof sel === 'number') {
        lo = toPixel(sel, Math.floor);
        hi = lo + 1;
        keep[i] = false;
      } else {
        lo = toPixel(sel[0], Math.floor);
        hi = toPixel(sel[1], Math.ceil);
      }
      if (!Number.isInteger(lo) || !Number.isInteger(hi)) throw new FairioError('INVALID_ARGUMENT', `selection on axis "${name}" must be whole pixels`);
      lo = Math.max(0, lo);
      hi = Math.min(level.shape[i], hi);
      if (hi <= lo) throw new FairioError('INVALID_ARGUMENT', `selection on axis "${name}" is outside the image (size ${level.shape[i]} at level ${level.index})`, { path: this.group.location });
      start[i] = lo;
      stop[i] = hi;
    }
    return { level, start, stop, keep };
  }

  /** Read a region into memory. Refuses regions over `MAX_REGION_BYTES`. */
  async readRegion(request: RegionRequest = {}): Promise<Region> {
    const { level, start, stop, keep } = this.resolveRegion(request);
    const bytes = stop.reduce((n, s, i) => n * (s - start[i]), bytesPerElement(level.dtype));
    if (bytes > MAX_REGION_BYTES) {
      throw new FairioError(
        'SHAPE_TOO_LARGE',
        `region of ${(bytes / 2 ** 30).toFixed(1)} GiB at level ${level.index} (shape [${level.shape.join(', ')}]) is too large to read at once: select a smaller region or a lower resolution level`,
        { path: this.group.location },
      );
    }
    const data = await readBox(level.array, start, stop, `${this.group.store.location.replace(/\/+$/, '')}/${level.path}`);
    return {
      data,
      shape: stop.map((s, i) => s - start[i]).filter((_, i) => keep[i]),
      axes: this.axisNames.filter((_, i) => keep[i]),
      start,
      stop,
    };
  }
}
