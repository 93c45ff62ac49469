/**
 * Connected components, the pieces the chunk-wise `label` node is built from:
 * `labelBlock` labels one block in memory (two raster passes with
 * union-find), and `ComponentForest` joins the components of all blocks by
 * their first pixels and numbers the result as scikit-image's `label` does —
 * 1, 2, … in raster order of each component's first pixel.
 *
 * Neighbours are pixels reached in at most `connectivity` orthogonal hops
 * (1 = faces only, ndim = all 3^ndim - 1 neighbours), scikit-image's meaning.
 */
import { FairioError } from '@fairio/ngff';

/** Offsets of the neighbours within `connectivity` hops that come before (backward) or after (forward) a pixel in raster order. */
export function neighbourhood(ndim: number, connectivity: number, half: 'backward' | 'forward'): number[][] {
  const out: number[][] = [];
  for (let code = 0; code < 3 ** ndim; code++) {
    const v = new Array<number>(ndim);
    for (let k = ndim - 1, c = code; k >= 0; k--, c = Math.floor(c / 3)) v[k] = (c % 3) - 1;
    const hops = v.filter((x) => x !== 0).length;
    if (hops === 0 || hops > connectivity) continue;
    const lead = v.find((x) => x !== 0)!;
    if ((half === 'backward') === lead < 0) out.push(v);
  }
  return out;
}

function cStrides(shape: number[]): number[] {
  const strides = new Array<number>(shape.length);
  for (let i = shape.length - 1, s = 1; i >= 0; s *= shape[i], i--) strides[i] = s;
  return strides;
}

/**
 * Offsets as linear steps plus the edge bits that forbid them: bit k of
 * `low` means "needs coordinate k > 0", of `high` "needs coordinate k < size - 1".
 */
function compileOffsets(offsets: number[][], shape: number[]): { step: Int32Array; low: Int32Array; high: Int32Array } {
  const strides = cStrides(shape);
  const step = new Int32Array(offsets.length);
  const low = new Int32Array(offsets.length);
  const high = new Int32Array(offsets.length);
  offsets.forEach((v, j) => {
    for (let k = 0; k < v.length; k++) {
      step[j] += v[k] * strides[k];
      if (v[k] < 0) low[j] |= 1 << k;
      if (v[k] > 0) high[j] |= 1 << k;
    }
  });
  return { step, low, high };
}

