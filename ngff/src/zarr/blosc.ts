/**
 * Blosc1 frames with the zstd codec, written here around native libzstd (see
 * `native-zstd.ts`) and readable by every c-blosc 1.x / 2.x reader
 * (zarr-python through numcodecs, zarrita through numcodecs.js).
 *
 * Frame layout (all integers little-endian):
 *
 * ```
 *  0  u8   format version            2
 *  1  u8   codec format version      1 (zstd)
 *  2  u8   flags                     0x01 byte shuffle, 0x02 stored (memcpyed),
 *                                    0x10 blocks not split per byte, codec << 5 (zstd = 4)
 *  3  u8   typesize                  bytes per item (the pixel size)
 *  4  u32  nbytes                    uncompressed size
 *  8  u32  blocksize                 uncompressed bytes per block (the last may be shorter)
 * 12  u32  cbytes                    size of the whole frame
 * 16  i32 × nblocks                  offset of each block from the frame start
 *     per block: i32 length, then that many bytes of one zstd frame
 *                (length == the block's size: the block is stored as is)
 * ```
 *
 * A stored frame (flag 0x02) is the header followed by the raw bytes; c-blosc
 * writes one for clevel 0, for buffers under 128 bytes, and when compression
 * does not make the data smaller.
 *
 * Shuffle groups the k-th byte of every item of a block together (typesize
 * streams of block/typesize bytes, trailing bytes of an incomplete item kept
 * as they are), as c-blosc does per block before compressing it.
 */
import { byteShuffle } from '../kernels/index.js';
import type { NativeZstd } from './native-zstd.js';

const HEADER = 16;
const VERSION = 2;
const ZSTD_VERSION = 1;
const ZSTD_FORMAT = 4;
const DO_SHUFFLE = 0x1;
const MEMCPYED = 0x2;
const NO_SPLIT = 0x10;
/** c-blosc stores buffers smaller than this without compressing them. */
const MIN_BUFFERSIZE = 128;
/** c-blosc 1.x's limit on the uncompressed size. */
const MAX_BUFFERSIZE = 2 ** 31 - 1 - HEADER;
const ZSTD_MAX_LEVEL = 22;

/**
 * Default uncompressed block size: 1 MiB (c-blosc itself picks 256 KiB for
 * clevel 5 and 1 MiB for clevel 9). Each block is one call into the native
 * binding, which sets up a fresh zstd context (about 0.9 ms of CPU at level
 * 9, whatever the input size); on the benchmark's uint16 data 1 MiB blocks
 * compressed about 15 % more bytes per CPU second than 512 KiB blocks, to
 * the same size (ratio 1.996 for 512 KiB, 1 MiB and 2 MiB). A 2 MiB chunk
 * still has two blocks for parallel compression and decompression.
 */
export const DEFAULT_BLOSC_BLOCKSIZE = 1 << 20;

export interface BloscZstdOptions {
  /** Blosc clevel 0–9; zstd level is `2·clevel − 1` below 9 and zstd's maximum (22) at 9, as in c-blosc. */
  clevel: number;
  /** Byte shuffle (ignored for typesize 1, where it changes nothing). */
  shuffle: boolean;
  /** Bytes per item, 1–255. */
  typesize: number;
  /** Uncompressed bytes per block (rounded down to a multiple of typesize); default `DEFAULT_BLOSC_BLOCKSIZE`. */
  blocksize?: number;
}

