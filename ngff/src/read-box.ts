/**
 * Reading a box of pixels chunk by chunk. zarrita decodes each chunk; this
 * module checks it (a chunk that decodes to the wrong size is corrupt, not
 * data) and copies the overlap into the output, so that any failure names the
 * exact chunk. Blosc gets a header check too: numcodecs' wasm blosc returns
 * garbage rather than an error for a truncated chunk; and blosc-zstd frames
 * are decoded with native zstd where available (much faster than wasm).
 */
import * as zarr from 'zarrita';
import { CorruptChunkError, FairioError } from './errors.js';
import { decodeBloscZstd } from './zarr/blosc.js';
import { strides } from './zarr/region.js';
import { nativeZstd } from './zarr/native-zstd.js';

type AnyArray = zarr.Array<zarr.DataType, zarr.Readable>;

export type PixelData = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

const CONSTRUCTORS: Record<string, new (buffer: ArrayBuffer) => PixelData> = {
  bool: Uint8Array, uint8: Uint8Array, int8: Int8Array, uint16: Uint16Array, int16: Int16Array,
  uint32: Uint32Array, int32: Int32Array, float32: Float32Array, float64: Float64Array,
  int64: BigInt64Array, uint64: BigUint64Array,
};

/** The typed-array type fairio uses for a Zarr data type (bool → Uint8Array of 0/1). */
export function pixelArrayFor(dtype: string, buffer: ArrayBuffer): PixelData {
  const Ctor = CONSTRUCTORS[dtype];
  if (!Ctor) throw new FairioError('UNSUPPORTED', `data type ${dtype} is not supported for pixel data`);
  return new Ctor(buffer);
}

let bloscChecked = false;

/** Blosc frames state their compressed size at bytes 12..15; a frame of another length is damaged. */
function installBloscCheck(): void {
  if (bloscChecked) return;
  bloscChecked = true;
  for (const name of ['blosc', 'numcodecs.blosc']) {
    const load = zarr.registry.get(name);
    if (!load) continue;
    // numcodecs' wasm blosc (its module and its instance) is loaded only for a frame that native zstd cannot decode
    // (lz4, bitshuffle, split blocks, no native zstd here): reading blosc-zstd then never pays for it.
    let wasm: Promise<{ fromConfig(c: unknown, m: unknown): { decode(b: Uint8Array): unknown; encode(b: Uint8Array): unknown } }> | undefined;
    zarr.registry.set(name, async () => {
      return {
        kind: 'bytes_to_bytes',
        fromConfig(config: unknown, meta: unknown) {
          let inner: Promise<{ decode(b: Uint8Array): unknown; encode(b: Uint8Array): unknown }> | undefined;
          const codec = () => (inner ??= (wasm ??= load() as never).then((Blosc) => Blosc.fromConfig(config, meta)));
          return {
            kind: 'bytes_to_bytes',
            encode: async (bytes: Uint8Array) => (await codec()).encode(bytes),
            async decode(bytes: Uint8Array) {
              const stated = bytes.length >= 16 ? new DataView(bytes.buffer, bytes.byteOffset, 16).getUint32(12, true) : -1;
              if (stated !== bytes.length) throw new Error(`blosc frame is ${bytes.length} bytes but its header says ${stated}`);
              // zstd frames decode natively (off this thread, blocks in parallel) where the platform allows.
              const zstd = await nativeZstd();
              return (zstd && (await decodeBloscZstd(bytes, zstd))) ?? (await codec()).decode(bytes);
            },
          };
        },
      } as never;
    });
  }
}

/**
 * The store key of a chunk ("0/0/0/0", "c/1/0/0"), so that errors name the file.
 * zarrita keeps its key encoder on a private context; fall back to grid coordinates.
 */
function chunkKey(array: AnyArray, coord: number[]): string {
  for (const symbol of Object.getOwnPropertySymbols(array)) {
    const context = (array as unknown as Record<symbol, { encodeChunkKey?: (c: number[]) => string }>)[symbol];
    if (typeof context?.encodeChunkKey === 'function') return context.encodeChunkKey(coord);
  }
  return `at grid position (${coord.join(', ')})`;
}


