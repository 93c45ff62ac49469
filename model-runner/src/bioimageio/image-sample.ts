/**
 * How an OME-Zarr image meets a model's input: image axes are matched to the
 * model's axes by name (x, y, z; the channel axis by selection), and every
 * other image axis becomes a loop over samples — time points always, z
 * slices when the model is 2D. A sample is then an `InputAccess` in the
 * model's axis order, read chunk-wise from level 0, and a chunk visitor for
 * the whole-image statistics.
 */
import { ByteLru, FairioError, readBox, SpareArrays, type OmeZarrImage, type PyramidLevel } from '@fairio/ngff/browser';
import type { ChunkVisitor } from './processing/stats.js';
import { allocate, fromSpares, size, strides, type Allocator, type NdArray, type TensorDtype } from './processing/tensor.js';
import type { TensorSpec } from './spec/model.js';
import { copyBox, type InputAccess } from './tiling/predict.js';

export interface SampleLayout {
  /** Image axis index for each model input axis (-1 for batch). */
  imageAxisOf: number[];
  /** Image axes looped over (e.g. t, and z for a 2D model), with their sizes. */
  loopAxes: { index: number; name: string; size: number }[];
  /** Selected channel indices of the image (empty when the image has no channel axis). */
  channels: number[];
  /** Image channel axis index, or -1. */
  channelAxis: number;
  /** The model input's shape for one sample. */
  sampleShape: number[];
}

/** Parse "0,2" or "1" into channel indices. */
export function parseChannels(text: string | undefined): number[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const list = text.split(',').map((s) => Number(s.trim()));
  if (list.some((n) => !Number.isInteger(n) || n < 0)) throw new FairioError('INVALID_ARGUMENT', `channels must be indices like "0" or "0,2", not "${text}"`);
  return list;
}

export function layoutFor(image: OmeZarrImage, input: TensorSpec, channelSelection?: number[]): SampleLayout {
  const names = image.axisNames;
  const shape = image.levels[0].shape;
  const channelAxis = image.axes.findIndex((a) => a.type === 'channel' || a.name === 'c');
  const imageAxisOf = input.axes.map((axis) => {
    if (axis.type === 'batch') return -1;
    if (axis.type === 'channel') return channelAxis;
    const i = names.indexOf(axis.id === 'time' ? 't' : axis.id);
    if (i < 0) throw new FairioError('INVALID_ARGUMENT', `the model needs axis "${axis.id}", which the image does not have (axes: ${names.join(', ')})`);
    return i;
  });
  const modelChannel = input.axes.find((a) => a.type === 'channel');
  const wanted = modelChannel ? (modelChannel.size.kind === 'fixed' ? modelChannel.size.size : undefined) : 1;
  const available = channelAxis < 0 ? 1 : shape[channelAxis];
  let channels = channelSelection ?? (channelAxis < 0 ? [] : wanted === available || wanted === undefined ? Array.from({ length: available }, (_, i) => i) : undefined);
  if (channels === undefined) {
    throw new FairioError('INVALID_ARGUMENT', `the model takes ${wanted} channel${wanted === 1 ? '' : 's'} but the image has ${available}; choose with --channels (e.g. --channels 0)`);
  }
  if (channelAxis < 0) channels = [];
  if (channels.some((c) => c >= available)) throw new FairioError('INVALID_ARGUMENT', `channel ${Math.max(...channels)} does not exist; the image has ${available} channel${available === 1 ? '' : 's'} (0…${available - 1})`);
  const count = channelAxis < 0 ? 1 : channels.length;
  if (wanted !== undefined && count !== wanted) throw new FairioError('INVALID_ARGUMENT', `the model takes ${wanted} channel${wanted === 1 ? '' : 's'}, but ${count} ${count === 1 ? 'was' : 'were'} selected`);
  if (!modelChannel && count !== 1) throw new FairioError('INVALID_ARGUMENT', `the model has no channel axis; select one channel with --channels`);
  const used = new Set(imageAxisOf.filter((i) => i >= 0));
  const loopAxes = names.flatMap((name, index) => (used.has(index) || index === channelAxis ? [] : [{ index, name, size: shape[index] }]));
  const bad = loopAxes.find((a) => a.name !== 't' && a.name !== 'z' && a.size > 1);
  if (bad) throw new FairioError('UNSUPPORTED', `image axis "${bad.name}" (size ${bad.size}) has no counterpart in the model (axes: ${input.axes.map((a) => a.id).join(', ')})`);
  const sampleShape = input.axes.map((axis, k) => (axis.type === 'batch' ? 1 : axis.type === 'channel' ? count : shape[imageAxisOf[k]]));
  return { imageAxisOf, loopAxes, channels, channelAxis, sampleShape };
}

