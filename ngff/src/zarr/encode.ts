/**
 * Turning a block of pixels into the bytes of one chunk file or one shard
 * file. Pure functions of (spec, pixels): they run the same on the main thread
 * and in a worker.
 *
 * A block arrives in C order with its actual shape (clipped at the array's
 * edge); Zarr stores every chunk at the full chunk shape, so edge blocks are
 * padded with the fill value. Chunks holding nothing but the fill value are
 * not stored (zarr-python's `write_empty_chunks=False`): `undefined` for a
 * whole block, index entries of 2^64-1 for inner chunks of a shard.
 */
import { FairioError } from '../errors.js';
import { compress } from './compress.js';
import { crc32c } from './crc32c.js';
import { resolveCompressor, type ResolvedCompressor } from './metadata.js';
import { copyBox } from './region.js';
import { DATA_TYPES, type ArraySpec, type TypedArray } from './types.js';

export interface EncodeOptions {
  /** Leave out chunks that hold only the fill value (default true). */
  skipEmpty?: boolean;
}

const EMPTY_ENTRY = 0xffffffffffffffffn;

/** Zarr's bytes are little-endian; typed arrays use the machine's order. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const product = (xs: number[]): number => xs.reduce((a, b) => a * b, 1);

function bytesOf(data: TypedArray): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A chunk-shaped buffer holding the fill value everywhere. */
function filledChunk(spec: ArraySpec): Uint8Array {
  const info = DATA_TYPES[spec.dtype];
  const typed = new info.array(product(spec.chunks));
  const fill = spec.fillValue ?? 0;
  if (fill !== 0) typed.fill(fill);
  return bytesOf(typed);
}

/** Whether every pixel of the chunk equals the fill value (any NaN matches a NaN fill). */
function isEmpty(spec: ArraySpec, bytes: Uint8Array): boolean {
  const fill = spec.fillValue ?? 0;
  if (fill === 0 && !(spec.dtype === 'float32' || spec.dtype === 'float64')) {
    // Integers: all-zero bytes. Checked 4 bytes at a time where aligned.
    const aligned = bytes.byteOffset % 4 === 0 ? bytes.length >> 2 : 0;
    if (aligned) {
      const words = new Uint32Array(bytes.buffer, bytes.byteOffset, aligned);
      for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
    }
    for (let i = aligned * 4; i < bytes.length; i++) if (bytes[i] !== 0) return false;
    return true;
  }
  const info = DATA_TYPES[spec.dtype];
  const values = new info.array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length / info.itemsize) as TypedArray;
  if (Number.isNaN(fill)) {
    for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) return false;
    return true;
  }
  // -0 and 0 both count as a 0 fill, as numpy's comparison does.
  for (let i = 0; i < values.length; i++) if (values[i] !== fill) return false;
  return true;
}

function checkBlock(spec: ArraySpec, data: TypedArray, shape: number[], blockShape: number[]): void {
  if (!LITTLE_ENDIAN) throw new FairioError('UNSUPPORTED', 'writing Zarr needs a little-endian machine');
  const info = DATA_TYPES[spec.dtype];
  if (!(data instanceof info.array)) {
    throw new FairioError('INVALID_ARGUMENT', `pixels of data type ${spec.dtype} must come as a ${info.array.name}, got ${data.constructor.name}`);
  }
  if (shape.length !== blockShape.length || shape.some((s, i) => !Number.isInteger(s) || s < 0 || s > blockShape[i])) {
    throw new FairioError('INVALID_ARGUMENT', `block shape ${JSON.stringify(shape)} does not fit in the block grid ${JSON.stringify(blockShape)}`);
  }
  if (data.length !== product(shape)) {
    throw new FairioError('INVALID_ARGUMENT', `a block of shape ${JSON.stringify(shape)} needs ${product(shape)} pixels, got ${data.length}`);
  }
}

