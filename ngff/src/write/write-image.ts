/**
 * Writing an OME-Zarr image: level 0 block by block from any `ImageSource`
 * (a TIFF, an analysis result, an array in memory), then each pyramid level
 * from the one before, read back chunk-wise and downsampled, so memory holds
 * a few blocks whatever the image size. Encoding runs on a worker pool; the
 * whole store is written to a temporary sibling and renamed into place.
 */
import * as path from 'node:path';
import * as zarr from 'zarrita';
import FileSystemStore from '@zarrita/storage/fs';
import { boundedMap, blockCount, iterateBlocks, SpareArrays } from '../blocks/index.js';
import { writeAtomically } from '../atomic.js';
import { FairioError } from '../errors.js';
import type { Axis, ImageLabel } from '../metadata/types.js';
import { copyOverlap } from '../copy-overlap.js';
import { readBox } from '../read-box.js';
import { createArray, createEncodePool, writeGroup, DATA_TYPES, type ArrayWriter, type Compressor, type DataType, type EncodePool, type TypedArray } from '../zarr/index.js';
import { minMaxFloat32, minMaxUint16 } from '../kernels/index.js';
import { castSource } from './cast.js';
import { downsampleBlock, type Downsampling } from './downsample.js';
import { imageAttributes, type ChannelDisplay, type WritableNgffVersion } from './ngff-attributes.js';
import { planPyramid, shardsForLevel } from './pyramid.js';

/** Anything that can hand over boxes of pixels in C order. */
export interface ImageSource {
  shape: number[];
  dtype: DataType;
  /** Pixels of the box [start, stop), C order. Called for chunk-aligned boxes, in C order of the grid. */
  read(start: number[], stop: number[]): Promise<TypedArray>;
  /**
   * Called with a block that `read` returned once the writer is done with it
   * (written, downsampled, measured), so the source may refill its memory.
   */
  release?(data: TypedArray): void;
}