/** Sample index → position along each loop axis. */
export function samplePosition(layout: SampleLayout, sample: number): number[] {
  const sizes = layout.loopAxes.map((a) => a.size);
  const st = strides(sizes);
  return sizes.map((s, i) => Math.floor(sample / st[i]) % s);
}

export function sampleCount(layout: SampleLayout): number {
  return size(layout.loopAxes.map((a) => a.size));
}

/**
 * Whether the box's elements are already the model tensor's in C order (the
 * usual case: y, x of a one-channel image), so the box itself is the tensor.
 */
function inModelOrder(box: NdArray, modelShape: number[], origin: number[], step: number[], channelOffsets: (number[] | undefined)[]): boolean {
  if (box.data.length !== size(modelShape)) return false;
  const expected = strides(modelShape);
  let offset = 0;
  for (let k = 0; k < modelShape.length; k++) {
    const offsets = channelOffsets[k];
    const first = offsets ? offsets[0] : origin[k];
    offset += first;
    if (modelShape[k] === 1) continue;
    const stride = offsets ? offsets[1] - offsets[0] : step[k];
    if (stride !== expected[k] || (offsets && offsets.some((v, c) => v !== first + c * stride))) return false;
  }
  return offset === 0;
}

/** Rearrange an image box (image axes order) into the model's axis order, picking the selected channels. */
function toModelOrder(box: NdArray, boxStart: number[], layout: SampleLayout, modelStart: number[], modelShape: number[], dtype: TensorDtype, take: Allocator): NdArray {
  const boxStrides = strides(box.shape);
  const n = modelShape.length;
  // Stride in the image box for each model axis, and the offset of model index 0.
  const step = layout.imageAxisOf.map((i) => (i < 0 ? 0 : boxStrides[i]));
  const origin = layout.imageAxisOf.map((i, k) => {
    if (i < 0) return 0;
    if (i === layout.channelAxis) return 0;
    return (modelStart[k] - boxStart[i]) * boxStrides[i];
  });
  const channelOffsets = layout.imageAxisOf.map((i, k) =>
    i >= 0 && i === layout.channelAxis ? Array.from({ length: modelShape[k] }, (_, c) => (layout.channels[modelStart[k] + c] - boxStart[i]) * boxStrides[i]) : undefined,
  );
  if (box.dtype === dtype && inModelOrder(box, modelShape, origin, step, channelOffsets)) return { data: box.data, shape: modelShape, dtype };
  const out = take(dtype, size(modelShape));
  const pos = new Array<number>(n).fill(0);
  const last = n - 1;
  let o = 0;
  for (;;) {
    let base = 0;
    for (let d = 0; d < last; d++) base += channelOffsets[d] ? channelOffsets[d]![pos[d]] : origin[d] + pos[d] * step[d];
    if (channelOffsets[last]) {
      for (let k = 0; k < modelShape[last]; k++) out[o++] = box.data[base + channelOffsets[last]![k]] as never;
    } else if (step[last] === 1) {
      // A row of the model tensor is a row of the box.
      base += origin[last];
      out.set(box.data.subarray(base, base + modelShape[last]) as never, o);
      o += modelShape[last];
    } else {
      base += origin[last];
      const s = step[last];
      for (let k = 0; k < modelShape[last]; k++) out[o++] = box.data[base + k * s] as never;
    }
    let d = last - 1;
    for (; d >= 0; d--) {
      if (++pos[d] < modelShape[d]) break;
      pos[d] = 0;
    }
    if (d < 0) break;
  }
  return { data: out, shape: modelShape, dtype };
}

