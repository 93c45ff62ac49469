/**
 * Pixel kernels that the writer and the reader run on every pixel: Blosc's
 * byte shuffle of 2-byte items and its inverse, and the minimum and maximum
 * of uint16 pixels (the omero display window), and the rounded 2×2 mean of
 * uint16 pixels (the pyramid). They run in WebAssembly SIMD
 * (`kernels.wat`, 8–16 pixels per instruction) where the engine has it, on a
 * scratch memory of this thread: the input is copied in and the result out,
 * which costs far less than the scalar JavaScript loops they replace.
 * Each function returns false (and does nothing) when it cannot run here or
 * the input does not fit its layout; callers then use their JavaScript loop.
 */
import { KERNELS_WASM_BASE64 } from './kernels-wasm.js';

interface KernelExports {
  shuffle2(src: number, dst: number, items: number): void;
  unshuffle2(src: number, dst: number, items: number): void;
  minmax_u16(src: number, items: number, out: number): void;
  mean2x2_u16(row0: number, row1: number, dst: number, outputs: number): void;
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

/** Run the shuffle kernel `name` from `src` to `dst` through the scratch memory. */
function byteTranspose(name: 'shuffle2' | 'unshuffle2', src: Uint8Array, dst: Uint8Array): boolean {
  const k = kernels();
  const items = src.length / 2;
  if (!k || items % STEP !== 0 || dst.length !== src.length || 2 * align(src.length) > MAX_SCRATCH) return false;
  const at = align(src.length);
  const mem = scratch(k, 2 * at);
  mem.set(src, 0);
  k.exports[name](0, at, items);
  dst.set(mem.subarray(at, at + src.length));
  return true;
}

/** Byte shuffle of `src` (2-byte items, a multiple of 16 of them) into `dst` of the same length. */
export function shuffle2(src: Uint8Array, dst: Uint8Array): boolean {
  return byteTranspose('shuffle2', src, dst);
}

/** Inverse of `shuffle2`. */
export function unshuffle2(src: Uint8Array, dst: Uint8Array): boolean {
  return byteTranspose('unshuffle2', src, dst);
}

/** [min, max] of `data[from, to)`, or undefined when the kernels do not run here (or the range is empty). */
export function minMaxUint16(data: Uint16Array, from: number, to: number): [number, number] | undefined {
  const k = kernels();
  if (!k || to <= from) return undefined;
  const body = (to - from) - ((to - from) % STEP);
  const out = 2 * MINMAX_PIECE;
  const mem = scratch(k, out + 32);
  let lo = 0xffff;
  let hi = 0;
  for (let at = from; at < from + body; at += MINMAX_PIECE) {
    const items = Math.min(MINMAX_PIECE, from + body - at);
    mem.set(new Uint8Array(data.buffer, data.byteOffset + 2 * at, 2 * items), 0);
    k.exports.minmax_u16(0, items, out);
    const lanes = new Uint16Array(mem.buffer, out, 16);
    for (let i = 0; i < 8; i++) {
      if (lanes[i] < lo) lo = lanes[i];
      if (lanes[8 + i] > hi) hi = lanes[8 + i];
    }
  }
  for (let i = from + body; i < to; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Input bytes per stripe of row pairs in `mean2x2Uint16`, so that the scratch stays in the CPU cache. */
const MEAN_STRIPE_BYTES = 256 * 1024;

/**
 * The rounded 2×2 mean `(a + b + c + d + 2) >> 2` of the full row pairs of
 * each plane of `src` (planes × h × w, C order) into `dst` (planes × ⌈h/2⌉ ×
 * ⌈w/2⌉), for the first ⌊⌊w/2⌋/8⌋·8 outputs of each row; returns how many
 * outputs per row it wrote (0: nothing done, e.g. no SIMD here). The caller
 * computes the remaining columns and an odd last row.
 */
export function mean2x2Uint16(src: Uint16Array, dst: Uint16Array, planes: number, h: number, w: number): number {
  const k = kernels();
  const body = (w >> 1) - ((w >> 1) % 8);
  const pairs = h >> 1;
  if (!k || body === 0 || pairs === 0) return 0;
  const rowBytes = 2 * w;
  const stripe = Math.max(1, Math.floor(MEAN_STRIPE_BYTES / (2 * rowBytes)));
  if (2 * stripe * rowBytes + stripe * 2 * body + 64 > MAX_SCRATCH) return 0;
  const ow = Math.ceil(w / 2);
  const oh = Math.ceil(h / 2);
  const outAt = align(2 * stripe * rowBytes);
  const mem = scratch(k, outAt + 2 * stripe * body + 32);
  const srcBytes = new Uint8Array(src.buffer, src.byteOffset, src.byteLength);
  for (let p = 0; p < planes; p++) {
    for (let y0 = 0; y0 < pairs; y0 += stripe) {
      const count = Math.min(stripe, pairs - y0);
      const from = (p * h + 2 * y0) * rowBytes;
      mem.set(srcBytes.subarray(from, from + 2 * count * rowBytes), 0);
      for (let r = 0; r < count; r++) k.exports.mean2x2_u16(2 * r * rowBytes, (2 * r + 1) * rowBytes, outAt + 2 * r * body, body);
      const out = new Uint16Array(mem.buffer, outAt, count * body);
      for (let r = 0; r < count; r++) dst.set(out.subarray(r * body, (r + 1) * body), (p * oh + y0 + r) * ow);
    }
  }
  return body;
}