export interface WriteImageOptions {
  /** OME-NGFF version: 0.5 on Zarr v3 (default) or 0.4 on Zarr v2. */
  ngff?: WritableNgffVersion;
  axes: Axis[];
  /** Physical pixel size of level 0 along each axis (default 1). */
  scale?: number[];
  translation?: number[];
  /** Chunk shape (default: 1 along t, c, z; up to 512 along y and x). */
  chunks?: number[];
  /** Shard shape (NGFF 0.5 only), a multiple of the chunks. */
  shards?: number[];
  /** Pixel type on disk (default: the source's); integers are rounded and clamped. */
  dtype?: DataType;
  /** Default blosc-zstd level 5 with byte shuffle. */
  compressor?: Compressor;
  /** Number of pyramid levels (default: until y and x fit in one chunk). */
  levels?: number;
  /**
   * Where levels 1.. come from: the blocks of the level below while they are
   * in memory (default, when block starts are even in y and x), or that level
   * read back from disk ('disk'; the same bytes, slower).
   */
  pyramidFrom?: 'memory' | 'disk';
  /** Default 'mean'; 'mode' for label images. */
  downsampling?: Downsampling;
  name?: string;
  /** Channel names and colours; display windows are measured from the data when not given. */
  channels?: ChannelDisplay[];
  /** Write a label image (segmentation): integer pixels, mode downsampling, `image-label` metadata. */
  imageLabel?: ImageLabel;
  overwrite?: boolean;
  /** Worker threads for encoding (default: available parallelism; 0 = encode on this thread). */
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface WrittenImage {
  path: string;
  ngff: WritableNgffVersion;
  levels: { path: string; shape: number[]; chunks: number[]; shards?: number[] }[];
}

export const DEFAULT_COMPRESSOR: Compressor = { id: 'blosc', cname: 'zstd', clevel: 5, shuffle: 'shuffle' };

export function defaultChunks(shape: number[]): number[] {
  const n = shape.length;
  return shape.map((s, i) => (i >= n - 2 ? Math.min(s, 512) : 1));
}

function checkOptions(source: ImageSource, options: WriteImageOptions): Required<Pick<WriteImageOptions, 'ngff' | 'chunks' | 'scale'>> {
  const n = source.shape.length;
  const ngff = options.ngff ?? '0.5';
  const fail = (message: string): never => {
    throw new FairioError('INVALID_ARGUMENT', message);
  };
  if (ngff !== '0.4' && ngff !== '0.5') fail(`cannot write OME-NGFF ${ngff as string}; choose 0.4 or 0.5`);
  if (options.axes.length !== n) fail(`the image has ${n} dimensions but ${options.axes.length} axes were given`);
  if (n < 2 || n > 5) fail(`OME-NGFF images have 2 to 5 dimensions, not ${n}`);
  const chunks = (options.chunks ?? defaultChunks(source.shape)).map((c, i) => Math.min(c, Math.max(1, source.shape[i])));
  if (chunks.length !== n || chunks.some((c) => !Number.isInteger(c) || c < 1)) fail(`chunks must be ${n} positive integers`);
  if (options.shards && ngff === '0.4') fail('sharding needs OME-NGFF 0.5 (Zarr v3)');
  if (options.shards && (options.shards.length !== n || options.shards.some((s, i) => s % options.chunks![i] !== 0 && s < source.shape[i])))
    fail(`shards must be ${n} multiples of the chunk shape`);
  const scale = options.scale ?? source.shape.map(() => 1);
  if (scale.length !== n || scale.some((s) => !(s > 0))) fail(`scale must be ${n} positive numbers`);
  if (options.imageLabel && !DATA_TYPES[source.dtype].integer) fail(`label images need integer pixels, not ${source.dtype}`);
  return { ngff, chunks, scale };
}

/** Per-channel minimum and maximum of level 0, for the display windows. */
class ChannelRange {
  readonly min: number[];
  readonly max: number[];
  constructor(
    private readonly channelAxis: number,
    channels: number,
  ) {
    this.min = new Array(channels).fill(Infinity);
    this.max = new Array(channels).fill(-Infinity);
  }
  add(data: TypedArray, start: number[], shape: number[]): void {
    const c = this.channelAxis;
    const outer = c < 0 ? 1 : shape.slice(0, c).reduce((a, b) => a * b, 1);
    const channels = c < 0 ? 1 : shape[c];
    const inner = c < 0 ? data.length : shape.slice(c + 1).reduce((a, b) => a * b, 1);
    for (let o = 0; o < outer; o++) {
      for (let k = 0; k < channels; k++) {
        const ch = c < 0 ? 0 : start[c] + k;
        let lo = this.min[ch];
        let hi = this.max[ch];
        const base = (o * channels + k) * inner;
        // The kernels give what the loop below gives from ±∞; folded in with the loop's own comparisons.
        const simd = data instanceof Uint16Array ? minMaxUint16(data, base, base + inner) : data instanceof Float32Array ? minMaxFloat32(data, base, base + inner) : undefined;
        if (simd) {
          this.min[ch] = simd[0] < lo ? simd[0] : lo;
          this.max[ch] = simd[1] > hi ? simd[1] : hi;
          continue;
        }
        for (let i = base; i < base + inner; i++) {
          const v = data[i];
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        this.min[ch] = lo;
        this.max[ch] = hi;
      }
    }
  }
}

/** A level-0 block from the source, its pixel count checked against its shape. */
async function readSourceBlock(source: ImageSource, block: { start: number[]; stop: number[] }): Promise<{ data: TypedArray; shape: number[] }> {
  const shape = block.stop.map((s, i) => s - block.start[i]);
  const data = await source.read(block.start, block.stop);
  if (data.length !== shape.reduce((a, b) => a * b, 1)) {
    throw new FairioError('INVALID_ARGUMENT', `the image source returned ${data.length} pixels for a block of shape [${shape.join(', ')}]`);
  }
  return { data, shape };
}

async function writeLevel0(writer: ArrayWriter, source: ImageSource, range: ChannelRange, inFlight: number, progress: () => void): Promise<void> {
  const blocks = iterateBlocks(source.shape, writer.blockShape);
  for await (const _ of boundedMap(
    blocks,
    async (block) => {
      const { data, shape } = await readSourceBlock(source, block);
      range.add(data, block.start, shape);
      await writer.writeBlock(block.coords, data, shape);
      source.release?.(data);
    },
    inFlight,
  )) progress();
}

/** Level k+1 from level k: each target block reads its 2×2 footprint (y, x) from the level below. */
async function writeDownsampledLevel(writer: ArrayWriter, below: zarr.Array<zarr.DataType, FileSystemStore>, method: Downsampling, where: string, inFlight: number, progress: () => void): Promise<void> {
  const n = below.shape.length;
  for await (const _ of boundedMap(
    iterateBlocks(writer.spec.shape, writer.blockShape),
    async (block) => {
      const start = block.start.map((s, i) => (i >= n - 2 ? s * 2 : s));
      const stop = block.stop.map((s, i) => (i >= n - 2 ? Math.min(below.shape[i], s * 2) : s));
      const data = (await readBox(below, start, stop, where)) as TypedArray;
      const small = downsampleBlock(data, stop.map((s, i) => s - start[i]), method);
      await writer.writeBlock(block.coords, small, block.stop.map((s, i) => s - block.start[i]));
    },
    inFlight,
  )) progress();
}

/** A box of level k+1 pixels being filled from the downsampled level-k blocks that cover it. */
interface PendingBlock {
  coords: number[];
  start: number[];
  stop: number[];
  data: TypedArray;
  missing: number;
}

/**
 * Gathers quarter-size pieces (downsampled level-k blocks) into whole blocks
 * of level k+1 and hands each block over as soon as every piece covering it
 * has arrived. Blocks arrive in C order of the level-k grid, so only the
 * level-(k+1) blocks of the current row of pieces are pending.
 */
class PieceGatherer {
  readonly #pending = new Map<string, PendingBlock>();
  /** Buffers for pieces and blocks of level k+1, handed back when they are written. */
  readonly spare = new SpareArrays();
  constructor(private readonly writer: ArrayWriter) {}

