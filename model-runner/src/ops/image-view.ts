/**
 * What the image ops share: an OME-Zarr input opened at full resolution as an
 * `ImageView` — its axes, which of them are spatial (NGFF puts time and
 * channel first), optionally one channel picked out so the view has no `c`
 * axis — plus the block shapes the chunk-wise passes walk through and the
 * little helpers (progress, cancellation, output version) they all need.
 */
import * as path from 'node:path';
import { FairioError, openOmeZarr, readBox, type Axis, type OmeZarrImage, type WritableNgffVersion, type WriteImageOptions } from '@fairio/ngff';

/** Pixel arrays the ops compute on (64-bit integers arrive converted to numbers). */
export type Pixels = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

export interface ImageView {
  /** The input path, for messages. */
  location: string;
  image: OmeZarrImage;
  /** Axes of the view (without `c` when a channel was picked). */
  axes: Axis[];
  shape: number[];
  /** Level-0 chunk shape, per axis of the view. */
  chunks: number[];
  /** Zarr data type of the pixels on disk. */
  dtype: string;
  scale: number[];
  translation: number[];
  /** Index of the first spatial axis: axes before it (t, c) are independent slices. */
  firstSpatial: number;
  /** The picked channel, when there was a `c` axis. */
  channel?: number;
  /** Pixels of the box [start, stop) of the view, C order. */
  read(start: number[], stop: number[]): Promise<Pixels>;
}

export interface ViewOptions {
  /**
   * 'pick': a `c` axis is reduced to one channel (`channel`, or the only one).
   * 'keep': every axis stays.
   */
  channels: 'pick' | 'keep';
  channel?: number;
  /** How to choose a channel, for the error when one must be chosen ("choose one with --channel"). */
  channelHint?: string;
}

const SPATIAL_NAMES = new Set(['x', 'y', 'z']);

export function isSpatial(axis: Axis): boolean {
  return axis.type === 'space' || (axis.type === undefined && SPATIAL_NAMES.has(axis.name.toLowerCase()));
}

/** Open the multiscale image at `location` (a folder, `.zip` or URL). */
export async function openImage(location: string, what: string): Promise<OmeZarrImage> {
  const group = await openOmeZarr(location);
  if (group.kind !== 'image') {
    throw new FairioError('INVALID_ARGUMENT', `the ${what} must be an OME-Zarr image, but this is a ${group.kind}${group.kind === 'labels' ? ' group: give the path of one label image inside it' : ''}`, { path: location });
  }
  return group.image();
}

function toNumbers(data: ArrayLike<number> | ArrayLike<bigint>): Pixels {
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    const out = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = Number(data[i]);
      if (!Number.isSafeInteger(v)) throw new FairioError('UNSUPPORTED', `pixel value ${data[i]} is too large to compute with exactly (above 2^53)`);
      out[i] = v;
    }
    return out;
  }
  return data as Pixels;
}

/** Level 0 of `image` as a view, with the channel axis kept or reduced to one channel. */
export function imageView(image: OmeZarrImage, location: string, options: ViewOptions): ImageView {
  const level = image.levels[0];
  const axes = image.axes;
  const channelAxis = axes.findIndex((a) => a.type === 'channel' || (a.type === undefined && a.name === 'c'));
  const firstSpatialAll = axes.findIndex(isSpatial);
  if (firstSpatialAll < 0) throw new FairioError('UNSUPPORTED', `has no spatial axis (axes: ${axes.map((a) => a.name).join(', ')})`, { path: location });
  const trailing = axes.slice(firstSpatialAll);
  if (!trailing.every(isSpatial)) {
    throw new FairioError('UNSUPPORTED', `axes ${axes.map((a) => a.name).join(', ')} put a non-spatial axis after a spatial one, which OME-NGFF does not allow`, { path: location });
  }
  const where = `${location.replace(/\/+$/, '')}/${level.path}`;

  let channel: number | undefined;
  let drop = -1;
  if (channelAxis >= 0 && options.channels === 'pick') {
    const count = level.shape[channelAxis];
    const names = image.omero?.channels?.map((c) => c.label).filter((l): l is string => typeof l === 'string');
    const listing = names && names.length === count ? ` (${names.map((n, i) => `${i}: ${n}`).join(', ')})` : '';
    if (options.channel === undefined) {
      if (count !== 1) {
        throw new FairioError('INVALID_ARGUMENT', `has ${count} channels${listing}; ${options.channelHint ?? 'choose one with the channel parameter'}`, { path: location });
      }
      channel = 0;
    } else {
      if (!Number.isInteger(options.channel) || options.channel < 0 || options.channel >= count) {
        throw new FairioError('INVALID_ARGUMENT', `has no channel ${options.channel}: channels are 0..${count - 1}${listing}`, { path: location });
      }
      channel = options.channel;
    }
    drop = channelAxis;
  } else if (options.channel !== undefined && channelAxis < 0) {
    throw new FairioError('INVALID_ARGUMENT', `has no channel axis, so channel ${options.channel} cannot be chosen (axes: ${axes.map((a) => a.name).join(', ')})`, { path: location });
  }
  const keep = <T>(values: T[]) => values.filter((_, i) => i !== drop);
  const n = level.shape.length;

  return {
    location,
    image,
    axes: keep(axes),
    shape: keep(level.shape),
    chunks: keep(level.chunks),
    dtype: level.dtype,
    scale: keep(level.scale),
    translation: keep(level.translation),
    firstSpatial: drop >= 0 && drop < firstSpatialAll ? firstSpatialAll - 1 : firstSpatialAll,
    channel,
    async read(start, stop) {
      const fullStart: number[] = [];
      const fullStop: number[] = [];
      for (let i = 0, j = 0; i < n; i++) {
        if (i === drop) {
          fullStart.push(channel!);
          fullStop.push(channel! + 1);
        } else {
          fullStart.push(start[j]);
          fullStop.push(stop[j++]);
        }
      }
      return toNumbers(await readBox(level.array, fullStart, fullStop, where));
    },
  };
}