function find(parent: Uint32Array, x: number): number {
  while (parent[x] !== x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

/**
 * Calls `visit(i, low, high)` for every pixel of a C-order array of `shape`,
 * with bit masks of the axes on which the pixel sits at the low or high edge.
 */
function forEachPixel(shape: number[], visit: (i: number, low: number, high: number) => void): void {
  const n = shape.length;
  const width = shape[n - 1];
  const size = shape.reduce((a, b) => a * b, 1);
  if (size === 0) return;
  const last = 1 << (n - 1);
  const outer = new Array<number>(n - 1).fill(0);
  for (let row = 0; row * width < size; row++) {
    let rowLow = 0;
    let rowHigh = 0;
    for (let k = 0; k < n - 1; k++) {
      if (outer[k] === 0) rowLow |= 1 << k;
      if (outer[k] === shape[k] - 1) rowHigh |= 1 << k;
    }
    const base = row * width;
    for (let x = 0; x < width; x++) {
      visit(base + x, x === 0 ? rowLow | last : rowLow, x === width - 1 ? rowHigh | last : rowHigh);
    }
    for (let k = n - 2; k >= 0; k--) {
      if (++outer[k] < shape[k]) break;
      outer[k] = 0;
    }
  }
}

export interface BlockComponents {
  /** Per pixel: 0 for background, else the component 1..count. */
  labels: Uint32Array;
  count: number;
  /** Linear index (C order in the block) of the first pixel of component k at [k - 1]. */
  first: Uint32Array;
}

/**
 * Connected components of the nonzero pixels of one block (C order, `shape`),
 * numbered in raster order of their first pixels.
 */
export function labelBlock(pixels: ArrayLike<number>, shape: number[], connectivity: number): BlockComponents {
  const size = shape.reduce((a, b) => a * b, 1);
  const { step, low: needLow, high: needHigh } = compileOffsets(neighbourhood(shape.length, connectivity, 'backward'), shape);
  const labels = new Uint32Array(size);
  // Provisional labels: at most one per pixel; parent[l] < l for every non-root.
  const parent = new Uint32Array(size + 1);
  const firstOf = new Uint32Array(size + 1);
  let next = 0;
  const offsets = step.length;
  forEachPixel(shape, (i, low, high) => {
    const v = pixels[i];
    if (v === 0) return;
    let label = 0;
    const edge = low | high;
    for (let j = 0; j < offsets; j++) {
      if (edge !== 0 && ((needLow[j] & low) !== 0 || (needHigh[j] & high) !== 0)) continue;
      const other = labels[i + step[j]];
      if (other === 0) continue;
      if (label === 0) label = other;
      else if (other !== label) {
        const a = find(parent, label);
        const b = find(parent, other);
        if (a < b) parent[b] = a;
        else if (b < a) parent[a] = b;
        label = a < b ? a : b;
      }
    }
    if (label === 0) {
      label = ++next;
      parent[label] = label;
      firstOf[label] = i;
    }
    labels[i] = label;
  });
  // Roots are the smallest label of their set, created at the component's first pixel.
  const final = new Uint32Array(next + 1);
  const first: number[] = [];
  for (let l = 1; l <= next; l++) {
    const root = find(parent, l);
    if (root === l) {
      first.push(firstOf[l]);
      final[l] = first.length;
    } else {
      final[l] = final[root];
    }
  }
  for (let i = 0; i < size; i++) if (labels[i] !== 0) labels[i] = final[labels[i]];
  return { labels, count: first.length, first: Uint32Array.from(first) };
}

/**
 * Union-find over the components of all blocks ("provisional" ids 1..size),
 * each with the linear index of its first pixel in the whole image. A set's
 * root is its member with the earliest first pixel, so after all unions the
 * roots sorted by first pixel give scikit-image's numbering.
 */
export class ComponentForest {
  private parent = new Uint32Array(1024);
  private first = new Float64Array(1024);
  /** Provisional ids handed out: 1..size. */
  size = 0;

  /** Reserve `count` ids whose first pixels are `firstPixel(k)` for k = 0..count-1; returns the id before the first. */
  add(count: number, firstPixel: (k: number) => number): number {
    const base = this.size;
    if (base + count > 0xffffffff) {
      throw new FairioError('SHAPE_TOO_LARGE', `more than ${0xffffffff} pieces of objects: too many to label in uint32`);
    }
    if (base + count + 1 > this.parent.length) {
      let capacity = this.parent.length;
      while (capacity < base + count + 1) capacity *= 2;
      const parent = new Uint32Array(capacity);
      parent.set(this.parent);
      const first = new Float64Array(capacity);
      first.set(this.first);
      this.parent = parent;
      this.first = first;
    }
    for (let k = 0; k < count; k++) {
      this.parent[base + 1 + k] = base + 1 + k;
      this.first[base + 1 + k] = firstPixel(k);
    }
    this.size = base + count;
    return base;
  }

  find(x: number): number {
    return find(this.parent, x);
  }

  union(a: number, b: number): void {
    const ra = find(this.parent, a);
    const rb = find(this.parent, b);
    if (ra === rb) return;
    if (this.first[ra] < this.first[rb]) this.parent[rb] = ra;
    else this.parent[ra] = rb;
  }

  /** The final label of every provisional id (index 0 stays 0), and the number of labels. */
  number(): { final: Uint32Array; count: number } {
    const roots: number[] = [];
    for (let i = 1; i <= this.size; i++) if (find(this.parent, i) === i) roots.push(i);
    const order = Uint32Array.from(roots).sort((a, b) => this.first[a] - this.first[b]);
    const final = new Uint32Array(this.size + 1);
    order.forEach((root, k) => (final[root] = k + 1));
    for (let i = 1; i <= this.size; i++) final[i] = final[find(this.parent, i)];
    return { final, count: order.length };
  }
}