  /** Copy `piece` (level k+1 pixels [start, stop)) into the blocks it overlaps; returns the blocks it completed. */
  add(start: number[], stop: number[], piece: TypedArray): PendingBlock[] {
    const { shape } = this.writer.spec;
    const bs = this.writer.blockShape;
    const n = shape.length;
    const first = start.map((s, d) => Math.floor(s / bs[d]));
    const last = stop.map((s, d) => Math.floor((s - 1) / bs[d]));
    const done: PendingBlock[] = [];
    const coords = [...first];
    for (;;) {
      const key = coords.join(',');
      let block = this.#pending.get(key);
      if (!block) {
        const bStart = coords.map((c, d) => c * bs[d]);
        const bStop = bStart.map((s, d) => Math.min(shape[d], s + bs[d]));
        const size = bStop.reduce((a, s, d) => a * (s - bStart[d]), 1);
        // Every pixel is overwritten by the pieces before the block is handed over, so a reused buffer is fine.
        block = { coords: [...coords], start: bStart, stop: bStop, data: this.spare.take(piece.constructor as new (length: number) => TypedArray, size), missing: size };
        this.#pending.set(key, block);
      }
      block.missing -= copyOverlap(piece, start, stop, block.data, block.start, block.stop);
      if (block.missing === 0) {
        this.#pending.delete(key);
        done.push(block);
      }
      let d = n - 1;
      for (; d >= 0; d--) {
        if (++coords[d] <= last[d]) break;
        coords[d] = first[d];
      }
      if (d < 0) break;
    }
    return done;
  }
}

/**
 * Whether every level can be built from the blocks of the level below while
 * they are in memory: block starts must be even in y and x (an even block
 * shape there, or a single block), so that each block downsamples on its own
 * to exactly its part of the next level.
 */
function canGatherPyramid(writers: ArrayWriter[]): boolean {
  return writers.slice(0, -1).every((w) => {
    const n = w.spec.shape.length;
    return [n - 2, n - 1].every((d) => w.blockShape[d] % 2 === 0 || w.blockShape[d] >= w.spec.shape[d]);
  });
}

/**
 * Level 0 from the source and every pyramid level from the blocks of the
 * level below as they are written: each block is downsampled (before it is
 * handed to the writer, which may move its buffer to a worker) into a piece
 * of the next level, and a block of the next level is written, and
 * downsampled in turn, as soon as its pieces are all there.
 */
async function writeLevelsGathered(writers: ArrayWriter[], source: ImageSource, range: ChannelRange, method: Downsampling, inFlight: number, progress: () => void): Promise<void> {
  const gatherers = writers.slice(1).map((w) => new PieceGatherer(w));
  const n = source.shape.length;
  const emit = (level: number, coords: number[], start: number[], stop: number[], data: TypedArray): Promise<unknown> => {
    const shape = stop.map((s, i) => s - start[i]);
    const writes: Promise<unknown>[] = [];
    if (level + 1 < writers.length) {
      const gatherer = gatherers[level];
      const pStart = start.map((s, d) => (d >= n - 2 ? s / 2 : s));
      const pStop = stop.map((s, d) => (d >= n - 2 ? Math.ceil(s / 2) : s));
      const piece = downsampleBlock(data, shape, method, gatherer.spare);
      for (const block of gatherer.add(pStart, pStop, piece)) writes.push(emit(level + 1, block.coords, block.start, block.stop, block.data).then(() => gatherer.spare.give(block.data)));
      gatherer.spare.give(piece); // copied into the blocks it covers
    }
    writes.push(writers[level].writeBlock(coords, data, shape).then(progress));
    return Promise.all(writes);
  };
  for await (const _ of boundedMap(
    iterateBlocks(source.shape, writers[0].blockShape),
    async (block) => {
      const { data, shape } = await readSourceBlock(source, block);
      range.add(data, block.start, shape);
      await emit(0, block.coords, block.start, block.stop, data);
      source.release?.(data);
    },
    inFlight,
  ));
}

async function writeImageInto(dir: string, source: ImageSource, options: WriteImageOptions, pool: EncodePool | undefined): Promise<WrittenImage> {
  const { ngff, chunks, scale } = checkOptions(source, options);
  const format = ngff === '0.4' ? 2 : 3;
  const n = source.shape.length;
  const levels = planPyramid(source.shape, chunks, options.levels);
  const compressor = options.compressor ?? DEFAULT_COMPRESSOR;
  const method = options.downsampling ?? (options.imageLabel ? 'mode' : 'mean');
  const dimensionNames = options.axes.map((a) => a.name);

  const writers: ArrayWriter[] = [];
  for (const [i, level] of levels.entries()) {
    const levelChunks = chunks.map((c, d) => Math.min(c, level.shape[d]));
    writers.push(
      await createArray(
        path.join(dir, String(i)),
        {
          format,
          shape: level.shape,
          chunks: levelChunks,
          shards: options.shards ? shardsForLevel(options.shards, levelChunks, level.shape) : undefined,
          dtype: source.dtype,
          compressor,
          dimensionNames: format === 3 ? dimensionNames : undefined,
        },
        { pool },
      ),
    );
  }
  const total = writers.reduce((sum, w) => sum + blockCount(w.spec.shape, w.blockShape), 0);
  let done = 0;
  const progress = () => options.onProgress?.(++done, total);
  options.onProgress?.(0, total);

  const channelAxis = options.axes.findIndex((a) => a.type === 'channel');
  const range = new ChannelRange(channelAxis, channelAxis < 0 ? 1 : source.shape[channelAxis]);
  // Enough blocks in flight to keep every encoder busy while the source reads the next one.
  const inFlight = 2 * Math.max(2, pool?.size ?? 1);
  if (canGatherPyramid(writers) && options.pyramidFrom !== 'disk') {
    await writeLevelsGathered(writers, source, range, method, inFlight, progress);
  } else {
    await writeLevel0(writers[0], source, range, inFlight, progress);
    const store = new FileSystemStore(dir);
    for (let i = 1; i < levels.length; i++) {
      const below = await (format === 3 ? zarr.open.v3 : zarr.open.v2)(zarr.root(store).resolve(String(i - 1)), { kind: 'array' });
      await writeDownsampledLevel(writers[i], below, method, path.join(dir, String(i - 1)), inFlight, progress);
    }
  }

  const translation = options.translation ?? new Array(n).fill(0);
  // A level's pixel centre moves by half the old pixel when pixels are merged.
  const levelTranslation = (factor: number[]) => translation.map((t, d) => t + ((factor[d] - 1) * scale[d]) / 2);
  const channelCount = channelAxis < 0 ? 1 : source.shape[channelAxis];
  const channels = options.imageLabel
    ? undefined
    : Array.from({ length: channelCount }, (_, c) => {
        const given = options.channels?.[c] ?? {};
        const lo = Number.isFinite(range.min[c]) ? range.min[c] : 0;
        const hi = Number.isFinite(range.max[c]) ? range.max[c] : 0;
        return { ...given, window: given.window ?? { min: lo, max: hi, start: lo, end: hi } };
      });
  await writeGroup(
    dir,
    format,
    imageAttributes({
      version: ngff,
      name: options.name,
      axes: options.axes,
      levels: levels.map((l, i) => ({ path: String(i), scale: scale.map((s, d) => s * l.factor[d]), translation: levelTranslation(l.factor) })),
      channels,
      imageLabel: options.imageLabel,
      downsampling: { method: method === 'mean' ? 'fairio: 2x2 mean (y, x)' : 'fairio: 2x2 mode (y, x)', version: '0.1.0' },
    }),
  );
  return { path: dir, ngff, levels: writers.map((w) => ({ path: path.basename(w.dir), shape: w.spec.shape, chunks: w.spec.chunks, shards: w.spec.shards })) };
}

/** Write `source` as an OME-Zarr image at `destination` (atomically). */
export async function writeImage(destination: string, image: ImageSource, options: WriteImageOptions): Promise<WrittenImage> {
  const source = options.dtype ? castSource(image, options.dtype) : image;
  const pool = options.workers === 0 ? undefined : createEncodePool(options.workers ? { size: options.workers } : {});
  try {
    const written = await writeAtomically(destination, (temp) => writeImageInto(temp, source, options, pool), { overwrite: options.overwrite });
    return { ...written, path: destination };
  } finally {
    await pool?.close();
  }
}

/** An in-memory array as an image source (tests, small results). */
export function arraySource(data: TypedArray, shape: number[], dtype: DataType): ImageSource {
  const origin = shape.map(() => 0);
  return {
    shape,
    dtype,
    async read(start, stop) {
      const out = new DATA_TYPES[dtype].array(stop.reduce((size, s, i) => size * (s - start[i]), 1));
      copyOverlap(data, origin, shape, out, start, stop);
      return out;
    },
  };
}