const DTYPE_OF: Record<string, TensorDtype> = { bool: 'bool', uint8: 'uint8', int8: 'int8', uint16: 'uint16', int16: 'int16', uint32: 'uint32', int32: 'int32', uint64: 'uint64', int64: 'int64', float32: 'float32', float64: 'float64' };

/** The image box [start, stop) in image axes that holds the model box [mStart, mStop) of `sample`. */
function imageBox(level: PyramidLevel, layout: SampleLayout, position: number[], mStart: number[], mStop: number[]): { start: number[]; stop: number[] } {
  const start = level.shape.map(() => 0);
  const stop = level.shape.map(() => 1);
  layout.loopAxes.forEach((a, i) => {
    start[a.index] = position[i];
    stop[a.index] = position[i] + 1;
  });
  layout.imageAxisOf.forEach((i, k) => {
    if (i < 0) return;
    if (i === layout.channelAxis) {
      const picked = layout.channels.slice(mStart[k], mStop[k]);
      start[i] = Math.min(...picked);
      stop[i] = Math.max(...picked) + 1;
    } else {
      start[i] = mStart[k];
      stop[i] = mStop[k];
    }
  });
  if (layout.channelAxis >= 0 && !layout.imageAxisOf.includes(layout.channelAxis)) {
    start[layout.channelAxis] = layout.channels[0];
    stop[layout.channelAxis] = layout.channels[0] + 1;
  }
  return { start, stop };
}

/** Decoded chunks kept per level (bytes), so overlapping tiles and the statistics pass do not decode a chunk again. */
const CHUNK_CACHE_BYTES = 64 * 2 ** 20;

/**
 * Least recently used decoded chunks of one array; promises, so concurrent
 * reads of a chunk decode it once. A scan (the statistics pass, which reads
 * every chunk once in order) only fills free room: were it to evict, an image
 * larger than the cache would keep only its last chunks, which the tiles,
 * starting at the first, reach last — every chunk would be decoded twice.
 * Kept this way, the chunks that fit are decoded once and only the rest twice.
 */
class ChunkCache {
  private readonly lru = new ByteLru<string, Promise<NdArray['data']>>(CHUNK_CACHE_BYTES);

  get(key: string, bytes: number, load: () => Promise<NdArray['data']>, scan = false): Promise<NdArray['data']> {
    const hit = this.lru.get(key);
    if (hit !== undefined) return hit;
    if (scan && this.lru.bytes + bytes > this.lru.budget) return load();
    const data = load();
    data.catch(() => this.lru.peek(key) === data && this.lru.delete(key));
    this.lru.set(key, data, bytes);
    return data;
  }
}

const chunkCaches = new WeakMap<object, ChunkCache>();

/** The image box [start, stop) assembled from whole decoded chunks (each decoded once while cached), in a buffer from `take`. */
async function readCached(level: PyramidLevel, start: number[], stop: number[], where: string, dtype: TensorDtype, take: Allocator, scan: boolean): Promise<NdArray> {
  let cache = chunkCaches.get(level.array);
  if (!cache) chunkCaches.set(level.array, (cache = new ChunkCache()));
  const chunks = level.chunks;
  const shape = stop.map((s, i) => s - start[i]);
  // The chunks cover the box, so every element of a reused buffer is overwritten.
  const out: NdArray = { data: take(dtype, size(shape)), shape, dtype };
  const first = start.map((s, i) => Math.floor(s / chunks[i]));
  const last = stop.map((s, i) => Math.ceil(s / chunks[i]));
  const itemBytes = out.data.BYTES_PER_ELEMENT;
  const parts: Promise<void>[] = [];
  const cell = [...first];
  for (;;) {
    const cStart = cell.map((c, i) => c * chunks[i]);
    const cStop = cStart.map((s, i) => Math.min(s + chunks[i], level.shape[i]));
    const cShape = cStop.map((s, i) => s - cStart[i]);
    const data = cache.get(cell.join(','), size(cShape) * itemBytes, async () => (await readBox(level.array, cStart, cStop, where)) as NdArray['data'], scan);
    parts.push(data.then((d) => copyBox({ data: d, shape: cShape, dtype }, cStart, out, start)));
    let d = cell.length - 1;
    for (; d >= 0; d--) {
      if (++cell[d] < last[d]) break;
      cell[d] = first[d];
    }
    if (d < 0) break;
  }
  await Promise.all(parts);
  return out;
}

