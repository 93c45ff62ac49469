/**
 * The tensor that flows through pre-processing, the model and
 * post-processing: a C-order typed array with a shape, a data type and
 * (where it matters) axis ids such as 'batch', 'channel', 'y', 'x'.
 * Runtime-agnostic: no Node imports, so the browser uses the same code.
 */

export type TensorDtype = 'bool' | 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'uint64' | 'int64' | 'float32' | 'float64';

export type TypedArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

type ArrayCtor = { new (n: number): TypedArray; new (buffer: ArrayBufferLike, offset?: number, length?: number): TypedArray; BYTES_PER_ELEMENT: number };

export const DTYPES: Record<TensorDtype, { array: ArrayCtor; BYTES_PER_ELEMENT: number; integer: boolean; big?: boolean }> = {
  bool: { array: Uint8Array as unknown as ArrayCtor, BYTES_PER_ELEMENT: 1, integer: true },
  uint8: { array: Uint8Array as unknown as ArrayCtor, BYTES_PER_ELEMENT: 1, integer: true },
  int8: { array: Int8Array as unknown as ArrayCtor, BYTES_PER_ELEMENT: 1, integer: true },
  uint16: { array: Uint16Array as unknown as ArrayCtor, BYTES_PER_ELEMENT: 2, integer: true },
  int16: { array: Int16Array as unknown as ArrayCtor, BYTES_PER_ELEMENT: 2, integer: true },
  uint32: { array: Uint32Array as unknown as ArrayCtor, BYTES_PER_ELEMENT: 4, integer: true },
  int32: { array: Int32Array as unknown as ArrayCtor, BYTES_PER_ELEMENT: 4, integer: true },
  uint64: { array: BigUint64Array as unknown as ArrayCtor, BYTES_PER_ELEMENT: 8, integer: true, big: true },
  int64: { array: BigInt64Array as unknown as ArrayCtor, BYTES_PER_ELEMENT: 8, integer: true, big: true },
  float32: { array: Float32Array as unknown as ArrayCtor, BYTES_PER_ELEMENT: 4, integer: false },
  float64: { array: Float64Array as unknown as ArrayCtor, BYTES_PER_ELEMENT: 8, integer: false },
};

export interface NdArray {
  data: TypedArray;
  shape: number[];
  dtype: TensorDtype;
}

/** An array with named axes (bioimage.io axis ids). */
export interface Tensor extends NdArray {
  axes: string[];
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export function allocate(dtype: TensorDtype, n: number): TypedArray {
  return new DTYPES[dtype].array(n);
}

/** Where a step gets its buffers: `allocate` (fresh zeros) or a pool of reused ones (stale contents, every element is written). */
export type Allocator = (dtype: TensorDtype, n: number) => TypedArray;

/** Buffers from a pool of spare arrays (ngff's `SpareArrays`), fresh ones when it has none of the size. */
export function fromSpares(spare: { take(type: new (n: number) => never, n: number): unknown }): Allocator {
  return (dtype, n) => spare.take(DTYPES[dtype].array as never, n) as TypedArray;
}

/** Element i as a JS number (64-bit integers are converted, exactly up to 2^53). */
export function numberAt(data: TypedArray, i: number): number {
  return Number(data[i]);
}

/** A float view of any array: the array itself when it is float32/float64, else a float64 copy. */
export function asFloat(array: NdArray): Float32Array | Float64Array {
  if (array.data instanceof Float32Array || array.data instanceof Float64Array) return array.data;
  const out = new Float64Array(array.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Number(array.data[i]);
  return out;
}

/**
 * Cast as NumPy's `astype` does: floats to integers truncate toward zero
 * (and wrap modulo 2^bits, as C casts on x86 do for in-range values), bool is
 * value != 0.
 */
export function castData(data: TypedArray, to: TensorDtype): TypedArray {
  const spec = DTYPES[to];
  if (to !== 'bool' && data instanceof (spec.array as unknown as typeof Uint8Array)) return data.slice();
  const out = new spec.array(data.length);
  if (to === 'bool') {
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]) !== 0 ? 1 : 0;
  } else if (spec.big) {
    for (let i = 0; i < data.length; i++) {
      const v = Number(data[i]);
      out[i] = (Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n) as never;
    }
  } else if (spec.integer) {
    for (let i = 0; i < data.length; i++) {
      const v = Number(data[i]);
      out[i] = (Number.isFinite(v) ? Math.trunc(v) : 0) as never;
    }
  } else {
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]) as never;
  }
  return out;
}

export function cast<T extends NdArray>(array: T, to: TensorDtype): T {
  if (array.dtype === to) return array;
  return { ...array, data: castData(array.data, to), dtype: to };
}

/** Index of an axis id, or a FairioError-free -1. */
export function axisIndex(tensor: Tensor, id: string): number {
  return tensor.axes.indexOf(id);
}

/**
 * Contiguous runs of elements that share a group (see `groupsOf`): calls
 * `fn(group, start, end)` for each run, so per-channel loops stay tight.
 */
export function forEachRun(shape: readonly number[], keep: readonly boolean[], fn: (group: number, start: number, end: number) => void): void {
  const last = keep.lastIndexOf(true);
  const total = size(shape);
  if (last < 0) {
    fn(0, 0, total);
    return;
  }
  const inner = size(shape.slice(last + 1));
  const { groupOf } = groupsOf(shape, keep);
  for (let start = 0; start < total; start += inner) fn(groupOf(start), start, start + inner);
}

/**
 * For each element, the index of its "group": the position along the axes
 * that are *not* reduced (e.g. the channel when statistics are taken over
 * y and x). Returns the group count and a function from flat index to group.
 */
export function groupsOf(shape: readonly number[], keep: readonly boolean[]): { count: number; groupShape: number[]; groupOf: (flat: number) => number } {
  const st = strides(shape);
  const kept = shape.map((s, i) => (keep[i] ? s : 1));
  const gst = strides(kept);
  const count = size(kept);
  if (count === 1) return { count, groupShape: kept, groupOf: () => 0 };
  return {
    count,
    groupShape: kept,
    groupOf(flat: number) {
      let g = 0;
      for (let d = 0; d < shape.length; d++) {
        if (!keep[d]) continue;
        g += (Math.floor(flat / st[d]) % shape[d]) * gst[d];
      }
      return g;
    },
  };
}
