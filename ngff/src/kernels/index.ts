/**
 * Pixel kernels that the writer and the reader run on every pixel: Blosc's
 * byte shuffle of 2- and 4-byte items and its inverse, the minimum and
 * maximum of uint16 and float32 pixels (the omero display window), and the
 * 2×2 mean of uint16 (rounded) and float32 pixels (the pyramid); and the
 * logistic sigmoid of float32 (bioimage.io post-processing). They run in
 * WebAssembly SIMD (`kernels.wat`, 4–16 pixels per instruction) where the
 * engine has it, on a scratch memory of this thread: the input is copied in
 * and the result out, which costs far less than the scalar JavaScript loops
 * they replace. Every result is bit for bit the JavaScript loop's (float32
 * included: same comparisons, same float64 sums in the same order).
 * Each function returns false (and does nothing) when it cannot run here or
 * the input does not fit its layout; callers then use their JavaScript loop.
 */
import { KERNELS_WASM_BASE64 } from './kernels-wasm.js';

interface KernelExports {
  shuffle2(src: number, dst: number, items: number): void;
  unshuffle2(src: number, dst: number, items: number): void;
  shuffle4(src: number, dst: number, items: number): void;
  unshuffle4(src: number, dst: number, items: number): void;
  minmax_u16(src: number, items: number, out: number): void;
  minmax_f32(src: number, items: number, out: number): void;
  mean2x2_u16(row0: number, row1: number, dst: number, outputs: number): void;
  mean2x2_f32(row0: number, row1: number, dst: number, outputs: number): void;
  sigmoid_f32(src: number, dst: number, items: number): void;
}

/** The few WebAssembly JS API members used here (the project's TypeScript libs do not declare them). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
};

interface Kernels {
  exports: KernelExports;
  memory: WasmMemory;
}

const PAGE = 65536;
/** Items per SIMD step of every kernel. */
const STEP = 16;
/** The scratch memory never grows beyond this (WebAssembly memory cannot shrink); larger inputs take the JavaScript loops. */
const MAX_SCRATCH = 16 * 2 ** 20;
/** minmax runs over pieces of this many items, so that the scratch stays in the CPU cache. */
const MINMAX_PIECE = 32768;

let loaded: Kernels | null | undefined;

function kernels(): Kernels | null {
  if (loaded !== undefined) return loaded;
  if (typeof process !== 'undefined' && process.env.FAIRIO_SIMD === '0') return (loaded = null);
  try {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const module = new WebAssembly.Module(Uint8Array.from(atob(KERNELS_WASM_BASE64), (c) => c.charCodeAt(0)));
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    loaded = { exports: instance.exports as unknown as KernelExports, memory };
  } catch {
    loaded = null; // no WebAssembly SIMD in this engine: the JavaScript loops
  }
  return loaded;
}

/** The scratch memory, at least `bytes` long (views on it are invalid after the next call). */
function scratch(k: Kernels, bytes: number): Uint8Array {
  const have = k.memory.buffer.byteLength;
  if (bytes > have) k.memory.grow(Math.ceil((bytes - have) / PAGE));
  return new Uint8Array(k.memory.buffer);
}

const align = (n: number) => Math.ceil(n / 32) * 32;

/** Whether the kernels run here (WebAssembly SIMD available and not turned off by FAIRIO_SIMD=0). */
export function simdAvailable(): boolean {
  return kernels() !== null;
}

/** Items per piece of `byteShuffle` (a multiple of STEP): input and output of a piece stay in the L1/L2 cache. */
const SHUFFLE_PIECE = 4000;

/**
 * Blosc's byte shuffle (`inverse`: its inverse) of the whole items in `src`
 * into `dst` of the same length, through the scratch memory, a piece of items
 * at a time (for the shuffle, the piece's items in and its `typesize` stream
 * segments out; the other way round for the inverse): 2-byte items a
 * multiple of 16 of them, 4-byte items any number. Returns false (nothing
 * done) for other sizes, a length that is not whole items, or no SIMD here.
 */