/** c-blosc's mapping of clevel to the zstd level. */
export function zstdLevelOf(clevel: number): number {
  return clevel < 9 ? 2 * clevel - 1 : ZSTD_MAX_LEVEL;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Byte-shuffle `src` (one block) into `dst` (same length): byte k of item i
 * goes to `dst[k·n + i]`, n = ⌊length / typesize⌋; trailing bytes are copied.
 */
export function shuffleBlock(src: Uint8Array, dst: Uint8Array, typesize: number): void {
  transposeBlock(src, dst, typesize, false);
}

/** Inverse of `shuffleBlock`: byte k of item i comes from `src[k·n + i]`. */
export function unshuffleBlock(src: Uint8Array, dst: Uint8Array, typesize: number): void {
  transposeBlock(src, dst, typesize, true);
}

/**
 * The shuffle (`inverse`: the unshuffle) of the n whole items, then the
 * trailing bytes of an incomplete item copied as they are, as c-blosc does:
 * WebAssembly SIMD for 2- and 4-byte items where it runs (the writer's and
 * the reader's hot loop), else 32-bit words where everything is aligned
 * (2–4× the byte loop), else byte by byte.
 */
function transposeBlock(src: Uint8Array, dst: Uint8Array, typesize: number, inverse: boolean): void {
  const n = Math.floor(src.length / typesize);
  const body = n * typesize;
  if (body < src.length) dst.set(src.subarray(body), body);
  if ((typesize === 2 || typesize === 4) && byteShuffle(src.subarray(0, body), dst.subarray(0, body), typesize, inverse)) return;
  const words = LITTLE_ENDIAN && n % 4 === 0 && src.byteOffset % 4 === 0 && dst.byteOffset % 4 === 0;
  if (words && (typesize === 2 || typesize === 4)) {
    const items = (a: Uint8Array) => new Uint32Array(a.buffer, a.byteOffset, body / 4);
    const kernel = typesize === 2 ? (inverse ? unshuffle2 : shuffle2) : inverse ? unshuffle4 : shuffle4;
    kernel(items(src), items(dst), n / 4);
    return;
  }
  for (let k = 0; k < typesize; k++) {
    const base = k * n;
    if (inverse) for (let i = 0, j = k; i < n; i++, j += typesize) dst[j] = src[base + i];
    else for (let i = 0, j = k; i < n; i++, j += typesize) dst[base + i] = src[j];
  }
}

/** 2-byte items: words of items (a0 a1)(b0 b1)… → low-byte words, then high-byte words; q = items / 4. */
function shuffle2(src: Uint32Array, dst: Uint32Array, q: number): void {
  for (let i = 0, j = 0; i < q; i++, j += 2) {
    const a = src[j];
    const b = src[j + 1];
    dst[i] = (a & 0xff) | ((a >>> 8) & 0xff00) | ((b & 0xff) << 16) | ((b << 8) & 0xff000000);
    dst[q + i] = ((a >>> 8) & 0xff) | ((a >>> 16) & 0xff00) | ((b << 8) & 0xff0000) | (b & 0xff000000);
  }
}

/** 4-byte items: a 4×4 byte transpose per 4 items; q = items / 4. */
function shuffle4(src: Uint32Array, dst: Uint32Array, q: number): void {
  for (let i = 0, j = 0; i < q; i++, j += 4) {
    const a = src[j];
    const b = src[j + 1];
    const c = src[j + 2];
    const d = src[j + 3];
    dst[i] = (a & 0xff) | ((b & 0xff) << 8) | ((c & 0xff) << 16) | ((d & 0xff) << 24);
    dst[q + i] = ((a >>> 8) & 0xff) | (b & 0xff00) | ((c & 0xff00) << 8) | ((d & 0xff00) << 16);
    dst[2 * q + i] = ((a >>> 16) & 0xff) | ((b >>> 8) & 0xff00) | (c & 0xff0000) | ((d & 0xff0000) << 8);
    dst[3 * q + i] = (a >>> 24) | ((b >>> 16) & 0xff00) | ((c >>> 8) & 0xff0000) | (d & 0xff000000);
  }
}

/** 2-byte items: a low-byte word and a high-byte word of 4 items → the 4 items as 2 words; q = items / 4. */
function unshuffle2(src: Uint32Array, dst: Uint32Array, q: number): void {
  for (let i = 0, j = 0; i < q; i++, j += 2) {
    const lo = src[i];
    const hi = src[q + i];
    dst[j] = (lo & 0xff) | ((hi & 0xff) << 8) | ((lo & 0xff00) << 8) | ((hi & 0xff00) << 16);
    dst[j + 1] = ((lo >>> 16) & 0xff) | ((hi >>> 8) & 0xff00) | ((lo >>> 8) & 0xff0000) | (hi & 0xff000000);
  }
}

/** 4-byte items: the 4×4 byte transpose of `shuffle4`, from 4 byte streams back to 4 items; q = items / 4. */
function unshuffle4(src: Uint32Array, dst: Uint32Array, q: number): void {
  for (let i = 0, j = 0; i < q; i++, j += 4) {
    const a = src[i];
    const b = src[q + i];
    const c = src[2 * q + i];
    const d = src[3 * q + i];
    dst[j] = (a & 0xff) | ((b & 0xff) << 8) | ((c & 0xff) << 16) | ((d & 0xff) << 24);
    dst[j + 1] = ((a >>> 8) & 0xff) | (b & 0xff00) | ((c & 0xff00) << 8) | ((d & 0xff00) << 16);
    dst[j + 2] = ((a >>> 16) & 0xff) | ((b >>> 8) & 0xff00) | (c & 0xff0000) | ((d & 0xff0000) << 8);
    dst[j + 3] = (a >>> 24) | ((b >>> 16) & 0xff00) | ((c >>> 8) & 0xff0000) | (d & 0xff000000);
  }
}

function writeHeader(view: DataView, flags: number, typesize: number, nbytes: number, blocksize: number, cbytes: number): void {
  view.setUint8(0, VERSION);
  view.setUint8(1, ZSTD_VERSION);
  view.setUint8(2, flags);
  view.setUint8(3, typesize);
  view.setUint32(4, nbytes, true);
  view.setUint32(8, blocksize, true);
  view.setUint32(12, cbytes, true);
}

/** The header followed by `bytes` unchanged (flag 0x02), as c-blosc writes incompressible data. */
function storedFrame(bytes: Uint8Array, flags: number, typesize: number, blocksize: number): Uint8Array {
  const out = new Uint8Array(HEADER + bytes.length);
  writeHeader(new DataView(out.buffer), flags | MEMCPYED, typesize, bytes.length, blocksize, out.length);
  out.set(bytes, HEADER);
  return out;
}

/** One Blosc1 frame (zstd codec) of `bytes`, the blocks compressed in parallel by native zstd. */
export async function bloscZstdFrame(bytes: Uint8Array, options: BloscZstdOptions, zstd: NativeZstd): Promise<Uint8Array> {
  const { clevel, typesize } = options;
  if (!Number.isInteger(clevel) || clevel < 0 || clevel > 9) throw new RangeError(`blosc clevel must be 0–9, got ${clevel}`);
  if (!Number.isInteger(typesize) || typesize < 1 || typesize > 255) throw new RangeError(`blosc typesize must be 1–255, got ${typesize}`);
  const nbytes = bytes.length;
  if (nbytes > MAX_BUFFERSIZE) throw new RangeError(`blosc takes at most ${MAX_BUFFERSIZE} bytes, got ${nbytes}`);
  const shuffle = options.shuffle && typesize > 1;
  let blocksize = Math.min(options.blocksize ?? DEFAULT_BLOSC_BLOCKSIZE, nbytes);
  if (blocksize > typesize) blocksize -= blocksize % typesize;
  blocksize = Math.max(blocksize, 1);
  const flags = (ZSTD_FORMAT << 5) | NO_SPLIT | (shuffle ? DO_SHUFFLE : 0);
  if (clevel === 0 || nbytes < MIN_BUFFERSIZE) return storedFrame(bytes, flags, typesize, blocksize);

  const nblocks = Math.ceil(nbytes / blocksize);
  let source = bytes;
  if (shuffle) {
    source = takeShuffleBuffer(nbytes);
    for (let start = 0; start < nbytes; start += blocksize) {
      const stop = Math.min(start + blocksize, nbytes);
      shuffleBlock(bytes.subarray(start, stop), source.subarray(start, stop), typesize);
    }
  }
  const level = zstdLevelOf(clevel);
  const blocks: Uint8Array[] = await Promise.all(
    Array.from({ length: nblocks }, async (_, b) => {
      const block = source.subarray(b * blocksize, Math.min((b + 1) * blocksize, nbytes));
      const packed = await zstd.compress(block, level);
      // A block that does not shrink is stored as is, marked by a length equal to its size.
      return packed.length < block.length ? packed : block;
    }),
  );
  // Stored blocks are views on the shuffled buffer: give it back only after they are copied into the frame.
  const giveBack = () => {
    if (source !== bytes) returnShuffleBuffer(source);
  };
  const cbytes = HEADER + 4 * nblocks + blocks.reduce((sum, b) => sum + 4 + b.length, 0);
  if (cbytes >= nbytes + HEADER) {
    giveBack();
    return storedFrame(bytes, flags, typesize, blocksize);
  }

  const out = new Uint8Array(cbytes);
  const view = new DataView(out.buffer);
  writeHeader(view, flags, typesize, nbytes, blocksize, cbytes);
  let at = HEADER + 4 * nblocks;
  blocks.forEach((block, b) => {
    view.setInt32(HEADER + 4 * b, at, true);
    view.setInt32(at, block.length, true);
    out.set(block, at + 4);
    at += 4 + block.length;
  });
  giveBack();
  return out;
}

/**
 * Shuffled copies of chunks, kept for the next chunk of the same size (a few
 * at most: one per chunk being compressed), so that each chunk does not
 * allocate, and the garbage collector does not reclaim, a new one.
 */
const shuffleBuffers: Uint8Array[] = [];
const KEPT_SHUFFLE_BUFFERS = 8;

function takeShuffleBuffer(size: number): Uint8Array {
  const i = shuffleBuffers.findIndex((b) => b.length === size);
  return i < 0 ? new Uint8Array(size) : shuffleBuffers.splice(i, 1)[0];
}

function returnShuffleBuffer(buffer: Uint8Array): void {
  if (shuffleBuffers.length >= KEPT_SHUFFLE_BUFFERS) shuffleBuffers.shift();
  shuffleBuffers.push(buffer);
}

/**
 * Decode a Blosc1 frame with native zstd when it is one this module can read
 * whole — zstd codec, unsplit blocks, byte shuffle or none, or stored — and
 * return `undefined` otherwise (lz4, bitshuffle, split blocks: numcodecs'
 * WebAssembly blosc decodes those). Blocks decompress in parallel. Throws on
 * a frame whose lengths do not add up, so damage is never returned as data.
 */
export async function decodeBloscZstd(frame: Uint8Array, zstd: NativeZstd): Promise<Uint8Array | undefined> {
  if (frame.length < HEADER) return undefined;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const flags = view.getUint8(2);
  const typesize = view.getUint8(3);
  const nbytes = view.getUint32(4, true);
  const blocksize = view.getUint32(8, true);
  if (view.getUint32(12, true) !== frame.length) throw new Error(`blosc frame is ${frame.length} bytes but its header says ${view.getUint32(12, true)}`);
  if (flags & MEMCPYED) {
    if (frame.length !== HEADER + nbytes) throw new Error('stored blosc frame has the wrong length');
    return frame.slice(HEADER);
  }
  const unsupported = flags >> 5 !== ZSTD_FORMAT || !(flags & NO_SPLIT) || flags & 0x4 || flags & 0x8 || blocksize === 0;
  if (unsupported) return undefined;
  const nblocks = Math.ceil(nbytes / blocksize);
  if (frame.length < HEADER + 4 * nblocks) throw new Error('blosc frame is shorter than its block table');
  const out = new Uint8Array(nbytes);
  const shuffled = (flags & DO_SHUFFLE) !== 0 && typesize > 1;
  await Promise.all(
    Array.from({ length: nblocks }, async (_, b) => {
      const size = Math.min(blocksize, nbytes - b * blocksize);
      const start = view.getInt32(HEADER + 4 * b, true);
      if (start < HEADER || start + 4 > frame.length) throw new Error(`blosc block ${b} starts outside the frame`);
      const csize = view.getInt32(start, true);
      if (csize < 0 || start + 4 + csize > frame.length) throw new Error(`blosc block ${b} runs past the end of the frame`);
      const packed = frame.subarray(start + 4, start + 4 + csize);
      const block = csize === size ? packed : await zstd.decompress(packed);
      if (block.length !== size) throw new Error(`blosc block ${b} decodes to ${block.length} bytes instead of ${size}`);
      const target = out.subarray(b * blocksize, b * blocksize + size);
      if (shuffled) unshuffleBlock(block, target, typesize);
      else target.set(block);
    }),
  );
  return out;
}
