/**
 * The one box copy of fairio: pixels where two C-order boxes of the same
 * image overlap, from one to the other, a row (last axis) at a time. The
 * writer assembles its blocks with it and the model runner crops tiles.
 * No Node imports.
 */

/** A typed array of any element type (the pixel types, and the 64-bit integers of model tensors). */
type AnyTypedArray = { length: number; subarray(begin: number, end: number): AnyTypedArray; set(source: never, offset: number): void };

/**
 * Copy `src`, holding the box [srcStart, srcStop), into `dst`, holding
 * [dstStart, dstStop), where they overlap; returns the number of elements
 * copied (0 where they do not meet).
 */
export function copyOverlap(src: AnyTypedArray, srcStart: readonly number[], srcStop: readonly number[], dst: AnyTypedArray, dstStart: readonly number[], dstStop: readonly number[]): number {
  // Integer vectors in, then loops over them alone: the callers' arrays come in every elements kind, and the engine
  // would otherwise recompile this hot function for each kind it meets.
  return copyBoxes(src, Int32Array.from(srcStart), Int32Array.from(srcStop), dst, Int32Array.from(dstStart), Int32Array.from(dstStop));
}

function copyBoxes(src: AnyTypedArray, srcStart: Int32Array, srcStop: Int32Array, dst: AnyTypedArray, dstStart: Int32Array, dstStop: Int32Array): number {
  const n = srcStart.length;
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  const srcStrides = new Int32Array(n);
  const dstStrides = new Int32Array(n);
  for (let d = n - 1; d >= 0; d--) {
    lo[d] = Math.max(srcStart[d], dstStart[d]);
    hi[d] = Math.min(srcStop[d], dstStop[d]);
    if (hi[d] <= lo[d]) return 0;
    srcStrides[d] = d === n - 1 ? 1 : srcStrides[d + 1] * (srcStop[d + 1] - srcStart[d + 1]);
    dstStrides[d] = d === n - 1 ? 1 : dstStrides[d + 1] * (dstStop[d + 1] - dstStart[d + 1]);
  }
  const row = hi[n - 1] - lo[n - 1];
  const pos = lo.slice();
  let count = 0;
  for (;;) {
    let from = 0;
    let to = 0;
    for (let d = 0; d < n; d++) {
      from += (pos[d] - srcStart[d]) * srcStrides[d];
      to += (pos[d] - dstStart[d]) * dstStrides[d];
    }
    dst.set(src.subarray(from, from + row) as never, to);
    count += row;
    let d = n - 2;
    for (; d >= 0 && ++pos[d] === hi[d]; d--) pos[d] = lo[d];
    if (d < 0) return count;
  }
}