/** Whether pixels of this Zarr data type are integers (bool counts as 0/1). */
export function isIntegerType(dtype: string): boolean {
  return /^(bool|u?int(8|16|32|64))$/.test(dtype);
}

/** About a million pixels: a block of uint32 labels is 4 MiB. */
export const BLOCK_TARGET = 1 << 20;

/**
 * The block shape of a chunk-wise pass: one slice along the non-spatial axes,
 * whole chunks along the spatial ones, doubled (smallest side first) up to
 * about `target` pixels. `spatial` replaces the spatial part (tests use tiny
 * blocks so that objects cross many block borders).
 */
export function passBlockShape(view: Pick<ImageView, 'shape' | 'chunks' | 'firstSpatial'>, spatial?: number[], target = BLOCK_TARGET): number[] {
  const { shape, chunks, firstSpatial } = view;
  if (spatial) {
    const count = shape.length - firstSpatial;
    if (spatial.length !== count || spatial.some((s) => !Number.isInteger(s) || s < 1)) {
      throw new FairioError('INVALID_ARGUMENT', `block shape [${spatial.join(', ')}] must have ${count} positive integers, one per spatial axis`);
    }
    return shape.map((s, i) => (i < firstSpatial ? 1 : Math.min(Math.max(1, s), spatial[i - firstSpatial])));
  }
  const block = shape.map((s, i) => (i < firstSpatial ? 1 : Math.max(1, Math.min(chunks[i], s))));
  for (;;) {
    const size = block.reduce((a, b) => a * b, 1);
    let best = -1;
    for (let i = firstSpatial; i < shape.length; i++) if (block[i] < shape[i] && (best < 0 || block[i] < block[best])) best = i;
    if (best < 0 || size * 2 > target) return block;
    block[best] = Math.min(shape[best], block[best] * 2);
  }
}

/** The OME-NGFF version to write outputs in: the input's when fairio can write it. */
export function outputVersion(image: OmeZarrImage): WritableNgffVersion {
  return image.version === '0.4' ? '0.4' : '0.5';
}

/**
 * How an op writes its label-image output (mask, labels): in the input's NGFF
 * version, on the same grid (axes, scale, translation, chunks), named after the
 * input. The caller adds the `imageLabel` metadata and progress.
 */
export function labelOutputOptions(
  image: OmeZarrImage,
  view: ImageView,
  input: string,
  what: string,
  options: { chunks?: number[]; overwrite?: boolean; workers?: number },
): Pick<WriteImageOptions, 'ngff' | 'axes' | 'scale' | 'translation' | 'chunks' | 'name' | 'overwrite' | 'workers'> {
  return {
    ngff: outputVersion(image),
    axes: view.axes,
    scale: view.scale,
    translation: view.translation,
    chunks: options.chunks ?? view.chunks,
    name: `${image.name ?? path.basename(input.replace(/\/+$/, ''))} ${what}`,
    overwrite: options.overwrite,
    workers: options.workers,
  };
}

/** Stop between blocks when the caller cancelled (throws the signal's reason, an AbortError by default). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  signal?.throwIfAborted();
}

/**
 * One progress count over several passes: each pass announces its block
 * count, and the caller's callback sees (done, total) over all of them.
 */
export class PassProgress {
  private done = 0;
  private readonly totals: number[];
  constructor(
    private readonly onProgress: ((done: number, total: number, what?: string) => void) | undefined,
    passes: number[],
  ) {
    this.totals = passes;
  }
  get total(): number {
    return this.totals.reduce((a, b) => a + b, 0);
  }
  /** Replace the estimate of pass `i` (e.g. once a pyramid's size is known). */
  setPass(i: number, blocks: number): void {
    this.totals[i] = blocks;
  }
  step(what?: string): void {
    this.onProgress?.(++this.done, Math.max(this.total, this.done), what);
  }
  /** Progress reporter for writeImage, counted as pass `i`. */
  writer(i: number, what: string): (done: number, total: number) => void {
    const before = this.done;
    return (done, total) => {
      this.totals[i] = total;
      this.done = before + done;
      this.onProgress?.(this.done, Math.max(this.total, this.done), what);
    };
  }
}
