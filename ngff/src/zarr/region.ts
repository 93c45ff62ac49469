/**
 * Copying boxes between C-order buffers, on bytes: how an edge block is padded
 * to the full chunk shape and how a shard is cut into its inner chunks.
 */

/** Row-major strides (in elements) of `shape`. */
export function strides(shape: number[]): number[] {
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= shape[i];
  }
  return out;
}

/**
 * Copy the box `size` from `src` (C-order, `srcShape`, box at `srcStart`) into
 * `dst` (`dstShape`, box at `dstStart`). Buffers are bytes; shapes count
 * elements of `itemsize` bytes. Trailing axes that both buffers hold whole are
 * merged, so contiguous data moves in a few large copies.
 */
export function copyBox(
  src: Uint8Array,
  srcShape: number[],
  srcStart: number[],
  dst: Uint8Array,
  dstShape: number[],
  dstStart: number[],
  size: number[],
  itemsize: number,
): void {
  if (size.some((s) => s <= 0)) return;
  let n = size.length;
  if (n === 0) {
    dst.set(src.subarray(0, itemsize));
    return;
  }
  // Merge axis n-1 into n-2 while the box spans that axis fully in both buffers.
  let run = size[n - 1] * itemsize;
  while (n > 1 && size[n - 1] === srcShape[n - 1] && size[n - 1] === dstShape[n - 1]) {
    n--;
    run *= size[n - 1];
  }
  const ss = strides(srcShape);
  const ds = strides(dstShape);
  // After merging, axis n-1 is the innermost copied run; strides of outer axes are unchanged.
  let so = 0;
  let dof = 0;
  for (let i = 0; i < srcShape.length; i++) {
    so += srcStart[i] * ss[i];
    dof += dstStart[i] * ds[i];
  }
  so *= itemsize;
  dof *= itemsize;
  const outer = n - 1;
  if (outer === 0) {
    dst.set(src.subarray(so, so + run), dof);
    return;
  }
  const sStep = ss.slice(0, outer).map((s) => s * itemsize);
  const dStep = ds.slice(0, outer).map((s) => s * itemsize);
  const idx = new Array<number>(outer).fill(0);
  for (;;) {
    dst.set(src.subarray(so, so + run), dof);
    let d = outer - 1;
    for (; d >= 0; d--) {
      idx[d]++;
      so += sStep[d];
      dof += dStep[d];
      if (idx[d] < size[d]) break;
      so -= sStep[d] * size[d];
      dof -= dStep[d] * size[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}
