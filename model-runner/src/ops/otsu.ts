/**
 * Otsu's threshold (Otsu 1979), computed the way scikit-image's
 * `threshold_otsu` computes it, from a histogram built one block at a time.
 *
 * - Integer images: one bin per integer value between the minimum and the
 *   maximum (skimage's bincount histogram). Empty bins never change the
 *   result, so only the values that occur are kept.
 * - Floating-point images: 256 equal bins over [minimum, maximum], with the
 *   bin edges and bin of each pixel worked out as numpy's `histogram` does
 *   (in float32 arithmetic for float32 images).
 *
 * skimage turns the counts into float32 and accumulates them in float32 (and
 * the intensity sums in float64, or float32 for float32 images); those
 * roundings are reproduced with `Math.fround` so that the threshold is the
 * same number as skimage's, not merely a close one.
 */
import { FairioError } from '@fairio/ngff';

const identity = (x: number) => x;

/** Counts per integer value: a dense table for 8- and 16-bit values, a map beyond. */
export class IntegerHistogram {
  private static readonly OFFSET = 32768;
  private readonly dense = new Float64Array(IntegerHistogram.OFFSET + 65536);
  private readonly sparse = new Map<number, number>();
  min = Infinity;
  max = -Infinity;
  total = 0;

  add(data: ArrayLike<number>): void {
    const dense = this.dense;
    const offset = IntegerHistogram.OFFSET;
    let lo = this.min;
    let hi = this.max;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      if (v >= -offset && v < 65536) dense[v + offset]++;
      else this.sparse.set(v, (this.sparse.get(v) ?? 0) + 1);
    }
    this.min = lo;
    this.max = hi;
    this.total += data.length;
  }

  /** The values that occur, ascending, and how often. */
  bins(): { values: Float64Array; counts: Float64Array } {
    const entries: [number, number][] = [];
    const offset = IntegerHistogram.OFFSET;
    for (const [v, c] of this.sparse) if (v < -offset) entries.push([v, c]);
    for (let i = 0; i < this.dense.length; i++) if (this.dense[i] > 0) entries.push([i - offset, this.dense[i]]);
    for (const [v, c] of this.sparse) if (v >= 65536) entries.push([v, c]);
    entries.sort((a, b) => a[0] - b[0]);
    return { values: Float64Array.from(entries, (e) => e[0]), counts: Float64Array.from(entries, (e) => e[1]) };
  }
}

/** Minimum and maximum of floating-point pixels; NaN and infinities are refused (numpy refuses them too). */
export class ValueRange {
  /** `where` names the image in errors. */
  constructor(private readonly where?: string) {}
  min = Infinity;
  max = -Infinity;
  total = 0;
  add(data: ArrayLike<number>): void {
    let lo = this.min;
    let hi = this.max;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (!Number.isFinite(v)) throw new FairioError('INVALID_ARGUMENT', `the image holds ${v}; Otsu's threshold needs finite pixel values`, { path: this.where });
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    this.min = lo;
    this.max = hi;
    this.total += data.length;
  }
}

/** 256 equal bins over [min, max] (min < max), placed with numpy's `histogram` arithmetic. */
export class BinnedHistogram {
  static readonly BINS = 256;
  readonly edges: Float64Array;
  readonly counts = new Float64Array(BinnedHistogram.BINS);
  private readonly f: (x: number) => number;
  private readonly denominator: number;

  constructor(
    readonly min: number,
    readonly max: number,
    /** Pixels are float32: numpy then computes edges and bin positions in float32. */
    readonly float32: boolean,
  ) {
    const f = (this.f = float32 ? Math.fround : identity);
    const n = BinnedHistogram.BINS;
    // np.linspace(min, max, n + 1): i * step + start, the last edge set to max.
    const step = f(f(max - min) / n);
    this.edges = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) this.edges[i] = f(f(i * step) + min);
    this.edges[n] = max;
    for (let i = 0; i < n; i++) {
      if (!(this.edges[i] < this.edges[i + 1])) {
        // numpy (and so skimage) refuses such a histogram too.
        throw new FairioError('INVALID_ARGUMENT', `the pixel values span [${min}, ${max}], too narrow for ${n} histogram bins at ${float32 ? 'float32' : 'float64'} precision; use a manual threshold`);
      }
    }
    this.denominator = f(max - min);
  }

  add(data: ArrayLike<number>): void {
    const { f, edges, counts, min, denominator } = this;
    const n = BinnedHistogram.BINS;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      let bin = Math.trunc(f(f(f(v - min) / denominator) * n));
      if (bin === n) bin--;
      // numpy's correction of the computed index by the edges themselves.
      if (v < edges[bin]) bin--;
      if (bin !== n - 1 && v >= edges[bin + 1]) bin++;
      counts[bin]++;
    }
  }

  centers(): Float64Array {
    const f = this.f;
    return Float64Array.from({ length: BinnedHistogram.BINS }, (_, i) => f(f(this.edges[i] + this.edges[i + 1]) / 2));
  }
}

/**
 * Otsu's threshold from a histogram (bin values ascending): the bin value
 * that maximises the between-class variance, first maximum on ties, as
 * skimage's `threshold_otsu`. `float32` when the bin values are float32
 * (a float32 image), so that products and sums stay in float32 as in numpy.
 */
export function otsuFromHistogram(values: ArrayLike<number>, counts: ArrayLike<number>, float32 = false): number {
  const k = values.length;
  if (k === 0) throw new FairioError('INVALID_ARGUMENT', "Otsu's threshold needs at least one pixel");
  if (k === 1) return values[0];
  const f = float32 ? Math.fround : identity;
  const f32 = Math.fround;
  // Class 1 = bins 0..i (cumulative from the left), class 2 = bins i..k-1 (from the right).
  const weight1 = new Float64Array(k);
  const mean1 = new Float64Array(k);
  const weight2 = new Float64Array(k);
  const mean2 = new Float64Array(k);
  let w = 0;
  let s = 0;
  for (let i = 0; i < k; i++) {
    const c = f32(counts[i]);
    w = f32(w + c);
    s = f(s + f(c * values[i]));
    weight1[i] = w;
    mean1[i] = f(s / w);
  }
  w = 0;
  s = 0;
  for (let i = k - 1; i >= 0; i--) {
    const c = f32(counts[i]);
    w = f32(w + c);
    s = f(s + f(c * values[i]));
    weight2[i] = w;
    mean2[i] = f(s / w);
  }
  let best = -Infinity;
  let index = 0;
  for (let i = 0; i < k - 1; i++) {
    const d = f(mean1[i] - mean2[i + 1]);
    const variance = f(f32(weight1[i] * weight2[i + 1]) * f(d * d));
    if (variance > best) {
      best = variance;
      index = i;
    }
  }
  return values[index];
}

/** Otsu's threshold of an integer histogram (skimage returns the only value of a uniform image). */
export function otsuInteger(histogram: IntegerHistogram): number {
  if (histogram.total === 0) throw new FairioError('INVALID_ARGUMENT', "Otsu's threshold needs at least one pixel");
  if (histogram.min === histogram.max) return histogram.min;
  const { values, counts } = histogram.bins();
  return otsuFromHistogram(values, counts);
}

/** Otsu's threshold of a binned floating-point histogram. */
export function otsuBinned(histogram: BinnedHistogram): number {
  return otsuFromHistogram(histogram.centers(), histogram.counts, histogram.float32);
}