/** One sample of the image as the model's input tensor, read box by box (`scan`: a pass that reads each chunk once, see ChunkCache). */
export function sampleAccess(image: OmeZarrImage, layout: SampleLayout, sample: number, scan = false): InputAccess {
  const level = image.levels[0];
  const position = samplePosition(layout, sample);
  const dtype = DTYPE_OF[level.dtype] ?? 'float32';
  const where = `${image.group.location.replace(/\/+$/, '')}/${level.path}`;
  return {
    shape: layout.sampleShape,
    async read(mStart, mStop, take = allocate) {
      const { start, stop } = imageBox(level, layout, position, mStart, mStop);
      const box = await readCached(level, start, stop, where, dtype, take, scan);
      return toModelOrder(box, start, layout, mStart, mStop.map((s, k) => s - mStart[k]), dtype, take);
    },
  };
}

/**
 * Visit the given samples chunk by chunk (the image's chunk grid over the
 * non-loop axes), in model axis order, for statistics.
 */
export function sampleChunks(image: OmeZarrImage, layout: SampleLayout, samples: number[]): ChunkVisitor {
  const level = image.levels[0];
  return async (visit) => {
    // A visited box is read no more once `visit` returns: its buffer takes the next one.
    const spare = new SpareArrays(2);
    const take = fromSpares(spare);
    for (const sample of samples) {
      const access = sampleAccess(image, layout, sample, true);
      // Step through the model box in the chunk sizes of the matching image axes.
      const chunk = layout.imageAxisOf.map((i, k) => (i < 0 ? 1 : i === layout.channelAxis ? layout.sampleShape[k] : level.chunks[i]));
      const grid = layout.sampleShape.map((s, k) => Math.ceil(s / chunk[k]));
      const coords = grid.map(() => 0);
      for (;;) {
        const start = coords.map((c, k) => c * chunk[k]);
        const stop = start.map((s, k) => Math.min(s + chunk[k], layout.sampleShape[k]));
        const box = await access.read(start, stop, take);
        visit(box.data, start, box.shape);
        spare.give(box.data as never);
        let d = grid.length - 1;
        for (; d >= 0; d--) {
          if (++coords[d] < grid[d]) break;
          coords[d] = 0;
        }
        if (d < 0) break;
      }
    }
  };
}

/** The sample at a time point and z slice (the loop axes' positions; other loop axes are 1 long). */
export function sampleAt(layout: SampleLayout, position: { t?: number; z?: number }): number {
  const sizes = layout.loopAxes.map((a) => a.size);
  const st = strides(sizes);
  return layout.loopAxes.reduce((sample, a, i) => {
    const p = a.name === 't' ? (position.t ?? 0) : a.name === 'z' ? (position.z ?? 0) : 0;
    if (p < 0 || p >= a.size) throw new FairioError('INVALID_ARGUMENT', `${a.name} = ${p} is outside the image (0…${a.size - 1})`);
    return sample + p * st[i];
  }, 0);
}

/**
 * A y/x region of a sample (level-0 pixels, clipped to the image): the same
 * reading as the whole sample, offset. The viewer analyses what is in view.
 */
export function regionAccess(image: OmeZarrImage, layout: SampleLayout, access: InputAccess, region: { x: number; y: number; width: number; height: number }): InputAccess {
  const names = image.axisNames;
  const origin = layout.imageAxisOf.map((i) => (i >= 0 && names[i] === 'x' ? region.x : i >= 0 && names[i] === 'y' ? region.y : 0));
  const shape = layout.imageAxisOf.map((i, k) => (i >= 0 && names[i] === 'x' ? region.width : i >= 0 && names[i] === 'y' ? region.height : layout.sampleShape[k]));
  shape.forEach((s, k) => {
    if (s <= 0 || origin[k] + s > layout.sampleShape[k]) throw new FairioError('INVALID_ARGUMENT', `the region ${region.width}×${region.height} at (${region.x}, ${region.y}) is not inside the image`);
  });
  return {
    shape,
    read: (start, stop) => access.read(start.map((s, k) => s + origin[k]), stop.map((s, k) => s + origin[k])),
  };
}