export function byteShuffle(src: Uint8Array, dst: Uint8Array, typesize: number, inverse: boolean): boolean {
  const k = kernels();
  if (!k || dst.length !== src.length || src.length % typesize !== 0) return false;
  const items = src.length / typesize;
  if (!(typesize === 4 || (typesize === 2 && items % STEP === 0))) return false;
  const kernel = k.exports[`${inverse ? 'un' : ''}shuffle${typesize as 2 | 4}`];
  const at = align(typesize * SHUFFLE_PIECE);
  const mem = scratch(k, 2 * at);
  for (let i0 = 0; i0 < items; i0 += SHUFFLE_PIECE) {
    const count = Math.min(SHUFFLE_PIECE, items - i0);
    const bytes = typesize * count;
    if (inverse) for (let s = 0; s < typesize; s++) mem.set(src.subarray(s * items + i0, s * items + i0 + count), s * count);
    else mem.set(src.subarray(typesize * i0, typesize * i0 + bytes), 0);
    kernel(0, at, count);
    if (inverse) dst.set(mem.subarray(at, at + bytes), typesize * i0);
    else for (let s = 0; s < typesize; s++) dst.set(mem.subarray(at + s * count, at + (s + 1) * count), s * items + i0);
  }
  return true;
}

/** [min, max] of `data[from, to)`, or undefined when the kernels do not run here (or the range is empty). */
export function minMaxUint16(data: Uint16Array, from: number, to: number): [number, number] | undefined {
  return minMax(data, from, to, 'minmax_u16');
}

/**
 * [min, max] of `data[from, to)` exactly as the JavaScript loop `lo = ∞, hi =
 * −∞; if (v < lo) lo = v; if (v > hi) hi = v` finds them: NaN never counts
 * (all NaN: [∞, −∞]), and of −0 and +0 the first in the range wins. Undefined
 * when the kernels do not run here (or the range is empty).
 */
export function minMaxFloat32(data: Float32Array, from: number, to: number): [number, number] | undefined {
  const found = minMax(data, from, to, 'minmax_f32');
  if (!found) return undefined;
  // The lanes keep their own first zero; the loop keeps the range's first, which indexOf finds (−0 === 0).
  if (found[0] === 0 || found[1] === 0) {
    const zero = data[data.indexOf(0, from)];
    if (found[0] === 0) found[0] = zero;
    if (found[1] === 0) found[1] = zero;
  }
  return found;
}