function bytesOf(data: unknown): Uint8Array {
  const v = data as { buffer: ArrayBufferLike; byteOffset: number; byteLength: number };
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/**
 * One chunk of `array`, decoded and checked: a chunk that cannot be decoded or
 * decodes to the wrong number of values is a `CorruptChunkError` naming its key.
 * A missing chunk is the fill value (zarrita's rule). `where` names the array.
 */
export async function decodeChunk(array: AnyArray, coord: number[], where: string): Promise<zarr.Chunk<zarr.DataType>> {
  installBloscCheck();
  let chunk: zarr.Chunk<zarr.DataType>;
  try {
    chunk = await array.getChunk(coord);
  } catch (error) {
    if (error instanceof FairioError) throw error;
    const cause = error instanceof zarr.CodecPipelineError && error.cause instanceof Error ? error.cause.message : (error as Error).message;
    throw new CorruptChunkError(`chunk ${chunkKey(array, coord)} cannot be decoded (${cause}); the file is truncated or corrupt`, { path: where, cause: error });
  }
  const expected = array.chunks.reduce((a, b) => a * b, 1);
  if ((chunk.data as { length: number }).length !== expected) {
    throw new CorruptChunkError(`chunk ${chunkKey(array, coord)} holds ${(chunk.data as { length: number }).length} values instead of ${expected}; the file is truncated or corrupt`, { path: where });
  }
  return chunk;
}

/**
 * Read pixels [start, stop) of `array` into a new C-order typed array.
 * `where` names the array in errors. At most `concurrency` chunks are in flight.
 */
export async function readBox(array: AnyArray, start: number[], stop: number[], where: string, concurrency = 16): Promise<PixelData> {
  installBloscCheck();
  const n = array.shape.length;
  const chunks = array.chunks;
  const outShape = stop.map((s, i) => s - start[i]);
  const itemSize = (CONSTRUCTORS[array.dtype] as unknown as { BYTES_PER_ELEMENT: number } | undefined)?.BYTES_PER_ELEMENT;
  if (!itemSize) throw new FairioError('UNSUPPORTED', `data type ${array.dtype} is not supported for pixel data`, { path: where });
  const outStrides = strides(outShape);

  // Grid coordinates of every chunk the box touches, in C order.
  const first = start.map((s, i) => Math.floor(s / chunks[i]));
  const last = stop.map((s, i) => Math.ceil(s / chunks[i]) - 1);
  const coords: number[][] = [];
  if (outShape.every((s) => s > 0)) {
    const c = [...first];
    for (;;) {
      coords.push([...c]);
      let d = n - 1;
      for (; d >= 0; d--) {
        if (++c[d] <= last[d]) break;
        c[d] = first[d];
      }
      if (d < 0) break;
    }
  }

  // A box that is exactly one whole chunk in C order is the decoded chunk itself: no copy.
  let prefetched: zarr.Chunk<zarr.DataType> | undefined;
  if (coords.length === 1 && outShape.every((s, i) => s === chunks[i])) {
    prefetched = await decodeChunk(array, coords[0], where);
    const data = prefetched.data as { buffer: ArrayBufferLike; byteOffset: number; byteLength: number };
    const cOrder = prefetched.stride.every((s, i) => s === outStrides[i]);
    if (cOrder && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer) return pixelArrayFor(array.dtype, data.buffer);
  }
  const outBuffer = new ArrayBuffer(outShape.reduce((a, b) => a * b, itemSize));
  const out = new Uint8Array(outBuffer);

  const copyChunk = async (coord: number[]) => {
    const chunk = prefetched ?? (await decodeChunk(array, coord, where));
    const src = bytesOf(chunk.data);
    // Overlap of this chunk with the box, in array coordinates.
    const lo = coord.map((c, i) => Math.max(start[i], c * chunks[i]));
    const hi = coord.map((c, i) => Math.min(stop[i], (c + 1) * chunks[i]));
    const srcStrides = chunk.stride;
    const contiguousRows = srcStrides[n - 1] === 1;
    const rowLength = hi[n - 1] - lo[n - 1];
    const pos = [...lo];
    for (;;) {
      let srcOffset = 0;
      let dstOffset = 0;
      for (let d = 0; d < n; d++) {
        srcOffset += (pos[d] - coord[d] * chunks[d]) * srcStrides[d];
        dstOffset += (pos[d] - start[d]) * outStrides[d];
      }
      if (contiguousRows) {
        out.set(src.subarray(srcOffset * itemSize, (srcOffset + rowLength) * itemSize), dstOffset * itemSize);
      } else {
        for (let x = 0; x < rowLength; x++) {
          const s = (srcOffset + x * srcStrides[n - 1]) * itemSize;
          out.set(src.subarray(s, s + itemSize), (dstOffset + x) * itemSize);
        }
      }
      // Next row: advance all axes but the last.
      let d = n - 2;
      for (; d >= 0; d--) {
        if (++pos[d] < hi[d]) break;
        pos[d] = lo[d];
      }
      if (d < 0) break;
    }
  };

  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, coords.length) }, async () => {
    while (next < coords.length) await copyChunk(coords[next++]);
  });
  await Promise.all(workers);
  return pixelArrayFor(array.dtype, outBuffer);
}