/** Pad (or pass through) `bytes` of `shape` at `start` into a full chunk. */
function chunkBytes(spec: ArraySpec, bytes: Uint8Array, shape: number[], start: number[], size: number[]): Uint8Array {
  const itemsize = DATA_TYPES[spec.dtype].itemsize;
  const whole = size.every((s, i) => s === spec.chunks[i] && s === shape[i]);
  if (whole) return bytes; // the block is exactly one full chunk: no copy
  const out = filledChunk(spec);
  copyBox(bytes, shape, start, out, spec.chunks, new Array<number>(shape.length).fill(0), size, itemsize);
  return out;
}

async function encodeOne(spec: ArraySpec, compressor: ResolvedCompressor, chunk: Uint8Array, skipEmpty: boolean): Promise<Uint8Array | undefined> {
  if (skipEmpty && isEmpty(spec, chunk)) return undefined;
  return compress(chunk, compressor, DATA_TYPES[spec.dtype].itemsize);
}

/**
 * Encode one chunk of an unsharded array (or one inner chunk of a sharded
 * one): pad to the chunk shape, then the chunk codecs. `shape` is the block's
 * actual shape, at most the chunk shape. Returns `undefined` when the chunk
 * holds only the fill value and `skipEmpty` is on.
 */
export async function encodeChunk(spec: ArraySpec, data: TypedArray, shape: number[], options: EncodeOptions = {}): Promise<Uint8Array | undefined> {
  checkBlock(spec, data, shape, spec.chunks);
  const chunk = chunkBytes(spec, bytesOf(data), shape, shape.map(() => 0), shape);
  return encodeOne(spec, resolveCompressor(spec.compressor), chunk, options.skipEmpty ?? true);
}

/**
 * Encode one whole shard (`sharding_indexed`, index at the end, crc32c):
 * inner chunks in C order, each with the chunk codecs, then the index of
 * (offset, length) pairs as little-endian uint64. Inner chunks outside the
 * array or holding only the fill value are left out of the file.
 */
export async function encodeShard(spec: ArraySpec, data: TypedArray, shape: number[], options: EncodeOptions = {}): Promise<Uint8Array | undefined> {
  if (!spec.shards) throw new FairioError('INVALID_ARGUMENT', 'encodeShard needs an array spec with shards');
  checkBlock(spec, data, shape, spec.shards);
  const skipEmpty = options.skipEmpty ?? true;
  const compressor = resolveCompressor(spec.compressor);
  const bytes = bytesOf(data);
  const perShard = spec.shards.map((s, i) => s / spec.chunks[i]);
  const count = product(perShard);
  const index = new BigUint64Array(count * 2).fill(EMPTY_ENTRY);
  const parts: Uint8Array[] = [];
  let offset = 0;
  const inner = new Array<number>(perShard.length).fill(0);
  for (let k = 0; k < count; k++) {
    const start = inner.map((c, i) => c * spec.chunks[i]);
    const size = start.map((s, i) => Math.min(spec.chunks[i], shape[i] - s));
    if (size.every((s) => s > 0)) {
      const encoded = await encodeOne(spec, compressor, chunkBytes(spec, bytes, shape, start, size), skipEmpty);
      if (encoded) {
        index[2 * k] = BigInt(offset);
        index[2 * k + 1] = BigInt(encoded.length);
        parts.push(encoded);
        offset += encoded.length;
      }
    }
    for (let d = inner.length - 1; d >= 0; d--) {
      if (++inner[d] < perShard[d]) break;
      inner[d] = 0;
    }
  }
  if (parts.length === 0 && skipEmpty) return undefined;
  const indexBytes = new Uint8Array(index.buffer);
  const out = new Uint8Array(offset + indexBytes.length + 4);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  out.set(indexBytes, at);
  new DataView(out.buffer).setUint32(at + indexBytes.length, crc32c(indexBytes), true);
  return out;
}

/** Encode one write block: a whole shard when the spec is sharded, otherwise one chunk. */
export function encodeBlock(spec: ArraySpec, data: TypedArray, shape: number[], options: EncodeOptions = {}): Promise<Uint8Array | undefined> {
  return spec.shards ? encodeShard(spec, data, shape, options) : encodeChunk(spec, data, shape, options);
}