/** The minmax kernel `name` over pieces of `data[from, to)`, its lanes and the tail folded in with the loop's comparisons. */
function minMax(data: Uint16Array | Float32Array, from: number, to: number, name: 'minmax_u16' | 'minmax_f32'): [number, number] | undefined {
  const k = kernels();
  if (!k || to <= from) return undefined;
  const size = data.BYTES_PER_ELEMENT;
  const body = (to - from) - ((to - from) % STEP);
  const out = size * MINMAX_PIECE;
  const mem = scratch(k, out + 64);
  const lanes = 8; // minima, then maxima, from both kernels
  let lo = Infinity;
  let hi = -Infinity;
  for (let at = from; at < from + body; at += MINMAX_PIECE) {
    const items = Math.min(MINMAX_PIECE, from + body - at);
    mem.set(new Uint8Array(data.buffer, data.byteOffset + size * at, size * items), 0);
    k.exports[name](0, items, out);
    const found = size === 2 ? new Uint16Array(mem.buffer, out, 2 * lanes) : new Float32Array(mem.buffer, out, 2 * lanes);
    for (let i = 0; i < lanes; i++) {
      if (found[i] < lo) lo = found[i];
      if (found[lanes + i] > hi) hi = found[lanes + i];
    }
  }
  for (let i = from + body; i < to; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Input bytes per stripe of row pairs in `mean2x2`, so that the scratch stays in the CPU cache. */
const MEAN_STRIPE_BYTES = 256 * 1024;

/**
 * The rounded 2×2 mean `(a + b + c + d + 2) >> 2` of the full row pairs of
 * each plane of `src` (planes × h × w, C order) into `dst` (planes × ⌈h/2⌉ ×
 * ⌈w/2⌉), for the first ⌊⌊w/2⌋/8⌋·8 outputs of each row; returns how many
 * outputs per row it wrote (0: nothing done, e.g. no SIMD here). The caller
 * computes the remaining columns and an odd last row.
 */
export function mean2x2Uint16(src: Uint16Array, dst: Uint16Array, planes: number, h: number, w: number): number {
  return mean2x2(src, dst, planes, h, w, 'mean2x2_u16', 8);
}

/**
 * As `mean2x2Uint16` for float32: `fround((a + b + c + d) / 4)` with the sums
 * in float64, left to right (what `(a + b + c + d) / 4` stored in a
 * Float32Array gives), for the first ⌊⌊w/2⌋/4⌋·4 outputs of each row.
 */
export function mean2x2Float32(src: Float32Array, dst: Float32Array, planes: number, h: number, w: number): number {
  return mean2x2(src, dst, planes, h, w, 'mean2x2_f32', 4);
}

/** The mean kernel `name` over stripes of row pairs; `step`: outputs per SIMD step. */
function mean2x2<T extends Uint16Array | Float32Array>(src: T, dst: T, planes: number, h: number, w: number, name: 'mean2x2_u16' | 'mean2x2_f32', step: number): number {
  const k = kernels();
  const body = (w >> 1) - ((w >> 1) % step);
  const pairs = h >> 1;
  if (!k || body === 0 || pairs === 0) return 0;
  const size = src.BYTES_PER_ELEMENT;
  const rowBytes = size * w;
  const stripe = Math.max(1, Math.floor(MEAN_STRIPE_BYTES / (2 * rowBytes)));
  if (2 * stripe * rowBytes + stripe * size * body + 64 > MAX_SCRATCH) return 0;
  const ow = Math.ceil(w / 2);
  const oh = Math.ceil(h / 2);
  const outAt = align(2 * stripe * rowBytes);
  const mem = scratch(k, outAt + size * stripe * body + 32);
  const srcBytes = new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
  const view = src.constructor as new (buffer: ArrayBufferLike, offset: number, length: number) => T;
  for (let p = 0; p < planes; p++) {
    for (let y0 = 0; y0 < pairs; y0 += stripe) {
      const count = Math.min(stripe, pairs - y0);
      const from = (p * h + 2 * y0) * rowBytes;
      mem.set(srcBytes.subarray(from, from + 2 * count * rowBytes), 0);
      for (let r = 0; r < count; r++) k.exports[name](2 * r * rowBytes, (2 * r + 1) * rowBytes, outAt + size * r * body, body);
      const out = new view(mem.buffer, outAt, count * body);
      for (let r = 0; r < count; r++) dst.set(out.subarray(r * body, (r + 1) * body), (p * oh + y0 + r) * ow);
    }
  }
  return body;
}

/** Items per piece of `sigmoidFloat32`: input and output stay in the L1 cache. */
const SIGMOID_PIECE = 2048;

/**
 * The logistic sigmoid 1 / (1 + e^−x) of `src` into `dst` (same length; may
 * be the same array), the value JavaScript's `1 / (1 + Math.exp(-x))`
 * stores into a Float32Array, bit for bit (NaN stays NaN): bioimage.io's
 * `sigmoid` post-processing, about twice as fast as that loop. Returns false
 * (nothing done) when the kernels do not run here.
 */
export function sigmoidFloat32(src: Float32Array, dst: Float32Array): boolean {
  const k = kernels();
  if (!k || dst.length !== src.length) return false;
  const bytes = 4 * SIGMOID_PIECE;
  const mem = scratch(k, 2 * bytes);
  const body = src.length - (src.length % 4);
  const input = new Float32Array(mem.buffer, 0, SIGMOID_PIECE);
  const output = new Float32Array(mem.buffer, bytes, SIGMOID_PIECE);
  for (let at = 0; at < body; at += SIGMOID_PIECE) {
    const count = Math.min(SIGMOID_PIECE, body - at);
    input.set(src.subarray(at, at + count));
    k.exports.sigmoid_f32(0, bytes, count);
    dst.set(output.subarray(0, count), at);
  }
  for (let i = body; i < src.length; i++) dst[i] = 1 / (1 + Math.exp(-src[i]));
  return true;
}
